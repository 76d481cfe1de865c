//! Replays every committed fuzz input (`fuzz/corpus/<target>/`, the minimized corpus, and
//! `fuzz/regressions/<target>/`, inputs that once crashed) through the same checks the fuzz
//! targets run (`kaniko_studio_tests::fuzzing`). No nightly, no fuzzing time: a few seconds.
#![allow(clippy::panic)] // an unreadable corpus file is the test failing

use std::path::Path;

use kaniko_studio_tests::{fuzzing, repo_root};

fn replay(target: &str, check: fn(&[u8])) {
    let mut count = 0;
    for dir in ["corpus", "regressions"] {
        let dir = repo_root().join("fuzz").join(dir).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let data = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            let result = std::panic::catch_unwind(|| check(&data));
            assert!(result.is_ok(), "{} fails the `{target}` fuzz checks (reproduce with `cargo +nightly fuzz run {target} {}`)", rel(&path), rel(&path));
            count += 1;
        }
    }
    assert!(count > 0, "no corpus for the `{target}` fuzz target under fuzz/corpus/{target}/");
}

fn rel(path: &Path) -> String {
    path.strip_prefix(repo_root()).unwrap_or(path).display().to_string()
}

#[test]
fn lint_corpus_replays_clean() {
    replay("lint", fuzzing::lint);
}

#[test]
fn diagnose_corpus_replays_clean() {
    replay("diagnose", fuzzing::diagnose);
}

#[test]
fn token_corpus_replays_clean() {
    replay("token", fuzzing::token);
}

#[test]
fn policy_corpus_replays_clean() {
    replay("policy", fuzzing::policy);
}

#[test]
fn config_corpus_replays_clean() {
    replay("config", fuzzing::config);
}
