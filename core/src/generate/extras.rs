//! The artifacts around the step: the Package Registries OIDC policy, Kubernetes Secret
//! manifests and the `kubectl create secret` commands, and the one-time set-up checklist.

use std::fmt::Write as _;

use super::pipeline::{SecretVolume, auth_secrets, secret_volumes};
use super::plan::{Auth, CloudCreds, Plan, RegistryKind, Secret, Stack};
use super::quote::{markdown_code as code, sh, yaml};
use super::script::flat;

/// The Package Registries OIDC policy (buildkite.md §2.4): one statement for the Buildkite
/// agent issuer with read and write scopes, limited to the organization and, when the
/// configuration names them, to some pipelines and branches. Only plain YAML (no anchors,
/// aliases or tags), as the registry requires.
pub fn oidc_policy(plan: &Plan) -> Option<String> {
    let Auth::PackagesOidc { .. } = plan.auth else { return None };
    let (org, registry) = plan.packages.as_ref()?;
    let mut y = String::new();
    y.push_str("# OIDC policy for the Buildkite Package Registries registry above: paste it in the\n");
    y.push_str("# registry's Settings > OIDC Policy. The first statement whose claims all match wins,\n");
    y.push_str("# and the token gets only that statement's scopes (read for the cache, write to push).\n");
    y.push_str(&format!("# Registry: {}\n", flat(&format!("{org}/{registry}"))));
    y.push_str("- iss: \"https://agent.buildkite.com\"\n");
    y.push_str("  scopes:\n");
    y.push_str("    - \"read_packages\"\n");
    y.push_str("    - \"write_packages\"\n");
    y.push_str("  claims:\n");
    y.push_str(&format!("    organization_slug: {}\n", yaml(org)));
    let globs = |values: &[String]| values.iter().any(|v| v.contains(['*', '?']));
    let list = |values: &[String]| values.iter().map(|v| yaml(v)).collect::<Vec<_>>().join(", ");
    match plan.policy_pipelines.as_slice() {
        [] => {
            y.push_str("    # Narrow it further (recommended): only these pipelines may push.\n");
            y.push_str("    # pipeline_slug:\n");
            y.push_str("    #   in: [\"my-pipeline\"]\n");
        }
        pipelines => {
            y.push_str("    pipeline_slug:\n");
            let matcher = if globs(pipelines) { "matches" } else { "in" };
            y.push_str(&format!("      {matcher}: [{}]\n", list(pipelines)));
        }
    }
    match plan.policy_branches.as_slice() {
        [] => {
            y.push_str("    # Narrow it further (recommended): only these branches may push.\n");
            y.push_str("    # build_branch:\n");
            y.push_str("    #   matches: [\"main\", \"release/*\"]\n");
        }
        branches => {
            y.push_str("    build_branch:\n");
            y.push_str(&format!("      matches: [{}]\n", list(branches)));
        }
    }
    Some(y)
}

/// The Kubernetes namespace the agent-stack-k8s controller runs jobs in.
pub const NAMESPACE: &str = "buildkite";

/// Kubernetes Secret manifests with placeholders (never real secrets), one document each.
pub fn secret_manifests(plan: &Plan) -> Option<String> {
    let volumes: Vec<SecretVolume> = secret_volumes(plan).into_iter().filter(|v| !v.keys.is_empty()).collect();
    if volumes.is_empty() {
        return None;
    }
    let mut y = String::new();
    y.push_str("# Kubernetes Secrets the Kaniko step mounts. Replace the <placeholders>, or better,\n");
    y.push_str("# create them with .buildkite/kaniko/create-secrets.sh so no secret is committed.\n");
    for v in &volumes {
        y.push_str("---\n");
        y.push_str("apiVersion: v1\nkind: Secret\nmetadata:\n");
        y.push_str(&format!("  name: {}\n", yaml(&v.secret_name)));
        y.push_str(&format!("  namespace: {}\n", yaml(NAMESPACE)));
        y.push_str("type: Opaque\nstringData:\n");
        for (key, holds) in &v.keys {
            y.push_str(&format!("  # {holds}\n"));
            y.push_str(&format!("  {}: {}\n", yaml(key), yaml(&format!("<{holds}>"))));
        }
    }
    Some(y)
}

/// The environment variable `create-secrets.sh` reads a value's file path from.
fn file_var(holds: &str) -> &'static str {
    match holds {
        "the AWS access key id" => "AWS_ACCESS_KEY_ID_FILE",
        "the AWS secret access key" => "AWS_SECRET_ACCESS_KEY_FILE",
        "the service-account key JSON" => "GCP_KEY_FILE",
        _ => "REGISTRY_TOKEN_FILE",
    }
}

/// `kubectl create secret` commands, as a bash script that reads each value from a file
/// whose path is in an environment variable, never from its own text or argv.
pub fn create_secrets_script(plan: &Plan) -> Option<String> {
    let volumes: Vec<SecretVolume> = secret_volumes(plan).into_iter().filter(|v| !v.keys.is_empty()).collect();
    if volumes.is_empty() {
        return None;
    }
    let mut s = String::new();
    s.push_str("#!/usr/bin/env bash\n");
    s.push_str("# Create the Kubernetes Secrets the Kaniko step mounts, in the namespace the\n");
    s.push_str("# agent-stack-k8s controller runs jobs in. Run it once, with kubectl pointed at the cluster.\n");
    s.push_str("# Generated by Kaniko Studio.\n");
    s.push_str("set -euo pipefail\n");
    s.push_str(&format!("namespace=\"${{NAMESPACE:-{NAMESPACE}}}\"\n"));
    for v in &volumes {
        s.push('\n');
        let mut vars: Vec<&str> = Vec::new();
        for (_, holds) in &v.keys {
            let var = file_var(holds);
            if !vars.contains(&var) {
                s.push_str(&format!(": \"${{{var}:?export {var}, the path of a file holding {holds}}}\"\n"));
                vars.push(var);
            }
        }
        s.push_str(&format!("kubectl create secret generic {} --namespace \"${{namespace}}\"", sh(&v.secret_name)));
        for (key, holds) in &v.keys {
            s.push_str(&format!(" \\\n  --from-file={}\"${{{}}}\"", sh(&format!("{key}=")), file_var(holds)));
        }
        s.push('\n');
    }
    Some(s)
}

/// A fenced Markdown code block that no line of `body` can close.
fn fenced(lang: &str, body: &str) -> String {
    let body: String = body
        .chars()
        .map(|c| if c != '\n' && c.is_control() { '�' } else { c })
        .collect();
    let mut longest = 2;
    for l in body.lines() {
        let run = l.trim_start().chars().take_while(|c| *c == '`').count();
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    format!("{fence}{lang}\n{}\n{fence}\n", body.trim_end_matches('\n'))
}

/// The one-time set-up checklist, in Markdown.
pub fn checklist(plan: &Plan) -> String {
    let mut md = String::new();
    let k8s = plan.stack.is_kubernetes();
    md.push_str(&format!("# Set up: Kaniko build of {}\n\n", code(&plan.repository)));
    md.push_str(&format!(
        "One-time steps before the first build. Registry: {}. Stack: {}.\n\n",
        plan.registry_name,
        if k8s { "Buildkite Agent Stack for Kubernetes" } else { "Elastic CI Stack for AWS" }
    ));
    let mut n = 0;
    let mut step = |md: &mut String, text: std::fmt::Arguments<'_>| {
        n += 1;
        let _ = writeln!(md, "{n}. [ ] {text}");
    };

    registry_steps(plan, &mut md, &mut step);
    secret_steps(plan, &mut md, &mut step);

    match &plan.stack {
        Stack::Kubernetes { queue, container } => {
            step(&mut md, format_args!(
                "Run the agent-stack-k8s controller for the queue {}. Kaniko runs as root: a controller `pod-spec-patch` with `runAsNonRoot` or `runAsUser` breaks it.",
                code(queue)
            ));
            step(&mut md, format_args!(
                "The step patches the command container {} with the Kaniko debug image (it has a shell). Do not rely on a container-level `BUILDKITE_HOOKS_PATH`: agent v3.127.1 and later ignore it, so this step needs no hook.",
                code(container)
            ));
            if secret_volumes(plan).iter().any(|v| !v.keys.is_empty()) {
                step(&mut md, format_args!(
                    "Create the Kubernetes Secrets with `.buildkite/kaniko/create-secrets.sh` (or apply `.buildkite/kaniko/secrets.yaml` after filling in the placeholders) in the controller's namespace ({}).",
                    code(NAMESPACE)
                ));
            }
            for m in &plan.extra_mounts {
                step(&mut md, format_args!(
                    "Create the Kubernetes Secret {} (mounted at {}).",
                    code(&m.secret),
                    code(&m.mount_path)
                ));
            }
        }
        Stack::Elastic { queue, script_path } => {
            step(&mut md, format_args!(
                "Run an Elastic CI Stack for AWS for the queue {} (Docker is preinstalled).",
                code(queue)
            ));
            step(&mut md, format_args!(
                "Commit {} (the step runs it with `bash`, so the executable bit is optional).",
                code(script_path)
            ));
        }
    }
    if plan.env_switches {
        step(&mut md, format_args!("Commit `.buildkite/pipeline.yml` and run a build. For a dry run first, set `KANIKO_NO_PUSH=1` in the step's env."));
    } else {
        step(&mut md, format_args!("Commit `.buildkite/pipeline.yml` and run a build."));
    }
    if let Some(b) = &plan.executor_build {
        executor_steps(plan, b, &mut md, &mut step);
    }
    let _ = write!(
        md,
        "\nIf the push fails (401, 403, `Invalid 'aud' claim`): commit `{}` and run the doctor step in `{}` (add it to a pipeline, or `buildkite-agent pipeline upload {}`). It checks the token, the exchange, TLS, the login and push permission in seconds and names the first link that breaks, with its fix.\n",
        super::doctor::script_path(plan),
        super::doctor::DOCTOR_PIPELINE_PATH,
        super::doctor::DOCTOR_PIPELINE_PATH,
    );
    md
}

/// Building your own executor (`.buildkite/kaniko-executor.yml`).
fn executor_steps(plan: &Plan, b: &super::plan::ExecutorBuild, md: &mut String, step: &mut impl FnMut(&mut String, std::fmt::Arguments<'_>)) {
    use super::executor_build::{EXECUTOR_PIPELINE_PATH, EXECUTOR_SCRIPT_PATH};
    step(md, format_args!(
        "Your own executor: commit {} and {}, and create a separate Buildkite pipeline whose steps run `buildkite-agent pipeline upload {}` (run it when you move to a new fork tag, or on a schedule for base-image fixes).",
        code(EXECUTOR_PIPELINE_PATH),
        code(EXECUTOR_SCRIPT_PATH),
        EXECUTOR_PIPELINE_PATH
    ));
    if plan.stack.is_kubernetes() {
        step(md, format_args!("The build step runs rootless BuildKit as uid 1000 with seccomp and AppArmor `Unconfined`: allow that in the controller's namespace (Pod Security `privileged`, or a policy exception for these pods)."));
    } else {
        step(md, format_args!("The build step uses the host's `docker buildx` (installed on the Elastic CI Stack) and builds for the host's platform."));
    }
    if let Some(key) = &b.signing_key {
        step(md, format_args!(
            "Make the cosign key {} available to the sign step (a key file needs `COSIGN_PASSWORD` in the step's env, from a Buildkite secret), and publish its public key for `extras.verify_executor`.",
            code(key)
        ));
    }
    step(md, format_args!(
        "After the first run, set `kaniko.executor: {{custom: {}:{}-debug}}` and `kaniko.digest` to the digest the build's annotation shows.",
        b.repository, b.git_ref
    ));
}

fn secret_steps(plan: &Plan, md: &mut String, step: &mut impl FnMut(&mut String, std::fmt::Arguments<'_>)) {
    for (secret, holds) in auth_secrets(plan) {
        match secret {
            Secret::Env { var } => step(md, format_args!(
                "Provide {holds} in the job's environment variable {} without committing it (Elastic: the `env` file in the stack's S3 secrets bucket, uploaded with `--sse aws:kms`).",
                code(var)
            )),
            Secret::Buildkite { key } => step(md, format_args!(
                "Create the Buildkite secret {} holding {holds} (the step reads it with `buildkite-agent secret get`).",
                code(key)
            )),
            Secret::Mounted { .. } => {}
        }
    }
}

fn registry_steps(plan: &Plan, md: &mut String, step: &mut impl FnMut(&mut String, std::fmt::Arguments<'_>)) {
    let repo = code(&plan.repository);
    match plan.kind {
        RegistryKind::Packages => {
            if let Some((org, registry)) = &plan.packages {
                step(md, format_args!(
                    "Create the container (OCI) registry {} in the organization {} (Packages > New registry). Its slug, not its display name, is what the step uses; renaming the registry changes the slug and the audience.",
                    code(registry),
                    code(org)
                ));
            }
            if let Auth::PackagesOidc { audience, lifetime, .. } = &plan.auth {
                step(md, format_args!("Paste `.buildkite/kaniko/oidc-policy.yml` into the registry's Settings > OIDC Policy."));
                step(md, format_args!(
                    "The step requests a token with audience {} (exactly, no trailing slash) and lifetime {lifetime} s; the registry rejects tokens living longer than 300 s.",
                    code(audience)
                ));
                step(md, format_args!("Kaniko pushes at the end of the build with the token minted at its start: builds longer than about 5 minutes fail at push. For those, switch to an API access token kept in a secret."));
            } else {
                step(md, format_args!("Create an API access token with the Read Packages and Write Packages scopes for this registry; the username is always `buildkite`."));
            }
        }
        RegistryKind::Ecr => {
            let (name, region) = ecr_name_region(&plan.repository);
            let mut names = vec![name.clone()];
            if plan.flags.iter().any(|f| f == "--cache=true") {
                // Kaniko's cache repository: `--cache-repo`, or `<repository>/cache` by default.
                match plan.flags.iter().find_map(|f| f.strip_prefix("--cache-repo=")) {
                    None => names.push(format!("{name}/cache")),
                    Some(cache) => {
                        let host = plan.repository.split_once('/').map(|(h, _)| h).unwrap_or_default();
                        names.extend(cache.strip_prefix(host).and_then(|p| p.strip_prefix('/')).map(str::to_string));
                    }
                }
            }
            if names.len() > 1 {
                step(md, format_args!(
                    "Create the ECR repositories for {repo} and its layer cache beforehand (ECR does not create repositories on push):"
                ));
            } else {
                step(md, format_args!("Create the ECR repository for {repo} beforehand (ECR does not create repositories on push):"));
            }
            let commands: Vec<String> =
                names.iter().map(|n| format!("aws ecr create-repository --region {} --repository-name {}", sh(&region), sh(n))).collect();
            md.push_str(&indent(&fenced("sh", &commands.join("\n"))));
            ecr_auth_steps(plan, md, step);
        }
        RegistryKind::EcrPublic => {
            step(md, format_args!("Create the ECR Public repository for {repo} in us-east-1 (ECR Public tokens always come from us-east-1)."));
            step(md, format_args!("Grant the pushing identity `ecr-public:GetAuthorizationToken`, `sts:GetServiceBearerToken` and the ECR Public push actions."));
            ecr_auth_steps(plan, md, step);
        }
        RegistryKind::ArtifactRegistry | RegistryKind::Gcr => {
            if plan.kind == RegistryKind::ArtifactRegistry {
                step(md, format_args!("Create the Artifact Registry Docker repository for {repo}, and grant the pushing service account `roles/artifactregistry.writer` on it."));
            } else {
                step(md, format_args!("Container Registry is deprecated in favour of Artifact Registry; grant the pushing service account write access (`roles/artifactregistry.writer` on the gcr.io repository, or Storage Admin on the legacy bucket)."));
            }
            if let Auth::Helper { creds: CloudCreds::GcpWif { provider, service_account, .. }, .. } = &plan.auth {
                step(md, format_args!("Create a Workload Identity pool and an OIDC provider with issuer `https://agent.buildkite.com`, map `attribute.organization_slug`, `attribute.pipeline_slug` and `attribute.build_branch`, and add an attribute condition on your organization slug."));
                step(md, format_args!("Map `google.subject` to something short, not to `assertion.sub`: a Buildkite token's `sub` is usually longer than Google's 127-byte limit (`The size of mapped attribute google.subject exceeds the 127 bytes limit`). The Buildkite plugin's mapping: `google.subject=\"organization:\"+assertion.sub.split(\":\")[1]+\":pipeline:\"+assertion.sub.split(\":\")[3]`."));
                step(md, format_args!(
                    "The step's token audience is the provider's full resource name {}; check it matches the provider exactly (project number, not project id).",
                    code(provider)
                ));
                match service_account {
                    Some(sa) => step(md, format_args!(
                        "Enable the IAM Credentials API and grant the pool's principals `roles/iam.workloadIdentityUser` on {}.",
                        code(sa)
                    )),
                    None => step(md, format_args!("Without a service account, grant the pool's principals (`principalSet://…`) `roles/artifactregistry.writer` directly; federated tokens then last at most as long as the Buildkite token.")),
                }
            }
            if let Auth::Helper { creds: CloudCreds::Ambient { .. }, .. } = &plan.auth {
                step(md, format_args!("Bind the pod's Kubernetes service account to a Google service account with GKE Workload Identity (or give the node's service account the role)."));
            }
        }
        RegistryKind::DockerHub => {
            step(md, format_args!("Create the Docker Hub repository for {repo} and a personal access token with Read & Write scope."));
            step(md, format_args!("Docker Hub's credentials key is `https://index.docker.io/v1/` (used by the generated config); `docker.io` and `index.docker.io` keys are ignored by Kaniko. Docker Hub has no nested repositories: set an explicit cache repository such as `<user>/<repo>-cache`."));
        }
        RegistryKind::Ghcr => {
            step(md, format_args!("Create a GitHub personal access token (classic) with `write:packages` for the pushing user; owner and image names must be lowercase."));
        }
        RegistryKind::Acr => {
            match &plan.auth {
                Auth::Helper { creds: CloudCreds::AzureFederated { .. }, .. } => {
                    step(md, format_args!("Register an Entra application and add a federated identity credential: issuer `https://agent.buildkite.com`, subject the pipeline's UUID (the step requests `--subject-claim pipeline_id`), audience `api://AzureADTokenExchange`."));
                    step(md, format_args!("Assign the application's service principal `AcrPush` on the registry (`Container Registry Repository Writer` on ABAC-enabled registries)."));
                }
                Auth::Helper { .. } => {
                    step(md, format_args!("Create a service principal with a client secret and assign it `AcrPush` on the registry."));
                }
                _ => step(md, format_args!("Enable the admin user or create a token with push rights, and keep its password in the secret.")),
            }
        }
        RegistryKind::Quay => {
            step(md, format_args!("Create a Quay robot account (`org+name`) with write permission on the repository; Kaniko only matches the `quay.io` host key, not an organization path."));
        }
        RegistryKind::GitLab => {
            step(md, format_args!("Create a GitLab deploy token (or project access token) with `write_registry` for the project."));
        }
        RegistryKind::SelfHosted => {
            if matches!(plan.auth, Auth::Static { .. }) {
                step(md, format_args!("Create a user with push rights on the registry."));
            }
            if let Some((host, path)) = &plan.ca_cert {
                let where_ = if plan.stack.is_kubernetes() {
                    "mount it into the command container (a Secret in `stack.kubernetes.secret_volumes`)"
                } else {
                    "put it on the agent hosts at that path; the script mounts it into the executor"
                };
                step(md, format_args!(
                    "The registry's CA certificate is read from {} for {} (`--registry-certificate`): {where_}.",
                    code(path),
                    code(host)
                ));
            }
            if let Some(host) = &plan.insecure_host {
                step(md, format_args!("Plain HTTP is on for {} (`--insecure-registry`): credentials cross the network unencrypted. Prefer TLS with a custom CA.", code(host)));
            }
        }
    }
}

fn indent(block: &str) -> String {
    block.lines().map(|l| if l.is_empty() { "\n".to_string() } else { format!("   {l}\n") }).collect()
}

/// `(repository name, region)` from `ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME`.
fn ecr_name_region(repository: &str) -> (String, String) {
    let (host, name) = repository.split_once('/').unwrap_or((repository, ""));
    let region = host.split('.').nth(3).unwrap_or("us-east-1");
    (name.to_string(), region.to_string())
}

fn ecr_auth_steps(plan: &Plan, md: &mut String, step: &mut impl FnMut(&mut String, std::fmt::Arguments<'_>)) {
    let Auth::Helper { creds, .. } = &plan.auth else { return };
    match creds {
        CloudCreds::Ambient { .. } => {
            if plan.stack.is_kubernetes() {
                step(md, format_args!("Give the pod's service account an IAM role with ECR push permissions (IRSA or EKS Pod Identity)."));
            } else if plan.kind == RegistryKind::EcrPublic {
                step(md, format_args!("Attach a policy with those ECR Public permissions to the stack's instance role with the stack parameter `ManagedPolicyARNs` (`ECRAccessPolicy` covers private ECR only); the executor reaches the instance role through IMDS (hop limit 2)."));
            } else {
                step(md, format_args!("Set the stack parameter `ECRAccessPolicy` to `poweruser` or higher (the default `none` cannot push); the executor reaches the instance role through IMDS (hop limit 2)."));
            }
        }
        CloudCreds::AwsWebIdentity { role_arn, .. } => {
            step(md, format_args!("Create the IAM OIDC provider `https://agent.buildkite.com` with audience `sts.amazonaws.com` in the role's account:"));
            md.push_str(&indent(&fenced("sh", "aws iam create-open-id-connect-provider --url https://agent.buildkite.com --client-id-list sts.amazonaws.com")));
            step(md, format_args!(
                "Create the role {} with a trust policy for `sts:AssumeRoleWithWebIdentity` that matches `agent.buildkite.com:aud` = `sts.amazonaws.com` and `agent.buildkite.com:sub` with `StringLike` `organization:<your-org>:*` (the `sub` contains the commit, so never `StringEquals`), and attach ECR push permissions (`ecr:GetAuthorizationToken` on `*`; `ecr:BatchCheckLayerAvailability`, `ecr:InitiateLayerUpload`, `ecr:UploadLayerPart`, `ecr:CompleteLayerUpload`, `ecr:PutImage`, `ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer` on the repository).",
                code(role_arn)
            ));
            if !plan.stack.is_kubernetes() {
                step(md, format_args!("The web-identity credentials take precedence over the instance role; `ECRAccessPolicy` can stay `none`."));
            }
        }
        CloudCreds::AwsKeys { .. } => {
            step(md, format_args!("Create an IAM user with ECR push permissions; keep its access keys in the secrets below and rotate them."));
        }
        _ => {}
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn fences_outgrow_backticks_in_the_body() {
        let f = fenced("sh", "echo ```\n````x");
        assert!(f.starts_with("`````sh\n"), "{f}");
    }

    /// The checklist creates every ECR repository Kaniko pushes to: the image's and the cache's.
    #[test]
    fn ecr_checklist_creates_the_cache_repository() {
        let base = "version: 1\nstack: {elastic: {}}\nregistry: {ecr: {account: \"123456789012\", region: eu-west-1, repository: acme, auth: instance_role}}\nimage: {name: my-app}\n";
        let create = |kaniko: &str| {
            let config = crate::config::BuildConfig::from_yaml_str(&format!("{base}{kaniko}")).expect("config");
            let (artifacts, _) = crate::generate::generate(&config);
            let setup = artifacts.files.iter().find(|a| a.kind == crate::generate::ArtifactKind::Checklist).expect("checklist");
            setup.content.lines().filter_map(|l| l.trim().strip_prefix("aws ecr create-repository --region eu-west-1 --repository-name ")).map(str::to_string).collect::<Vec<_>>()
        };
        assert_eq!(create("kaniko: {cache: false}\n"), ["acme/my-app"]);
        assert_eq!(create("kaniko: {cache: true}\n"), ["acme/my-app", "acme/my-app/cache"]);
        assert_eq!(
            create("kaniko: {cache: true, cache_repo: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/cache}\n"),
            ["acme/my-app", "acme/cache"]
        );
        // A cache on another registry is not created here (KS112 warns about it).
        assert_eq!(create("kaniko: {cache: true, cache_repo: ghcr.io/acme/cache}\n"), ["acme/my-app"]);
    }

    /// On Elastic the instance role gets private ECR rights from `ECRAccessPolicy`; ECR
    /// Public's rights are attached with `ManagedPolicyARNs`.
    #[test]
    fn ecr_public_on_elastic_attaches_its_own_policy() {
        let text = "version: 1\nstack: elastic\nregistry: {ecr_public: {alias: acme, auth: instance_role}}\nimage: {name: my-app}\n";
        let config = crate::config::BuildConfig::from_yaml_str(text).expect("config");
        let (artifacts, _) = crate::generate::generate(&config);
        let setup = artifacts.files.iter().find(|a| a.kind == crate::generate::ArtifactKind::Checklist).expect("checklist");
        assert!(setup.content.contains("`ManagedPolicyARNs`"), "{}", setup.content);
        assert!(!setup.content.contains("`ECRAccessPolicy` to `poweruser`"), "{}", setup.content);
    }

    #[test]
    fn ecr_host_parts() {
        assert_eq!(
            ecr_name_region("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app"),
            ("team/app".to_string(), "eu-west-1".to_string())
        );
    }
}
