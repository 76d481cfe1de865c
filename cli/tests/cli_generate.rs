//! `generate`, run as a user runs it.
#![allow(clippy::indexing_slicing, clippy::panic)]

mod support;

use std::path::PathBuf;

use kaniko_studio_core::config::BuildConfig;
use kaniko_studio_core::generate::generate;

fn run_with_stdin(args: &[&str], stdin: &str) -> (i32, String, String) {
    support::run_with_input(args, stdin.as_bytes())
}

/// `examples/<name>`, located at run time (a shared target directory may hold a build made in
/// another checkout).
fn example(name: &str) -> PathBuf {
    let package = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or_default();
    package.join("../examples").join(name)
}

use support::absent_dir as temp_dir;

const BAD: &str = "version: 1\nstack: {kubernetes: {}}\nregistry: {buildkite_packages: {org: \"My Org\", registry: images}}\nimage: {name: app}\n";

#[test]
fn prints_every_artifact_under_a_header() {
    let path = example("buildkite-packages-kubernetes.yaml");
    let (code, out, err) = run_with_stdin(&["generate", path.to_str().expect("utf-8")], "");
    assert_eq!(code, 0, "{err}");
    let config = BuildConfig::from_yaml_str(&std::fs::read_to_string(&path).expect("example")).expect("loads");
    let (artifacts, _) = generate(&config);
    let mut expected = String::new();
    for (i, a) in artifacts.files.iter().enumerate() {
        if i > 0 {
            expected.push('\n');
        }
        expected.push_str(&format!("==> {} <==\n{}", a.path, a.content));
    }
    assert_eq!(out, expected);
    assert!(out.starts_with("==> .buildkite/pipeline.yml <==\n"));
    assert!(out.contains("==> .buildkite/kaniko/oidc-policy.yml <=="));
}

#[test]
fn out_writes_the_files_and_makes_scripts_executable() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("out");
    let path = example("docker-hub-elastic.yaml");
    let (code, out, err) =
        run_with_stdin(&["generate", path.to_str().expect("utf-8"), "--out", dir.to_str().expect("utf-8")], "");
    assert_eq!(code, 0, "{err}");
    let config = BuildConfig::from_yaml_str(&std::fs::read_to_string(&path).expect("example")).expect("loads");
    for a in generate(&config).0.files {
        let file = dir.join(&a.path);
        assert_eq!(std::fs::read_to_string(&file).expect("written"), a.content, "{}", a.path);
        let mode = std::fs::metadata(&file).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode == 0o755, a.kind.is_executable(), "{}: mode {mode:o}", a.path);
        assert!(out.contains(&format!("wrote {}", file.display())), "{out}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--out` replaces what Kaniko Studio wrote (a regeneration after a change), never a
/// pipeline.yml or script of the user's own without `--force`; then nothing is written.
#[test]
fn out_keeps_files_kaniko_studio_did_not_write() {
    let dir = temp_dir("out-keep");
    let d = dir.to_str().expect("utf-8");
    let path = example("docker-hub-elastic.yaml");
    let p = path.to_str().expect("utf-8");
    assert_eq!(run_with_stdin(&["generate", p, "--out", d], "").0, 0);
    // Regenerating from another configuration replaces the generated files.
    let other = std::fs::read_to_string(&path).expect("example").replace("my-app", "other-app");
    let (code, _, err) = run_with_stdin(&["generate", "-", "--out", d], &other);
    assert_eq!(code, 0, "{err}");
    let own = "steps:\n  - command: make test\n";
    let pipeline = dir.join(".buildkite/pipeline.yml");
    std::fs::write(&pipeline, own).expect("user's pipeline");
    let script = dir.join(".buildkite/steps/kaniko.sh");
    let before = std::fs::read_to_string(&script).expect("script");
    let (code, out, err) = run_with_stdin(&["generate", p, "--out", d], "");
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("nothing written") && err.contains(&pipeline.display().to_string()) && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&pipeline).expect("kept"), own);
    assert_eq!(std::fs::read_to_string(&script).expect("kept"), before, "nothing is written when one file is refused");
    let (code, _, err) = run_with_stdin(&["generate", p, "--out", d, "--force"], "");
    assert_eq!(code, 0, "{err}");
    assert_ne!(std::fs::read_to_string(&pipeline).expect("replaced"), own);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_config_with_errors_writes_nothing_and_exits_1() {
    let dir = temp_dir("errors");
    let (code, out, err) = run_with_stdin(&["generate", "-", "--out", dir.to_str().expect("utf-8")], BAD);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("<stdin>:3:33: error[KS003] registry.buildkite_packages.org:"), "{err}");
    assert!(err.contains("`my-org`"), "{err}");
    assert!(!dir.exists(), "nothing may be written");

    let (code, out, _) = run_with_stdin(&["generate", "-"], BAD);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "no artifact is printed while an error stands");
}

#[test]
fn malformed_config_gets_line_and_column() {
    let (code, _, err) = run_with_stdin(&["generate", "-"], "version: 1\nstack: {kubernetes: {}\n");
    assert_eq!(code, 1);
    assert!(err.contains("<stdin>:"), "{err}");
    assert!(err.contains("error[KS100]") || err.contains("error[KS101]"), "{err}");
}

#[test]
fn unreadable_config_exits_2() {
    let (code, _, err) = run_with_stdin(&["generate", "/nonexistent/kaniko.yaml"], "");
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
    let (code, _, _) = run_with_stdin(&["generate"], "");
    assert_eq!(code, 2);
}

#[test]
fn json_lists_artifacts_and_diagnostics() {
    let path = example("ecr-kubernetes.yaml");
    let (code, out, err) = run_with_stdin(&["generate", path.to_str().expect("utf-8"), "--format", "json"], "");
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(doc["artifacts"][0]["path"], ".buildkite/pipeline.yml");
    assert_eq!(doc["artifacts"][0]["kind"], "pipeline");
    assert!(doc["diagnostics"].is_array());
}

/// With `--format json` a script always gets one JSON document on standard output: the
/// findings when the configuration has an error, `{"error": …}` when the file cannot be read.
#[test]
fn json_goes_to_standard_output_when_nothing_is_generated() {
    let (code, out, err) = run_with_stdin(&["generate", "-", "--format", "json"], BAD);
    assert_eq!(code, 1, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json on standard output");
    assert_eq!(doc["artifacts"], serde_json::json!([]));
    let ids: Vec<&str> = doc["diagnostics"].as_array().into_iter().flatten().filter_map(|d| d["id"].as_str()).collect();
    assert!(ids.contains(&"KS003"), "{ids:?}");

    for command in ["generate", "doctor", "validate", "lint", "diagnose", "token", "policy"] {
        let (code, out, err) = run_with_stdin(&[command, "/nonexistent/kaniko.yaml", "--format", "json"], "");
        assert_eq!(code, 2, "{command}: {out}{err}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{command}: {e}: {out:?} {err:?}"));
        let message = doc["error"].as_str().unwrap_or_default();
        assert!(message.contains("/nonexistent/kaniko.yaml"), "{command}: {message}");
    }
    let (code, out, _) = run_with_stdin(&["doctor", "-", "--format", "json"], "version: 1\nstack: [\n");
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json on standard output");
    assert!(doc["diagnostics"][0]["id"].as_str().is_some_and(|id| id.starts_with("KS10")), "{doc}");
}
