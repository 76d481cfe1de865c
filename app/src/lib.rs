//! Kaniko Studio in the browser. This is the only crate that knows about the DOM; all the
//! domain logic comes from `kaniko-studio-core`.

use leptos::prelude::*;

pub mod audience;

pub use audience::AudienceCard;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <header class="site-header">
            <h1>"Kaniko Studio"</h1>
            <p class="tagline">
                "Build container images with Kaniko on Buildkite and push them without "
                <code>"Invalid 'aud' claim"</code>", 401 or 403. Everything runs in this page; nothing you type leaves it."
            </p>
        </header>
        <main id="main">
            <AudienceCard/>
        </main>
        <footer class="site-footer">
            <p>"Works offline. No data leaves your browser."</p>
        </footer>
    }
}
