//! Validation golden files: `tests/fixtures/validate/<rule>-trigger[-variant].yaml` must report
//! the rule, `<rule>-near-miss[-variant].yaml` (a close variant that is fine) must not; the full report of each is
//! kept in `tests/golden/validate/<case>.out`. Regenerate with
//! `UPDATE_GOLDEN=1 cargo test -p kaniko-studio-tests --test validate_golden` and review.
#![allow(clippy::panic)]

use kaniko_studio_core::Diagnostic;
use kaniko_studio_core::config_file::{ConfigFormat, locate_diagnostics, parse_config};
use kaniko_studio_core::validate::validate;
use kaniko_studio_tests::{assert_golden, repo_root};

/// The report as `kaniko-studio validate` prints it, without colours, docs links or carets.
fn report(file: &str, text: &str) -> (String, Vec<Diagnostic>) {
    let diags = match parse_config(text, ConfigFormat::detect(Some(file), text)) {
        Ok(config) => locate_diagnostics(text, validate(&config)),
        Err(e) => vec![e.to_diagnostic()],
    };
    let mut out = String::new();
    for d in &diags {
        let location = match d.span {
            Some(s) => format!("{file}:{}:{}", s.line, s.col),
            None => file.to_string(),
        };
        let field = d.field.as_deref().map(|f| format!(" {f}")).unwrap_or_default();
        out.push_str(&format!("{location}: {}[{}]{field}: {}\n  fix: {}\n", d.severity.as_str(), d.id, d.message, d.fix));
    }
    if diags.is_empty() {
        out.push_str(&format!("{file}: no problems found\n"));
    }
    (out, diags)
}

#[test]
fn every_fixture_matches_its_golden_and_expectation() {
    let dir = repo_root().join("tests").join("fixtures").join("validate");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 100, "fixtures missing: {}", names.len());
    let mut failures = Vec::new();
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (out, diags) = report(name, &text);
        let stem = name.trim_end_matches(".yaml");
        assert_golden(&format!("validate/{stem}.out"), &out);
        // `<rule>-trigger[-variant]` or `<rule>-near-miss[-variant]`.
        let (rule, rest) = stem.split_once('-').unwrap_or((stem, ""));
        let kind = ["trigger", "near-miss"].into_iter().find(|k| rest.starts_with(k)).unwrap_or(rest);
        let id = rule.to_ascii_uppercase();
        let reported = diags.iter().any(|d| d.id == id);
        match kind {
            "trigger" if !reported => failures.push(format!("{name}: {id} not reported")),
            "near-miss" if reported => failures.push(format!("{name}: {id} reported on a near miss")),
            "trigger" | "near-miss" => {}
            other => failures.push(format!("{name}: unknown case kind {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_configuration_rule_has_a_trigger_and_a_near_miss() {
    let dir = repo_root().join("tests").join("fixtures").join("validate");
    let modules = [
        kaniko_studio_core::kaniko_flags::RULES,
        kaniko_studio_core::config_file::RULES,
        kaniko_studio_core::validate::RULES,
    ];
    for rule in modules.into_iter().flatten() {
        // KS143 cannot come from a file: loading rejects the version first (KS102).
        if rule.id == "KS143" {
            continue;
        }
        for kind in ["trigger", "near-miss"] {
            let path = dir.join(format!("{}-{kind}.yaml", rule.id.to_ascii_lowercase()));
            assert!(path.exists(), "{} has no {kind} fixture", rule.id);
        }
    }
}
