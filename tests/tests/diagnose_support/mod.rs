//! Paths and golden files for the troubleshooter tests, resolved at run time.
//!
//! `kaniko_studio_tests::repo_root` is fixed at compile time (`env!`), and a build shared
//! between checkouts (one `CARGO_TARGET_DIR` for several worktrees) can reuse a library
//! compiled in another checkout, so its paths point there. Cargo sets `CARGO_MANIFEST_DIR`
//! when it runs a test, which always names this checkout.
#![allow(dead_code, clippy::panic)]

use std::path::PathBuf;

/// The repository root of the checkout being tested.
pub fn root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests").join("fixtures").join(rel)
}

/// Like `kaniko_studio_tests::assert_golden`, with the run-time root.
pub fn assert_golden(rel: &str, actual: &str) {
    let path = root().join("tests").join("golden").join(rel);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create golden dir");
        }
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!("missing golden file {}; run `UPDATE_GOLDEN=1 cargo test -p kaniko-studio-tests` and review it", path.display())
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .map_or_else(|| "line counts differ".to_string(), |i| format!("first difference at line {}", i + 1));
        panic!(
            "{} differs from the generated output ({line}).\nIf the change is intended, run `UPDATE_GOLDEN=1 cargo test -p kaniko-studio-tests` and review the diff.",
            path.display()
        );
    }
}
