//! `extras.refresh_credentials`: the generated step keeps `config.json` fresh while the executor
//! runs, so a build longer than the Package Registries token's 5 minutes still pushes.
//!
//! The scripts run for real (busybox sh for the Kubernetes command, bash for the Elastic
//! script) with a `buildkite-agent` stub that hands out a new token at each call and an
//! executor stub that runs for a while, then keeps the `config.json` it would read at the final
//! push. The refresh period comes from `KANIKO_TOKEN_REFRESH_SECONDS` (a fraction of a second
//! here). Checked: the file read at "push" time holds a later token than the first, it is
//! always whole JSON (written aside, then renamed), and when the step ends no refresher or
//! `sleep` is left behind.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::panic, clippy::indexing_slicing, clippy::unwrap_used)]

mod support;

use std::process::{Command, Stdio};

use kaniko_studio_core::config::Stack;
use kaniko_studio_core::generate;
use support::*;

/// A refresh period no other process on the machine uses, to find leftovers in /proc.
const PERIOD: &str = "0.3137";

/// Processes whose command line mentions `needle`.
fn processes_with(needle: &str) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            let text = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if text.contains(needle) {
                out.push(text);
            }
        }
    }
    out
}

/// Run `shell script` in the sandbox with stdout and stderr in files (a pipe would hide a
/// leftover process holding it open), and return (success, output).
fn run(sandbox: &Sandbox, shell: &[&str], script: &str) -> (bool, String) {
    let log = sandbox.dir.join("run.log");
    let file = std::fs::File::create(&log).unwrap();
    let mut argv: Vec<String> = shell.iter().map(|s| (*s).to_string()).collect();
    argv.push(script.to_string());
    let status = step_command(sandbox, &argv, PERIOD)
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .status()
        .unwrap();
    (status.success(), std::fs::read_to_string(&log).unwrap_or_default())
}

/// `argv` as a Buildkite step runs it in the sandbox: only the sandbox's tools, a build's
/// environment, the refresh period `period`, and no input.
fn step_command(sandbox: &Sandbox, argv: &[String], period: &str) -> Command {
    let mut cmd = Command::new(which(&argv[0]).unwrap());
    cmd.args(&argv[1..])
        .current_dir(&sandbox.work)
        .env_clear()
        .env("PATH", &sandbox.bin)
        .env("HOME", &sandbox.dir)
        .env("TMPDIR", &sandbox.dir)
        .env("BUILDKITE_BUILD_NUMBER", "42")
        .env("BUILDKITE_COMMIT", "0123456789abcdef0123456789abcdef01234567")
        .env("BUILDKITE_BRANCH", "main")
        .env("BUILDKITE_JOB_ID", "job-1")
        .env("KANIKO_TOKEN_REFRESH_SECONDS", period)
        .stdin(Stdio::null());
    cmd
}

/// Stubs: every `oidc request-token` returns `tok<N>` with N counting up; the executor (or
/// `docker run`) works for a second, then keeps the config.json it sees as `seen.json`.
fn stubs(sandbox: &Sandbox, config_dir: &str) {
    let counter = sandbox.dir.join("tokens");
    sandbox.add_stub(
        "buildkite-agent",
        &format!(
            "n=0; if [ -f '{c}' ]; then n=$(< '{c}'); fi; n=$((n + 1)); printf '%s' \"$n\" > '{c}'\nprintf 'tok%s\\n' \"$n\"\n",
            c = counter.display()
        ),
    );
    let keep = format!("sleep 1.2\nprintf '%s' \"$(< \"{config_dir}/config.json\")\" > '{}'\n", sandbox.dir.join("seen.json").display());
    sandbox.add_stub("executor", &keep);
    // docker run --volume DIR:/kaniko/.docker:ro …: the same, reading the host directory.
    sandbox.add_stub(
        "docker",
        &format!(
            "d=\nfor a in \"$@\"; do case \"$a\" in *:/kaniko/.docker:ro) d=\"${{a%:/kaniko/.docker:ro}}\";; esac; done\nif [ -n \"$d\" ]; then sleep 1.2; printf '%s' \"$(< \"$d/config.json\")\" > '{}'; fi\n",
            sandbox.dir.join("seen.json").display()
        ),
    );
}

fn token_number(sandbox: &Sandbox) -> u32 {
    let text = std::fs::read_to_string(sandbox.dir.join("seen.json")).expect("the executor read config.json");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("config.json is not whole JSON: {e}\n{text}"));
    let password = v["auths"]["packages.buildkite.com/acme/docker-images"]["password"].as_str().expect("password");
    password.strip_prefix("tok").and_then(|n| n.parse().ok()).expect("a stub token")
}

fn assert_nothing_left(what: &str) {
    // The refresher is killed on exit; give the kernel a moment to reap it.
    for _ in 0..50 {
        if processes_with(PERIOD).is_empty() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(40));
    }
    panic!("{what}: processes left behind: {:?}", processes_with(PERIOD));
}

#[test]
fn kubernetes_step_pushes_with_a_token_minted_during_the_build() {
    require_tool("busybox");
    let config = options(true);
    assert!(config.extras.refresh_credentials && matches!(config.stack, Stack::Kubernetes(_)));
    let (files, _) = generate::generate(&config);
    let command = k8s_command(&files.get(generate::PIPELINE_PATH).expect("pipeline").content);
    let sandbox = Sandbox::new("refresh-k8s");
    sandbox.add_tools(&["busybox"]);
    stubs(&sandbox, &sandbox.dir.join("kaniko/.docker").display().to_string());
    let (ok, log) = run(&sandbox, &["busybox", "sh", "-c"], &k8s_runnable(&command, &sandbox));
    assert!(ok, "the Kubernetes command fails:\n{log}");
    assert!(token_number(&sandbox) >= 2, "the push used the first token:\n{log}");
    assert_nothing_left("Kubernetes");
}

#[test]
fn elastic_script_pushes_with_a_token_minted_during_the_build() {
    let config = options(false);
    assert!(config.extras.refresh_credentials);
    let (files, _) = generate::generate(&config);
    let Stack::Elastic(e) = &config.stack else { panic!("elastic") };
    let script = &files.get(&e.script).expect("script").content;
    let sandbox = Sandbox::new("refresh-elastic");
    stubs(&sandbox, "");
    let (ok, log) = run(&sandbox, &["bash", "-c"], script);
    assert!(ok, "the Elastic script fails:\n{log}");
    assert!(token_number(&sandbox) >= 2, "the push used the first token:\n{log}");
    assert_nothing_left("Elastic");
}

/// Without the option the step stays as it was: one token, `exec` into the executor.
#[test]
fn without_the_option_nothing_refreshes() {
    let mut config = options(true);
    config.extras.refresh_credentials = false;
    let (files, _) = generate::generate(&config);
    let command = k8s_command(&files.get(generate::PIPELINE_PATH).expect("pipeline").content);
    assert!(!command.contains("refresh_config") && command.contains("exec /kaniko/executor \"$@\""));
}

/// The executor can end at any moment of the refresher's start-up (here at once, the worst
/// case). Whatever that moment, the step's output must close when the step ends: a refresher
/// or a `sleep` holding it would keep Buildkite's job (and this test's pipe) open for a whole
/// refresh period. Each run reads the step's output through a pipe, to its end.
#[test]
fn a_step_that_ends_at_once_never_holds_its_output_open() {
    require_tool("busybox");
    // A long period no other process uses: a run that waits for it is caught by the timeout.
    const LONG: &str = "97.3137";
    let k8s_config = options(true);
    let (files, _) = generate::generate(&k8s_config);
    let command = k8s_command(&files.get(generate::PIPELINE_PATH).expect("pipeline").content);
    let elastic_config = options(false);
    let (files, _) = generate::generate(&elastic_config);
    let Stack::Elastic(e) = &elastic_config.stack else { panic!("elastic") };
    let script = files.get(&e.script).expect("script").content.clone();

    let sandbox = Sandbox::new("refresh-at-once");
    sandbox.add_tools(&["busybox"]);
    sandbox.add_stub("buildkite-agent", "printf 'tok\\n'\n");
    sandbox.add_stub("executor", "exit 0\n");
    sandbox.add_stub("docker", "exit 0\n");
    let runs: Vec<(&str, Vec<String>)> = vec![
        ("Kubernetes", vec!["busybox".into(), "sh".into(), "-c".into(), k8s_runnable(&command, &sandbox)]),
        ("Elastic", vec!["bash".into(), "-c".into(), script]),
    ];
    for (what, argv) in &runs {
        for i in 0..40 {
            let mut cmd = step_command(&sandbox, argv, LONG);
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let _ = tx.send(cmd.output());
            });
            match rx.recv_timeout(std::time::Duration::from_secs(30)) {
                Ok(out) => {
                    let out = out.unwrap();
                    assert!(out.status.success(), "{what} run {i} failed:\n{}", String::from_utf8_lossy(&out.stderr));
                }
                Err(_) => panic!("{what} run {i}: the step's output stayed open after it ended (a refresher or its sleep holds it): {:?}", processes_with(LONG)),
            }
        }
    }
    // A refresher stopped in the instant before its `wait` may finish that one sleep on its own
    // (holding nothing of the step's): clean up after the test.
    for _ in processes_with(LONG) {
        let _ = Command::new("pkill").args(["-f", LONG]).status();
    }
}
