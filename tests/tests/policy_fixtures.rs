//! Every OIDC policy rule against its fixtures: `tests/fixtures/policy/err/*` must give the
//! findings in `tests/golden/policy/<case>.out`, `ok/*` none, and each `eval/<case>.yml`
//! with `<case>.claims.json` the evaluation in `tests/golden/policy/eval-<case>.out`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use kaniko_studio_core::Diagnostic;
use kaniko_studio_core::policy::{Evaluation, check_policy, claims_from_json, evaluate};
use kaniko_studio_tests::{assert_golden, repo_root};

fn dir(kind: &str) -> PathBuf {
    repo_root().join("tests").join("fixtures").join("policy").join(kind)
}

fn files(kind: &str) -> Vec<(String, String)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir(kind)).expect("fixture dir").map(|e| e.expect("entry").path()).collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| (p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string(), std::fs::read_to_string(&p).expect("read")))
        .collect()
}

fn render(diags: &[Diagnostic]) -> String {
    let mut s = String::new();
    for d in diags {
        let at = d.span.map(|sp| format!("{}:{}: ", sp.line, sp.col)).unwrap_or_default();
        s.push_str(&format!("{at}{}[{}]: {}\n  fix: {}\n", d.severity.as_str(), d.id, d.message, d.fix));
    }
    s
}

fn render_eval(e: &Evaluation) -> String {
    let mut s = format!("matched: {:?}\nscopes: {:?}\n", e.matched, e.scopes);
    for st in &e.statements {
        s.push_str(&format!("statement {} ({}:{}): {}\n", st.number, st.span.line, st.span.col, if st.matched { "match" } else { "no match" }));
        for f in &st.failures {
            s.push_str(&format!("  {} ({}:{}): {}\n", f.claim, f.span.line, f.span.col, f.reason));
        }
    }
    s
}

#[test]
fn each_error_fixture_matches_its_golden_output() {
    for (name, text) in files("err") {
        let (_, diags) = check_policy(&text);
        assert!(!diags.is_empty(), "{name} should give findings");
        let case = name.split('.').next().unwrap_or_default();
        assert_golden(&format!("policy/{case}.out"), &render(&diags));
    }
}

#[test]
fn near_misses_give_no_findings() {
    for (name, text) in files("ok") {
        let (policy, diags) = check_policy(&text);
        assert!(diags.is_empty(), "ok/{name} should be clean, got:\n{}", render(&diags));
        assert!(!policy.statements.is_empty());
    }
}

#[test]
fn every_policy_check_rule_has_a_fixture() {
    let mut seen = BTreeSet::new();
    for (_, text) in files("err") {
        seen.extend(check_policy(&text).1.iter().map(|d| d.id));
    }
    // KS420–KS422 are evaluation outcomes, covered by the eval fixtures below.
    for rule in kaniko_studio_core::policy::RULES.iter().filter(|r| r.id < "KS420") {
        assert!(seen.contains(rule.id), "no fixture under tests/fixtures/policy/err triggers {}", rule.id);
    }
}

#[test]
fn evaluations_match_their_golden_output() {
    let all = files("eval");
    for (name, text) in all.iter().filter(|(n, _)| n.ends_with(".yml")) {
        let case = name.trim_end_matches(".yml");
        let claims_text = &all.iter().find(|(n, _)| n == &format!("{case}.claims.json")).expect("claims file").1;
        let claims = claims_from_json(claims_text).expect("claims are an object");
        let (policy, _) = check_policy(text);
        let (e, diags) = evaluate(&policy, &claims);
        assert_golden(&format!("policy/eval-{case}.out"), &format!("{}{}", render_eval(&e), render(&diags)));
    }
}

#[test]
fn shadowed_read_only_statement_wins_regression() {
    let text = std::fs::read_to_string(dir("eval").join("shadowed-read-only-wins.yml")).expect("read");
    let claims = claims_from_json(r#"{"iss":"https://agent.buildkite.com","organization_slug":"acme","build_branch":"main"}"#).expect("claims");
    let (policy, _) = check_policy(&text);
    let (e, diags) = evaluate(&policy, &claims);
    assert_eq!(e.matched, Some(1));
    assert_eq!(e.scopes, ["read_packages"]);
    assert_eq!(diags.first().map(|d| d.id), Some("KS421"));
}
