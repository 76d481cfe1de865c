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

/// A reader that stops early (`| head`) ends the output quietly, with no panic message.
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaniko-studio"))
        .arg("rules")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kaniko-studio");
    let mut first = [0u8; 16];
    child.stdout.take().expect("stdout").read_exact(&mut first).expect("the reference starts");
    // The read end is closed here; the rest of the reference (180 KB) cannot be written.
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(141), "{stderr}");
}
