//! OIDC token inspection: decode a JWT's header and claims (without verifying the
//! signature), show them in readable form, and check them against what the token is for.
//!
//! Facts (`../shared/reference/buildkite.md` §1.2–§1.3, §2.1, §2.6; `oidc-federation.md` §1,
//! §3.1.2, §3.2.2, §3.3.2):
//! - Buildkite agent tokens are issued by `https://agent.buildkite.com`.
//! - Without `--audience` the agent asks for the default audience `https://buildkite.com/{org}`.
//! - Package Registries need `aud` = `https://packages.buildkite.com/{org}/{registry}` exactly and
//!   `exp − iat` ≤ 300 s; the agent API refuses lifetimes over 7200 s.
//! - AWS STS expects `sts.amazonaws.com`, Azure `api://AzureADTokenExchange` (or the USGov /
//!   China variants), GCP the provider's full resource name, with or without `https:`.
//!
//! The entry point is [`inspect_token`]. It never panics; malformed input gives a report with
//! one error diagnostic and no claims. The report never contains the signature or the whole
//! token.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::audience::{PACKAGES_HOST, is_placeholder, shorten, suggest_slug};
use crate::diagnostic::{Diagnostic, Rule, Severity};

/// The issuer of Buildkite agent OIDC tokens.
pub const BUILDKITE_ISSUER: &str = "https://agent.buildkite.com";
/// Package Registries reject tokens whose `exp − iat` is greater than this (seconds).
pub const PACKAGE_REGISTRY_MAX_LIFETIME: i64 = 300;
/// The Buildkite agent API refuses `--lifetime` above this (seconds).
pub const AGENT_MAX_LIFETIME: i64 = 7200;
/// Inputs longer than this are not tokens (real Buildkite tokens are about 1 KB).
pub const MAX_INPUT_BYTES: usize = 64 * 1024;
/// The AWS STS audience.
pub const AWS_STS_AUDIENCE: &str = "sts.amazonaws.com";
/// The Azure (commercial cloud) federated-credential audience.
pub const AZURE_AUDIENCE: &str = "api://AzureADTokenExchange";
const AZURE_AUDIENCES: &[&str] =
    &["api://AzureADTokenExchange", "api://AzureADTokenExchangeUSGov", "api://AzureADTokenExchangeChina"];
const GCP_PREFIX: &str = "//iam.googleapis.com/";

/// Shown with every report: we decode, we do not verify.
pub const SIGNATURE_NOTE: &str = "The signature was NOT verified: this only decodes the token. Whether the registry or cloud accepts it also depends on the signature, the issuer's keys and its policy.";

const DOCS_OIDC: &str = "https://buildkite.com/docs/agent/cli/reference/oidc";
const DOCS_PR_OIDC: &str = "https://buildkite.com/docs/package-registries/security/oidc";
const DOCS_JWT: &str = "https://www.rfc-editor.org/rfc/rfc7519";
const DOCS_GCP: &str = "https://cloud.google.com/iam/docs/workload-identity-federation";
const DOCS_LIMITS: &str = "https://buildkite.com/docs/platform/limits";

macro_rules! rule {
    ($id:literal, $name:literal, $sev:ident, $summary:literal, $why:literal, $example:literal, $fix:literal, $docs:expr) => {
        Rule {
            id: $id,
            name: reference!($name),
            severity: Severity::$sev,
            summary: reference!($summary),
            why: reference!($why),
            example: reference!($example),
            fix: $fix,
            docs: $docs,
        }
    };
}

/// Rules reported by this module.
pub static RULES: &[Rule] = &[
    rule!("KS500", "token-not-a-jwt", Error,
        "The input is not a JWT: it does not have three dot-separated parts.",
        "An OIDC token is `header.claims.signature`; anything else (an API access token, a cut-off paste, a file path) cannot be decoded or accepted as an OIDC token.",
        "bkua_0123456789abcdef",
        "Paste the whole output of `buildkite-agent oidc request-token`, which starts with `eyJ`.", DOCS_OIDC),
    rule!("KS501", "token-bad-base64url", Error,
        "A part of the token is not valid base64url.",
        "JWT parts are base64url without padding; a stray character usually means the token was cut, wrapped or edited while copying.",
        "eyJhbGciOiJSUzI1NiJ9.eyJ%%%.c2ln",
        "Copy the token again in one piece, without line breaks or added characters.", DOCS_JWT),
    rule!("KS502", "token-not-json", Error,
        "The token's header or claims do not decode to a JSON object.",
        "Every JWT header and claims set is a JSON object; anything else is not a token the registry or cloud can use.",
        "bm90IGpzb24.bm90IGpzb24.c2ln",
        "Copy the token again; check that it is the token itself and not another base64 value.", DOCS_JWT),
    rule!("KS503", "token-encrypted", Error,
        "The token is an encrypted JWE (five parts); its claims cannot be read.",
        "Buildkite agent tokens are signed JWTs (three parts). A five-part JWE comes from another system and is not what `oidc request-token` prints.",
        "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d",
        "Inspect the token printed by `buildkite-agent oidc request-token`.", DOCS_JWT),
    rule!("KS504", "token-input-too-large", Error,
        "The input is far larger than any OIDC token.",
        "Buildkite tokens are about a kilobyte. A large paste is a log or a file, not a token.",
        "(a 2 MB build log)",
        "Paste only the token (the line starting with `eyJ`).", DOCS_OIDC),
    rule!("KS505", "token-unsigned", Error,
        "The token is unsigned (`alg: none` or an empty signature).",
        "Registries and clouds reject unsigned tokens; a real Buildkite token is signed with RS256.",
        "{\"alg\":\"none\"}",
        "Use a token minted by `buildkite-agent oidc request-token`.", DOCS_JWT),
    rule!("KS510", "aud-default-audience", Error,
        "The audience is the agent's default `https://buildkite.com/{org}`: `--audience` was not passed.",
        "Without `--audience`, the agent requests the default audience, which no registry or cloud accepts; the registry answers `Invalid 'aud' claim` or 401.",
        "aud: https://buildkite.com/acme",
        "Pass `--audience` with the exact value the destination expects.", DOCS_OIDC),
    rule!("KS511", "aud-http-scheme", Error,
        "The audience uses `http://` instead of `https://`.",
        "The audience is compared as an exact string; `http://packages.buildkite.com/…` is a different value.",
        "aud: http://packages.buildkite.com/acme/images",
        "Use `https://` in `--audience`.", DOCS_PR_OIDC),
    rule!("KS512", "aud-trailing-slash", Error,
        "The audience ends with a slash.",
        "The audience is compared exactly; a trailing slash makes it a different string.",
        "aud: https://packages.buildkite.com/acme/images/",
        "Remove the trailing `/` from `--audience`.", DOCS_PR_OIDC),
    rule!("KS513", "aud-image-path", Error,
        "The audience has an image name or tag appended to the registry URL.",
        "The audience names the registry, not the image: `https://packages.buildkite.com/{org}/{registry}` with nothing after it.",
        "aud: https://packages.buildkite.com/acme/images/app:1.2",
        "Use only `https://packages.buildkite.com/{org}/{registry}` as the audience; the image path belongs in `--destination`.", DOCS_PR_OIDC),
    rule!("KS514", "aud-display-name", Error,
        "The audience contains a display name (spaces or capitals) instead of a slug.",
        "Registries are addressed by their slug, the kebab-case form of the name; `My Registry` never matches `my-registry`.",
        "aud: https://packages.buildkite.com/acme/My Registry",
        "Use the slug shown in the registry's URL.", DOCS_PR_OIDC),
    rule!("KS515", "aud-case", Error,
        "The audience differs from the expected one only in letter case.",
        "The comparison is case-sensitive; slugs are lowercase.",
        "aud: https://packages.buildkite.com/Acme/images",
        "Write the audience in lowercase, exactly as the registry URL.", DOCS_PR_OIDC),
    rule!("KS516", "aud-placeholder", Error,
        "The audience contains a literal placeholder such as `{BUILDKITE_ORGANIZATION_SLUG}` or `<registry>`.",
        "Placeholders copied from documentation end up verbatim in the token, so the audience can never match.",
        "aud: https://packages.buildkite.com/{BUILDKITE_ORGANIZATION_SLUG}/images",
        "Replace the placeholder with the real value (or a variable that the shell expands, written `$$VAR` in pipeline.yml).", DOCS_PR_OIDC),
    rule!("KS517", "aud-empty-variable", Error,
        "A part of the audience is empty, as when a variable expanded to nothing.",
        "`${VAR}` in pipeline.yml is interpolated at upload time from the upload environment, where step `env` is not set, so it becomes empty: `https://packages.buildkite.com//images`.",
        "aud: https://packages.buildkite.com//images",
        "Write `$$VAR` in pipeline.yml so the shell expands it at run time, or write the value out.", "https://buildkite.com/docs/agent/cli/reference/pipeline#environment-variable-substitution"),
    rule!("KS518", "aud-other-service", Error,
        "The token was minted for another service than the one it is used with.",
        "Each audience is accepted by one service only: a token for `sts.amazonaws.com` is refused by Package Registries and vice versa.",
        "aud: sts.amazonaws.com (pushing to packages.buildkite.com)",
        "Request a separate token for each service, each with its own `--audience`.", DOCS_OIDC),
    rule!("KS519", "aud-mismatch", Error,
        "The audience names a different registry, organization or service than expected.",
        "The audience must name exactly the destination; a token for one registry is refused by every other.",
        "aud: https://packages.buildkite.com/acme/other (pushing to acme/images)",
        "Request the token with `--audience` set to the destination's audience.", DOCS_PR_OIDC),
    rule!("KS520", "aud-missing-scheme", Error,
        "The audience is a host and path without `https://`.",
        "The Package Registries audience is the registry URL with its scheme; `packages.buildkite.com/acme/images` is the image prefix, not the audience.",
        "aud: packages.buildkite.com/acme/images",
        "Prefix the audience with `https://`.", DOCS_PR_OIDC),
    rule!("KS521", "aud-missing", Error,
        "The token has no usable `aud` claim.",
        "Every consumer checks the audience; a token without one is refused.",
        "{\"iss\":\"https://agent.buildkite.com\"}",
        "Request the token with `--audience`.", DOCS_OIDC),
    rule!("KS522", "aud-gcp-format", Error,
        "The audience is not a Workload Identity provider's full resource name.",
        "Google STS accepts `//iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER` (or its `https:` form) or a configured allowed audience; a project ID or a pool name is refused.",
        "aud: //iam.googleapis.com/projects/my-project/locations/global/workloadIdentityPools/buildkite",
        "Use the provider's full resource name with the project number.", DOCS_GCP),
    rule!("KS530", "token-expired", Error,
        "The token has expired.",
        "Registries and clouds refuse expired tokens; Kaniko pushes at the end of the build, so a token minted before a long build is often expired by then.",
        "exp: 5 minutes ago",
        "Mint the token immediately before it is used (right before Kaniko), with a lifetime that covers the use.", DOCS_OIDC),
    rule!("KS531", "token-not-yet-valid", Error,
        "The token is not valid yet (`nbf` or `iat` is in the future).",
        "Consumers refuse tokens used before `nbf`/`iat`; this usually means a clock is wrong.",
        "nbf: in 10 minutes",
        "Check the clocks of the agent and of the machine doing the check; use the token after its `nbf`.", DOCS_JWT),
    rule!("KS532", "lifetime-over-300", Error,
        "The token lives longer than the 300 seconds Package Registries accept.",
        "Package Registries reject tokens whose `exp − iat` is greater than 5 minutes, even though the agent can mint longer ones.",
        "exp − iat = 3600 s",
        "Use `--lifetime 300` (or omit it: the default is 5 minutes).", DOCS_PR_OIDC),
    rule!("KS533", "lifetime-over-agent-max", Warning,
        "The token lives longer than the 7200 seconds the Buildkite agent can request.",
        "The agent API answers `Requested lifetime too high` above 7200 s, so this token was not minted by `oidc request-token`, or the times were edited.",
        "exp − iat = 14400 s",
        "Use `--lifetime` of at most 7200 seconds.", DOCS_LIMITS),
    rule!("KS534", "time-claim-missing", Error,
        "The token lacks `exp` or `iat`.",
        "Package Registries require `iat` in the past and `exp` in the future; a token without them is refused.",
        "{\"aud\":\"…\"} (no exp)",
        "Use a token minted by `buildkite-agent oidc request-token`, which always sets both.", DOCS_PR_OIDC),
    rule!("KS535", "time-claim-invalid", Error,
        "`exp`, `iat` or `nbf` is not a number of seconds, or `exp` is before `iat`.",
        "Times in JWTs are numbers of seconds since 1970; anything else makes the token invalid.",
        "\"exp\": \"tomorrow\"",
        "Use a token minted by `buildkite-agent oidc request-token`.", DOCS_JWT),
    rule!("KS540", "issuer-wrong", Error,
        "The issuer is not `https://agent.buildkite.com`.",
        "Package Registries policies, AWS OIDC providers, GCP providers and Azure federated credentials are set up for the Buildkite issuer; a different issuer (or a trailing slash) matches none of them.",
        "iss: https://agent.buildkite.com/",
        "Use a token from `buildkite-agent oidc request-token`, or configure the consumer for the token's issuer.", DOCS_OIDC),
    rule!("KS541", "gcp-subject-too-long", Warning,
        "The `sub` claim is longer than the 127 bytes GCP allows for `google.subject`.",
        "Mapping `google.subject=assertion.sub` fails with `exceeds the 127 bytes limit` for the default Buildkite subject.",
        "sub: organization:acme:pipeline:…:commit:…:step:build (140 bytes)",
        "Request the token with `--subject-claim pipeline_id`, or map `google.subject` from shorter claims.", DOCS_GCP),
    rule!("KS542", "docker-config-username", Warning,
        "A config.json entry for Package Registries has a username other than `buildkite`.",
        "Buildkite documents the username `buildkite` for Package Registries logins; another name is the usual sign of a config copied from another registry.",
        "{\"auths\":{\"packages.buildkite.com/acme/images\":{\"username\":\"AWS\",\"password\":\"eyJ…\"}}}",
        "Write `\"username\": \"buildkite\"` in the entry.", DOCS_PR_OIDC),
];

fn rule(id: &str) -> &'static Rule {
    crate::rules::by_id(RULES, id)
}

fn diag(id: &str, message: String, fix: String) -> Diagnostic {
    rule(id).diag(message, fix)
}

/// What the token is meant to be used for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TokenTarget {
    /// Buildkite Package Registries: `aud` = `https://packages.buildkite.com/{org}/{registry}`.
    PackageRegistry { org: String, registry: String },
    /// AWS STS `AssumeRoleWithWebIdentity`: `aud` = `sts.amazonaws.com`.
    AwsSts,
    /// GCP Workload Identity Federation. `provider` is the provider's full resource name when
    /// known; otherwise only the shape of the audience is checked.
    GcpWorkloadIdentity { provider: Option<String> },
    /// Azure workload identity federation: `aud` = `api://AzureADTokenExchange` (or the
    /// USGov / China variants).
    Azure,
    /// Any other consumer with a known exact audience.
    Exact { audience: String },
}

impl TokenTarget {
    /// Parse `packages.buildkite.com/{org}/{registry}[/image[:tag]]` (with or without a scheme)
    /// into a Package Registries target. Errors say what is wrong with the reference.
    pub fn from_registry_ref(reference: &str) -> Result<TokenTarget, String> {
        let r = reference.trim();
        let r = r.strip_prefix("https://").or_else(|| r.strip_prefix("http://")).unwrap_or(r);
        let mut parts = r.split('/');
        let host = parts.next().unwrap_or_default();
        if !host.eq_ignore_ascii_case(PACKAGES_HOST) {
            return Err(format!(
                "`{}` is not on {PACKAGES_HOST}; pass --audience-for with the service instead (aws, gcp, azure).",
                shorten(reference)
            ));
        }
        let org = parts.next().unwrap_or_default();
        let registry = parts.next().unwrap_or_default();
        let registry = registry.split([':', '@']).next().unwrap_or_default();
        if org.is_empty() || registry.is_empty() {
            return Err(format!(
                "`{}` lacks the organization or registry slug: expected {PACKAGES_HOST}/ORG/REGISTRY[/IMAGE:TAG].",
                shorten(reference)
            ));
        }
        Ok(TokenTarget::PackageRegistry { org: org.to_string(), registry: registry.to_string() })
    }

    /// The exact audience expected, when one is known.
    pub fn expected_audience(&self) -> Option<String> {
        match self {
            TokenTarget::PackageRegistry { org, registry } => Some(format!("https://{PACKAGES_HOST}/{org}/{registry}")),
            TokenTarget::AwsSts => Some(AWS_STS_AUDIENCE.to_string()),
            TokenTarget::GcpWorkloadIdentity { provider } => provider.clone(),
            TokenTarget::Azure => Some(AZURE_AUDIENCE.to_string()),
            TokenTarget::Exact { audience } => Some(audience.clone()),
        }
    }

    fn describe(&self) -> String {
        match self {
            TokenTarget::PackageRegistry { org, registry } => {
                format!("the Package Registries registry {PACKAGES_HOST}/{org}/{registry}")
            }
            TokenTarget::AwsSts => "AWS STS (AssumeRoleWithWebIdentity)".to_string(),
            TokenTarget::GcpWorkloadIdentity { .. } => "GCP Workload Identity Federation".to_string(),
            TokenTarget::Azure => "Azure workload identity federation".to_string(),
            TokenTarget::Exact { audience } => format!("a consumer expecting `{}`", shorten(audience)),
        }
    }

    fn is_package_registry(&self) -> bool {
        matches!(self, TokenTarget::PackageRegistry { .. })
    }
}

/// What the token is checked against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenExpectation {
    /// What the token is for; `None` checks only what is wrong in any case.
    pub target: Option<TokenTarget>,
    /// The expected issuer; `None` means [`BUILDKITE_ISSUER`].
    pub issuer: Option<String>,
}

/// How the token was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputForm {
    /// The bare JWT.
    Jwt,
    /// `Bearer <jwt>` (an Authorization header value).
    Bearer,
    /// `{"token": "<jwt>"}`, the agent API response.
    TokenJson,
    /// `{"id_token": "<jwt>", …}`, printed by `oidc request-token --format gcp`.
    GcpJson,
    /// A Docker `config.json`: the password (or `auth`) of an `auths` entry.
    DockerConfig,
}

/// The decoded header. The signature itself is never kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenHeader {
    pub alg: Option<String>,
    pub kid: Option<String>,
    pub typ: Option<String>,
    /// Length of the signature in bytes (the signature is never shown).
    pub signature_bytes: usize,
}

/// A time claim, shown three ways.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeClaim {
    /// Seconds since 1970-01-01 UTC.
    pub unix: i64,
    /// ISO 8601 in UTC, e.g. `2026-11-25T02:43:13Z`.
    pub utc: String,
    /// Relative to "now": `in 4 min 48 s` or `3 min 12 s ago`.
    pub relative: String,
}

/// One claim with its value rendered for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claim {
    pub name: Cow<'static, str>,
    pub value: String,
}

/// The decoded claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenClaims {
    pub iss: Option<String>,
    pub sub: Option<String>,
    /// `aud` as a list (a string audience gives one element).
    pub aud: Vec<String>,
    pub jti: Option<String>,
    pub exp: Option<TimeClaim>,
    pub iat: Option<TimeClaim>,
    pub nbf: Option<TimeClaim>,
    /// `exp − iat` in seconds.
    pub lifetime_seconds: Option<i64>,
    /// `exp − now` in seconds (negative when expired).
    pub remaining_seconds: Option<i64>,
    /// Buildkite claims present, in the order of the Buildkite documentation.
    pub buildkite: Vec<Claim>,
    /// Every other claim, sorted by name.
    pub other: Vec<Claim>,
}

/// The result of [`inspect_token`]. Plain data; serializable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenReport {
    /// How the token was given (`None` when it could not be found in the input).
    pub input: Option<InputForm>,
    /// For a Docker `config.json`: the `auths` key the token was found under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auths_key: Option<String>,
    /// Always `false`: the signature is never verified.
    pub signature_verified: bool,
    pub signature_note: &'static str,
    pub header: Option<TokenHeader>,
    pub claims: Option<TokenClaims>,
    /// The audience the target expects, when known.
    pub expected_audience: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl TokenReport {
    fn failed(input: Option<InputForm>, d: Diagnostic) -> Self {
        TokenReport {
            input,
            auths_key: None,
            signature_verified: false,
            signature_note: SIGNATURE_NOTE,
            header: None,
            claims: None,
            expected_audience: None,
            diagnostics: vec![d],
        }
    }
}

/// Buildkite claims in documentation order (`buildkite.md` §1.3).
const BUILDKITE_CLAIMS: &[&str] = &[
    "organization_slug",
    "organization_id",
    "pipeline_slug",
    "pipeline_id",
    "build_number",
    "build_id",
    "build_branch",
    "build_tag",
    "build_commit",
    "build_source",
    "step_key",
    "job_id",
    "agent_id",
    "runner_environment",
    "cluster_id",
    "cluster_name",
    "queue_id",
    "queue_key",
    "https://aws.amazon.com/tags",
];
const STANDARD_CLAIMS: &[&str] = &["iss", "sub", "aud", "exp", "iat", "nbf", "jti"];

/// Decode a token and check it. `now_unix` is the current time (seconds since 1970, UTC).
pub fn inspect_token(input: &str, expect: &TokenExpectation, now_unix: i64) -> TokenReport {
    let found = match extract_jwt(input) {
        Ok(found) => found,
        Err(d) => return TokenReport::failed(None, d),
    };
    let (form, jwt) = (found.form, &*found.jwt);
    let mut parts = jwt.split('.');
    let segments = (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next());
    let (header_b64, claims_b64, sig_b64) = match segments {
        (Some(h), Some(c), Some(s), None, _, _) => (h, c, s),
        (Some(_), Some(_), Some(_), Some(_), Some(_), None) => {
            return TokenReport::failed(
                Some(form),
                diag(
                    "KS503",
                    "The input has five parts: it is an encrypted JWE, whose claims cannot be read without the key.".into(),
                    rule("KS503").fix.into(),
                ),
            );
        }
        _ => return TokenReport::failed(Some(form), segment_count_diag(jwt.split('.').count(), jwt)),
    };
    let header_bytes = match decode_part(header_b64, "header") {
        Ok(b) => b,
        Err(d) => return TokenReport::failed(Some(form), d),
    };
    let header = match parse_object(&header_bytes, "header") {
        Ok(h) => h,
        Err(d) => return TokenReport::failed(Some(form), d),
    };
    let claims_bytes = match decode_part(claims_b64, "claims") {
        Ok(b) => b,
        Err(d) => return TokenReport::failed(Some(form), d),
    };
    let claims = match parse_object(&claims_bytes, "claims") {
        Ok(c) => c,
        Err(d) => return TokenReport::failed(Some(form), d),
    };
    let signature_bytes = match base64url_len(sig_b64) {
        Ok(len) => len,
        Err(e) => return TokenReport::failed(Some(form), base64_diag("signature", &e)),
    };

    let mut diags = Vec::new();
    let header = TokenHeader {
        alg: str_claim(&header, "alg"),
        kid: str_claim(&header, "kid"),
        typ: str_claim(&header, "typ"),
        signature_bytes,
    };
    if header.alg.as_deref().is_some_and(|a| a.eq_ignore_ascii_case("none")) || signature_bytes == 0 {
        diags.push(diag(
            "KS505",
            format!(
                "The token is unsigned (alg `{}`, {signature_bytes}-byte signature): registries and clouds refuse it.",
                header.alg.as_deref().map(shorten).unwrap_or_else(|| "missing".into())
            ),
            rule("KS505").fix.into(),
        ));
    }

    let (decoded, claim_diags) = decode_claims(&claims, now_unix);
    diags.extend(claim_diags);
    // A config.json names the registry the token is for.
    let inferred = match (&expect.target, found.auths_key.as_deref()) {
        (None, Some(key)) if key.to_ascii_lowercase().contains(PACKAGES_HOST) => {
            TokenTarget::from_registry_ref(key).ok()
        }
        _ => None,
    };
    let target = expect.target.as_ref().or(inferred.as_ref());
    if let (Some(key), Some(user)) = (found.auths_key.as_deref(), found.username.as_deref())
        && key.to_ascii_lowercase().contains(PACKAGES_HOST)
        && user != "buildkite"
    {
        diags.push(diag(
            "KS542",
            format!("The config.json entry `{}` has username `{}`; Package Registries use `buildkite`.", shorten(key), shorten(user)),
            rule("KS542").fix.into(),
        ));
    }
    diags.extend(check_issuer(decoded.iss.as_deref(), expect, target));
    diags.extend(check_audience(&decoded.aud, target));
    let invalid: Vec<Option<String>> =
        diags.iter().filter(|d| d.id == "KS535").map(|d| d.field.clone()).collect();
    diags.extend(
        check_times(&decoded, target, now_unix)
            .into_iter()
            .filter(|d| !(d.id == "KS534" && invalid.contains(&d.field))),
    );
    if let (Some(TokenTarget::GcpWorkloadIdentity { .. }), Some(sub)) = (target, decoded.sub.as_deref())
        && sub.len() > 127
    {
        diags.push(
            diag(
                "KS541",
                format!("The `sub` claim is {} bytes; GCP limits `google.subject` to 127 bytes.", sub.len()),
                rule("KS541").fix.into(),
            )
            .with_field("sub"),
        );
    }
    TokenReport {
        input: Some(form),
        auths_key: found.auths_key.clone(),
        signature_verified: false,
        signature_note: SIGNATURE_NOTE,
        header: Some(header),
        claims: Some(decoded),
        expected_audience: target.and_then(TokenTarget::expected_audience),
        diagnostics: diags,
    }
}

/// Find the JWT in the input: trim whitespace and quotes, accept `Bearer `, a
/// `{"token": …}` or `{"id_token": …}` JSON object.
/// The token found in the input, and where.
struct Extracted<'a> {
    form: InputForm,
    jwt: Cow<'a, str>,
    auths_key: Option<String>,
    username: Option<String>,
}

impl<'a> Extracted<'a> {
    fn plain(form: InputForm, jwt: Cow<'a, str>) -> Self {
        Extracted { form, jwt, auths_key: None, username: None }
    }
}

/// The first `auths` entry of a Docker config.json whose password looks like a JWT:
/// (key, username, password).
fn from_docker_config(auths: &Map<String, Value>) -> Option<(String, Option<String>, String)> {
    auths.iter().find_map(|(key, entry)| {
        let user = entry.get("username").and_then(Value::as_str).map(str::to_string);
        let password = entry.get("password").and_then(Value::as_str).map(str::to_string);
        let (user, password) = match (user, password) {
            (u, Some(p)) => (u, p),
            (_, None) => {
                let auth = entry.get("auth").and_then(Value::as_str)?;
                let decoded = String::from_utf8(base64url_decode(auth.trim()).ok()?).ok()?;
                let (u, p) = decoded.split_once(':')?;
                (Some(u.to_string()), p.to_string())
            }
        };
        (password.trim().matches('.').count() >= 2).then(|| (key.clone(), user, password))
    })
}

#[allow(clippy::result_large_err)] // private; one error per call
fn extract_jwt(input: &str) -> Result<Extracted<'_>, Diagnostic> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(diag(
            "KS504",
            format!(
                "The input is {} bytes; an OIDC token is about 1 KB, so this is not a token.",
                input.len()
            ),
            rule("KS504").fix.into(),
        ));
    }
    let mut s = strip_quotes(input);
    let mut form = InputForm::Jwt;
    if s.starts_with('{') {
        let value: Value = serde_json::from_str(s).map_err(|e| {
            diag(
                "KS502",
                format!("The input starts with `{{` but is not valid JSON ({e})."),
                "Paste the token itself, or the complete JSON printed by `oidc request-token --format gcp`.".into(),
            )
        })?;
        if let Some(auths) = value.get("auths").and_then(Value::as_object) {
            return match from_docker_config(auths) {
                Some((key, username, password)) => Ok(Extracted {
                    form: InputForm::DockerConfig,
                    jwt: Cow::Owned(remove_whitespace(strip_quotes(&password)).into_owned()),
                    auths_key: Some(key),
                    username,
                }),
                None => Err(diag(
                    "KS500",
                    "The config.json has no `auths` entry whose password is a JWT.".into(),
                    "Check the file the token was written to; an OIDC token is a `password` starting with `eyJ`.".into(),
                )),
            };
        }
        let (field, f) = if value.get("id_token").is_some() {
            ("id_token", InputForm::GcpJson)
        } else {
            ("token", InputForm::TokenJson)
        };
        return match value.get(field).and_then(Value::as_str) {
            Some(t) => Ok(Extracted::plain(f, Cow::Owned(remove_whitespace(strip_quotes(t)).into_owned()))),
            None => Err(diag(
                "KS500",
                "The JSON has no `token` or `id_token` string field.".into(),
                "Paste the token itself, or the JSON printed by `oidc request-token --format gcp`.".into(),
            )),
        };
    }
    for prefix in ["authorization:", "bearer "] {
        if s.len() >= prefix.len()
            && s.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        {
            s = strip_quotes(s.get(prefix.len()..).unwrap_or_default());
            form = InputForm::Bearer;
        }
    }
    let jwt = remove_whitespace(s);
    if jwt.is_empty() {
        return Err(diag("KS500", "The input is empty.".into(), rule("KS500").fix.into()));
    }
    Ok(Extracted::plain(form, jwt))
}

/// A JWT never contains whitespace; a wrapped paste does.
fn remove_whitespace(s: &str) -> Cow<'_, str> {
    // Every JWT character is in `!`..=`~`: scan 32 bytes at a time for anything outside,
    // then look closer only when something is.
    let suspicious = s.as_bytes().chunks(32).any(|c| c.iter().fold(false, |acc, &b| acc | (b.wrapping_sub(0x21) >= 0x5e)));
    if suspicious && s.bytes().any(|b| b.is_ascii_whitespace() || !b.is_ascii()) {
        Cow::Owned(s.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(s)
    }
}

fn strip_quotes(s: &str) -> &str {
    let mut s = s.trim();
    loop {
        let before = s;
        for q in ['"', '\'', '`'] {
            if let Some(inner) = s.strip_prefix(q).and_then(|x| x.strip_suffix(q)) {
                s = inner.trim();
            }
        }
        if s == before {
            return s;
        }
    }
}

fn segment_count_diag(count: usize, jwt: &str) -> Diagnostic {
    let hint = if jwt.starts_with("bkua_") || jwt.starts_with("bkct_") {
        " It looks like a Buildkite API access token, which is not an OIDC token (and has no claims to inspect)."
    } else if count == 2 {
        " The signature part is missing: the token was probably cut while copying."
    } else if count == 1 {
        " There are no dots at all."
    } else {
        ""
    };
    diag(
        "KS500",
        format!("The input has {count} dot-separated part{}; a JWT has exactly 3 (header.claims.signature).{hint}", if count == 1 { "" } else { "s" }),
        rule("KS500").fix.into(),
    )
}

#[allow(clippy::result_large_err)] // private; one error per call
fn decode_part(b64: &str, what: &str) -> Result<Vec<u8>, Diagnostic> {
    base64url_decode(b64).map_err(|e| base64_diag(what, &e))
}

/// Parse a decoded part as a JSON object. Names and strings borrow from `bytes` where they
/// have no escapes, so a typical token is read without an allocation per claim. Anything
/// that is not an object takes the `serde_json::Value` path, which words the error.
#[allow(clippy::result_large_err)] // private; one error per call
fn parse_object<'a>(bytes: &'a [u8], what: &str) -> Result<Object<'a>, Diagnostic> {
    match serde_json::from_slice::<Object<'a>>(bytes) {
        Ok(object) => Ok(object),
        Err(_) => Err(not_an_object(bytes, what)),
    }
}

/// The diagnostic for a part that is not a JSON object, worded from `serde_json::Value`.
fn not_an_object(bytes: &[u8], what: &str) -> Diagnostic {
    match serde_json::from_slice::<Value>(bytes) {
        // Unreachable in practice: an object parses as `Object` too.
        Ok(Value::Object(_)) => diag(
            "KS502",
            format!("The token's {what} could not be read as a JSON object."),
            rule("KS502").fix.into(),
        ),
        Ok(other) => diag(
            "KS502",
            format!("The token's {what} decodes to JSON {}, not an object.", json_kind(&other)),
            rule("KS502").fix.into(),
        ),
        Err(e) => diag(
            "KS502",
            format!("The token's {what} is valid base64url but not JSON ({e})."),
            rule("KS502").fix.into(),
        ),
    }
}

/// A JSON object's members sorted by name, the last of repeated names winning: what
/// `serde_json::Map` holds, but with names and string values borrowed when possible.
#[derive(Debug)]
struct Object<'a>(Vec<(Cow<'a, str>, Json<'a>)>);

/// A member's value: a string (borrowed when it has no escapes), or any other JSON value.
#[derive(Debug)]
enum Json<'a> {
    Str(Cow<'a, str>),
    Other(Value),
}

impl<'a> Object<'a> {
    fn get(&self, name: &str) -> Option<&Json<'a>> {
        let i = self.0.binary_search_by(|(k, _)| k.as_ref().cmp(name)).ok()?;
        self.0.get(i).map(|(_, v)| v)
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &Json<'a>)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

impl Json<'_> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            Json::Other(_) => None,
        }
    }

    /// Compact JSON text, exactly as `Value`'s `Display` writes it.
    fn to_json(&self) -> String {
        match self {
            Json::Str(s) => serde_json::to_string(s.as_ref()).unwrap_or_default(),
            Json::Other(v) => v.to_string(),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Object<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Object<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Object<'de>, A::Error> {
                let mut members = Vec::with_capacity(32);
                while let Some((name, value)) = map.next_entry::<Name<'de>, Json<'de>>()? {
                    members.push((name.0, value));
                }
                // Sort stably with the last occurrence first, then keep the first of each
                // name: the last occurrence wins, as in `serde_json::Map`.
                members.reverse();
                members.sort_by(|a, b| a.0.cmp(&b.0));
                members.dedup_by(|a, b| a.0 == b.0);
                Ok(Object(members))
            }
        }
        d.deserialize_map(V)
    }
}

/// A member name, borrowed when it has no escapes.
struct Name<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Name<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor).map(Name)
    }
}

struct StrVisitor;

impl<'de> serde::de::Visitor<'de> for StrVisitor {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

impl<'de> serde::Deserialize<'de> for Json<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
        struct V;
        // Every non-string value is built as `Value`'s own visitor builds it.
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Json<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any valid JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Json<'de>, E> {
                Ok(Json::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Json<'de>, E> {
                Ok(Json::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Json<'de>, E> {
                Ok(Json::Str(Cow::Owned(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json<'de>, E> {
                Ok(Json::Other(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json<'de>, E> {
                Ok(Json::Other(Value::Number(v.into())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json<'de>, E> {
                Ok(Json::Other(Value::Number(v.into())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Json<'de>, E> {
                Ok(Json::Other(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)))
            }
            fn visit_unit<E>(self) -> Result<Json<'de>, E> {
                Ok(Json::Other(Value::Null))
            }
            fn visit_none<E>(self) -> Result<Json<'de>, E> {
                Ok(Json::Other(Value::Null))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Json<'de>, A::Error> {
                serde::Deserialize::deserialize(SeqAccessDeserializer::new(seq)).map(Json::Other)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Json<'de>, A::Error> {
                serde::Deserialize::deserialize(MapAccessDeserializer::new(map)).map(Json::Other)
            }
        }
        d.deserialize_any(V)
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Why base64url decoding failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base64Error {
    /// A character outside the base64url alphabet, at a 1-based position.
    BadChar { position: usize, ch: char },
    /// A length that no encoding produces (4n + 1 characters).
    BadLength(usize),
}

fn base64_diag(what: &str, e: &Base64Error) -> Diagnostic {
    let detail = match e {
        Base64Error::BadChar { position, ch } => {
            format!("character {position} is `{}`, which base64url does not use", ch.escape_debug())
        }
        Base64Error::BadLength(n) => format!("its length ({n} characters) is impossible for base64"),
    };
    diag("KS501", format!("The token's {what} is not valid base64url: {detail}."), rule("KS501").fix.into())
}

/// Value of each base64 character (both alphabets); 0xff for anything else.
#[allow(clippy::indexing_slicing)] // evaluated at compile time; an out-of-range index fails the build
const B64: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8;
        t[b'a' as usize + i] = 26 + i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = 52 + d as u8;
        d += 1;
    }
    t[b'-' as usize] = 62;
    t[b'+' as usize] = 62;
    t[b'_' as usize] = 63;
    t[b'/' as usize] = 63;
    t
};

fn b64_value(b: u8) -> u8 {
    B64.get(usize::from(b)).copied().unwrap_or(0xff)
}

fn bad_char(text: &[u8], i: usize) -> Base64Error {
    let text = String::from_utf8_lossy(text);
    let position = text.get(..i).map_or(i, |p| p.chars().count()) + 1;
    let ch = text.get(i..).and_then(|r| r.chars().next()).unwrap_or(char::REPLACEMENT_CHARACTER);
    Base64Error::BadChar { position, ch }
}

/// Encode bytes as base64url without padding (how JWT parts are written).
pub fn base64url_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            let index = ((n >> (18 - 6 * i)) & 63) as usize;
            out.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'A')));
        }
    }
    out
}

/// Decode base64url (also accepting the standard alphabet and `=` padding).
pub fn base64url_decode(s: &str) -> Result<Vec<u8>, Base64Error> {
    let trimmed = s.trim_end_matches('=').as_bytes();
    if trimmed.len() % 4 == 1 {
        if let Some(i) = trimmed.iter().position(|&b| b64_value(b) == 0xff) {
            return Err(bad_char(trimmed, i));
        }
        return Err(Base64Error::BadLength(trimmed.len()));
    }
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4 + 3);
    let mut quads = trimmed.chunks_exact(4);
    for (q, quad) in quads.by_ref().enumerate() {
        let [a, b, c, d] = *quad else { continue };
        let (va, vb, vc, vd) = (b64_value(a), b64_value(b), b64_value(c), b64_value(d));
        // Valid values are below 64; 0xff marks a character outside the alphabet.
        if (va | vb | vc | vd) >= 64 {
            let i = quad.iter().position(|&x| b64_value(x) == 0xff).unwrap_or(0);
            return Err(bad_char(trimmed, q * 4 + i));
        }
        let n = (u32::from(va) << 18) | (u32::from(vb) << 12) | (u32::from(vc) << 6) | u32::from(vd);
        out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    let rest = quads.remainder();
    let mut n = 0u32;
    for (i, &x) in rest.iter().enumerate() {
        let v = b64_value(x);
        if v == 0xff {
            return Err(bad_char(trimmed, trimmed.len() - rest.len() + i));
        }
        n |= u32::from(v) << (18 - 6 * i);
    }
    match rest.len() {
        2 => out.push((n >> 16) as u8),
        3 => out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8]),
        _ => {}
    }
    Ok(out)
}

/// The decoded length of a base64url string, checking its characters without decoding.
fn base64url_len(s: &str) -> Result<usize, Base64Error> {
    let trimmed = s.trim_end_matches('=').as_bytes();
    if let Some(i) = trimmed.iter().position(|&b| b64_value(b) == 0xff) {
        return Err(bad_char(trimmed, i));
    }
    if trimmed.len() % 4 == 1 {
        return Err(Base64Error::BadLength(trimmed.len()));
    }
    Ok(trimmed.len() * 3 / 4)
}

fn str_claim(map: &Object<'_>, name: &str) -> Option<String> {
    map.get(name).and_then(Json::as_str).map(str::to_string)
}

fn render_value(v: &Json<'_>) -> String {
    match v {
        Json::Str(s) => shorten_long(s),
        Json::Other(other) => shorten_long(&other.to_string()),
    }
}

fn shorten_long(s: &str) -> String {
    const MAX: usize = 200;
    if s.len() <= MAX && s.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'\\' && b != b'"' && b != b'\'') {
        return s.to_string();
    }
    if s.chars().count() <= MAX {
        s.chars().flat_map(char::escape_debug).collect()
    } else {
        let mut out: String = s.chars().take(MAX).flat_map(char::escape_debug).collect();
        out.push('…');
        out
    }
}

fn decode_claims(map: &Object<'_>, now: i64) -> (TokenClaims, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut time = |name: &str| -> Option<TimeClaim> {
        let v = map.get(name)?;
        let secs = match v {
            Json::Other(Value::Number(n)) => n.as_i64().or_else(|| {
                n.as_f64().filter(|f| f.is_finite() && f.abs() < 1e15).map(|f| f as i64)
            }),
            _ => None,
        };
        match secs {
            Some(s) => Some(time_claim(s, now)),
            None => {
                diags.push(
                    diag(
                        "KS535",
                        format!("`{name}` is {}, not a number of seconds since 1970.", shorten(&v.to_json())),
                        rule("KS535").fix.into(),
                    )
                    .with_field(name),
                );
                None
            }
        }
    };
    let exp = time("exp");
    let iat = time("iat");
    let nbf = time("nbf");
    let aud = match map.get("aud") {
        Some(Json::Str(s)) => vec![s.to_string()],
        Some(Json::Other(Value::Array(items))) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    };
    // One pass over the claims (sorted by name): Buildkite claims into documentation order,
    // then agent tags; every other claim sorted by name, at most 100.
    let mut documented: [Option<&Json<'_>>; BUILDKITE_CLAIMS.len()] = [None; BUILDKITE_CLAIMS.len()];
    let mut tags = Vec::new();
    let mut other = Vec::new();
    for (k, v) in map.iter() {
        if let Some(slot) = BUILDKITE_CLAIMS.iter().position(|c| *c == k).and_then(|i| documented.get_mut(i)) {
            *slot = Some(v);
        } else if k.starts_with("agent_tag:") {
            tags.push(Claim { name: Cow::Owned(k.to_string()), value: render_value(v) });
        } else if !STANDARD_CLAIMS.contains(&k) && other.len() < 100 {
            other.push(Claim { name: Cow::Owned(shorten(k)), value: render_value(v) });
        }
    }
    let mut buildkite: Vec<Claim> = BUILDKITE_CLAIMS
        .iter()
        .zip(documented)
        .filter_map(|(name, v)| v.map(|v| Claim { name: Cow::Borrowed(*name), value: render_value(v) }))
        .collect();
    buildkite.append(&mut tags);
    let lifetime_seconds = match (&exp, &iat) {
        (Some(e), Some(i)) => Some(e.unix.saturating_sub(i.unix)),
        _ => None,
    };
    let remaining_seconds = exp.as_ref().map(|e| e.unix.saturating_sub(now));
    let claims = TokenClaims {
        iss: str_claim(map, "iss"),
        sub: str_claim(map, "sub"),
        aud,
        jti: str_claim(map, "jti"),
        exp,
        iat,
        nbf,
        lifetime_seconds,
        remaining_seconds,
        buildkite,
        other,
    };
    (claims, diags)
}

fn time_claim(unix: i64, now: i64) -> TimeClaim {
    let delta = unix.saturating_sub(now);
    let relative = if delta == 0 {
        "now".to_string()
    } else if delta > 0 {
        format!("in {}", human_duration(delta))
    } else {
        format!("{} ago", human_duration(delta.saturating_neg()))
    };
    TimeClaim { unix, utc: utc_iso(unix), relative }
}

/// `2026-11-25T02:43:13Z` for a UNIX time; `(out of range)` outside years 1–9999.
pub fn utc_iso(unix: i64) -> String {
    const MIN: i64 = -62_135_596_800; // 0001-01-01T00:00:00Z
    const MAX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    if !(MIN..=MAX).contains(&unix) {
        return format!("(out of range: {unix})");
    }
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    // Hand-written: this runs three times per token and `format!` dominated the profile.
    let mut out = String::with_capacity(20);
    for (n, width, sep) in [
        (y, 4, Some('-')),
        (m, 2, Some('-')),
        (d, 2, Some('T')),
        (secs / 3600, 2, Some(':')),
        (secs % 3600 / 60, 2, Some(':')),
        (secs % 60, 2, Some('Z')),
    ] {
        for p in (0..width).rev() {
            let digit = (n / 10i64.pow(p)) % 10;
            out.push(char::from(b'0' + u8::try_from(digit).unwrap_or(0)));
        }
        out.extend(sep);
    }
    out
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
/// Howard Hinnant's `civil_from_days` algorithm.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `4 min 12 s`, `2 h 3 min`, `3 d 4 h`.
pub fn human_duration(secs: i64) -> String {
    let s = secs.unsigned_abs();
    if s < 60 {
        format!("{s} s")
    } else if s < 3600 {
        format!("{} min {} s", s / 60, s % 60)
    } else if s < 86_400 {
        format!("{} h {} min", s / 3600, s % 3600 / 60)
    } else {
        format!("{} d {} h", s / 86_400, s % 86_400 / 3600)
    }
}

fn check_issuer(iss: Option<&str>, expect: &TokenExpectation, target: Option<&TokenTarget>) -> Vec<Diagnostic> {
    let expected = expect.issuer.as_deref().unwrap_or(BUILDKITE_ISSUER);
    let Some(iss) = iss else {
        return vec![
            diag(
                "KS540",
                format!("The token has no `iss` claim; expected `{expected}`."),
                rule("KS540").fix.into(),
            )
            .with_field("iss"),
        ];
    };
    if iss == expected {
        return Vec::new();
    }
    let shown = shorten(iss);
    let near = iss.trim_end_matches('/') == expected
        || iss.strip_prefix("http://").is_some_and(|r| Some(r) == expected.strip_prefix("https://"))
        || iss.eq_ignore_ascii_case(expected);
    let (message, severity) = if near {
        (
            format!("The issuer is `{shown}`, almost but not exactly `{expected}`; issuers are compared exactly."),
            Severity::Error,
        )
    } else if let Some(name) = known_issuer(iss) {
        let accepted = name.1 && target.is_none_or(TokenTarget::is_package_registry);
        (
            format!(
                "The issuer is `{shown}`: this is a {} token, not a Buildkite agent token.{}",
                name.0,
                if accepted {
                    " Package Registries accept it only if the registry's OIDC policy has a statement for this issuer."
                } else {
                    ""
                }
            ),
            if accepted { Severity::Warning } else { Severity::Error },
        )
    } else {
        (format!("The issuer is `{shown}`, expected `{expected}`."), Severity::Error)
    };
    vec![
        diag(
            "KS540",
            message,
            format!("Use a token from `buildkite-agent oidc request-token` (issuer `{expected}`), or configure the consumer for this issuer."),
        )
        .with_field("iss")
        .with_severity(severity),
    ]
}

/// (display name, accepted by Package Registries policies)
fn known_issuer(iss: &str) -> Option<(&'static str, bool)> {
    if iss.starts_with("https://token.actions.githubusercontent.com") {
        Some(("GitHub Actions", true))
    } else if iss.starts_with("https://oidc.circleci.com/") {
        Some(("CircleCI", true))
    } else if iss.starts_with("https://gitlab.") {
        Some(("GitLab", false))
    } else if iss.starts_with("https://accounts.google.com") {
        Some(("Google", false))
    } else if iss.starts_with("https://sts.windows.net/") || iss.starts_with("https://login.microsoftonline.com/") {
        Some(("Microsoft Entra", false))
    } else if iss.contains(".eks.amazonaws.com") || iss.contains("oidc.eks.") {
        Some(("Kubernetes service account (EKS)", false))
    } else {
        None
    }
}

/// What service an audience belongs to, when recognisable.
fn service_of(aud: &str) -> Option<&'static str> {
    let lower = aud.to_ascii_lowercase();
    if lower == AWS_STS_AUDIENCE || lower.ends_with(".amazonaws.com") && lower.contains("sts") {
        Some("AWS STS")
    } else if lower.starts_with("api://azureadtokenexchange") {
        Some("Azure")
    } else if lower.starts_with(GCP_PREFIX) || lower.starts_with("https://iam.googleapis.com/") {
        Some("GCP Workload Identity Federation")
    } else if lower.contains(PACKAGES_HOST) {
        Some("Buildkite Package Registries")
    } else {
        None
    }
}

fn check_audience(aud: &[String], target: Option<&TokenTarget>) -> Vec<Diagnostic> {
    let expected = target.and_then(TokenTarget::expected_audience);
    let Some(first) = aud.first() else {
        let fix = match &expected {
            Some(e) => format!("Request the token with `--audience \"{e}\"`."),
            None => rule("KS521").fix.to_string(),
        };
        return vec![diag("KS521", "The token has no `aud` claim (or it is not a string).".into(), fix).with_field("aud")];
    };
    if let Some(e) = &expected
        && aud.iter().any(|a| a == e)
    {
        // Package Registries compare `aud` with their URL as one string; a list of several
        // audiences (not what `buildkite-agent` mints) is not equal to it.
        if aud.len() > 1 && matches!(target, Some(TokenTarget::PackageRegistry { .. })) {
            return vec![diag(
                "KS519",
                format!("The token has {} audiences; Package Registries require `aud` to be exactly `{e}`, one string.", aud.len()),
                format!("Request the token with `buildkite-agent oidc request-token --audience \"{e}\"` alone."),
            )
            .with_field("aud")];
        }
        return Vec::new();
    }
    let others = match aud.len() {
        0 | 1 => String::new(),
        2 => " (and 1 more audience)".to_string(),
        n => format!(" (and {} more audiences)", n - 1),
    };
    let mut diags = match target {
        None => shape_only(first),
        Some(TokenTarget::GcpWorkloadIdentity { provider }) => check_gcp(first, provider.as_deref()),
        Some(TokenTarget::Azure) if AZURE_AUDIENCES.contains(&first.as_str()) => Vec::new(),
        Some(t) => explain_mismatch(first, &expected.unwrap_or_default(), t),
    };
    for d in &mut diags {
        d.message.push_str(&others);
        d.field = Some("aud".into());
    }
    diags
}

/// With no target: report only what is wrong whatever the token is for.
fn shape_only(aud: &str) -> Vec<Diagnostic> {
    if aud.contains(PACKAGES_HOST) {
        // Explain against the canonical form of the same registry.
        let canonical = canonical_package_audience(aud);
        match canonical {
            Some(c) if c == aud => Vec::new(),
            Some(c) => {
                let (org, registry) = split_pkg(&c).unwrap_or_default();
                explain_mismatch(aud, &c, &TokenTarget::PackageRegistry { org, registry })
            }
            None => package_structure_diag(aud).into_iter().collect(),
        }
    } else if let Some(org) = aud.strip_prefix("https://buildkite.com/") {
        // Without a target only registries and clouds are known to refuse it: a service of
        // your own may be set up to accept the default audience.
        let mut d = default_audience_diag(aud, org, None).with_severity(Severity::Warning);
        d.message = d.message.replace("no registry or cloud accepts it.", "no registry or cloud accepts it (a service of your own may be set up to).");
        vec![d]
    } else if aud.contains(['{', '}', '<', '>']) || aud.contains("${") {
        vec![placeholder_diag(aud, None)]
    } else {
        Vec::new()
    }
}

fn canonical_package_audience(aud: &str) -> Option<String> {
    let lower = aud.to_ascii_lowercase();
    let idx = lower.find(PACKAGES_HOST)?;
    let rest = aud.get(idx + PACKAGES_HOST.len()..)?;
    let mut segs = rest.split('/').filter(|s| !s.is_empty());
    let org = segs.next()?;
    let registry = segs.next()?;
    if rest.starts_with("//") || is_placeholder(org) || is_placeholder(registry) {
        return None;
    }
    let org = suggest_slug(&org.replace("%20", " "))?;
    let registry = suggest_slug(&registry.replace("%20", " "))?;
    Some(format!("https://{PACKAGES_HOST}/{org}/{registry}"))
}

fn split_pkg(aud: &str) -> Option<(String, String)> {
    let rest = aud.strip_prefix("https://")?.strip_prefix(PACKAGES_HOST)?.strip_prefix('/')?;
    let (org, registry) = rest.split_once('/')?;
    Some((org.to_string(), registry.to_string()))
}

/// Placeholders and empty segments in a `packages.buildkite.com` audience.
fn package_structure_diag(aud: &str) -> Option<Diagnostic> {
    let lower = aud.to_ascii_lowercase();
    let idx = lower.find(PACKAGES_HOST)?;
    let rest = aud.get(idx + PACKAGES_HOST.len()..).unwrap_or_default();
    let path = rest.trim_end_matches('/');
    let segs: Vec<&str> = path.split('/').skip(1).collect();
    if segs.iter().take(2).any(|s| is_placeholder(s)) || aud.contains(['{', '}', '<', '>']) {
        return Some(placeholder_diag(aud, None));
    }
    if segs.len() < 2 || segs.iter().take(2).any(|s| s.is_empty()) {
        let which = match segs.as_slice() {
            [] | [""] => "the organization and registry slugs are",
            ["", ..] => "the organization slug is",
            _ => "the registry slug is",
        };
        return Some(diag(
            "KS517",
            format!(
                "The audience `{}` has an empty part: {which} missing, as when a variable expands to nothing.",
                shorten(aud)
            ),
            "In pipeline.yml, `${VAR}` is replaced at upload time, before step `env` exists; write `$$VAR` (expanded by the shell at run time) or the value itself.".into(),
        ));
    }
    None
}

fn placeholder_diag(aud: &str, expected: Option<&str>) -> Diagnostic {
    let fix = match expected {
        Some(e) => format!("Request the token with `--audience \"{e}\"`; replace placeholders with real values."),
        None => "Replace the placeholder with the real slug; in pipeline.yml use `$$VAR` so the shell expands variables at run time.".into(),
    };
    diag("KS516", format!("The audience `{}` contains a literal placeholder.", shorten(aud)), fix)
}

fn default_audience_diag(aud: &str, org: &str, expected: Option<&str>) -> Diagnostic {
    let fix = match expected {
        Some(e) => format!("Pass `--audience \"{e}\"` to `buildkite-agent oidc request-token`."),
        None => "Pass `--audience` to `buildkite-agent oidc request-token` with the value the destination expects (for Package Registries `https://packages.buildkite.com/{org}/{registry}`).".into(),
    };
    diag(
        "KS510",
        format!(
            "The audience is `{}`, the default the agent uses when `--audience` is not given (organization `{}`); no registry or cloud accepts it.",
            shorten(aud),
            shorten(org)
        ),
        fix,
    )
}

/// Explain why `actual` differs from `expected`, one diagnostic per kind of difference.
fn explain_mismatch(actual: &str, expected: &str, target: &TokenTarget) -> Vec<Diagnostic> {
    let shown = shorten(actual);
    let want = format!("`--audience \"{expected}\"`");
    if let Some(org) = actual.strip_prefix("https://buildkite.com/")
        && !org.contains('/')
    {
        return vec![default_audience_diag(actual, org, Some(expected))];
    }
    if actual.contains(['{', '}', '<', '>']) || actual.contains("${") {
        return vec![placeholder_diag(actual, Some(expected))];
    }
    let actual_service = service_of(actual);
    let expected_service = service_of(expected);
    if actual_service.is_some() && actual_service != expected_service {
        return vec![diag(
            "KS518",
            format!(
                "The token was minted for {} (`{shown}`), but it is used with {}.",
                actual_service.unwrap_or_default(),
                target.describe()
            ),
            format!("Request a separate token for this destination with {want}."),
        )];
    }
    let TokenTarget::PackageRegistry { org: want_org, registry: want_reg } = target else {
        // Near misses of a fixed audience (AWS, Azure, an exact value).
        let d = if actual.trim_end_matches('/') == expected {
            diag("KS512", format!("The audience `{shown}` ends with `/`; it is compared exactly."), format!("Use {want}."))
        } else if actual.eq_ignore_ascii_case(expected) {
            diag(
                "KS515",
                format!("The audience `{shown}` differs from `{expected}` only in case; the comparison is case-sensitive."),
                format!("Use {want}."),
            )
        } else {
            generic_mismatch(actual, expected, target)
        };
        return vec![d];
    };
    if let Some(d) = package_structure_diag(actual) {
        return vec![d];
    }
    let mut out = Vec::new();
    let mut cur = actual.trim().to_string();
    if let Some(rest) = cur.strip_prefix("http://") {
        out.push(diag(
            "KS511",
            format!("The audience `{shown}` uses `http://`; the registry expects `https://`."),
            format!("Use {want}."),
        ));
        cur = format!("https://{rest}");
    } else if !cur.contains("://") {
        out.push(diag(
            "KS520",
            format!("The audience `{shown}` has no scheme: it is the image prefix, not the registry URL."),
            format!("Use {want}."),
        ));
        cur = format!("https://{cur}");
    }
    if cur.ends_with('/') {
        out.push(diag(
            "KS512",
            format!("The audience `{shown}` ends with `/`; the registry compares it exactly."),
            format!("Remove the trailing slash: {want}."),
        ));
        cur = cur.trim_end_matches('/').to_string();
    }
    let path = cur.strip_prefix("https://").unwrap_or(&cur);
    let mut segs = path.split('/');
    let host = segs.next().unwrap_or_default();
    let org = segs.next().unwrap_or_default();
    let registry = segs.next().unwrap_or_default();
    let extra: Vec<&str> = segs.collect();
    if !extra.is_empty() {
        out.push(diag(
            "KS513",
            format!(
                "The audience `{shown}` has `/{}` after the registry: the image path belongs in `--destination`, not in the audience.",
                shorten(&extra.join("/"))
            ),
            format!("Use {want}."),
        ));
    }
    if !host.eq_ignore_ascii_case(PACKAGES_HOST) {
        out.push(generic_mismatch(actual, expected, target));
        return out;
    }
    let mut mismatched = Vec::new();
    for (kind, got, want_seg) in [("organization", org, want_org.as_str()), ("registry", registry, want_reg.as_str())] {
        if got == want_seg {
            continue;
        }
        let decoded = got.replace("%20", " ");
        if decoded.contains(' ') && suggest_slug(&decoded).as_deref() == Some(want_seg) {
            out.push(diag(
                "KS514",
                format!(
                    "The {kind} part of the audience is `{}`, a display name; the slug is `{want_seg}`.",
                    shorten(&decoded)
                ),
                format!("Use the slug: {want}."),
            ));
        } else if got.eq_ignore_ascii_case(want_seg) {
            out.push(diag(
                "KS515",
                format!(
                    "The {kind} part of the audience is `{}`, which differs from `{want_seg}` only in case; the comparison is case-sensitive.",
                    shorten(got)
                ),
                format!("Use lowercase: {want}."),
            ));
        } else if suggest_slug(&decoded).as_deref() == Some(want_seg) {
            out.push(diag(
                "KS514",
                format!(
                    "The {kind} part of the audience is `{}`, which looks like a display name; the slug is `{want_seg}`.",
                    shorten(got)
                ),
                format!("Use the slug: {want}."),
            ));
        } else {
            mismatched.push((kind, got, want_seg));
        }
    }
    if !mismatched.is_empty() {
        let parts: Vec<String> = mismatched
            .iter()
            .map(|(kind, got, w)| format!("{kind} `{}` instead of `{w}`", shorten(got)))
            .collect();
        out.push(diag(
            "KS519",
            format!(
                "The token's audience is `{shown}` but the destination is {}: {}.",
                target.describe(),
                parts.join(", ")
            ),
            format!("Request the token for the registry you push to: {want}. If the registry was renamed, its slug (and audience) changed too."),
        ));
    }
    if out.is_empty() {
        out.push(generic_mismatch(actual, expected, target));
    }
    out
}

fn generic_mismatch(actual: &str, expected: &str, target: &TokenTarget) -> Diagnostic {
    let hint = match target {
        _ if actual.contains(expected) => " (it has extra characters around the expected value)",
        TokenTarget::AwsSts if actual.contains("amazon") => " (check the spelling: it is `sts.amazonaws.com`)",
        _ => "",
    };
    diag(
        "KS519",
        format!(
            "The token's audience is `{}` but {} expects `{}`{hint}.",
            shorten(actual),
            target.describe(),
            shorten(expected)
        ),
        format!("Request the token with `--audience \"{expected}\"`."),
    )
}

fn check_gcp(aud: &str, provider: Option<&str>) -> Vec<Diagnostic> {
    let normalized = aud.strip_prefix("https:").unwrap_or(aud);
    if let Some(p) = provider {
        let p_norm = p.strip_prefix("https:").unwrap_or(p);
        if normalized == p_norm {
            return Vec::new();
        }
    }
    if let Some(org) = aud.strip_prefix("https://buildkite.com/") {
        return vec![default_audience_diag(aud, org, provider)];
    }
    if aud.contains(['{', '}', '<', '>']) || aud.contains("${") {
        return vec![placeholder_diag(aud, provider)];
    }
    match service_of(aud) {
        Some(s) if s != "GCP Workload Identity Federation" => {
            return vec![diag(
                "KS518",
                format!("The token was minted for {s} (`{}`), but it is used with GCP Workload Identity Federation.", shorten(aud)),
                "Request a separate token with `--audience` set to the provider's full resource name.".into(),
            )];
        }
        _ => {}
    }
    if let Some(problem) = gcp_shape_problem(normalized) {
        return vec![diag(
            "KS522",
            format!("The audience `{}` is not a provider's full resource name: {problem}.", shorten(aud)),
            "Use `//iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER` for both `--audience` and the credential file's `audience`.".into(),
        )];
    }
    match provider {
        Some(p) => vec![generic_mismatch(aud, p, &TokenTarget::GcpWorkloadIdentity { provider: Some(p.to_string()) })],
        None => Vec::new(),
    }
}

fn gcp_shape_problem(aud: &str) -> Option<&'static str> {
    let Some(rest) = aud.strip_prefix(GCP_PREFIX) else {
        return Some("it must start with `//iam.googleapis.com/`");
    };
    let segs: Vec<&str> = rest.split('/').collect();
    match segs.as_slice() {
        ["projects", number, "locations", "global", "workloadIdentityPools", pool, "providers", provider] => {
            if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
                Some("the project must be the project NUMBER, not the project ID")
            } else if pool.is_empty() || provider.is_empty() {
                Some("the pool or provider name is empty")
            } else {
                None
            }
        }
        ["projects", _, "locations", "global", "workloadIdentityPools", _] => {
            Some("it names the pool; add `/providers/PROVIDER`")
        }
        _ => Some("expected `projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER`"),
    }
}

fn check_times(c: &TokenClaims, target: Option<&TokenTarget>, now: i64) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let for_packages = target.map_or_else(
        || c.aud.iter().any(|a| a.contains(PACKAGES_HOST)),
        TokenTarget::is_package_registry,
    );
    match &c.exp {
        None => out.push(
            diag("KS534", "The token has no `exp` claim.".into(), rule("KS534").fix.into()).with_field("exp"),
        ),
        Some(exp) if exp.unix <= now => {
            let lifetime = c
                .lifetime_seconds
                .map(|l| format!(" Its lifetime was {l} s (`exp − iat`)."))
                .unwrap_or_default();
            out.push(
                diag(
                    "KS530",
                    format!("The token expired {} ago, at {}.{lifetime}", human_duration(now.saturating_sub(exp.unix)), exp.utc),
                    "Mint the token immediately before it is used (right before Kaniko runs, not at the start of the job); a build longer than the lifetime fails at push.".into(),
                )
                .with_field("exp"),
            );
        }
        Some(_) => {}
    }
    if c.iat.is_none() {
        let d = diag("KS534", "The token has no `iat` claim.".into(), rule("KS534").fix.into()).with_field("iat");
        out.push(if for_packages { d } else { d.with_severity(Severity::Warning) });
    }
    for (name, t) in [("nbf", &c.nbf), ("iat", &c.iat)] {
        if let Some(t) = t
            && t.unix > now
        {
            out.push(
                diag(
                    "KS531",
                    format!("`{name}` is {} ({}): the token is not valid yet.", t.utc, t.relative),
                    rule("KS531").fix.into(),
                )
                .with_field(name),
            );
            break;
        }
    }
    if let Some(l) = c.lifetime_seconds {
        if l < 0 {
            out.push(diag("KS535", format!("`exp` is {} s before `iat`.", l.unsigned_abs()), rule("KS535").fix.into()).with_field("exp"));
        } else if l > AGENT_MAX_LIFETIME {
            out.push(
                diag(
                    "KS533",
                    format!("The token's lifetime is {l} s ({}); the agent can request at most {AGENT_MAX_LIFETIME} s.", human_duration(l)),
                    rule("KS533").fix.into(),
                )
                .with_field("exp"),
            );
        }
        if for_packages && l > PACKAGE_REGISTRY_MAX_LIFETIME {
            out.push(
                diag(
                    "KS532",
                    format!(
                        "The token's lifetime is {l} s ({}); Package Registries refuse tokens living longer than {PACKAGE_REGISTRY_MAX_LIFETIME} s.",
                        human_duration(l)
                    ),
                    rule("KS532").fix.into(),
                )
                .with_field("exp"),
            );
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64url_encode(s.as_bytes())
    }

    fn jwt(claims: &str) -> String {
        format!("{}.{}.{}", b64(r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#), b64(claims), b64("sig-bytes"))
    }

    const NOW: i64 = 1_764_000_000;

    fn pkg() -> TokenExpectation {
        TokenExpectation {
            target: Some(TokenTarget::PackageRegistry { org: "acme".into(), registry: "images".into() }),
            issuer: None,
        }
    }

    fn good(aud: &str) -> String {
        jwt(&format!(
            r#"{{"iss":"https://agent.buildkite.com","aud":"{aud}","sub":"x","iat":{},"nbf":{},"exp":{},"organization_slug":"acme","build_tag":null}}"#,
            NOW - 10,
            NOW - 10,
            NOW + 290
        ))
    }

    fn ids(r: &TokenReport) -> Vec<&'static str> {
        r.diagnostics.iter().map(|d| d.id).collect()
    }

    /// The borrowed object as the `serde_json::Map` it stands for.
    fn as_map(object: &Object<'_>) -> Map<String, Value> {
        object
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Json::Str(s) => Value::String(s.to_string()),
                    Json::Other(v) => v.clone(),
                };
                (k.to_string(), v)
            })
            .collect()
    }

    /// `parse_object` must read exactly what `serde_json::Value` reads, and fail where it fails.
    fn assert_same_as_value(text: &str) {
        let bytes = text.as_bytes();
        let ours = parse_object(bytes, "claims");
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => {
                let object = ours.map_err(|d| d.message).expect(text);
                assert_eq!(as_map(&object), map, "{text}");
                for (k, v) in object.iter() {
                    assert_eq!(v.to_json(), map[k].to_string(), "{text}");
                }
            }
            _ => assert!(ours.is_err(), "{text}"),
        }
    }

    #[test]
    fn borrowed_claims_read_like_serde_json_value() {
        for text in [
            r#"{"b":1,"a":"x","b":"last wins","a\u0041":"esc\"aped\n","é":[1,"2",{"z":null}]}"#,
            r#"{"exp":1.5e3,"iat":-7,"nbf":18446744073709551615,"t":true,"f":false,"n":null,"o":{"k":"v","k":"w"}}"#,
            r#"  {}  "#,
            r#"{"a":"\ud83d\ude00","\ud800x":1}"#,
            r#"[1,2]"#,
            r#""just a string""#,
            r#"{"a":1,}"#,
            r#"{"a":1} trailing"#,
            r#"{"a":1e400}"#,
            r#"{"a":"\x"}"#,
            "{\"a\":\"\u{0}\"}",
            "",
            "nul\u{0}",
        ] {
            assert_same_as_value(text);
        }
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(200), "]".repeat(200));
        assert_same_as_value(&deep);
        assert!(parse_object(b"\xff\xfe", "claims").is_err());
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        fn value() -> impl Strategy<Value = Value> {
            prop_oneof![
                "\\PC{0,8}".prop_map(Value::String),
                any::<i64>().prop_map(Value::from),
                any::<u64>().prop_map(Value::from),
                proptest::num::f64::NORMAL.prop_map(Value::from),
                any::<bool>().prop_map(Value::Bool),
                Just(Value::Null),
                proptest::collection::vec(any::<i32>().prop_map(Value::from), 0..3).prop_map(Value::Array),
            ]
        }

        proptest! {
            #[test]
            fn borrowed_claims_match_value_on_any_object(
                members in proptest::collection::vec(("[a-c]{0,2}|\\PC{0,6}", value()), 0..12),
            ) {
                // Written by hand so that repeated names stay in the text.
                let body: Vec<String> =
                    members.iter().map(|(k, v)| format!("{}:{v}", Value::String(k.clone()))).collect();
                assert_same_as_value(&format!("{{{}}}", body.join(",")));
            }
        }
    }

    #[test]
    fn every_rule_id_used_resolves() {
        for r in RULES {
            assert_eq!(rule(r.id).id, r.id);
        }
    }

    #[test]
    fn civil_dates() {
        assert_eq!(utc_iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_iso(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_iso(1_764_000_000), "2025-11-24T16:00:00Z");
        assert_eq!(utc_iso(-1), "1969-12-31T23:59:59Z");
        assert!(utc_iso(i64::MAX).contains("out of range"));
    }

    #[test]
    fn base64url_round_trips() {
        for len in 0..40usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + len) as u8).collect();
            let text: String = bytes.iter().map(|&b| b as char).collect();
            let encoded = b64(&text);
            let decoded = base64url_decode(&encoded).unwrap();
            assert_eq!(String::from_utf8_lossy(&decoded), String::from_utf8_lossy(text.as_bytes()), "{len}");
        }
    }

    #[test]
    fn base64url() {
        assert_eq!(base64url_decode("aGk").ok(), Some(b"hi".to_vec()));
        assert_eq!(base64url_decode("aGk=").ok(), Some(b"hi".to_vec()));
        assert!(matches!(base64url_decode("a%b"), Err(Base64Error::BadChar { position: 2, .. })));
        assert!(matches!(base64url_decode("abcde"), Err(Base64Error::BadLength(5))));
    }

    #[test]
    fn a_good_token_is_clean() {
        let r = inspect_token(&good("https://packages.buildkite.com/acme/images"), &pkg(), NOW);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let c = r.claims.expect("claims");
        assert_eq!(c.lifetime_seconds, Some(300));
        assert_eq!(c.remaining_seconds, Some(290));
        assert_eq!(c.buildkite.first().map(|c| c.value.as_str()), Some("acme"));
        assert!(!r.signature_verified);
    }

    #[test]
    fn input_forms() {
        let t = good("https://packages.buildkite.com/acme/images");
        for (input, form) in [
            (format!("  \"{t}\"\n"), InputForm::Jwt),
            (format!("Bearer {t}"), InputForm::Bearer),
            (format!("{{\"token\":\"{t}\"}}"), InputForm::TokenJson),
            (format!("{{\"id_token\":\"{t}\",\"token_type\":\"urn:ietf:params:oauth:token-type:jwt\",\"version\":1,\"success\":true}}"), InputForm::GcpJson),
        ] {
            let r = inspect_token(&input, &pkg(), NOW);
            assert_eq!(r.input, Some(form));
            assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        }
    }

    #[test]
    fn audience_mistakes_each_get_their_rule() {
        for (aud, id) in [
            ("https://buildkite.com/acme", "KS510"),
            ("http://packages.buildkite.com/acme/images", "KS511"),
            ("https://packages.buildkite.com/acme/images/", "KS512"),
            ("https://packages.buildkite.com/acme/images/app:1", "KS513"),
            ("https://packages.buildkite.com/acme/Images%20", "KS514"),
            ("https://packages.buildkite.com/acme/Images", "KS515"),
            ("https://packages.buildkite.com/{BUILDKITE_ORGANIZATION_SLUG}/images", "KS516"),
            ("https://packages.buildkite.com//images", "KS517"),
            ("sts.amazonaws.com", "KS518"),
            ("https://packages.buildkite.com/acme/other", "KS519"),
            ("packages.buildkite.com/acme/images", "KS520"),
        ] {
            let r = inspect_token(&good(aud), &pkg(), NOW);
            assert_eq!(ids(&r).first().copied(), Some(id), "{aud}: {:?}", r.diagnostics);
        }
        let r = inspect_token(&good("https://packages.buildkite.com/acme/My Images"), &TokenExpectation {
            target: Some(TokenTarget::PackageRegistry { org: "acme".into(), registry: "my-images".into() }),
            issuer: None,
        }, NOW);
        assert_eq!(ids(&r), ["KS514"]);
    }

    /// `aud` is compared as one string: a list holding the registry's URL and another
    /// audience is refused by Package Registries (a list of one is the same as the string).
    #[test]
    fn several_audiences_are_not_a_package_registry_audience() {
        let packages = TokenExpectation { target: Some(TokenTarget::PackageRegistry { org: "acme".into(), registry: "images".into() }), issuer: None };
        let with = |aud: &str| jwt(&format!(r#"{{"iss":"https://agent.buildkite.com","aud":{aud},"sub":"x","iat":{},"nbf":{},"exp":{},"organization_slug":"acme"}}"#, NOW - 10, NOW - 10, NOW + 290));
        let r = inspect_token(&with(r#"["https://packages.buildkite.com/acme/images","sts.amazonaws.com"]"#), &packages, NOW);
        assert_eq!(ids(&r), ["KS519"]);
        let r = inspect_token(&with(r#"["https://packages.buildkite.com/acme/images"]"#), &packages, NOW);
        assert!(ids(&r).is_empty(), "{:?}", r.diagnostics);
    }

    #[test]
    fn near_misses_of_fixed_audiences() {
        let azure = TokenExpectation { target: Some(TokenTarget::Azure), issuer: None };
        let aws = TokenExpectation { target: Some(TokenTarget::AwsSts), issuer: None };
        assert_eq!(ids(&inspect_token(&good("api://AzureADTokenExchange/"), &azure, NOW)), ["KS512"]);
        assert_eq!(ids(&inspect_token(&good("api://azureadtokenexchange"), &azure, NOW)), ["KS515"]);
        assert!(ids(&inspect_token(&good("api://AzureADTokenExchangeUSGov"), &azure, NOW)).is_empty());
        let r = inspect_token(&good("https://sts.amazonaws.com"), &aws, NOW);
        assert_eq!(ids(&r), ["KS519"]);
        assert!(r.diagnostics[0].message.contains("extra characters"), "{}", r.diagnostics[0].message);
        let r = inspect_token(&good("sts.amazon.com"), &aws, NOW);
        assert!(r.diagnostics[0].message.contains("check the spelling"), "{}", r.diagnostics[0].message);
    }

    #[test]
    fn times() {
        let expired = jwt(&format!(
            r#"{{"iss":"https://agent.buildkite.com","aud":"https://packages.buildkite.com/acme/images","iat":{},"exp":{}}}"#,
            NOW - 4000,
            NOW - 100
        ));
        let r = inspect_token(&expired, &pkg(), NOW);
        assert_eq!(ids(&r), ["KS530", "KS532"]);
        assert!(r.diagnostics[0].message.contains("1 min 40 s ago"), "{}", r.diagnostics[0].message);
    }

    #[test]
    fn regression_absurd_exp_does_not_overflow() {
        let t = jwt(r#"{"iss":"https://agent.buildkite.com","aud":"x","exp":-2275911679431483357,"iat":9223372036854775807}"#);
        let r = inspect_token(&t, &TokenExpectation::default(), 6_947_460_357_423_292_451);
        assert!(ids(&r).contains(&"KS530"), "{:?}", r.diagnostics);
        assert!(ids(&r).contains(&"KS535"), "{:?}", r.diagnostics);
    }

    #[test]
    fn malformed_never_panics() {
        for bad in ["", "a.b", "a.b.c.d", "a.b.c.d.e", "%%%.x.y", "e30.e30", "e30.bm90.c2ln", "{", "{\"x\":1}", "Bearer", "\"\""] {
            let r = inspect_token(bad, &pkg(), NOW);
            assert!(r.claims.is_none(), "{bad}");
            assert_eq!(r.diagnostics.len(), 1, "{bad}");
        }
    }

    #[test]
    fn registry_reference() {
        assert_eq!(
            TokenTarget::from_registry_ref("packages.buildkite.com/acme/images/app:1").ok(),
            Some(TokenTarget::PackageRegistry { org: "acme".into(), registry: "images".into() })
        );
        assert!(TokenTarget::from_registry_ref("ghcr.io/acme/app").is_err());
        assert!(TokenTarget::from_registry_ref("packages.buildkite.com/acme").is_err());
    }
}
