//! The Package Registries audience card: two slugs in, the exact audience out.

use kaniko_studio_core::{AudienceInput, Diagnostic, package_registry_audience};
use leptos::prelude::*;

/// Messages for one field, rendered next to it.
#[component]
fn FieldMessages(
    /// The field's id, used for `aria-describedby`.
    id: &'static str,
    /// Diagnostics for this field.
    diags: Signal<Vec<Diagnostic>>,
) -> impl IntoView {
    view! {
        <div class="field-messages" id=id aria-live="polite">
            <For each=move || diags.get() key=|d| (d.id, d.message.clone()) let:d>
                <p class=format!("diag diag-{}", d.severity.as_str()) data-rule=d.id>
                    <strong>{d.severity.as_str()} " " {d.id}</strong> ": " {d.message.clone()}
                    <span class="fix">" " {d.fix.clone()}</span>
                </p>
            </For>
        </div>
    }
}

/// Organization and registry slugs in, the audience out, live as the user types.
#[component]
pub fn AudienceCard() -> impl IntoView {
    let (org, set_org) = signal(String::new());
    let (registry, set_registry) = signal(String::new());
    let result = Memo::new(move |_| {
        org.with(|o| registry.with(|r| package_registry_audience(AudienceInput { org: o, registry: r })))
    });
    let for_field = move |field: &'static str| {
        Signal::derive(move || {
            result.with(|(_, d)| d.iter().filter(|d| d.field.as_deref() == Some(field)).cloned().collect())
        })
    };
    let invalid = move |field: &'static str| {
        move || {
            result.with(|(_, d)| {
                d.iter().any(|d| d.is_error() && d.field.as_deref() == Some(field)).to_string()
            })
        }
    };
    let audience = move || result.with(|(a, _)| a.clone());

    view! {
        <section class="card" aria-labelledby="audience-title">
            <h2 id="audience-title">"Package Registries audience"</h2>
            <p class="explain">
                "A Buildkite OIDC token is accepted by a registry only when its "<code>"aud"</code>
                " claim is exactly "<code>"https://packages.buildkite.com/{org}/{registry}"</code>
                ", built from the two slugs (not the display names)."
            </p>
            <div class="field">
                <label for="org">"Organization slug"</label>
                <input id="org" name="org" type="text" autocomplete="off" spellcheck="false"
                    placeholder="acme" aria-describedby="org-messages" aria-invalid=invalid("org")
                    prop:value=org
                    on:input=move |ev| set_org.set(event_target_value(&ev)) />
                <FieldMessages id="org-messages" diags=for_field("org")/>
            </div>
            <div class="field">
                <label for="registry">"Registry slug"</label>
                <input id="registry" name="registry" type="text" autocomplete="off" spellcheck="false"
                    placeholder="docker-images" aria-describedby="registry-messages" aria-invalid=invalid("registry")
                    prop:value=registry
                    on:input=move |ev| set_registry.set(event_target_value(&ev)) />
                <FieldMessages id="registry-messages" diags=for_field("registry")/>
            </div>
            <div class="result" aria-live="polite">
                <span class="result-label">"Audience"</span>
                <output id="audience" for="org registry">
                    {move || match audience() {
                        Some(a) => a.url,
                        None => String::from("—"),
                    }}
                </output>
                <span class="result-label">"Image prefix"</span>
                <output id="host-path" for="org registry">
                    {move || match audience() {
                        Some(a) => format!("{}/IMAGE:TAG", a.host_path),
                        None => String::from("—"),
                    }}
                </output>
            </div>
        </section>
    }
}
