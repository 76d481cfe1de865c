//! `doctor`, run as a user runs it.
#![allow(clippy::indexing_slicing, clippy::panic)]

mod support;

use std::path::PathBuf;

use kaniko_studio_core::config::BuildConfig;
use kaniko_studio_core::generate::doctor;

fn example(name: &str) -> PathBuf {
    let package = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or_default();
    package.join("../examples").join(name)
}

const BAD: &str = "version: 1\nstack: {kubernetes: {}}\nregistry: {buildkite_packages: {org: \"My Org\", registry: images}}\nimage: {name: app}\n";

#[test]
fn prints_the_step_then_the_script() {
    let path = example("self-hosted-kubernetes.yaml");
    let (code, out, err) = support::run_args(&["doctor", path.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    let config = BuildConfig::from_yaml_str(&std::fs::read_to_string(&path).expect("example")).expect("loads");
    let (files, _) = doctor(&config);
    assert_eq!(files.files.len(), 2);
    let expected = format!(
        "==> {} <==\n{}\n==> {} <==\n{}",
        files.files[0].path, files.files[0].content, files.files[1].path, files.files[1].content
    );
    assert_eq!(out, expected);
    assert!(out.starts_with("==> .buildkite/doctor.yml <==\n"), "{out}");
    assert!(out.contains("==> .buildkite/steps/kaniko-doctor.sh <==\n#!/bin/sh\n"), "{out}");
}

#[test]
fn write_puts_both_files_under_the_directory_with_an_executable_script() {
    let dir = support::absent_dir("doctor-write");
    let path = example("ecr-elastic.yaml");
    let (code, out, err) = support::run_args(&["doctor", path.to_str().expect("utf-8"), "--write", dir.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("doctor.yml"), "{out}");
    let script = dir.join(".buildkite/steps/kaniko-doctor.sh");
    let text = std::fs::read_to_string(&script).expect("script written");
    assert!(text.starts_with("#!/bin/sh\n"));
    assert!(text.contains("login_password_ecr"), "the ECR doctor fetches the ECR password");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&script).expect("meta").permissions().mode() & 0o111, 0o111);
    assert!(dir.join(".buildkite/doctor.yml").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn stdin_and_json() {
    let text = std::fs::read_to_string(example("buildkite-packages-elastic.yaml")).expect("example");
    let (code, out, err) = support::run_with_input(&["doctor", "-", "--format", "json"], text.as_bytes());
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(doc["artifacts"][0]["path"], ".buildkite/doctor.yml");
    assert_eq!(doc["artifacts"][1]["kind"], "script");
    assert!(doc["artifacts"][1]["content"].as_str().unwrap_or("").contains("check_token https://packages.buildkite.com/"));
}

#[test]
fn a_configuration_error_prints_nothing_and_exits_1() {
    let (code, out, err) = support::run_with_input(&["doctor", "-"], BAD.as_bytes());
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("error[KS003]"), "{err}");
}

#[test]
fn unreadable_input_exits_2() {
    let (code, _, err) = support::run_args(&["doctor", "/nonexistent/kaniko.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
}
