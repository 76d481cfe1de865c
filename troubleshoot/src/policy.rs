//! The OIDC policy panel: check a pasted Package Registries policy and evaluate it against a
//! token or claims: which statement matches first, what it grants, why the others do not.

use kaniko_studio_core::generate::{POLICY_PATH, generate};
use kaniko_studio_core::policy::{Evaluation, Policy, check_policy, claims_from_json, evaluate, jwt_claims};
use kaniko_studio_core::Diagnostic;
use kaniko_studio_core::token::inspect_token;
use leptos::prelude::*;

use super::{LineButton, LocatedDiagnostic, PolicyOutcome, focus, use_trouble};
use crate::use_setup;
use kaniko_studio_ui::widgets::{DiagnosticList, PasteArea, RichText};

/// The policy panel.
#[component]
pub fn PolicyPanel() -> impl IntoView {
    let state = use_setup();
    let trouble = use_trouble();
    let policy_text = trouble.kept.policy;
    let claims_text = trouble.kept.claims;
    let checked = Memo::new(move |_| policy_text.with(|t| (!t.trim().is_empty()).then(|| check_policy(t))));
    let claims = Memo::new(move |_| {
        claims_text.with(|t| {
            let t = t.trim();
            (!t.is_empty()).then(|| if t.starts_with('{') { claims_from_json(t) } else { jwt_claims(t) })
        })
    });
    // A pasted token (not claims) is refused on its audience, expiry or lifetime before the
    // registry reads any policy: say so next to the evaluation.
    let refusals = Memo::new(move |_| {
        claims_text.with(|t| {
            let t = t.trim();
            if t.is_empty() || t.starts_with('{') {
                return Vec::new();
            }
            let expect = super::context::token_expectation(&trouble.audience());
            inspect_token(t, &expect, super::now_unix()).diagnostics.into_iter().filter(Diagnostic::is_error).collect::<Vec<_>>()
        })
    });
    let evaluation = Memo::new(move |_| {
        let claims = claims.get()?.ok()?;
        // Another kind of document (KS416) has no statements to evaluate: its one finding says so.
        checked.with(|c| c.as_ref().filter(|(_, d)| !d.iter().any(|d| d.id == "KS416")).map(|(policy, _)| evaluate(policy, &claims)))
    });
    Effect::new(move |_| {
        let outcome = evaluation.with(|e| {
            e.as_ref().map(|(ev, _)| PolicyOutcome {
                matched: ev.matched,
                can_push: ev.scopes.iter().any(|s| s == "write_packages"),
            })
        });
        trouble.policy_outcome.set(outcome);
    });
    let use_generated = move |_| {
        let generated = state.config.with_untracked(|c| generate(c).0.get(POLICY_PATH).map(|a| a.content.clone()));
        if let Some(p) = generated {
            policy_text.set(p);
            focus("policy-input");
        }
    };
    let use_token = move |_| {
        claims_text.set(trouble.token.get_untracked());
        focus("claims-input");
    };
    let check_diags = move || checked.with(|c| c.as_ref().map(|(_, d)| d.clone()).unwrap_or_default());
    view! {
        <h3>"OIDC policy"</h3>
        <p class="explain">
            "Paste the registry's OIDC policy (YAML or JSON, from the registry's settings in Buildkite) and a token or its claims. "
            "The first statement that matches wins; only its scopes are granted."
        </p>
        <PasteArea id="policy-input" label="OIDC policy" value=policy_text rows=10
            placeholder="- iss: https://agent.buildkite.com\n  scopes: [read_packages, write_packages]\n  claims:\n    organization_slug: acme"/>
        <p><button type="button" on:click=use_generated>"Paste the policy generated from my set-up"</button></p>
        <PasteArea id="claims-input" label="Token or claims (JSON object)" value=claims_text rows=5
            placeholder="{\"iss\": \"https://agent.buildkite.com\", \"organization_slug\": \"acme\", \"pipeline_slug\": \"app\"}"/>
        <p>
            <button type="button" on:click=use_token disabled=move || trouble.token.with(|t| t.trim().is_empty())>
                "Use the token from the OIDC token panel"
            </button>
        </p>
        <div class="ts-results" id="policy-results" aria-live="polite">
            <ul class="diagnostics" id="policy-check">
                {move || check_diags().into_iter().map(|d| view! { <LocatedDiagnostic diagnostic=d target="policy-input"/> }).collect_view()}
            </ul>
            {move || claims.get().and_then(Result::err).map(|d| view! {
                <ul class="diagnostics"><LocatedDiagnostic diagnostic=*d target="claims-input"/></ul>
            })}
            {move || (!refusals.with(Vec::is_empty)).then(|| view! {
                <div id="policy-token-refused">
                    <p class="verdict bad">"Whatever the policy says, the registry refuses this token before reading it:"</p>
                    <DiagnosticList diagnostics=Signal::derive(move || refusals.get())/>
                </div>
            })}
            {move || match (checked.get(), evaluation.get()) {
                (Some((policy, _)), Some((ev, diags))) => {
                    let refused = !refusals.with(Vec::is_empty);
                    Some(view! { <EvaluationView policy ev diags refused/> }.into_any())
                }
                (Some(_), None) if claims.with(Option::is_none) => Some(view! {
                    <p class="ts-status">"Paste a token or claims to see which statement matches."</p>
                }.into_any()),
                _ => None,
            }}
        </div>
    }
}

/// The evaluation: the winner, the scopes, and why each other statement fails. `refused`: the
/// registry refuses the token before the policy is read, so nothing is granted whatever matches.
#[component]
fn EvaluationView(policy: Policy, ev: Evaluation, diags: Vec<Diagnostic>, refused: bool) -> impl IntoView {
    let verdict = match ev.matched {
        Some(n) if refused => format!("Statement {n} would match first, but nothing is granted: the token is refused before the policy is read (see above)."),
        Some(n) => {
            let scopes = if ev.scopes.is_empty() { "none".to_string() } else { ev.scopes.join(", ") };
            format!("Statement {n} matches first. Scopes granted: {scopes}.")
        }
        None => "No statement matches: the registry rejects this token (401/403).".to_string(),
    };
    let ok = !refused && ev.scopes.iter().any(|s| s == "write_packages");
    let winner = ev.matched;
    let statements = ev
        .statements
        .into_iter()
        .map(|st| {
            let line = st.span.line;
            let scopes = policy
                .statements
                .iter()
                .find(|s| s.number == st.number)
                .map(|s| s.scopes.join(", "))
                .unwrap_or_default();
            let state = match (st.matched, ev.matched) {
                (true, Some(n)) if n == st.number => "matches first (wins)".to_string(),
                (true, Some(n)) => format!("matches too, but statement {n} comes first and wins"),
                (true, None) => "matches".to_string(),
                (false, _) => "does not match:".to_string(),
            };
            let failures = st
                .failures
                .into_iter()
                .map(|f| {
                    let l = f.span.line;
                    view! {
                        <li>
                            <code>{f.claim}</code> ": " <RichText text=f.reason/> " "
                            <LineButton target="policy-input" line=l label=format!("line {l}")/>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <li class={if winner == Some(st.number) { "statement winner" } else { "statement" }} data-statement=st.number.to_string()>
                    <LineButton target="policy-input" line label=format!("Statement {} (line {line})", st.number)/>
                    " grants " {if scopes.is_empty() { "no scopes".to_string() } else { scopes }} " — " {state}
                    <ul class="failures">{failures}</ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class={if ok { "verdict ok" } else { "verdict bad" }} id="policy-verdict">{verdict}</p>
        <ul class="diagnostics">
            {diags.into_iter().map(|d| view! { <LocatedDiagnostic diagnostic=d target="policy-input"/> }).collect_view()}
        </ul>
        <ol class="statements" id="policy-statements">{statements}</ol>
    }
}
