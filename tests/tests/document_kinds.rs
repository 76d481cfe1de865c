//! `document::recognise` on every real input in the repository: each pipeline, policy and
//! configuration is recognised as what it is or not at all, never as another kind (which
//! would turn its findings into "this is not a …"); each build log is recognised as one.
#![allow(clippy::panic)]

use std::path::Path;

use kaniko_studio_core::document::{DocumentKind, recognise};
use kaniko_studio_tests::{files_under, repo_root};

/// Every file under `dir` whose name ends with one of `extensions`.
fn texts(dir: &Path, extensions: &[&str]) -> Vec<(String, String)> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.to_str().is_some_and(|s| extensions.iter().any(|e| s.ends_with(e))))
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))))
        .collect()
}

fn check(dir: &str, extensions: &[&str], kind: DocumentKind, skip: &[&str]) {
    let found = texts(&repo_root().join(dir), extensions);
    assert!(!found.is_empty(), "no files under {dir}");
    let wrong: Vec<String> = found
        .iter()
        .filter(|(name, _)| !skip.iter().any(|s| name.contains(s)))
        .filter_map(|(name, text)| recognise(text).filter(|k| *k != kind).map(|k| format!("{name}: {k:?}")))
        .collect();
    assert!(wrong.is_empty(), "recognised as another kind than {kind:?}:\n{}", wrong.join("\n"));
}

#[test]
fn pipelines_are_never_taken_for_another_kind() {
    // `not-a-pipeline/` holds the other kinds on purpose (KS350).
    check("tests/fixtures/lint", &[".yml", ".yaml", ".json"], DocumentKind::Pipeline, &["not-a-pipeline"]);
    check("tests/golden", &["pipeline.yml", ".buildkite/doctor.yml", "kaniko-executor.yml"], DocumentKind::Pipeline, &[]);
}

#[test]
fn policies_are_never_taken_for_another_kind() {
    check("tests/fixtures/policy", &[".yml", ".json"], DocumentKind::OidcPolicy, &["pipeline-not-a-policy", ".claims.json"]);
}

#[test]
fn configurations_are_never_taken_for_another_kind() {
    check("examples", &[".yaml"], DocumentKind::BuildConfiguration, &[]);
    check("tests/fixtures/validate", &[".yaml"], DocumentKind::BuildConfiguration, &["ks103-trigger"]);
}

#[test]
fn build_logs_are_recognised() {
    let logs = texts(&repo_root().join("tests/fixtures/logs"), &[".log"]);
    let missed: Vec<&str> = logs.iter().filter(|(_, t)| recognise(t) != Some(DocumentKind::BuildLog)).map(|(n, _)| n.as_str()).collect();
    assert!(missed.is_empty(), "not recognised as build logs: {missed:#?}");
}
