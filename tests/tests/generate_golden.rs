//! Golden files for every registry × both stacks (plus option variants), each artifact checked
//! by what consumes it: saphyr for YAML, Buildkite's JSON schema for pipeline.yml, bash -n and
//! shellcheck for scripts, busybox sh -n (and shellcheck -s sh) for the Kubernetes command,
//! serde_json for config.json, and Kaniko's real flag list for every executor argument.
//!
//! Regenerate with `UPDATE_GOLDEN=1 cargo test -p kaniko-studio-tests`, then review the diff.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::panic, clippy::indexing_slicing, clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;
use std::process::Command;

use kaniko_studio_core::config::{BuildConfig, SecretRef, Stack};
use kaniko_studio_core::generate::{self, ArtifactKind};

use support::*;

fn run_tool(tool: &str, args: &[&str], stdin_text: &str) -> (bool, String) {
    require_tool(tool);
    use std::io::Write;
    let mut child = Command::new(tool)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run {tool}: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(stdin_text.as_bytes()).expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn shellcheck(text: &str, dialect: &str, what: &str) {
    let (ok, out) = run_tool("shellcheck", &["-s", dialect, "-"], text);
    assert!(ok, "shellcheck -s {dialect} rejects {what}:\n{out}\n{text}");
}

fn pipeline_schema() -> (boon::Schemas, boon::SchemaIndex) {
    let path = reference("buildkite-pipeline-schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let json: serde_json::Value = serde_json::from_str(&text).expect("schema JSON");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("buildkite-pipeline-schema.json", json).expect("add schema");
    let index = compiler.compile("buildkite-pipeline-schema.json", &mut schemas).expect("compile schema");
    (schemas, index)
}

/// Executor flags Kaniko v1.24.0 knows, from the reference TSV.
fn kaniko_flags() -> BTreeSet<String> {
    let text = std::fs::read_to_string(reference("kaniko-flags.tsv")).expect("kaniko-flags.tsv");
    text.lines().skip(1).filter_map(|l| l.split('\t').next()).map(str::to_string).collect()
}

/// Environment a real job would have: Buildkite variables and every env-var secret.
fn job_env(config: &BuildConfig) -> Vec<(String, String)> {
    let mut env = vec![
        ("BUILDKITE_BUILD_NUMBER".to_string(), "42".to_string()),
        ("BUILDKITE_COMMIT".to_string(), "0123456789abcdef0123456789abcdef01234567".to_string()),
        ("BUILDKITE_BRANCH".to_string(), "feature/Fancy branch".to_string()),
        ("BUILDKITE_JOB_ID".to_string(), "0190b4a8-0000-0000-0000-000000000000".to_string()),
    ];
    for (_, s) in config.registry.secrets() {
        if let SecretRef::Env { var } = s {
            env.push((var.clone(), "s3cr3t:with\"quotes'".to_string()));
        }
    }
    env
}

/// Run the step's script under stubs; return the executor's argv.
fn executor_argv(config: &BuildConfig, files: &generate::Artifacts, case: &str, switches: &[(&str, &str)]) -> Vec<String> {
    let sandbox = Sandbox::new(case);
    let mut env = job_env(config);
    env.extend(switches.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let env_refs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let out = match &config.stack {
        Stack::Kubernetes(_) => {
            require_tool("busybox");
            let command = k8s_command(&files.get(generate::PIPELINE_PATH).expect("pipeline").content);
            // Mounted Secrets: create the files the kubelet would mount.
            for (_, s) in config.registry.secrets() {
                if let SecretRef::Kubernetes { name, key } = s {
                    let dir = sandbox.dir.join("kaniko/secrets").join(name);
                    std::fs::create_dir_all(&dir).expect("secret dir");
                    std::fs::write(dir.join(key), "mounted-secret").expect("secret file");
                }
            }
            sandbox.run(&["busybox", "sh", "-c"], &k8s_runnable(&command, &sandbox), &env_refs)
        }
        Stack::Elastic(e) => {
            let script = &files.get(&e.script).expect("script").content;
            sandbox.run(&["bash", "-c"], script, &env_refs)
        }
    };
    assert!(
        out.status.success(),
        "{case}: the script fails under stubs:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The script keeps its credential files private (umask 077); the image's files must not
    // inherit that: Kaniko's RUN steps and the directories it creates take the executor's umask.
    for umask in executor_umasks(&sandbox) {
        assert_eq!(umask, "0022", "{case}: the executor starts with umask {umask}");
    }
    let calls = sandbox.calls();
    let mut argv = None;
    for (cmd, args) in &calls {
        match cmd.as_str() {
            "executor" => argv = Some(args.iter().filter(|a| !a.starts_with("ENV:")).cloned().collect()),
            "docker" if args.first().map(String::as_str) == Some("run") && argv.is_none() => {
                // docker run --rm (--volume X | --env X)* IMAGE ARGS…
                let mut i = 2;
                while i < args.len() && (args[i] == "--volume" || args[i] == "--env") {
                    i += 2;
                }
                argv = Some(args[i + 1..].to_vec());
            }
            _ => {}
        }
    }
    argv.unwrap_or_else(|| panic!("{case}: the executor never ran; calls: {calls:?}"))
}

/// Check every artifact of one case with its consumer; `golden` also compares with the golden
/// files.
fn check_case(
    case: &str,
    config: &BuildConfig,
    golden: bool,
    schemas: &boon::Schemas,
    schema: boon::SchemaIndex,
    flags: &BTreeSet<String>,
    seen_paths: &mut BTreeSet<String>,
) {
    let (files, diags) = generate::generate(config);
    assert!(
        !files.is_empty(),
        "{case}: nothing generated: {:#?}",
        diags.iter().filter(|d| d.is_error()).collect::<Vec<_>>()
    );
    let again = generate::generate(config).0;
    assert_eq!(files, again, "{case}: output is not deterministic");

    for a in &files.files {
        seen_paths.insert(a.path.clone());
        if golden {
            assert_golden(&format!("generate/{case}/{}", a.path), &a.content);
        }
        assert!(a.content.ends_with('\n') && !a.content.ends_with("\n\n"), "{case}/{}: one final newline", a.path);
        for (n, line) in a.content.lines().enumerate() {
            assert!(!line.ends_with([' ', '\t']), "{case}/{}:{}: trailing whitespace", a.path, n + 1);
        }
        assert!(!a.purpose.contains('\n') && !a.purpose.is_empty(), "{case}/{}: one-line purpose", a.path);
        match a.kind {
            ArtifactKind::Pipeline => {
                let doc = yaml_json(&a.content);
                if let Err(e) = schemas.validate(&doc, schema) {
                    panic!("{case}: pipeline.yml fails Buildkite's schema: {e:#}\n{}", a.content);
                }
                if a.path == generate::doctor::DOCTOR_PIPELINE_PATH {
                    check_doctor_pipeline(case, config, &doc);
                } else if a.path == generate::executor_build::EXECUTOR_PIPELINE_PATH {
                    check_executor_pipeline(case, config, &doc);
                } else if let Stack::Kubernetes(k) = &config.stack {
                    let command = k8s_command(&a.content);
                    let (ok, out) = run_tool("busybox", &["sh", "-n"], &command);
                    assert!(ok, "{case}: busybox sh -n rejects the command:\n{out}\n{command}");
                    shellcheck(&command, "sh", &format!("{case}'s Kubernetes command"));
                    let patch = at(&doc, &["steps", "0", "plugins", "0", "kubernetes", "podSpecPatch"]);
                    assert_eq!(at(patch, &["containers", "0", "name"]), &serde_json::json!(k.container), "{case}");
                    assert_eq!(
                        at(patch, &["containers", "0", "image"]),
                        &serde_json::json!(config.executor_image_ref()),
                        "{case}"
                    );
                    let env = at(patch, &["containers", "0", "env"]);
                    assert!(env.is_null(), "{case}: no container-level env (BUILDKITE_HOOKS_PATH is ignored since agent v3.127.1)");
                }
            }
            ArtifactKind::Script if a.content.starts_with("#!/bin/sh\n") => {
                // The doctor: POSIX sh (busybox on Kubernetes, sh on the Elastic host).
                for (tool, args) in [("bash", &["-n"][..]), ("busybox", &["sh", "-n"][..])] {
                    let (ok, out) = run_tool(tool, args, &a.content);
                    assert!(ok, "{case}: {tool} {args:?} rejects {}:\n{out}", a.path);
                }
                shellcheck(&a.content, "sh", &format!("{case}/{}", a.path));
                assert!(!a.content.contains("set -x"), "{case}/{}: no tracing near secrets", a.path);
            }
            ArtifactKind::Script => {
                let (ok, out) = run_tool("bash", &["-n"], &a.content);
                assert!(ok, "{case}: bash -n rejects {}:\n{out}", a.path);
                shellcheck(&a.content, "bash", &format!("{case}/{}", a.path));
                assert!(a.content.starts_with("#!/usr/bin/env bash\n"), "{case}/{}: shebang", a.path);
                assert!(a.content.contains("set -euo pipefail"), "{case}/{}", a.path);
                assert!(!a.content.contains("set -x"), "{case}/{}: no tracing near secrets", a.path);
            }
            ArtifactKind::DockerConfig => {
                let doc: serde_json::Value = serde_json::from_str(&a.content)
                    .unwrap_or_else(|e| panic!("{case}: config.json is not JSON: {e}"));
                let keys: Vec<&String> = doc.as_object().expect("object").keys().collect();
                assert!(keys == ["auths"] || keys == ["credHelpers"], "{case}: config.json keys {keys:?}");
                if let Some(auths) = doc.get("auths").and_then(|a| a.as_object()) {
                    assert_eq!(auths.len(), 1, "{case}: one registry per config.json");
                    assert!(auths.contains_key(&config.registry.auth_key()), "{case}: auths key");
                }
            }
            ArtifactKind::OidcPolicy => {
                let doc = yaml_json(&a.content);
                let statements = doc.as_array().expect("a list of statements");
                for s in statements {
                    assert_eq!(s["iss"], "https://agent.buildkite.com", "{case}");
                    for scope in s["scopes"].as_array().expect("scopes") {
                        assert!(["read_packages", "write_packages", "delete_packages"].contains(&scope.as_str().unwrap_or("")));
                    }
                }
                assert!(!a.content.contains(['&', '!']), "{case}: no anchors or tags in a policy");
            }
            ArtifactKind::KubernetesManifest => {
                let docs = parse_yaml(&a.content).unwrap_or_else(|e| panic!("{case}: secrets.yaml: {e}"));
                assert!(!docs.is_empty(), "{case}");
                for d in &docs {
                    let j = yaml_to_json(d);
                    assert_eq!(j["kind"], "Secret", "{case}");
                    assert_eq!(j["apiVersion"], "v1", "{case}");
                }
            }
            ArtifactKind::Checklist => {
                assert!(a.content.starts_with("# Set up: "), "{case}");
            }
        }
    }
    if let Some(script) = files.get(generate::executor_build::EXECUTOR_SCRIPT_PATH) {
        check_executor_script(case, config, &script.content);
    }
    let argv = executor_argv(config, &files, case, &[]);
    check_cache_flags(case, &argv);
    if config.extras.env_switches {
        // The dry-run switch the set-up checklist suggests must give a run Kaniko accepts.
        let dry = executor_argv(config, &files, case, &[("KANIKO_NO_PUSH", "1")]);
        assert_eq!(bool_flag(&dry, "no-push"), Some(true), "{case}: KANIKO_NO_PUSH=1 gives --no-push: {dry:?}");
        check_cache_flags(&format!("{case} with KANIKO_NO_PUSH=1"), &dry);
    }
    for arg in &argv {
        let Some(flag) = arg.strip_prefix("--").map(|f| format!("--{}", f.split('=').next().unwrap_or(f))) else {
            panic!("{case}: executor argument {arg:?} is not a --flag (positional arguments break Kaniko)");
        };
        assert!(flags.contains(&flag), "{case}: {flag} is not in kaniko-flags.tsv");
    }
    assert!(argv.iter().any(|a| a.starts_with("--destination=")), "{case}: a destination");
}

/// A boolean flag's value as Kaniko reads it: the last occurrence wins (`--f`, `--f=true`).
fn bool_flag(argv: &[String], name: &str) -> Option<bool> {
    argv.iter().rev().find_map(|a| {
        let rest = a.strip_prefix("--")?.strip_prefix(name)?;
        match rest {
            "" | "=true" => Some(true),
            "=false" => Some(false),
            _ => None,
        }
    })
}

/// Kaniko's own check before it builds (kaniko.md §3.4, step 5).
fn check_cache_flags(case: &str, argv: &[String]) {
    let cache = bool_flag(argv, "cache") == Some(true);
    let no_push = bool_flag(argv, "no-push") == Some(true);
    let repo = argv.iter().any(|a| a.starts_with("--cache-repo="));
    assert!(
        !(cache && no_push && !repo),
        "{case}: Kaniko stops with `cache flags invalid: if using cache with --no-push, specify cache repo with --cache-repo`: {argv:?}"
    );
}

/// The generated OIDC policy, read by the policy checker users run on their own policies,
/// lets exactly the configured pipelines and branches of the organization push.
#[test]
fn scoped_policy_admits_only_its_pipelines_and_branches() {
    use kaniko_studio_core::policy::{check_policy, claims_from_json, evaluate};
    let (_, config) = cases().into_iter().find(|(name, _)| name == "packages-oidc-scoped-k8s").expect("case");
    let (artifacts, _) = kaniko_studio_core::generate::generate(&config);
    let policy = &artifacts.get(".buildkite/kaniko/oidc-policy.yml").expect("policy").content;
    let (policy, diags) = check_policy(policy);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let admits = |pipeline: &str, branch: &str| {
        let claims = claims_from_json(&format!(
            r#"{{"iss":"https://agent.buildkite.com","organization_slug":"acme","pipeline_slug":"{pipeline}","build_branch":"{branch}"}}"#
        ))
        .expect("claims");
        let (evaluation, _) = evaluate(&policy, &claims);
        evaluation.matched.is_some() && evaluation.scopes.iter().any(|s| s == "write_packages")
    };
    assert!(admits("my-app", "main"));
    assert!(admits("deploy-prod", "release/1.2"));
    assert!(!admits("other", "main"), "another pipeline");
    assert!(!admits("my-app", "feature/x"), "another branch");
}

/// The doctor step runs the committed script; on Kubernetes in the doctor's small image,
/// patched into the command container with the build's Secret mounts.
fn check_doctor_pipeline(case: &str, config: &BuildConfig, doc: &serde_json::Value) {
    let plan = generate::plan::from_config(config);
    let script = generate::doctor::script_path(&plan);
    assert_eq!(at(doc, &["steps", "0", "command"]), &serde_json::json!(format!("sh {script}")), "{case}");
    assert_eq!(at(doc, &["steps", "0", "key"]), &serde_json::json!("kaniko-doctor"), "{case}");
    if let Stack::Kubernetes(k) = &config.stack {
        let patch = at(doc, &["steps", "0", "plugins", "0", "kubernetes", "podSpecPatch"]);
        assert_eq!(at(patch, &["containers", "0", "name"]), &serde_json::json!(k.container), "{case}");
        assert_eq!(at(patch, &["containers", "0", "image"]), &serde_json::json!(generate::doctor::image(&plan)), "{case}");
        let build = yaml_json(&generate::generate(config).0.get(generate::PIPELINE_PATH).expect("pipeline").content);
        let build_patch = at(&build, &["steps", "0", "plugins", "0", "kubernetes", "podSpecPatch"]);
        assert_eq!(at(patch, &["volumes"]), at(build_patch, &["volumes"]), "{case}: the build's Secrets");
    } else {
        assert!(at(doc, &["steps", "0", "plugins"]).is_null(), "{case}: the Elastic doctor runs on the host");
    }
}

/// The executor pipeline: a build step, then a sign step that waits for it; on Kubernetes the
/// build runs in rootless BuildKit as uid 1000 (with its seccomp/AppArmor needs and
/// group-readable Secrets) and the signature in cosign's image with a shell.
fn check_executor_pipeline(case: &str, config: &BuildConfig, doc: &serde_json::Value) {
    use generate::executor_build::{BUILDKIT_IMAGE, BUILDKIT_UID, COSIGN_SHELL_IMAGE, EXECUTOR_SCRIPT_PATH};
    let steps = doc["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 2, "{case}: build and sign");
    assert_eq!(steps[0]["command"], serde_json::json!(format!("sh {EXECUTOR_SCRIPT_PATH} build")), "{case}");
    assert_eq!(steps[1]["command"], serde_json::json!(format!("sh {EXECUTOR_SCRIPT_PATH} sign")), "{case}");
    assert_eq!(steps[1]["depends_on"], steps[0]["key"], "{case}: sign after build");
    let build = yaml_json(&generate::generate(config).0.get(generate::PIPELINE_PATH).expect("pipeline").content);
    if let Stack::Kubernetes(k) = &config.stack {
        let patch = at(doc, &["steps", "0", "plugins", "0", "kubernetes", "podSpecPatch"]);
        assert_eq!(at(patch, &["containers", "0", "name"]), &serde_json::json!(k.container), "{case}");
        assert_eq!(at(patch, &["containers", "0", "image"]), &serde_json::json!(BUILDKIT_IMAGE), "{case}");
        assert_eq!(at(patch, &["securityContext", "runAsUser"]), &serde_json::json!(BUILDKIT_UID), "{case}");
        assert_eq!(at(patch, &["securityContext", "fsGroup"]), &serde_json::json!(BUILDKIT_UID), "{case}");
        assert_eq!(at(patch, &["containers", "0", "securityContext", "seccompProfile", "type"]), "Unconfined", "{case}");
        let mounts = at(patch, &["volumes"]).as_array().expect("the Secret is mounted");
        assert!(mounts.iter().all(|v| v["secret"]["defaultMode"] == 0o440), "{case}: readable by the fsGroup: {mounts:?}");
        let build_patch = at(&build, &["steps", "0", "plugins", "0", "kubernetes", "podSpecPatch"]);
        let names = |v: &serde_json::Value| v["volumes"].as_array().map(|a| a.iter().map(|x| x["secret"]["secretName"].clone()).collect::<Vec<_>>());
        assert_eq!(names(patch), names(build_patch), "{case}: the build's Secrets");
        let sign = at(doc, &["steps", "1", "plugins", "0", "kubernetes", "podSpecPatch"]);
        assert_eq!(at(sign, &["containers", "0", "image"]), &serde_json::json!(COSIGN_SHELL_IMAGE), "{case}");
        assert_eq!(at(sign, &["volumes"]), at(build_patch, &["volumes"]), "{case}: the build's Secrets");
    } else {
        assert!(steps.iter().all(|s| s["plugins"].is_null()), "{case}: the Elastic steps run on the host");
    }
}

/// Run the executor script's two steps under stubs: both images are built without pushing
/// first, then pushed with credentials written just before; each digest is recorded and
/// signed; and every `config.json` BuildKit or cosign reads holds the registry's key only.
fn check_executor_script(case: &str, config: &BuildConfig, script: &str) {
    let k8s = matches!(config.stack, Stack::Kubernetes(_));
    let sandbox = Sandbox::new(case);
    if let Stack::Kubernetes(_) = &config.stack {
        for (_, s) in config.registry.secrets() {
            if let SecretRef::Kubernetes { name, key } = s {
                let dir = sandbox.dir.join("kaniko/secrets").join(name);
                std::fs::create_dir_all(&dir).expect("secret dir");
                std::fs::write(dir.join(key), "mounted-secret").expect("secret file");
            }
        }
    }
    let env = job_env(config);
    let env_refs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for out in support::run_executor_script(script, k8s, &sandbox, &env_refs) {
        assert!(out.status.success(), "{case}: the executor script fails:\n{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    }
    let b = config.extras.build_executor.as_ref().expect("build_executor");
    let calls = sandbox.calls();
    let builder = if k8s { "buildctl-daemonless.sh" } else { "docker" };
    let builds: Vec<&Vec<String>> = calls.iter().filter(|(c, a)| c == builder && (k8s || a[0] == "buildx")).map(|(_, a)| a).collect();
    assert_eq!(builds.len(), 4, "{case}: each target built, then pushed: {calls:?}");
    let pushes = |a: &Vec<String>| a.iter().any(|x| x == "--push" || x.ends_with(",push=true"));
    for (i, target) in ["kaniko-executor", "kaniko-executor", "kaniko-debug", "kaniko-debug"].iter().enumerate() {
        let args = builds[i];
        assert!(args.iter().any(|a| a.ends_with(target)), "{case}: target {target}: {args:?}");
        assert!(args.iter().any(|a| a.contains(&format!("https://github.com/chainguard-forks/kaniko.git#{}", b.git_ref))), "{case}: {args:?}");
        assert!(args.iter().any(|a| a.contains("deploy/Dockerfile")), "{case}: {args:?}");
        assert_eq!(pushes(args), i % 2 == 1, "{case}: the first run compiles, the second pushes: {args:?}");
    }
    let tag = |a: &Vec<String>, t: &str| a.iter().any(|x| x.contains(&format!("{}:{t}", b.repository)));
    assert!(tag(builds[1], &b.git_ref) && tag(builds[3], &format!("{}-debug", b.git_ref)), "{case}: tags");
    let meta: Vec<&Vec<String>> = calls.iter().filter(|(c, a)| c == "buildkite-agent" && a.first().map(String::as_str) == Some("meta-data") && a[1] == "set").map(|(_, a)| a).collect();
    assert_eq!(meta.len(), 2, "{case}: {calls:?}");
    assert!(meta.iter().all(|a| a[3] == support::FAKE_DIGEST), "{case}: {meta:?}");
    assert!(calls.iter().any(|(c, a)| c == "buildkite-agent" && a.first().map(String::as_str) == Some("annotate")), "{case}");
    let signs: Vec<&Vec<String>> = calls.iter().filter(|(c, a)| (c == "cosign" && a[0] == "sign") || (c == "docker" && a[0] == "run")).map(|(_, a)| a).collect();
    assert_eq!(signs.len(), 2, "{case}: both digests signed: {calls:?}");
    for a in &signs {
        assert_eq!(a.last(), Some(&format!("{}@{}", b.repository, support::FAKE_DIGEST)), "{case}: signed by digest: {a:?}");
        let key = a.iter().position(|x| x == "--key").map(|i| &a[i + 1]);
        assert_eq!(key, b.signing_key.as_ref(), "{case}");
    }
    // Every config.json a pusher or signer read: one `auths` entry for the registry.
    let mut configs = 0;
    for entry in std::fs::read_dir(&sandbox.log).expect("log") {
        let path = entry.expect("entry").path();
        if !path.to_string_lossy().ends_with(".config.json") {
            continue;
        }
        configs += 1;
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("config.json is JSON");
        let auths = v["auths"].as_object().expect("auths");
        assert_eq!(auths.keys().collect::<Vec<_>>(), [&config.registry.auth_key()], "{case}: {v}");
    }
    assert!(configs >= 4, "{case}: two pushes and two signatures read credentials");
}

#[test]
fn golden_matrix_checked_by_real_consumers() {
    let (schemas, schema) = pipeline_schema();
    let flags = kaniko_flags();
    let cases = cases();
    assert!(cases.len() >= 38, "the matrix covers every registry on both stacks");
    let mut seen_paths = BTreeSet::new();
    for (case, config) in &cases {
        check_case(case, config, true, &schemas, schema, &flags, &mut seen_paths);
    }
    assert!(seen_paths.contains(".buildkite/steps/kaniko.sh"));
    assert!(seen_paths.contains(".buildkite/kaniko/oidc-policy.yml"));
    assert!(seen_paths.contains(generate::doctor::DOCTOR_PIPELINE_PATH));
    assert!(seen_paths.contains(generate::doctor::DOCTOR_SCRIPT_PATH));
    assert!(seen_paths.contains(generate::executor_build::EXECUTOR_SCRIPT_PATH));
}

/// The commented examples users start from (`examples/*.yaml`, what `init` prints) all
/// generate, and their artifacts pass the same consumers.
#[test]
fn every_example_generates_and_passes_its_consumers() {
    let (schemas, schema) = pipeline_schema();
    let flags = kaniko_flags();
    let dir = kaniko_studio_tests::repo_root().join("examples");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 20, "examples for every registry and stack");
    let mut seen = BTreeSet::new();
    for path in names {
        let text = std::fs::read_to_string(&path).expect("example");
        let config = BuildConfig::from_yaml_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let case = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        check_case(&case, &config, false, &schemas, schema, &flags, &mut seen);
    }
}
