//! "Add a doctor step": the pipeline step that walks the authentication chain link by link in
//! the user's own CI (token, exchange, TLS, login, push permission) without building, made for
//! the wizard's configuration. The browser cannot reach the user's cloud, and must not; the
//! step can.

use kaniko_studio_core::generate::{Artifact, doctor};
use leptos::prelude::*;

use crate::use_setup;
use kaniko_studio_ui::widgets::{CopyButton, DownloadButton};

#[component]
pub fn DoctorPanel() -> impl IntoView {
    let state = use_setup();
    let result = Memo::new(move |_| state.config.with(doctor));
    let errors = Signal::derive(move || result.with(|(_, d)| d.iter().filter(|d| d.is_error()).count()));
    let files = Signal::derive(move || result.with(|(a, _)| a.files.clone()));
    let destination = move || {
        state.config.with(|c| c.image_references().first().map(|r| r.repository.clone()).unwrap_or_default())
    };
    view! {
        <h3>"Add a doctor step"</h3>
        <p class="explain">
            "A wrong audience, a missing trust and an expired token all end as the same 401 or 403 after a long build, because Kaniko falls back to anonymous access. "
            "The doctor step checks each link in seconds, without building, in this order:"
        </p>
        <ol class="doctor-checks">
            <li>"the agent mints the OIDC token (its claims are printed, never the token);"</li>
            <li>"the token is exchanged for cloud credentials, where there is an exchange;"</li>
            <li>"TLS to the registry;"</li>
            <li>"the registry login;"</li>
            <li>"push permission: a blob upload is started and cancelled."</li>
        </ol>
        <p class="explain">"It stops at the first link that breaks, names the fix and writes a Buildkite annotation."</p>
        <p class="help">"Made for the wizard's configuration: " <code id="doctor-destination">{destination}</code>
            ". Commit the script, then add the step to the pipeline that fails (or upload " <code>".buildkite/doctor.yml"</code> " on its own)."</p>
        <kaniko_studio_ui::ExampleValuesNote config=state.config/>
        {move || if errors.get() > 0 {
            view! {
                <p class="blocked" role="status">{match errors.get() {
                    1 => "The wizard's configuration has 1 error; fix it in the wizard to get the doctor step.".to_string(),
                    n => format!("The wizard's configuration has {n} errors; fix them in the wizard to get the doctor step."),
                }}</p>
            }.into_any()
        } else {
            files.get().into_iter().map(|a| view! { <DoctorFile artifact=a/> }).collect_view().into_any()
        }}
    }
}

#[component]
fn DoctorFile(artifact: Artifact) -> impl IntoView {
    let path = artifact.path.clone();
    let content = artifact.content.clone();
    let id = format!("doctor-{}", path.rsplit('/').next().unwrap_or(&path).replace('.', "-"));
    view! {
        <div class="doctor-file" id=id>
            <p class="artifact-path"><code>{path.clone()}</code> " — " {artifact.purpose.clone()}</p>
            <div class="artifact-actions">
                <CopyButton text=Signal::stored(content.clone()) label=format!("Copy {path}")/>
                <DownloadButton name=Signal::stored(path.clone()) text=Signal::stored(content.clone())/>
            </div>
            <pre class="artifact" tabindex="0" aria-label=format!("{path} content")><code>{content}</code></pre>
        </div>
    }
}
