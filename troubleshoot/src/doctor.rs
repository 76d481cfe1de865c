//! "Add a doctor step": the pipeline step that walks the authentication chain link by link in
//! the user's own CI (token, exchange, TLS, login, push permission) without building, made for
//! the wizard's configuration. The browser cannot reach the user's cloud, and must not; the
//! step can.

use kaniko_studio_core::generate::{Artifact, doctor};
use leptos::prelude::*;

use crate::use_setup;
use kaniko_studio_ui::widgets::{CopyButton, DownloadButton, RichText};

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
            <RichText text="Kaniko hides most authentication failures: its credential helpers fall back to anonymous access, so a wrong audience, a missing trust or an expired token all end as the same 401 or 403 after a long build. The doctor step checks the chain link by link in seconds, without building: the agent mints the OIDC token (its claims are printed, never the token), the exchange for cloud credentials where there is one, TLS, the registry login, and push permission (a blob upload is started and cancelled). It stops at the first link that breaks, names the fix, and writes a Buildkite annotation."/>
        </p>
        <p class="help">"Made for the wizard's configuration: " <code id="doctor-destination">{destination}</code>
            ". Commit the script, then add the step to the pipeline that fails (or upload " <code>".buildkite/doctor.yml"</code> " on its own)."</p>
        <kaniko_studio_ui::ExampleValuesNote config=state.config/>
        {move || if errors.get() > 0 {
            view! {
                <p class="blocked" role="status">{format!("The wizard's configuration has {} error(s); fix them in the wizard to get the doctor step.", errors.get())}</p>
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
