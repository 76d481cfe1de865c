//! `examples/*.yaml` are the commented example configurations `kaniko-studio init` prints, one
//! per registry and stack. They are generated from core; regenerate with
//! `UPDATE_GOLDEN=1 cargo test -p kaniko-studio-tests --test examples`.
#![allow(clippy::panic)]

use kaniko_studio_core::config::BuildConfig;
use kaniko_studio_core::config_file::{REGISTRY_KINDS, StackKind, example_yaml};
use kaniko_studio_tests::repo_root;

fn file_name(kind: &str, stack: StackKind) -> String {
    format!("{}-{}.yaml", kind.replace('_', "-"), stack.name())
}

#[test]
fn examples_are_up_to_date_and_load() {
    let dir = repo_root().join("examples");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for kind in REGISTRY_KINDS {
        for stack in StackKind::ALL {
            let expected = example_yaml(stack, kind).unwrap_or_else(|| panic!("example for {kind}"));
            let path = dir.join(file_name(kind, stack));
            if update {
                std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
                std::fs::write(&path, &expected).unwrap_or_else(|e| panic!("{e}"));
                continue;
            }
            let actual = std::fs::read_to_string(&path)
                .unwrap_or_else(|_| panic!("missing {}; run with UPDATE_GOLDEN=1", path.display()));
            assert_eq!(actual, expected, "{} is stale; run with UPDATE_GOLDEN=1", path.display());
            BuildConfig::from_yaml_str(&actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}
