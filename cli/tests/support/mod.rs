//! Running `kaniko-studio` as a user runs it, shared by the CLI tests.
#![allow(dead_code)] // each test file uses a different subset

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Run with `args` and `stdin`; returns (exit code, stdout, stderr). Colours are off.
pub fn run_with_input(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaniko-studio"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kaniko-studio");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    // Write from another thread so a large input cannot deadlock against a full stdout pipe.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run with empty standard input.
pub fn run_args(args: &[&str]) -> (i32, String, String) {
    run_with_input(args, b"")
}

/// A fresh, empty, existing temporary directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kaniko-studio-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A temporary path for one test that does not exist yet (for "nothing was written" checks).
pub fn absent_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kaniko-studio-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}
