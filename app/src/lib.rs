//! Kaniko Studio in the browser. This is the only crate that knows about the DOM; all the
//! domain logic comes from `kaniko-studio-core`.

use leptos::prelude::*;

pub mod state;
pub mod troubleshoot;
pub mod widgets;
pub mod wizard;

use state::{AppState, Page};

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new(state::default_config());
    provide_context(state);
    wizard::persist::restore(state);
    wizard::persist::autosave(state);
    let tab = move |page: Page, id: &'static str, label: &'static str| {
        view! {
            <button type="button" role="tab" id=id
                aria-selected=move || (state.page.get() == page).to_string()
                aria-controls="main"
                on:click=move |_| state.page.set(page)>{label}</button>
        }
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <h1>"Kaniko Studio"</h1>
            <p class="tagline">
                "Build container images with Kaniko on Buildkite and push them without "
                <code>"Invalid 'aud' claim"</code>", 401 or 403. Everything runs in this page; nothing you type leaves it."
            </p>
            <nav class="tabs" role="tablist" aria-label="Pages">
                {tab(Page::Wizard, "tab-wizard", "Set up a build")}
                {tab(Page::Troubleshoot, "tab-troubleshoot", "Troubleshoot")}
            </nav>
        </header>
        {move || state.notice.get().map(|n| view! {
            <div class="notice" role="status">
                <span>{n}</span>
                <button type="button" on:click=move |_| state.notice.set(None)>"Dismiss"</button>
            </div>
        })}
        <main id="main" tabindex="-1">
            {move || match state.page.get() {
                Page::Wizard => view! { <wizard::Wizard/> }.into_any(),
                Page::Troubleshoot => view! { <troubleshoot::Troubleshooter/> }.into_any(),
            }}
        </main>
        <footer class="site-footer">
            <p>"Works offline. No data leaves your browser. Tokens and logs you paste are decoded in this page only."</p>
        </footer>
    }
}
