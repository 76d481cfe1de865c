//! The app's shared state: one `BuildConfig`, the single source of truth for the wizard, the
//! artifacts, the share link, autosave and the troubleshooter's pre-filled values.

use kaniko_studio_core::config::BuildConfig;
use kaniko_studio_core::config_file::{StackKind, example_config};
use leptos::prelude::*;

/// Which page is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Wizard,
    Troubleshoot,
}

/// State shared through context.
#[derive(Debug, Clone, Copy)]
pub struct AppState {
    /// The build configuration being edited.
    pub config: RwSignal<BuildConfig>,
    /// The page shown.
    pub page: RwSignal<Page>,
    /// A notice shown at the top of the page (restored state set aside, link too long, …).
    pub notice: RwSignal<Option<String>>,
}

impl AppState {
    /// A fresh state with the default configuration.
    pub fn new(config: BuildConfig) -> Self {
        AppState { config: RwSignal::new(config), page: RwSignal::new(Page::Wizard), notice: RwSignal::new(None) }
    }
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

/// The app state from context.
///
/// # Panics
/// Outside `App`, which provides it (a programming error, not user input).
pub fn use_state() -> AppState {
    expect_context::<AppState>()
}
