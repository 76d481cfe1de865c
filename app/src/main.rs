//! Mounts the app. Everything else lives in the library.
fn main() {
    kaniko_studio_ui::install_panic_hook();
    leptos::mount::mount_to_body(kaniko_studio_app::App);
}
