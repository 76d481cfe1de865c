//! The `audience` command, run as a user runs it.
#![allow(clippy::indexing_slicing)] // tests: a panic is a failure

mod support;


fn run(args: &[&str]) -> (i32, String, String) {
    support::run_args(args)
}

#[test]
fn prints_the_audience() {
    let (code, out, err) = run(&["audience", "acme", "docker-images"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "https://packages.buildkite.com/acme/docker-images\n");
}

#[test]
fn display_name_exits_1_with_the_fix() {
    let (code, out, err) = run(&["audience", "My Org", "images"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("error[KS003] org:"), "{err}");
    assert!(err.contains("`my-org`"), "{err}");
}

#[test]
fn bad_inputs_never_crash() {
    let long = "x".repeat(10_000);
    for bad in ["", " ", "ACME", "{org}", "<org>", long.as_str(), "ünïcode", "a\nb"] {
        let (code, _, err) = run(&["audience", bad, "images"]);
        assert!(code == 0 || code == 1, "{bad:?}: {code} {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn json_output() {
    let (code, out, _) = run(&["audience", "acme", "images", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["audience"]["url"], "https://packages.buildkite.com/acme/images");
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, _) = run(&["audience"]);
    assert_eq!(code, 2);
}
