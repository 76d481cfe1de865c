//! The build script: bash on the Elastic host (`.buildkite/steps/kaniko.sh`), POSIX `sh` in
//! the Kaniko debug image on Kubernetes (the step's `command`). One renderer for both, so the
//! two stacks cannot drift apart; they differ only in where credentials live and how the
//! executor starts.
//!
//! Secrets are read into shell variables and written to files with `printf`, a builtin in
//! bash and busybox sh, so no secret ever appears in a process's argv or in the log.

use super::docker_config;
use super::plan::{Auth, CloudCreds, Plan, Secret, Tag};
use std::fmt::Write as _;

use super::quote::sh;

/// Where the executor reads `config.json`.
pub const DOCKER_CONFIG_DIR: &str = "/kaniko/.docker";
/// Where token and credential files live inside the executor (ignored by Kaniko's snapshots
/// and its filesystem cleanup between stages).
pub const OIDC_DIR: &str = "/kaniko/oidc";
/// Where Kubernetes Secrets are mounted in the command container.
pub const SECRETS_DIR: &str = "/kaniko/secrets";
/// Mount point of the checkout inside the Elastic `docker run`.
pub const ELASTIC_WORKSPACE: &str = "/workspace";

struct Out {
    text: String,
    scratch: String,
    k8s: bool,
}

impl Out {
    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }
    /// One formatted line, without an intermediate allocation.
    fn fmt(&mut self, args: std::fmt::Arguments<'_>) {
        let _ = self.text.write_fmt(args);
        self.text.push('\n');
    }
    /// A formatted comment (may span lines).
    fn comment_fmt(&mut self, args: std::fmt::Arguments<'_>) {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let _ = scratch.write_fmt(args);
        self.comment(&scratch);
        self.scratch = scratch;
    }
    fn blank(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }
    fn comment(&mut self, text: &str) {
        if text.is_empty() {
            self.line("#");
        }
        for l in text.lines() {
            if l.is_empty() { self.line("#") } else { self.line(&format!("# {l}")) }
        }
    }
    /// Where the script writes `config.json`.
    fn docker_config(&self) -> &'static str {
        if self.k8s { DOCKER_CONFIG_DIR } else { "${workdir}/docker" }
    }
    /// Where the script writes token and credential files.
    fn oidc(&self) -> &'static str {
        if self.k8s { OIDC_DIR } else { "${workdir}/oidc" }
    }
}

/// Path of a file in [`OIDC_DIR`] as the executor sees it.
fn in_executor(name: &str) -> String {
    format!("{OIDC_DIR}/{name}")
}

/// Path of a mounted Kubernetes Secret key.
pub fn mounted_path(secret: &str, key: &str) -> String {
    format!("{SECRETS_DIR}/{secret}/{key}")
}

/// The shell word for a tag.
fn tag_word(tag: &Tag) -> String {
    match tag {
        Tag::Fixed(t) => sh(t).into_owned(),
        Tag::Var(v) => format!("\"${{{v}}}\""),
        Tag::ShortCommit => "\"${short_commit}\"".to_string(),
        Tag::Branch => "\"${branch_tag}\"".to_string(),
    }
}

/// `buildkite-agent oidc request-token …` with a quoted audience.
pub(super) fn request_token(audience: &str, lifetime: u32, extra: &str) -> String {
    format!("buildkite-agent oidc request-token --audience {} --lifetime {lifetime}{extra}", sh(audience))
}

/// Environment for the executor: exported on Kubernetes, `--env` on Elastic.
#[derive(Default)]
struct ExecEnv {
    /// `(name, shell word)`: visible in `docker run`'s argv on Elastic, so never a secret.
    plain: Vec<(&'static str, String)>,
    /// Exported script variables passed by name (`--env NAME`): secrets.
    passthrough: Vec<&'static str>,
    /// Variables to unset so they cannot pre-empt the intended credentials.
    unset: Vec<&'static str>,
    /// Extra Elastic `--volume` words.
    volumes: Vec<String>,
}

/// Render the script for `plan`.
pub fn render(plan: &Plan) -> String {
    let mut o = Out { text: String::with_capacity(4096), scratch: String::new(), k8s: plan.stack.is_kubernetes() };
    header(&mut o, plan);
    variables(&mut o, plan);
    let mut env = credentials(&mut o, plan);
    if plan.set_docker_config {
        env.plain.push(("DOCKER_CONFIG", DOCKER_CONFIG_DIR.to_string()));
    }
    executor_args(&mut o, plan);
    run_executor(&mut o, plan, &env);
    if !o.k8s
        && let Some(args) = &plan.pull_and_run
    {
        pull_and_run(&mut o, plan, args);
    }
    while o.text.ends_with("\n\n") {
        o.text.pop();
    }
    o.text
}

fn header(o: &mut Out, plan: &Plan) {
    if !o.k8s {
        o.line("#!/usr/bin/env bash");
    }
    o.comment_fmt(format_args!("Build {}", flat(&plan.repository)));
    o.comment_fmt(format_args!("with Kaniko and push it to {}.", plan.registry_name));
    if o.k8s {
        o.comment("Runs in the Kaniko debug image (busybox sh) in the step's command container.");
    } else {
        o.comment("Runs on the Elastic CI Stack host; the executor runs in `docker run`.");
    }
    o.comment("Generated by Kaniko Studio: regenerate it rather than edit it.");
    if plan.env_switches {
        o.comment("");
        o.comment("Switches (set them in the step's env; no edit needed):");
        if !o.k8s && plan.debug_image.is_some() {
            o.comment("  KANIKO_DEBUG=1          run the executor's debug image");
        }
        o.comment_fmt(format_args!("  KANIKO_VERBOSITY=debug  override --verbosity (default {})", plan.verbosity));
        o.comment("  KANIKO_NO_PUSH=1        build only: push neither the image nor cache layers");
    }
    o.line(if o.k8s { "set -eu" } else { "set -euo pipefail" });
    o.blank();
}

fn variables(o: &mut Out, plan: &Plan) {
    o.fmt(format_args!("image={}", sh(&plan.repository)));
    if !o.k8s {
        o.fmt(format_args!("executor_image={}", sh(&plan.executor_image)));
        if let Some(debug) = &plan.debug_image {
            o.line("if [ \"${KANIKO_DEBUG:-0}\" = 1 ]; then");
            o.fmt(format_args!("  executor_image={}", sh(debug)));
            o.line("fi");
        }
    }
    if plan.tags.contains(&Tag::ShortCommit) {
        o.line("short_commit=\"$(printf '%s' \"${BUILDKITE_COMMIT}\" | cut -c 1-7)\"");
    }
    if plan.tags.contains(&Tag::Branch) {
        o.comment("A branch name is not always a valid tag: keep [A-Za-z0-9_.-], at most 128 characters.");
        o.line("branch_tag=\"$(printf '%s' \"${BUILDKITE_BRANCH}\" | tr -c 'A-Za-z0-9_.-' '-' | cut -c 1-128)\"");
    }
    o.blank();
    let oidc = needs_oidc_dir(plan);
    if o.k8s {
        o.comment("Files written below are readable by this container's user only.");
        o.line("umask 077");
        o.fmt(format_args!("mkdir -p {DOCKER_CONFIG_DIR}{}", if oidc { format!(" {OIDC_DIR}") } else { String::new() }));
    } else {
        o.comment("Credentials live in a private directory outside the build context, removed on exit.");
        o.line("workdir=\"$(mktemp -d)\"");
        o.line("trap 'rm -rf \"${workdir}\"' EXIT");
        o.fmt(format_args!("mkdir \"${{workdir}}/docker\"{}", if oidc { " \"${workdir}/oidc\"" } else { "" }));
    }
    o.blank();
}

/// Does the script write token or credential files besides `config.json`?
fn needs_oidc_dir(plan: &Plan) -> bool {
    match &plan.auth {
        Auth::Helper { creds, .. } => match creds {
            CloudCreds::AwsWebIdentity { .. } | CloudCreds::GcpWif { .. } | CloudCreds::AzureFederated { .. } => true,
            CloudCreds::GcpKey { secret } => !(plan.stack.is_kubernetes() && matches!(secret, Secret::Mounted { .. })),
            _ => false,
        },
        _ => false,
    }
}

/// `value` on one line, for comments.
pub fn flat(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\\') { '?' } else { c })
        .collect()
}

/// Assign a secret's value to the shell variable `var`.
fn read_secret(o: &mut Out, var: &str, secret: &Secret, what: &str) {
    o.line(&secret_assignment(var, secret, what));
}

/// `var="<the secret's value>"` for one line of a script: a mounted Kubernetes Secret key,
/// a Buildkite secret, or a job variable that must be set.
pub(super) fn secret_assignment(var: &str, secret: &Secret, what: &str) -> String {
    match secret {
        Secret::Mounted { secret, key } => format!("{var}=\"$(cat {})\"", sh(&mounted_path(secret, key))),
        Secret::Buildkite { key } => format!("{var}=\"$(buildkite-agent secret get {})\"", sh(key)),
        Secret::Env { var: env } => format!("{var}=\"${{{env}:?set {env} to {what}}}\""),
    }
}

/// Write `config.json` as `prefix + "${var}" + suffix`.
fn write_config(o: &mut Out, prefix: &str, var: &str, suffix: &str) {
    let dir = o.docker_config();
    o.fmt(format_args!("printf '%s%s%s\\n' {} \"${{{var}}}\" {} > \"{dir}/config.json\"", sh(prefix), sh(suffix)));
}

fn credentials(o: &mut Out, plan: &Plan) -> ExecEnv {
    let mut env = ExecEnv::default();
    match &plan.auth {
        Auth::PackagesOidc { audience, auth_key, lifetime } => {
            o.comment_fmt(format_args!(
                "Mint the OIDC token right before the build: it lives {lifetime} s, and its audience must be\nexactly the registry's URL. The username is always `buildkite`."
            ));
            let (prefix, suffix) = docker_config::auths_password_parts(auth_key, "buildkite");
            if let Some(every) = plan.refresh_every {
                refreshed_config(o, &request_token(audience, *lifetime, ""), &prefix, &suffix, every);
            } else {
                o.fmt(format_args!("token=\"$({})\"", request_token(audience, *lifetime, "")));
                write_config(o, &prefix, "token", &suffix);
            }
        }
        Auth::Static { auth_key, username, secret } => {
            o.comment("`auth` is base64(user:password) on one line, so any character in the password is safe.");
            read_secret(o, "password", secret, "the registry password or token");
            o.fmt(format_args!(
                "auth=\"$(printf '%s:%s' {} \"${{password}}\" | base64 | tr -d '\\n')\"",
                sh(username)
            ));
            let (prefix, suffix) = docker_config::auths_auth_parts(auth_key);
            write_config(o, &prefix, "auth", &suffix);
        }
        Auth::Anonymous => {
            o.comment("The registry accepts pushes without credentials.");
            let dir = o.docker_config();
            o.fmt(format_args!("printf '{{}}\\n' > \"{dir}/config.json\""));
        }
        Auth::Helper { host, helper, creds } => {
            let dir = o.docker_config();
            if let Some(helper) = helper {
                o.comment_fmt(format_args!("Kaniko's built-in docker-credential-{helper} fetches the registry credentials."));
                o.fmt(format_args!(
                    "printf '%s\\n' {} > \"{dir}/config.json\"",
                    sh(&docker_config::cred_helpers_compact(host, helper))
                ));
            } else {
                o.comment("Kaniko's built-in Google keychain authenticates; config.json needs no entry.");
                o.fmt(format_args!("printf '{{}}\\n' > \"{dir}/config.json\""));
            }
            o.blank();
            cloud_credentials(o, creds, &mut env);
        }
    }
    if let Some((_, path)) = &plan.ca_cert
        && !o.k8s
    {
        // A missing host path is mounted as an empty directory, and Kaniko's TLS error would
        // not say why: say it first (without stopping, so a path the executor does not need
        // for this run costs nothing).
        o.fmt(format_args!(
            "[ -f {} ] || echo {} >&2",
            sh(path),
            sh(&format!("Warning: {path} is not on this host, so Docker mounts an empty directory there and TLS to the registry fails. Install the registry's CA certificate at that path (see SETUP.md)."))
        ));
        env.volumes.push(sh(&format!("{path}:{path}:ro")).into_owned());
    }
    o.blank();
    env
}

/// `write_config` (mint a token, write `config.json` aside, rename it into place, so Kaniko
/// never reads half a file), called once, then a background loop that calls it again every
/// `every` seconds while the executor runs. Kaniko resolves the registry's credentials again
/// right before each push (`DoPush`, pkg/executor/push.go) and go-containerregistry's default
/// keychain reads `config.json` at every lookup, so the final push sees a fresh token.
fn refreshed_config(o: &mut Out, mint: &str, prefix: &str, suffix: &str, every: u32) {
    let dir = o.docker_config();
    o.line("write_config() {");
    o.fmt(format_args!("  token=\"$({mint})\""));
    o.fmt(format_args!("  printf '%s%s%s\\n' {} \"${{token}}\" {} > \"{dir}/config.json.new\"", sh(prefix), sh(suffix)));
    o.fmt(format_args!("  mv \"{dir}/config.json.new\" \"{dir}/config.json\""));
    o.line("}");
    o.line("write_config");
    o.blank();
    o.comment_fmt(format_args!(
        "Keep config.json fresh while Kaniko runs: a new token every {every} s (KANIKO_TOKEN_REFRESH_SECONDS\noverrides it), so the one Kaniko reads at the final push is valid however long the build."
    ));
    // The TERM trap only sets a flag, checked after the sleep has started and after it ends: a
    // trap that killed `${sleeper}` itself could run before `sleeper=$!` and leave the sleep
    // behind. Neither the refresher nor its sleep holds the step's output: if TERM lands just
    // before `wait`, the refresher finishes that one sleep, and the step must not wait for it.
    // Its warnings go to a log the EXIT trap prints.
    o.line("refresh_config() {");
    o.line("  stop=\"\"");
    o.line("  trap 'stop=1' TERM");
    o.line("  while :; do");
    o.fmt(format_args!("    sleep \"${{KANIKO_TOKEN_REFRESH_SECONDS:-{every}}}\" > /dev/null 2>&1 &"));
    o.line("    sleeper=$!");
    o.line("    [ -n \"${stop}\" ] || wait \"${sleeper}\" || true");
    o.line("    if [ -n \"${stop}\" ]; then");
    o.line("      kill \"${sleeper}\" 2>/dev/null || true");
    o.line("      exit 0");
    o.line("    fi");
    o.line("    write_config || echo 'Could not refresh the registry token; the push may fail with 401.' >&2");
    o.line("  done");
    o.line("}");
    o.fmt(format_args!("refresh_config < /dev/null > \"{dir}/refresh.log\" 2>&1 &"));
    o.line("refresher=$!");
    let stop = format!("kill \"${{refresher}}\" 2>/dev/null || true; [ ! -s \"{dir}/refresh.log\" ] || cat \"{dir}/refresh.log\" >&2");
    if o.k8s {
        o.fmt(format_args!("trap '{stop}' EXIT"));
    } else {
        o.fmt(format_args!("trap '{stop}; rm -rf \"${{workdir}}\"' EXIT"));
    }
}

fn cloud_credentials(o: &mut Out, creds: &CloudCreds, env: &mut ExecEnv) {
    let oidc = o.oidc();
    match creds {
        CloudCreds::Ambient { description } => {
            o.comment_fmt(format_args!("Cloud credentials: {description}."));
        }
        CloudCreds::AwsWebIdentity { role_arn, audience, lifetime } => {
            o.comment_fmt(format_args!(
                "The ECR helper exchanges this token for the role at every registry call\n(AssumeRoleWithWebIdentity), so it must stay valid for the whole build ({lifetime} s)."
            ));
            o.fmt(format_args!("printf '%s' \"$({})\" > \"{oidc}/aws\"", request_token(audience, *lifetime, "")));
            env.unset.extend(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]);
            env.plain.push(("AWS_ROLE_ARN", sh(role_arn).into_owned()));
            env.plain.push(("AWS_WEB_IDENTITY_TOKEN_FILE", in_executor("aws")));
            env.plain.push(("AWS_ROLE_SESSION_NAME", "\"buildkite-job-${BUILDKITE_JOB_ID}\"".into()));
        }
        CloudCreds::AwsKeys { access_key_id, secret_access_key } => {
            o.comment("Static AWS keys for the ECR helper.");
            read_secret(o, "AWS_ACCESS_KEY_ID", access_key_id, "the AWS access key id");
            read_secret(o, "AWS_SECRET_ACCESS_KEY", secret_access_key, "the AWS secret access key");
            o.line("export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY");
            env.unset.extend(["AWS_SESSION_TOKEN", "AWS_PROFILE"]);
            env.passthrough.extend(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
        }
        CloudCreds::GcpWif { provider, audience, service_account, lifetime } => {
            o.comment_fmt(format_args!(
                "Workload Identity Federation: an external_account file whose audience is the provider's\nfull resource name. Google reads this {lifetime} s token at the first exchange and again about an\nhour later, when the access token it gave runs out."
            ));
            o.fmt(format_args!("printf '%s' \"$({})\" > \"{oidc}/gcp\"", request_token(audience, *lifetime, "")));
            let creds = docker_config::gcp_external_account(provider, service_account.as_deref(), &in_executor("gcp"));
            o.fmt(format_args!("printf '%s\\n' {} > \"{oidc}/gcp.json\"", sh(&creds)));
            env.plain.push(("GOOGLE_APPLICATION_CREDENTIALS", in_executor("gcp.json")));
        }
        CloudCreds::GcpKey { secret } => {
            o.comment("Service-account key for Google's keychain (GOOGLE_APPLICATION_CREDENTIALS is a file path).");
            if let (true, Secret::Mounted { secret, key }) = (o.k8s, secret) {
                env.plain.push(("GOOGLE_APPLICATION_CREDENTIALS", sh(&mounted_path(secret, key)).into_owned()));
            } else {
                read_secret(o, "gcp_key", secret, "the service-account key JSON");
                o.fmt(format_args!("printf '%s\\n' \"${{gcp_key}}\" > \"{oidc}/gcp-key.json\""));
                env.plain.push(("GOOGLE_APPLICATION_CREDENTIALS", in_executor("gcp-key.json")));
            }
        }
        CloudCreds::AzureEnv => {
            o.comment("acr-env reads the job's AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET.");
            env.passthrough.extend(["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET"]);
        }
        CloudCreds::AzureFederated { client_id, tenant_id, audience, lifetime } => {
            o.comment_fmt(format_args!(
                "acr-env reads this token at every registry call, so it must stay valid for the whole\nbuild ({lifetime} s). Its subject is the pipeline's UUID (--subject-claim pipeline_id)."
            ));
            o.fmt(format_args!(
                "printf '%s' \"$({})\" > \"{oidc}/azure\"",
                request_token(audience, *lifetime, " --subject-claim pipeline_id")
            ));
            env.unset.extend(["AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_USERNAME", "AZURE_PASSWORD"]);
            env.plain.push(("AZURE_CLIENT_ID", sh(client_id).into_owned()));
            env.plain.push(("AZURE_TENANT_ID", sh(tenant_id).into_owned()));
            env.plain.push(("AZURE_FEDERATED_TOKEN_FILE", in_executor("azure")));
        }
    }
}

/// The executor's argument list, built with `set --` (POSIX: no arrays in busybox sh).
pub fn executor_arg_words(plan: &Plan) -> Vec<String> {
    let k8s = plan.stack.is_kubernetes();
    let path_arg = |flag: &str, scheme: &str, parts: &[&str]| -> String {
        let rel: Vec<&str> = parts
            .iter()
            .map(|p| p.trim_start_matches("./").trim_matches('/'))
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        let suffix = if rel.is_empty() { String::new() } else { format!("/{}", rel.join("/")) };
        if k8s {
            // ${PWD} is the checkout; the user's part stays single-quoted.
            let tail = if suffix.is_empty() { String::new() } else { sh(&suffix).into_owned() };
            format!("\"{flag}={scheme}${{PWD}}\"{tail}")
        } else {
            sh(&format!("{flag}={scheme}{ELASTIC_WORKSPACE}{suffix}")).into_owned()
        }
    };
    let mut args = vec![path_arg("--context", "dir://", &[&plan.context])];
    if !plan.context_sub_path.is_empty() {
        args.push(sh(&format!("--context-sub-path={}", plan.context_sub_path)).into_owned());
    }
    args.push(path_arg("--dockerfile", "", &[&plan.context, &plan.context_sub_path, &plan.dockerfile]));
    for tag in &plan.tags {
        args.push(format!("--destination=\"${{image}}\":{}", tag_word(tag)));
    }
    if plan.env_switches {
        args.push(format!("--verbosity=\"${{KANIKO_VERBOSITY:-{}}}\"", plan.verbosity));
    } else {
        args.push(format!("--verbosity={}", plan.verbosity));
    }
    args.extend(plan.flags.iter().map(|f| sh(f).into_owned()));
    if let Some((host, path)) = &plan.ca_cert {
        args.push(sh(&format!("--registry-certificate={host}={path}")).into_owned());
    }
    if let Some(host) = &plan.insecure_host {
        args.push(sh(&format!("--insecure-registry={host}")).into_owned());
    }
    args
}

fn executor_args(o: &mut Out, plan: &Plan) {
    o.comment("Executor arguments: each --flag=value is one argument.");
    let args = executor_arg_words(plan);
    let n = args.len();
    for (i, a) in args.iter().enumerate() {
        let lead = if i == 0 { "set --" } else { " " };
        let cont = if i + 1 < n { " \\" } else { "" };
        o.fmt(format_args!("{lead} {a}{cont}"));
    }
    if plan.env_switches {
        o.line("if [ \"${KANIKO_NO_PUSH:-0}\" = 1 ]; then");
        let cache = plan.flags.iter().any(|f| f == "--cache=true");
        if cache && !plan.flags.iter().any(|f| f.starts_with("--cache-repo=")) {
            // Kaniko refuses `--no-push` with the cache on and no `--cache-repo`; the last
            // `--cache` wins, so the dry run builds without the cache.
            o.line("  # Kaniko refuses --no-push with the cache on and no --cache-repo: dry runs skip the cache.");
            o.line("  set -- \"$@\" --no-push --no-push-cache --cache=false");
        } else {
            o.line("  set -- \"$@\" --no-push --no-push-cache");
        }
        o.line("fi");
    }
    o.blank();
}

fn run_executor(o: &mut Out, plan: &Plan, env: &ExecEnv) {
    if o.k8s {
        if !env.unset.is_empty() {
            o.fmt(format_args!("unset {}", env.unset.join(" ")));
        }
        for (name, value) in &env.plain {
            o.fmt(format_args!("export {name}={value}"));
        }
        // The executor and every `RUN` it starts inherit the umask: with 077 the image's new
        // files and directories (WORKDIR, RUN mkdir, package installs) would be owner-only and
        // fail at run time under a non-root USER.
        o.comment("The executor and every RUN step inherit the umask: give them the usual one back.");
        o.line("umask 022");
        if plan.refresh_every.is_some() {
            // Not `exec`: the shell stays to stop the refresher when the executor exits.
            o.line("/kaniko/executor \"$@\"");
        } else {
            o.line("exec /kaniko/executor \"$@\"");
        }
        return;
    }
    if let Some(key) = &plan.cosign_key {
        o.comment("Check the executor image's signature before running it (needs cosign on the host).");
        o.fmt(format_args!("cosign verify --key {} \"${{executor_image}}\" > /dev/null", sh(key)));
        o.blank();
    }
    let mut lines = vec!["docker run --rm".to_string()];
    lines.push(format!("--volume \"${{PWD}}:{ELASTIC_WORKSPACE}\""));
    lines.push(format!("--volume \"${{workdir}}/docker:{DOCKER_CONFIG_DIR}:ro\""));
    if needs_oidc_dir(plan) {
        lines.push(format!("--volume \"${{workdir}}/oidc:{OIDC_DIR}:ro\""));
    }
    lines.extend(env.volumes.iter().map(|v| format!("--volume {v}")));
    lines.extend(env.plain.iter().map(|(name, value)| format!("--env {name}={value}")));
    lines.extend(env.passthrough.iter().map(|name| format!("--env {name}")));
    lines.push("\"${executor_image}\" \"$@\"".to_string());
    let n = lines.len();
    for (i, l) in lines.iter().enumerate() {
        let indent = if i == 0 { "" } else { "  " };
        let cont = if i + 1 < n { " \\" } else { "" };
        o.fmt(format_args!("{indent}{l}{cont}"));
    }
    o.blank();
}

fn pull_and_run(o: &mut Out, plan: &Plan, args: &[String]) {
    let Some(first) = plan.tags.first() else { return };
    if plan.env_switches {
        o.line("if [ \"${KANIKO_NO_PUSH:-0}\" = 1 ]; then");
        o.line("  exit 0");
        o.line("fi");
    }
    let reference = format!("\"${{image}}\":{}", tag_word(first));
    match &plan.auth {
        Auth::PackagesOidc { audience, auth_key, lifetime } => {
            o.comment("Verify: pull the pushed image back with a fresh token, then run it once.");
            o.fmt(format_args!("token=\"$({})\"", request_token(audience, *lifetime, "")));
            let (prefix, suffix) = docker_config::auths_password_parts(auth_key, "buildkite");
            write_config(o, &prefix, "token", &suffix);
            o.fmt(format_args!("DOCKER_CONFIG=\"${{workdir}}/docker\" docker pull {reference}"));
        }
        Auth::Static { .. } => {
            o.comment("Verify: pull the pushed image back with the same credentials, then run it once.");
            o.fmt(format_args!("DOCKER_CONFIG=\"${{workdir}}/docker\" docker pull {reference}"));
        }
        Auth::Anonymous | Auth::Helper { .. } => {
            o.comment("Verify: pull the pushed image back with the job's own Docker login (the stack's\nECR or docker-login hooks), then run it once.");
            o.fmt(format_args!("docker pull {reference}"));
        }
    }
    let run_args: Vec<String> = args.iter().map(|a| sh(a).into_owned()).collect();
    if run_args.is_empty() {
        o.fmt(format_args!("docker run --rm {reference}"));
    } else {
        o.fmt(format_args!("docker run --rm {reference} {}", run_args.join(" ")));
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn tag_words() {
        assert_eq!(tag_word(&Tag::Fixed("v1".into())), "v1");
        assert_eq!(tag_word(&Tag::Var("BUILDKITE_BUILD_NUMBER")), "\"${BUILDKITE_BUILD_NUMBER}\"");
    }

    /// Google's images set `DOCKER_CONFIG=/kaniko/.docker/`; with any other executor the
    /// script sets it, or Kaniko would read `$HOME/.docker` and push anonymously.
    #[test]
    fn docker_config_is_set_for_executors_other_than_googles() {
        for (stack, want) in [("kubernetes", "export DOCKER_CONFIG=/kaniko/.docker\n"), ("elastic", "--env DOCKER_CONFIG=/kaniko/.docker \\\n")] {
            for (executor, set) in [
                ("google_debug", false),
                ("google", false),
                ("{chainguard: {tag: latest-dev, shell: true}}", true),
                ("{custom: {reference: \"registry.example.com/kaniko/executor:v1.25.5-debug\", shell: true}}", true),
            ] {
                let text = format!(
                    "version: 1\nstack: {stack}\nregistry: {{docker_hub: {{namespace: acme, username: acmebot, token: {{env: {{var: DOCKER_HUB_TOKEN}}}}}}}}\nimage: {{name: app}}\nkaniko: {{executor: {executor}}}\n"
                );
                let config = crate::config::BuildConfig::from_yaml_str(&text).expect("the test configuration reads");
                let script = render(&crate::generate::plan::from_config(&config));
                assert_eq!(script.contains(want), set, "{stack} {executor}:\n{script}");
            }
        }
    }

    #[test]
    fn request_token_quotes_the_audience() {
        assert_eq!(
            request_token("https://packages.buildkite.com/acme/images", 300, ""),
            "buildkite-agent oidc request-token --audience https://packages.buildkite.com/acme/images --lifetime 300"
        );
        assert!(request_token("a b", 1, "").contains("'a b'"));
    }
}
