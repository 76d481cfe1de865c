//! Buildkite Package Registries OIDC policies: parse (YAML or JSON, keeping positions),
//! check, and evaluate against a token's claims.
//!
//! Facts (`../shared/reference/buildkite.md` §2.4, §2.6): a policy is a list of statements,
//! each with `iss`, `scopes` (only `read_packages`, `write_packages`, `delete_packages`) and
//! `claims` (claim name → rule). A rule is a bare scalar (same as `equals`) or a mapping of
//! matchers `equals`, `not_equals` (scalar), `in`, `not_in` (list of scalars), `matches`
//! (glob or list of globs; `*` any run, `?` one character; ignored for non-string values).
//! All matchers of a rule and all rules of a statement must hold. The **first** matching
//! statement wins and only its scopes are granted. Only simple YAML is accepted: no anchors,
//! aliases or tags.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Rule, Severity, Span};
use crate::lint::yaml::{self, Node, NodeKind, ScalarType};

const DOCS: &str = "https://buildkite.com/docs/package-registries/security/oidc";

/// The Buildkite agent's OIDC issuer.
pub const AGENT_ISSUER: &str = "https://agent.buildkite.com";

/// Issuers the Package Registries documentation lists as supported.
pub const KNOWN_ISSUERS: &[&str] = &[AGENT_ISSUER, "https://token.actions.githubusercontent.com"];

/// The only scopes a statement may grant.
pub const SCOPES: &[&str] = &["read_packages", "write_packages", "delete_packages"];

/// The only matchers a claim rule may use.
pub const MATCHERS: &[&str] = &["equals", "not_equals", "in", "not_in", "matches"];

const STATEMENT_KEYS: &[&str] = &["iss", "scopes", "claims"];

/// Rules reported by this module.
pub static RULES: &[Rule] = &[
    Rule {
        id: "KS400",
        name: reference!("policy-syntax"),
        severity: Severity::Error,
        summary: reference!("The policy is not valid YAML or JSON."),
        why: reference!("Buildkite refuses to save a policy it cannot parse, and a registry without a policy accepts no OIDC token."),
        example: reference!("- iss: https://agent.buildkite.com\n  scopes: [read_packages"),
        fix: reference!("Fix the syntax at the position shown (often an unclosed bracket or a tab used for indentation)."),
        docs: DOCS,
    },
    Rule {
        id: "KS401",
        name: reference!("policy-shape"),
        severity: Severity::Error,
        summary: reference!("The policy is not a list of statements, or a statement is not a mapping."),
        why: reference!("A policy is a list whose items each have `iss`, `scopes` and `claims`; anything else is rejected."),
        example: reference!("iss: https://agent.buildkite.com\nscopes: [read_packages]"),
        fix: reference!("Start each statement with `- ` so the policy is a list of mappings."),
        docs: DOCS,
    },
    Rule {
        id: "KS402",
        name: reference!("policy-yaml-feature"),
        severity: Severity::Error,
        summary: reference!("The policy uses a YAML anchor, alias or tag."),
        why: reference!("Only simple YAML (scalars, mappings, lists) is accepted in OIDC policies; anchors, aliases and tags are not."),
        example: reference!("claims: &common\n  organization_slug: acme"),
        fix: reference!("Write the repeated part out in full and remove `&name`, `*name` and `!tag`."),
        docs: DOCS,
    },
    Rule {
        id: "KS403",
        name: reference!("statement-missing-key"),
        severity: Severity::Error,
        summary: reference!("A statement lacks `iss`, `scopes` or `claims`."),
        why: reference!("Each statement needs an issuer and the scopes it grants; without claims it would accept every token the issuer signs, for any organization."),
        example: reference!("- iss: https://agent.buildkite.com\n  claims: {organization_slug: acme}"),
        fix: reference!("Add the missing key, e.g. `scopes: [read_packages, write_packages]`."),
        docs: DOCS,
    },
    Rule {
        id: "KS404",
        name: reference!("statement-unknown-key"),
        severity: Severity::Error,
        summary: reference!("A statement has a key other than `iss`, `scopes` and `claims`."),
        why: reference!("Policies have no other keys; a misspelled key means the intended condition or scope is missing. In particular there is no `aud`/`audience` key: the audience is checked separately and must equal the registry URL."),
        example: reference!("- iss: https://agent.buildkite.com\n  scope: [read_packages]"),
        fix: reference!("Use `iss`, `scopes` and `claims` only."),
        docs: DOCS,
    },
    Rule {
        id: "KS405",
        name: reference!("scope-unknown"),
        severity: Severity::Error,
        summary: reference!("A scope is not `read_packages`, `write_packages` or `delete_packages`."),
        why: reference!("These are the only scopes a policy can grant; any other value grants nothing."),
        example: reference!("scopes: [write]"),
        fix: reference!("Use `read_packages` to pull, add `write_packages` to push, `delete_packages` to delete."),
        docs: DOCS,
    },
    Rule {
        id: "KS406",
        name: reference!("matcher-unknown"),
        severity: Severity::Error,
        summary: reference!("A claim rule uses a matcher other than `equals`, `not_equals`, `in`, `not_in`, `matches`."),
        why: reference!("Only these five matchers exist; anything else (`regex`, `equal`, `contains`) is rejected."),
        example: reference!("build_branch:\n  regex: ^main$"),
        fix: reference!("Use one of the five matchers; `matches` takes globs (`*`, `?`), not regular expressions."),
        docs: DOCS,
    },
    Rule {
        id: "KS407",
        name: reference!("matcher-argument"),
        severity: Severity::Error,
        summary: reference!("A matcher's argument has the wrong type."),
        why: reference!("`equals`/`not_equals` take one scalar, `in`/`not_in` a list of scalars, `matches` a glob string or a list of globs."),
        example: reference!("pipeline_slug:\n  in: one-pipeline"),
        fix: reference!("Write `in: [one-pipeline]` (a list), or use `equals` for a single value."),
        docs: DOCS,
    },
    Rule {
        id: "KS408",
        name: reference!("issuer-unknown"),
        severity: Severity::Warning,
        summary: reference!("A statement's issuer is not one the registry supports out of the box."),
        why: reference!("Supported issuers are `https://agent.buildkite.com`, `https://token.actions.githubusercontent.com` and `https://oidc.circleci.com/org/…`; others need Buildkite support, and a typo (`http://`, trailing slash) never matches."),
        example: reference!("iss: https://agent.buildkite.com/"),
        fix: reference!("Use the issuer exactly as the token's `iss` claim has it, e.g. `https://agent.buildkite.com`."),
        docs: DOCS,
    },
    Rule {
        id: "KS409",
        name: reference!("rule-contradiction"),
        severity: Severity::Error,
        summary: reference!("A claim rule can never hold (e.g. `equals: main` with `not_equals: main`, or an empty `in`)."),
        why: reference!("A statement with a rule that never holds never matches, so it grants nothing."),
        example: reference!("build_branch:\n  equals: main\n  not_equals: main"),
        fix: reference!("Remove the matcher that contradicts the others."),
        docs: DOCS,
    },
    Rule {
        id: "KS410",
        name: reference!("statement-shadowed"),
        severity: Severity::Warning,
        summary: reference!("An earlier statement matches every token a later one matches but grants fewer scopes."),
        why: reference!("The first matching statement wins and only its scopes are granted, so the later statement's extra scopes are never given."),
        example: reference!("- {iss: https://agent.buildkite.com, scopes: [read_packages], claims: {organization_slug: acme}}\n- {iss: https://agent.buildkite.com, scopes: [read_packages, write_packages], claims: {organization_slug: acme, build_branch: main}}"),
        fix: reference!("Move the more specific statement above the general one."),
        docs: DOCS,
    },
    Rule {
        id: "KS411",
        name: reference!("no-write-scope"),
        severity: Severity::Warning,
        summary: reference!("No statement grants `write_packages`, so no OIDC token can push."),
        why: reference!("Kaniko pushes need `write_packages`; with this policy every push fails with 401/403 even with the right audience."),
        example: reference!("- iss: https://agent.buildkite.com\n  scopes: [read_packages]"),
        fix: reference!("Add `write_packages` to the statement that matches your build pipeline."),
        docs: DOCS,
    },
    Rule {
        id: "KS412",
        name: reference!("statement-unpinned"),
        severity: Severity::Warning,
        summary: reference!("A Buildkite agent statement does not restrict `organization_slug`."),
        why: reference!("Every Buildkite organization's agents get tokens from the same issuer; without `organization_slug` any organization's pipeline matching the other claims can use the registry."),
        example: reference!("- iss: https://agent.buildkite.com\n  scopes: [read_packages]\n  claims:\n    pipeline_slug: app"),
        fix: reference!("Add `organization_slug: <your-org>` to the statement's claims."),
        docs: DOCS,
    },
    Rule {
        id: "KS413",
        name: reference!("glob-looks-like-regex"),
        severity: Severity::Warning,
        summary: reference!("A `matches` pattern looks like a regular expression."),
        why: reference!("`matches` takes globs: `*` is any run of characters and `?` one character; `^`, `$`, `.*`, `\\d` and `[...]` are matched literally, so the pattern probably never matches."),
        example: reference!("build_branch:\n  matches: ^release/.*$"),
        fix: reference!("Write a glob, e.g. `release/*`."),
        docs: DOCS,
    },
    Rule {
        id: "KS414",
        name: reference!("policy-empty"),
        severity: Severity::Error,
        summary: reference!("The policy has no statements."),
        why: reference!("With no statements no OIDC token is accepted."),
        example: reference!("[]"),
        fix: reference!("Add a statement for your pipeline (see the example in the docs link)."),
        docs: DOCS,
    },
    Rule {
        id: "KS415",
        name: reference!("policy-duplicate-key"),
        severity: Severity::Error,
        summary: reference!("A key appears twice in the same mapping."),
        why: reference!("Parsers keep only one of the two values, so one of the conditions you wrote is silently dropped."),
        example: reference!("claims:\n  build_branch: main\n  build_branch: release"),
        fix: reference!("Keep one entry; to allow several values use `in: [main, release]`."),
        docs: DOCS,
    },
    Rule {
        id: "KS416",
        name: reference!("not-a-policy"),
        severity: Severity::Error,
        summary: reference!("The text is not an OIDC policy but another kind of document: a pipeline, a build configuration, a Docker config.json, a Kubernetes manifest, a token or a build log."),
        why: reference!("Read as a policy, such a text only gives shape errors (not a list of statements) that hide what is really wrong: it was given to the wrong check."),
        example: reference!("steps:\n  - command: make"),
        fix: reference!("Check the text with the command or troubleshooter tab the message names, and give the policy check the registry's policy."),
        docs: DOCS,
    },
    Rule {
        id: "KS420",
        name: reference!("no-statement-matches"),
        severity: Severity::Error,
        summary: reference!("No statement of the policy matches the token's claims."),
        why: reference!("The registry rejects a token that matches no statement (401/403), even when its audience is right."),
        example: reference!("claims: {build_branch: feature/x} against `build_branch: main`"),
        fix: reference!("Change the claim the report names, or add a statement that allows it."),
        docs: DOCS,
    },
    Rule {
        id: "KS421",
        name: reference!("matched-without-write"),
        severity: Severity::Warning,
        summary: reference!("The statement that matches the token does not grant `write_packages`."),
        why: reference!("The first matching statement wins; without `write_packages` the token can pull but every push fails."),
        example: reference!("first match grants [read_packages] only"),
        fix: reference!("Add `write_packages` to that statement, or move a statement granting it above."),
        docs: DOCS,
    },
    Rule {
        id: "KS422",
        name: reference!("claims-input"),
        severity: Severity::Error,
        summary: reference!("The claims to evaluate are not a JSON object, or the token could not be decoded."),
        why: reference!("Evaluation needs the token's claims: a JSON object such as `{\"iss\": …, \"organization_slug\": …}` or a JWT."),
        example: reference!("eyJhbGciOi (truncated token)"),
        fix: reference!("Pass the whole token (three dot-separated parts) or a JSON object of claims."),
        docs: DOCS,
    },
];

fn rule(id: &str) -> &'static Rule {
    crate::rules::by_id(RULES, id)
}

/// A scalar value in a policy or a claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
}

impl Scalar {
    fn from_node(node: &Node) -> Option<Scalar> {
        let text = node.as_str()?;
        Some(match node.scalar_type()? {
            ScalarType::Null => Scalar::Null,
            ScalarType::Bool => Scalar::Bool(text.eq_ignore_ascii_case("true")),
            ScalarType::Int | ScalarType::Float => match parse_number(text) {
                Some(n) => Scalar::Number(n),
                None => Scalar::String(text.to_string()),
            },
            ScalarType::Str => Scalar::String(text.to_string()),
        })
    }

    fn from_json(value: &serde_json::Value) -> Option<Scalar> {
        Some(match value {
            serde_json::Value::Null => Scalar::Null,
            serde_json::Value::Bool(b) => Scalar::Bool(*b),
            serde_json::Value::Number(n) => Scalar::Number(n.as_f64()?),
            serde_json::Value::String(s) => Scalar::String(s.clone()),
            _ => return None,
        })
    }

    /// The value as the user would write it (strings quoted).
    pub fn display(&self) -> String {
        match self {
            Scalar::Null => "null".into(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Number(n) => n.to_string(),
            Scalar::String(s) => format!("\"{}\"", crate::audience::shorten(s)),
        }
    }
}

fn parse_number(text: &str) -> Option<f64> {
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(|n| n as f64);
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(|n| n as f64);
    }
    text.parse::<f64>().ok()
}

/// One matcher of a claim rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "matcher", content = "value", rename_all = "snake_case")]
pub enum Matcher {
    Equals(Scalar),
    NotEquals(Scalar),
    In(Vec<Scalar>),
    NotIn(Vec<Scalar>),
    Matches(Vec<String>),
}

/// A claim rule: all matchers must hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimRule {
    pub claim: String,
    pub matchers: Vec<Matcher>,
    pub span: Span,
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// 1-based position in the list.
    pub number: usize,
    pub iss: Option<String>,
    /// Where `iss` is (the statement's start when it is missing).
    pub iss_span: Span,
    pub scopes: Vec<String>,
    pub claims: Vec<ClaimRule>,
    pub span: Span,
}

/// A parsed policy.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Policy {
    pub statements: Vec<Statement>,
}

/// Parse and check a policy. The policy holds every statement that could be read, even
/// when diagnostics report problems in others.
pub fn check_policy(text: &str) -> (Policy, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            diags.push(rule("KS414").diag("The policy is empty.", "Add at least one statement.").with_span(Span::point(1, 1)));
            return (Policy::default(), diags);
        }
        Err(err) => {
            let d = other_document(text).unwrap_or_else(|| {
                rule("KS400")
                    .diag(format!("The policy is not valid YAML or JSON: {}.", err.message), "Fix the syntax at this position.")
                    .with_span(err.span)
            });
            diags.push(d);
            return (Policy::default(), diags);
        }
    };
    // A pipeline, a configuration …: one finding that names its check, not shape errors.
    if let Some(d) = other_document(text) {
        diags.push(d);
        return (Policy::default(), diags);
    }
    check_yaml_features(&root, &mut diags);
    let Some(items) = root.as_seq() else {
        let fix = if root.get("iss").is_some() {
            "The policy must be a list: put `- ` before `iss` and indent the rest of the statement under it."
        } else {
            "Write the policy as a list of statements, each with `iss`, `scopes` and `claims`."
        };
        diags.push(rule("KS401").diag(format!("The policy is {}, not a list of statements.", root.describe()), fix).with_span(root.span));
        return (Policy::default(), diags);
    };
    if items.is_empty() {
        diags.push(rule("KS414").diag("The policy is an empty list.", "Add at least one statement.").with_span(root.span));
    }
    let mut policy = Policy::default();
    for (i, item) in items.iter().enumerate() {
        if let Some(st) = read_statement(i + 1, item, &mut diags) {
            policy.statements.push(st);
        }
    }
    check_contradictions(&policy, &mut diags);
    check_shadowing(&policy, &mut diags);
    if !policy.statements.is_empty() && !policy.statements.iter().any(|s| s.scopes.iter().any(|x| x == "write_packages")) {
        diags.push(
            rule("KS411")
                .diag(
                    "No statement grants `write_packages`: tokens can pull from this registry but never push.",
                    "Add `write_packages` to the `scopes` of the statement that matches your build pipeline.",
                )
                .with_span(root.span),
        );
    }
    diags.sort_by_key(|d| d.span.map(|s| (s.line, s.col)));
    (policy, diags)
}

/// KS416 when `text` is recognisably another kind of document than a policy.
fn other_document(text: &str) -> Option<Diagnostic> {
    crate::document::given_instead_of(crate::document::DocumentKind::OidcPolicy, text, rule("KS416"))
}

fn check_yaml_features(root: &Node, diags: &mut Vec<Diagnostic>) {
    yaml::walk(root, |n| {
        let what = if n.kind == NodeKind::Alias {
            Some("an alias (`*name`)".to_string())
        } else if n.anchored {
            Some("an anchor (`&name`)".to_string())
        } else {
            n.tag.as_ref().map(|t| format!("the tag `{t}`"))
        };
        if let Some(what) = what {
            diags.push(
                rule("KS402")
                    .diag(
                        format!("The policy uses {what}; OIDC policies accept only plain scalars, mappings and lists."),
                        "Write the value out in full instead of using anchors, aliases or tags.",
                    )
                    .with_span(n.span),
            );
        }
        if let Some(entries) = n.as_map() {
            for (i, (k, _)) in entries.iter().enumerate() {
                let Some(key) = k.as_str() else { continue };
                let earlier = entries.iter().take(i).find(|(e, _)| e.as_str() == Some(key));
                if let Some((e, _)) = earlier {
                    diags.push(
                        rule("KS415")
                            .diag(
                                format!("`{}` appears twice in this mapping (first at line {}).", crate::audience::shorten(key), e.span.line),
                                "Keep one entry; to allow several values use `in: [a, b]`.",
                            )
                            .with_span(k.span),
                    );
                }
            }
        }
    });
}

fn read_statement(number: usize, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Statement> {
    let Some(entries) = node.as_map() else {
        diags.push(
            rule("KS401")
                .diag(
                    format!("Statement {number} is {}, not a mapping with `iss`, `scopes` and `claims`.", node.describe()),
                    "Write the statement as `iss: …`, `scopes: [...]` and `claims: {...}` under the `- `.",
                )
                .with_span(node.span),
        );
        return None;
    };
    let mut st = Statement { number, iss: None, iss_span: node.get("iss").map_or(node.span, |n| n.span), scopes: Vec::new(), claims: Vec::new(), span: node.span };
    for (k, v) in entries {
        let key = k.as_str().unwrap_or("");
        match key {
            "iss" => st.iss = read_issuer(number, v, diags),
            "scopes" => st.scopes = read_scopes(number, v, diags),
            "claims" => st.claims = read_claims(number, v, diags),
            _ => {
                let fix = if matches!(key, "aud" | "audience") {
                    "Remove it: policies have no audience. The token's `aud` must equal `https://packages.buildkite.com/{org}/{registry}`, which is set with `--audience` when the token is requested.".to_string()
                } else {
                    match closest(key, STATEMENT_KEYS) {
                        Some(s) => format!("Did you mean `{s}`?"),
                        None => "Remove it; a statement has only `iss`, `scopes` and `claims`.".to_string(),
                    }
                };
                diags.push(
                    rule("KS404")
                        .diag(format!("Statement {number} has an unknown key `{}`.", crate::audience::shorten(key)), fix)
                        .with_span(k.span),
                );
            }
        }
    }
    for (key, example) in [
        ("iss", "`iss: https://agent.buildkite.com`"),
        ("scopes", "`scopes: [read_packages, write_packages]`"),
        ("claims", "`claims: {organization_slug: your-org, pipeline_slug: your-pipeline}`"),
    ] {
        if node.get(key).is_none() {
            let why = if key == "claims" { " Without claims it accepts every token from its issuer, from any organization." } else { "" };
            diags.push(
                rule("KS403")
                    .diag(format!("Statement {number} has no `{key}`.{why}"), format!("Add {example}."))
                    .with_span(node.span),
            );
        }
    }
    if st.iss.as_deref() == Some(AGENT_ISSUER) && node.get("claims").is_some_and(|c| c.as_map().is_some()) && !st.claims.iter().any(|c| c.claim == "organization_slug") {
        diags.push(
            rule("KS412")
                .diag(
                    format!("Statement {number} accepts Buildkite agent tokens without checking `organization_slug`: pipelines of any organization that match its other claims can use this registry."),
                    "Add `organization_slug: <your-org-slug>` to its claims.",
                )
                .with_span(node.get("claims").map_or(node.span, |c| c.span)),
        );
    }
    Some(st)
}

fn read_issuer(number: usize, v: &Node, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let Some(iss) = v.as_str().filter(|_| v.scalar_type() == Some(ScalarType::Str)) else {
        diags.push(
            rule("KS407")
                .diag(format!("Statement {number}: `iss` is {}, not an issuer URL.", v.describe()), "Write `iss: https://agent.buildkite.com`.")
                .with_span(v.span),
        );
        return None;
    };
    let known = KNOWN_ISSUERS.contains(&iss) || iss.starts_with("https://oidc.circleci.com/org/");
    if !known {
        let trimmed = iss.trim().trim_end_matches('/').replacen("http://", "https://", 1);
        let fix = match KNOWN_ISSUERS.iter().find(|k| k.eq_ignore_ascii_case(&trimmed)) {
            Some(k) => format!("Write `iss: {k}` exactly: issuers are compared as strings."),
            None => format!(
                "Check the `iss` claim of a real token; Buildkite agent tokens have `{AGENT_ISSUER}`. Other issuers need Buildkite support to be enabled."
            ),
        };
        diags.push(
            rule("KS408")
                .diag(format!("Statement {number}: the issuer `{}` is not one Package Registries supports by default.", crate::audience::shorten(iss)), fix)
                .with_span(v.span),
        );
    }
    Some(iss.to_string())
}

fn read_scopes(number: usize, v: &Node, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let items: Vec<&Node> = match &v.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        NodeKind::Scalar { .. } => {
            diags.push(
                rule("KS407")
                    .diag(
                        format!("Statement {number}: `scopes` is {}, not a list.", v.describe()),
                        format!("Write `scopes: [{}]`.", v.as_str().unwrap_or("read_packages")),
                    )
                    .with_span(v.span),
            );
            vec![v]
        }
        _ => {
            diags.push(
                rule("KS407")
                    .diag(format!("Statement {number}: `scopes` is {}, not a list.", v.describe()), "Write `scopes: [read_packages, write_packages]`.")
                    .with_span(v.span),
            );
            return Vec::new();
        }
    };
    if items.is_empty() {
        diags.push(
            rule("KS403")
                .diag(format!("Statement {number} grants no scopes."), "Add `read_packages` (pull) and `write_packages` (push).")
                .with_span(v.span),
        );
    }
    let mut out = Vec::new();
    for item in items {
        let s = item.as_str().unwrap_or("");
        if SCOPES.contains(&s) {
            out.push(s.to_string());
            continue;
        }
        let lower = s.to_ascii_lowercase();
        let guess = if lower.contains("write") || lower.contains("push") {
            Some("write_packages")
        } else if lower.contains("read") || lower.contains("pull") {
            Some("read_packages")
        } else if lower.contains("delete") {
            Some("delete_packages")
        } else {
            closest(s, SCOPES)
        };
        let fix = match guess {
            Some(g) => format!("Did you mean `{g}`? The only scopes are `read_packages`, `write_packages` and `delete_packages`."),
            None => "Use `read_packages`, `write_packages` or `delete_packages`.".to_string(),
        };
        diags.push(
            rule("KS405")
                .diag(format!("Statement {number}: `{}` is not a scope.", crate::audience::shorten(s)), fix)
                .with_span(item.span),
        );
    }
    out
}

fn read_claims(number: usize, v: &Node, diags: &mut Vec<Diagnostic>) -> Vec<ClaimRule> {
    if v.kind == NodeKind::Alias {
        return Vec::new(); // already reported as KS402
    }
    let Some(entries) = v.as_map() else {
        diags.push(
            rule("KS407")
                .diag(
                    format!("Statement {number}: `claims` is {}, not a mapping of claim names to rules.", v.describe()),
                    "Write `claims:` followed by indented `claim_name: value` lines.",
                )
                .with_span(v.span),
        );
        return Vec::new();
    };
    if entries.is_empty() {
        diags.push(
            rule("KS403")
                .diag(format!("Statement {number} has empty `claims`: it accepts every token from its issuer, from any organization."), "Add at least `organization_slug` and `pipeline_slug`.")
                .with_span(v.span),
        );
    }
    let mut out = Vec::new();
    for (k, rule_node) in entries {
        let claim = k.as_str().unwrap_or("").to_string();
        let matchers = read_rule(number, &claim, rule_node, diags);
        out.push(ClaimRule { claim, matchers, span: k.span });
    }
    out
}

fn scalar_arg(number: usize, claim: &str, matcher: &str, v: &Node, diags: &mut Vec<Diagnostic>) -> Option<Scalar> {
    let s = Scalar::from_node(v);
    if s.is_none() {
        let fix = if matches!(v.kind, NodeKind::Seq(_)) {
            format!("For several values use `{}`.", if matcher == "not_equals" { "not_in" } else { "in" })
        } else {
            "Give a single string, number, boolean or null.".to_string()
        };
        diags.push(
            rule("KS407")
                .diag(format!("Statement {number}, claim `{claim}`: `{matcher}` takes one scalar, but here it is {}.", v.describe()), fix)
                .with_span(v.span),
        );
    }
    s
}

fn list_arg(number: usize, claim: &str, matcher: &str, v: &Node, diags: &mut Vec<Diagnostic>) -> Option<Vec<Scalar>> {
    match &v.kind {
        NodeKind::Seq(items) => {
            let mut out = Vec::new();
            for item in items {
                match Scalar::from_node(item) {
                    Some(s) => out.push(s),
                    None => diags.push(
                        rule("KS407")
                            .diag(format!("Statement {number}, claim `{claim}`: the items of `{matcher}` must be scalars, but this is {}.", item.describe()), "Flatten the list.")
                            .with_span(item.span),
                    ),
                }
            }
            Some(out)
        }
        NodeKind::Scalar { value, .. } => {
            let single = if matcher == "in" { "equals" } else { "not_equals" };
            diags.push(
                rule("KS407")
                    .diag(format!("Statement {number}, claim `{claim}`: `{matcher}` takes a list, but here it is {}.", v.describe()), format!("Write `{matcher}: [{value}]`, or `{single}: {value}`."))
                    .with_span(v.span),
            );
            None
        }
        _ => {
            diags.push(
                rule("KS407")
                    .diag(format!("Statement {number}, claim `{claim}`: `{matcher}` takes a list of scalars, but here it is {}.", v.describe()), format!("Write `{matcher}: [a, b]`."))
                    .with_span(v.span),
            );
            None
        }
    }
}

fn glob_arg(number: usize, claim: &str, v: &Node, diags: &mut Vec<Diagnostic>) -> Option<Vec<String>> {
    let nodes: Vec<&Node> = match &v.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        _ => vec![v],
    };
    let mut out = Vec::new();
    for n in nodes {
        match n.as_str().filter(|_| n.scalar_type() == Some(ScalarType::Str)) {
            Some(g) => {
                if looks_like_regex(g) {
                    diags.push(
                        rule("KS413")
                            .diag(
                                format!("Statement {number}, claim `{claim}`: `{}` looks like a regular expression, but `matches` takes globs.", crate::audience::shorten(g)),
                                format!("Write a glob: `*` is any run of characters, `?` one character{}.", regex_to_glob(g).map(|s| format!(", e.g. `{s}`")).unwrap_or_default()),
                            )
                            .with_span(n.span),
                    );
                }
                out.push(g.to_string());
            }
            None => diags.push(
                rule("KS407")
                    .diag(format!("Statement {number}, claim `{claim}`: `matches` takes glob strings, but this is {}.", n.describe()), "Quote the pattern, or use `equals` for non-string values.")
                    .with_span(n.span),
            ),
        }
    }
    Some(out)
}

fn looks_like_regex(g: &str) -> bool {
    g.starts_with('^') || g.ends_with('$') || g.contains(".*") || g.contains(".+") || g.contains("\\d") || g.contains("\\w") || g.contains('|') || (g.contains('[') && g.contains(']')) || g.contains("(?")
}

fn regex_to_glob(g: &str) -> Option<String> {
    let s = g.trim_start_matches('^').trim_end_matches('$').replace(".*", "*").replace(".+", "?*").replace("\\.", ".");
    (!s.is_empty() && !looks_like_regex(&s)).then_some(s)
}

fn read_rule(number: usize, claim: &str, v: &Node, diags: &mut Vec<Diagnostic>) -> Vec<Matcher> {
    match &v.kind {
        NodeKind::Scalar { .. } => Scalar::from_node(v).map(Matcher::Equals).into_iter().collect(),
        NodeKind::Seq(_) => {
            diags.push(
                rule("KS407")
                    .diag(
                        format!("Statement {number}, claim `{claim}`: a bare list is not a rule."),
                        "Write `in: [a, b]` for any of several values, or `matches: [a/*, b]` for globs.",
                    )
                    .with_span(v.span),
            );
            Vec::new()
        }
        NodeKind::Alias => Vec::new(),
        NodeKind::Map(entries) => {
            let mut out = Vec::new();
            if entries.is_empty() {
                diags.push(
                    rule("KS407")
                        .diag(format!("Statement {number}, claim `{claim}`: the rule has no matchers."), "Give a value, e.g. `equals: main`.")
                        .with_span(v.span),
                );
            }
            for (k, arg) in entries {
                let m = k.as_str().unwrap_or("");
                let parsed = match m {
                    "equals" => scalar_arg(number, claim, m, arg, diags).map(Matcher::Equals),
                    "not_equals" => scalar_arg(number, claim, m, arg, diags).map(Matcher::NotEquals),
                    "in" => list_arg(number, claim, m, arg, diags).map(Matcher::In),
                    "not_in" => list_arg(number, claim, m, arg, diags).map(Matcher::NotIn),
                    "matches" => glob_arg(number, claim, arg, diags).map(Matcher::Matches),
                    _ => {
                        let guess = match m {
                            "regex" | "pattern" | "glob" | "like" | "match" | "starts_with" | "contains" => Some("matches"),
                            "equal" | "eq" | "is" | "value" => Some("equals"),
                            "not" | "ne" | "not_equal" => Some("not_equals"),
                            "one_of" | "any_of" | "oneOf" | "anyOf" => Some("in"),
                            _ => closest(m, MATCHERS),
                        };
                        let fix = match guess {
                            Some(g) => format!("Did you mean `{g}`? Matchers are `equals`, `not_equals`, `in`, `not_in` and `matches` (globs)."),
                            None => "Use `equals`, `not_equals`, `in`, `not_in` or `matches` (globs).".to_string(),
                        };
                        diags.push(
                            rule("KS406")
                                .diag(format!("Statement {number}, claim `{claim}`: `{}` is not a matcher.", crate::audience::shorten(m)), fix)
                                .with_span(k.span),
                        );
                        None
                    }
                };
                out.extend(parsed);
            }
            out
        }
    }
}

fn check_contradictions(policy: &Policy, diags: &mut Vec<Diagnostic>) {
    for st in &policy.statements {
        for cr in &st.claims {
            if let Some(reason) = contradiction(&cr.matchers) {
                diags.push(
                    rule("KS409")
                        .diag(
                            format!("Statement {}, claim `{}`: {reason}, so this statement never matches.", st.number, cr.claim),
                            "Remove the matcher that contradicts the others.",
                        )
                        .with_span(cr.span),
                );
            }
        }
    }
}

/// Why a rule can never hold, if it cannot.
fn contradiction(matchers: &[Matcher]) -> Option<String> {
    for m in matchers {
        if let Matcher::In(list) = m
            && list.is_empty()
        {
            return Some("`in` is an empty list".to_string());
        }
        if let Matcher::Matches(globs) = m
            && globs.is_empty()
        {
            return Some("`matches` is an empty list".to_string());
        }
    }
    // The candidate values the rule allows: from `equals`, else from `in`.
    let candidates: Vec<&Scalar> = matchers
        .iter()
        .find_map(|m| match m {
            Matcher::Equals(v) => Some(vec![v]),
            _ => None,
        })
        .or_else(|| {
            matchers.iter().find_map(|m| match m {
                Matcher::In(list) => Some(list.iter().collect()),
                _ => None,
            })
        })?;
    if candidates.iter().any(|c| rule_failure(matchers, c).is_none()) {
        return None;
    }
    let first = candidates.first()?;
    let why = rule_failure(matchers, first).unwrap_or_default();
    if candidates.len() == 1 {
        Some(format!("the only value it allows, {}, fails another matcher ({why})", first.display()))
    } else {
        Some("every value `in` allows is excluded by another matcher".to_string())
    }
}

/// The scopes `later` grants and `earlier` does not, when `earlier` matches every token that
/// `later` matches (same issuer, claims implied), so that those scopes are never granted.
fn shadowed_scopes<'s>(earlier: &Statement, later: &'s Statement) -> Option<Vec<&'s String>> {
    if earlier.iss.is_none() || earlier.iss != later.iss {
        return None;
    }
    let extra: Vec<&String> = later.scopes.iter().filter(|s| !earlier.scopes.contains(s)).collect();
    (!extra.is_empty() && implies(later, earlier)).then_some(extra)
}

fn check_shadowing(policy: &Policy, diags: &mut Vec<Diagnostic>) {
    for (j, later) in policy.statements.iter().enumerate() {
        for earlier in policy.statements.iter().take(j) {
            let Some(extra) = shadowed_scopes(earlier, later) else { continue };
            let extra: Vec<String> = extra.iter().map(|s| format!("`{s}`")).collect();
            diags.push(
                rule("KS410")
                    .diag(
                        format!(
                            "Statement {} is shadowed by statement {} (line {}): every token it matches also matches statement {}, which comes first and does not grant {}.",
                            later.number, earlier.number, earlier.span.line, earlier.number, extra.join(", ")
                        ),
                        format!("Move statement {} above statement {}.", later.number, earlier.number),
                    )
                    .with_span(later.span),
            );
            break;
        }
    }
}

/// Sound, conservative: true only when every token matching `a` surely matches `b`.
/// Every claim rule of `b` must appear in `a` with the same matchers, or `a` must pin the
/// claim to values (`equals`, `in`) that all pass `b`'s rule.
fn implies(a: &Statement, b: &Statement) -> bool {
    b.claims.iter().all(|rb| {
        a.claims.iter().filter(|ra| ra.claim == rb.claim).any(|ra| {
            if ra.matchers == rb.matchers {
                return true;
            }
            let pinned: Option<Vec<&Scalar>> = ra.matchers.iter().find_map(|m| match m {
                Matcher::Equals(v) => Some(vec![v]),
                Matcher::In(list) => Some(list.iter().collect()),
                _ => None,
            });
            pinned.is_some_and(|vals| !vals.is_empty() && vals.iter().all(|v| rule_failure(&rb.matchers, v).is_none()))
        })
    })
}

/// Glob match: `*` any run of characters (including none), `?` exactly one; everything
/// else literal. Two pointers with one backtrack point: at worst O(pattern × text), never
/// exponential (`*a*a…*b` against 20 000 characters takes milliseconds).
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || Some(&c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.iter().skip(pi).all(|&c| c == '*')
}

fn same_text_other_type(a: &Scalar, b: &Scalar) -> bool {
    std::mem::discriminant(a) != std::mem::discriminant(b) && a.display().trim_matches('"') == b.display().trim_matches('"')
}

fn scalar_eq(a: &Scalar, b: &Scalar) -> bool {
    match (a, b) {
        (Scalar::Number(x), Scalar::Number(y)) => x == y,
        _ => a == b,
    }
}

/// Why `value` fails the rule, or `None` when it passes.
fn rule_failure(matchers: &[Matcher], value: &Scalar) -> Option<String> {
    let list = |l: &[Scalar]| l.iter().map(Scalar::display).collect::<Vec<_>>().join(", ");
    for m in matchers {
        let fail = match m {
            Matcher::Equals(x) => (!scalar_eq(value, x)).then(|| {
                let typed = if same_text_other_type(value, x) { " (one is a number, the other a string)" } else { "" };
                format!("value {} is not equal to {}{typed}", value.display(), x.display())
            }),
            Matcher::NotEquals(x) => scalar_eq(value, x).then(|| format!("value {} is excluded by `not_equals`", value.display())),
            Matcher::In(l) => (!l.iter().any(|x| scalar_eq(value, x))).then(|| format!("value {} is not in [{}]", value.display(), list(l))),
            Matcher::NotIn(l) => l.iter().any(|x| scalar_eq(value, x)).then(|| format!("value {} is in the `not_in` list [{}]", value.display(), list(l))),
            Matcher::Matches(globs) => match value {
                Scalar::String(s) if !globs.iter().any(|g| glob_matches(g, s)) => {
                    let g: Vec<String> = globs.iter().map(|g| format!("`{g}`")).collect();
                    Some(format!("value {} does not match the glob {}", value.display(), g.join(" or ")))
                }
                _ => None,
            },
        };
        if fail.is_some() {
            return fail;
        }
    }
    None
}

/// Why one claim failed a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimFailure {
    /// The claim name (`iss` for an issuer mismatch).
    pub claim: String,
    pub reason: String,
    /// Where the rule is in the policy.
    pub span: Span,
}

/// The outcome for one statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementResult {
    pub number: usize,
    pub matched: bool,
    pub failures: Vec<ClaimFailure>,
    pub span: Span,
}

/// The outcome of evaluating a policy against claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// The first statement that matches (1-based), if any.
    pub matched: Option<usize>,
    /// The scopes granted (those of the first matching statement).
    pub scopes: Vec<String>,
    /// Every statement's outcome, in order.
    pub statements: Vec<StatementResult>,
}

/// Evaluate a policy against a token's claims (a JSON object). Diagnostics say when no
/// statement matches or the match cannot push.
pub fn evaluate(policy: &Policy, claims: &serde_json::Map<String, serde_json::Value>) -> (Evaluation, Vec<Diagnostic>) {
    let mut results = Vec::new();
    for st in &policy.statements {
        let mut failures = Vec::new();
        let token_iss = claims.get("iss").and_then(|v| v.as_str());
        match (&st.iss, token_iss) {
            (Some(want), Some(got)) if want == got => {}
            (Some(want), got) => failures.push(ClaimFailure {
                claim: "iss".into(),
                reason: match got {
                    Some(got) => format!("issuer differs: the token's is \"{}\", the statement wants \"{}\"", crate::audience::shorten(got), crate::audience::shorten(want)),
                    None => "the token has no `iss` claim".into(),
                },
                span: st.iss_span,
            }),
            (None, _) => failures.push(ClaimFailure { claim: "iss".into(), reason: "the statement has no valid `iss`".into(), span: st.span }),
        }
        for cr in &st.claims {
            let reason = match claims.get(&cr.claim) {
                None => Some("missing claim: the token does not have it".to_string()),
                Some(v) => match Scalar::from_json(v) {
                    Some(value) => rule_failure(&cr.matchers, &value),
                    None => {
                        let only_globs = cr.matchers.iter().all(|m| matches!(m, Matcher::Matches(_)));
                        (!only_globs).then(|| format!("the token's value is a JSON {}, not a scalar", if v.is_array() { "array" } else { "object" }))
                    }
                },
            };
            if let Some(reason) = reason {
                failures.push(ClaimFailure { claim: cr.claim.clone(), reason, span: cr.span });
            }
        }
        results.push(StatementResult { number: st.number, matched: failures.is_empty(), failures, span: st.span });
    }
    let first = policy.statements.iter().zip(&results).find(|(_, r)| r.matched).map(|(s, _)| s);
    let mut diags = Vec::new();
    match first {
        None => {
            let msg = if policy.statements.is_empty() {
                "The policy has no statements, so no token is accepted.".to_string()
            } else {
                "No statement matches these claims: the registry rejects the token (401/403).".to_string()
            };
            diags.push(rule("KS420").diag(msg, "See why each statement failed in the evaluation; change the claim named there, or add a statement that allows it."));
        }
        Some(st) if !st.scopes.iter().any(|s| s == "write_packages") => {
            let later = policy
                .statements
                .iter()
                .zip(&results)
                .find(|(s, r)| r.matched && s.number > st.number && s.scopes.iter().any(|x| x == "write_packages"))
                .map(|(s, _)| s);
            let fix = match later {
                // The policy check's KS410 already says to move it: say why, not the same again.
                Some(l) if shadowed_scopes(st, l).is_some() => format!(
                    "Statement {n} grants `write_packages` but can never match first: statement {} matches every token statement {n} matches (KS410 gives the fix).",
                    st.number,
                    n = l.number
                ),
                Some(l) => format!(
                    "Statement {n} also matches this token and grants `write_packages`, but the first match wins: move statement {n} above statement {}.",
                    st.number,
                    n = l.number
                ),
                None => format!("Add `write_packages` to statement {}, or add a statement that grants it above.", st.number),
            };
            diags.push(
                rule("KS421")
                    .diag(format!("Statement {} matches first but does not grant `write_packages`: this token can pull but not push.", st.number), fix)
                    .with_span(st.span),
            );
        }
        Some(_) => {}
    }
    (Evaluation { matched: first.map(|s| s.number), scopes: first.map(|s| s.scopes.clone()).unwrap_or_default(), statements: results }, diags)
}

/// The claims of a JWT (header.payload.signature), decoded **without verifying the
/// signature**. Accepts a `Bearer ` prefix, quotes and surrounding whitespace. For the full
/// token report (dates, audience checks) see [`crate::token::inspect_token`].
///
/// # Errors
/// A diagnostic saying what is wrong with the token.
pub fn jwt_claims(token: &str) -> Result<serde_json::Map<String, serde_json::Value>, Box<Diagnostic>> {
    let t = token.trim().trim_matches(['"', '\'']).trim();
    let t = t.strip_prefix("Bearer ").or_else(|| t.strip_prefix("bearer ")).unwrap_or(t).trim();
    // A token pasted across lines (a terminal or a chat wraps it) is still one token.
    let t: String = t.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let parts: Vec<&str> = t.split('.').collect();
    let fail = |msg: String| Box::new(rule("KS422").diag(msg, "Pass the whole token: three base64url parts separated by dots, as printed by `buildkite-agent oidc request-token`."));
    let [_, payload, _] = parts.as_slice() else {
        return Err(fail(format!("The token has {} dot-separated parts; a JWT has 3.", parts.len())));
    };
    let bytes = crate::token::base64url_decode(payload).map_err(|_| fail("The token's claims are not valid base64url.".into()))?;
    claims_from_json(&String::from_utf8_lossy(&bytes))
}

/// Claims from a JSON object.
///
/// # Errors
/// A diagnostic when the text is not a JSON object.
pub fn claims_from_json(text: &str) -> Result<serde_json::Map<String, serde_json::Value>, Box<Diagnostic>> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(other) => Err(Box::new(rule("KS422").diag(
            format!("The claims are a JSON {}, not an object.", json_kind(&other)),
            "Pass a JSON object such as {\"iss\": \"https://agent.buildkite.com\", \"organization_slug\": \"acme\"}.",
        ))),
        Err(e) => Err(Box::new(rule("KS422").diag(format!("The claims are not valid JSON: {e}."), "Pass a JSON object of claims, or a JWT."))),
    }
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Array(_) => "array",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Null => "null",
        serde_json::Value::Object(_) => "object",
    }
}

/// The closest candidate within a small edit distance, for "did you mean" hints.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .iter()
        .map(|c| (edit_distance(&word.to_ascii_lowercase(), c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    let at = |i: usize, j: usize| i * w + j;
    for i in 0..=a.len() {
        if let Some(x) = d.get_mut(at(i, 0)) {
            *x = i;
        }
    }
    for j in 0..=b.len() {
        if let Some(x) = d.get_mut(at(0, j)) {
            *x = j;
        }
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a.get(i - 1) != b.get(j - 1));
            let get = |k: usize| d.get(k).copied().unwrap_or(usize::MAX / 2);
            let mut v = (get(at(i - 1, j)) + 1).min(get(at(i, j - 1)) + 1).min(get(at(i - 1, j - 1)) + cost);
            if i > 1 && j > 1 && a.get(i - 1) == b.get(j - 2) && a.get(i - 2) == b.get(j - 1) {
                v = v.min(get(at(i - 2, j - 2)) + 1);
            }
            if let Some(x) = d.get_mut(at(i, j)) {
                *x = v;
            }
        }
    }
    d.get(at(a.len(), b.len())).copied().unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<&'static str> {
        check_policy(text).1.iter().map(|d| d.id).collect()
    }

    const GOOD: &str = "- iss: https://agent.buildkite.com\n  scopes: [read_packages, write_packages]\n  claims:\n    organization_slug: acme\n    pipeline_slug:\n      in: [app, web]\n    build_branch:\n      matches: [main, release/*]\n      not_equals: release/old\n";

    #[test]
    fn the_documented_complex_example_is_clean() {
        assert_eq!(ids(GOOD), Vec::<&str>::new());
    }

    #[test]
    fn json_policies_parse_too() {
        let json = r#"[{"iss": "https://agent.buildkite.com", "scopes": ["read_packages", "write_packages"], "claims": {"organization_slug": {"equals": "acme"}}}]"#;
        let (p, d) = check_policy(json);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(p.statements.len(), 1);
    }

    #[test]
    fn shape_errors() {
        assert_eq!(ids("iss: https://agent.buildkite.com\n"), ["KS401"]);
        assert_eq!(ids("[]"), ["KS414"]);
        assert_eq!(ids("- [1]"), ["KS401"]);
        assert_eq!(ids("- iss: [x"), ["KS400"]);
    }

    #[test]
    fn anchors_aliases_tags() {
        let text = "- iss: https://agent.buildkite.com\n  scopes: [read_packages, write_packages]\n  claims: &c\n    organization_slug: !!str acme\n- iss: https://agent.buildkite.com\n  scopes: [read_packages]\n  claims: *c\n";
        let got = ids(text);
        assert_eq!(got.iter().filter(|i| **i == "KS402").count(), 3, "{got:?}");
    }

    #[test]
    fn scopes_and_matchers() {
        let text = "- iss: https://agent.buildkite.com\n  scopes: [read, write_packages]\n  claims:\n    organization_slug: {equal: acme}\n    pipeline_slug: {in: app}\n    build_branch: {matches: ^main$}\n";
        assert_eq!(ids(text), ["KS405", "KS406", "KS407", "KS413"]);
    }

    #[test]
    fn contradictions() {
        let c = |rule: &str| ids(&format!("- iss: https://agent.buildkite.com\n  scopes: [write_packages]\n  claims:\n    organization_slug: acme\n    build_branch: {rule}\n"));
        assert_eq!(c("{equals: main, not_equals: main}"), ["KS409"]);
        assert_eq!(c("{equals: main, in: [dev]}"), ["KS409"]);
        assert_eq!(c("{equals: main, matches: release/*}"), ["KS409"]);
        assert_eq!(c("{in: []}"), ["KS409"]);
        assert_eq!(c("{in: [a, b], not_in: [a, b]}"), ["KS409"]);
        // near misses
        assert!(c("{in: [a, b], not_in: [a]}").is_empty());
        assert!(c("{equals: main, matches: ma*}").is_empty());
    }

    #[test]
    fn shadowing() {
        let text = "- iss: https://agent.buildkite.com\n  scopes: [read_packages]\n  claims:\n    organization_slug: acme\n- iss: https://agent.buildkite.com\n  scopes: [read_packages, write_packages]\n  claims:\n    organization_slug: acme\n    build_branch: main\n";
        assert_eq!(ids(text), ["KS410"]);
        // Reversed order is the fix.
        let fixed = "- iss: https://agent.buildkite.com\n  scopes: [read_packages, write_packages]\n  claims:\n    organization_slug: acme\n    build_branch: main\n- iss: https://agent.buildkite.com\n  scopes: [read_packages]\n  claims:\n    organization_slug: acme\n";
        assert!(ids(fixed).is_empty());
        // A glob in the earlier statement that the later value satisfies also shadows.
        let glob = "- iss: https://agent.buildkite.com\n  scopes: [read_packages]\n  claims:\n    organization_slug: acme\n    build_branch: {matches: ma*}\n- iss: https://agent.buildkite.com\n  scopes: [write_packages]\n  claims:\n    organization_slug: acme\n    build_branch: main\n";
        assert_eq!(ids(glob), ["KS410"]);
    }

    #[test]
    fn globs() {
        assert!(glob_matches("feature/*", "feature/x/y"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches("a?c", "abc"));
        assert!(!glob_matches("a?c", "ac"));
        assert!(!glob_matches("main", "main2"));
        assert!(glob_matches("*a*b*", "xxaxxbxx"));
        assert!(!glob_matches("^main$", "main"));
    }

    fn claims(json: &str) -> serde_json::Map<String, serde_json::Value> {
        claims_from_json(json).unwrap_or_default()
    }

    #[test]
    fn evaluation_names_the_failing_claim() {
        let (p, _) = check_policy(GOOD);
        let (e, d) = evaluate(&p, &claims(r#"{"iss":"https://agent.buildkite.com","organization_slug":"acme","pipeline_slug":"app","build_branch":"feature/x"}"#));
        assert_eq!(e.matched, None);
        assert_eq!(d.first().map(|d| d.id), Some("KS420"));
        let f = e.statements.first().and_then(|s| s.failures.first()).cloned().unwrap_or(ClaimFailure { claim: String::new(), reason: String::new(), span: Span::default() });
        assert_eq!(f.claim, "build_branch");
        assert!(f.reason.contains("does not match the glob"), "{}", f.reason);
        let (e, d) = evaluate(&p, &claims(r#"{"iss":"https://agent.buildkite.com","organization_slug":"acme","pipeline_slug":"app","build_branch":"main"}"#));
        assert_eq!(e.matched, Some(1));
        assert_eq!(e.scopes, ["read_packages", "write_packages"]);
        assert!(d.is_empty());
    }

    #[test]
    fn missing_claims_and_issuers() {
        let (p, _) = check_policy(GOOD);
        let (e, _) = evaluate(&p, &claims(r#"{"iss":"https://token.actions.githubusercontent.com"}"#));
        let reasons: Vec<String> = e.statements.iter().flat_map(|s| s.failures.iter().map(|f| f.reason.clone())).collect();
        assert!(reasons.iter().any(|r| r.contains("issuer differs")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.contains("missing claim")), "{reasons:?}");
    }

    #[test]
    fn matches_is_ignored_for_non_strings() {
        let (p, _) = check_policy("- iss: https://agent.buildkite.com\n  scopes: [write_packages]\n  claims:\n    organization_slug: acme\n    build_number: {matches: '1*'}\n");
        let (e, _) = evaluate(&p, &claims(r#"{"iss":"https://agent.buildkite.com","organization_slug":"acme","build_number":7}"#));
        assert_eq!(e.matched, Some(1));
    }

    #[test]
    fn jwt_decoding() {
        // {"alg":"none"} . {"iss":"https://agent.buildkite.com"} . sig
        let tok = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2FnZW50LmJ1aWxka2l0ZS5jb20ifQ.c2ln";
        let c = jwt_claims(&format!("Bearer {tok}\n")).unwrap_or_default();
        assert_eq!(c.get("iss").and_then(|v| v.as_str()), Some(AGENT_ISSUER));
        assert!(jwt_claims("abc").is_err());
        assert!(jwt_claims("a.!!.c").is_err());
    }

    /// KS410 (the policy check) and KS421 (the evaluation) both see a read-only statement that
    /// shadows a later one: only KS410 says to move it, and KS421 points there.
    #[test]
    fn a_shadowed_statement_is_fixed_in_one_place() {
        let text = "- iss: https://agent.buildkite.com\n  scopes: [read_packages]\n  claims:\n    organization_slug: acme\n- iss: https://agent.buildkite.com\n  scopes: [read_packages, write_packages]\n  claims:\n    organization_slug: acme\n    build_branch: main\n";
        let (policy, checked) = check_policy(text);
        let claims = claims_from_json(r#"{"iss":"https://agent.buildkite.com","organization_slug":"acme","build_branch":"main"}"#).expect("claims");
        let (_, evaluated) = evaluate(&policy, &claims);
        let fix = |diags: &[Diagnostic], id: &str| diags.iter().find(|d| d.id == id).map(|d| d.fix.clone()).unwrap_or_default();
        assert_eq!(fix(&checked, "KS410"), "Move statement 2 above statement 1.");
        let ks421 = fix(&evaluated, "KS421");
        assert!(ks421.contains("KS410") && !ks421.to_lowercase().contains("move"), "{ks421}");
    }

    #[test]
    fn every_rule_id_used_resolves() {
        for id in ["KS400", "KS401", "KS402", "KS403", "KS404", "KS405", "KS406", "KS407", "KS408", "KS409", "KS410", "KS411", "KS412", "KS413", "KS414", "KS415", "KS416", "KS420", "KS421", "KS422"] {
            assert_eq!(rule(id).id, id);
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(closest("comand", &["command", "commands", "label"]), Some("command"));
        assert_eq!(closest("zzzzzz", &["command"]), None);
        assert_eq!(edit_distance("ab", "ba"), 1);
    }
}
