//! `kaniko-studio lint`, run as a user runs it.

mod support;


fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    support::run_with_input(args, stdin.as_bytes())
}

fn temp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("ks-cli-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.to_string_lossy().into_owned()
}

#[test]
fn text_output_has_location_source_line_caret_and_fix() {
    let (code, out, err) = run(&["lint", "-"], "steps:\n  - comand: make\n");
    assert_eq!(code, 1, "{err}");
    let expected = "<stdin>.yml:2:5: error[KS302]: `comand` is not a step key; did you mean `command`?\n  2 |   - comand: make\n    |     ^^^^^^\n  fix: Rename `comand` to `command`.\n";
    assert!(out.starts_with(expected), "{out}");
    assert!(out.trim_end().ends_with("1 error, 0 warnings in 1 file."), "{out}");
}

#[test]
fn clean_files_exit_0() {
    let p = temp("clean.yml", "steps:\n  - command: make\n");
    let (code, out, _) = run(&["lint", &p], "");
    assert_eq!(code, 0);
    assert!(out.contains("0 errors, 0 warnings"), "{out}");
}

#[test]
fn warnings_alone_exit_0() {
    let (code, out, _) = run(&["lint", "-"], "steps:\n  - command: make\n    env:\n      BUILDKITE_HOOKS_PATH: /x\n");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("warning[KS318]"), "{out}");
}

#[test]
fn unreadable_input_exits_2() {
    let (code, _, err) = run(&["lint", "/nonexistent/pipeline.yml"], "");
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
    let (code, _, _) = run(&["lint"], "");
    assert_eq!(code, 2);
}

#[test]
fn pipeline_and_hook_are_linted_together() {
    let p = temp("pipeline.yml", "steps:\n  - command: /kaniko/executor --destination packages.buildkite.com/acme/apps/web:1\n");
    let h = temp("environment", "buildkite-agent oidc request-token --audience https://packages.buildkite.com/acme/images --lifetime 300\n");
    let (code, out, _) = run(&["lint", &p, &h], "");
    assert_eq!(code, 1);
    assert!(out.contains("error[KS312]"), "{out}");
    assert!(out.contains("pushes to `acme/apps`"), "{out}");
}

#[test]
fn json_output() {
    let (code, out, _) = run(&["lint", "-", "--format", "json"], "steps:\n  - comand: make\n");
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v.pointer("/findings/0/id"), Some(&serde_json::json!("KS302")));
    assert_eq!(v.pointer("/findings/0/path"), Some(&serde_json::json!("<stdin>.yml")));
    assert_eq!(v.pointer("/findings/0/span/line"), Some(&serde_json::json!(2)));
    assert_eq!(v.pointer("/summary/errors"), Some(&serde_json::json!(1)));
}

#[test]
fn annotation_output_is_markdown_and_escapes_html() {
    let (code, out, _) = run(&["lint", "-", "--format", "annotation"], "steps:\n  - <script>: make\n");
    assert_eq!(code, 1);
    assert!(out.starts_with("### Kaniko Studio lint — 1 error, 0 warnings"), "{out}");
    assert!(!out.contains("<script>:") || out.contains("`<script>`"), "{out}");
}

#[test]
fn garbage_never_crashes() {
    for input in ["", "\u{1}", "steps: [", "- - - -", &"[".repeat(5000), "steps:\n  - command: \"$(\"\n"] {
        let (code, _, err) = run(&["lint", "-"], input);
        assert!(code == 0 || code == 1, "{input:?}: {code} {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // A binary file is not linted as an empty script: it is refused as unreadable input.
    let (code, _, err) = run(&["lint", "-"], "\u{0}\u{1}");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is not a text file"), "{err}");
}

/// An OIDC policy given to `lint` gets one finding that names the policy check, not the step
/// errors of a pipeline whose steps have no type.
#[test]
fn a_policy_given_to_lint_is_named_as_one() {
    let p = temp("oidc-policy.yml", "- iss: https://agent.buildkite.com\n  scopes: [read_packages, write_packages]\n  claims:\n    organization_slug: acme\n");
    let (code, out, err) = run(&["lint", &p], "");
    assert_eq!(code, 1, "{err}");
    let expected = format!(
        "{p}: error[KS350]: This is an OIDC policy, not a Buildkite pipeline.\n  fix: Check it with `kaniko-studio policy FILE`, or paste it in the troubleshooter's OIDC policy tab.\n"
    );
    assert!(out.starts_with(&expected), "{out}");
    assert_eq!(out.matches("error[").count(), 1, "{out}");
    assert!(out.trim_end().ends_with("1 error, 0 warnings in 1 file."), "{out}");
}
