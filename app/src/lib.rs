//! Kaniko Studio in the browser: the page's first wasm module (the wizard). The troubleshooter
//! is a second module (`kaniko-studio-troubleshoot`), loaded when its tab opens
//! ([`troubleshoot`]). All the domain logic comes from `kaniko-studio-core`.

use leptos::prelude::*;

pub mod state;
pub mod troubleshoot;
pub mod wizard;

use state::{AppState, Page};

/// The pages' tabs: the page, its tab's id and its label.
const PAGES: [(Page, &str, &str); 2] = [(Page::Wizard, "tab-wizard", "Set up a build"), (Page::Troubleshoot, "tab-troubleshoot", "Troubleshoot")];

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new(state::default_config());
    provide_context(state);
    wizard::persist::restore(state);
    wizard::persist::autosave(state);
    let links = window_event_listener(leptos::ev::hashchange, move |_| wizard::persist::open_link(state));
    on_cleanup(move || links.remove());
    let tab = move |(page, id, label): (Page, &'static str, &'static str)| {
        view! {
            <button type="button" role="tab" id=id
                aria-selected=move || (state.page.get() == page).to_string()
                tabindex=move || if state.page.get() == page { "0" } else { "-1" }
                aria-controls="main"
                on:click=move |_| state.page.set(page)
                on:pointerenter=move |_| if page == Page::Troubleshoot { troubleshoot::prefetch() }
                on:focus=move |_| if page == Page::Troubleshoot { troubleshoot::prefetch() }>{label}</button>
        }
    };
    // One tab stop for the two pages; the arrows, Home and End switch between them.
    let on_tab_key = move |ev: web_sys::KeyboardEvent| {
        let current = PAGES.iter().position(|(p, _, _)| *p == state.page.get_untracked()).unwrap_or(0);
        let Some(&(page, id, _)) = kaniko_studio_ui::widgets::tab_step(&ev.key(), current, PAGES.len()).and_then(|i| PAGES.get(i)) else { return };
        ev.prevent_default();
        if page == Page::Troubleshoot {
            troubleshoot::prefetch();
        }
        state.page.set(page);
        kaniko_studio_ui::widgets::focus_id(id);
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <h1>"Kaniko Studio"</h1>
            <ThemeToggle/>
            <p class="tagline">
                "Build container images with Kaniko on Buildkite and push them without "
                <code>"Invalid 'aud' claim"</code>", 401 or 403. Everything runs in this page; nothing you type leaves it."
            </p>
            <nav class="tabs" role="tablist" aria-label="Pages" on:keydown=on_tab_key>
                {PAGES.map(tab)}
            </nav>
        </header>
        {move || state.notice.with(|n| n.as_ref().map(|n| (n.text.clone(), n.previous.is_none()))).map(|(text, nothing_to_undo)| view! {
            <div class="notice" role="status">
                <span>{text}</span>
                <button type="button" id="notice-undo" hidden=nothing_to_undo on:click=move |_| state.undo_replace()>"Undo"</button>
                <button type="button" on:click=move |_| state.notice.set(None)>"Dismiss"</button>
            </div>
        })}
        <main id="main" tabindex="-1">
            {move || match state.page.get() {
                Page::Wizard => view! { <wizard::Wizard/> }.into_any(),
                Page::Troubleshoot => view! { <troubleshoot::Troubleshoot/> }.into_any(),
            }}
        </main>
        <footer class="site-footer">
            <p>"Works offline. No data leaves your browser. Tokens and logs you paste are decoded in this page only."</p>
        </footer>
    }
}

/// The localStorage key of the user's explicit theme choice.
const THEME_KEY: &str = "kaniko-studio.theme";

fn system_prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

fn apply_theme(theme: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", theme);
    }
}

/// Light and dark themes: the system's preference until the user picks one, which is kept.
#[component]
fn ThemeToggle() -> impl IntoView {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    let saved = storage.as_ref().and_then(|s| s.get_item(THEME_KEY).ok().flatten());
    let dark = RwSignal::new(match saved.as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => system_prefers_dark(),
    });
    if let Some(theme) = saved.as_deref().filter(|t| *t == "dark" || *t == "light") {
        apply_theme(theme);
    }
    let toggle = move |_| {
        let theme = if dark.get_untracked() { "light" } else { "dark" };
        dark.set(theme == "dark");
        apply_theme(theme);
        if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = s.set_item(THEME_KEY, theme);
        }
    };
    view! {
        <button type="button" class="theme-toggle" id="theme-toggle" aria-pressed=move || dark.get().to_string() on:click=toggle>
            {move || if dark.get() { "☀ Light theme" } else { "☾ Dark theme" }}
        </button>
    }
}
