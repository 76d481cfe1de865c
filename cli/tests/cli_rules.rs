//! `kaniko-studio rules`, run as a user runs it.

use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kaniko-studio")).args(args).output().expect("run kaniko-studio");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn markdown_is_the_generated_reference() {
    let (code, out) = run(&["rules"]);
    assert_eq!(code, 0);
    let all = kaniko_studio_core::rules::all();
    assert_eq!(out, kaniko_studio_core::rules_doc::markdown(&all));
    assert!(out.contains("## KS302 step-key-unknown"), "{out}");
}

#[test]
fn json_lists_every_rule() {
    let (code, out) = run(&["rules", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let list = v.as_array().expect("array");
    assert_eq!(list.len(), kaniko_studio_core::rules::all().len());
    assert!(list.iter().any(|r| r["id"] == "KS410" && r["severity"] == "warning"));
}
