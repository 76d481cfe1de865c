//! The app's shared state: one `BuildConfig`, the single source of truth for the wizard, the
//! artifacts, the share link, autosave and the troubleshooter's pre-filled values.

use kaniko_studio_core::config::BuildConfig;
use leptos::prelude::*;

pub use kaniko_studio_ui::default_config;

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

/// The app state from context.
///
/// # Panics
/// Outside `App`, which provides it (a programming error, not user input).
pub fn use_state() -> AppState {
    expect_context::<AppState>()
}
