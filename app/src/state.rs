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
    pub notice: RwSignal<Option<Notice>>,
}

/// A message at the top of the page. When it reports that the configuration was replaced as a
/// whole (a share link opened, a file imported, a reset), it keeps the one before, so that one
/// click puts it back: autosave has already overwritten the stored copy.
#[derive(Debug, Clone)]
pub struct Notice {
    pub text: String,
    pub previous: Option<BuildConfig>,
}

impl From<String> for Notice {
    fn from(text: String) -> Self {
        Notice { text, previous: None }
    }
}

impl From<&str> for Notice {
    fn from(text: &str) -> Self {
        text.to_string().into()
    }
}

impl AppState {
    /// A fresh state with the default configuration.
    pub fn new(config: BuildConfig) -> Self {
        AppState { config: RwSignal::new(config), page: RwSignal::new(Page::Wizard), notice: RwSignal::new(None) }
    }

    /// Replace the whole configuration and say so, keeping the one it replaces for undo.
    #[inline(never)]
    pub fn replace(&self, config: BuildConfig, text: String) {
        crate::wizard::fields::forget_variants();
        let previous = self.config.try_update(|c| std::mem::replace(c, config));
        self.notice.set(Some(Notice { text, previous }));
    }

    /// Put back the configuration the notice's replacement took away.
    #[inline(never)]
    pub fn undo_replace(&self) {
        if let Some(previous) = self.notice.try_update(|n| n.as_mut().and_then(|n| n.previous.take())).flatten() {
            self.config.set(previous);
            self.notice.set(Some("Put back the configuration you had before.".into()));
        }
    }
}

/// The app state from context.
///
/// # Panics
/// Outside `App`, which provides it (a programming error, not user input).
pub fn use_state() -> AppState {
    expect_context::<AppState>()
}
