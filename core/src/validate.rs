//! Validation of a [`BuildConfig`]: everything that would fail in the pipeline (errors), is
//! likely to fail or is unsafe (warnings), or is worth knowing (info), each with the field it
//! is about (serde names, dotted: `registry.ecr.account`, `image.build_args[2]`) so the web app
//! can show the message beside the field.
//!
//! Conventions the generators follow and these rules rely on:
//! - Every string in the configuration reaches its consumer literally: the generators quote
//!   values for shell and escape `$` as `$$` in `pipeline.yml`, so `$NAME` is never expanded.
//!   Run-time values are the `Tag` variants (commit, build number, branch), and a bare `NAME`
//!   build arg, which Kaniko reads from its own environment.
//! - Facts come from `../shared/reference/` (`buildkite.md` §2 and §7, `kaniko.md` §5, §6 and §9,
//!   `oidc-federation.md`).

use crate::audience::{SlugKind, check_slug};
use crate::config::*;
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::kaniko_flags::{check_executor_args, is_go_duration};

const DOCS_PACKAGES_OIDC: &str = "https://buildkite.com/docs/package-registries/security/oidc";
const DOCS_OIDC: &str = "https://buildkite.com/docs/agent/cli/reference/oidc";
const DOCS_AWS_OIDC: &str = "https://buildkite.com/docs/pipelines/security/oidc/aws";
const DOCS_GCP_WIF: &str = "https://cloud.google.com/iam/docs/workload-identity-federation";
const DOCS_KANIKO: &str = "https://github.com/GoogleContainerTools/kaniko#readme";
const DOCS_KANIKO_CACHE: &str = "https://github.com/GoogleContainerTools/kaniko#caching";
const DOCS_K8S_KANIKO: &str = "https://buildkite.com/docs/agent/self-hosted/agent-stack-k8s/kaniko-container-builds";
const DOCS_ELASTIC_KANIKO: &str =
    "https://buildkite.com/docs/agent/self-hosted/aws/elastic-ci-stack/ec2-linux-and-windows/kaniko-container-builds";
const DOCS_INTERPOLATION: &str =
    "https://buildkite.com/docs/agent/cli/reference/pipeline#environment-variable-substitution";
const DOCS_REFERENCE: &str = "https://docs.docker.com/reference/cli/docker/image/tag/";
const DOCS_ECR_CREATE: &str = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-create.html";
const DOCS_K8S_NAMES: &str = "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/";
const DOCS_TOKENS: &str = "https://buildkite.com/docs/platform/security/tokens";

macro_rules! rules {
    ($($id:literal $name:literal $sev:ident $summary:literal why: $why:literal example: $example:literal fix: $fix:literal docs: $docs:expr;)*) => {
        /// Rules reported by this module.
        pub static RULES: &[Rule] = &[$(Rule {
            id: $id, name: reference!($name), severity: Severity::$sev, summary: reference!($summary), why: reference!($why),
            example: reference!($example), fix: reference!($fix), docs: $docs,
        }),*];
    };
}

rules! {
    "KS110" "placeholder-value" Error "A field holds a placeholder copied from documentation (`{…}`, `<…>`, `your-…`, `changeme`)."
        why: "Placeholders end up verbatim in image references, audiences and policies, and the push fails with 401, 403 or `Invalid 'aud' claim`."
        example: "registry: {ecr: {account: \"<account-id>\"}}"
        fix: "Replace the placeholder with the real value."
        docs: DOCS_PACKAGES_OIDC;
    "KS111" "audience-mismatch" Error "An explicit OIDC audience differs from what its consumer expects."
        why: "Package Registries compare `aud` with `https://packages.buildkite.com/{org}/{registry}` exactly; AWS STS expects `sts.amazonaws.com`; Google expects the provider's full resource name; Entra ID expects `api://AzureADTokenExchange`. Anything else is rejected (`Invalid 'aud' claim`, `Incorrect token audience`, AADSTS700212)."
        example: "audience: https://packages.buildkite.com/acme/docker-images/"
        fix: "Remove the `audience` field so the right one is derived, or correct it."
        docs: DOCS_OIDC;
    "KS112" "cache-registry-differs" Warning "The cache repository is on another registry (or another Package Registries registry) than the destination."
        why: "The step only holds credentials for the destination. Kaniko does not pre-check the cache repository and only warns when cache pushes fail, so the cache silently never works. One config.json cannot hold tokens for two Package Registries registries."
        example: "cache_repo: packages.buildkite.com/acme/other-registry/cache"
        fix: "Put the cache repository on the destination registry, e.g. `<destination repository>-cache`."
        docs: DOCS_KANIKO_CACHE;
    "KS113" "packages-token-lifetime" Error "The Package Registries OIDC token lifetime is more than 300 seconds (or 0)."
        why: "Package Registries reject tokens whose `exp - iat` is more than 5 minutes."
        example: "lifetime: 3600"
        fix: "Use `lifetime: 300` (or less), and an API token for builds that take longer."
        docs: DOCS_PACKAGES_OIDC;
    "KS114" "oidc-token-lifetime" Error "An OIDC token lifetime is more than the agent's 7200-second maximum (or 0)."
        why: "The agent API answers `422 Requested lifetime too high (requested: N max: 7200)` and no token is minted."
        example: "lifetime: 14400"
        fix: "Use at most 7200 seconds."
        docs: "https://buildkite.com/docs/platform/limits";
    "KS115" "kubernetes-executor-shell" Error "On the Kubernetes stack the executor image has no shell."
        why: "The step's command runs in the command container through `/bin/sh`; `gcr.io/kaniko-project/executor:v1.24.0` has no shell, so the job fails before Kaniko starts."
        example: "stack: {kubernetes: {}}, kaniko: {executor: google}"
        fix: "Use `executor: google_debug` (busybox `/bin/sh`), or an image with a shell and `shell: true`."
        docs: DOCS_K8S_KANIKO;
    "KS116" "cache-repo-format" Error "The cache repository has a tag, a digest or a scheme, or no repository path."
        why: "Kaniko appends `:<cache key>` to the cache repository; a tag gives `repo:tag:key`, which is rejected, and a bare host is read as a Docker Hub repository. The cache silently never works."
        example: "cache_repo: registry.example.com/app:cache"
        fix: "Write `host/path` without tag, digest or `https://`."
        docs: DOCS_KANIKO_CACHE;
    "KS117" "docker-hub-default-cache" Error "The cache is on with Docker Hub and no cache repository."
        why: "Kaniko's default cache repository is `<destination>/cache`, a nested repository Docker Hub does not allow (401)."
        example: "registry: {docker_hub: …}, kaniko: {cache: true}"
        fix: "Set `kaniko.cache_repo` to a repository of its own, e.g. `docker.io/<namespace>/<name>-cache`."
        docs: DOCS_KANIKO_CACHE;
    "KS118" "ecr-repository-must-exist" Info "ECR repositories must exist before the first push."
        why: "ECR does not create repositories on push; pushing to a missing one fails with `name unknown`. Kaniko's default cache repository `<repository>/cache` must exist too."
        example: "registry: {ecr: {repository: team/app}}"
        fix: "Create the repository (and the cache repository) once, e.g. with `aws ecr create-repository`."
        docs: DOCS_ECR_CREATE;
    "KS119" "elastic-ecr-access-policy" Error "On the Elastic stack the instance role pushes to ECR, which needs `ECRAccessPolicy` of `poweruser` or more."
        why: "The stack's default `ECRAccessPolicy` is `none`; `readonly` cannot push."
        example: "stack: {elastic: {ecr_access_policy: readonly}}"
        fix: "Set the stack parameter `ECRAccessPolicy` to `poweruser` (or `full`)."
        docs: "https://github.com/buildkite/elastic-ci-stack-for-aws";
    "KS120" "executor-mutable-tag" Warning "The executor image uses `latest` or no tag, without a digest."
        why: "A moving tag changes the executor under your pipeline without notice."
        example: "custom: {reference: registry.example.com/kaniko/executor}"
        fix: "Use a version tag and pin it with `kaniko.digest`."
        docs: DOCS_KANIKO;
    "KS121" "executor-not-pinned" Info "The executor image is not pinned by digest."
        why: "Tags can be re-pushed; a digest guarantees the image you reviewed is the one that runs."
        example: "kaniko: {executor: google_debug}"
        fix: "Set `kaniko.digest` to the image's `sha256:` digest."
        docs: DOCS_KANIKO;
    "KS122" "kaniko-archived" Info "Google's Kaniko is archived; v1.24.0 is its last release."
        why: "GoogleContainerTools/kaniko was archived in June 2025 and gets no CVE fixes. Chainguard maintains a fork but publishes no free images."
        example: "kaniko: {executor: google}"
        fix: "Plan a move: Chainguard's images (subscription) or your own build of the Chainguard fork (`extras.build_executor`)."
        docs: "https://github.com/chainguard-dev/kaniko";
    "KS123" "token-may-expire" Warning "The build may outlive its OIDC token."
        why: "The token is checked when Kaniko pushes at the end of the build. Package Registries tokens live at most 5 minutes; AWS (ecr-login) and Azure (acr-env) read the token file at every registry call. Kaniko's source confirms a fresh config.json is used at the push: `DoPush` (pkg/executor/push.go) resolves the destination's credentials right before `remote.Write`, and go-containerregistry's default keychain reads config.json from disk at every lookup."
        example: "max_build_minutes: 20 with buildkite_packages and auth: oidc"
        fix: "Keep config.json fresh during the build (Package Registries: `extras.refresh_credentials: true`), use a long-lived credential (`auth: {api_token: …}`), or a longer lifetime where the consumer allows it."
        docs: DOCS_PACKAGES_OIDC;
    "KS124" "double-escaped-variable" Warning "A value contains `$$`, as if escaped for pipeline.yml."
        why: "Kaniko Studio escapes `$` in pipeline.yml itself and passes every value literally, so `$$` in the configuration reaches Kaniko as `$$`."
        example: "build_args: [\"GIT_SHA=$${BUILDKITE_COMMIT}\"]"
        fix: "Write the value Kaniko should receive; for run-time values use the tag kinds or a bare build-arg name."
        docs: DOCS_INTERPOLATION;
    "KS125" "variable-not-expanded" Warning "A value contains a `$VARIABLE`, which is not expanded."
        why: "Kaniko Studio passes every value literally (quoted for the shell, `$` escaped for pipeline.yml), so Kaniko would receive the text `$NAME`. Unescaped in a hand-written pipeline.yml it would instead be interpolated at upload time, usually to an empty string."
        example: "tags: [{fixed: \"$BUILDKITE_BUILD_NUMBER\"}]"
        fix: "Use the run-time tag kinds (`build_number`, `commit`, `short_commit`, `branch`) or the literal value."
        docs: DOCS_INTERPOLATION;
    "KS126" "key-value-form" Error "A build arg or label is not in `KEY=VALUE` form."
        why: "Kaniko rejects labels without `=` (`labels must be of the form key=value`); a build arg without `=` takes its value from the executor's environment, which on the Elastic stack (`docker run`) does not have the step's variables."
        example: "labels: [\"team platform\"]"
        fix: "Write `KEY=VALUE`."
        docs: DOCS_KANIKO;
    "KS127" "extra-flag-managed" Warning "An extra executor flag sets something the configuration already manages."
        why: "The generated step sets these flags from the configuration; a second copy in `extra_flags` conflicts or duplicates it."
        example: "extra_flags: [\"--cache=true\"]"
        fix: "Set the corresponding configuration field instead and remove the flag."
        docs: DOCS_KANIKO;
    "KS128" "registry-field-format" Error "A registry or identity field has the wrong format."
        why: "These values become hostnames, ARNs, resource names and ids; a wrong format gives a host that does not resolve or an identity that does not exist."
        example: "registry: {ecr: {account: \"1234\"}}"
        fix: "Use the format named in the message."
        docs: DOCS_REFERENCE;
    "KS129" "image-name-format" Error "The image repository path is not a valid, lowercase repository name."
        why: "Repository names are lowercase path components of letters, digits and single separators; Docker Hub allows no nesting. The push fails with `repository name must be lowercase` or 401."
        example: "image: {name: My_App}"
        fix: "Use lowercase letters, digits, `.`, `_`, `-` and `/` between components."
        docs: DOCS_REFERENCE;
    "KS130" "tag-format" Error "A tag is invalid, or there is no tag."
        why: "Tags are up to 128 characters of letters, digits, `_`, `.` and `-`, not starting with `.` or `-`; Kaniko needs at least one destination."
        example: "tags: [{fixed: \"release/1.0\"}]"
        fix: "Use a valid tag, or a run-time tag kind."
        docs: DOCS_REFERENCE;
    "KS131" "cosign-key" Error "Executor signature verification cannot work with this key."
        why: "Google's published key only signs Google's images; an empty key path gives cosign nothing to verify with."
        example: "verify_executor: google with executor: {chainguard: …}"
        fix: "Use Google's key with Google's images, or your own key for images you sign."
        docs: "https://github.com/GoogleContainerTools/kaniko#verifying-signed-kaniko-images";
    "KS132" "pull-and-run" Error "Pull-and-run verification is not possible with this configuration."
        why: "It runs `docker pull` and `docker run` on an Elastic host after the push; the Kubernetes stack has no Docker, and with `no_push` nothing is pushed."
        example: "extras: {pull_and_run: true} on the Kubernetes stack"
        fix: "Use it on the Elastic stack with pushing on, or turn it off."
        docs: DOCS_ELASTIC_KANIKO;
    "KS133" "secret-reference" Error "A secret reference cannot be read on this stack, or is malformed."
        why: "Kubernetes Secrets exist only on the Kubernetes stack; names must be valid for their source."
        example: "token: {kubernetes: {name: docker-hub, key: token}} on the Elastic stack"
        fix: "On Elastic use a Buildkite secret or an environment variable; check the names."
        docs: "https://buildkite.com/docs/pipelines/security/secrets/buildkite-secrets";
    "KS134" "no-push-cache-repo" Error "`no_push` with the cache on needs a cache repository."
        why: "Kaniko stops with `cache flags invalid: if using cache with --no-push, specify cache repo with --cache-repo`."
        example: "kaniko: {no_push: true, cache: true}"
        fix: "Set `kaniko.cache_repo`, or turn the cache off for dry runs."
        docs: DOCS_KANIKO_CACHE;
    "KS135" "insecure-registry" Warning "The registry is used over plain HTTP."
        why: "Credentials and images travel unencrypted; anyone on the path can read the password or alter the image."
        example: "self_hosted: {insecure: true}"
        fix: "Serve the registry over TLS; with a private CA, set `ca_cert` instead."
        docs: "https://github.com/GoogleContainerTools/kaniko#flag---insecure";
    "KS136" "cache-ttl-format" Error "The cache TTL is not a Go duration."
        why: "Kaniko fails with `invalid argument \"7d\" for \"--cache-ttl\" flag: time: unknown unit \"d\"`."
        example: "cache_ttl: 7d"
        fix: "Use hours: `168h` for a week."
        docs: DOCS_KANIKO_CACHE;
    "KS137" "digest-format" Error "The executor digest is not `sha256:` followed by 64 hexadecimal digits."
        why: "The image reference would not parse and the step could not pull the executor."
        example: "digest: 4e7a52dd1f14…"
        fix: "Copy the full digest, including `sha256:`."
        docs: DOCS_REFERENCE;
    "KS138" "platform-format" Error "The platform is not `linux/<arch>[/<variant>]`."
        why: "Kaniko fails with `Invalid platform`; it only builds Linux images and does not emulate other CPUs."
        example: "platform: arm64"
        fix: "Write e.g. `linux/arm64`, and run the step on an agent of that architecture."
        docs: DOCS_KANIKO;
    "KS139" "kubernetes-names" Error "A Kubernetes name or path is invalid."
        why: "Container and Secret names are DNS labels/subdomains; mount paths are absolute. The controller cannot create the pod otherwise."
        example: "container: Container_0"
        fix: "Use lowercase letters, digits and `-` (and `.` in Secret names); absolute mount paths."
        docs: DOCS_K8S_NAMES;
    "KS140" "chainguard-access" Info "Chainguard's Kaniko images need a Chainguard subscription for most tags."
        why: "Chainguard publishes Kaniko images at cgr.dev for entitled customers; without access the pull fails."
        example: "executor: {chainguard: {tag: latest}}"
        fix: "Make sure the agents can pull from cgr.dev, or build your own executor."
        docs: "https://images.chainguard.dev/directory/image/kaniko";
    "KS141" "env-switch-kubernetes" Info "`KANIKO_DEBUG` cannot switch the image on the Kubernetes stack."
        why: "The executor image is fixed in the pod spec when the job is scheduled; only the verbosity and no-push switches apply there."
        example: "extras: {env_switches: true} on the Kubernetes stack"
        fix: "Choose the image in `kaniko.executor`; use `KANIKO_VERBOSITY` and `KANIKO_NO_PUSH` at run time."
        docs: DOCS_K8S_KANIKO;
    "KS142" "executor-build" Error "The executor build settings are incomplete or malformed."
        why: "The build pipeline checks out the Chainguard fork at `git_ref` and pushes to `repository:<git_ref>`; both must be usable."
        example: "build_executor: {git_ref: \"\", repository: registry.example.com/kaniko:v1}"
        fix: "Use a fork tag such as `v1.25.5` and a repository without tag."
        docs: "https://github.com/chainguard-dev/kaniko";
    "KS143" "config-version-unsupported" Error "The configuration version is not supported."
        why: "The version says how to read the rest of the configuration."
        example: "version: 9"
        fix: "Use version 1."
        docs: crate::config_file::DOCS_CONFIG;
    "KS144" "required-field-empty" Error "A required field is empty."
        why: "The value is part of an image reference, an identity or a path; it cannot be left out."
        example: "registry: {ecr: {account: \"\"}}"
        fix: "Fill in the field."
        docs: DOCS_REFERENCE;
    "KS145" "packages-api-token-scopes" Info "A Package Registries API token needs the Read Packages and Write Packages scopes."
        why: "Pushing with a token that only reads fails with 403."
        example: "auth: {api_token: {secret: …}}"
        fix: "Create the API access token with Read Packages and Write Packages for the organization."
        docs: "https://buildkite.com/docs/package-registries/ecosystems/oci";
    "KS146" "cloud-identity-stack" Error "The chosen cloud identity does not exist on this stack."
        why: "GKE workload identity needs a GKE node's metadata server; the Elastic stack runs on EC2, where no Google identity is available."
        example: "stack: {elastic: {}}, registry: {artifact_registry: {auth: workload_identity}}"
        fix: "On Elastic use `oidc` (Workload Identity Federation) or a key secret."
        docs: DOCS_GCP_WIF;
    "KS147" "aws-role-on-kubernetes" Info "On the Kubernetes stack the ECR instance role means IRSA or EKS Pod Identity."
        why: "Kaniko's ecr-login helper uses the AWS SDK's default chain; in a pod that is the service account's role (or the node's role when IMDS is reachable)."
        example: "stack: {kubernetes: {}}, registry: {ecr: {auth: instance_role}}"
        fix: "Annotate the agent pods' service account with an IAM role that can push, or use `oidc`."
        docs: DOCS_AWS_OIDC;
    "KS148" "kubernetes-container-name" Warning "The patched container is not `container-0`."
        why: "agent-stack-k8s names the step's command container `container-0` and merges `podSpecPatch` containers by name: another name adds a second container, and the command still runs in an image without Kaniko."
        example: "stack: {kubernetes: {container: kaniko}}"
        fix: "Use `container-0`, unless your own plugin `podSpec` names the command container otherwise."
        docs: "https://buildkite.com/docs/agent/self-hosted/agent-stack-k8s/podspec";
    "KS149" "policy-pipeline-slug" Error "A pipeline the OIDC policy names is not a pipeline slug."
        why: "The policy compares the token's `pipeline_slug` claim, the kebab-case slug from the pipeline's URL; a display name never matches, so every push is refused with 401/403."
        example: "pipelines: [\"My App\"]"
        fix: "Use the slug from https://buildkite.com/<org>/<pipeline-slug>, e.g. `my-app`; `*` and `?` globs are allowed."
        docs: DOCS_PACKAGES_OIDC;
    "KS150" "policy-branch" Error "A branch the OIDC policy names is empty or not a single line."
        why: "The policy compares the token's `build_branch` claim with these globs; an empty or multi-line pattern matches no branch."
        example: "branches: [\"\"]"
        fix: "Write branch names or globs such as `main` or `release/*`."
        docs: DOCS_PACKAGES_OIDC;
    "KS151" "policy-scope-unused" Warning "Pipelines or branches are set, but an API token needs no OIDC policy."
        why: "The pipelines and branches only narrow the generated OIDC policy; with `auth: api_token` no policy is generated, so they restrict nothing."
        example: "auth: {api_token: {secret: …}}, pipelines: [app]"
        fix: "Use `auth: oidc` to get a policy that limits who may push, or remove `pipelines` and `branches`."
        docs: DOCS_PACKAGES_OIDC;
    "KS152" "executor-build-registry" Error "Your executor images would go to a different registry than the build's."
        why: "The executor pipeline pushes and signs with the build's own credentials (for Package Registries, a token whose audience is this registry's URL), which another registry refuses with 401."
        example: "registry: {buildkite_packages: {org: acme, registry: images}}, build_executor: {repository: ghcr.io/acme/kaniko}"
        fix: "Push the executor to a repository on the same registry, e.g. `packages.buildkite.com/acme/images/kaniko`."
        docs: "https://github.com/chainguard-forks/kaniko";
    "KS154" "refresh-credentials-unused" Warning "`refresh_credentials` only applies to Package Registries with an OIDC token."
        why: "Only the Package Registries token is written into config.json and lives 5 minutes; other registries' credentials are long-lived or read again by Kaniko's helpers, so there is nothing to refresh."
        example: "registry: {docker_hub: …}, extras: {refresh_credentials: true}"
        fix: "Remove `refresh_credentials`, or raise the OIDC token's `lifetime` (up to 7200 s) for AWS, Google and Azure federation."
        docs: DOCS_PACKAGES_OIDC;
    "KS155" "credential-in-configuration" Error "A field holds what looks like a credential (a token, an access key, a private key), not where one is kept."
        why: "The configuration is made to be committed and shared (files, share links), and its values are written into the generated steps: a credential in it is exposed to everyone who can read any of them. Only the name or key of the secret that holds it belongs here. Build args and labels are no place either: both stay readable in the image."
        example: "token: {buildkite: {key: ghp_…}}"
        fix: "Revoke the credential if the configuration left your machine, keep it in a Buildkite secret, a Kubernetes Secret or the stack's secrets bucket, and write that secret's key here."
        docs: DOCS_TOKENS;
    "KS156" "executor-digest-of-other-image" Error "The executor digest is that of Google's other executor image (debug for non-debug, or the reverse)."
        why: "The runtime pulls by digest and ignores the tag: the debug tag pinned with the non-debug digest runs an image without a shell, so on Kubernetes the step fails before Kaniko starts; the reverse runs the debug image where the plain one was chosen."
        example: "executor: google_debug, digest: sha256:4e7a52dd…"
        fix: "Use the digest of the image the executor names (`kaniko-studio init` prints both), or remove `digest`."
        docs: "https://github.com/GoogleContainerTools/kaniko#debug-image";
    "KS157" "path-outside-checkout" Error "The context or the Dockerfile path is absolute or leaves the checkout."
        why: "Paths are relative to the checkout, the only directory Kaniko sees (mounted at `/workspace` on both stacks); an absolute path is read inside it anyway, and `..` that climbs out points at nothing."
        example: "context: ../shared"
        fix: "Give the path from the checkout's root, without a leading `/` and without climbing out with `..`."
        docs: "https://github.com/GoogleContainerTools/kaniko#kaniko-build-contexts";
    "KS153" "executor-build-auth" Error "The executor pipeline cannot authenticate to this registry on this stack."
        why: "Kaniko cannot build the fork's Dockerfile (it ignores `RUN --mount`), so BuildKit builds it; BuildKit has no Google or Azure credential helper, no ECR helper on Kubernetes, and reads CA and plain-HTTP settings from its daemon."
        example: "registry: {artifact_registry: …}, build_executor: {…}"
        fix: "Build the executor on a registry with a token or password (Package Registries, Docker Hub, GHCR, Quay, GitLab, self-hosted over trusted TLS), or ECR on the Elastic CI Stack."
        docs: "https://github.com/moby/buildkit#registry-push";
}

fn rule(id: &str) -> &'static Rule {
    crate::rules::by_id(RULES, id)
}

/// Collects diagnostics.
struct Out(Vec<Diagnostic>);

impl Out {
    fn emit(&mut self, id: &str, field: impl Into<String>, message: impl Into<String>, fix: impl Into<String>) {
        self.push(id, None, field.into(), message.into(), fix.into());
    }
    fn emit_sev(&mut self, id: &str, sev: Severity, field: impl Into<String>, message: impl Into<String>, fix: impl Into<String>) {
        self.push(id, Some(sev), field.into(), message.into(), fix.into());
    }
    /// The one place a finding is built: the two wrappers above only convert their arguments,
    /// so the hundreds of call sites stay small in the page's wasm.
    #[inline(never)]
    fn push(&mut self, id: &str, sev: Option<Severity>, field: String, message: String, fix: String) {
        let d = rule(id).diag(message, fix).with_field(field);
        self.0.push(match sev {
            Some(sev) => d.with_severity(sev),
            None => d,
        });
    }
}

/// A user value for a message: escaped, and cut at 120 characters.
fn q(s: &str) -> String {
    const MAX: usize = 120;
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        out.extend(c.escape_debug());
    }
    out
}

/// Check a configuration. The result is empty for a configuration that generates cleanly and
/// has nothing worth mentioning; errors block generation.
pub fn validate(config: &BuildConfig) -> Vec<Diagnostic> {
    let mut out = Out(Vec::new());
    if !(1..=CONFIG_VERSION).contains(&config.version) {
        out.emit(
            "KS143",
            "version",
            format!("`version: {}` is not supported; this build reads version {CONFIG_VERSION} and older.", config.version),
            format!("Write `version: {CONFIG_VERSION}`."),
        );
    }
    check_stack(config, &mut out);
    check_registry(config, &mut out);
    check_strings(config, &mut out);
    check_image(config, &mut out);
    check_audience_and_lifetime(config, &mut out);
    check_kaniko(config, &mut out);
    check_cache(config, &mut out);
    check_extras(config, &mut out);
    hide_credentials(config, out.0)
}

/// Other rules quote the values they reject; a value that looks like a credential must not be
/// repeated anywhere a finding goes (the page, a terminal, a CI log, an annotation).
fn hide_credentials(config: &BuildConfig, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let secrets = credential_words(strings(config).into_iter().map(|(_, v, _)| v));
    if !secrets.is_empty() {
        diagnostics.iter_mut().for_each(|d| d.hide(&secrets));
    }
    diagnostics
}

// ---------------------------------------------------------------------------------------------
// Small predicates

fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && !s.is_empty() && s.split('.').all(is_dns_label)
}

fn is_env_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A repository path component per the distribution spec: `[a-z0-9]+([._-][a-z0-9]+)*`
/// (also allowing `__`).
fn is_path_component(s: &str) -> bool {
    if s.is_empty() {
        return false;
    }
    let mut prev_sep = true;
    let chars: Vec<char> = s.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            prev_sep = false;
        } else if matches!(c, '.' | '_' | '-') {
            let double_underscore = *c == '_' && i > 0 && chars.get(i - 1) == Some(&'_');
            if prev_sep && !double_underscore {
                return false;
            }
            prev_sep = true;
        } else {
            return false;
        }
    }
    !prev_sep
}

fn is_valid_tag(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.len() <= 128
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn is_host(s: &str) -> bool {
    let (host, port) = match s.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (s, None),
    };
    let host_ok = !host.is_empty()
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        });
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()));
    host_ok && port_ok
}

/// Does the value reference a shell-style variable (`$NAME` with an uppercase or `_` start, or
/// `${…}`)? Harbor robot names such as `robot$ci` are not variables.
fn has_variable(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    chars.windows(2).any(|w| matches!(w, ['$', c] if *c == '{' || *c == '_' || c.is_ascii_uppercase()))
}

fn is_placeholder(s: &str) -> bool {
    let v = s.trim();
    let lower = v.to_ascii_lowercase();
    let bracketed = |o: char, c: char| v.find(o).is_some_and(|i| v.get(i..).is_some_and(|rest| rest.contains(c)));
    bracketed('{', '}')
        || bracketed('<', '>')
        || lower.starts_with("your-")
        || lower.starts_with("your_")
        || lower.contains("your-org")
        || lower.contains("your_org")
        || matches!(lower.as_str(), "changeme" | "change-me" | "xxx" | "xxxx" | "todo" | "tbd" | "replace-me" | "placeholder")
}

// ---------------------------------------------------------------------------------------------
// Every string field, with its path and how it is used

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Names, ids, hosts: placeholders and variables are mistakes.
    Identity,
    /// Paths and options used literally.
    Literal,
    /// Build-arg and label values: `KEY=VALUE` text passed to Kaniko.
    Argument,
}

fn secret_strings<'a>(path: &str, s: &'a SecretRef, v: &mut Vec<(String, &'a str, Use)>) {
    match s {
        SecretRef::Kubernetes { name, key } => {
            v.push((format!("{path}.kubernetes.name"), name, Use::Identity));
            v.push((format!("{path}.kubernetes.key"), key, Use::Identity));
        }
        SecretRef::Buildkite { key } => v.push((format!("{path}.buildkite.key"), key, Use::Identity)),
        SecretRef::Env { var } => v.push((format!("{path}.env.var"), var, Use::Identity)),
    }
}

fn strings(c: &BuildConfig) -> Vec<(String, &str, Use)> {
    use Use::*;
    let mut v: Vec<(String, &str, Use)> = Vec::new();
    match &c.stack {
        Stack::Kubernetes(k) => {
            v.push(("stack.kubernetes.queue".into(), &k.queue, Identity));
            v.push(("stack.kubernetes.container".into(), &k.container, Identity));
            for (i, s) in k.secret_volumes.iter().enumerate() {
                v.push((format!("stack.kubernetes.secret_volumes[{i}].secret"), &s.secret, Identity));
                v.push((format!("stack.kubernetes.secret_volumes[{i}].mount_path"), &s.mount_path, Literal));
            }
        }
        Stack::Elastic(e) => {
            v.push(("stack.elastic.queue".into(), &e.queue, Identity));
            v.push(("stack.elastic.script".into(), &e.script, Literal));
        }
    }
    let k = c.registry.kind();
    let p = |f: &str| format!("registry.{k}.{f}");
    match &c.registry {
        Registry::BuildkitePackages(r) => {
            if let Some(a) = &r.audience {
                v.push((p("audience"), a, Literal));
            }
        }
        Registry::Ecr(r) => {
            v.push((p("account"), &r.account, Identity));
            v.push((p("region"), &r.region, Identity));
            v.push((p("repository"), &r.repository, Identity));
        }
        Registry::EcrPublic(r) => v.push((p("alias"), &r.alias, Identity)),
        Registry::ArtifactRegistry(r) => {
            v.push((p("location"), &r.location, Identity));
            v.push((p("project"), &r.project, Identity));
            v.push((p("repository"), &r.repository, Identity));
        }
        Registry::Gcr(r) => {
            v.push((p("host"), &r.host, Identity));
            v.push((p("project"), &r.project, Identity));
        }
        Registry::DockerHub(r) => {
            v.push((p("namespace"), &r.namespace, Identity));
            v.push((p("username"), &r.username, Identity));
        }
        Registry::Ghcr(r) => {
            v.push((p("owner"), &r.owner, Identity));
            v.push((p("username"), &r.username, Identity));
        }
        Registry::Acr(r) => v.push((p("name"), &r.name, Identity)),
        Registry::Quay(r) => {
            v.push((p("host"), &r.host, Identity));
            v.push((p("organization"), &r.organization, Identity));
            v.push((p("username"), &r.username, Identity));
        }
        Registry::Gitlab(r) => {
            v.push((p("host"), &r.host, Identity));
            v.push((p("project"), &r.project, Identity));
            v.push((p("username"), &r.username, Identity));
        }
        Registry::SelfHosted(r) => {
            v.push((p("host"), &r.host, Identity));
            v.push((p("path"), &r.path, Identity));
            v.push((p("username"), &r.username, Identity));
            if let Some(ca) = &r.ca_cert {
                v.push((p("ca_cert"), ca, Literal));
            }
        }
    }
    match &c.registry {
        Registry::Ecr(EcrRegistry { auth: AwsAuth::Oidc(o), .. })
        | Registry::EcrPublic(EcrPublicRegistry { auth: AwsAuth::Oidc(o), .. }) => {
            v.push((p("auth.oidc.role_arn"), &o.role_arn, Identity));
            if let Some(a) = &o.audience {
                v.push((p("auth.oidc.audience"), a, Literal));
            }
        }
        Registry::ArtifactRegistry(ArtifactRegistry { auth: GcpAuth::Oidc(o), .. })
        | Registry::Gcr(GcrRegistry { auth: GcpAuth::Oidc(o), .. }) => {
            v.push((p("auth.oidc.provider"), &o.provider, Identity));
            if let Some(sa) = &o.service_account {
                v.push((p("auth.oidc.service_account"), sa, Identity));
            }
            if let Some(a) = &o.audience {
                v.push((p("auth.oidc.audience"), a, Literal));
            }
        }
        Registry::Acr(AcrRegistry { auth: AcrAuth::Oidc(o), .. }) => {
            v.push((p("auth.oidc.tenant_id"), &o.tenant_id, Identity));
            v.push((p("auth.oidc.client_id"), &o.client_id, Identity));
            if let Some(a) = &o.audience {
                v.push((p("auth.oidc.audience"), a, Literal));
            }
        }
        Registry::Acr(AcrRegistry { auth: AcrAuth::Password { username, .. }, .. }) => {
            v.push((p("auth.password.username"), username, Identity));
        }
        _ => {}
    }
    for (path, secret) in c.registry.secrets() {
        secret_strings(&path, secret, &mut v);
    }
    let img = &c.image;
    v.push(("image.name".into(), &img.name, Identity));
    for (i, t) in img.tags.iter().enumerate() {
        if let Tag::Fixed(t) = t {
            v.push((format!("image.tags[{i}].fixed"), t, Identity));
        }
    }
    v.push(("image.dockerfile".into(), &img.dockerfile, Literal));
    v.push(("image.context".into(), &img.context, Literal));
    v.push(("image.context_sub_path".into(), &img.context_sub_path, Literal));
    for (i, a) in img.build_args.iter().enumerate() {
        v.push((format!("image.build_args[{i}]"), a, Argument));
    }
    v.push(("image.target".into(), &img.target, Identity));
    for (i, l) in img.labels.iter().enumerate() {
        v.push((format!("image.labels[{i}]"), l, Argument));
    }
    v.push(("image.platform".into(), &img.platform, Identity));
    let kn = &c.kaniko;
    match &kn.executor {
        ExecutorImage::Chainguard { tag, .. } => v.push(("kaniko.executor.chainguard.tag".into(), tag, Identity)),
        ExecutorImage::Custom { reference, .. } => {
            v.push(("kaniko.executor.custom.reference".into(), reference, Identity));
        }
        _ => {}
    }
    if let Some(d) = &kn.digest {
        v.push(("kaniko.digest".into(), d, Identity));
    }
    v.push(("kaniko.cache_repo".into(), &kn.cache_repo, Identity));
    v.push(("kaniko.cache_ttl".into(), &kn.cache_ttl, Literal));
    v.push(("kaniko.digest_file".into(), &kn.digest_file, Literal));
    for (i, f) in kn.extra_flags.iter().enumerate() {
        v.push((format!("kaniko.extra_flags[{i}]"), f, Literal));
    }
    if let Some(CosignKey::Key(k)) = &c.extras.verify_executor {
        v.push(("extras.verify_executor.key".into(), k, Literal));
    }
    if let Some(b) = &c.extras.build_executor {
        v.push(("extras.build_executor.git_ref".into(), &b.git_ref, Identity));
        v.push(("extras.build_executor.repository".into(), &b.repository, Identity));
        if let Some(k) = &b.signing_key {
            v.push(("extras.build_executor.signing_key".into(), k, Literal));
        }
    }
    for (i, a) in c.extras.pull_and_run_args.iter().enumerate() {
        v.push((format!("extras.pull_and_run_args[{i}]"), a, Literal));
    }
    v
}

/// What a value that looks like a credential is, by the public formats of tokens and keys
/// (GitHub, GitLab, Docker Hub and Buildkite token prefixes, AWS access key ids, JWTs such as
/// OIDC tokens, PEM private keys); `None` for anything else. Names never match: each format
/// needs a long random part.
pub fn credential_kind(value: &str) -> Option<&'static str> {
    find_credential(value).map(|(kind, _)| kind)
}

/// [`credential_kind`], with the byte range in `value` of what looks like the credential.
pub fn find_credential(value: &str) -> Option<(&'static str, std::ops::Range<usize>)> {
    const PREFIXES: &[(&str, &str)] = &[
        ("github_pat_", "a GitHub fine-grained personal access token"),
        ("ghp_", "a GitHub personal access token"),
        ("gho_", "a GitHub OAuth token"),
        ("ghu_", "a GitHub app user token"),
        ("ghs_", "a GitHub app installation token"),
        ("ghr_", "a GitHub refresh token"),
        ("glpat-", "a GitLab personal access token"),
        ("dckr_pat_", "a Docker Hub personal access token"),
        ("bkua_", "a Buildkite API access token"),
        ("bkaa_", "a Buildkite agent session token"),
        ("bkaj_", "a Buildkite agent job token"),
    ];
    if let Some(at) = value.find("-----BEGIN")
        && value.get(at..).is_some_and(|rest| rest.contains("PRIVATE KEY"))
    {
        return Some(("a private key", at..at + "-----BEGIN".len()));
    }
    let token_char = |ch: char| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-');
    // Each word of the value (split where a token cannot continue: `=`, `:`, spaces, quotes).
    for word in value.split(|ch: char| !(token_char(ch) || ch == '.')) {
        // Where the word starts in `value` (a separator may be more than one byte).
        let start = (word.as_ptr() as usize).saturating_sub(value.as_ptr() as usize);
        let range = start..start + word.len();
        for (prefix, kind) in PREFIXES {
            if let Some(rest) = word.strip_prefix(prefix)
                && rest.len() >= 16
                && rest.chars().all(token_char)
            {
                return Some((kind, range));
            }
        }
        let aws = word.len() == 20
            && (word.starts_with("AKIA") || word.starts_with("ASIA"))
            && word.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit());
        if aws {
            return Some(("an AWS access key id", range));
        }
        let mut parts = word.split('.');
        let jwt = word.starts_with("eyJ")
            && word.len() >= 30
            && parts.clone().count() == 3
            && parts.all(|p| !p.is_empty() && p.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-')));
        if jwt {
            return Some(("a JWT (such as an OIDC token)", range));
        }
    }
    None
}

/// Whether `value` may be a secret: a known credential format ([`credential_kind`]), or 16 or
/// more characters without spaces that mix upper and lower case letters and digits, as
/// generated secrets do (an AWS secret access key, a random password). Names, paths and image
/// references rarely mix all three.
pub fn looks_like_secret(value: &str) -> bool {
    let has = |f: fn(&char) -> bool| value.chars().any(|c| f(&c));
    let random = value.chars().count() >= 16
        && !has(char::is_ascii_whitespace)
        && has(char::is_ascii_uppercase)
        && has(char::is_ascii_lowercase)
        && has(char::is_ascii_digit);
    random || credential_kind(value).is_some()
}

/// The words of `line` that [`looks_like_secret`] (split where base64 and token characters
/// end), with [`credential_words`]: what an excerpt of the line must hide.
pub fn secret_words(line: &str) -> Vec<&str> {
    let mut out = credential_words([line]);
    out.extend(line.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '+' | '='))).filter(|w| looks_like_secret(w)));
    out
}

/// What looks like a credential in each line of `texts`, as found there (at least 10 bytes, so
/// a marker such as `-----BEGIN` alone is not taken for one): what findings must not repeat.
pub fn credential_words<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    texts
        .into_iter()
        .flat_map(str::lines)
        .filter_map(|line| find_credential(line).and_then(|(_, r)| line.get(r)))
        .filter(|s| s.len() >= 10)
        .collect()
}

/// The fields of `c` that hold what looks like a credential, with what it looks like.
pub fn credential_fields(c: &BuildConfig) -> Vec<(String, &'static str)> {
    strings(c).into_iter().filter_map(|(path, value, _)| credential_kind(value).map(|kind| (path, kind))).collect()
}

fn check_strings(c: &BuildConfig, out: &mut Out) {
    for (path, value, usage) in strings(c) {
        // The value is never repeated in the message: it may be a live credential.
        if let Some(kind) = credential_kind(value) {
            let message = format!("This looks like {kind} ({} characters), not the name of the secret that holds it.", value.chars().count());
            let fix = match usage {
                Use::Argument => "Revoke it if the configuration left your machine: build args and labels stay readable in the image. Give the build what it needs at run time instead, and keep the credential in a Buildkite secret or a Kubernetes Secret.",
                _ => "Revoke it if the configuration left your machine (a file, a commit, a share link); keep it in a Buildkite secret, a Kubernetes Secret or the stack's secrets bucket, and write that secret's key or name here.",
            };
            out.emit("KS155", &path, message, fix);
            continue;
        }
        if value.contains("$$") {
            let single = value.replace("$$", "$");
            out.emit(
                "KS124",
                &path,
                format!("`{}` contains `$$`; Kaniko Studio escapes `$` for pipeline.yml itself.", q(value)),
                format!("Write `{}`.", q(&single)),
            );
            continue;
        }
        if has_variable(value) {
            let fix = match runtime_tag_for(value) {
                Some(kind) if path.starts_with("image.tags") => {
                    format!("Use the run-time tag `{kind}` instead of `{}`.", q(value))
                }
                _ if usage == Use::Argument && path.starts_with("image.build_args") && c.is_kubernetes() => {
                    let key = value.split_once('=').map_or(value, |(k, _)| k);
                    format!("Write the value itself, or a bare `{}`: Kaniko then reads the value from its environment (the step's own variables, e.g. `BUILDKITE_COMMIT`, are there on the Kubernetes stack) and the Dockerfile declares `ARG {}`.", q(key), q(key))
                }
                _ => "Write the value itself; for run-time values use the tag kinds (`commit`, `build_number`, `branch`).".to_string(),
            };
            out.emit(
                "KS125",
                &path,
                format!("`{}` contains a variable, but values are passed to Kaniko literally: it is not expanded at run time.", q(value)),
                fix,
            );
            continue;
        }
        // The slugs have their own, more specific checks.
        if usage == Use::Identity && is_placeholder(value) {
            out.emit(
                "KS110",
                &path,
                format!("`{}` is a placeholder, not a real value.", q(value)),
                "Replace it with the real value.",
            );
        }
    }
}

fn runtime_tag_for(value: &str) -> Option<&'static str> {
    if value.contains("BUILDKITE_BUILD_NUMBER") {
        Some("build_number")
    } else if value.contains("BUILDKITE_COMMIT") {
        Some("commit")
    } else if value.contains("BUILDKITE_BRANCH") {
        Some("branch")
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Stack

fn check_stack(c: &BuildConfig, out: &mut Out) {
    match &c.stack {
        Stack::Kubernetes(k) => {
            if k.queue.trim().is_empty() {
                out.emit("KS144", "stack.kubernetes.queue", "The agent queue is empty.", "Set the queue the agent-stack-k8s controller serves, e.g. `kubernetes`.");
            }
            if !is_dns_label(&k.container) {
                out.emit(
                    "KS139",
                    "stack.kubernetes.container",
                    format!("The container name `{}` is not a Kubernetes container name (lowercase letters, digits and `-`, at most 63).", q(&k.container)),
                    "Use the command container's name, normally `container-0`.",
                );
            } else if k.container != "container-0" {
                out.emit(
                    "KS148",
                    "stack.kubernetes.container",
                    format!("`{}` is not the command container's default name `container-0`: the podSpecPatch would add a second container instead of giving the step's container the Kaniko image.", q(&k.container)),
                    "Use `container-0`, unless your own plugin `podSpec` names the command container this way.",
                );
            }
            for (i, s) in k.secret_volumes.iter().enumerate() {
                if !is_dns_subdomain(&s.secret) {
                    out.emit(
                        "KS139",
                        format!("stack.kubernetes.secret_volumes[{i}].secret"),
                        format!("`{}` is not a Kubernetes Secret name.", q(&s.secret)),
                        "Use the Secret's name: lowercase letters, digits, `-` and `.`.",
                    );
                }
                if !s.mount_path.starts_with('/') {
                    out.emit(
                        "KS139",
                        format!("stack.kubernetes.secret_volumes[{i}].mount_path"),
                        format!("The mount path `{}` is not absolute.", q(&s.mount_path)),
                        "Use an absolute path such as `/kaniko/ssl/custom`.",
                    );
                }
            }
            if !c.kaniko.executor.has_shell() {
                let fix = match &c.kaniko.executor {
                    ExecutorImage::Google => "Use `executor: google_debug` (the same release with busybox `/bin/sh`).".to_string(),
                    _ => "Use an image with `/bin/sh` and set `shell: true`, or `executor: google_debug`.".to_string(),
                };
                out.emit(
                    "KS115",
                    "kaniko.executor",
                    format!("`{}` has no shell, but on the Kubernetes stack the step's command runs in it through `/bin/sh`.", q(&c.kaniko.executor.reference())),
                    fix,
                );
            }
        }
        Stack::Elastic(e) => {
            if e.queue.trim().is_empty() {
                out.emit("KS144", "stack.elastic.queue", "The agent queue is empty.", "Set the stack's queue, e.g. `default`.");
            }
            let script = e.script.trim();
            if script.is_empty() || script.starts_with('/') || script.split('/').any(|s| s == "..") {
                out.emit(
                    "KS128",
                    "stack.elastic.script",
                    format!("The script path `{}` must be a relative path inside the repository.", q(&e.script)),
                    "Use e.g. `.buildkite/steps/kaniko.sh`.",
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Registry

/// Report an empty required field; `what` is lowercase ("the AWS region").
fn require(out: &mut Out, field: &str, value: &str, what: &str) -> bool {
    if value.trim().is_empty() {
        let mut message: Vec<char> = what.chars().collect();
        if let Some(first) = message.first_mut() {
            *first = first.to_ascii_uppercase();
        }
        let message: String = message.into_iter().collect();
        out.emit("KS144", field, format!("{message} is empty."), format!("Fill in {what}."));
        return false;
    }
    true
}

fn check_secret(c: &BuildConfig, path: &str, s: &SecretRef, out: &mut Out) {
    match s {
        SecretRef::Kubernetes { name, key } => {
            if !c.is_kubernetes() {
                out.emit(
                    "KS133",
                    format!("{path}.kubernetes"),
                    format!("The Kubernetes Secret `{}` cannot be read on the Elastic stack.", q(name)),
                    "Use a Buildkite secret (`buildkite: {key: …}`) or an environment variable from the stack's secrets bucket (`env: {var: …}`).",
                );
            }
            if !is_dns_subdomain(name) {
                out.emit("KS133", format!("{path}.kubernetes.name"), format!("`{}` is not a Kubernetes Secret name.", q(name)), "Use lowercase letters, digits, `-` and `.`.");
            }
            if key.is_empty() || !key.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.')) {
                out.emit("KS133", format!("{path}.kubernetes.key"), format!("`{}` is not a key a Kubernetes Secret can have.", q(key)), "Use letters, digits, `-`, `_` and `.`.");
            }
        }
        SecretRef::Buildkite { key } => {
            if key.trim().is_empty() || key.chars().any(char::is_whitespace) {
                out.emit("KS133", format!("{path}.buildkite.key"), format!("`{}` is not a Buildkite secret key.", q(key)), "Use the secret's key as shown in the cluster's Secrets settings.");
            }
        }
        SecretRef::Env { var } => {
            if !is_env_name(var) {
                out.emit("KS133", format!("{path}.env.var"), format!("`{}` is not an environment variable name.", q(var)), "Use letters, digits and `_`, not starting with a digit.");
            }
        }
    }
}

/// The pipelines and branches that narrow the generated Package Registries OIDC policy.
fn check_policy_scope(r: &PackagesRegistry, out: &mut Out, f: &dyn Fn(&str) -> String) {
    for (i, p) in r.pipelines.iter().enumerate() {
        let ok = !p.is_empty() && p.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '-' | '_' | '*' | '?'));
        if !ok {
            let fix = match crate::audience::suggest_slug(p) {
                Some(slug) => format!("Use the pipeline's slug, probably `{slug}` (the end of its URL); `*` and `?` globs are allowed."),
                None => "Use the pipeline's slug (the end of its URL), e.g. `my-app`.".to_string(),
            };
            out.emit("KS149", f(&format!("pipelines[{i}]")), format!("`{}` is not a pipeline slug.", q(p)), fix);
        }
    }
    for (i, b) in r.branches.iter().enumerate() {
        if b.trim().is_empty() || b.chars().any(char::is_control) {
            out.emit("KS150", f(&format!("branches[{i}]")), format!("The branch pattern `{}` is empty or not a single line.", q(b)), "Write a branch name or glob such as `main` or `release/*`.");
        }
    }
    if matches!(r.auth, PackagesAuth::ApiToken { .. }) && !(r.pipelines.is_empty() && r.branches.is_empty()) {
        let field = if r.pipelines.is_empty() { f("branches") } else { f("pipelines") };
        out.emit("KS151", field, "`pipelines` and `branches` narrow the OIDC policy, but this registry uses an API token, so nothing is restricted.", "Use `auth: oidc` to get a policy that limits who may push, or remove them.");
    }
}

fn check_registry(c: &BuildConfig, out: &mut Out) {
    let k = c.registry.kind();
    let f = |rest: &str| format!("registry.{k}.{rest}");
    let elastic = !c.is_kubernetes();
    match &c.registry {
        Registry::BuildkitePackages(r) => {
            out.0.extend(check_slug(SlugKind::Organization, &r.org, &f("org")));
            out.0.extend(check_slug(SlugKind::Registry, &r.registry, &f("registry")));
            check_policy_scope(r, out, &f);
            if let PackagesAuth::ApiToken { .. } = r.auth {
                out.emit("KS145", f("auth.api_token"), "The API access token must have the Read Packages and Write Packages scopes.", format!("Create it under Personal Settings → API Access Tokens for the `{}` organization with Read Packages and Write Packages.", q(&r.org)));
            }
        }
        Registry::Ecr(r) => {
            if require(out, &f("account"), &r.account, "the AWS account id") && !(r.account.len() == 12 && r.account.chars().all(|ch| ch.is_ascii_digit())) {
                out.emit("KS128", f("account"), format!("The AWS account id `{}` is not 12 digits.", q(&r.account)), "Use the 12-digit account id (quoted in YAML, as it may start with 0).");
            }
            if require(out, &f("region"), &r.region, "the AWS region") && !is_aws_region(&r.region) {
                out.emit("KS128", f("region"), format!("`{}` is not an AWS region name.", q(&r.region)), "Use a region code such as `eu-west-1`.");
            }
            let repo = c.repository();
            let path = repo.split_once('/').map(|(_, p)| p).unwrap_or_default().to_string();
            let usable = is_aws_region(&r.region) && r.account.len() == 12 && r.account.chars().all(|ch| ch.is_ascii_digit());
            if !path.is_empty() && usable {
                let host_prefix = format!("{}/", c.registry.host());
                let cache_repo = c.kaniko.cache_repo.trim();
                // The cache repository Kaniko pushes to on this ECR registry, if any.
                let (cache_path, default_cache) = if !c.kaniko.cache {
                    (None, false)
                } else if cache_repo.is_empty() {
                    (Some(format!("{path}/cache")), true)
                } else {
                    (cache_repo.strip_prefix(host_prefix.as_str()).map(str::to_string), false)
                };
                let mut names = vec![path.clone()];
                names.extend(cache_path.clone());
                let listed: Vec<String> = names.iter().map(|n| format!("`{}`", q(n))).collect();
                let commands: Vec<String> = names
                    .iter()
                    .map(|n| format!("`aws ecr create-repository --region {} --repository-name {}`", r.region, q(n)))
                    .collect();
                let (sev, extra) = if default_cache {
                    (Severity::Warning, " Kaniko's default cache repository is one of them; without it the cache silently never works.")
                } else {
                    (Severity::Info, "")
                };
                out.emit_sev(
                    "KS118",
                    sev,
                    f("repository"),
                    format!("ECR does not create repositories on push: {} must exist in {} before the first build.{extra}", listed.join(" and "), r.region),
                    format!("Create them once: {}.", commands.join(", ")),
                );
            }
            check_aws_auth(c, &r.auth, &f("auth"), out);
        }
        Registry::EcrPublic(r) => {
            if require(out, &f("alias"), &r.alias, "the ECR Public alias") && !is_path_component(&r.alias) {
                out.emit("KS128", f("alias"), format!("`{}` is not an ECR Public registry alias.", q(&r.alias)), "Use the alias shown in public.ecr.aws/<alias>.");
            }
            check_aws_auth(c, &r.auth, &f("auth"), out);
        }
        Registry::ArtifactRegistry(r) => {
            if require(out, &f("location"), &r.location, "the repository location") {
                if r.location.contains("docker.pkg.dev") || r.location.contains('/') {
                    out.emit("KS128", f("location"), format!("`{}` is a host or path, not a location.", q(&r.location)), "Use only the location, e.g. `europe` for europe-docker.pkg.dev.");
                } else if !is_dns_label(&r.location) {
                    out.emit("KS128", f("location"), format!("`{}` is not an Artifact Registry location.", q(&r.location)), "Use a location such as `europe` or `us-central1`.");
                }
            }
            if require(out, &f("project"), &r.project, "the Google Cloud project id") {
                check_gcp_project(&r.project, &f("project"), out);
            }
            if require(out, &f("repository"), &r.repository, "the Artifact Registry repository") && !is_path_component(&r.repository) {
                out.emit("KS128", f("repository"), format!("`{}` is not an Artifact Registry repository id.", q(&r.repository)), "Use lowercase letters, digits and hyphens.");
            }
            check_gcp_auth(c, &r.auth, &f("auth"), out);
        }
        Registry::Gcr(r) => {
            if !matches!(r.host.as_str(), "gcr.io" | "us.gcr.io" | "eu.gcr.io" | "asia.gcr.io") {
                out.emit("KS128", f("host"), format!("`{}` is not a Container Registry host.", q(&r.host)), "Use gcr.io, us.gcr.io, eu.gcr.io or asia.gcr.io.");
            }
            if require(out, &f("project"), &r.project, "the Google Cloud project id") {
                check_gcp_project(&r.project, &f("project"), out);
            }
            check_gcp_auth(c, &r.auth, &f("auth"), out);
        }
        Registry::DockerHub(r) => {
            if require(out, &f("namespace"), &r.namespace, "the Docker Hub namespace") && !is_path_component(&r.namespace) {
                let suggestion: String = r.namespace.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
                out.emit("KS129", f("namespace"), format!("`{}` is not a Docker Hub namespace (lowercase letters and digits).", q(&r.namespace)), format!("Use the user or organization name as in hub.docker.com/u/<name>, e.g. `{}`.", q(&suggestion)));
            }
            require(out, &f("username"), &r.username, "the Docker Hub user name");
            if c.image.name.contains('/') {
                out.emit("KS129", "image.name", format!("Docker Hub has no nested repositories: `docker.io/{}/{}` cannot be pushed.", q(&r.namespace), q(&c.image.name)), format!("Use a single name, e.g. `{}`.", q(&c.image.name.replace('/', "-"))));
            }
        }
        Registry::Ghcr(r) => {
            if require(out, &f("owner"), &r.owner, "the GitHub owner") && r.owner.chars().any(|ch| ch.is_ascii_uppercase()) {
                out.emit("KS129", f("owner"), format!("`{}` has uppercase letters; image references on ghcr.io must be lowercase.", q(&r.owner)), format!("Use `{}`.", q(&r.owner.to_ascii_lowercase())));
            }
            require(out, &f("username"), &r.username, "the GitHub user name");
        }
        Registry::Acr(r) => {
            if require(out, &f("name"), &r.name, "the registry name") {
                if r.name.contains('.') {
                    out.emit("KS128", f("name"), format!("`{}` is a host; only the registry name is needed.", q(&r.name)), format!("Use `{}`.", q(r.name.split('.').next().unwrap_or_default())));
                } else if !(5..=50).contains(&r.name.len()) || !r.name.chars().all(|ch| ch.is_ascii_alphanumeric()) {
                    out.emit("KS128", f("name"), format!("`{}` is not an ACR name (5 to 50 letters and digits).", q(&r.name)), "Use the name in <name>.azurecr.io.");
                } else if r.name.chars().any(|ch| ch.is_ascii_uppercase()) {
                    out.emit("KS129", f("name"), format!("`{}` has uppercase letters; the login server is lowercase.", q(&r.name)), format!("Use `{}`.", r.name.to_ascii_lowercase()));
                }
            }
            match &r.auth {
                AcrAuth::Oidc(o) => {
                    for (field, value, what) in [("tenant_id", &o.tenant_id, "tenant (directory) id"), ("client_id", &o.client_id, "client (application) id")] {
                        if !is_uuid(value) {
                            out.emit("KS128", f(&format!("auth.oidc.{field}")), format!("The {what} `{}` is not a UUID.", q(value)), format!("Copy the {what} from the app registration's overview in Entra ID."));
                        }
                    }
                }
                AcrAuth::Password { username, .. } => {
                    require(out, &f("auth.password.username"), username, "the user name");
                }
                AcrAuth::AcrEnv => {}
            }
        }
        Registry::Quay(r) => {
            check_host(&r.host, &f("host"), out);
            if require(out, &f("organization"), &r.organization, "the Quay organization") && !is_path_component(&r.organization) {
                out.emit("KS129", f("organization"), format!("`{}` is not a Quay namespace (lowercase).", q(&r.organization)), "Use the organization or user name in lowercase.");
            }
            require(out, &f("username"), &r.username, "the robot account");
        }
        Registry::Gitlab(r) => {
            check_host(&r.host, &f("host"), out);
            if require(out, &f("project"), &r.project, "the GitLab project path") && !r.project.split('/').all(is_path_component) {
                out.emit("KS129", f("project"), format!("`{}` is not a lowercase `group/project` path.", q(&r.project)), format!("Use `{}`.", q(&r.project.to_ascii_lowercase())));
            }
            require(out, &f("username"), &r.username, "the user name");
        }
        Registry::SelfHosted(r) => {
            check_host(&r.host, &f("host"), out);
            if !r.path.is_empty() && !r.path.trim_matches('/').split('/').all(is_path_component) {
                out.emit("KS129", f("path"), format!("`{}` is not a lowercase repository path.", q(&r.path)), "Use lowercase path components separated by `/`.");
            }
            if !r.username.is_empty() && r.password.is_none() {
                out.emit("KS144", f("password"), format!("`{}` has no password.", q(&r.username)), "Add `password:` with the secret that holds it.");
            }
            if r.insecure {
                out.emit("KS135", f("insecure"), format!("`{}` is used over plain HTTP: the credentials and the image travel unencrypted.", q(&r.host)), if r.ca_cert.is_some() { "Remove `insecure`: `ca_cert` already lets Kaniko trust the registry's certificate.".to_string() } else { "Serve the registry over TLS; with a private CA, set `ca_cert` instead of `insecure`.".to_string() });
            }
            if let Some(ca) = &r.ca_cert
                && !ca.starts_with('/')
            {
                out.emit("KS128", f("ca_cert"), format!("The CA certificate path `{}` is not absolute.", q(ca)), "Use the absolute path of the PEM file inside the executor container, e.g. `/kaniko/ssl/custom/ca.pem`.");
            }
        }
    }
    for (path, secret) in c.registry.secrets() {
        check_secret(c, &path, secret, out);
    }
    if elastic {
        if let Registry::ArtifactRegistry(ArtifactRegistry { auth: GcpAuth::WorkloadIdentity, .. })
        | Registry::Gcr(GcrRegistry { auth: GcpAuth::WorkloadIdentity, .. }) = &c.registry
        {
            out.emit("KS146", f("auth"), "GKE workload identity is not available on the Elastic stack (EC2 instances have no Google identity).", "Use `auth: {oidc: {provider: …}}` (Workload Identity Federation) or `auth: {key_secret: …}`.");
        }
        if let Registry::Ecr(EcrRegistry { auth: AwsAuth::InstanceRole, .. }) | Registry::EcrPublic(EcrPublicRegistry { auth: AwsAuth::InstanceRole, .. }) = &c.registry
            && let Stack::Elastic(e) = &c.stack
        {
            match e.ecr_access_policy {
                Some(p) if !p.allows_push() => out.emit("KS119", "stack.elastic.ecr_access_policy", format!("`ECRAccessPolicy` is `{}`: the instance role cannot push to ECR.", p.as_str()), "Update the stack with `ECRAccessPolicy=poweruser` (or `full`)."),
                Some(_) => {}
                None => out.emit_sev("KS119", Severity::Info, "stack.elastic.ecr_access_policy", "The instance role pushes to ECR only if the stack's `ECRAccessPolicy` is `poweruser` or more (the default is `none`).", "Check the stack parameter, and set `ecr_access_policy` here to record it."),
            }
        }
    } else if let Registry::Ecr(EcrRegistry { auth: AwsAuth::InstanceRole, .. }) | Registry::EcrPublic(EcrPublicRegistry { auth: AwsAuth::InstanceRole, .. }) = &c.registry {
        out.emit("KS147", f("auth"), "On the Kubernetes stack `instance_role` means the pod's IAM role (IRSA or EKS Pod Identity), or the node's role when the pod can reach IMDS.", "Give the agent's service account an IAM role that can push to this repository, or use `auth: {oidc: {role_arn: …}}`.");
    }
}

fn is_aws_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        && parts.last().is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
        && parts.first().is_some_and(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_lowercase()))
}

fn check_host(host: &str, field: &str, out: &mut Out) {
    if host.contains("://") {
        let bare = host.split("://").nth(1).unwrap_or_default().trim_end_matches('/');
        out.emit("KS128", field, format!("`{}` has a scheme; the registry host is written without one.", q(host)), format!("Use `{}`.", q(bare)));
    } else if !is_host(host) {
        out.emit("KS128", field, format!("`{}` is not a host or host:port.", q(host)), "Write only the host (and port), e.g. `registry.example.com:5000`.");
    }
}

fn check_gcp_project(project: &str, field: &str, out: &mut Out) {
    let ok = (6..=30).contains(&project.len())
        && project.starts_with(|ch: char| ch.is_ascii_lowercase())
        && project.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
        && !project.ends_with('-');
    let domain_scoped = project.split_once(':').is_some_and(|(d, p)| d.contains('.') && !p.is_empty());
    if !ok && !domain_scoped {
        out.emit("KS128", field, format!("`{}` is not a Google Cloud project id (6 to 30 lowercase letters, digits and hyphens).", q(project)), "Use the project id (not its display name or number).");
    }
}

fn check_aws_auth(c: &BuildConfig, auth: &AwsAuth, field: &str, out: &mut Out) {
    if let AwsAuth::Oidc(o) = auth {
        let arn = &o.role_arn;
        let ok = arn
            .strip_prefix("arn:")
            .and_then(|r| r.split_once(":iam::"))
            .is_some_and(|(partition, rest)| {
                matches!(partition, "aws" | "aws-cn" | "aws-us-gov")
                    && rest.split_once(":role/").is_some_and(|(acct, name)| {
                        acct.len() == 12 && acct.chars().all(|ch| ch.is_ascii_digit()) && !name.is_empty()
                    })
            });
        if !ok {
            out.emit("KS128", format!("{field}.oidc.role_arn"), format!("`{}` is not an IAM role ARN.", q(arn)), "Use `arn:aws:iam::<12-digit account>:role/<role name>`.");
        }
    }
    let _ = c;
}

fn check_gcp_auth(c: &BuildConfig, auth: &GcpAuth, field: &str, out: &mut Out) {
    let _ = c;
    if let GcpAuth::Oidc(o) = auth {
        if let Some(problem) = gcp_provider_problem(&o.provider) {
            out.emit("KS128", format!("{field}.oidc.provider"), format!("`{}` {problem}", q(&o.provider)), "Use the provider's full resource name: `//iam.googleapis.com/projects/<project number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`.");
        }
        if let Some(sa) = &o.service_account
            && !(sa.contains('@') && sa.ends_with(".gserviceaccount.com"))
        {
            out.emit("KS128", format!("{field}.oidc.service_account"), format!("`{}` is not a service account email.", q(sa)), "Use `<name>@<project>.iam.gserviceaccount.com`, or remove it to use the federated identity directly.");
        }
    }
}

/// What is wrong with a Workload Identity provider name, if anything.
pub fn gcp_provider_problem(provider: &str) -> Option<String> {
    const PREFIX: &str = "//iam.googleapis.com/";
    let rest = if let Some(r) = provider.strip_prefix(PREFIX) {
        r
    } else if provider.starts_with("https://iam.googleapis.com/") {
        return Some("uses the `https:` form; the credentials file's audience must start with `//iam.googleapis.com/`.".to_string());
    } else if provider.starts_with("projects/") {
        return Some("lacks the `//iam.googleapis.com/` prefix of a full resource name.".to_string());
    } else {
        return Some("is not a Workload Identity provider's full resource name.".to_string());
    };
    let parts: Vec<&str> = rest.split('/').collect();
    let shape_ok = parts.len() == 8
        && parts.first() == Some(&"projects")
        && parts.get(2) == Some(&"locations")
        && parts.get(3) == Some(&"global")
        && parts.get(4) == Some(&"workloadIdentityPools")
        && parts.get(6) == Some(&"providers")
        && parts.get(5).is_some_and(|p| !p.is_empty())
        && parts.get(7).is_some_and(|p| !p.is_empty());
    if !shape_ok {
        return Some("is not `//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`.".to_string());
    }
    if !parts.get(1).is_some_and(|n| !n.is_empty() && n.chars().all(|ch| ch.is_ascii_digit())) {
        return Some("names the project by id; the resource name needs the project *number*.".to_string());
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Image

fn check_image(c: &BuildConfig, out: &mut Out) {
    let img = &c.image;
    let ecr_named = matches!(&c.registry, Registry::Ecr(r) if !r.repository.trim().is_empty());
    if img.name.trim().is_empty() {
        if !ecr_named {
            out.emit("KS144", "image.name", "The image name is empty.", "Set the image name, e.g. `my-app`.");
        }
    } else if !img.name.split('/').all(is_path_component) {
        let suggestion: String = img
            .name
            .to_ascii_lowercase()
            .chars()
            .map(|ch| if ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '/' | '.' | '_' | '-') { ch } else { '-' })
            .collect();
        out.emit("KS129", "image.name", format!("`{}` is not a valid repository name: lowercase letters, digits and single `.`, `_` or `-` between them, components separated by `/`.", q(&img.name)), format!("Use e.g. `{}`.", q(suggestion.trim_matches(|ch| ch == '-' || ch == '/'))));
    }
    if let Registry::Ecr(r) = &c.registry
        && !r.repository.is_empty()
        && !r.repository.split('/').all(is_path_component)
    {
        out.emit("KS129", "registry.ecr.repository", format!("`{}` is not a valid ECR repository name.", q(&r.repository)), "Use lowercase letters, digits, `.`, `_`, `-` and `/`.");
    }
    if img.tags.is_empty() {
        out.emit("KS130", "image.tags", "There are no tags, so there is nothing to push.", "Add at least one tag, e.g. `build_number`.");
    }
    for (i, t) in img.tags.iter().enumerate() {
        if img.tags.iter().take(i).any(|p| p == t) {
            out.emit_sev("KS130", Severity::Warning, format!("image.tags[{i}]"), format!("The tag `{}` is listed twice.", q(&t.describe())), "Remove the duplicate.");
        }
        if let Tag::Fixed(s) = t
            && !has_variable(s)
            && !is_valid_tag(s)
        {
            let fixed: String = s.chars().map(|ch| if ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '-') { ch } else { '-' }).collect();
            let fixed = fixed.trim_start_matches(['.', '-']);
            out.emit("KS130", format!("image.tags[{i}].fixed"), format!("`{}` is not a valid tag: up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`.", q(s)), if fixed.is_empty() { "Use a tag such as `latest` or `v1.2.3`.".to_string() } else { format!("Use e.g. `{}`.", q(fixed)) });
        }
    }
    if img.dockerfile.trim().is_empty() {
        out.emit("KS144", "image.dockerfile", "The Dockerfile path is empty.", "Use `Dockerfile` or the path relative to the context.");
    }
    if img.context.trim().is_empty() {
        out.emit("KS144", "image.context", "The build context is empty.", "Use `.` for the checkout's root.");
    }
    for (field, value, what) in [("image.dockerfile", &img.dockerfile, "Dockerfile path"), ("image.context", &img.context, "context"), ("image.context_sub_path", &img.context_sub_path, "context sub-path")] {
        let v = value.trim();
        if v.len() >= 2 && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\''))) {
            out.emit("KS128", field, format!("The {what} `{}` includes quote characters, which would be part of the path.", q(value)), format!("Write it without quotes: `{}`.", q(v.trim_matches(['"', '\'']))));
        }
    }
    // The context, then the Dockerfile under it, must stay in the checkout.
    let mut depth = 0i32;
    for (field, value) in [("image.context", &img.context), ("image.context_sub_path", &img.context_sub_path), ("image.dockerfile", &img.dockerfile)] {
        let v = value.trim();
        let problem = if v.starts_with('/') {
            Some("is an absolute path")
        } else {
            for part in v.split('/') {
                match part {
                    ".." => depth -= 1,
                    "" | "." => {}
                    _ => depth += 1,
                }
                if depth < 0 {
                    break;
                }
            }
            (depth < 0).then_some("climbs out of the checkout with `..`")
        };
        if let Some(problem) = problem {
            out.emit("KS157", field, format!("`{}` {problem}; paths are relative to the checkout, the only directory Kaniko sees.", q(value)), "Give the path from the checkout's root, e.g. `app` or `docker/Dockerfile`.");
            break;
        }
    }
    for (i, a) in img.build_args.iter().enumerate() {
        match a.split_once('=') {
            Some((key, _)) if key.trim().is_empty() || key.chars().any(char::is_whitespace) => {
                out.emit("KS126", format!("image.build_args[{i}]"), format!("`{}` has no valid name before `=`.", q(a)), "Write `NAME=value`, the name without spaces.");
            }
            Some(_) => {}
            None if c.is_kubernetes() => {}
            None => out.emit_sev("KS126", Severity::Info, format!("image.build_args[{i}]"), format!("`{}` has no `=`: Kaniko takes its value from its own environment, and on the Elastic stack the executor runs in `docker run`, where the step's variables are not set.", q(a)), format!("Write `{}=<value>`.", q(a.trim()))),
        }
    }
    for (i, l) in img.labels.iter().enumerate() {
        match l.split_once('=') {
            Some((key, _)) if !key.trim().is_empty() => {}
            _ => out.emit("KS126", format!("image.labels[{i}]"), format!("`{}` is not `KEY=VALUE`; Kaniko fails with `labels must be of the form key=value`.", q(l)), "Write `key=value`, e.g. `org.opencontainers.image.source=https://…`."),
        }
    }
    if !img.platform.is_empty() {
        let parts: Vec<&str> = img.platform.split('/').collect();
        let ok = (2..=3).contains(&parts.len())
            && parts.first() == Some(&"linux")
            && parts.iter().all(|p| !p.is_empty() && p.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_'));
        if !ok {
            out.emit("KS138", "image.platform", format!("`{}` is not `linux/<arch>[/<variant>]`.", q(&img.platform)), "Write e.g. `linux/amd64` or `linux/arm64`; Kaniko builds Linux images only and does not emulate other CPUs.");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Audience and lifetimes

fn check_audience_and_lifetime(c: &BuildConfig, out: &mut Out) {
    let Some(field) = c.registry.oidc_field() else {
        return;
    };
    let expected = c.registry.expected_audience().unwrap_or_default();
    let actual = c.registry.audience().unwrap_or_default();
    let aud_field = format!("{field}.audience");
    if actual != expected {
        match &c.registry {
            Registry::BuildkitePackages(r) => {
                let why = packages_audience_problem(&actual, &expected, &r.org);
                out.emit("KS111", &aud_field, format!("The audience `{}` is not `{expected}`: {why}", q(&actual)), "Remove `audience`: it is derived from the slugs. Package Registries compare it exactly.");
            }
            Registry::Ecr(_) | Registry::EcrPublic(_) => {
                let typo = actual.contains("amazon") || actual.contains("sts.");
                let sev = if typo { Severity::Error } else { Severity::Warning };
                let message = if typo {
                    format!("The audience `{}` looks like a mistyped `{AWS_AUDIENCE}`; STS answers `Incorrect token audience`.", q(&actual))
                } else {
                    format!("The audience `{}` is not `{AWS_AUDIENCE}`; it works only if it is in the IAM OIDC provider's client-ID list and the role's trust policy.", q(&actual))
                };
                out.emit_sev("KS111", sev, &aud_field, message, format!("Remove `audience` to use `{AWS_AUDIENCE}`."));
            }
            Registry::ArtifactRegistry(_) | Registry::Gcr(_) => {
                let https_form = expected.strip_prefix("//").map(|r| format!("https://{r}"));
                if https_form.as_deref() != Some(actual.as_str()) {
                    out.emit_sev("KS111", Severity::Warning, &aud_field, format!("The audience `{}` is not the provider's resource name; Google accepts it only if it is one of the provider's allowed audiences.", q(&actual)), "Remove `audience` to use the provider's resource name, which is always accepted.");
                }
            }
            Registry::Acr(_) if !matches!(actual.as_str(), "api://AzureADTokenExchangeUSGov" | "api://AzureADTokenExchangeChina") => {
                out.emit("KS111", &aud_field, format!("The audience `{}` is not `{AZURE_AUDIENCE}`; Entra ID answers AADSTS700212 (no matching federated identity record).", q(&actual)), format!("Remove `audience` to use `{AZURE_AUDIENCE}` (or the US Government / China variant for those clouds)."));
            }
            _ => {}
        }
    }
    let Some(lifetime) = c.registry.oidc_lifetime() else {
        return;
    };
    let lifetime_field = format!("{field}.lifetime");
    let packages = matches!(c.registry, Registry::BuildkitePackages(_));
    if packages {
        if lifetime == 0 || lifetime > PACKAGES_MAX_LIFETIME {
            out.emit("KS113", &lifetime_field, format!("The token lifetime is {lifetime} s; Package Registries accept at most {PACKAGES_MAX_LIFETIME} s (exp − iat ≤ 5 minutes)."), format!("Use `lifetime: {PACKAGES_MAX_LIFETIME}`; for builds longer than that use `auth: {{api_token: …}}`."));
        }
    } else if lifetime == 0 || lifetime > AGENT_MAX_LIFETIME {
        out.emit("KS114", &lifetime_field, format!("The token lifetime is {lifetime} s; the agent mints tokens for 1 to {AGENT_MAX_LIFETIME} s."), format!("Use at most `lifetime: {AGENT_MAX_LIFETIME}`."));
    }
    check_token_expiry(c, lifetime, &lifetime_field, out);
}

fn packages_audience_problem(actual: &str, expected: &str, org: &str) -> String {
    if actual.trim_end_matches('/') == expected {
        "it has a trailing slash.".to_string()
    } else if actual.starts_with(expected) {
        "it includes more than the registry (an image path?).".to_string()
    } else if actual.strip_prefix("http://").is_some_and(|r| format!("https://{r}") == expected) {
        "it uses `http://`.".to_string()
    } else if format!("https://{actual}") == expected {
        "it lacks `https://`.".to_string()
    } else if actual == format!("https://buildkite.com/{org}") {
        "that is the agent's default audience, which Package Registries reject.".to_string()
    } else if actual.to_ascii_lowercase() == expected {
        "the slugs are lowercase.".to_string()
    } else {
        "it names another host, organization or registry.".to_string()
    }
}

fn check_token_expiry(c: &BuildConfig, lifetime: u32, field: &str, out: &mut Out) {
    let build_secs = c.max_build_minutes.map(|m| u64::from(m) * 60);
    match &c.registry {
        Registry::BuildkitePackages(r) => {
            let refresh = "Or set `extras.refresh_credentials: true`: the step then mints a new token every few minutes and rewrites config.json, which Kaniko reads again at the final push.";
            if c.extras.refresh_credentials {
                return;
            }
            match build_secs {
                Some(b) if b > u64::from(lifetime) => out.emit("KS123", field, format!("Builds may take {} minutes, but the Package Registries token lives {lifetime} s and is checked when Kaniko pushes at the end.", b / 60), format!("Use an API access token kept in a secret (`auth: {{api_token: {{secret: …}}}}`, scopes Read Packages and Write Packages for `{}`). {refresh}", q(&r.org))),
                Some(_) => {}
                None => out.emit_sev("KS123", Severity::Info, field, format!("The Package Registries token lives {lifetime} s; a build that takes longer fails at push with 401."), format!("Set `max_build_minutes` to have this checked; for longer builds use `auth: {{api_token: …}}`. {refresh}")),
            }
        }
        Registry::ArtifactRegistry(_) | Registry::Gcr(_) => {
            // The Google keychain exchanges the token at the first registry call and again when
            // the access token (1 h) expires (oidc-federation.md §2.3, §3.2.5).
            if let Some(b) = build_secs
                && b > 55 * 60
                && b > u64::from(lifetime)
            {
                out.emit("KS123", field, format!("Builds may take {} minutes: after about an hour Google exchanges the Buildkite token again, and it expires after {lifetime} s.", b / 60), format!("Use `lifetime: {}` or more.", b.min(u64::from(AGENT_MAX_LIFETIME))));
            }
        }
        _ => {
            // ecr-login and acr-env read the token file at every registry call, including the
            // final push (oidc-federation.md §2.3).
            if let Some(b) = build_secs
                && b > u64::from(lifetime)
            {
                let fix = if b > u64::from(AGENT_MAX_LIFETIME) {
                    "No OIDC token lives that long (7200 s at most): use a credentials secret for such builds.".to_string()
                } else {
                    format!("Use `lifetime: {b}` (the token file is read again at the final push).")
                };
                out.emit("KS123", field, format!("Builds may take {} minutes, but the token lives {lifetime} s and is read again when Kaniko pushes.", b / 60), fix);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Kaniko

/// Flags the configuration sets itself, and the field that sets each.
const MANAGED_FLAGS: &[(&str, &str)] = &[
    ("destination", "image.tags"),
    ("context", "image.context"),
    ("dockerfile", "image.dockerfile"),
    ("context-sub-path", "image.context_sub_path"),
    ("build-arg", "image.build_args"),
    ("label", "image.labels"),
    ("target", "image.target"),
    ("custom-platform", "image.platform"),
    ("customPlatform", "image.platform"),
    ("cache", "kaniko.cache"),
    ("cache-repo", "kaniko.cache_repo"),
    ("cache-ttl", "kaniko.cache_ttl"),
    ("digest-file", "kaniko.digest_file"),
    ("no-push", "kaniko.no_push"),
    ("reproducible", "kaniko.reproducible"),
    ("snapshot-mode", "kaniko.snapshot_mode"),
    ("snapshotMode", "kaniko.snapshot_mode"),
    ("single-snapshot", "kaniko.single_snapshot"),
    ("skip-unused-stages", "kaniko.skip_unused_stages"),
    ("verbosity", "kaniko.verbosity"),
    ("log-timestamp", "kaniko.log_timestamp"),
    ("insecure", "registry.self_hosted.insecure"),
    ("registry-certificate", "registry.self_hosted.ca_cert"),
];

fn check_kaniko(c: &BuildConfig, out: &mut Out) {
    let k = &c.kaniko;
    let reference = k.executor.reference();
    let digest = k.digest.as_deref().map(str::trim).filter(|d| !d.is_empty());
    if let Some(d) = digest {
        let hex = d.strip_prefix("sha256:");
        if !hex.is_some_and(|h| h.len() == 64 && h.chars().all(|ch| ch.is_ascii_digit() || ('a'..='f').contains(&ch))) {
            out.emit("KS137", "kaniko.digest", format!("`{}` is not `sha256:` followed by 64 lowercase hexadecimal digits.", q(d)), "Copy the whole digest, e.g. from `crane digest <image>`.");
        }
    }
    let other = match k.executor {
        ExecutorImage::Google => Some((crate::config_file::GOOGLE_DEBUG_DIGEST, "google_debug", crate::config_file::GOOGLE_DIGEST)),
        ExecutorImage::GoogleDebug => Some((crate::config_file::GOOGLE_DIGEST, "google", crate::config_file::GOOGLE_DEBUG_DIGEST)),
        _ => None,
    };
    if let (Some(d), Some((wrong, name, right))) = (digest, other)
        && d == wrong
    {
        out.emit("KS156", "kaniko.digest", format!("`{}` is the digest of the `{name}` image, not of `{}`: the runtime pulls by digest, so the step would run the other image.", q(d), q(&reference)), format!("Use `{right}`, or remove `digest`."));
    }
    if let ExecutorImage::Custom { reference: r, .. } = &k.executor {
        if r.trim().is_empty() {
            out.emit("KS144", "kaniko.executor.custom.reference", "The custom executor image reference is empty.", "Set the image reference, e.g. `registry.example.com/kaniko/executor:v1.25.5-debug`.");
        } else if r.contains('@') {
            out.emit("KS137", "kaniko.executor.custom.reference", format!("`{}` includes a digest.", q(r)), "Move the digest to `kaniko.digest` and keep the tag in the reference.");
        }
    }
    if let ExecutorImage::Chainguard { tag, .. } = &k.executor
        && !is_valid_tag(tag)
    {
        out.emit("KS130", "kaniko.executor.chainguard.tag", format!("`{}` is not a valid tag.", q(tag)), "Use e.g. `latest` or a version tag your subscription offers.");
    }
    let last = reference.rsplit('/').next().unwrap_or_default();
    let tag = last.split_once(':').map(|(_, t)| t);
    if digest.is_none() && !reference.contains('@') && matches!(tag, None | Some("latest") | Some("debug") | Some("latest-dev") | Some("latest-debug")) {
        out.emit("KS120", "kaniko.executor", format!("`{}` uses a moving tag and no digest: the executor can change under the pipeline.", q(&reference)), "Use a version tag and pin it with `kaniko.digest`.");
    } else if digest.is_none() && !reference.contains('@') {
        let known = match k.executor {
            ExecutorImage::Google => Some(crate::config_file::GOOGLE_DIGEST),
            ExecutorImage::GoogleDebug => Some(crate::config_file::GOOGLE_DEBUG_DIGEST),
            _ => None,
        };
        let fix = match known {
            Some(d) => format!("Set `kaniko.digest: {d}` (as published for {reference}; verify with `crane digest {reference}`)."),
            None => format!("Set `kaniko.digest` to the digest of `{}`.", q(&reference)),
        };
        out.emit("KS121", "kaniko.digest", format!("`{}` is not pinned by digest.", q(&reference)), fix);
    }
    match &k.executor {
        ExecutorImage::Google | ExecutorImage::GoogleDebug => out.emit("KS122", "kaniko.executor", format!("`{reference}` is the last release of Google's Kaniko, archived in June 2025: it gets no security fixes."), "Plan a move to a maintained executor: Chainguard's images (subscription) or your own build of the Chainguard fork (`extras.build_executor`)."),
        ExecutorImage::Chainguard { .. } => out.emit("KS140", "kaniko.executor", format!("`{reference}` needs a Chainguard subscription for most tags."), "Make sure the agents can pull from cgr.dev (add the pull credentials), or build your own executor from the fork."),
        ExecutorImage::Custom { .. } => {}
    }
    if !k.cache_ttl.is_empty() && !is_go_duration(&k.cache_ttl) {
        let hint = k.cache_ttl.strip_suffix('d').and_then(|n| n.parse::<u64>().ok()).map(|d| format!("Use `{}h`.", d * 24)).unwrap_or_else(|| "Use a Go duration such as `168h`.".to_string());
        out.emit("KS136", "kaniko.cache_ttl", format!("`{}` is not a Go duration (units h, m, s; no `d`).", q(&k.cache_ttl)), hint);
    }
    if k.no_push && k.cache && k.cache_repo.trim().is_empty() {
        out.emit("KS134", "kaniko.cache_repo", "`no_push` with the cache on needs a cache repository: Kaniko stops with `cache flags invalid`.", format!("Set `kaniko.cache_repo`, e.g. `{}`, or turn the cache off for dry runs.", q(&format!("{}-cache", c.repository()))));
    }
    // Extra flags: the executor's own rules, then conflicts with managed settings.
    let args: Vec<&str> = k.extra_flags.iter().map(String::as_str).collect();
    for finding in check_executor_args(&args, k.executor.family()) {
        out.0.push(finding.diagnostic.with_field(format!("kaniko.extra_flags[{}]", finding.index)));
    }
    for (i, arg) in args.iter().enumerate() {
        let name = arg.trim_start_matches('-').split(['=', ' ']).next().unwrap_or_default();
        let name = match name {
            "d" => "destination",
            "c" => "context",
            "f" => "dockerfile",
            "v" => "verbosity",
            other => other,
        };
        if !arg.starts_with('-') {
            continue;
        }
        if let Some((_, field)) = MANAGED_FLAGS.iter().find(|(f, _)| *f == name) {
            out.emit("KS127", format!("kaniko.extra_flags[{i}]"), format!("`{}` sets what `{field}` already sets in the generated step.", q(arg)), format!("Set `{field}` and remove this flag."));
        }
    }
}

fn check_cache(c: &BuildConfig, out: &mut Out) {
    let k = &c.kaniko;
    let repo = k.cache_repo.trim();
    if repo.is_empty() {
        if k.cache
            && let Registry::DockerHub(r) = &c.registry
        {
            let suggestion = format!("docker.io/{}/{}-cache", r.namespace, c.image.name.replace('/', "-"));
            out.emit("KS117", "kaniko.cache_repo", format!("Kaniko's default cache repository would be `{}/cache`, a nested repository Docker Hub does not allow (the cache push fails with 401).", q(&c.repository())), format!("Set `kaniko.cache_repo: {}` (create it on Docker Hub first).", q(&suggestion)));
        }
        return;
    }
    if repo.starts_with("oci:") {
        return;
    }
    let field = "kaniko.cache_repo";
    if let Some((scheme, rest)) = repo.split_once("://") {
        out.emit("KS116", field, format!("`{}` has a `{scheme}://` scheme.", q(repo)), format!("Write it without the scheme: `{}`.", q(rest)));
        return;
    }
    if let Some((base, _)) = repo.split_once('@') {
        out.emit("KS116", field, format!("`{}` has a digest; Kaniko appends its own cache keys as tags.", q(repo)), format!("Use `{}`.", q(base)));
        return;
    }
    let Some((host, path)) = repo.split_once('/') else {
        out.emit("KS116", field, format!("`{}` has no repository path; Kaniko would read it as Docker Hub's `library/{}`.", q(repo), q(repo)), format!("Use `{}/cache` or a path under the destination.", q(repo)));
        return;
    };
    let last = path.rsplit('/').next().unwrap_or_default();
    if let Some((name, tag)) = last.split_once(':') {
        let base = format!("{host}/{}", path.rsplit_once('/').map(|(p, _)| format!("{p}/{name}")).unwrap_or_else(|| name.to_string()));
        // `app:cache` was meant as a cache repository of its own: `app-cache`.
        let base = if tag.contains("cache") && !name.contains("cache") { format!("{base}-cache") } else { base };
        out.emit("KS116", field, format!("`{}` has a tag; Kaniko pushes cache layers as `<cache repo>:<key>`, so the tag makes every cache push fail.", q(repo)), format!("Use `{}`.", q(&base)));
        return;
    }
    if !path.split('/').all(is_path_component) {
        out.emit("KS129", field, format!("`{}` is not a valid lowercase repository path.", q(repo)), "Use lowercase letters, digits and single `.`, `_`, `-` between them.");
    }
    let host_is_registry = host.contains('.') || host.contains(':') || host == "localhost";
    let cache_host = if host_is_registry { host.to_string() } else { "docker.io".to_string() };
    let normalise = |h: &str| match h {
        "index.docker.io" | "registry-1.docker.io" => "docker.io".to_string(),
        other => other.to_string(),
    };
    let dest_host = normalise(&c.registry.host());
    if let Registry::BuildkitePackages(r) = &c.registry {
        let prefix = format!("{}/", c.registry.prefix());
        if normalise(&cache_host) == dest_host && !repo.starts_with(&prefix) {
            out.emit_sev("KS112", Severity::Error, field, format!("`{}` is in another Package Registries registry than `{}`; the step's token is only valid for `https://packages.buildkite.com/{}/{}`, and one config.json cannot hold a second one.", q(repo), q(&c.registry.prefix()), q(&r.org), q(&r.registry)), format!("Use `{}{}-cache`.", prefix, q(&c.image.name.replace('/', "-"))));
            return;
        }
    }
    if normalise(&cache_host) != dest_host {
        out.emit("KS112", field, format!("The cache repository is on `{cache_host}`, but the step authenticates only to `{dest_host}`; Kaniko does not pre-check it and treats cache failures as warnings, so the cache would silently never hit."), format!("Put the cache under the destination, e.g. `{}-cache`.", q(&c.repository())));
    }
}

// ---------------------------------------------------------------------------------------------
// Extras

fn check_extras(c: &BuildConfig, out: &mut Out) {
    let e = &c.extras;
    if e.pull_and_run {
        if c.is_kubernetes() {
            out.emit("KS132", "extras.pull_and_run", "Pull-and-run verification needs Docker on an Elastic CI Stack host; the Kubernetes stack has none.", "Turn `pull_and_run` off, or run the step on the Elastic stack.");
        } else if c.kaniko.no_push {
            out.emit("KS132", "extras.pull_and_run", "With `no_push` nothing is pushed, so there is nothing to pull and run.", "Turn `pull_and_run` off for dry runs.");
        }
    }
    if e.env_switches && c.is_kubernetes() {
        out.emit("KS141", "extras.env_switches", "On the Kubernetes stack `KANIKO_DEBUG` cannot change the executor image: it is fixed in the pod spec; `KANIKO_VERBOSITY` and `KANIKO_NO_PUSH` still apply.", "Pick the image with `kaniko.executor` (`google_debug` already has a shell).");
    }
    if e.refresh_credentials && !matches!(&c.registry, Registry::BuildkitePackages(r) if r.auth == PackagesAuth::Oidc) {
        out.emit("KS154", "extras.refresh_credentials", format!("{} credentials here are not a 5-minute token in config.json, so there is nothing to refresh.", c.registry.display_name()), "Remove `refresh_credentials`; for AWS, Google or Azure federation raise the token's `lifetime` instead (up to 7200 s).");
    }
    match &e.verify_executor {
        Some(CosignKey::Google) if c.kaniko.executor.family() != ExecutorFamily::Google || matches!(c.kaniko.executor, ExecutorImage::Custom { .. }) => {
            out.emit("KS131", "extras.verify_executor", format!("Google's key only verifies Google's images, not `{}`.", q(&c.kaniko.executor.reference())), "Use `verify_executor: {key: <your public key>}` for images you sign, or a Google executor image.");
        }
        Some(CosignKey::Key(k)) if k.trim().is_empty() => {
            out.emit("KS131", "extras.verify_executor.key", "The cosign key is empty.", "Give the path or URL of the public key (`cosign.pub`, `https://…`, `awskms://…`).");
        }
        _ => {}
    }
    if let Some(b) = &e.build_executor {
        let looks_like_tag = b.git_ref.starts_with('v') && b.git_ref.chars().skip(1).all(|ch| ch.is_ascii_digit() || ch == '.');
        if b.git_ref.trim().is_empty() {
            out.emit("KS142", "extras.build_executor.git_ref", "The fork's git ref is empty.", "Use a release tag of the Chainguard fork, e.g. `v1.25.5`.");
        } else if !looks_like_tag {
            out.emit_sev("KS142", Severity::Warning, "extras.build_executor.git_ref", format!("`{}` is not a release tag; a branch moves, so rebuilding gives a different executor.", q(&b.git_ref)), "Build a release tag of the fork, e.g. `v1.25.5`.");
        }
        let r = b.repository.trim();
        if r.is_empty() {
            out.emit("KS142", "extras.build_executor.repository", "The repository for your executor images is empty.", "Set it, e.g. `registry.example.com/kaniko/executor`.");
        } else if r.contains("://") || r.contains('@') || r.rsplit('/').next().is_some_and(|l| l.contains(':')) || !r.contains('/') {
            out.emit("KS142", "extras.build_executor.repository", format!("`{}` must be `host/path` without scheme, tag or digest: the tags are added from `git_ref`.", q(r)), "Write e.g. `registry.example.com/kaniko/executor`.");
        } else if !same_registry(&c.registry, r) {
            let prefix = match &c.registry {
                Registry::BuildkitePackages(_) => c.registry.prefix(),
                other => other.host(),
            };
            out.emit("KS152", "extras.build_executor.repository", format!("`{}` is not on {} (`{prefix}/…`), whose credentials the executor pipeline uses.", q(r), c.registry.display_name()), format!("Use a repository under `{prefix}/`, e.g. `{prefix}/kaniko`."));
        }
        let plan = crate::generate::plan::from_config(c);
        if let Some(why) = crate::generate::executor_build::unsupported(&plan) {
            out.emit("KS153", "extras.build_executor", format!("The executor pipeline cannot push here: {why}."), "Build the executor on a registry with a token or password, or on ECR from the Elastic CI Stack; or build it yourself and set `kaniko.executor: {custom: …}`.");
        }
    }
}

/// Is `repository` (`host/path`) on `registry`, so the build's credentials apply? Package
/// Registries credentials hold for one registry (`packages.buildkite.com/org/registry/…`);
/// others for the whole host. Docker Hub's references are `docker.io/…` (or `index.docker.io`).
fn same_registry(registry: &Registry, repository: &str) -> bool {
    let repository = repository.to_ascii_lowercase();
    match registry {
        Registry::BuildkitePackages(_) => repository.starts_with(&format!("{}/", registry.prefix().to_ascii_lowercase())),
        Registry::DockerHub(_) => ["docker.io/", "index.docker.io/", "registry-1.docker.io/"].iter().any(|h| repository.starts_with(h)),
        other => repository.split('/').next() == Some(other.host().to_ascii_lowercase().as_str()),
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::config_file::{REGISTRY_KINDS, StackKind, example_config};

    fn ids(c: &BuildConfig) -> Vec<&'static str> {
        validate(c).iter().map(|d| d.id).collect()
    }

    fn errors(c: &BuildConfig) -> Vec<String> {
        validate(c).iter().filter(|d| d.is_error()).map(|d| format!("{} {:?} {}", d.id, d.field, d.message)).collect()
    }

    fn packages() -> BuildConfig {
        example_config(StackKind::Kubernetes, "buildkite_packages").expect("example")
    }

    #[test]
    fn paths_stay_in_the_checkout() {
        for (context, sub, dockerfile, bad) in [
            (".", "", "Dockerfile", false),
            ("app", "", "../Dockerfile", false),
            ("app/web", "", "../../docker/Dockerfile", false),
            ("../outside", "", "Dockerfile", true),
            ("app", "", "../../Dockerfile", true),
            (".", "", "/abs/Dockerfile", true),
            ("/workspace", "", "Dockerfile", true),
            ("app", "..", "../Dockerfile", true),
        ] {
            let mut c = packages();
            c.image.context = context.into();
            c.image.context_sub_path = sub.into();
            c.image.dockerfile = dockerfile.into();
            assert_eq!(ids(&c).contains(&"KS157"), bad, "{context} {sub} {dockerfile}: {:?}", errors(&c));
        }
    }

    #[test]
    fn a_digest_of_the_other_google_image_is_refused() {
        let mut c = packages();
        c.kaniko.executor = ExecutorImage::GoogleDebug;
        c.kaniko.digest = Some(crate::config_file::GOOGLE_DIGEST.into());
        assert!(ids(&c).contains(&"KS156"), "{:?}", errors(&c));
        c.kaniko.digest = Some(crate::config_file::GOOGLE_DEBUG_DIGEST.into());
        assert!(!ids(&c).contains(&"KS156"));
        c.kaniko.executor = ExecutorImage::Google;
        assert!(ids(&c).contains(&"KS156"));
    }

    #[test]
    fn examples_have_no_errors_or_warnings() {
        for stack in StackKind::ALL {
            for kind in REGISTRY_KINDS {
                let c = example_config(stack, kind).expect("example");
                let loud: Vec<String> = validate(&c)
                    .iter()
                    .filter(|d| d.severity >= Severity::Warning)
                    .map(|d| format!("{} {:?} {}", d.id, d.field, d.message))
                    .collect();
                assert!(loud.is_empty(), "{kind} on {stack:?}: {loud:#?}");
            }
        }
    }

    #[test]
    fn fields_match_serde_paths() {
        let mut c = packages();
        c.registry = Registry::BuildkitePackages(PackagesRegistry {
            org: "My Org".into(),
            registry: "docker-images".into(),
            auth: PackagesAuth::Oidc,
            lifetime: 900,
            audience: Some("https://packages.buildkite.com/acme/docker-images/".into()),
            pipelines: Vec::new(),
            branches: Vec::new(),
        });
        let d = validate(&c);
        let fields: Vec<(&str, Option<&str>)> = d.iter().map(|d| (d.id, d.field.as_deref())).collect();
        assert!(fields.contains(&("KS003", Some("registry.buildkite_packages.org"))), "{fields:?}");
        assert!(fields.contains(&("KS111", Some("registry.buildkite_packages.audience"))), "{fields:?}");
        assert!(fields.contains(&("KS113", Some("registry.buildkite_packages.lifetime"))), "{fields:?}");
    }

    #[test]
    fn kubernetes_needs_a_shell() {
        let mut c = packages();
        c.kaniko.executor = ExecutorImage::Google;
        assert!(ids(&c).contains(&"KS115"));
        c.stack = Stack::Elastic(ElasticStack::default());
        assert!(!ids(&c).contains(&"KS115"));
    }

    #[test]
    fn cache_repo_rules() {
        let mut c = packages();
        c.kaniko.cache_repo = "packages.buildkite.com/acme/docker-images/my-app:cache".into();
        assert!(ids(&c).contains(&"KS116"));
        c.kaniko.cache_repo = "packages.buildkite.com/acme/other/cache".into();
        let d = validate(&c);
        assert!(d.iter().any(|d| d.id == "KS112" && d.is_error()), "{d:?}");
        c.kaniko.cache_repo = "packages.buildkite.com/acme/docker-images/my-app-cache".into();
        assert!(errors(&c).is_empty(), "{:?}", errors(&c));
    }

    #[test]
    fn variables_and_placeholders() {
        let mut c = packages();
        c.image.tags = vec![Tag::Fixed("$BUILDKITE_BUILD_NUMBER".into())];
        let d = validate(&c);
        assert!(d.iter().any(|d| d.id == "KS125" && d.fix.contains("build_number")), "{d:?}");
        c.image.tags = vec![Tag::BuildNumber];
        c.image.build_args = vec!["SHA=$BUILDKITE_COMMIT".into(), "X=$${Y}".into(), "BUILDKITE_COMMIT".into()];
        let d = validate(&c);
        assert_eq!(d.iter().filter(|d| d.id == "KS124").count(), 1);
        let bare = d.iter().find(|d| d.id == "KS125").expect("KS125");
        assert!(bare.fix.contains("bare `SHA`"), "{}", bare.fix);
        assert!(!d.iter().any(|d| d.id == "KS126"), "a bare build arg is fine on Kubernetes");
        c.image.name = "<image>".into();
        assert!(ids(&c).contains(&"KS110"));
    }

    /// Made-up credentials in each public format, built at run time so that no secret scanner
    /// mistakes this file for a leak.
    fn fake_credentials() -> Vec<(String, &'static str)> {
        let random = "0123456789abcdefghijABCDEFGHIJ0123456789";
        vec![
            (format!("ghp_{random}"), "GitHub personal access token"),
            (format!("github_pat_11{random}_{random}"), "fine-grained"),
            (format!("glpat-{}", &random[10..30]), "GitLab"),
            (format!("dckr_pat_{}", &random[..27]), "Docker Hub"),
            (format!("bkua_{random}"), "Buildkite API access token"),
            (format!("AKIA{}", "IOSFODNN7EXAMPLE"), "AWS access key id"),
            (format!("eyJhbGciOiJSUzI1NiJ9.eyJ{}.{}", &random[..20], &random[..30]), "JWT"),
            (format!("-----BEGIN {}PRIVATE KEY-----\nMIIE", "RSA "), "private key"),
        ]
    }

    #[test]
    fn credentials_where_a_name_belongs_are_errors_and_never_repeated() {
        for (secret, what) in fake_credentials() {
            // A secret's key, a user name, a build arg: wherever it is written.
            let mut c = example_config(StackKind::Elastic, "docker_hub").expect("example");
            if let Registry::DockerHub(r) = &mut c.registry {
                r.token = SecretRef::Buildkite { key: secret.clone() };
            }
            c.image.build_args = vec![format!("NPM_TOKEN={secret}")];
            // The image name's own rule quotes what it rejects: that quote is hidden too.
            c.image.name = secret.clone();
            let d = validate(&c);
            assert!(d.iter().any(|d| d.id != "KS155" && d.field.as_deref() == Some("image.name")), "{what}: {d:#?}");
            let found: Vec<&Diagnostic> = d.iter().filter(|d| d.id == "KS155").collect();
            assert_eq!(found.len(), 3, "{what}: {d:#?}");
            assert!(found.iter().all(|d| d.is_error()), "{what}");
            let mut fields: Vec<&str> = found.iter().filter_map(|d| d.field.as_deref()).collect();
            fields.sort_unstable();
            assert_eq!(fields, ["image.build_args[0]", "image.name", "registry.docker_hub.token.buildkite.key"], "{what}");
            assert!(found[0].message.to_lowercase().contains(&what.to_lowercase()), "{what}: {}", found[0].message);
            for d in &d {
                assert!(!d.message.contains(&secret) && !d.fix.contains(&secret), "{what} repeated by {}: {}", d.id, d.message);
            }
            assert_eq!(credential_fields(&c).len(), 3, "{what}");
        }
    }

    #[test]
    fn the_credential_is_located_in_its_text() {
        for (secret, what) in fake_credentials() {
            let text = format!("é export X=\"{secret}\" # é");
            let (_, range) = find_credential(&text).expect("every made-up credential is found");
            let found = &text[range];
            assert!(secret.starts_with(found) && found.len() >= 10, "{what}: {found}");
        }
    }

    #[test]
    fn names_and_ids_are_not_credentials() {
        for value in [
            "DOCKER_HUB_TOKEN", "GITHUB_TOKEN", "ghp_short", "gh_pat", "glpat", "AKIA", "AKIAIOSFODNN7EXAMPL", "akiaiosfodnn7example",
            "eyJ.a.b", "buildkite-kaniko-push", "arn:aws:iam::123456789012:role/buildkite-kaniko-push", "registry-login",
            "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/buildkite/providers/buildkite",
            "11111111-2222-3333-4444-555555555555", "packages.buildkite.com/acme/docker-images/my-app", "BUILDKITE_COMMIT",
        ] {
            assert_eq!(credential_kind(value), None, "{value}");
        }
        for stack in StackKind::ALL {
            for kind in REGISTRY_KINDS {
                let c = example_config(stack, kind).expect("example");
                assert!(credential_fields(&c).is_empty(), "{kind} on {stack:?}");
            }
        }
    }

    #[test]
    fn predicates() {
        for ok in ["a", "my-app", "my_app", "my__app", "a.b", "x1"] {
            assert!(is_path_component(ok), "{ok}");
        }
        for bad in ["", "A", "-a", "a-", "a..b", "a_-b", "a b", "é"] {
            assert!(!is_path_component(bad), "{bad}");
        }
        assert!(is_valid_tag("v1.2.3") && is_valid_tag("_x") && is_valid_tag(&"a".repeat(128)));
        assert!(!is_valid_tag(".x") && !is_valid_tag("-x") && !is_valid_tag("a/b") && !is_valid_tag(&"a".repeat(129)));
        assert!(has_variable("$FOO") && has_variable("a${b}") && has_variable("$_X"));
        assert!(!has_variable("robot$ci") && !has_variable("$") && !has_variable("5$"));
        assert!(is_host("registry.example.com:5000") && is_host("localhost"));
        assert!(!is_host("https://x") && !is_host("x:") && !is_host("x:123456") && !is_host("a..b"));
        assert!(is_aws_region("eu-west-1") && is_aws_region("us-gov-west-1"));
        assert!(!is_aws_region("eu-west") && !is_aws_region("EU-WEST-1") && !is_aws_region("euwest1"));
        assert!(is_uuid("11111111-2222-3333-4444-555555555555") && !is_uuid("1111-2222"));
        assert!(is_placeholder("<account>") && is_placeholder("{org}") && is_placeholder("your-project"));
        assert!(!is_placeholder("acme") && !is_placeholder("a>b<c"));
    }

    #[test]
    fn gcp_provider_names() {
        let good = "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/p/providers/q";
        assert_eq!(gcp_provider_problem(good), None);
        assert!(gcp_provider_problem(&good.replace("//", "https://")).is_some_and(|p| p.contains("https:")));
        assert!(gcp_provider_problem("projects/123/locations/global/workloadIdentityPools/p/providers/q").is_some_and(|p| p.contains("prefix")));
        assert!(gcp_provider_problem(&good.replace("/123/", "/my-project/")).is_some_and(|p| p.contains("number")));
        assert!(gcp_provider_problem(&good.replace("/providers/q", "")).is_some());
    }

    #[test]
    fn unsupported_versions_are_reported() {
        let mut c = packages();
        c.version = 0;
        assert_eq!(ids(&c).first(), Some(&"KS143"));
        c.version = CONFIG_VERSION + 1;
        assert_eq!(ids(&c).first(), Some(&"KS143"));
        c.version = CONFIG_VERSION;
        assert!(!ids(&c).contains(&"KS143"));
    }

    #[test]
    fn never_panics_on_odd_values() {
        let mut c = packages();
        let odd = ["", "\u{0}", "é", "a:b@c", "//", ":", "@", "$", "${", "-", "oci:", "a/b:c:d", "x".repeat(5000).as_str()].map(String::from);
        for s in &odd {
            c.image.name = s.clone();
            c.kaniko.cache_repo = s.clone();
            c.kaniko.cache_ttl = s.clone();
            c.kaniko.digest = Some(s.clone());
            c.image.platform = s.clone();
            c.kaniko.extra_flags = vec![s.clone()];
            let _ = validate(&c);
        }
    }
}
