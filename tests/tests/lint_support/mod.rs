//! Paths and golden files for the lint, policy and rules-reference tests.
//!
//! Same contract as `kaniko_studio_tests::{repo_root, assert_golden}`, but the repository
//! root is read from `CARGO_MANIFEST_DIR` **at run time** (cargo sets it for test
//! processes). The library's compile-time `env!` can point at another worktree when
//! several worktrees share one `CARGO_TARGET_DIR`, because cargo then reuses the compiled
//! library across them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// `../shared/reference/<name>`.
pub fn reference(name: &str) -> PathBuf {
    repo_root().join("..").join("shared").join("reference").join(name)
}

/// Compare `actual` with `tests/golden/<rel>`; with `UPDATE_GOLDEN=1`, write it instead.
pub fn assert_golden(rel: &str, actual: &str) {
    let path = repo_root().join("tests").join("golden").join(rel);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create golden dir");
        }
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path);
    assert!(expected.is_ok(), "missing golden file {}; run `UPDATE_GOLDEN=1 cargo test -p kaniko-studio-tests` and review it", path.display());
    let expected = expected.unwrap_or_default();
    let line = expected.lines().zip(actual.lines()).position(|(e, a)| e != a);
    assert!(
        expected == actual,
        "{} differs from the output (first different line: {:?}).\nIf the change is intended, run `UPDATE_GOLDEN=1 cargo test -p kaniko-studio-tests` and review the diff.",
        path.display(),
        line.map(|l| l + 1)
    );
}
