//! The OIDC token panel: decode a pasted token (never verify, never send) and check it
//! against the audience of the user's set-up.

use kaniko_studio_core::token::{TimeClaim, TokenReport};
use leptos::prelude::*;

use super::use_trouble;
use kaniko_studio_ui::widgets::{DiagnosticList, PasteArea, RichText};

/// The token panel.
#[component]
pub fn TokenPanel() -> impl IntoView {
    let trouble = use_trouble();
    let from_setup = move || trouble.audience_override.get().is_none();
    let audience_note = move || {
        let aud = trouble.audience();
        match (aud.is_empty(), from_setup()) {
            (true, _) => "No audience to check against: only the checks that apply to every token run. Type the audience the token is for above.".to_string(),
            (false, true) => format!("Checking against audience `{aud}` from your set-up."),
            (false, false) => format!("Checking against audience `{aud}` (typed here; your set-up is not changed)."),
        }
    };
    let report = move || trouble.token_report.get();
    let diagnostics = Signal::derive(move || report().map(|r| r.diagnostics).unwrap_or_default());
    view! {
        <h3>"OIDC token"</h3>
        <p class="privacy" role="note" id="token-privacy">
            <strong>"Your token stays here."</strong>
            " It is decoded in this page only: it is never sent anywhere and never stored. "
            <strong>"The signature is not verified"</strong>
            ": decoding shows what the token claims, not whether the registry will trust it."
        </p>
        <div class="field">
            <label for="token-audience">"Audience the token must have"</label>
            <input id="token-audience" type="text" autocomplete="off" spellcheck="false"
                aria-describedby="token-audience-note"
                placeholder="https://packages.buildkite.com/ORG/REGISTRY"
                prop:value=move || trouble.audience()
                on:input=move |ev| trouble.audience_override.set(Some(event_target_value(&ev))) />
            <p class="explain" id="token-audience-note">
                {move || view! { <RichText text=audience_note()/> }}
                {move || (!from_setup()).then(|| view! {
                    " " <button type="button" on:click=move |_| trouble.audience_override.set(None)>"Use my set-up's audience"</button>
                })}
            </p>
        </div>
        <PasteArea id="token-input" label="Token (a JWT, an Authorization: Bearer value, or the agent's JSON)" value=trouble.token rows=5
            placeholder="eyJhbGciOi…"/>
        <div class="ts-results" id="token-results" aria-live="polite">
            {move || report().map(|r| view! { <TokenSummary report=r/> })}
            <DiagnosticList diagnostics/>
            {move || report().map(|r| view! { <TokenDetails report=r/> })}
        </div>
    }
}

/// One line: the verdict.
#[component]
fn TokenSummary(report: TokenReport) -> impl IntoView {
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    let text = match (&report.claims, errors) {
        (None, _) => "The token could not be decoded.".to_string(),
        (Some(_), 0) => "No problem found in the token's claims (the signature is not verified).".to_string(),
        (Some(_), 1) => "1 problem found:".to_string(),
        (Some(_), n) => format!("{n} problems found:"),
    };
    let class = if errors == 0 && report.claims.is_some() { "verdict ok" } else { "verdict bad" };
    view! { <p class=class id="token-verdict">{text}</p> }
}

/// The decoded header and claims.
#[component]
fn TokenDetails(report: TokenReport) -> impl IntoView {
    let row = |name: String, value: String| view! { <dt>{name}</dt><dd>{value}</dd> };
    // A claim a finding is about is marked, with the finding's id, so the wrong value stands out.
    let flags = |claim: &str| -> Vec<&'static str> {
        report.diagnostics.iter().filter(|d| d.severity != kaniko_studio_core::Severity::Info && d.field.as_deref() == Some(claim)).map(|d| d.id).collect()
    };
    let claim_row = |claim: &str, name: String, value: String| {
        let ids = flags(claim);
        let flagged = !ids.is_empty();
        view! {
            <dt class:flagged=flagged>{name}</dt>
            <dd class:flagged=flagged>{value}
                {flagged.then(|| view! { <span class="flag">{format!(" ⚠ {}", ids.join(", "))}</span> })}
            </dd>
        }
    };
    let time = |t: &Option<TimeClaim>| t.as_ref().map(|t| format!("{} ({})", t.utc, t.relative));
    // (claim, label, value)
    let mut rows: Vec<(String, String, String)> = Vec::new();
    if let Some(c) = &report.claims {
        let mut push = |claim: &str, name: &str, value: Option<String>| {
            if let Some(v) = value {
                rows.push((claim.to_string(), name.to_string(), v));
            }
        };
        push("iss", "Issuer (iss)", c.iss.clone());
        push("sub", "Subject (sub)", c.sub.clone());
        push("aud", "Audience (aud)", (!c.aud.is_empty()).then(|| c.aud.join(", ")));
        push("exp", "Expires (exp, UTC)", time(&c.exp));
        push("iat", "Issued (iat, UTC)", time(&c.iat));
        push("nbf", "Not before (nbf, UTC)", time(&c.nbf));
        push("lifetime", "Lifetime (exp − iat)", c.lifetime_seconds.map(|s| format!("{s} s")));
        push(
            "remaining",
            "Remaining",
            c.remaining_seconds.map(|s| if s < 0 { format!("expired {} s ago", -s) } else { format!("{s} s") }),
        );
        push("jti", "Token id (jti)", c.jti.clone());
        for claim in c.buildkite.iter().chain(&c.other) {
            rows.push((claim.name.to_string(), claim.name.to_string(), claim.value.clone()));
        }
    }
    let header = report.header.as_ref().map(|h| {
        let v = |o: &Option<String>| o.clone().unwrap_or_else(|| "—".into());
        view! {
            <h4>"Header"</h4>
            <dl class="claims" id="token-header">
                {row("Algorithm (alg)".into(), v(&h.alg))}
                {row("Key id (kid)".into(), v(&h.kid))}
                {row("Type (typ)".into(), v(&h.typ))}
                {row("Signature".into(), format!("{} bytes, not verified", h.signature_bytes))}
            </dl>
        }
    });
    let claims = (!rows.is_empty()).then(|| {
        view! {
            <h4>"Claims"</h4>
            <dl class="claims" id="token-claims">{rows.into_iter().map(|(c, n, v)| claim_row(&c, n, v)).collect_view()}</dl>
        }
    });
    let expected = report.expected_audience.clone().map(|a| view! { <p>"Expected audience: " <code>{a}</code></p> });
    view! {
        {expected}
        {claims}
        {header}
        <p class="explain">{report.signature_note}</p>
    }
}
