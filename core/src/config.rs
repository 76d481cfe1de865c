//! The one build configuration: what a user chose in the wizard, in a CLI config file, in a
//! share link, or in a golden test's input. Plain data with public fields; every other module
//! reads it and none of them keeps state of its own.
//!
//! The YAML/JSON shape is the serde shape of these types: `snake_case` names, enums externally
//! tagged (a unit variant is a plain string such as `auth: oidc`, a variant with fields is a
//! one-key map such as `auth: {api_token: {secret: …}}`). Unknown keys are rejected so that a
//! typo never silently falls back to a default. Everything that has a sensible default has one,
//! so a minimal configuration is short:
//!
//! ```yaml
//! version: 1
//! stack:
//!   kubernetes: {}
//! registry:
//!   buildkite_packages:
//!     org: acme
//!     registry: docker-images
//! image:
//!   name: my-app
//! ```

use serde::{Deserialize, Serialize};

use crate::audience::{Audience, PACKAGES_HOST};
use crate::diagnostic::Rule;

/// Rules reported by this module (none: it is plain data).
pub static RULES: &[Rule] = &[];

/// The configuration format version this build writes. Older versions must keep loading.
pub const CONFIG_VERSION: u32 = 1;

/// Google's final executor release (the repository was archived in June 2025).
pub const GOOGLE_EXECUTOR_VERSION: &str = "v1.24.0";
/// Google's executor repository.
pub const GOOGLE_EXECUTOR_REPOSITORY: &str = "gcr.io/kaniko-project/executor";
/// Chainguard's executor repository (needs a Chainguard subscription for most tags).
pub const CHAINGUARD_EXECUTOR_REPOSITORY: &str = "cgr.dev/chainguard/kaniko";
/// The audience AWS STS expects for `AssumeRoleWithWebIdentity`.
pub const AWS_AUDIENCE: &str = "sts.amazonaws.com";
/// The audience Entra ID expects for federated credentials in Azure's commercial cloud.
pub const AZURE_AUDIENCE: &str = "api://AzureADTokenExchange";
/// The Buildkite agent's default OIDC token lifetime, and the Package Registries maximum.
pub const PACKAGES_MAX_LIFETIME: u32 = 300;
/// The largest lifetime the Buildkite agent API accepts for an OIDC token.
pub const AGENT_MAX_LIFETIME: u32 = 7200;
/// The `config.json` key Kaniko uses for Docker Hub (the only one that works for pushes).
pub const DOCKER_HUB_AUTH_KEY: &str = "https://index.docker.io/v1/";

/// A whole build configuration.
///
/// Every string is data, passed to its consumer literally: generators quote it for YAML, shell
/// and JSON, and escape `$` for pipeline upload, so no value is ever expanded or interpreted.
/// Run-time values come from [`Tag`]'s variants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildConfig {
    /// The configuration format version; [`CONFIG_VERSION`] for files written today.
    pub version: u32,
    /// Where the step runs.
    pub stack: Stack,
    /// Where the image is pushed, and how the step authenticates.
    pub registry: Registry,
    /// What is built.
    pub image: Image,
    /// How the Kaniko executor is run.
    #[serde(default)]
    pub kaniko: Kaniko,
    /// Optional additions to the generated step.
    #[serde(default)]
    pub extras: Extras,
    /// How long a build may take, in minutes, when known. Token lifetimes are checked against
    /// it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_build_minutes: Option<u32>,
}

// ---------------------------------------------------------------------------------------------
// Where it runs

/// The Buildkite stack the step runs on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stack {
    /// Buildkite Agent Stack for Kubernetes: the step's command runs in the Kaniko image
    /// through the `kubernetes` plugin's `podSpecPatch`.
    Kubernetes(KubernetesStack),
    /// Elastic CI Stack for AWS: a script on the host mints the token and runs Kaniko with
    /// `docker run`.
    Elastic(ElasticStack),
}

/// Settings for the Agent Stack for Kubernetes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KubernetesStack {
    /// The agent queue the controller listens on.
    #[serde(default = "default_kubernetes_queue")]
    pub queue: String,
    /// The name of the command container patched with the Kaniko image (`container-0` unless
    /// the pod spec names it otherwise).
    #[serde(default = "default_container")]
    pub container: String,
    /// Kubernetes Secrets mounted into the command container as files (custom CA
    /// certificates, credentials files).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secret_volumes: Vec<SecretVolume>,
}

impl Default for KubernetesStack {
    fn default() -> Self {
        KubernetesStack {
            queue: default_kubernetes_queue(),
            container: default_container(),
            secret_volumes: Vec::new(),
        }
    }
}

fn default_kubernetes_queue() -> String {
    "kubernetes".to_string()
}

fn default_container() -> String {
    "container-0".to_string()
}

/// A Kubernetes Secret mounted as a directory of files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretVolume {
    /// The Secret's name in the agent's namespace.
    pub secret: String,
    /// Where its keys appear as files, e.g. `/kaniko/ssl/custom`.
    pub mount_path: String,
}

/// Settings for the Elastic CI Stack for AWS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElasticStack {
    /// The agent queue.
    #[serde(default = "default_elastic_queue")]
    pub queue: String,
    /// The path of the generated step script, relative to the repository root.
    #[serde(default = "default_script")]
    pub script: String,
    /// The stack's `ECRAccessPolicy` parameter, when known. Pushing to ECR with the instance
    /// role needs `poweruser` or more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecr_access_policy: Option<EcrAccessPolicy>,
}

impl Default for ElasticStack {
    fn default() -> Self {
        ElasticStack { queue: default_elastic_queue(), script: default_script(), ecr_access_policy: None }
    }
}

fn default_elastic_queue() -> String {
    "default".to_string()
}

fn default_script() -> String {
    ".buildkite/steps/kaniko.sh".to_string()
}

/// The Elastic CI Stack's `ECRAccessPolicy` parameter values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EcrAccessPolicy {
    /// The stack's default: no ECR access, and the ECR login hook does not run.
    None,
    Readonly,
    ReadonlyPullthrough,
    Poweruser,
    PoweruserPullthrough,
    Full,
}

impl EcrAccessPolicy {
    /// The parameter value as written in the stack's parameters.
    pub fn as_str(self) -> &'static str {
        match self {
            EcrAccessPolicy::None => "none",
            EcrAccessPolicy::Readonly => "readonly",
            EcrAccessPolicy::ReadonlyPullthrough => "readonly-pullthrough",
            EcrAccessPolicy::Poweruser => "poweruser",
            EcrAccessPolicy::PoweruserPullthrough => "poweruser-pullthrough",
            EcrAccessPolicy::Full => "full",
        }
    }

    /// Can the instance role push images with this policy?
    pub fn allows_push(self) -> bool {
        matches!(self, EcrAccessPolicy::Poweruser | EcrAccessPolicy::PoweruserPullthrough | EcrAccessPolicy::Full)
    }
}

/// Where a secret value (token, password, key file) comes from at run time. It is never
/// stored in the configuration itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretRef {
    /// A key of a Kubernetes Secret, mounted into the command container (Kubernetes stack).
    Kubernetes {
        /// The Secret's name.
        name: String,
        /// The key inside the Secret.
        key: String,
    },
    /// A Buildkite secret, read with `buildkite-agent secret get KEY`.
    Buildkite {
        /// The secret's key.
        key: String,
    },
    /// An environment variable already set for the job (for example from the Elastic stack's
    /// S3 secrets bucket `env` file).
    Env {
        /// The variable's name.
        var: String,
    },
}

// ---------------------------------------------------------------------------------------------
// Registry and authentication

/// The destination registry and how the step authenticates to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Registry {
    /// Buildkite Package Registries: `packages.buildkite.com/{org}/{registry}`.
    BuildkitePackages(PackagesRegistry),
    /// Amazon ECR (private): `{account}.dkr.ecr.{region}.amazonaws.com/{repository}`.
    Ecr(EcrRegistry),
    /// Amazon ECR Public: `public.ecr.aws/{alias}`.
    EcrPublic(EcrPublicRegistry),
    /// Google Artifact Registry: `{location}-docker.pkg.dev/{project}/{repository}`.
    ArtifactRegistry(ArtifactRegistry),
    /// Legacy Google Container Registry: `{host}/{project}`.
    Gcr(GcrRegistry),
    /// Docker Hub: `docker.io/{namespace}`.
    DockerHub(DockerHubRegistry),
    /// GitHub Container Registry: `ghcr.io/{owner}`.
    Ghcr(GhcrRegistry),
    /// Azure Container Registry: `{name}.azurecr.io`.
    Acr(AcrRegistry),
    /// Quay: `{host}/{organization}`.
    Quay(QuayRegistry),
    /// GitLab Container Registry: `{host}/{project}`.
    Gitlab(GitlabRegistry),
    /// Any other registry (Harbor, Artifactory, `registry:2` …): `{host}/{path}`.
    SelfHosted(SelfHostedRegistry),
}

/// Buildkite Package Registries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackagesRegistry {
    /// The organization slug (the end of `https://buildkite.com/{org}`).
    pub org: String,
    /// The registry slug (kebab-case form of the registry's name).
    pub registry: String,
    /// How the step authenticates.
    #[serde(default)]
    pub auth: PackagesAuth,
    /// OIDC token lifetime in seconds (`--lifetime`); the registry accepts at most 300.
    #[serde(default = "default_packages_lifetime")]
    pub lifetime: u32,
    /// An explicit `--audience`. Leave unset: the right one is derived from the slugs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// Pipeline slugs the generated OIDC policy lets push (`*` and `?` globs allowed); empty
    /// means every pipeline of the organization.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pipelines: Vec<String>,
    /// Branch globs (`main`, `release/*`) the generated OIDC policy lets push; empty means
    /// every branch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub branches: Vec<String>,
}

fn default_packages_lifetime() -> u32 {
    PACKAGES_MAX_LIFETIME
}

/// How to authenticate to Buildkite Package Registries.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PackagesAuth {
    /// A Buildkite OIDC token minted in the step (at most 5 minutes).
    #[default]
    Oidc,
    /// An API access token with Read Packages and Write Packages scopes, kept in a secret.
    ApiToken {
        /// Where the token comes from.
        secret: SecretRef,
    },
}

/// Amazon ECR (private).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EcrRegistry {
    /// The 12-digit AWS account id.
    pub account: String,
    /// The AWS region, e.g. `eu-west-1`.
    pub region: String,
    /// The ECR repository path under the registry (`team/app`). The image name, when set, is
    /// appended to it. ECR repositories must be created before the first push.
    #[serde(default)]
    pub repository: String,
    /// How the step authenticates.
    #[serde(default)]
    pub auth: AwsAuth,
}

/// Amazon ECR Public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EcrPublicRegistry {
    /// The registry alias (`public.ecr.aws/{alias}`).
    pub alias: String,
    /// How the step authenticates.
    #[serde(default)]
    pub auth: AwsAuth,
}

/// How to authenticate to AWS (ECR and ECR Public).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AwsAuth {
    /// The instance role (Elastic stack) or IRSA / EKS Pod Identity (Kubernetes), through
    /// Kaniko's built-in `ecr-login` helper.
    #[default]
    InstanceRole,
    /// A Buildkite OIDC token exchanged for an IAM role with `AssumeRoleWithWebIdentity`
    /// (`AWS_ROLE_ARN` + `AWS_WEB_IDENTITY_TOKEN_FILE`).
    Oidc(AwsOidc),
    /// Static credentials (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`) from a secret.
    Credentials {
        /// The access key id.
        access_key_id: SecretRef,
        /// The secret access key.
        secret_access_key: SecretRef,
    },
}

/// Buildkite OIDC federated into an AWS IAM role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsOidc {
    /// The IAM role to assume, `arn:aws:iam::{account}:role/{name}`.
    pub role_arn: String,
    /// OIDC token lifetime in seconds. The token file is read again at every registry call,
    /// so it must cover the whole build (at most 7200).
    #[serde(default = "default_federated_lifetime")]
    pub lifetime: u32,
    /// An explicit `--audience`; leave unset for `sts.amazonaws.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
}

fn default_federated_lifetime() -> u32 {
    3600
}

/// Google Artifact Registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArtifactRegistry {
    /// The repository's location, e.g. `europe` or `us-central1`.
    pub location: String,
    /// The Google Cloud project id.
    pub project: String,
    /// The Artifact Registry repository.
    pub repository: String,
    /// How the step authenticates.
    #[serde(default)]
    pub auth: GcpAuth,
}

/// Legacy Google Container Registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GcrRegistry {
    /// `gcr.io`, `us.gcr.io`, `eu.gcr.io` or `asia.gcr.io`.
    #[serde(default = "default_gcr_host")]
    pub host: String,
    /// The Google Cloud project id.
    pub project: String,
    /// How the step authenticates.
    #[serde(default)]
    pub auth: GcpAuth,
}

fn default_gcr_host() -> String {
    "gcr.io".to_string()
}

/// How to authenticate to Google Cloud.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GcpAuth {
    /// GKE Workload Identity (or the node's metadata server), through Kaniko's built-in
    /// Google keychain.
    #[default]
    WorkloadIdentity,
    /// A Buildkite OIDC token exchanged through Workload Identity Federation, with an
    /// `external_account` credentials file.
    Oidc(GcpOidc),
    /// A service-account key file from a secret (`GOOGLE_APPLICATION_CREDENTIALS`).
    KeySecret {
        /// Where the key JSON comes from.
        secret: SecretRef,
    },
}

/// Buildkite OIDC federated through Google Workload Identity Federation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GcpOidc {
    /// The provider's full resource name:
    /// `//iam.googleapis.com/projects/{number}/locations/global/workloadIdentityPools/{pool}/providers/{provider}`.
    pub provider: String,
    /// The service account to impersonate (`name@project.iam.gserviceaccount.com`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    /// OIDC token lifetime in seconds (at most 7200).
    #[serde(default = "default_federated_lifetime")]
    pub lifetime: u32,
    /// An explicit `--audience`; leave unset for the provider's resource name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
}

/// Docker Hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DockerHubRegistry {
    /// The user or organization the image belongs to (`docker.io/{namespace}/{name}`).
    pub namespace: String,
    /// The Docker Hub user that logs in.
    pub username: String,
    /// A Docker Hub access token with write access.
    pub token: SecretRef,
}

/// GitHub Container Registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GhcrRegistry {
    /// The user or organization (`ghcr.io/{owner}`), lowercase.
    pub owner: String,
    /// The GitHub user that logs in.
    pub username: String,
    /// A token with `write:packages`.
    pub token: SecretRef,
}

/// Azure Container Registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcrRegistry {
    /// The registry name (`{name}.azurecr.io`).
    pub name: String,
    /// How the step authenticates.
    #[serde(default)]
    pub auth: AcrAuth,
}

/// How to authenticate to Azure Container Registry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcrAuth {
    /// Kaniko's built-in `acr-env` helper with `AZURE_*` variables already set for the job
    /// (service principal or managed identity).
    #[default]
    AcrEnv,
    /// A Buildkite OIDC token federated into an Entra ID application (acr-env with
    /// `AZURE_FEDERATED_TOKEN_FILE`).
    Oidc(AzureOidc),
    /// A user name and password (admin user, or a service principal's id and secret).
    Password {
        /// The user name.
        username: String,
        /// The password.
        password: SecretRef,
    },
}

/// Buildkite OIDC federated into Entra ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AzureOidc {
    /// The directory (tenant) id, a UUID.
    pub tenant_id: String,
    /// The application (client) id, a UUID.
    pub client_id: String,
    /// OIDC token lifetime in seconds. acr-env reads the file at every registry call, so it
    /// must cover the whole build (at most 7200).
    #[serde(default = "default_federated_lifetime")]
    pub lifetime: u32,
    /// An explicit `--audience`; leave unset for `api://AzureADTokenExchange`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
}

/// Quay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuayRegistry {
    /// `quay.io`, or a self-hosted Quay.
    #[serde(default = "default_quay_host")]
    pub host: String,
    /// The organization or user (`quay.io/{organization}`).
    pub organization: String,
    /// The robot account (`org+robot`) or user.
    pub username: String,
    /// Its token.
    pub token: SecretRef,
}

fn default_quay_host() -> String {
    "quay.io".to_string()
}

/// GitLab Container Registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitlabRegistry {
    /// `registry.gitlab.com` or a self-managed registry host.
    #[serde(default = "default_gitlab_host")]
    pub host: String,
    /// The project path (`group/project`), lowercase.
    pub project: String,
    /// The user or deploy-token user name.
    pub username: String,
    /// The token with `write_registry`.
    pub token: SecretRef,
}

fn default_gitlab_host() -> String {
    "registry.gitlab.com".to_string()
}

/// Any other registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfHostedRegistry {
    /// `host` or `host:port`, no scheme.
    pub host: String,
    /// The path under the host images go to (a Harbor project, for example); may be empty.
    #[serde(default)]
    pub path: String,
    /// The user name; empty for a registry that accepts anonymous pushes.
    #[serde(default)]
    pub username: String,
    /// The password or token, when `username` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<SecretRef>,
    /// A PEM CA certificate file inside the executor container (passed as
    /// `--registry-certificate host=path`), for registries with a private CA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<String>,
    /// Push over plain HTTP. Only for throwaway test registries: the credentials travel in
    /// clear text.
    #[serde(default)]
    pub insecure: bool,
}

// ---------------------------------------------------------------------------------------------
// The image

/// What is built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// The image name under the registry's path (`my-app`, or `team/my-app`). May be empty for
    /// ECR when the registry's `repository` already names the image.
    #[serde(default)]
    pub name: String,
    /// Tags pushed; each is a fixed text or a build variable expanded at run time.
    #[serde(default = "default_tags")]
    pub tags: Vec<Tag>,
    /// The Dockerfile, relative to the context.
    #[serde(default = "default_dockerfile")]
    pub dockerfile: String,
    /// The build context, relative to the checkout.
    #[serde(default = "default_context")]
    pub context: String,
    /// `--context-sub-path`: a sub-directory of the context.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub context_sub_path: String,
    /// `--build-arg` values, `KEY=VALUE` each, passed literally (`$NAME` is not expanded). A
    /// bare `KEY` makes Kaniko read the value from its own environment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub build_args: Vec<String>,
    /// `--target`: the stage to build.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target: String,
    /// `--label` values, `KEY=VALUE` each, passed literally.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// `--custom-platform`, e.g. `linux/arm64`; empty for the agent's platform.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub platform: String,
}

fn default_tags() -> Vec<Tag> {
    vec![Tag::BuildNumber]
}

fn default_dockerfile() -> String {
    "Dockerfile".to_string()
}

fn default_context() -> String {
    ".".to_string()
}

/// One image tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tag {
    /// A fixed tag such as `latest` or `v1.2.3`.
    Fixed(String),
    /// The full commit SHA (`BUILDKITE_COMMIT`).
    Commit,
    /// The first 7 characters of the commit SHA.
    ShortCommit,
    /// The build number (`BUILDKITE_BUILD_NUMBER`).
    BuildNumber,
    /// The branch name (`BUILDKITE_BRANCH`), with characters not allowed in tags replaced by `-`.
    Branch,
}

impl Tag {
    /// The Buildkite variable the tag is read from at run time, if any.
    pub fn variable(&self) -> Option<&'static str> {
        match self {
            Tag::Fixed(_) => None,
            Tag::Commit | Tag::ShortCommit => Some("BUILDKITE_COMMIT"),
            Tag::BuildNumber => Some("BUILDKITE_BUILD_NUMBER"),
            Tag::Branch => Some("BUILDKITE_BRANCH"),
        }
    }

    /// A short human description: the fixed text, or `{build number}`-style words.
    pub fn describe(&self) -> String {
        match self {
            Tag::Fixed(t) => t.clone(),
            Tag::Commit => "<commit>".to_string(),
            Tag::ShortCommit => "<short commit>".to_string(),
            Tag::BuildNumber => "<build number>".to_string(),
            Tag::Branch => "<branch>".to_string(),
        }
    }
}

/// A destination: the repository (without tag) and one tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageReference {
    /// `host/path/name`, no tag.
    pub repository: String,
    /// The tag, possibly expanded at run time.
    pub tag: Tag,
}

// ---------------------------------------------------------------------------------------------
// Kaniko

/// How the Kaniko executor is run.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kaniko {
    /// The executor image.
    #[serde(default)]
    pub executor: ExecutorImage,
    /// Pin the executor by digest (`sha256:…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// `--verbosity`.
    #[serde(default)]
    pub verbosity: Verbosity,
    /// `--log-timestamp`.
    #[serde(default)]
    pub log_timestamp: bool,
    /// `--cache=true`: the layer cache.
    #[serde(default)]
    pub cache: bool,
    /// `--cache-repo`: repository without tag; empty for Kaniko's default `<destination>/cache`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cache_repo: String,
    /// `--cache-ttl` as a Go duration (`336h`, `6h`); empty for Kaniko's two weeks.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cache_ttl: String,
    /// `--digest-file`: where the pushed digest is written.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub digest_file: String,
    /// `--no-push`: build only.
    #[serde(default)]
    pub no_push: bool,
    /// `--reproducible`: strip timestamps.
    #[serde(default)]
    pub reproducible: bool,
    /// `--snapshot-mode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_mode: Option<SnapshotMode>,
    /// `--single-snapshot`.
    #[serde(default)]
    pub single_snapshot: bool,
    /// `--skip-unused-stages`.
    #[serde(default)]
    pub skip_unused_stages: bool,
    /// Further executor arguments, one per element (`--push-retry=3`), checked against the
    /// executor's real flags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_flags: Vec<String>,
}

/// The executor image.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExecutorImage {
    /// `gcr.io/kaniko-project/executor:v1.24.0`: Google's final release, no shell.
    Google,
    /// `gcr.io/kaniko-project/executor:v1.24.0-debug`: with busybox `/bin/sh`.
    #[default]
    GoogleDebug,
    /// `cgr.dev/chainguard/kaniko:{tag}` (needs a Chainguard subscription).
    Chainguard {
        /// The tag, e.g. `latest`, or a shell-bearing variant.
        #[serde(default = "default_chainguard_tag")]
        tag: String,
        /// Whether this tag has `/bin/sh` (needed on the Kubernetes stack).
        #[serde(default)]
        shell: bool,
    },
    /// Any other reference, e.g. an executor your team builds from the Chainguard fork.
    Custom {
        /// `registry/path:tag` (without digest: use `kaniko.digest`).
        reference: String,
        /// Whether the image has `/bin/sh` (needed on the Kubernetes stack).
        #[serde(default)]
        shell: bool,
        /// Which code base it is built from, for flag checks.
        #[serde(default)]
        family: ExecutorFamily,
    },
}

fn default_chainguard_tag() -> String {
    "latest".to_string()
}

impl ExecutorImage {
    /// The image reference without digest.
    pub fn reference(&self) -> String {
        match self {
            ExecutorImage::Google => format!("{GOOGLE_EXECUTOR_REPOSITORY}:{GOOGLE_EXECUTOR_VERSION}"),
            ExecutorImage::GoogleDebug => format!("{GOOGLE_EXECUTOR_REPOSITORY}:{GOOGLE_EXECUTOR_VERSION}-debug"),
            ExecutorImage::Chainguard { tag, .. } => format!("{CHAINGUARD_EXECUTOR_REPOSITORY}:{tag}"),
            ExecutorImage::Custom { reference, .. } => reference.clone(),
        }
    }

    /// Does the image have `/bin/sh`?
    pub fn has_shell(&self) -> bool {
        match self {
            ExecutorImage::Google => false,
            ExecutorImage::GoogleDebug => true,
            ExecutorImage::Chainguard { shell, .. } | ExecutorImage::Custom { shell, .. } => *shell,
        }
    }

    /// Which flag set the executor understands.
    pub fn family(&self) -> ExecutorFamily {
        match self {
            ExecutorImage::Google | ExecutorImage::GoogleDebug => ExecutorFamily::Google,
            ExecutorImage::Chainguard { .. } => ExecutorFamily::Chainguard,
            ExecutorImage::Custom { family, .. } => *family,
        }
    }

    /// The path of the executor binary inside the image.
    pub fn executor_path(&self) -> &'static str {
        "/kaniko/executor"
    }
}

/// The code base an executor is built from; decides which flags exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExecutorFamily {
    /// Google's `GoogleContainerTools/kaniko` up to v1.24.0.
    #[default]
    Google,
    /// Chainguard's fork (v1.25.x): Google's flags plus `--annotation`.
    Chainguard,
}

/// `--verbosity` levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verbosity {
    Panic,
    Fatal,
    Error,
    Warn,
    #[default]
    Info,
    Debug,
    Trace,
}

impl Verbosity {
    /// The flag value.
    pub fn as_str(self) -> &'static str {
        match self {
            Verbosity::Panic => "panic",
            Verbosity::Fatal => "fatal",
            Verbosity::Error => "error",
            Verbosity::Warn => "warn",
            Verbosity::Info => "info",
            Verbosity::Debug => "debug",
            Verbosity::Trace => "trace",
        }
    }
}

/// `--snapshot-mode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotMode {
    /// Content and metadata (Kaniko's default).
    Full,
    /// mtime, size, mode, uid and gid: much faster.
    Redo,
    /// mtime only.
    Time,
}

impl SnapshotMode {
    /// The flag value.
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotMode::Full => "full",
            SnapshotMode::Redo => "redo",
            SnapshotMode::Time => "time",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Extras

/// Optional additions.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extras {
    /// Elastic only: after the push, pull the image with a freshly minted token and run it.
    #[serde(default)]
    pub pull_and_run: bool,
    /// Arguments passed to the image when it is run for verification (empty: its default
    /// command).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pull_and_run_args: Vec<String>,
    /// Let the step's env switch behaviour without editing the script: `KANIKO_DEBUG=1` runs
    /// the debug image, `KANIKO_VERBOSITY` overrides the verbosity, `KANIKO_NO_PUSH=1` builds
    /// without pushing.
    #[serde(default)]
    pub env_switches: bool,
    /// Package Registries with an OIDC token: mint a new token every few minutes while Kaniko
    /// runs and rewrite `config.json`, so builds longer than the token's 5 minutes still push.
    #[serde(default, skip_serializing_if = "is_false")]
    pub refresh_credentials: bool,
    /// Verify the executor image's signature with cosign before running it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_executor: Option<CosignKey>,
    /// Also generate a pipeline that builds and signs your own executor from the Chainguard
    /// fork.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_executor: Option<ExecutorBuild>,
}

/// The public key cosign verifies the executor with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CosignKey {
    /// Google's published key (`cosign.pub` in the Kaniko repository); Google images only.
    Google,
    /// Your own key: a path or URL cosign accepts for `--key`.
    Key(String),
}

/// Building your own executor from the Chainguard fork's `deploy/Dockerfile`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecutorBuild {
    /// The fork's git tag to build, e.g. `v1.25.5`.
    pub git_ref: String,
    /// Where the executor is pushed (repository without tag); the debug image gets the
    /// `-debug` suffix on its tags.
    pub repository: String,
    /// Sign the pushed images with cosign, with this key (path or KMS URI); unset: no signing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_key: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

// ---------------------------------------------------------------------------------------------
// Helpers every consumer needs

impl Registry {
    /// A short name for messages (`Buildkite Package Registries`, `Amazon ECR` …).
    pub fn display_name(&self) -> &'static str {
        match self {
            Registry::BuildkitePackages(_) => "Buildkite Package Registries",
            Registry::Ecr(_) => "Amazon ECR",
            Registry::EcrPublic(_) => "Amazon ECR Public",
            Registry::ArtifactRegistry(_) => "Google Artifact Registry",
            Registry::Gcr(_) => "Google Container Registry",
            Registry::DockerHub(_) => "Docker Hub",
            Registry::Ghcr(_) => "GitHub Container Registry",
            Registry::Acr(_) => "Azure Container Registry",
            Registry::Quay(_) => "Quay",
            Registry::Gitlab(_) => "GitLab Container Registry",
            Registry::SelfHosted(_) => "self-hosted registry",
        }
    }

    /// The serde name of the variant (`buildkite_packages`, `ecr` …): the field path prefix
    /// under `registry.`.
    pub fn kind(&self) -> &'static str {
        match self {
            Registry::BuildkitePackages(_) => "buildkite_packages",
            Registry::Ecr(_) => "ecr",
            Registry::EcrPublic(_) => "ecr_public",
            Registry::ArtifactRegistry(_) => "artifact_registry",
            Registry::Gcr(_) => "gcr",
            Registry::DockerHub(_) => "docker_hub",
            Registry::Ghcr(_) => "ghcr",
            Registry::Acr(_) => "acr",
            Registry::Quay(_) => "quay",
            Registry::Gitlab(_) => "gitlab",
            Registry::SelfHosted(_) => "self_hosted",
        }
    }

    /// The registry host as Kaniko resolves credentials for it (`host[:port]`).
    pub fn host(&self) -> String {
        match self {
            Registry::BuildkitePackages(_) => PACKAGES_HOST.to_string(),
            Registry::Ecr(r) => format!("{}.dkr.ecr.{}.amazonaws.com", r.account, r.region),
            Registry::EcrPublic(_) => "public.ecr.aws".to_string(),
            Registry::ArtifactRegistry(r) => format!("{}-docker.pkg.dev", r.location),
            Registry::Gcr(r) => r.host.clone(),
            Registry::DockerHub(_) => "docker.io".to_string(),
            Registry::Ghcr(_) => "ghcr.io".to_string(),
            Registry::Acr(r) => format!("{}.azurecr.io", r.name),
            Registry::Quay(r) => r.host.clone(),
            Registry::Gitlab(r) => r.host.clone(),
            Registry::SelfHosted(r) => r.host.clone(),
        }
    }

    /// The path under the host that images go to (`acme/docker-images`, `my-project/repo`);
    /// may be empty.
    pub fn path(&self) -> String {
        match self {
            Registry::BuildkitePackages(r) => format!("{}/{}", r.org, r.registry),
            Registry::Ecr(r) => r.repository.clone(),
            Registry::EcrPublic(r) => r.alias.clone(),
            Registry::ArtifactRegistry(r) => format!("{}/{}", r.project, r.repository),
            Registry::Gcr(r) => r.project.clone(),
            Registry::DockerHub(r) => r.namespace.clone(),
            Registry::Ghcr(r) => r.owner.clone(),
            Registry::Acr(_) => String::new(),
            Registry::Quay(r) => r.organization.clone(),
            Registry::Gitlab(r) => r.project.clone(),
            Registry::SelfHosted(r) => r.path.trim_matches('/').to_string(),
        }
    }

    /// `host/path` (or just `host`): the prefix of every image reference.
    pub fn prefix(&self) -> String {
        join_path(&self.host(), &self.path())
    }

    /// The key of this registry in `config.json`'s `auths` (Docker Hub's is
    /// `https://index.docker.io/v1/`; Package Registries use `host/org/registry`).
    pub fn auth_key(&self) -> String {
        match self {
            Registry::DockerHub(_) => DOCKER_HUB_AUTH_KEY.to_string(),
            Registry::BuildkitePackages(r) => Audience::from_slugs(&r.org, &r.registry).host_path,
            other => other.host(),
        }
    }

    /// The OIDC audience the step must request, when the registry's auth uses a Buildkite
    /// OIDC token: the explicit `audience` if set, else [`Registry::expected_audience`].
    pub fn audience(&self) -> Option<String> {
        let explicit = match self {
            Registry::BuildkitePackages(r) if r.auth == PackagesAuth::Oidc => r.audience.clone(),
            Registry::Ecr(EcrRegistry { auth: AwsAuth::Oidc(o), .. })
            | Registry::EcrPublic(EcrPublicRegistry { auth: AwsAuth::Oidc(o), .. }) => o.audience.clone(),
            Registry::ArtifactRegistry(ArtifactRegistry { auth: GcpAuth::Oidc(o), .. })
            | Registry::Gcr(GcrRegistry { auth: GcpAuth::Oidc(o), .. }) => o.audience.clone(),
            Registry::Acr(AcrRegistry { auth: AcrAuth::Oidc(o), .. }) => o.audience.clone(),
            _ => None,
        };
        explicit.or_else(|| self.expected_audience())
    }

    /// The audience the token's consumer expects, when the auth uses a Buildkite OIDC token:
    /// `https://packages.buildkite.com/{org}/{registry}`, `sts.amazonaws.com`, the GCP
    /// provider's full resource name, or `api://AzureADTokenExchange`.
    pub fn expected_audience(&self) -> Option<String> {
        match self {
            Registry::BuildkitePackages(r) if r.auth == PackagesAuth::Oidc => {
                Some(Audience::from_slugs(&r.org, &r.registry).url)
            }
            Registry::Ecr(EcrRegistry { auth: AwsAuth::Oidc(_), .. })
            | Registry::EcrPublic(EcrPublicRegistry { auth: AwsAuth::Oidc(_), .. }) => Some(AWS_AUDIENCE.to_string()),
            Registry::ArtifactRegistry(ArtifactRegistry { auth: GcpAuth::Oidc(o), .. })
            | Registry::Gcr(GcrRegistry { auth: GcpAuth::Oidc(o), .. }) => Some(o.provider.clone()),
            Registry::Acr(AcrRegistry { auth: AcrAuth::Oidc(_), .. }) => Some(AZURE_AUDIENCE.to_string()),
            _ => None,
        }
    }

    /// The OIDC token lifetime in seconds, when the auth uses a Buildkite OIDC token.
    pub fn oidc_lifetime(&self) -> Option<u32> {
        match self {
            Registry::BuildkitePackages(r) if r.auth == PackagesAuth::Oidc => Some(r.lifetime),
            Registry::Ecr(EcrRegistry { auth: AwsAuth::Oidc(o), .. })
            | Registry::EcrPublic(EcrPublicRegistry { auth: AwsAuth::Oidc(o), .. }) => Some(o.lifetime),
            Registry::ArtifactRegistry(ArtifactRegistry { auth: GcpAuth::Oidc(o), .. })
            | Registry::Gcr(GcrRegistry { auth: GcpAuth::Oidc(o), .. }) => Some(o.lifetime),
            Registry::Acr(AcrRegistry { auth: AcrAuth::Oidc(o), .. }) => Some(o.lifetime),
            _ => None,
        }
    }

    /// The field path of the OIDC settings (for diagnostics), e.g. `registry.ecr.auth.oidc`.
    pub fn oidc_field(&self) -> Option<String> {
        match self {
            Registry::BuildkitePackages(r) if r.auth == PackagesAuth::Oidc => {
                Some("registry.buildkite_packages".to_string())
            }
            _ => self.expected_audience().map(|_| format!("registry.{}.auth.oidc", self.kind())),
        }
    }

    /// Every secret the registry's auth reads, with its field path.
    pub fn secrets(&self) -> Vec<(String, &SecretRef)> {
        let k = self.kind();
        let f = |rest: &str| format!("registry.{k}.{rest}");
        match self {
            Registry::BuildkitePackages(PackagesRegistry { auth: PackagesAuth::ApiToken { secret }, .. }) => {
                vec![(f("auth.api_token.secret"), secret)]
            }
            Registry::Ecr(EcrRegistry { auth: AwsAuth::Credentials { access_key_id, secret_access_key }, .. })
            | Registry::EcrPublic(EcrPublicRegistry {
                auth: AwsAuth::Credentials { access_key_id, secret_access_key },
                ..
            }) => vec![
                (f("auth.credentials.access_key_id"), access_key_id),
                (f("auth.credentials.secret_access_key"), secret_access_key),
            ],
            Registry::ArtifactRegistry(ArtifactRegistry { auth: GcpAuth::KeySecret { secret }, .. })
            | Registry::Gcr(GcrRegistry { auth: GcpAuth::KeySecret { secret }, .. }) => {
                vec![(f("auth.key_secret.secret"), secret)]
            }
            Registry::DockerHub(DockerHubRegistry { token, .. })
            | Registry::Ghcr(GhcrRegistry { token, .. })
            | Registry::Quay(QuayRegistry { token, .. })
            | Registry::Gitlab(GitlabRegistry { token, .. }) => vec![(f("token"), token)],
            Registry::Acr(AcrRegistry { auth: AcrAuth::Password { password, .. }, .. }) => {
                vec![(f("auth.password.password"), password)]
            }
            Registry::SelfHosted(SelfHostedRegistry { password: Some(p), .. }) => vec![(f("password"), p)],
            _ => Vec::new(),
        }
    }
}

/// Join `a/b` without doubled or dangling slashes.
fn join_path(a: &str, b: &str) -> String {
    let b = b.trim_matches('/');
    if b.is_empty() { a.to_string() } else { format!("{a}/{b}") }
}

impl BuildConfig {
    /// A minimal configuration for a registry and stack; what `init` and the wizard start from.
    pub fn new(stack: Stack, registry: Registry, image_name: &str) -> Self {
        BuildConfig {
            version: CONFIG_VERSION,
            stack,
            registry,
            image: Image {
                name: image_name.to_string(),
                tags: default_tags(),
                dockerfile: default_dockerfile(),
                context: default_context(),
                context_sub_path: String::new(),
                build_args: Vec::new(),
                target: String::new(),
                labels: Vec::new(),
                platform: String::new(),
            },
            kaniko: Kaniko::default(),
            extras: Extras::default(),
            max_build_minutes: None,
        }
    }

    /// The registry host Kaniko pushes to.
    pub fn destination_registry_host(&self) -> String {
        self.registry.host()
    }

    /// The image repository without tag: `host/path/name`.
    pub fn repository(&self) -> String {
        join_path(&self.registry.prefix(), &self.image.name)
    }

    /// One reference per tag, in the configured order.
    pub fn image_references(&self) -> Vec<ImageReference> {
        let repository = self.repository();
        self.image
            .tags
            .iter()
            .map(|tag| ImageReference { repository: repository.clone(), tag: tag.clone() })
            .collect()
    }

    /// The executor image reference, with `@digest` when pinned.
    pub fn executor_image_ref(&self) -> String {
        let reference = self.kaniko.executor.reference();
        match &self.kaniko.digest {
            Some(d) if !d.trim().is_empty() => format!("{reference}@{}", d.trim()),
            _ => reference,
        }
    }

    /// The cache repository Kaniko will use when the cache is on: the configured one, or its
    /// default `<repository>/cache`.
    pub fn effective_cache_repo(&self) -> String {
        if self.kaniko.cache_repo.trim().is_empty() {
            format!("{}/cache", self.repository())
        } else {
            self.kaniko.cache_repo.trim().to_string()
        }
    }

    /// The OIDC audience the step requests, if any (see [`Registry::audience`]).
    pub fn audience(&self) -> Option<String> {
        self.registry.audience()
    }

    /// True on the Kubernetes stack.
    pub fn is_kubernetes(&self) -> bool {
        matches!(self.stack, Stack::Kubernetes(_))
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn packages() -> BuildConfig {
        BuildConfig::new(
            Stack::Kubernetes(KubernetesStack::default()),
            Registry::BuildkitePackages(PackagesRegistry {
                org: "acme".into(),
                registry: "docker-images".into(),
                auth: PackagesAuth::Oidc,
                lifetime: 300,
                audience: None,
                pipelines: Vec::new(),
                branches: Vec::new(),
            }),
            "my-app",
        )
    }

    #[test]
    fn packages_references_and_audience() {
        let c = packages();
        assert_eq!(c.repository(), "packages.buildkite.com/acme/docker-images/my-app");
        assert_eq!(c.audience().as_deref(), Some("https://packages.buildkite.com/acme/docker-images"));
        assert_eq!(c.registry.auth_key(), "packages.buildkite.com/acme/docker-images");
        assert_eq!(c.executor_image_ref(), "gcr.io/kaniko-project/executor:v1.24.0-debug");
        assert_eq!(c.image_references()[0].tag, Tag::BuildNumber);
        assert_eq!(c.effective_cache_repo(), "packages.buildkite.com/acme/docker-images/my-app/cache");
    }

    #[test]
    fn ecr_repository_may_carry_the_name() {
        let mut c = packages();
        c.registry = Registry::Ecr(EcrRegistry {
            account: "123456789012".into(),
            region: "eu-west-1".into(),
            repository: "team/app".into(),
            auth: AwsAuth::Oidc(AwsOidc { role_arn: "arn:aws:iam::123456789012:role/x".into(), lifetime: 3600, audience: None }),
        });
        c.image.name = String::new();
        assert_eq!(c.repository(), "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app");
        assert_eq!(c.audience().as_deref(), Some("sts.amazonaws.com"));
        assert_eq!(c.registry.oidc_field().as_deref(), Some("registry.ecr.auth.oidc"));
    }

    #[test]
    fn the_minimal_yaml_in_the_docs_loads_with_defaults() {
        let yaml = "version: 1\nstack:\n  kubernetes: {}\nregistry:\n  buildkite_packages:\n    org: acme\n    registry: docker-images\nimage:\n  name: my-app\n";
        let c = BuildConfig::from_yaml_str(yaml).expect("minimal config");
        assert_eq!(c, packages());
        let json = serde_json::to_string(&c).expect("json");
        let back: BuildConfig = serde_json::from_str(&json).expect("json back");
        assert_eq!(back, c);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let yaml = "version: 1\nstack:\n  kubernetes: {queue: k8s, quue: x}\nregistry:\n  ecr: {account: '1', region: r}\nimage: {}\n";
        assert!(BuildConfig::from_yaml_str(yaml).is_err());
    }

    #[test]
    fn docker_hub_key_and_digest_pin() {
        let mut c = packages();
        c.registry = Registry::DockerHub(DockerHubRegistry {
            namespace: "acme".into(),
            username: "acmebot".into(),
            token: SecretRef::Env { var: "DOCKERHUB_TOKEN".into() },
        });
        c.kaniko.digest = Some("sha256:abc".into());
        assert_eq!(c.registry.auth_key(), "https://index.docker.io/v1/");
        assert_eq!(c.repository(), "docker.io/acme/my-app");
        assert_eq!(c.audience(), None);
        assert_eq!(c.executor_image_ref(), "gcr.io/kaniko-project/executor:v1.24.0-debug@sha256:abc");
    }
}
