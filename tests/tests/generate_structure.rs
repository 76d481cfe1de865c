//! Nothing a user types can change the structure of the output (issue 3 §4).
//!
//! Differential property test over every string field of `BuildConfig`, for every registry and
//! auth mode on both stacks: take a matrix configuration, set one string field to a plain
//! marker and generate; then set it to an arbitrary hostile string (unicode, quotes, newlines,
//! `$`, backticks, `#`, `: `, `{}` …) and generate again. When both are accepted:
//! - every YAML artifact parses (saphyr), and its parsed value equals the marker version's with
//!   the marker replaced by the hostile string (the Kubernetes `command` is checked by running it);
//! - every JSON document (config.json artifact, and the config.json and credential files the
//!   script writes at run time) parses and equals the marker version's likewise;
//! - the scripts, run for real (bash on Elastic, busybox sh for the Kubernetes command after
//!   Buildkite's interpolation) under stub `buildkite-agent`, `docker`, `cosign`, `kubectl` and
//!   executor commands that record their argv, with a PATH holding nothing else, succeed and make
//!   exactly the marker version's calls with the marker replaced: the value arrives intact, as
//!   one argument, where the marker did, and nothing else runs.
//!
//! The Kubernetes command calls the absolute `/kaniko/executor`, which only exists in the Kaniko
//! image: the test substitutes the sandbox's stub path (and relocates `/kaniko/.docker`,
//! `/kaniko/oidc`, `/kaniko/secrets` into the sandbox) in the text before running it.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::panic, clippy::indexing_slicing, clippy::unwrap_used)]

mod support;

use std::path::Path;

use kaniko_studio_core::config::{BuildConfig, SecretRef, Stack};
use kaniko_studio_core::generate::{self, ArtifactKind, Artifacts};
use proptest::prelude::*;
use serde_json::Value;
use support::*;

const MARKER: &str = "mq7marker";

/// Every string leaf of the configuration's JSON form, as a JSON pointer.
fn string_pointers(v: &Value, path: String, out: &mut Vec<String>) {
    match v {
        Value::String(_) => out.push(path),
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                string_pointers(x, format!("{path}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, x) in map {
                string_pointers(x, format!("{path}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        _ => {}
    }
}

/// The configuration with the string at `pointer` replaced; `None` if it no longer
/// deserializes (the leaf was an enum name such as `oidc`).
fn with_value(config: &BuildConfig, pointer: &str, value: &str) -> Option<BuildConfig> {
    let mut json = serde_json::to_value(config).ok()?;
    *json.pointer_mut(pointer)? = Value::String(value.to_string());
    serde_json::from_value(json).ok()
}

/// Replace the marker in every string and key of a JSON value.
fn substitute(v: &Value, hostile: &str) -> Value {
    match v {
        Value::String(s) => Value::String(s.replace(MARKER, hostile)),
        Value::Array(items) => Value::Array(items.iter().map(|x| substitute(x, hostile)).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, x)| (k.replace(MARKER, hostile), substitute(x, hostile))).collect())
        }
        other => other.clone(),
    }
}

/// Decode `auth` (base64 of user:password) so the marker inside can be compared.
fn decode_auths(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                if k == "auth"
                    && let Value::String(s) = x
                {
                    *s = base64_decode(s);
                } else {
                    decode_auths(x);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(decode_auths),
        _ => {}
    }
}

fn base64_decode(s: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| *c != b'=') {
        let Some(v) = ALPHABET.iter().position(|a| *a == c) else { return format!("<not base64: {s}>") };
        bits = (bits << 6) | v as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What a run of the generated artifacts looks like from outside.
#[derive(Debug, PartialEq)]
struct Observed {
    /// Parsed YAML artifacts (Kubernetes `command` removed: it is run instead).
    yaml: Vec<(String, Value)>,
    /// Parsed JSON: the config.json artifact and the files written at run time.
    json: Vec<(String, Value)>,
    /// `(command, argv)` of every stub call, sandbox paths normalized.
    calls: Vec<(String, Vec<String>)>,
    /// Checklist items (a value must not add or remove steps).
    checklist_items: usize,
    /// The doctor script's output and stub calls, run under busybox sh with a `curl` stub
    /// that cannot connect (so it stops at its first network link).
    doctor: (String, Vec<(String, Vec<String>)>),
}

fn normalize(s: &str, sandbox: &Sandbox) -> String {
    let root = sandbox.dir.display().to_string();
    let mut s = s.replace(&root, "<SANDBOX>");
    // mktemp -d names differ between runs.
    while let Some(i) = s.find("<SANDBOX>/tmp.") {
        let start = i + "<SANDBOX>/".len();
        // The name is `tmp.` and letters and digits: it ends at anything else (`/`, `:`).
        let end = s[start + 4..].find(|c: char| !c.is_ascii_alphanumeric()).map(|e| start + 4 + e).unwrap_or(s.len());
        s.replace_range(start..end, "MKTEMP");
    }
    s
}

fn normalize_json(v: &Value, sandbox: &Sandbox) -> Value {
    match v {
        Value::String(s) => Value::String(normalize(s, sandbox)),
        Value::Array(items) => Value::Array(items.iter().map(|x| normalize_json(x, sandbox)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, x)| (k.clone(), normalize_json(x, sandbox))).collect()),
        other => other.clone(),
    }
}

fn job_env(config: &BuildConfig) -> Vec<(String, String)> {
    let mut env = vec![
        ("BUILDKITE_BUILD_NUMBER".to_string(), "42".to_string()),
        ("BUILDKITE_COMMIT".to_string(), "0123456789abcdef0123456789abcdef01234567".to_string()),
        ("BUILDKITE_BRANCH".to_string(), "main".to_string()),
        ("BUILDKITE_JOB_ID".to_string(), "job-1".to_string()),
        ("NAMESPACE".to_string(), "buildkite".to_string()),
        ("REGISTRY_TOKEN_FILE".to_string(), "/dev/null".to_string()),
        ("AWS_ACCESS_KEY_ID_FILE".to_string(), "/dev/null".to_string()),
        ("AWS_SECRET_ACCESS_KEY_FILE".to_string(), "/dev/null".to_string()),
        ("GCP_KEY_FILE".to_string(), "/dev/null".to_string()),
    ];
    for (_, s) in config.registry.secrets() {
        if let SecretRef::Env { var } = s {
            env.push((var.clone(), "s3cr3t".to_string()));
        }
    }
    env
}

fn collect_json_files(dir: &Path, sandbox: &Sandbox, out: &mut Vec<(String, Value)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect_json_files(&p, sandbox, out);
        } else if p.to_string_lossy().ends_with(".json") {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            let mut v: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{} written at run time is not JSON: {e}\n{text}", p.display()));
            decode_auths(&mut v);
            let v = normalize_json(&v, sandbox);
            let name = normalize(&p.display().to_string(), sandbox);
            let name = name.rsplit_once("/log/").map(|(_, n)| format!("log/{}", &n[4..])).unwrap_or(name);
            out.push((name, v));
        }
    }
}

/// Generate, parse, run. `None` when generation refused the configuration.
fn observe(config: &BuildConfig) -> Option<Observed> {
    let (files, _) = generate::generate(config);
    if files.is_empty() {
        return None;
    }
    Some(observe_files(config, &files))
}

fn observe_files(config: &BuildConfig, files: &Artifacts) -> Observed {
    let mut yaml = Vec::new();
    let mut json = Vec::new();
    let mut checklist_items = 0;
    let mut doctor = (String::new(), Vec::new());
    let mut executor_calls = Vec::new();
    let sandbox = Sandbox::new("prop");
    let env = job_env(config);
    let env_refs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for a in &files.files {
        match a.kind {
            ArtifactKind::Pipeline | ArtifactKind::OidcPolicy | ArtifactKind::KubernetesManifest => {
                let docs = parse_yaml(&a.content).unwrap_or_else(|e| panic!("{} does not parse: {e}\n{}", a.path, a.content));
                for (i, d) in docs.iter().enumerate() {
                    let mut v = yaml_to_json(d);
                    if a.kind == ArtifactKind::Pipeline {
                        // What the agent sees: every string after pipeline-upload interpolation.
                        v = uninterpolate_all(&v).unwrap_or_else(|e| panic!("{}: {e}\n{}", a.path, a.content));
                        // The step's command is shell text: it is run below instead.
                        if let Some(step) = v.pointer_mut("/steps/0").and_then(Value::as_object_mut) {
                            step.remove("command");
                        }
                    }
                    yaml.push((format!("{}#{i}", a.path), v));
                }
            }
            ArtifactKind::DockerConfig => {
                let mut v: Value = serde_json::from_str(&a.content).unwrap_or_else(|e| panic!("config.json: {e}"));
                decode_auths(&mut v);
                json.push((a.path.clone(), v));
            }
            ArtifactKind::Checklist => {
                checklist_items = a.content.lines().filter(|l| l.contains(". [ ] ")).count();
            }
            ArtifactKind::Script if a.path == generate::doctor::script_path(&generate::plan::from_config(config)) => {
                doctor = run_doctor(&a.content, &env_refs);
            }
            ArtifactKind::Script if Some(a.path.as_str()) == elastic_script(config) => {
                // Run the way the agent does: the step's command, in the checkout.
                let pipeline = &files.get(generate::PIPELINE_PATH).expect("pipeline").content;
                let doc = yaml_json(pipeline);
                let command = uninterpolate(at(&doc, &["steps", "0", "command"]).as_str().expect("command")).expect("interpolation");
                let safe = !a.path.split('/').any(|c| c == ".." || c.is_empty());
                let target = sandbox.work.join(&a.path);
                let out = if safe {
                    std::fs::create_dir_all(target.parent().expect("parent")).expect("script dir");
                    std::fs::write(&target, &a.content).expect("write script");
                    sandbox.run(&["bash", "-c"], &command, &env_refs)
                } else {
                    sandbox.run(&["bash", "-c"], &a.content, &env_refs)
                };
                assert!(
                    out.status.success(),
                    "{command} fails:\n{}\n{}",
                    String::from_utf8_lossy(&out.stderr),
                    a.content
                );
                if safe {
                    std::fs::remove_file(&target).expect("remove script");
                }
            }
            ArtifactKind::Script if a.path == generate::executor_build::EXECUTOR_SCRIPT_PATH => {
                // Its own sandbox: it replaces the docker and buildkite-agent stubs.
                let k8s = matches!(config.stack, Stack::Kubernetes(_));
                let own = Sandbox::new("prop-executor");
                mount_secrets(config, &own);
                for out in run_executor_script(&a.content, k8s, &own, &env_refs) {
                    assert!(out.status.success(), "{} fails:\n{}\n{}", a.path, String::from_utf8_lossy(&out.stderr), a.content);
                }
                executor_calls = own
                    .calls()
                    .into_iter()
                    .map(|(c, args)| (c, args.iter().map(|x| normalize(x, &own)).collect()))
                    .collect();
                collect_json_files(&own.log, &own, &mut json);
            }
            ArtifactKind::Script => {
                let out = sandbox.run(&["bash", "-c"], &a.content, &env_refs);
                assert!(
                    out.status.success(),
                    "{} fails:\n{}\n{}",
                    a.path,
                    String::from_utf8_lossy(&out.stderr),
                    a.content
                );
            }
        }
    }
    if let Stack::Kubernetes(_) = &config.stack {
        let pipeline = &files.get(generate::PIPELINE_PATH).expect("pipeline").content;
        let command = k8s_command(pipeline);
        mount_secrets(config, &sandbox);
        let out = sandbox.run(&["busybox", "sh", "-c"], &k8s_runnable(&command, &sandbox), &env_refs);
        assert!(out.status.success(), "the Kubernetes command fails:\n{}\n{command}", String::from_utf8_lossy(&out.stderr));
        collect_json_files(&sandbox.dir.join("kaniko/.docker"), &sandbox, &mut json);
        collect_json_files(&sandbox.dir.join("kaniko/oidc"), &sandbox, &mut json);
    }
    collect_json_files(&sandbox.log, &sandbox, &mut json);
    let mut calls: Vec<(String, Vec<String>)> = sandbox
        .calls()
        .into_iter()
        .map(|(c, args)| (c, args.iter().map(|a| normalize(a, &sandbox)).collect()))
        .collect();
    calls.extend(executor_calls);
    Observed { yaml, json, calls, checklist_items, doctor }
}

/// Create the files the kubelet would mount for the registry's Kubernetes Secrets.
fn mount_secrets(config: &BuildConfig, sandbox: &Sandbox) {
    if !matches!(config.stack, Stack::Kubernetes(_)) {
        return;
    }
    for (_, s) in config.registry.secrets() {
        if let SecretRef::Kubernetes { name, key } = s {
            let dir = sandbox.dir.join("kaniko/secrets").join(name);
            std::fs::create_dir_all(&dir).expect("secret dir");
            std::fs::write(dir.join(key), "mounted").expect("secret");
        }
    }
}

/// Run the doctor script under busybox sh with the stubs and a `curl` that cannot connect.
fn run_doctor(script: &str, env: &[(&str, &str)]) -> (String, Vec<(String, Vec<String>)>) {
    let sandbox = Sandbox::new("doctor");
    sandbox.add_tools(&["sed", "head", "tail", "awk", "date"]);
    sandbox.add_stub("curl", "printf 'curl: (7) Failed to connect\\n' >&2\nexit 7\n");
    let out = sandbox.run(&["busybox", "sh", "-c"], script, env);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "the doctor writes to stderr:\n{stderr}\n{stdout}");
    let code = out.status.code();
    // 1: a link failed; 0 with a warning: a link needs a tool the sandbox lacks (the aws CLI).
    assert!(code == Some(1) || (code == Some(0) && stdout.contains("SKIP  ")), "the doctor must not pass without a network:\n{stdout}");
    for secret in ["s3cr3t", "secret-from-buildkite", FAKE_TOKEN, "c2ln"] {
        assert!(!stdout.contains(secret), "the doctor prints a secret ({secret}):\n{stdout}");
    }
    let calls = sandbox
        .calls()
        .into_iter()
        .map(|(c, args)| (c, args.iter().map(|a| normalize(a, &sandbox)).collect()))
        .collect();
    (format!("exit {code:?}\n{}", normalize(&stdout, &sandbox)), calls)
}

fn elastic_script(config: &BuildConfig) -> Option<&str> {
    match &config.stack {
        Stack::Elastic(e) => Some(e.script.trim_start_matches("./")),
        Stack::Kubernetes(_) => None,
    }
}

fn uninterpolate_all(v: &Value) -> Result<Value, String> {
    Ok(match v {
        Value::String(s) => Value::String(uninterpolate(s)?),
        Value::Array(items) => Value::Array(items.iter().map(uninterpolate_all).collect::<Result<_, _>>()?),
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, x) in map {
                out.insert(k.clone(), uninterpolate_all(x)?);
            }
            Value::Object(out)
        }
        other => other.clone(),
    })
}

fn expected(marker: &Observed, hostile: &str) -> Observed {
    Observed {
        yaml: marker.yaml.iter().map(|(p, v)| (p.clone(), substitute(v, hostile))).collect(),
        json: marker.json.iter().map(|(p, v)| (p.clone(), substitute(v, hostile))).collect(),
        calls: marker
            .calls
            .iter()
            .map(|(c, args)| (c.clone(), args.iter().map(|a| a.replace(MARKER, hostile)).collect()))
            .collect(),
        checklist_items: marker.checklist_items,
        doctor: (
            marker.doctor.0.replace(MARKER, hostile),
            marker
                .doctor
                .1
                .iter()
                .map(|(c, args)| (c.clone(), args.iter().map(|a| a.replace(MARKER, hostile)).collect()))
                .collect(),
        ),
    }
}

/// Strings that try to break out of every kind of quoting we write.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "'", "\"", "\\", "\\$", "$", "$$", "${X}", "$(id)", "`id`", "\n", "\r\n", "#", ": ", "- ", "{", "}", "[", "]",
        "&a", "*a", "!tag", "%", "@", "|", ">", ";", "&&", " ", "\t", "--", "=", ",", "é", "✓", "🦀", "\u{2028}",
        "\u{85}", "\u{feff}", "---", "...", "?", "'\\''", "x",
    ]);
    (prop::collection::vec(pieces, 0..6), ".{0,6}").prop_map(|(ps, tail)| {
        // Starts and ends with a letter: leading/trailing spaces and slashes are trimmed by
        // design (paths, cache repository), which is not a structural change.
        format!("q{}{}q", ps.concat(), tail.replace('\0', ""))
    })
}

fn case_fields() -> Vec<(String, BuildConfig, String)> {
    let mut out = Vec::new();
    for (name, config) in cases() {
        let json = serde_json::to_value(&config).expect("config to JSON");
        let mut pointers = Vec::new();
        string_pointers(&json, String::new(), &mut pointers);
        for p in pointers {
            out.push((name.clone(), config.clone(), p));
        }
    }
    out
}

proptest! {
    // 160 cases by default (about 20 s); `PROPTEST_CASES=2000` for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(160),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_value_changes_the_structure(index in any::<prop::sample::Index>(), value in hostile()) {
        let fields = case_fields();
        let (name, config, pointer) = &fields[index.index(fields.len())];
        let Some(marked) = with_value(config, pointer, MARKER) else { return Ok(()) };
        let Some(hostile_config) = with_value(config, pointer, &value) else { return Ok(()) };
        let Some(marker_run) = observe(&marked) else { return Ok(()) };
        let Some(hostile_run) = observe(&hostile_config) else { return Ok(()) };
        let want = expected(&marker_run, &value);
        prop_assert_eq!(&hostile_run.yaml, &want.yaml, "{} {}: YAML", name, pointer);
        prop_assert_eq!(&hostile_run.json, &want.json, "{} {}: JSON", name, pointer);
        prop_assert_eq!(&hostile_run.calls, &want.calls, "{} {}: commands run", name, pointer);
        prop_assert_eq!(hostile_run.checklist_items, want.checklist_items, "{} {}: checklist", name, pointer);
        prop_assert_eq!(&hostile_run.doctor, &want.doctor, "{} {}: the doctor's output and calls", name, pointer);
    }
}

/// Every string field is reachable by the property test: the matrix has them all.
#[test]
fn the_property_covers_many_fields() {
    let fields = case_fields();
    assert!(fields.len() > 300, "{} string fields", fields.len());
}

/// Regression: a `\$` in a value would become `$` after `pipeline upload`; it is split across
/// two quoted pieces in the script and refused where it cannot be (KS200).
#[test]
fn backslash_dollar_survives_interpolation() {
    let (_, mut config) = cases().into_iter().find(|(n, _)| n == "options-k8s").expect("case");
    config.image.build_args = vec!["A=x\\$HOME".into()];
    let run = observe(&config).expect("generated");
    let executor = run.calls.iter().find(|(c, _)| c == "executor").expect("executor ran");
    assert!(executor.1.contains(&"--build-arg=A=x\\$HOME".to_string()), "{:?}", executor.1);

    if let Stack::Kubernetes(k) = &mut config.stack {
        k.queue = "q\\$x".into();
    }
    let (files, diags) = generate::generate(&config);
    assert!(files.is_empty());
    assert!(diags.iter().any(|d| d.id == "KS200"), "{diags:?}");
}

/// The property runs the doctor too: it stops at its first network link, without secrets.
#[test]
fn the_doctor_runs_under_the_property_harness() {
    for name in ["packages-oidc-k8s", "self-hosted-elastic", "ecr-oidc-elastic", "acr-oidc-k8s", "gar-oidc-elastic"] {
        let (_, config) = cases().into_iter().find(|(n, _)| n == name).expect("case");
        let run = observe(&config).expect("generated");
        assert!(run.doctor.0.contains("FAIL  "), "{name}: {}", run.doctor.0);
        assert!(run.doctor.0.contains("fix: "), "{name}: {}", run.doctor.0);
        assert!(run.doctor.1.iter().any(|(c, args)| c == "buildkite-agent" && args.first().map(String::as_str) == Some("annotate")), "{name}: annotates: {:?}", run.doctor.1);
    }
}
