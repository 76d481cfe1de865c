//! The pipeline panel: lint a pasted `pipeline.yml`; each finding's line button moves the
//! caret to that line.

use kaniko_studio_core::generate::{PIPELINE_PATH, generate};
use kaniko_studio_core::lint::{SourceFile, lint};
use leptos::prelude::*;

use super::{LocatedDiagnostic, focus};
use crate::use_setup;
use kaniko_studio_ui::widgets::PasteArea;

/// The pipeline panel.
#[component]
pub fn PipelinePanel() -> impl IntoView {
    let state = use_setup();
    let text = super::use_trouble().kept.pipeline;
    let findings = Memo::new(move |_| {
        text.with(|t| {
            (!t.trim().is_empty()).then(|| lint(&[SourceFile { path: "pipeline.yml", text: t }]))
        })
    });
    let use_generated = move |_| {
        let generated = state.config.with_untracked(|c| generate(c).0.get(PIPELINE_PATH).map(|a| a.content.clone()));
        if let Some(p) = generated {
            text.set(p);
            focus("pipeline-input");
        }
    };
    let status = move || {
        findings.with(|f| match f {
            None => String::new(),
            Some(f) if f.is_empty() => "No problem found in this pipeline.".to_string(),
            Some(f) => {
                let errors = f.iter().filter(|x| x.diagnostic.is_error()).count();
                format!("{} finding{} ({} error{}). Select a line to jump to it.", f.len(), s(f.len()), errors, s(errors))
            }
        })
    };
    view! {
        <h3>"Pipeline"</h3>
        <p class="explain">
            "Paste your " <code>"pipeline.yml"</code> ": it is checked against Buildkite's pipeline schema and for the Kaniko and OIDC "
            "mistakes that cause " <code>"Invalid 'aud' claim"</code> ", 401 and 403."
        </p>
        <PasteArea id="pipeline-input" label="pipeline.yml" value=text rows=14 placeholder="steps:\n  - label: build"/>
        <p><button type="button" on:click=use_generated>"Paste the pipeline generated from my set-up"</button></p>
        <div class="ts-results" aria-live="polite">
            <p class="ts-status" id="pipeline-status">{status}</p>
            <ul class="diagnostics" id="pipeline-findings">
                {move || findings.get().unwrap_or_default().into_iter()
                    .map(|f| view! { <LocatedDiagnostic diagnostic=f.diagnostic target="pipeline-input"/> })
                    .collect_view()}
            </ul>
        </div>
    }
}

fn s(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
