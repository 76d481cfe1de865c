//! `validate` and `init`, run as a user runs them.
#![allow(clippy::indexing_slicing)]

mod support;


fn run_with_stdin(args: &[&str], stdin: &str) -> (i32, String, String) {
    support::run_with_input(args, stdin.as_bytes())
}

fn run(args: &[&str]) -> (i32, String, String) {
    support::run_args(args)
}

use support::temp_dir;

#[test]
fn init_prints_a_config_that_validates() {
    let (code, yaml, err) = run(&["init", "--stack", "elastic", "--registry", "docker-hub"]);
    assert_eq!(code, 0, "{err}");
    assert!(yaml.starts_with("# Kaniko Studio build configuration: Docker Hub"), "{yaml}");
    let (code, out, _) = run_with_stdin(&["validate", "-"], &yaml);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("error["), "{out}");
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let dir = temp_dir("init");
    let path = dir.join("kaniko.yaml");
    let p = path.to_str().expect("utf-8 path");
    let (code, _, err) = run(&["init", "--out", p]);
    assert_eq!(code, 0, "{err}");
    std::fs::write(&path, "mine").expect("write");
    let (code, _, err) = run(&["init", "--out", p]);
    assert_eq!(code, 2);
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "mine");
    let (code, _, _) = run(&["init", "--out", p, "--force", "--registry", "ecr"]);
    assert_eq!(code, 0);
    let (code, out, _) = run(&["validate", p]);
    assert_eq!(code, 0, "{out}");
    let json = dir.join("kaniko.json");
    let (code, _, _) = run(&["init", "--out", json.to_str().expect("utf-8"), "--registry", "ghcr"]);
    assert_eq!(code, 0);
    let (code, out, _) = run(&["validate", json.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn init_rejects_unknown_choices() {
    let (code, _, err) = run(&["init", "--registry", "nexus"]);
    assert_eq!(code, 2);
    assert!(err.contains("docker-hub"), "{err}");
    let (code, _, _) = run(&["init", "--stack", "nomad"]);
    assert_eq!(code, 2);
}

#[test]
fn malformed_config_reports_file_line_column_and_expectation() {
    let (_, yaml, _) = run(&["init"]);
    let bad = yaml.replace("    registry: docker-images", "    registy: docker-images");
    let dir = temp_dir("malformed");
    let path = dir.join("bad.yaml");
    std::fs::write(&path, &bad).expect("write");
    let p = path.to_str().expect("utf-8 path");
    let (code, out, _) = run(&["validate", p]);
    assert_eq!(code, 1, "{out}");
    let line = bad.lines().position(|l| l.contains("registy:")).expect("line") + 1;
    assert!(out.contains(&format!("{p}:{line}:5: error[KS101] registry.buildkite_packages.registy: unknown field `registy`, expected one of")), "{out}");
    let gutter = " ".repeat(line.to_string().len());
    assert!(out.contains(&format!("  {line} |     registy: docker-images\n  {gutter} |     ^")), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_misspelled_field_is_reported_in_one_run() {
    let (_, yaml, _) = run(&["init"]);
    let bad = yaml.replace("    registry: docker-images", "    registy: docker-images").replace("  name: my-app", "  nme: my-app").replace("queue: kubernetes", "queue: [kubernetes]");
    let (code, out, _) = run_with_stdin(&["validate", "-", "--format", "json"], &bad);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let fields: Vec<&str> = v["diagnostics"].as_array().expect("list").iter().filter_map(|d| d["field"].as_str()).collect();
    // In file order; `registry` and `name`, now missing, are not reported a second time.
    assert_eq!(fields, ["stack.kubernetes.queue", "registry.buildkite_packages.registy", "image.nme"], "{out}");
}

#[test]
fn findings_point_at_their_field() {
    let (_, yaml, _) = run(&["init"]);
    let bad = yaml.replace("org: acme", "org: Acme Inc").replace("lifetime: 300", "lifetime: 3600");
    let (code, out, _) = run_with_stdin(&["validate", "-"], &bad);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[KS003] registry.buildkite_packages.org:"), "{out}");
    assert!(out.contains("`acme-inc`"), "{out}");
    assert!(out.contains("error[KS113] registry.buildkite_packages.lifetime:"), "{out}");
    assert!(out.contains("<stdin>:"), "{out}");
}

#[test]
fn json_output_and_json_input() {
    let (_, yaml, _) = run(&["init", "--registry", "acr"]);
    let (code, out, _) = run_with_stdin(&["validate", "-", "--format", "json"], &yaml);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["file"], "<stdin>");
    assert!(v["diagnostics"].is_array());
    let (code, out, _) = run_with_stdin(&["validate", "-"], "{\"version\": 1, \"stack\": 3}");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("<stdin>:1:"), "{out}");
}

#[test]
fn annotation_output_is_markdown() {
    let (_, yaml, _) = run(&["init"]);
    let bad = yaml.replace("lifetime: 300", "lifetime: 900");
    let (code, out, _) = run_with_stdin(&["validate", "-", "--format", "annotation"], &bad);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("**error**") && out.contains("KS113"), "{out}");
    assert!(out.contains("](https://"), "{out}");
}

#[test]
fn unreadable_input_exits_2() {
    let (code, _, err) = run(&["validate", "/nonexistent/kaniko.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
    let (code, _, _) = run(&["validate"]);
    assert_eq!(code, 2);
}

#[test]
fn hostile_input_never_crashes() {
    for text in ["", "\u{0}", "---\n---\n", "[", "version: 1\nstack: {kubernetes: {queue: \"\\u0000\"}}", "&a [*a, *a]"] {
        let (code, out, err) = run_with_stdin(&["validate", "-"], text);
        assert!(code == 0 || code == 1, "{text:?}: {code} {out} {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// A credential in the file is reported, but neither the message nor the source excerpt under
/// it repeats it: the output lands in terminals and CI logs.
#[test]
fn a_credential_in_the_file_is_masked_in_the_excerpt() {
    let fixture = kaniko_studio_tests_root().join("tests/fixtures/validate/ks155-trigger.yaml");
    let (code, out, err) = run(&["validate", fixture.to_str().expect("utf-8 path")]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("error[KS155]"), "{out}");
    assert!(!out.contains("AKIAIOSFODNN7EXAMPLE"), "{out}");
    assert!(out.contains("key: ********************\n"), "{out}");
}

/// A generated secret pasted where a secret's name belongs is a shape error (KS101), in any
/// format: its text appears neither in the message, the field path, the excerpt nor an annotation.
#[test]
fn a_secret_in_a_secret_reference_is_never_printed() {
    let text = "version: 1\nstack: elastic\nregistry:\n  ecr:\n    account: \"123456789012\"\n    region: eu-west-1\n    repository: app\n    auth: {credentials: {access_key_id: {buildkite: {key: K}}, secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY}}\nimage:\n  name: app\n";
    for format in ["text", "json", "annotation"] {
        let (code, out, err) = run_with_stdin(&["validate", "--format", format, "-"], text);
        assert_eq!(code, 1, "{format}: {out}{err}");
        assert!(out.contains("KS101"), "{format}: {out}");
        assert!(!format!("{out}{err}").contains("EXAMPLEKEY"), "{format}: {out}{err}");
    }
}

fn kaniko_studio_tests_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").to_path_buf()
}

/// A Docker config.json given to `validate` is named as one, and its credential is not
/// repeated (built at run time so that no secret scanner flags this file).
#[test]
fn a_docker_config_given_to_validate_is_named_without_its_credential() {
    let secret = format!("dckr_pat_{}", "AbCdEfGhIjKlMnOpQrStUvWxYz0");
    let text = format!("{{\"auths\": {{\"https://index.docker.io/v1/\": {{\"username\": \"acme\", \"password\": \"{secret}\"}}}}}}\n");
    let (code, out, err) = run_with_stdin(&["validate", "-"], &text);
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("<stdin>: error[KS103]: This is a Docker config.json, not a Kaniko Studio build configuration.\n"), "{out}");
    assert!(out.contains("`kaniko-studio token FILE`") && out.contains("OIDC token tab"), "{out}");
    assert!(!out.contains(&secret) && !out.contains("KS101"), "{out}");
}

/// The summary counts in words: "1 error", "0 warnings", never "error(s)".
#[test]
fn the_summary_says_error_and_warnings_in_the_right_number() {
    let (code, out, err) = run_with_stdin(&["validate", "-"], "steps:\n  - command: make\n");
    assert_eq!(code, 1, "{err}");
    assert!(out.trim_end().ends_with("<stdin>: 1 error, 0 warnings"), "{out}");
    assert!(!out.contains("(s)"), "{out}");
}
