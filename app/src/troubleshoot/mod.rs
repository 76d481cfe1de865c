//! The troubleshooter page: build logs, OIDC tokens, OIDC policies and pipelines.

use leptos::prelude::*;

/// The troubleshooter page.
#[component]
pub fn Troubleshooter() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="troubleshoot-title">
            <h2 id="troubleshoot-title">"Troubleshoot"</h2>
        </section>
    }
}
