//! The plan: a [`BuildConfig`] reduced to what the renderers need, with every default
//! resolved. Renderers never look at the configuration directly, so each artifact is a pure
//! function of the plan.

use crate::config::{
    AcrAuth, AwsAuth, BuildConfig, CosignKey, ExecutorImage, GcpAuth, PackagesAuth, Registry, SecretRef, Stack as CfgStack,
    Tag as CfgTag,
};

/// Where the step runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stack {
    /// Buildkite Agent Stack for Kubernetes: the script is the step's `command`, run by
    /// busybox `sh` in the Kaniko debug image in the command container.
    Kubernetes {
        queue: String,
        /// The command container patched by `podSpecPatch` (`container-0` by default).
        container: String,
    },
    /// Elastic CI Stack for AWS: a bash script on the host runs Kaniko in `docker run`.
    Elastic {
        queue: String,
        /// Path of the step script in the repository, e.g. `.buildkite/steps/kaniko.sh`.
        script_path: String,
    },
}

impl Stack {
    pub fn is_kubernetes(&self) -> bool {
        matches!(self, Stack::Kubernetes { .. })
    }
    pub fn queue(&self) -> &str {
        match self {
            Stack::Kubernetes { queue, .. } | Stack::Elastic { queue, .. } => queue,
        }
    }
}

/// One image tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tag {
    /// A literal tag.
    Fixed(String),
    /// A Buildkite variable expanded at run time (`BUILDKITE_BUILD_NUMBER`, `BUILDKITE_COMMIT`).
    Var(&'static str),
    /// The first 7 characters of `BUILDKITE_COMMIT`.
    ShortCommit,
    /// `BUILDKITE_BRANCH` made tag-safe at run time.
    Branch,
}

/// Where a secret value comes from at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Secret {
    /// A key of a Kubernetes Secret, mounted as a file into the command container.
    Mounted { secret: String, key: String },
    /// A Buildkite secret (`buildkite-agent secret get KEY`).
    Buildkite { key: String },
    /// An environment variable of the job.
    Env { var: String },
}

impl Secret {
    fn from_config(s: &SecretRef) -> Self {
        match s {
            SecretRef::Kubernetes { name, key } => Secret::Mounted { secret: name.clone(), key: key.clone() },
            SecretRef::Buildkite { key } => Secret::Buildkite { key: key.clone() },
            SecretRef::Env { var } => Secret::Env { var: var.clone() },
        }
    }
}

/// Where the cloud credentials for a credential helper come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloudCreds {
    /// Nothing to do in the step: the instance role (Elastic, through IMDS), IRSA / EKS Pod
    /// Identity, or GKE workload identity provides them.
    Ambient { description: &'static str },
    /// A Buildkite OIDC token exchanged by the ECR helper through `AssumeRoleWithWebIdentity`.
    AwsWebIdentity { role_arn: String, audience: String, lifetime: u32 },
    /// Static AWS keys from secrets.
    AwsKeys { access_key_id: Secret, secret_access_key: Secret },
    /// A Buildkite OIDC token exchanged through Workload Identity Federation (an
    /// `external_account` credentials file), optionally impersonating a service account.
    GcpWif { provider: String, audience: String, service_account: Option<String>, lifetime: u32 },
    /// A service-account key JSON from a secret.
    GcpKey { secret: Secret },
    /// `AZURE_*` variables already set for the job (service principal or managed identity).
    AzureEnv,
    /// A Buildkite OIDC token for Entra ID (federated credential, subject = pipeline UUID).
    AzureFederated { client_id: String, tenant_id: String, audience: String, lifetime: u32 },
}

/// How Kaniko authenticates to the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// Buildkite Package Registries with an OIDC token minted by the step itself.
    PackagesOidc { audience: String, auth_key: String, lifetime: u32 },
    /// A static `auths` entry: `username` and a password or token from a secret.
    Static { auth_key: String, username: String, secret: Secret },
    /// No credentials (a self-hosted registry that accepts anonymous pushes).
    Anonymous,
    /// One of Kaniko's built-in credential helpers (`ecr-login`, `acr-env`), or Google's
    /// in-process keychain (`helper` is `None`: no `config.json` entry is needed).
    Helper { host: String, helper: Option<&'static str>, creds: CloudCreds },
}

/// Which registry family, for wording and set-up steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistryKind {
    Packages,
    Ecr,
    EcrPublic,
    ArtifactRegistry,
    Gcr,
    DockerHub,
    Ghcr,
    Acr,
    Quay,
    GitLab,
    SelfHosted,
}

/// A user-declared Kubernetes Secret mount (`stack.kubernetes.secret_volumes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraMount {
    pub secret: String,
    pub mount_path: String,
}

/// Everything the renderers need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub stack: Stack,
    pub label: String,
    pub key: String,
    pub kind: RegistryKind,
    pub registry_name: &'static str,
    pub auth: Auth,
    /// The Buildkite organization and registry slugs (Package Registries only).
    pub packages: Option<(String, String)>,
    /// Pipelines and branches the Package Registries OIDC policy lets push (empty: any).
    pub policy_pipelines: Vec<String>,
    pub policy_branches: Vec<String>,
    /// The image repository without tag, e.g. `packages.buildkite.com/acme/images/app`.
    pub repository: String,
    pub tags: Vec<Tag>,
    /// Build context directory relative to the checkout (`.` for the root).
    pub context: String,
    pub context_sub_path: String,
    /// Dockerfile path relative to the context.
    pub dockerfile: String,
    /// Executor flags after the context, Dockerfile, destinations and verbosity, each one
    /// argv element (`--flag` or `--flag=value`), in a stable order.
    pub flags: Vec<String>,
    /// The executor image.
    pub executor_image: String,
    /// Whether the script must point `DOCKER_CONFIG` at `/kaniko/.docker` itself: Google's
    /// images set it, Chainguard's and other builds may not, and without it Kaniko reads
    /// `$HOME/.docker` and pushes anonymously.
    pub set_docker_config: bool,
    /// The image `KANIKO_DEBUG=1` switches to on Elastic, when a debug variant is known.
    pub debug_image: Option<String>,
    pub verbosity: &'static str,
    /// Honour `KANIKO_DEBUG`, `KANIKO_VERBOSITY` and `KANIKO_NO_PUSH` from the step's env.
    pub env_switches: bool,
    /// Elastic only: pull the pushed image with fresh credentials and run it with these args.
    pub pull_and_run: Option<Vec<String>>,
    /// A self-hosted registry's `host[:port]` with its CA file path and plain-HTTP opt-in.
    pub ca_cert: Option<(String, String)>,
    pub insecure_host: Option<String>,
    /// Cosign public key (path or URL) to verify the executor image with (Elastic).
    pub cosign_key: Option<String>,
    /// User-declared Kubernetes Secret mounts.
    pub extra_mounts: Vec<ExtraMount>,
    /// Your own executor, built from the Chainguard fork (`extras.build_executor`).
    pub executor_build: Option<ExecutorBuild>,
    /// Package Registries OIDC with `extras.refresh_credentials`: every this many seconds a new
    /// token replaces `config.json` while the executor runs.
    pub refresh_every: Option<u32>,
}

/// How often to re-mint a token of `lifetime` seconds: a minute before it expires, or at half
/// its life when that is short.
pub fn refresh_interval(lifetime: u32) -> u32 {
    if lifetime > 120 { lifetime - 60 } else { (lifetime / 2).max(10) }
}

/// Building and signing your own executor from the Chainguard fork.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutorBuild {
    /// The fork's tag, e.g. `v1.25.5`: also the executor image's tag (`-debug` for the
    /// debug image).
    pub git_ref: String,
    /// `host/path` the two images are pushed to, on the build's own registry.
    pub repository: String,
    /// The cosign key to sign both digests with; `None`: no signing step.
    pub signing_key: Option<String>,
    /// The AWS region of an ECR registry (the password comes from `aws ecr get-login-password`).
    pub ecr_region: Option<String>,
}

/// Google's published cosign public key for the Kaniko images (`cosign.pub` in the archived
/// repository).
pub const GOOGLE_COSIGN_KEY: &str = "https://raw.githubusercontent.com/GoogleContainerTools/kaniko/main/cosign.pub";

/// The image `KANIKO_DEBUG=1` runs: Google's debug image, pinned by digest when the
/// executor is.
fn debug_variant(config: &BuildConfig) -> Option<String> {
    let pinned = config.kaniko.digest.as_deref().is_some_and(|d| !d.trim().is_empty());
    match config.kaniko.executor {
        ExecutorImage::GoogleDebug => Some(config.executor_image_ref()),
        ExecutorImage::Google if pinned => {
            Some(format!("{}@{}", ExecutorImage::GoogleDebug.reference(), crate::config_file::GOOGLE_DEBUG_DIGEST))
        }
        ExecutorImage::Google => Some(ExecutorImage::GoogleDebug.reference()),
        _ => None,
    }
}

/// Build the plan. Assumes the configuration passed validation (no error stands).
pub fn from_config(config: &BuildConfig) -> Plan {
    let stack = match &config.stack {
        CfgStack::Kubernetes(k) => Stack::Kubernetes { queue: k.queue.clone(), container: k.container.clone() },
        CfgStack::Elastic(e) => Stack::Elastic { queue: e.queue.clone(), script_path: e.script.clone() },
    };
    let extra_mounts = match &config.stack {
        CfgStack::Kubernetes(k) => k
            .secret_volumes
            .iter()
            .map(|v| ExtraMount { secret: v.secret.clone(), mount_path: v.mount_path.clone() })
            .collect(),
        CfgStack::Elastic(_) => Vec::new(),
    };
    let registry = &config.registry;
    let audience = registry.audience().unwrap_or_default();
    let lifetime = registry.oidc_lifetime().unwrap_or(300);
    let host = registry.host();
    let static_auth = |username: &str, secret: &SecretRef| Auth::Static {
        auth_key: registry.auth_key(),
        username: username.to_string(),
        secret: Secret::from_config(secret),
    };
    let aws = |auth: &AwsAuth| {
        let creds = match auth {
            AwsAuth::InstanceRole => CloudCreds::Ambient {
                description: if config.is_kubernetes() {
                    "the pod's IAM role (IRSA or EKS Pod Identity)"
                } else {
                    "the instance role, through IMDS"
                },
            },
            AwsAuth::Oidc(o) => CloudCreds::AwsWebIdentity {
                role_arn: o.role_arn.clone(),
                audience: audience.clone(),
                lifetime: o.lifetime,
            },
            AwsAuth::Credentials { access_key_id, secret_access_key } => CloudCreds::AwsKeys {
                access_key_id: Secret::from_config(access_key_id),
                secret_access_key: Secret::from_config(secret_access_key),
            },
        };
        Auth::Helper { host: host.clone(), helper: Some("ecr-login"), creds }
    };
    let gcp = |auth: &GcpAuth| {
        let creds = match auth {
            GcpAuth::WorkloadIdentity => CloudCreds::Ambient {
                description: "GKE Workload Identity or the node's service account, through the metadata server",
            },
            GcpAuth::Oidc(o) => CloudCreds::GcpWif {
                provider: o.provider.clone(),
                audience: audience.clone(),
                service_account: o.service_account.clone().filter(|s| !s.trim().is_empty()),
                lifetime: o.lifetime,
            },
            GcpAuth::KeySecret { secret } => CloudCreds::GcpKey { secret: Secret::from_config(secret) },
        };
        Auth::Helper { host: host.clone(), helper: None, creds }
    };
    let (kind, auth) = match registry {
        Registry::BuildkitePackages(r) => (
            RegistryKind::Packages,
            match &r.auth {
                PackagesAuth::Oidc => Auth::PackagesOidc { audience: audience.clone(), auth_key: registry.auth_key(), lifetime },
                PackagesAuth::ApiToken { secret } => static_auth("buildkite", secret),
            },
        ),
        Registry::Ecr(r) => (RegistryKind::Ecr, aws(&r.auth)),
        Registry::EcrPublic(r) => (RegistryKind::EcrPublic, aws(&r.auth)),
        Registry::ArtifactRegistry(r) => (RegistryKind::ArtifactRegistry, gcp(&r.auth)),
        Registry::Gcr(r) => (RegistryKind::Gcr, gcp(&r.auth)),
        Registry::DockerHub(r) => (RegistryKind::DockerHub, static_auth(&r.username, &r.token)),
        Registry::Ghcr(r) => (RegistryKind::Ghcr, static_auth(&r.username, &r.token)),
        Registry::Acr(r) => (
            RegistryKind::Acr,
            match &r.auth {
                AcrAuth::AcrEnv => Auth::Helper { host: host.clone(), helper: Some("acr-env"), creds: CloudCreds::AzureEnv },
                AcrAuth::Oidc(o) => Auth::Helper {
                    host: host.clone(),
                    helper: Some("acr-env"),
                    creds: CloudCreds::AzureFederated {
                        client_id: o.client_id.clone(),
                        tenant_id: o.tenant_id.clone(),
                        audience: audience.clone(),
                        lifetime: o.lifetime,
                    },
                },
                AcrAuth::Password { username, password } => static_auth(username, password),
            },
        ),
        Registry::Quay(r) => (RegistryKind::Quay, static_auth(&r.username, &r.token)),
        Registry::Gitlab(r) => (RegistryKind::GitLab, static_auth(&r.username, &r.token)),
        Registry::SelfHosted(r) => (
            RegistryKind::SelfHosted,
            match &r.password {
                Some(p) if !r.username.is_empty() => static_auth(&r.username, p),
                _ => Auth::Anonymous,
            },
        ),
    };
    let (ca_cert, insecure_host) = match registry {
        Registry::SelfHosted(r) => (
            r.ca_cert.clone().filter(|c| !c.trim().is_empty()).map(|c| (r.host.clone(), c)),
            r.insecure.then(|| r.host.clone()),
        ),
        _ => (None, None),
    };
    let packages = match registry {
        Registry::BuildkitePackages(r) => Some((r.org.clone(), r.registry.clone())),
        _ => None,
    };
    let (policy_pipelines, policy_branches) = match registry {
        Registry::BuildkitePackages(r) => (r.pipelines.clone(), r.branches.clone()),
        _ => (Vec::new(), Vec::new()),
    };

    let repository = config.repository();
    let tags = config
        .image
        .tags
        .iter()
        .map(|t| match t {
            CfgTag::Fixed(s) => Tag::Fixed(s.clone()),
            CfgTag::Commit => Tag::Var("BUILDKITE_COMMIT"),
            CfgTag::BuildNumber => Tag::Var("BUILDKITE_BUILD_NUMBER"),
            CfgTag::ShortCommit => Tag::ShortCommit,
            CfgTag::Branch => Tag::Branch,
        })
        .collect();

    let image = &config.image;
    let k = &config.kaniko;
    let mut flags = Vec::new();
    if k.log_timestamp {
        flags.push("--log-timestamp".to_string());
    }
    for arg in &image.build_args {
        flags.push(format!("--build-arg={arg}"));
    }
    for label in &image.labels {
        flags.push(format!("--label={label}"));
    }
    if !image.target.is_empty() {
        flags.push(format!("--target={}", image.target));
    }
    if !image.platform.is_empty() {
        flags.push(format!("--custom-platform={}", image.platform));
    }
    if k.cache {
        flags.push("--cache=true".to_string());
        if !k.cache_repo.trim().is_empty() {
            flags.push(format!("--cache-repo={}", k.cache_repo.trim()));
        }
        if !k.cache_ttl.trim().is_empty() {
            flags.push(format!("--cache-ttl={}", k.cache_ttl.trim()));
        }
    }
    if !k.digest_file.is_empty() {
        flags.push(format!("--digest-file={}", k.digest_file));
    }
    if k.no_push {
        flags.push("--no-push".to_string());
    }
    if k.reproducible {
        flags.push("--reproducible".to_string());
    }
    if let Some(mode) = k.snapshot_mode {
        flags.push(format!("--snapshot-mode={}", mode.as_str()));
    }
    if k.single_snapshot {
        flags.push("--single-snapshot".to_string());
    }
    if k.skip_unused_stages {
        flags.push("--skip-unused-stages".to_string());
    }
    flags.extend(k.extra_flags.iter().cloned());

    let cosign_key = match &config.extras.verify_executor {
        Some(CosignKey::Google) => Some(GOOGLE_COSIGN_KEY.to_string()),
        Some(CosignKey::Key(k)) => Some(k.clone()),
        None => None,
    };

    let refresh_every = match &auth {
        Auth::PackagesOidc { lifetime, .. } if config.extras.refresh_credentials => Some(refresh_interval(*lifetime)),
        _ => None,
    };
    Plan {
        refresh_every,
        label: format!(
            ":docker: Build {} with Kaniko",
            if image.name.is_empty() { repository.as_str() } else { image.name.as_str() }
        ),
        key: "kaniko-build".to_string(),
        stack,
        kind,
        registry_name: registry.display_name(),
        auth,
        packages,
        policy_pipelines,
        policy_branches,
        repository,
        tags,
        context: image.context.clone(),
        context_sub_path: image.context_sub_path.clone(),
        dockerfile: image.dockerfile.clone(),
        flags,
        executor_image: config.executor_image_ref(),
        set_docker_config: !matches!(k.executor, ExecutorImage::Google | ExecutorImage::GoogleDebug),
        debug_image: if config.extras.env_switches { debug_variant(config) } else { None },
        verbosity: k.verbosity.as_str(),
        env_switches: config.extras.env_switches,
        pull_and_run: config.extras.pull_and_run.then(|| config.extras.pull_and_run_args.clone()),
        ca_cert,
        insecure_host,
        cosign_key,
        extra_mounts,
        executor_build: config.extras.build_executor.as_ref().map(|b| ExecutorBuild {
            git_ref: b.git_ref.trim().to_string(),
            repository: b.repository.trim().to_string(),
            signing_key: b.signing_key.as_ref().map(|k| k.trim().to_string()).filter(|k| !k.is_empty()),
            ecr_region: match registry {
                Registry::Ecr(r) => Some(r.region.clone()),
                _ => None,
            },
        }),
    }
}
