//! The build-log panel: recognise known errors in a pasted log, in chunks so that a 10 MB
//! paste does not freeze the page.

use kaniko_studio_core::diagnose::{Diagnoser, Finding};
use leptos::prelude::*;

use super::{LineButton, Prefill, sleep, use_trouble};
use crate::use_setup;
use kaniko_studio_ui::widgets::RichText;

/// Bytes diagnosed between two pauses for the browser.
const CHUNK_BYTES: usize = 512 * 1024;
/// Pause after the last keystroke before diagnosing, in milliseconds.
const DEBOUNCE_MS: i32 = 150;

/// The outcome of one diagnosis.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LogResult {
    findings: Vec<Finding>,
    lines: u32,
}

/// The log panel.
#[component]
pub fn LogPanel() -> impl IntoView {
    let state = use_setup();
    let trouble = use_trouble();
    let generation = StoredValue::new(0u64);
    let working = RwSignal::new(None::<u32>);
    let result = RwSignal::new(None::<LogResult>);
    let run = move |text: String| {
        let current = generation.get_value().wrapping_add(1);
        generation.set_value(current);
        let stale = move || generation.try_get_value() != Some(current);
        if text.trim().is_empty() {
            working.set(None);
            result.set(None);
            trouble.log_findings.set(None);
            return;
        }
        working.set(Some(0));
        leptos::task::spawn_local(async move {
            sleep(DEBOUNCE_MS).await;
            if stale() {
                return;
            }
            let ctx = state.config.with_untracked(|c| Prefill::from_config(c).diagnose_context(c));
            let mut diagnoser = Diagnoser::new(&ctx);
            for chunk in text.as_bytes().chunks(CHUNK_BYTES) {
                diagnoser.feed(chunk);
                if text.len() > CHUNK_BYTES {
                    working.set(Some(diagnoser.lines_seen()));
                    sleep(0).await;
                    if stale() {
                        return;
                    }
                }
            }
            let lines = diagnoser.lines_seen();
            let findings = diagnoser.finish();
            trouble.log_findings.set(Some(findings.len()));
            result.set(Some(LogResult { findings, lines }));
            working.set(None);
        });
    };
    let kept = trouble.kept.log;
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        kept.set(text.clone());
        run(text);
    };
    let restored = kept.get_untracked();
    if !restored.is_empty() {
        run(restored);
    }
    let status = move || match (working.get(), result.get()) {
        (Some(0), _) => "Working…".to_string(),
        (Some(n), _) => format!("Working… {n} lines read"),
        (None, Some(r)) if r.findings.is_empty() => format!(
            "Read {} line{}: no known error found. Try the aud / 401 / 403 guide, or paste the token and the pipeline.",
            r.lines,
            plural(r.lines as usize)
        ),
        (None, Some(r)) => format!(
            "Read {} line{}: {} finding{}.",
            r.lines,
            plural(r.lines as usize),
            r.findings.len(),
            plural(r.findings.len())
        ),
        (None, None) => String::new(),
    };
    view! {
        <h3>"Build log"</h3>
        <p class="explain">
            "Paste the whole log of the failed job (raw or as shown in Buildkite; colours and timestamps are fine). "
            "Known Kaniko, registry and Buildkite errors are explained with their likely causes, most likely first. "
            "The log is read in this page only."
        </p>
        <div class="field">
            <label for="log-input">"Build log"</label>
            <textarea id="log-input" rows=10 spellcheck="false" autocomplete="off" wrap="off"
                placeholder="error checking push permissions -- make sure you entered the correct tag name…"
                prop:value=move || kept.get_untracked()
                on:input=on_input></textarea>
        </div>
        <div class="ts-results" aria-live="polite">
            <p class="ts-status" id="log-status" aria-busy=move || working.get().is_some().to_string()>{status}</p>
            <ol class="findings" id="log-findings">
                {move || result.get().map(|r| r.findings.into_iter().map(|f| view! { <FindingItem finding=f/> }).collect_view())}
            </ol>
        </div>
    }
}

/// One finding: what, where, why (causes in order), the fix and how sure we are.
#[component]
fn FindingItem(finding: Finding) -> impl IntoView {
    let sev = finding.severity.as_str();
    let more = finding.occurrences as usize > finding.lines.len();
    let lines = finding
        .lines
        .iter()
        .map(|r| {
            let label = if r.start == r.end { format!("line {}", r.start) } else { format!("lines {}–{}", r.start, r.end) };
            view! { <LineButton target="log-input" line=r.start label/> " " }
        })
        .collect_view();
    let times = format!("{} time{}", finding.occurrences, plural(finding.occurrences as usize));
    let section = finding.section.clone().map(|s| view! { " · in " <q>{s}</q> });
    let causes = finding.causes.iter().map(|c| view! { <li><RichText text=c.clone()/></li> }).collect_view();
    view! {
        <li class=format!("finding diag-{sev}") data-rule=finding.id>
            <h4><strong>{sev} " " {finding.id}</strong> " " {finding.name}</h4>
            <p class="finding-message"><RichText text=finding.message.clone()/></p>
            <p class="finding-meta">
                "Confidence: " <span class="confidence">{finding.confidence.as_str()}</span>
                " · seen " {times} {section} " · " {lines} {more.then_some("…")}
            </p>
            <pre class="matched"><code>{finding.matched.clone()}</code></pre>
            <p class="causes-title">"Likely causes, most likely first:"</p>
            <ol class="causes">{causes}</ol>
            <p class="fix">"Fix: " <RichText text=finding.fix.clone()/></p>
            <a class="docs" href=finding.docs target="_blank" rel="noopener noreferrer">"Docs"</a>
        </li>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
