//! Mounts the app. Everything else lives in the library.
fn main() {
    // A panic stops the module (panic = "abort"): log it, and say so on the page instead of
    // leaving controls that silently do nothing.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        kaniko_studio_app::show_crash(&info.to_string());
    }));
    leptos::mount::mount_to_body(kaniko_studio_app::App);
}
