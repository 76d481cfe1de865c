//! The wizard's form as data: each step is a table of [`Part`]s (fields, switches on an
//! enum's variant, conditions), rendered by one function.
//!
//! Writing every step as its own `view!` made Leptos compile the build, rebuild and mount code
//! of a distinct view type per step, per registry and per authentication mode; a table renders
//! through the same few functions whatever it holds, which keeps the page's wasm small.

use kaniko_studio_core::config::BuildConfig;
use leptos::prelude::*;

use super::fields::{self, Choice, TextKind, check_field, choice_field, text_field, variant_at};
use crate::state::use_state;

/// What a [`Field`] edits.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Text(TextKind),
    Check,
    Choice(&'static [Choice]),
    /// Where a secret is kept: a Kubernetes Secret, a Buildkite secret or an env variable.
    Secret,
}

/// One form field bound to a configuration path. A path that starts with `.` is relative to
/// the enclosing [`Part::Include`] (or secret); `.` alone is that base itself.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub kind: Kind,
    pub path: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub placeholder: &'static str,
}

/// A text field.
pub const fn text(path: &'static str, label: &'static str) -> Field {
    Field { kind: Kind::Text(TextKind::Plain), path, label, help: "", placeholder: "" }
}

/// A checkbox.
pub const fn check(path: &'static str, label: &'static str) -> Field {
    Field { kind: Kind::Check, path, label, help: "", placeholder: "" }
}

/// A select between the variants of an enum.
pub const fn choice(path: &'static str, label: &'static str, choices: &'static [Choice]) -> Field {
    Field { kind: Kind::Choice(choices), path, label, help: "", placeholder: "" }
}

/// Where a secret comes from (a fieldset with its own choice and fields).
pub const fn secret(path: &'static str, label: &'static str) -> Field {
    Field { kind: Kind::Secret, path, label, help: "", placeholder: "" }
}

impl Field {
    /// With a help text (`code` spans allowed).
    pub const fn help(self, help: &'static str) -> Field {
        Field { help, ..self }
    }

    /// With a placeholder.
    pub const fn placeholder(self, placeholder: &'static str) -> Field {
        Field { placeholder, ..self }
    }

    /// A text field of another kind (number, optional, lines).
    pub const fn kind(self, kind: TextKind) -> Field {
        Field { kind: Kind::Text(kind), ..self }
    }

    /// As a part of a form.
    pub const fn part(self) -> Part {
        Part::Field(self)
    }
}

/// A piece of a form.
#[derive(Debug, Clone, Copy)]
pub enum Part {
    Field(Field),
    /// The parts of the first case whose key is the variant now at `path` (`*` matches any).
    Switch(&'static str, &'static [(&'static str, &'static [Part])]),
    /// The parts, while the condition holds.
    When(fn(&BuildConfig) -> bool, &'static [Part]),
    /// The parts, with relative paths under this base.
    Include(&'static str, &'static [Part]),
    /// A sub-heading.
    Heading(&'static str),
    /// A fixed piece of explanation (or a field with its own layout).
    Custom(fn() -> AnyView),
}

/// A Kubernetes Secret, a Buildkite secret or an environment variable: the parts of a
/// [`secret`] field, relative to its path.
static SECRET_CHOICES: &[Choice] = &[
    Choice { label: "A Kubernetes Secret (Kubernetes stack)", key: "kubernetes", value: fields::ChoiceValue::Json(r#"{"kubernetes": {"name": "", "key": ""}}"#) },
    Choice { label: "A Buildkite secret", key: "buildkite", value: fields::ChoiceValue::Json(r#"{"buildkite": {"key": ""}}"#) },
    Choice { label: "An environment variable (e.g. the S3 secrets bucket)", key: "env", value: fields::ChoiceValue::Json(r#"{"env": {"var": ""}}"#) },
];

static SECRET: &[Part] = &[
    choice(".", "Kept in", SECRET_CHOICES).part(),
    Part::Switch(".", &[
        ("kubernetes", &[text(".kubernetes.name", "Secret name").part(), text(".kubernetes.key", "Key in the Secret").part()]),
        ("buildkite", &[text(".buildkite.key", "Buildkite secret key").part()]),
        ("*", &[text(".env.var", "Variable name").part()]),
    ]),
];

/// Every choice a form offers, through its switches, conditions and secrets (for tests: each
/// must store a value the configuration reads).
pub fn choices(parts: &'static [Part]) -> Vec<&'static Choice> {
    let mut out = Vec::new();
    for part in parts {
        match part {
            Part::Field(Field { kind: Kind::Choice(choices), .. }) => out.extend(choices.iter()),
            Part::Field(Field { kind: Kind::Secret, .. }) => out.extend(self::choices(SECRET)),
            Part::Field(_) | Part::Heading(_) | Part::Custom(_) => {}
            Part::Switch(_, cases) => cases.iter().for_each(|(_, parts)| out.extend(self::choices(parts))),
            Part::When(_, parts) | Part::Include(_, parts) => out.extend(self::choices(parts)),
        }
    }
    out
}

/// `rel` under `base`: relative paths start with `.`.
fn join(base: &'static str, rel: &'static str) -> &'static str {
    match rel {
        "." => base,
        _ if rel.starts_with('.') => fields::intern(format!("{base}{rel}")),
        _ => rel,
    }
}

/// Render a form table.
pub fn render(parts: &'static [Part], base: &'static str) -> AnyView {
    parts.iter().map(|part| render_part(part, base)).collect_view().into_any()
}

fn render_part(part: &'static Part, base: &'static str) -> AnyView {
    match *part {
        Part::Field(f) => render_field(f, base),
        Part::Switch(path, cases) => {
            let at = variant_at(join(base, path));
            (move || {
                let key = at.get();
                cases.iter().find(|(k, _)| *k == key || *k == "*").map(|(_, parts)| render(parts, base))
            })
            .into_any()
        }
        Part::When(test, parts) => {
            let state = use_state();
            let on = Memo::new(move |_| state.config.with(test));
            (move || on.get().then(|| render(parts, base))).into_any()
        }
        Part::Include(under, parts) => render(parts, under),
        Part::Heading(title) => view! { <h3>{title}</h3> }.into_any(),
        Part::Custom(make) => make(),
    }
}

fn render_field(f: Field, base: &'static str) -> AnyView {
    let path = join(base, f.path);
    match f.kind {
        Kind::Text(kind) => text_field(path, f.label, f.help, f.placeholder, kind),
        Kind::Check => check_field(path, f.label, f.help),
        Kind::Choice(choices) => choice_field(path, f.label, f.help, choices),
        Kind::Secret => view! {
            <fieldset class="secret">
                <legend>{f.label}</legend>
                {render(SECRET, path)}
            </fieldset>
        }
        .into_any(),
    }
}
