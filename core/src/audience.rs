//! Buildkite Package Registries: organization and registry slugs, and the OIDC audience
//! a token must carry to push to a registry.
//!
//! Facts (see `../shared/reference/buildkite.md` §2.1–§2.3): the token's `aud` must equal
//! `https://packages.buildkite.com/{org.slug}/{registry.slug}` exactly; the registry slug is
//! the kebab-case form of the registry's name; the organization slug is the end of the
//! organization's Buildkite URL. Slugs are treated as `^[a-z0-9][a-z0-9-]*$`.

use crate::diagnostic::{Diagnostic, Rule, Severity};
use serde::Serialize;

/// The Package Registries host.
pub const PACKAGES_HOST: &str = "packages.buildkite.com";

const DOCS_SLUG: &str = "https://buildkite.com/docs/package-registries/security/oidc";

/// Rules reported by this module.
pub static RULES: &[Rule] = &[
    Rule {
        id: "KS001",
        name: reference!("slug-empty"),
        severity: Severity::Error,
        summary: reference!("An organization or registry slug is empty."),
        why: reference!("The audience and the image reference are built from both slugs; an empty one gives `https://packages.buildkite.com//registry`, which no registry accepts."),
        example: reference!("org: \"\""),
        fix: reference!("Type the slug: the organization slug is the end of your Buildkite URL, the registry slug is in the registry's URL."),
        docs: DOCS_SLUG,
    },
    Rule {
        id: "KS002",
        name: reference!("slug-placeholder"),
        severity: Severity::Error,
        summary: reference!("A slug is a literal placeholder such as `{BUILDKITE_ORGANIZATION_SLUG}`, `<org>` or `your-org`."),
        why: reference!("Placeholders copied from documentation end up verbatim in the token's audience, and the registry answers `Invalid 'aud' claim`."),
        example: reference!("org: \"{BUILDKITE_ORGANIZATION_SLUG}\""),
        fix: reference!("Replace the placeholder with the real slug."),
        docs: DOCS_SLUG,
    },
    Rule {
        id: "KS003",
        name: reference!("slug-display-name"),
        severity: Severity::Error,
        summary: reference!("A slug contains uppercase letters or spaces: it looks like a display name."),
        why: reference!("Slugs are lowercase kebab-case. The registry compares the audience exactly, so `My Registry` never matches `my-registry`."),
        example: reference!("registry: \"My Registry\""),
        fix: reference!("Use the slug (lowercase, hyphens instead of spaces) shown in the registry's URL."),
        docs: DOCS_SLUG,
    },
    Rule {
        id: "KS004",
        name: reference!("slug-characters"),
        severity: Severity::Error,
        summary: reference!("A slug contains characters other than lowercase letters, digits and hyphens."),
        why: reference!("Buildkite slugs only use `a-z`, `0-9` and `-`; anything else cannot appear in the registry's URL, so the audience can never match."),
        example: reference!("org: \"acme_inc\""),
        fix: reference!("Use only lowercase letters, digits and hyphens, exactly as in the Buildkite URL."),
        docs: DOCS_SLUG,
    },
    Rule {
        id: "KS005",
        name: reference!("slug-hyphens"),
        severity: Severity::Warning,
        summary: reference!("A slug starts or ends with a hyphen, or has two in a row."),
        why: reference!("Slugs Buildkite derives from names never have these; the value is probably mistyped."),
        example: reference!("registry: \"-images\""),
        fix: reference!("Check the slug against the registry's URL."),
        docs: DOCS_SLUG,
    },
    Rule {
        id: "KS006",
        name: reference!("slug-too-long"),
        severity: Severity::Warning,
        summary: reference!("A slug is longer than 100 characters."),
        why: reference!("Buildkite slugs are at most 100 characters; a longer value is almost certainly a paste of something else."),
        example: reference!("org: \"aaaa…(120 characters)\""),
        fix: reference!("Paste only the slug."),
        docs: DOCS_SLUG,
    },
    Rule {
        id: "KS007",
        name: reference!("slug-is-url"),
        severity: Severity::Error,
        summary: reference!("A slug field holds a URL or a path instead of a slug."),
        why: reference!("The audience is built as `https://packages.buildkite.com/{org}/{registry}`; a URL in a slug field doubles the host or the path."),
        example: reference!("org: \"https://buildkite.com/acme\""),
        fix: reference!("Paste only the slug: the last part of the URL."),
        docs: DOCS_SLUG,
    },
];

fn rule(id: &str) -> &'static Rule {
    crate::rules::by_id(RULES, id)
}

/// Which slug a value is meant to be: it changes the wording and the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugKind {
    /// The Buildkite organization slug (`https://buildkite.com/{org}`).
    Organization,
    /// The Package Registries registry slug.
    Registry,
}

impl SlugKind {
    fn noun(self) -> &'static str {
        match self {
            SlugKind::Organization => "organization slug",
            SlugKind::Registry => "registry slug",
        }
    }
    fn where_to_find(self) -> &'static str {
        match self {
            SlugKind::Organization => {
                "it is the end of your organization's Buildkite URL, e.g. `acme` in https://buildkite.com/acme"
            }
            SlugKind::Registry => {
                "it is the kebab-case form of the registry's name, shown in its URL under Packages"
            }
        }
    }
}

/// Shorten a user value for display in a message, at character boundaries: a long value keeps
/// its first 32 and last 15 characters around an ellipsis.
pub fn shorten(value: &str) -> String {
    const MAX: usize = 48;
    // Short printable ASCII without quotes or backslashes is shown as is.
    if value.len() <= MAX && value.bytes().all(|b| (0x20..0x7f).contains(&b) && !matches!(b, b'\\' | b'"' | b'\'')) {
        return value.to_string();
    }
    // Longer values keep their start and their end, where a stray `/`, space or tag often is.
    const HEAD: usize = 32;
    const TAIL: usize = 15;
    let count = value.chars().count();
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if count > MAX && i == HEAD {
            out.push('…');
        }
        if count <= MAX || i < HEAD || i >= count - TAIL {
            out.extend(c.escape_debug());
        }
    }
    out
}

/// Suggest the slug a display name would have: lowercase, runs of anything but letters and
/// digits become one hyphen, no leading or trailing hyphen. `None` when nothing is left.
pub fn suggest_slug(value: &str) -> Option<String> {
    let mut out = String::new();
    let mut pending_hyphen = false;
    for c in value.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.push(c);
        } else {
            pending_hyphen = true;
        }
        if out.len() > 100 {
            break;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Is this value a placeholder someone forgot to replace?
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let bracketed = |open: char, close: char| v.contains(open) && v.contains(close);
    if bracketed('{', '}') || bracketed('<', '>') || bracketed('[', ']') {
        return true;
    }
    if v.starts_with('$') || v.starts_with("%{") {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "your-org",
        "your-organization",
        "your-org-slug",
        "your-organization-slug",
        "your-registry",
        "your-registry-slug",
        "my-organization",
        "organization-slug",
        "org-slug",
        "registry-slug",
        "changeme",
        "xxx",
        "todo",
    ];
    WORDS.contains(&lower.as_str()) || lower.starts_with("your-") || lower.starts_with("your_")
}

/// Check one slug. `field` is the configuration path reported with each diagnostic.
pub fn check_slug(kind: SlugKind, value: &str, field: &str) -> Vec<Diagnostic> {
    let noun = kind.noun();
    let shown = shorten(value);
    let mut out = Vec::new();
    let push = |out: &mut Vec<Diagnostic>, d: Diagnostic| out.push(d.with_field(field));

    if value.trim().is_empty() {
        push(
            &mut out,
            rule("KS001").diag(
                format!("The {noun} is empty."),
                format!("Type the {noun}: {}.", kind.where_to_find()),
            ),
        );
        return out;
    }
    if is_placeholder(value) {
        let fix = if value.contains("BUILDKITE_ORGANIZATION_SLUG") {
            "Type the organization slug itself (the end of your Buildkite URL). The audience is fixed per registry, and a variable written in pipeline.yml is expanded at upload time, often to nothing.".to_string()
        } else {
            format!("Replace the placeholder with the real {noun}: {}.", kind.where_to_find())
        };
        push(
            &mut out,
            rule("KS002").diag(format!("The {noun} `{shown}` is a placeholder, not a slug."), fix),
        );
        return out;
    }
    let lower = value.to_ascii_lowercase();
    if value.contains("://") || lower.contains("buildkite.com") || value.contains('/') {
        let last = value.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
        let hint = suggest_slug(last)
            .map(|s| format!(" Perhaps `{s}`."))
            .unwrap_or_default();
        push(
            &mut out,
            rule("KS007").diag(
                format!("The {noun} `{shown}` is a URL or a path, not a slug."),
                format!("Paste only the {noun}; {}.{hint}", kind.where_to_find()),
            ),
        );
        return out;
    }
    let has_upper_or_space = value.chars().any(|c| c.is_uppercase() || c.is_whitespace());
    if has_upper_or_space {
        let hint = suggest_slug(value)
            .map(|s| format!("Use the slug, probably `{s}`"))
            .unwrap_or_else(|| format!("Use the {noun}"));
        push(
            &mut out,
            rule("KS003").diag(
                format!(
                    "The {noun} `{shown}` has uppercase letters or spaces: it looks like a display name, not a slug."
                ),
                format!("{hint}; {}. The audience is compared exactly.", kind.where_to_find()),
            ),
        );
        return out;
    }
    let bad: Vec<char> = {
        let mut bad: Vec<char> = value
            .chars()
            .filter(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
            .collect();
        bad.sort_unstable();
        bad.dedup();
        bad
    };
    if !bad.is_empty() {
        let listed: Vec<String> = bad
            .iter()
            .take(5)
            .map(|c| format!("`{}`", c.escape_debug()))
            .collect();
        let hint = suggest_slug(value)
            .map(|s| format!(" Perhaps `{s}`."))
            .unwrap_or_default();
        push(
            &mut out,
            rule("KS004").diag(
                format!(
                    "The {noun} `{shown}` contains {}: slugs only use lowercase letters, digits and hyphens.",
                    listed.join(", ")
                ),
                format!("Use the {noun} exactly as it appears in the URL.{hint}"),
            ),
        );
        return out;
    }
    if value.chars().count() > 100 {
        push(
            &mut out,
            rule("KS006").diag(
                format!(
                    "The {noun} is {} characters long; Buildkite slugs are at most 100.",
                    value.chars().count()
                ),
                format!("Paste only the {noun}; {}.", kind.where_to_find()),
            ),
        );
    }
    if value.starts_with('-') || value.ends_with('-') || value.contains("--") {
        push(
            &mut out,
            rule("KS005").diag(
                format!("The {noun} `{shown}` starts or ends with a hyphen, or has two in a row."),
                format!("Check it against the URL; {}.", kind.where_to_find()),
            ),
        );
    }
    out
}

/// The input for [`package_registry_audience`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AudienceInput<'a> {
    /// The organization slug.
    pub org: &'a str,
    /// The registry slug.
    pub registry: &'a str,
}

/// A Package Registries audience and where images go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Audience {
    /// `https://packages.buildkite.com/{org}/{registry}`: the exact `aud` claim required.
    pub url: String,
    /// `packages.buildkite.com/{org}/{registry}`: the registry part of image references and
    /// the `auths` key in `config.json`.
    pub host_path: String,
}

impl Audience {
    /// Build from slugs that are already known to be valid.
    pub fn from_slugs(org: &str, registry: &str) -> Self {
        let host_path = format!("{PACKAGES_HOST}/{org}/{registry}");
        Audience { url: format!("https://{host_path}"), host_path }
    }
}

/// Validate both slugs and build the audience. The audience is `None` while any error
/// stands; warnings still yield it.
pub fn package_registry_audience(input: AudienceInput<'_>) -> (Option<Audience>, Vec<Diagnostic>) {
    let mut diags = check_slug(SlugKind::Organization, input.org, "org");
    diags.extend(check_slug(SlugKind::Registry, input.registry, "registry"));
    if crate::diagnostic::has_errors(&diags) {
        (None, diags)
    } else {
        (Some(Audience::from_slugs(input.org, input.registry)), diags)
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)] // tests: a panic is a failure
mod tests {
    use super::*;

    fn ids(org: &str, registry: &str) -> Vec<&'static str> {
        package_registry_audience(AudienceInput { org, registry })
            .1
            .iter()
            .map(|d| d.id)
            .collect()
    }

    #[test]
    fn good_slugs_give_the_exact_audience() {
        let (aud, diags) = package_registry_audience(AudienceInput { org: "acme", registry: "docker-images" });
        assert!(diags.is_empty(), "{diags:?}");
        let aud = aud.expect("audience");
        assert_eq!(aud.url, "https://packages.buildkite.com/acme/docker-images");
        assert_eq!(aud.host_path, "packages.buildkite.com/acme/docker-images");
    }

    #[test]
    fn every_rule_id_used_resolves() {
        for id in ["KS001", "KS002", "KS003", "KS004", "KS005", "KS006", "KS007"] {
            assert_eq!(rule(id).id, id);
        }
    }

    #[test]
    fn empty_values() {
        assert_eq!(ids("", "x"), ["KS001"]);
        assert_eq!(ids("  ", ""), ["KS001", "KS001"]);
    }

    #[test]
    fn display_names_suggest_the_slug() {
        let (_, d) = package_registry_audience(AudienceInput { org: "My Org", registry: "images" });
        assert_eq!(d[0].id, "KS003");
        assert!(d[0].fix.contains("`my-org`"), "{}", d[0].fix);
        assert_eq!(d[0].field.as_deref(), Some("org"));
        assert_eq!(ids("acme", "Docker"), ["KS003"]);
    }

    #[test]
    fn placeholders() {
        for p in ["{BUILDKITE_ORGANIZATION_SLUG}", "<org>", "your-org", "${ORG}", "$ORG", "[org]"] {
            assert_eq!(ids(p, "images"), ["KS002"], "{p}");
        }
    }

    #[test]
    fn urls_and_paths() {
        let (_, d) = package_registry_audience(AudienceInput { org: "https://buildkite.com/acme", registry: "x" });
        assert_eq!(d[0].id, "KS007");
        assert!(d[0].fix.contains("`acme`"), "{}", d[0].fix);
        assert_eq!(ids("acme/images", "x"), ["KS007"]);
    }

    #[test]
    fn odd_characters() {
        assert_eq!(ids("acme_inc", "x"), ["KS004"]);
        assert_eq!(ids("café", "x"), ["KS004"]);
        assert_eq!(ids("-acme", "x"), ["KS005"]);
        assert_eq!(ids("ac--me", "x"), ["KS005"]);
    }

    #[test]
    fn very_long_values_are_shortened_in_messages() {
        let long = "a".repeat(10_000);
        let (aud, d) = package_registry_audience(AudienceInput { org: &long, registry: "x" });
        assert_eq!(d[0].id, "KS006");
        assert!(aud.is_some(), "a warning still yields the audience");
        let spaced = "A b".repeat(3_000);
        let (_, d) = package_registry_audience(AudienceInput { org: &spaced, registry: "x" });
        assert!(d[0].message.chars().count() < 200, "{}", d[0].message);
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest_slug("My Registry").as_deref(), Some("my-registry"));
        assert_eq!(suggest_slug("  Docker  Images!! ").as_deref(), Some("docker-images"));
        assert_eq!(suggest_slug("!!!"), None);
    }
}
