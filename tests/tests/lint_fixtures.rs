//! Every lint rule against its fixtures: `tests/fixtures/lint/err/<case>` (a file, or a
//! directory whose files are linted together) must give the findings in
//! `tests/golden/lint/<case>.out`; every file or directory under `ok/` must give none.

use std::collections::BTreeSet;
use std::path::PathBuf;

use kaniko_studio_core::lint::{LintFinding, SourceFile, lint};
use kaniko_studio_tests::{assert_golden, files_under, repo_root};

fn fixtures(kind: &str) -> PathBuf {
    repo_root().join("tests").join("fixtures").join("lint").join(kind)
}

/// The cases in a fixture directory: each entry is one case, with its files sorted.
fn cases(kind: &str) -> Vec<(String, Vec<PathBuf>)> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(fixtures(kind)).expect("fixture dir").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for entry in entries {
        let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let case = name.split('.').next().unwrap_or_default().to_string();
        let files = if entry.is_dir() { files_under(&entry) } else { vec![entry] };
        out.push((case, files));
    }
    out
}

fn run(kind: &str, files: &[PathBuf]) -> Vec<LintFinding> {
    let base = fixtures(kind);
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(&base).unwrap_or(p).to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(p).expect("read fixture"))
        })
        .collect();
    let sources: Vec<SourceFile<'_>> = texts.iter().map(|(path, text)| SourceFile { path, text }).collect();
    lint(&sources)
}

fn render(findings: &[LintFinding]) -> String {
    let mut s = String::new();
    for f in findings {
        let d = &f.diagnostic;
        let at = d.span.map(|sp| format!(":{}:{}", sp.line, sp.col)).unwrap_or_default();
        s.push_str(&format!("{}{at}: {}[{}]: {}\n  fix: {}\n", f.path, d.severity.as_str(), d.id, d.message, d.fix));
    }
    s
}

#[test]
fn each_error_fixture_matches_its_golden_output() {
    for (case, files) in cases("err") {
        let found = run("err", &files);
        assert!(!found.is_empty(), "fixture {case} should give findings");
        assert_golden(&format!("lint/{case}.out"), &render(&found));
    }
}

#[test]
fn near_misses_give_no_findings() {
    for (case, files) in cases("ok") {
        let found = run("ok", &files);
        assert!(found.is_empty(), "fixture ok/{case} should be clean, got:\n{}", render(&found));
    }
}

#[test]
fn every_lint_rule_has_a_fixture() {
    let mut seen = BTreeSet::new();
    for (_, files) in cases("err") {
        seen.extend(run("err", &files).iter().map(|f| f.diagnostic.id));
    }
    for rule in kaniko_studio_core::lint::RULES {
        assert!(seen.contains(rule.id), "no fixture under tests/fixtures/lint/err triggers {}", rule.id);
    }
}

/// The official examples' known bugs (buildkite.md §3.8, §4.4, §8) are all caught.
#[test]
fn official_examples_known_bugs_are_caught() {
    let ids = |case: &str| -> BTreeSet<&'static str> {
        let (_, files) = cases("err").into_iter().find(|(c, _)| c == case).expect("case");
        run("err", &files).iter().map(|f| f.diagnostic.id).collect()
    };
    let k8s = ids("docs-k8s-kaniko");
    for id in ["KS310", "KS312", "KS315", "KS317", "KS318"] {
        assert!(k8s.contains(id), "k8s docs example: {id} missing from {k8s:?}");
    }
    assert!(ids("docs-elastic-kaniko").contains("KS324"));
    assert!(ids("buildkite-agent-unknown-command").contains("KS325"));
}
