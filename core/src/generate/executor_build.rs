//! Your own executor: a pipeline that builds Kaniko's executor and debug images from the
//! Chainguard fork's `deploy/Dockerfile`, pushes them to the build's registry and signs both
//! digests with cosign (`extras.build_executor`).
//!
//! Google's Kaniko is archived and the Chainguard fork publishes no images (kaniko.md §1), so
//! a team that wants a maintained executor builds it. Kaniko cannot build that Dockerfile: its
//! `kaniko-base-slim` stage runs `RUN --mount=from=busybox …` in a `scratch` image, and Kaniko
//! ignores `--mount`. The fork's own CI builds it with BuildKit, and so does this pipeline:
//! `docker buildx` on the Elastic CI Stack host (the stack installs Docker with buildx), and
//! rootless BuildKit (`buildctl-daemonless.sh`) in the command container on Kubernetes.
//!
//! Each target is built twice: once without pushing (minutes of Go compilation), then, with
//! credentials written just before, again from BuildKit's cache with the push. A 300 s
//! Package Registries token minted at the start would have expired by the push.
//!
//! Credentials are the build's own (the images go to the same registry): a Package
//! Registries OIDC token or API token, a static password, or, on Elastic, an ECR password from
//! `aws ecr get-login-password`. Registries whose credentials come from a cloud helper inside
//! Kaniko (Google, Azure, ECR on Kubernetes) are refused by KS209: neither BuildKit image has
//! those helpers.

use super::docker_config;
use super::plan::{Auth, CloudCreds, ExecutorBuild, Plan, Stack};
use super::quote::sh;
use super::script::{flat, request_token, secret_assignment};
use super::lines::Lines as Out;

/// The pipeline with the build (and sign) steps.
pub const EXECUTOR_PIPELINE_PATH: &str = ".buildkite/kaniko-executor.yml";
/// The script both steps run from the checkout.
pub const EXECUTOR_SCRIPT_PATH: &str = ".buildkite/steps/kaniko-executor.sh";
/// Where the Chainguard fork lives now (kaniko.md §1, C2).
pub const FORK_GIT_URL: &str = "https://github.com/chainguard-forks/kaniko.git";
/// Rootless BuildKit for the Kubernetes build step (has `sh`, `sed` and `buildctl-daemonless.sh`).
pub const BUILDKIT_IMAGE: &str = "moby/buildkit:v0.24.0-rootless";
/// Cosign with a shell, for the Kubernetes sign step.
pub const COSIGN_SHELL_IMAGE: &str = "gcr.io/projectsigstore/cosign:v2.4.1-dev";
/// The uid rootless BuildKit runs as.
pub const BUILDKIT_UID: u32 = 1000;
/// The images the pipeline builds: the Dockerfile target, the suffix after `<git_ref>` in its
/// tag, and the Buildkite meta-data key that carries its digest from the build step to the
/// sign step.
pub const TARGETS: [(&str, &str, &str); 2] = [
    ("kaniko-executor", "", "kaniko-executor-digest"),
    ("kaniko-debug", "-debug", "kaniko-debug-digest"),
];

/// Why this plan's executor build cannot be generated, or `None` when it can.
pub fn unsupported(plan: &Plan) -> Option<String> {
    if plan.ca_cert.is_some() || plan.insecure_host.is_some() {
        return Some("BuildKit reads a registry's CA and plain-HTTP settings from its daemon's configuration, not from the step".to_string());
    }
    match (&plan.auth, &plan.stack) {
        (Auth::PackagesOidc { .. } | Auth::Static { .. } | Auth::Anonymous, _) => None,
        (
            Auth::Helper {
                helper: Some("ecr-login"),
                ..
            },
            Stack::Elastic { .. },
        ) if plan
            .executor_build
            .as_ref()
            .is_some_and(|b| b.ecr_region.is_some()) =>
        {
            None
        }
        (Auth::Helper { .. }, Stack::Kubernetes { .. }) => Some(format!(
            "{} credentials come from a helper built into Kaniko, and the rootless BuildKit image has none",
            plan.registry_name
        )),
        (Auth::Helper { .. }, Stack::Elastic { .. }) => Some(format!(
            "{} credentials come from a helper built into Kaniko; the Elastic host has only the ECR helper",
            plan.registry_name
        )),
    }
}

/// Render the script (POSIX `sh`: run by the Elastic host's shell and by busybox/ash in the
/// BuildKit and cosign images).
pub fn render_script(plan: &Plan, b: &ExecutorBuild) -> String {
    let mut o = Out(String::with_capacity(6 * 1024));
    let k8s = plan.stack.is_kubernetes();
    o.line("#!/bin/sh");
    o.comment(&format!(
        "Build Kaniko's executor and debug images from the Chainguard fork (tag {}),\npush them to {}{}.",
        flat(&b.git_ref),
        flat(&b.repository),
        if b.signing_key.is_some() { " and sign both digests with cosign" } else { "" }
    ));
    o.comment(
        "Kaniko cannot build the fork's deploy/Dockerfile (it ignores the `RUN --mount=from=…`",
    );
    if k8s {
        o.comment(
            "the Dockerfile needs), so BuildKit builds it: rootless buildctl-daemonless.sh here.",
        );
    } else {
        o.comment(
            "the Dockerfile needs), so BuildKit builds it: `docker buildx` on the Elastic host.",
        );
    }
    if b.signing_key.is_some() {
        o.comment(&format!("Usage: sh {EXECUTOR_SCRIPT_PATH} build|sign"));
    } else {
        o.comment(&format!("Usage: sh {EXECUTOR_SCRIPT_PATH} build"));
    }
    o.comment("Generated by Kaniko Studio: regenerate it rather than edit it.");
    o.line("set -eu");
    o.line("");
    o.fmt(format_args!("repository={}", sh(&b.repository)));
    o.fmt(format_args!("git_ref={}", sh(&b.git_ref)));
    o.fmt(format_args!(
        "source={}",
        sh(&format!("{FORK_GIT_URL}#{}", b.git_ref))
    ));
    o.line("");
    // No `umask 077` here: BuildKit's daemon (started by buildctl-daemonless.sh on
    // Kubernetes) would inherit it, and with it the checked-out sources' file modes.
    o.comment("Credentials live in a private directory (mktemp -d makes it this user's only), removed on exit.");
    o.line("workdir=\"$(mktemp -d)\"");
    o.line("trap 'rm -rf \"${workdir}\"' EXIT");
    o.line("mkdir \"${workdir}/docker\"");
    o.line("DOCKER_CONFIG=\"${workdir}/docker\"");
    o.line("export DOCKER_CONFIG");
    o.line("");
    credentials(&mut o, plan, b);
    build_function(&mut o, k8s);
    o.line("");
    annotate_function(&mut o);
    if let Some(key) = &b.signing_key {
        o.line("");
        sign_function(&mut o, k8s, key);
    }
    o.line("");
    o.line("case \"${1:-}\" in");
    o.line("  build)");
    for (target, suffix, key) in TARGETS {
        o.fmt(format_args!("    build {target} \"${{git_ref}}{suffix}\" {key}"));
    }
    o.line("    annotate");
    o.line("    ;;");
    if b.signing_key.is_some() {
        o.line("  sign)");
        o.line("    write_config");
        for (_, _, key) in TARGETS {
            o.fmt(format_args!("    sign {key}"));
        }
        o.line("    ;;");
    }
    o.line("  *)");
    let usage = if b.signing_key.is_some() {
        "build|sign"
    } else {
        "build"
    };
    o.fmt(format_args!("    echo \"usage: sh $0 {usage}\" >&2"));
    o.line("    exit 2");
    o.line("    ;;");
    o.line("esac");
    o.0
}

/// `write_config`: writes `config.json` with credentials fetched at that moment.
fn credentials(o: &mut Out, plan: &Plan, b: &ExecutorBuild) {
    // Set-up that holds for the whole job (cloud identity for the aws CLI).
    if let Auth::Helper { creds, .. } = &plan.auth {
        match creds {
            CloudCreds::Ambient { description } => {
                o.comment(&format!("AWS credentials for the aws CLI: {description}."))
            }
            CloudCreds::AwsWebIdentity {
                role_arn,
                audience,
                lifetime,
            } => {
                o.comment("The aws CLI exchanges a Buildkite OIDC token for the role (AssumeRoleWithWebIdentity).");
                o.fmt(format_args!(
                    "printf '%s' \"$({})\" > \"${{workdir}}/aws-token\"",
                    request_token(audience, *lifetime, "")
                ));
                o.line(
                    "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE",
                );
                o.fmt(format_args!("AWS_ROLE_ARN={}", sh(role_arn)));
                o.line("AWS_WEB_IDENTITY_TOKEN_FILE=\"${workdir}/aws-token\"");
                o.line("AWS_ROLE_SESSION_NAME=\"buildkite-job-${BUILDKITE_JOB_ID}\"");
                o.line("export AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_SESSION_NAME");
            }
            CloudCreds::AwsKeys {
                access_key_id,
                secret_access_key,
            } => {
                o.comment("Static AWS keys for the aws CLI.");
                o.line(&secret_assignment(
                    "AWS_ACCESS_KEY_ID",
                    access_key_id,
                    "the AWS access key id",
                ));
                o.line(&secret_assignment(
                    "AWS_SECRET_ACCESS_KEY",
                    secret_access_key,
                    "the AWS secret access key",
                ));
                o.line("unset AWS_SESSION_TOKEN AWS_PROFILE");
                o.line("export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY");
            }
            _ => {}
        }
        o.line("");
    }
    o.comment("Write config.json with credentials fetched now: called right before each push and");
    o.comment("before signing, so a short-lived token is fresh when it is used.");
    o.line("write_config() {");
    let dir = "${DOCKER_CONFIG}";
    match &plan.auth {
        Auth::PackagesOidc {
            audience,
            auth_key,
            lifetime,
        } => {
            o.comment_indented("The token's audience must be exactly the registry's URL; the username is `buildkite`.");
            o.fmt(format_args!(
                "  token=\"$({})\"",
                request_token(audience, *lifetime, "")
            ));
            let (prefix, suffix) = docker_config::auths_password_parts(auth_key, "buildkite");
            o.fmt(format_args!(
                "  printf '%s%s%s\\n' {} \"${{token}}\" {} > \"{dir}/config.json\"",
                sh(&prefix),
                sh(&suffix)
            ));
        }
        Auth::Static {
            auth_key,
            username,
            secret,
        } => {
            o.line(&format!(
                "  {}",
                secret_assignment("password", secret, "the registry password or token")
            ));
            o.fmt(format_args!(
                "  auth=\"$(printf '%s:%s' {} \"${{password}}\" | base64 | tr -d '\\n')\"",
                sh(username)
            ));
            let (prefix, suffix) = docker_config::auths_auth_parts(auth_key);
            o.fmt(format_args!(
                "  printf '%s%s%s\\n' {} \"${{auth}}\" {} > \"{dir}/config.json\"",
                sh(&prefix),
                sh(&suffix)
            ));
        }
        Auth::Anonymous => {
            o.comment_indented("The registry accepts pushes without credentials.");
            o.fmt(format_args!("  printf '{{}}\\n' > \"{dir}/config.json\""));
        }
        Auth::Helper { host, .. } => {
            let region = b.ecr_region.as_deref().unwrap_or_default();
            o.comment_indented("An ECR password (valid 12 hours) as a plain `auths` entry, which BuildKit and cosign read.");
            o.fmt(format_args!(
                "  password=\"$(aws ecr get-login-password --region {})\"",
                sh(region)
            ));
            o.line("  auth=\"$(printf 'AWS:%s' \"${password}\" | base64 | tr -d '\\n')\"");
            let (prefix, suffix) = docker_config::auths_auth_parts(host);
            o.fmt(format_args!(
                "  printf '%s%s%s\\n' {} \"${{auth}}\" {} > \"{dir}/config.json\"",
                sh(&prefix),
                sh(&suffix)
            ));
        }
    }
    o.line("}");
    o.line("");
}

fn build_function(o: &mut Out, k8s: bool) {
    o.comment(
        "build TARGET TAG KEY: build the Dockerfile's TARGET stage, push it as repository:TAG and",
    );
    o.comment(
        "record its digest in the build's meta-data under KEY. The first run compiles without",
    );
    o.comment("pushing; the second reuses BuildKit's cache and pushes with fresh credentials.");
    o.line("build() {");
    o.line("  echo \"--- :hammer: $1 from ${source}\"");
    if k8s {
        let common = "buildctl-daemonless.sh build --frontend dockerfile.v0 --opt context=\"${source}\" --opt filename=deploy/Dockerfile --opt target=\"$1\"";
        o.fmt(format_args!("  {common}"));
        o.line("  write_config");
        o.fmt(format_args!("  {common} \\"));
        o.line("    --output \"type=image,name=${repository}:$2,push=true\" --metadata-file \"${workdir}/$1.json\"");
    } else {
        let common = "docker buildx build --file deploy/Dockerfile --target \"$1\"";
        o.fmt(format_args!("  {common} \"${{source}}\""));
        o.line("  write_config");
        o.fmt(format_args!(
            "  {common} --tag \"${{repository}}:$2\" --push \\"
        ));
        o.line("    --metadata-file \"${workdir}/$1.json\" \"${source}\"");
    }
    o.line("  digest=\"$(sed -n 's/.*\"containerimage\\.digest\": *\"\\(sha256:[0-9a-f]*\\)\".*/\\1/p' \"${workdir}/$1.json\" | head -n 1)\"");
    o.line("  if [ -z \"${digest}\" ]; then");
    o.line("    echo \"BuildKit's metadata has no digest for $1: the push did not complete.\" >&2");
    o.line("    exit 1");
    o.line("  fi");
    o.line("  buildkite-agent meta-data set \"$3\" \"${digest}\"");
    o.line("  echo \"Pushed ${repository}:$2@${digest}\"");
    o.line("}");
}

fn annotate_function(o: &mut Out) {
    o.comment("Tell the build's page which references to use in kaniko.executor.");
    o.line("annotate() {");
    o.line("  executor=\"$(buildkite-agent meta-data get kaniko-executor-digest)\"");
    o.line("  debug=\"$(buildkite-agent meta-data get kaniko-debug-digest)\"");
    o.line("  printf 'Kaniko %s from the Chainguard fork:\\n\\n- executor: <code>%s:%s@%s</code>\\n- debug (use it on Kubernetes): <code>%s:%s-debug@%s</code>\\n' \\");
    o.line("    \"${git_ref}\" \"${repository}\" \"${git_ref}\" \"${executor}\" \"${repository}\" \"${git_ref}\" \"${debug}\" |");
    o.line("    buildkite-agent annotate --style success --context kaniko-executor");
    o.line("}");
}

fn sign_function(o: &mut Out, k8s: bool, key: &str) {
    o.comment(
        "sign KEY: sign the digest recorded under KEY. A key file needs COSIGN_PASSWORD in the",
    );
    o.comment(
        "step's environment (a Buildkite secret); KMS keys use the job's cloud identity. cosign",
    );
    o.comment("also records the signature in the public Rekor log, as it does by default.");
    o.line("sign() {");
    o.line("  digest=\"$(buildkite-agent meta-data get \"$1\")\"");
    o.line("  echo \"--- :lock: Signing ${repository}@${digest}\"");
    if k8s {
        o.fmt(format_args!(
            "  HOME=\"${{workdir}}\" cosign sign --yes --key {} \"${{repository}}@${{digest}}\"",
            sh(key)
        ));
    } else {
        o.line("  docker run --rm --user \"$(id -u):$(id -g)\" \\");
        o.line("    --volume \"${workdir}:${workdir}\" --env DOCKER_CONFIG --env HOME=\"${workdir}\" --env COSIGN_PASSWORD \\");
        o.line("    --volume \"${PWD}:/workspace:ro\" --workdir /workspace \\");
        o.fmt(format_args!(
            "    {} sign --yes --key {} \"${{repository}}@${{digest}}\"",
            super::pipeline::COSIGN_IMAGE,
            sh(key)
        ));
    }
    o.line("}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_tagged_from_the_git_ref() {
        let b = ExecutorBuild {
            git_ref: "v1.25.5".into(),
            repository: "r.example/k".into(),
            signing_key: None,
            ecr_region: None,
        };
        let plan = crate::generate::plan::from_config(&crate::config_file::example_config(crate::config_file::StackKind::Elastic, "ghcr").expect("example"));
        let script = render_script(&plan, &b);
        assert!(script.contains("\ngit_ref=v1.25.5\n"), "{script}");
        assert!(script.contains("build kaniko-executor \"${git_ref}\" kaniko-executor-digest"), "{script}");
        assert!(script.contains("build kaniko-debug \"${git_ref}-debug\" kaniko-debug-digest"), "{script}");
    }
}
