//! Components and helpers shared by the page's two wasm modules: the wizard
//! (`kaniko-studio-app`, loaded with the page) and the troubleshooter
//! (`kaniko-studio-troubleshoot`, loaded when its tab opens). Each module compiles its own copy,
//! so keep this crate small: what both need, nothing else.

use kaniko_studio_core::config::BuildConfig;
use kaniko_studio_core::config_file::{StackKind, example_config};
use leptos::prelude::*;

pub mod widgets;

/// Log a panic and say on the page that the module stopped. A panic stops the module
/// (`panic = "abort"`), so without this the page keeps controls that silently do nothing.
/// Each wasm module installs it once, when it starts.
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error_panic_hook::hook(info);
            show_crash(&info.to_string());
        }));
    });
}

/// Put a message at the top of the page after an internal error stopped a module. It uses the
/// DOM directly, not the reactive system that just stopped.
pub fn show_crash(what: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let (Ok(alert), Some(body)) = (document.create_element("p"), document.body()) else { return };
    let _ = alert.set_attribute("role", "alert");
    alert.set_class_name("crash");
    alert.set_text_content(Some(&format!(
        "Kaniko Studio stopped after an internal error, so the page no longer responds. What you typed in the wizard was saved in this browser: reload the page to go on. The error was: {what}"
    )));
    let _ = body.prepend_with_node_1(&alert);
}

/// The configuration a new user starts from: Kubernetes and Package Registries with OIDC.
pub fn default_config() -> BuildConfig {
    example_config(StackKind::Kubernetes, "buildkite_packages").unwrap_or_else(|| {
        use kaniko_studio_core::config::*;
        BuildConfig::new(
            Stack::Kubernetes(KubernetesStack::default()),
            Registry::BuildkitePackages(PackagesRegistry {
                org: String::new(),
                registry: String::new(),
                auth: PackagesAuth::Oidc,
                lifetime: PACKAGES_MAX_LIFETIME,
                audience: None,
                pipelines: Vec::new(),
                branches: Vec::new(),
            }),
            "app",
        )
    })
}

/// Whether the registry settings are still the example's placeholders (`acme`,
/// `docker-images`, account `123456789012`, …) that the wizard starts from.
pub fn uses_example_registry(config: &BuildConfig) -> bool {
    let stack = if config.is_kubernetes() { StackKind::Kubernetes } else { StackKind::Elastic };
    example_config(stack, config.registry.kind()).is_some_and(|example| example.registry == config.registry)
}

/// Says, while it is true, that the registry settings are the example's placeholders, so
/// nobody pastes `acme/docker-images` into a real pipeline.
#[component]
pub fn ExampleValuesNote(#[prop(into)] config: Signal<BuildConfig>) -> impl IntoView {
    let example = Memo::new(move |_| config.with(uses_example_registry));
    move || {
        example.get().then(|| {
            view! {
                <p class="example-note" role="note">
                    <strong>"Example values. "</strong>
                    "The registry settings are placeholders from the example configuration. Replace them with your own in step 2 (Registry) before you copy anything."
                </p>
            }
        })
    }
}
