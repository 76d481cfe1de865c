//! The guided "aud / 401 / 403" flow: the user says what they see, and the checks follow in
//! the order of the cause checklist (`buildkite.md` §2.6), each pointing to the panel that
//! checks it and filled in with the set-up's values. The steps are data: [`STEPS`].

use leptos::prelude::*;

use super::{Panel, Prefill, Trouble, use_trouble};
use kaniko_studio_ui::widgets::RichText;

/// What the user sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symptom {
    /// `Invalid 'aud' claim`.
    Aud,
    /// 401 Unauthorized.
    Unauthorized,
    /// 403 Forbidden / denied.
    Forbidden,
    /// The token expired (often at the push, after a long build).
    Expired,
    /// Anything else.
    Other,
}

impl Symptom {
    /// Every symptom, in the order offered.
    pub const ALL: [Symptom; 5] = [Symptom::Aud, Symptom::Unauthorized, Symptom::Forbidden, Symptom::Expired, Symptom::Other];

    /// The choice as the user reads it.
    pub fn label(self) -> &'static str {
        match self {
            Symptom::Aud => "Invalid 'aud' claim",
            Symptom::Unauthorized => "401 Unauthorized",
            Symptom::Forbidden => "403 Forbidden / denied",
            Symptom::Expired => "The token expired",
            Symptom::Other => "Something else",
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Symptom::Aud => "aud",
            Symptom::Unauthorized => "401",
            Symptom::Forbidden => "403",
            Symptom::Expired => "expired",
            Symptom::Other => "other",
        }
    }
}

/// How a step knows whether it passed, from what the user pasted in the panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepCheck {
    /// The token report has none of these rule ids.
    Token(&'static [&'static str]),
    /// A policy statement matches the claims.
    PolicyMatch,
    /// The matching statement grants `write_packages`.
    PolicyPush,
    /// The log diagnosis found something.
    Log,
    /// Checked by reading the panel's findings.
    Manual,
}

/// One step of the guide. `check` may name the set-up's values: `{audience}`,
/// `{destination}`, `{lifetime}`, `{host}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub title: &'static str,
    pub check: &'static str,
    pub panel: Panel,
    pub symptoms: &'static [Symptom],
    pub status: StepCheck,
}

use Symptom::{Aud, Expired, Forbidden, Other, Unauthorized};

/// Audience rules of the token inspector (`KS510`–`KS522`).
const AUDIENCE_RULES: &[&str] =
    &["KS510", "KS511", "KS512", "KS513", "KS514", "KS515", "KS516", "KS517", "KS518", "KS519", "KS520", "KS521", "KS522"];

/// The steps, in the order they are checked (buildkite.md §2.6).
pub static STEPS: &[Step] = &[
    Step {
        title: "Find the error in the build log",
        check: "Paste the failed job's log: the error is recognised and its likely causes listed, most likely first.",
        panel: Panel::Log,
        symptoms: &[Other],
        status: StepCheck::Log,
    },
    Step {
        title: "The token's audience is exact",
        check: "The token's audience (its `aud` claim) must be exactly `{audience}`. Without `--audience` the agent uses \
                `https://buildkite.com/ORG`, which never matches; `http://`, a trailing `/`, an image path, a display name \
                instead of the slug, different case, a placeholder or an empty variable all fail too.",
        panel: Panel::Token,
        symptoms: &[Aud, Unauthorized, Forbidden, Other],
        status: StepCheck::Token(AUDIENCE_RULES),
    },
    Step {
        title: "The token has not expired",
        check: "Kaniko pushes at the end of the build, so a token requested at the start of a build longer than its \
                lifetime ({lifetime} s) has expired at the push. Request it right before Kaniko runs.",
        panel: Panel::Token,
        symptoms: &[Aud, Unauthorized, Expired, Other],
        status: StepCheck::Token(&["KS530", "KS531", "KS534", "KS535"]),
    },
    Step {
        title: "The token lives at most 300 seconds",
        check: "The registry refuses a token that lives longer than 300 seconds from issue to expiry, although the agent \
                can issue tokens of up to 7200 seconds. Your set-up asks for `--lifetime {lifetime}`.",
        panel: Panel::Token,
        symptoms: &[Aud, Unauthorized, Expired],
        status: StepCheck::Token(&["KS532"]),
    },
    Step {
        title: "A policy statement matches the token",
        check: "A statement of the registry's OIDC policy must match the token: its issuer is `https://agent.buildkite.com` \
                and every claim it lists (`organization_slug`, `pipeline_slug`, `build_branch`…) has the token's value. \
                Builds of tags and pull requests carry other values than branch builds, and a claim the policy lists may be \
                missing from the token. Paste the policy and the token to see which statement matches.",
        panel: Panel::Policy,
        symptoms: &[Aud, Unauthorized, Forbidden],
        status: StepCheck::PolicyMatch,
    },
    Step {
        title: "The matching statement grants write_packages",
        check: "Only the first statement that matches counts: a read-only statement above one that can push hides it. \
                Pushing needs `write_packages`; a cache also needs `read_packages`.",
        panel: Panel::Policy,
        symptoms: &[Forbidden, Unauthorized],
        status: StepCheck::PolicyPush,
    },
    Step {
        title: "The destination is the registry the token is for",
        check: "Kaniko's `--destination` and `--cache-repo` must be on the registry the token was requested for \
                (`{destination}` on `{host}`). Paste your pipeline to compare.",
        panel: Panel::Pipeline,
        symptoms: &[Aud, Unauthorized, Forbidden],
        status: StepCheck::Manual,
    },
    Step {
        title: "The login is the one Kaniko reads",
        check: "Kaniko logs in with the username `buildkite` and reads `/kaniko/.docker/config.json` (or the folder \
                `DOCKER_CONFIG` names), which must be valid JSON. A variable that only the step's `env` sets must be written \
                `$$VAR` in `pipeline.yml`: the pipeline upload replaces a plain `$VAR` before the step runs, usually \
                with nothing. Paste your pipeline to check.",
        panel: Panel::Pipeline,
        symptoms: &[Unauthorized, Other],
        status: StepCheck::Manual,
    },
    Step {
        title: "Still failing? Read the build log",
        check: "Paste the failed job's log: the exact error it shows narrows the cause down.",
        panel: Panel::Log,
        symptoms: &[Aud, Unauthorized, Forbidden, Expired],
        status: StepCheck::Log,
    },
    Step {
        title: "Run the doctor step in your pipeline",
        check: "Your CI can check what this page cannot: the doctor step requests the token, exchanges it for the \
                registry's credentials where the registry needs that, logs in to `{host}` and starts (then cancels) an upload. \
                It takes seconds, builds nothing and names the first check that fails.",
        panel: Panel::Doctor,
        symptoms: &[Aud, Unauthorized, Forbidden, Expired, Other],
        status: StepCheck::Manual,
    },
];

/// The steps for a symptom, in order.
pub fn steps_for(symptom: Symptom) -> impl Iterator<Item = &'static Step> {
    STEPS.iter().filter(move |s| s.symptoms.contains(&symptom))
}

/// Fill a step's text with the set-up's values.
pub fn fill(text: &str, p: &Prefill) -> String {
    let unset = "not set in your set-up";
    text.replace("{audience}", p.audience.as_deref().unwrap_or("https://packages.buildkite.com/ORG/REGISTRY"))
        .replace("{destination}", p.destination.as_deref().unwrap_or(unset))
        .replace("{host}", if p.host.is_empty() { unset } else { &p.host })
        .replace("{lifetime}", &p.lifetime.map_or_else(|| unset.to_string(), |l| l.to_string()))
}

/// What is known about a step from the panels: `Some(Ok(note))` passed, `Some(Err(why))`
/// failed, `None` not checked yet.
fn status(step: &Step, t: &Trouble) -> Option<Result<String, String>> {
    let passed = || -> Result<String, String> { Ok("Passed with what you pasted.".to_string()) };
    match step.status {
        StepCheck::Token(ids) => t.token_report.with(|r| {
            let r = r.as_ref()?;
            r.claims.as_ref()?;
            Some(match r.diagnostics.iter().find(|d| ids.contains(&d.id)) {
                Some(d) => Err(d.message.clone()),
                None => passed(),
            })
        }),
        StepCheck::PolicyMatch => t.policy_outcome.get().map(|o| match o.matched {
            Some(n) => Ok(format!("Statement {n} matches the pasted claims.")),
            None => Err("No statement matches the pasted claims.".to_string()),
        }),
        StepCheck::PolicyPush => t.policy_outcome.get().and_then(|o| o.matched.map(|n| {
            if o.can_push { passed() } else { Err(format!("Statement {n} matches first and does not grant `write_packages`.")) }
        })),
        StepCheck::Log => t.log_findings.get().map(|n| match n {
            0 => Ok("No known error in the log; go on with the other steps.".to_string()),
            n => Err(format!("{n} finding{} in the log.", if n == 1 { "" } else { "s" })),
        }),
        StepCheck::Manual => None,
    }
}

/// The guide panel.
#[component]
pub fn GuidePanel() -> impl IntoView {
    let trouble = use_trouble();
    let symptom = trouble.kept.symptom;
    let choices = Symptom::ALL
        .into_iter()
        .map(|s| {
            let id = format!("ts-symptom-{}", s.slug());
            let input_id = id.clone();
            view! {
                <label class="choice" for=id>
                    <input type="radio" name="ts-symptom" id=input_id value=s.slug()
                        prop:checked=move || symptom.get() == Some(s)
                        on:change=move |_| symptom.set(Some(s)) />
                    " " {s.label()}
                </label>
            }
        })
        .collect_view();
    let steps = move || {
        let s = symptom.get()?;
        let prefill = trouble.prefill.get();
        let items = steps_for(s)
            .enumerate()
            .map(|(i, step)| {
                let text = fill(step.check, &prefill);
                let panel = step.panel;
                let state = move || match status(step, &trouble) {
                    None => ("step-status unknown", "Not checked yet.".to_string()),
                    Some(Ok(note)) => ("step-status ok", note),
                    Some(Err(why)) => ("step-status bad", format!("Problem: {why}")),
                };
                view! {
                    <li class="guide-step">
                        <h4>{format!("Step {}: {}", i + 1, step.title)}</h4>
                        <p><RichText text=text/></p>
                        <p class=move || state().0>{move || view! { <RichText text=state().1/> }}</p>
                        <button type="button" on:click=move |_| trouble.open(panel)>
                            {format!("Check it in the {} panel", panel.label())}
                        </button>
                    </li>
                }
            })
            .collect_view();
        Some(view! { <ol class="guide-steps" id="guide-steps">{items}</ol> })
    };
    view! {
        <h3>"aud / 401 / 403: step by step"</h3>
        <fieldset class="symptoms">
            <legend>"What does the failed build show?"</legend>
            {choices}
        </fieldset>
        <div class="ts-results" aria-live="polite">{steps}</div>
    }
}
