//! The doctor: a step users add to their own pipeline that walks the authentication chain of
//! their configuration link by link, in seconds and without building anything, and names the
//! first link that breaks with its fix (issue 7).
//!
//! Kaniko hides most authentication failures (its credential helpers discard their errors and
//! fall back to anonymous access; oidc-federation.md §2.2), so the doctor makes the same calls
//! itself with `curl`: the OIDC token, the cloud exchange (AWS STS, Google STS and
//! impersonation, Entra ID and ACR's `/oauth2/exchange`), TLS, the registry's `/v2/` challenge
//! and login, and a blob upload started and cancelled in the destination repository.
//!
//! Two artifacts for every configuration: the POSIX `sh` script and a pipeline with the one
//! doctor step. Every user value is written through [`quote::sh`] (script) or
//! [`quote::pipeline`] (YAML); the shell helpers are fixed text shared by every doctor.

use super::plan::{Auth, CloudCreds, Plan, RegistryKind, Secret, Stack};
use super::quote::sh;
use super::script::{flat, mounted_path};

/// Where the doctor script is written (both stacks run it from the checkout).
pub const DOCTOR_SCRIPT_PATH: &str = ".buildkite/steps/kaniko-doctor.sh";
/// The pipeline with the doctor step.
pub const DOCTOR_PIPELINE_PATH: &str = ".buildkite/doctor.yml";
/// The image the doctor runs in on Kubernetes: busybox `sh`, `curl`, `sed`, `awk`, `base64`.
pub const DOCTOR_IMAGE: &str = "curlimages/curl:8.10.1";
/// The image for ECR on Kubernetes: the ECR password is a signed call, made with the aws CLI.
pub const DOCTOR_AWS_IMAGE: &str = "amazon/aws-cli:2.22.0";

const LIB: &str = include_str!("doctor_lib.sh");
const LIB_AWS: &str = include_str!("doctor_aws.sh");
const LIB_GCP: &str = include_str!("doctor_gcp.sh");
const LIB_AZURE: &str = include_str!("doctor_azure.sh");

/// Environment variables the script reads, for its header and for front ends.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    ("KANIKO_DOCTOR_REGISTRY_URL", "the registry's base URL, e.g. https://127.0.0.1:5000 (default https://HOST; plain HTTP is tried only with the insecure option)"),
    ("KANIKO_DOCTOR_AWS_STS_URL", "AWS STS (default https://sts.amazonaws.com/)"),
    ("KANIKO_DOCTOR_GCP_STS_URL", "Google STS (default https://sts.googleapis.com/v1/token)"),
    ("KANIKO_DOCTOR_GCP_IAM_URL", "Google IAM Credentials (default https://iamcredentials.googleapis.com)"),
    ("KANIKO_DOCTOR_GCP_METADATA_URL", "the GCE/GKE metadata server (default http://metadata.google.internal)"),
    ("KANIKO_DOCTOR_AZURE_LOGIN_URL", "Entra ID (default https://login.microsoftonline.com)"),
    ("KANIKO_DOCTOR_ANNOTATE", "0 to skip the Buildkite annotation (default 1)"),
];

/// The image the doctor step runs in on Kubernetes for this plan.
pub fn image(plan: &Plan) -> &'static str {
    match plan.kind {
        RegistryKind::Ecr | RegistryKind::EcrPublic => DOCTOR_AWS_IMAGE,
        _ => DOCTOR_IMAGE,
    }
}

/// Where the doctor script goes: [`DOCTOR_SCRIPT_PATH`] unless the build script already
/// uses that path.
pub fn script_path(plan: &Plan) -> &'static str {
    match &plan.stack {
        Stack::Elastic { script_path, .. } if script_path.trim_start_matches("./") == DOCTOR_SCRIPT_PATH => {
            ".buildkite/steps/kaniko-doctor-check.sh"
        }
        _ => DOCTOR_SCRIPT_PATH,
    }
}

/// The registry host the API is called on and the repository path under it.
pub fn api_target(plan: &Plan) -> (String, String) {
    let (host, path) = plan.repository.split_once('/').unwrap_or((plan.repository.as_str(), ""));
    if plan.kind == RegistryKind::DockerHub {
        let path = if path.contains('/') { path.to_string() } else { format!("library/{path}") };
        return ("registry-1.docker.io".to_string(), path);
    }
    (host.to_string(), path.to_string())
}

use super::lines::Lines as Out;

impl Out {
    /// `fail LINK 'message' 'fix'` with both texts quoted.
    fn fail(&mut self, indent: &str, link: &str, message: &str, fix: &str) {
        self.fmt(format_args!("{indent}fail {link} {} {}", sh(message), sh(fix)));
    }
}

/// The links this plan's doctor checks, in order.
pub fn links(plan: &Plan) -> Vec<&'static str> {
    let mut out = Vec::new();
    match &plan.auth {
        Auth::PackagesOidc { .. } => out.push("token"),
        Auth::Static { .. } => out.push("credentials"),
        Auth::Anonymous => {}
        Auth::Helper { creds, .. } => match creds {
            CloudCreds::AwsWebIdentity { .. } => out.extend(["token", "exchange"]),
            CloudCreds::GcpWif { service_account, .. } => {
                out.extend(["token", "exchange"]);
                if service_account.is_some() {
                    out.push("impersonation");
                }
            }
            CloudCreds::AzureFederated { .. } => out.extend(["token", "exchange"]),
            CloudCreds::AzureEnv => out.push("exchange"),
            CloudCreds::Ambient { .. } | CloudCreds::AwsKeys { .. } | CloudCreds::GcpKey { .. } => out.push("credentials"),
        },
    }
    out.push("tls");
    if matches!(plan.auth, Auth::Helper { creds: CloudCreds::AzureFederated { .. } | CloudCreds::AzureEnv, .. }) {
        out.push("acr-exchange");
    }
    out.extend(["login", "push"]);
    out
}

/// Render the doctor script for `plan`.
pub fn render_script(plan: &Plan) -> String {
    let mut o = Out(String::with_capacity(16 * 1024));
    let (host, repository) = api_target(plan);
    header(&mut o, plan, &host, &repository);
    o.line(LIB.trim_end());
    let creds = match &plan.auth {
        Auth::Helper { creds, .. } => Some(creds),
        _ => None,
    };
    if matches!(plan.kind, RegistryKind::Ecr | RegistryKind::EcrPublic) {
        o.line("");
        o.line(LIB_AWS.trim_end());
    }
    if matches!(creds, Some(CloudCreds::GcpWif { .. } | CloudCreds::Ambient { .. } | CloudCreds::GcpKey { .. }))
        && matches!(plan.kind, RegistryKind::ArtifactRegistry | RegistryKind::Gcr)
    {
        o.line("");
        o.line(LIB_GCP.trim_end());
    }
    if matches!(creds, Some(CloudCreds::AzureFederated { .. } | CloudCreds::AzureEnv)) {
        o.line("");
        o.line(LIB_AZURE.trim_end());
    }
    o.line("");
    o.line("# ---- the chain, in order; each link stops the doctor when it breaks ----");
    chain(&mut o, plan, &host);
    o.line("finish success");
    o.0
}

fn header(o: &mut Out, plan: &Plan, host: &str, repository: &str) {
    o.line("#!/bin/sh");
    o.line("# shellcheck disable=SC2317,SC2034  # helpers shared by every doctor; not all are used here");
    o.comment(&format!(
        "Kaniko doctor for {} on {}.",
        flat(&plan.repository),
        plan.registry_name
    ));
    o.comment(&format!(
        "Checks each link Kaniko's push depends on ({}), without building anything,\nand stops at the first one that breaks with its fix. Nothing secret is printed or kept on disk.",
        links(plan).join(", ")
    ));
    if plan.stack.is_kubernetes() {
        o.comment(&format!("Runs with sh and curl in the doctor step's container ({}; see doctor.yml).", image(plan)));
    } else {
        o.comment("Runs with sh and curl on the Elastic CI Stack host (see doctor.yml).");
    }
    o.comment("Generated by Kaniko Studio: regenerate it rather than edit it.");
    o.comment("");
    o.comment("Environment (optional):");
    for (name, what) in ENVIRONMENT {
        o.comment(&format!("  {name}  {what}"));
    }
    o.line("set -u");
    o.line("");
    o.fmt(format_args!("registry_host={}", sh(host)));
    o.fmt(format_args!("repository={}", sh(repository)));
    let ca = plan.ca_cert.as_ref().map(|(_, path)| path.as_str()).unwrap_or("");
    o.fmt(format_args!("ca_file={}", sh(ca)));
    o.fmt(format_args!("insecure={}", u8::from(plan.insecure_host.is_some())));
    o.fmt(format_args!("login_secret={}", sh(&login_secret(plan))));
    let (fix403, fix404) = push_fixes(plan, repository);
    o.fmt(format_args!("push_fix_403={}", sh(&fix403)));
    o.fmt(format_args!("push_fix_404={}", sh(&fix404)));
    o.line("");
}

/// Where the registry password comes from, in words.
fn login_secret(plan: &Plan) -> String {
    match &plan.auth {
        Auth::PackagesOidc { .. } => "the OIDC token".to_string(),
        Auth::Static { secret, .. } => secret_words(secret),
        Auth::Anonymous => "none".to_string(),
        Auth::Helper { creds, .. } => match creds {
            CloudCreds::Ambient { description } => description.to_string(),
            CloudCreds::AwsWebIdentity { role_arn, .. } => format!("the role {role_arn}"),
            CloudCreds::AwsKeys { access_key_id, .. } => format!("the AWS keys ({})", secret_words(access_key_id)),
            CloudCreds::GcpWif { .. } => "the federated Google identity".to_string(),
            CloudCreds::GcpKey { secret } => secret_words(secret),
            CloudCreds::AzureEnv | CloudCreds::AzureFederated { .. } => "the Entra ID service principal".to_string(),
        },
    }
}

fn secret_words(secret: &Secret) -> String {
    match secret {
        Secret::Mounted { secret, key } => format!("key {key} of the Kubernetes Secret {secret}"),
        Secret::Buildkite { key } => format!("the Buildkite secret {key}"),
        Secret::Env { var } => format!("the environment variable {var}"),
    }
}

/// The fixes for a 403 and a 404 on the blob upload, per registry.
fn push_fixes(plan: &Plan, repository: &str) -> (String, String) {
    let generic404 = format!("Check the repository path {repository}: it must exist (or be creatable by this user) on the registry.");
    match plan.kind {
        RegistryKind::Packages => (
            "The OIDC policy statement that matches this token lacks write_packages (the first matching statement wins): add it, or check the organization_slug/pipeline_slug/build_branch conditions against the claims above.".to_string(),
            "Check the organization and registry slugs: the registry must exist and be a container registry.".to_string(),
        ),
        RegistryKind::Ecr | RegistryKind::EcrPublic => (
            "Allow ecr:BatchCheckLayerAvailability, ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload and ecr:PutImage on this repository (the Elastic stack's ECRAccessPolicy must be poweruser or full).".to_string(),
            format!("Create the repository {repository} (aws ecr create-repository --repository-name {repository}): ECR does not create repositories on push, and neither does Kaniko."),
        ),
        RegistryKind::ArtifactRegistry | RegistryKind::Gcr => (
            "Grant roles/artifactregistry.writer on the repository to the identity the step uses.".to_string(),
            "Create the Artifact Registry repository (gcloud artifacts repositories create … --repository-format=docker) in that project and location.".to_string(),
        ),
        RegistryKind::Acr => (
            "Give the identity the AcrPush role (or Repository Writer on ABAC-enabled registries) on the registry.".to_string(),
            generic404,
        ),
        RegistryKind::DockerHub => (
            "Use an access token with Read & Write scope, for a user that may push to this namespace.".to_string(),
            "Create the repository on Docker Hub, or check the namespace.".to_string(),
        ),
        RegistryKind::Ghcr => (
            "Use a token with write:packages, and give the user write access to the package (or link it to the repository).".to_string(),
            generic404,
        ),
        _ => ("Give the user push rights on this repository in the registry's access control.".to_string(), generic404),
    }
}

/// Read a secret into the shell variable `var`, failing the credentials link when it is
/// missing.
fn read_secret(o: &mut Out, var: &str, secret: &Secret) {
    let words = secret_words(secret);
    match secret {
        Secret::Mounted { secret: name, key } => {
            let path = mounted_path(name, key);
            o.fmt(format_args!("if ! {var}=\"$(cat {} 2> /dev/null)\"; then", sh(&path)));
            o.fail(
                "  ",
                "credentials",
                &format!("cannot read {path} ({words})."),
                &format!("Create the Secret {name} with the key {key} in the agent's namespace (see secrets.yaml), and keep it mounted in the doctor step."),
            );
            o.line("fi");
        }
        Secret::Buildkite { key } => {
            o.fmt(format_args!("if ! {var}=\"$(buildkite-agent secret get {} 2> \"$tmp/err\")\"; then", sh(key)));
            o.fmt(format_args!(
                "  fail credentials {}\"$(head -c 300 \"$tmp/err\" | tr -d '\\r' | tr '\\n' ' ')\" {}",
                sh(&format!("buildkite-agent secret get {key} failed: ")),
                sh(&format!("Create the Buildkite secret {key} in the cluster of this step's queue, and check that the agent may read it."))
            ));
            o.line("fi");
        }
        Secret::Env { var: env } => {
            o.fmt(format_args!("{var}=\"${{{env}:-}}\""));
        }
    }
    o.fmt(format_args!("if [ -z \"${{{var}}}\" ]; then"));
    let fix = match secret {
        Secret::Env { var: env } => format!("Set {env} for this step (on the Elastic stack, in the secrets bucket's env file)."),
        _ => format!("Put the value in {words}."),
    };
    o.fail("  ", "credentials", &format!("{words} is empty."), &fix);
    o.line("fi");
}

fn chain(o: &mut Out, plan: &Plan, host: &str) {
    // The token and exchange links come first; then TLS, login and push.
    let (user, password_var) = match &plan.auth {
        Auth::PackagesOidc { audience, lifetime, .. } => {
            o.fmt(format_args!("check_token {} {lifetime} '' 300", sh(audience)));
            ("buildkite".to_string(), "token")
        }
        Auth::Static { username, secret, .. } => {
            read_secret(o, "password", secret);
            o.fmt(format_args!("pass credentials {}", sh(&format!("the password is set ({}; not shown)", secret_words(secret)))));
            (username.clone(), "password")
        }
        Auth::Anonymous => (String::new(), "password"),
        Auth::Helper { creds, .. } => helper_chain(o, plan, creds, host),
    };
    if password_var == "password" && matches!(plan.auth, Auth::Anonymous) {
        o.line("password=''");
    }
    o.line("check_connection");
    if matches!(plan.auth, Auth::Helper { creds: CloudCreds::AzureFederated { .. } | CloudCreds::AzureEnv, .. }) {
        let tenant = match &plan.auth {
            Auth::Helper { creds: CloudCreds::AzureFederated { tenant_id, .. }, .. } => sh(tenant_id).into_owned(),
            _ => "\"${AZURE_TENANT_ID:-}\"".to_string(),
        };
        o.fmt(format_args!("exchange_acr {tenant}"));
    }
    o.fmt(format_args!("check_login {} \"${{{password_var}}}\"", sh(&user)));
    o.line("check_push");
}

/// The links for a cloud credential helper; returns the registry user and the variable that
/// will hold the password.
fn helper_chain(o: &mut Out, plan: &Plan, creds: &CloudCreds, host: &str) -> (String, &'static str) {
    let ecr = matches!(plan.kind, RegistryKind::Ecr | RegistryKind::EcrPublic);
    let ecr_login = |o: &mut Out| {
        if plan.kind == RegistryKind::EcrPublic {
            o.line("login_password_ecr us-east-1 public");
        } else {
            let region = host.split('.').nth(3).unwrap_or("us-east-1");
            o.fmt(format_args!("login_password_ecr {} private", sh(region)));
        }
    };
    match creds {
        CloudCreds::AwsWebIdentity { role_arn, audience, lifetime } => {
            o.fmt(format_args!("check_token {} {lifetime}", sh(audience)));
            o.fmt(format_args!("exchange_aws {}", sh(role_arn)));
            ecr_login(o);
            ("AWS".to_string(), "password")
        }
        CloudCreds::AwsKeys { access_key_id, secret_access_key } => {
            read_secret(o, "AWS_ACCESS_KEY_ID", access_key_id);
            read_secret(o, "AWS_SECRET_ACCESS_KEY", secret_access_key);
            o.line("export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY");
            o.line("unset AWS_SESSION_TOKEN AWS_PROFILE");
            ecr_login(o);
            ("AWS".to_string(), "password")
        }
        CloudCreds::Ambient { .. } if ecr => {
            ecr_login(o);
            ("AWS".to_string(), "password")
        }
        CloudCreds::Ambient { .. } => {
            o.line("metadata_gcp");
            ("oauth2accesstoken".to_string(), "password")
        }
        CloudCreds::GcpWif { provider, audience, service_account, lifetime } => {
            o.fmt(format_args!("check_token {} {lifetime}", sh(audience)));
            o.fmt(format_args!("exchange_gcp {} {}", sh(provider), sh(service_account.as_deref().unwrap_or(""))));
            ("oauth2accesstoken".to_string(), "password")
        }
        CloudCreds::GcpKey { secret } => {
            read_secret(o, "gcp_key", secret);
            o.line("case \"$gcp_key\" in");
            o.line("  *'\"service_account\"'*) pass credentials 'the service-account key is present (not shown)';;");
            o.fail("  *) ", "credentials", "the key is not a service-account key JSON (no \"type\": \"service_account\").", "Store the key file downloaded from IAM > Service accounts > Keys, unchanged.");
            o.line("esac");
            o.comment("Google's registries accept the key itself as the password of the user _json_key.");
            ("_json_key".to_string(), "gcp_key")
        }
        CloudCreds::AzureFederated { client_id, tenant_id, audience, lifetime } => {
            o.fmt(format_args!("check_token {} {lifetime} pipeline_id", sh(audience)));
            o.fmt(format_args!("exchange_azure {} {} assertion", sh(tenant_id), sh(client_id)));
            ("00000000-0000-0000-0000-000000000000".to_string(), "password")
        }
        CloudCreds::AzureEnv => {
            o.line("for v in AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET; do");
            o.line("  eval \"value=\\${$v:-}\"");
            o.line("  if [ -z \"$value\" ]; then");
            o.line("    fail credentials \"$v is not set for this step.\" 'Set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for the step (acr-env reads them).'");
            o.line("  fi");
            o.line("done");
            o.line("exchange_azure \"$AZURE_TENANT_ID\" \"$AZURE_CLIENT_ID\" secret");
            ("00000000-0000-0000-0000-000000000000".to_string(), "password")
        }
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::config::{BuildConfig, Registry, SelfHostedRegistry, SecretRef, Stack as CfgStack, ElasticStack};

    fn self_hosted() -> Plan {
        let config = BuildConfig::new(
            CfgStack::Elastic(ElasticStack::default()),
            Registry::SelfHosted(SelfHostedRegistry {
                host: "127.0.0.1:5000".into(),
                path: "team".into(),
                username: "builder".into(),
                password: Some(SecretRef::Env { var: "REGISTRY_PASSWORD".into() }),
                ca_cert: None,
                insecure: false,
            }),
            "app",
        );
        super::super::plan::from_config(&config)
    }

    #[test]
    fn api_target_splits_host_and_path() {
        let plan = self_hosted();
        assert_eq!(api_target(&plan), ("127.0.0.1:5000".to_string(), "team/app".to_string()));
    }

    #[test]
    fn script_reads_the_password_from_the_env_var() {
        let text = render_script(&self_hosted());
        assert!(text.starts_with("#!/bin/sh\n"));
        assert!(text.contains("password=\"${REGISTRY_PASSWORD:-}\""));
        assert!(text.contains("check_login builder \"${password}\""));
        assert!(!text.contains("set -x"));
    }
}
