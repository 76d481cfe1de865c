//! What each fuzz target checks, shared by `fuzz/fuzz_targets/*.rs` (libFuzzer, nightly) and by
//! `tests/tests/fuzz_corpus.rs`, which replays the committed corpus in the normal test run.
//!
//! Every function takes the fuzzer's raw bytes, turns them into the inputs a user could give
//! the core (text, chunks, a claims object), calls the core, and checks invariants that must
//! hold for any input. Returning normally is a pass; a panic (from the core or from a failed
//! invariant here) is a finding.
#![allow(clippy::panic)] // a broken invariant is the fuzz target (or test) failing

use kaniko_studio_core::config_file::{ConfigFormat, FragmentError, MAX_FRAGMENT_LEN, MAX_SHAPE_ERRORS, parse_config, parse_config_all};
use kaniko_studio_core::diagnose::{DiagnoseContext, Diagnoser, RegistryKind, diagnose as diagnose_log};
use kaniko_studio_core::lint::{SourceFile, lint as lint_files};
use kaniko_studio_core::policy;
use kaniko_studio_core::token::{TokenExpectation, TokenTarget, inspect_token};
use kaniko_studio_core::{BuildConfig, Diagnostic};

/// The byte that separates several inputs packed into one fuzz input (files, policy and claims).
pub const SEPARATOR: char = '\u{0}';

/// A fixed "now" (2026-11-25T06:00:00Z): token checks must be deterministic.
pub const NOW: i64 = 1_795_586_400;

/// Pipeline linting. The input is one or more files separated by NUL: the first is the
/// pipeline (JSON when it starts with `{`, a script when it starts with `#!`, YAML otherwise),
/// the others are hooks or scripts it runs (linted together: audiences are compared across files).
pub fn lint(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parts: Vec<&str> = text.split(SEPARATOR).take(4).collect();
    let files: Vec<SourceFile<'_>> = parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let path = match i {
                0 if part.trim_start().starts_with('{') => "pipeline.json",
                0 if part.starts_with("#!") => "scripts/build.sh",
                0 => ".buildkite/pipeline.yml",
                1 => "hooks/pre-command",
                2 => ".buildkite/build-image.sh",
                _ => "hooks/environment",
            };
            SourceFile { path, text: part }
        })
        .collect();
    let found = lint_files(&files);
    let lines: Vec<u32> = files.iter().map(|f| line_count(f.text)).collect();
    let secrets = kaniko_studio_core::validate::credential_words(files.iter().map(|f| f.text));
    for f in &found {
        let file = files.iter().position(|s| s.path == f.path).unwrap_or_else(|| panic!("finding for unknown file {}", f.path));
        check_diagnostic(&f.diagnostic);
        check_hidden(&f.diagnostic, &secrets);
        if let Some(span) = f.diagnostic.span {
            check_span(span, lines.get(file).copied().unwrap_or_default(), &f.diagnostic);
        }
    }
    let json = serde_json::to_string(&found).unwrap_or_else(|e| panic!("lint findings do not serialize: {e}"));
    assert!(!json.is_empty());
}

/// Log diagnosis. The first byte picks the context and the chunk sizes; the rest is the log.
/// The streaming [`Diagnoser`], fed the log in arbitrary chunks, must find exactly what
/// [`diagnose_log`] finds on the whole log.
pub fn diagnose(data: &[u8]) {
    let Some((&control, log)) = data.split_first() else {
        return;
    };
    let ctx = context(control);
    let whole = diagnose_log(log, &ctx);
    for f in &whole {
        check_diagnostic(&f.to_diagnostic());
        assert!(f.occurrences >= 1, "{}: a finding with no occurrence", f.id);
        assert!(f.lines.len() <= kaniko_studio_core::diagnose::MAX_RANGES, "{}: too many line ranges", f.id);
        assert!(f.matched.chars().count() <= 1024, "{}: the matched line is not shortened", f.id);
        for r in &f.lines {
            assert!(r.start >= 1 && r.start <= r.end, "{}: bad line range {r:?}", f.id);
        }
    }

    // The same log in chunks whose sizes cycle through a few lengths picked by `control`.
    let sizes = [1 + usize::from(control >> 4), 1 + usize::from(control & 0x0f) * 7, 4096];
    let mut d = Diagnoser::new(&ctx);
    let mut rest = log;
    let mut i = 0;
    while !rest.is_empty() {
        let n = sizes.get(i % sizes.len()).copied().unwrap_or(1).min(rest.len());
        let (chunk, tail) = rest.split_at(n);
        d.feed(chunk);
        rest = tail;
        i += 1;
    }
    let streamed = d.finish();
    assert_eq!(whole, streamed, "feeding the log in chunks changes the findings");

    let json = serde_json::to_string(&whole).unwrap_or_else(|e| panic!("findings do not serialize: {e}"));
    assert!(!json.is_empty());
}

fn context(control: u8) -> DiagnoseContext {
    match control % 4 {
        0 => DiagnoseContext::default(),
        1 => DiagnoseContext {
            destination: Some("packages.buildkite.com/acme/images/app:1".into()),
            org: Some("acme".into()),
            registry: Some("images".into()),
            token_lifetime: Some(600),
            ..DiagnoseContext::default()
        },
        2 => DiagnoseContext {
            audience: Some("sts.amazonaws.com".into()),
            destination: Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1".into()),
            registry_kind: Some(RegistryKind::from_host("123456789012.dkr.ecr.us-east-1.amazonaws.com")),
            ..DiagnoseContext::default()
        },
        _ => DiagnoseContext {
            destination: Some("europe-west1-docker.pkg.dev/proj/repo/app:1".into()),
            ..DiagnoseContext::default()
        },
    }
}

/// Token inspection. The first byte picks what the token is checked against; the rest is what
/// the user pasted (a JWT, `Bearer …`, JSON, a Docker `config.json`, …).
pub fn token(data: &[u8]) {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let input = String::from_utf8_lossy(rest);
    let target = match control % 6 {
        0 => None,
        1 => Some(TokenTarget::PackageRegistry { org: "acme".into(), registry: "images".into() }),
        2 => Some(TokenTarget::AwsSts),
        3 => Some(TokenTarget::GcpWorkloadIdentity {
            provider: Some("//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/bk".into()),
        }),
        4 => Some(TokenTarget::Azure),
        _ => Some(TokenTarget::Exact { audience: "https://example.com".into() }),
    };
    let issuer = (control & 0x80 != 0).then(|| "https://agent.buildkite.com".to_string());
    let now = if control & 0x40 != 0 { i64::MAX } else { NOW };
    let report = inspect_token(&input, &TokenExpectation { target, issuer }, now);
    assert!(!report.signature_verified, "the signature is never verified");
    for d in &report.diagnostics {
        check_diagnostic(d);
    }
    let json = serde_json::to_string(&report).unwrap_or_else(|e| panic!("token report does not serialize: {e}"));
    assert!(!json.is_empty());
    // The policy page decodes the same pasted token for its claims.
    let _ = policy::jwt_claims(&input);
}

/// Policy parsing and evaluation. The input is the policy, then (after a NUL) the claims, as a
/// JSON object or a JWT. Every policy that parses is evaluated; a glob from the input is also
/// matched against the rest, since claim patterns come from users.
pub fn policy(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (policy_text, claims_text) = text.split_once(SEPARATOR).unwrap_or((&text, ""));
    let (parsed, diags) = policy::check_policy(policy_text);
    let lines = line_count(policy_text);
    for d in &diags {
        check_diagnostic(d);
        if let Some(span) = d.span {
            check_span(span, lines, d);
        }
    }
    let claims = policy::claims_from_json(claims_text)
        .or_else(|_| policy::jwt_claims(claims_text))
        .unwrap_or_else(|_| default_claims());
    let (evaluation, eval_diags) = policy::evaluate(&parsed, &claims);
    assert_eq!(evaluation.statements.len(), parsed.statements.len());
    if let Some(n) = evaluation.matched {
        assert!(evaluation.statements.iter().any(|s| s.number == n && s.matched));
    }
    for d in &eval_diags {
        check_diagnostic(d);
    }
    let _ = serde_json::to_string(&(&parsed, &evaluation)).unwrap_or_else(|e| panic!("policy does not serialize: {e}"));

    // Globs: the first line is the pattern, the second the value (bounded size).
    let mut lines = policy_text.lines();
    if let (Some(pattern), Some(value)) = (lines.next(), lines.next()) {
        let matched = policy::glob_matches(pattern, value);
        if !pattern.contains(['*', '?']) {
            assert_eq!(matched, pattern == value, "a pattern without wildcards is an exact match");
        }
    }
}

fn default_claims() -> serde_json::Map<String, serde_json::Value> {
    let json = serde_json::json!({
        "iss": "https://agent.buildkite.com",
        "sub": "organization:acme:pipeline:app:ref:refs/heads/main:commit:abc:step:build",
        "aud": "https://packages.buildkite.com/acme/images",
        "organization_slug": "acme",
        "pipeline_slug": "app",
        "build_branch": "main",
        "build_number": 42,
        "build_source": "webhook",
        "runner_environment": "buildkite-hosted"
    });
    match json {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// Configuration parsing: the input as a YAML file, as a JSON file, as a share-link fragment,
/// and (base64url-encoded) as the payload of a `v1.` fragment. Whatever parses must write back
/// (YAML, JSON, fragment) to text that parses to the same configuration, and must validate and
/// generate without panicking.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parsed: Vec<BuildConfig> = Vec::new();
    for format in [ConfigFormat::Yaml, ConfigFormat::Json] {
        match parse_config(&text, format) {
            Ok(c) => parsed.push(c),
            Err(e) => {
                check_diagnostic(&e.to_diagnostic());
                // Every problem at once: the first is the one `parse_config` gives, each is a
                // good diagnostic, and there are never more than the cap.
                let all = parse_config_all(&text, format).expect_err("parse_config failed");
                assert_eq!(all.first(), Some(&e), "parse_config_all starts with another error");
                assert!(all.len() <= MAX_SHAPE_ERRORS, "{} errors", all.len());
                for e in &all[1..] {
                    check_diagnostic(&e.to_diagnostic());
                }
            }
        }
    }
    if let Ok(c) = BuildConfig::from_fragment(&text) {
        parsed.push(c);
    }
    let fragment = format!("v1.{}", kaniko_studio_core::token::base64url_encode(data));
    if let Ok(c) = BuildConfig::from_fragment(&fragment) {
        parsed.push(c);
    }
    parsed.dedup();
    for c in &parsed {
        round_trip(c);
    }
}

fn round_trip(c: &BuildConfig) {
    let yaml = c.to_yaml_string();
    match BuildConfig::from_yaml_str(&yaml) {
        Ok(back) => assert_eq!(&back, c, "YAML round trip changes the configuration:\n{yaml}"),
        Err(e) => panic!("written YAML does not parse back: {e}\n{yaml}"),
    }
    let json = c.to_json_string();
    match BuildConfig::from_json_str(&json) {
        Ok(back) => assert_eq!(&back, c, "JSON round trip changes the configuration:\n{json}"),
        Err(e) => panic!("written JSON does not parse back: {e}\n{json}"),
    }
    // Links longer than the limit are refused by both sides (the app offers the file instead).
    let fragment = c.to_fragment();
    match BuildConfig::from_fragment(&fragment) {
        Ok(back) => assert_eq!(&back, c, "fragment round trip changes the configuration"),
        Err(FragmentError::TooLong { .. }) if fragment.len() > MAX_FRAGMENT_LEN => {}
        Err(e) => panic!("written fragment does not parse back: {e}"),
    }
    // What looks like a credential (KS155) is never repeated by a finding, and nothing is
    // generated around it.
    let mut strings = Vec::new();
    collect_strings(&c.to_value(), &mut strings);
    let secrets = kaniko_studio_core::validate::credential_words(strings.iter().map(String::as_str));
    let validated = kaniko_studio_core::validate::validate(c);
    for d in &validated {
        check_diagnostic(d);
        check_hidden(d, &secrets);
    }
    let (artifacts, diags) = kaniko_studio_core::generate::generate(c);
    for d in &diags {
        check_diagnostic(d);
        check_hidden(d, &secrets);
    }
    for a in &artifacts.files {
        for s in &secrets {
            assert!(!a.content.contains(s), "{} carries what looks like a credential", a.path);
        }
    }
}

fn collect_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        serde_json::Value::Object(map) => map.iter().for_each(|(k, i)| {
            out.push(k.clone());
            collect_strings(i, out);
        }),
        _ => {}
    }
}

/// A finding never repeats what looks like a credential.
fn check_hidden(d: &Diagnostic, secrets: &[&str]) {
    for s in secrets {
        assert!(!d.message.contains(s) && !d.fix.contains(s), "{} repeats what looks like a credential: {}", d.id, d.message);
    }
}

/// Every diagnostic names a known rule and says something.
fn check_diagnostic(d: &Diagnostic) {
    assert!(d.id.starts_with("KS") && d.id.len() == 5, "bad rule id {:?}", d.id);
    assert!(!d.message.trim().is_empty(), "{}: empty message", d.id);
}

/// An upper bound of the number of lines in `text`: any line break counts, including a lone CR,
/// plus one for "at the end of the file".
fn line_count(text: &str) -> u32 {
    let breaks = text.matches(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']).count();
    u32::try_from(breaks).unwrap_or(u32::MAX).saturating_add(1)
}

/// A span is 1-based, ordered, and inside the text (`lines` from [`line_count`]).
fn check_span(span: kaniko_studio_core::Span, lines: u32, d: &Diagnostic) {
    assert!(span.line >= 1 && span.col >= 1, "{}: span {span:?} is not 1-based", d.id);
    assert!(span.line <= lines, "{}: span {span:?} is past the end ({lines} lines)", d.id);
    assert!(
        (span.end_line, span.end_col) >= (span.line, span.col) || span.end_line == 0,
        "{}: span {span:?} ends before it starts",
        d.id
    );
}
