//! Shared helpers for the cross-crate tests.
#![allow(clippy::panic)] // a failed golden comparison is the test failing

pub mod fuzzing;

use std::path::{Path, PathBuf};

/// The repository root. Read at run time first: with a target directory shared by several
/// checkouts (worktrees), this library may have been compiled in another checkout, and a
/// compile-time `env!("CARGO_MANIFEST_DIR")` would point there.
pub fn repo_root() -> PathBuf {
    let package = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    package.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Every file under `dir`, recursively, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").map(|e| e.expect("dir entry").path()) {
        if e.is_dir() { out.extend(files_under(&e)) } else { out.push(e) }
    }
    out.sort();
    out
}

/// `../shared/reference/<name>`: the reference material beside the repository.
pub fn reference(name: &str) -> PathBuf {
    repo_root().join("..").join("shared").join("reference").join(name)
}

/// Compare `actual` with the golden file `tests/golden/<rel>`. With `UPDATE_GOLDEN=1` in the
/// environment, write it instead. Regenerate everything with `UPDATE_GOLDEN=1 cargo test`.
///
/// # Panics
/// When the golden file differs or is missing (that is the test failing).
pub fn assert_golden(rel: &str, actual: &str) {
    let path = repo_root().join("tests").join("golden").join(rel);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create golden dir");
        }
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!("missing golden file {}; run `UPDATE_GOLDEN=1 cargo test` and review it", path.display())
    });
    if expected != actual {
        let diff = first_difference(&expected, actual);
        panic!(
            "{} differs from the generated output ({diff}).\nIf the change is intended, run `UPDATE_GOLDEN=1 cargo test` and review the diff.",
            path.display()
        );
    }
}

fn first_difference(expected: &str, actual: &str) -> String {
    for (i, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            return format!("line {}: expected {e:?}, got {a:?}", i + 1);
        }
    }
    format!("expected {} lines, got {}", expected.lines().count(), actual.lines().count())
}
