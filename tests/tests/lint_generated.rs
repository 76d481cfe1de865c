//! Every pipeline the generator produces (the golden matrix under `tests/golden/generate`)
//! lints clean, together with the step scripts it runs: the linter and the generator agree
//! on what a correct Kaniko pipeline is, and the schema checks accept every form we emit.

use std::path::PathBuf;

use kaniko_studio_core::lint::{SourceFile, lint};
use kaniko_studio_tests::{files_under, repo_root};

#[test]
fn every_generated_pipeline_lints_clean() {
    let root = repo_root().join("tests").join("golden").join("generate");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root).expect("golden/generate").map(|e| e.expect("entry").path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    let mut pipelines = 0;
    for case in cases {
        // The pipeline and the scripts it runs; the OIDC policy and config.json are not
        // pipeline files.
        let texts: Vec<(String, String)> = files_under(&case)
            .into_iter()
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                name == "pipeline.yml" || name.ends_with(".sh")
            })
            .map(|p| {
                let rel = p.strip_prefix(&case).unwrap_or(&p).to_string_lossy().replace('\\', "/");
                (rel, std::fs::read_to_string(&p).expect("read golden"))
            })
            .collect();
        if !texts.iter().any(|(p, _)| p.ends_with("pipeline.yml")) {
            continue;
        }
        pipelines += 1;
        let sources: Vec<SourceFile<'_>> = texts.iter().map(|(path, text)| SourceFile { path, text }).collect();
        let found = lint(&sources);
        let shown: Vec<String> = found
            .iter()
            .map(|f| format!("{}:{:?}: {}[{}] {}", f.path, f.diagnostic.span.map(|s| (s.line, s.col)), f.diagnostic.severity.as_str(), f.diagnostic.id, f.diagnostic.message))
            .collect();
        assert!(found.is_empty(), "generated case {} does not lint clean:\n{}", case.display(), shown.join("\n"));
    }
    assert!(pipelines >= 10, "only {pipelines} generated pipelines found");
}
