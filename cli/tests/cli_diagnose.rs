//! The `diagnose` command, run as a user runs it.
#![allow(clippy::indexing_slicing)] // tests: a panic is a failure

mod support;


fn run(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    support::run_with_input(args, stdin)
}

const PUSH_401: &str = "\x1b_bk;t=1712345678901\x07~~~ :kaniko: Build\r\n\x1b[36mINFO\x1b[0m[0000] Retrieving image manifest alpine:3.20\r\nerror checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for \"packages.buildkite.com/acme/images/app:1\": POST https://packages.buildkite.com/v2/acme/images/app/blobs/uploads/: UNAUTHORIZED: authentication required\r\n";

#[test]
fn stdin_log_with_an_auth_error_exits_1_with_location_causes_and_fix() {
    let (code, out, err) = run(&["diagnose", "-"], PUSH_401.as_bytes());
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("<stdin>:3: error[KS609]: "), "{out}");
    assert!(out.contains("in section: :kaniko: Build"), "{out}");
    assert!(out.contains("likely causes:\n    1. "), "{out}");
    assert!(out.contains("fix: Request the token right before Kaniko with `--audience \"https://packages.buildkite.com/acme/images\" --lifetime 300`"), "{out}");
    assert!(!out.contains('\x1b'), "escape codes leaked: {out:?}");
}

#[test]
fn configured_audience_is_named_in_the_message() {
    let (code, out, _) = run(
        &["diagnose", "--audience", "https://packages.buildkite.com/acme/other"],
        PUSH_401.as_bytes(),
    );
    assert_eq!(code, 1);
    assert!(out.contains("The token's audience is `https://packages.buildkite.com/acme/other` but the destination is on `packages.buildkite.com/acme/images`"), "{out}");
}

#[test]
fn clean_log_exits_0() {
    let log = "INFO[0000] Retrieving image manifest alpine:3.20\nINFO[0003] Pushing image to packages.buildkite.com/acme/images/app:1\nINFO[0004] Pushed packages.buildkite.com/acme/images/app@sha256:abc\n";
    let (code, out, _) = run(&["diagnose"], log.as_bytes());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no known Kaniko, registry or OIDC errors in 3 lines"), "{out}");
}

#[test]
fn warnings_only_exit_0() {
    let log = "WARN[0042] Error uploading layer to cache: failed to push to destination registry.example.com/app/cache:8f2c: UNAUTHORIZED\n";
    let (code, out, _) = run(&["diagnose", "-"], log.as_bytes());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("warning[KS633]"), "{out}");
}

#[test]
fn json_output_lists_findings() {
    let (code, out, _) = run(&["diagnose", "--format", "json"], PUSH_401.as_bytes());
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["lines"], 3);
    assert_eq!(v["findings"][0]["id"], "KS609");
    assert_eq!(v["findings"][0]["lines"][0]["start"], 3);
    assert_eq!(v["findings"][0]["confidence"], "high");
}

#[test]
fn annotation_is_markdown_that_log_text_cannot_break() {
    let log = "TOOMANYREQUESTS ``` <script>alert(1)</script>\n";
    let (code, out, _) = run(&["diagnose", "--format", "annotation"], log.as_bytes());
    assert_eq!(code, 1);
    assert!(out.starts_with("#### Kaniko Studio: 1 problem found"), "{out}");
    assert!(out.contains("````\nTOOMANYREQUESTS ``` <script>"), "{out}");
    assert!(out.contains("<details>") && out.contains("</details>"), "{out}");
}

#[test]
fn missing_file_exits_2() {
    let (code, _, err) = run(&["diagnose", "/nonexistent/build.log"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("cannot read /nonexistent/build.log"), "{err}");
}

#[test]
fn invalid_utf8_and_huge_lines_are_fine() {
    let mut log = vec![0xff, 0xfe, b'\n'];
    log.extend(std::iter::repeat_n(b'x', 3_000_000));
    log.extend_from_slice(b"\nTOOMANYREQUESTS: You have reached your pull rate limit\n");
    let (code, out, err) = run(&["diagnose", "-"], &log);
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("<stdin>:3: error[KS631]"), "{out}");
}

#[test]
fn a_file_argument_is_read() {
    let dir = std::env::temp_dir().join(format!("ks-diagnose-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("build.log");
    std::fs::write(&path, "Error: unknown flag: --annotation\n").expect("write");
    let (code, out, _) = run(&["diagnose", path.to_str().expect("path")], b"");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 1);
    assert!(out.contains("build.log:1: error[KS636]"), "{out}");
}
