//! Generation: every artifact a user pastes into their repository and cluster, from one
//! [`BuildConfig`].
//!
//! `generate` validates first and emits nothing while an error stands. The configuration is
//! reduced to a [`plan::Plan`] with every default resolved; each artifact is a pure function
//! of the plan, rendered with the quoting functions of [`quote`] so that nothing a user types
//! can change the structure of the output. Same input, byte-identical output.
//!
//! Artifacts, in this order (those that do not apply are left out):
//! - `.buildkite/pipeline.yml`: the step (Kubernetes: the script inline as the command, the
//!   debug image and secret volumes in `podSpecPatch`).
//! - `.buildkite/steps/kaniko.sh` (Elastic): the bash script the step runs on the host.
//! - `.buildkite/kaniko/config.json`: the shape of the `config.json` Kaniko reads.
//! - `.buildkite/kaniko/oidc-policy.yml`: the Package Registries OIDC policy.
//! - `.buildkite/kaniko/secrets.yaml` and `create-secrets.sh`: Kubernetes Secrets.
//! - `.buildkite/kaniko/SETUP.md`: the one-time set-up checklist.
//! - `.buildkite/doctor.yml` and `.buildkite/steps/kaniko-doctor.sh`: the doctor step, which
//!   checks the authentication chain link by link without building ([`doctor`]).
//! - `.buildkite/kaniko-executor.yml` and `.buildkite/steps/kaniko-executor.sh` (with
//!   `extras.build_executor`): build, push and sign your own executor ([`executor_build`]).

pub mod docker_config;
pub mod doctor;
pub mod executor_build;
pub mod extras;
mod lines;
pub mod pipeline;
pub mod plan;
pub mod quote;
pub mod script;

use serde::Serialize;

use crate::config::{BuildConfig, CosignKey, SecretRef, Stack};
use crate::diagnostic::{Diagnostic, Rule, Severity, has_errors};

const DOCS_INTERPOLATION: &str = "https://buildkite.com/docs/agent/cli/reference/pipeline#environment-variable-substitution";
const DOCS_K8S_SECRETS: &str = "https://buildkite.com/docs/agent/self-hosted/agent-stack-k8s/podspec";
const DOCS_ELASTIC_SECRETS: &str = "https://buildkite.com/docs/agent/self-hosted/aws/elastic-ci-stack/ec2-linux-and-windows/security";

/// Rules reported by this module: values that validation accepts but that cannot be written
/// into an artifact safely, and options the generator does not cover on a stack.
pub static RULES: &[Rule] = &[
    Rule {
        id: "KS200",
        name: reference!("value-breaks-interpolation"),
        severity: Severity::Error,
        summary: reference!("A value written into pipeline.yml contains `\\$`, which `pipeline upload` turns into `$`."),
        why: reference!("Buildkite interpolates every string in pipeline.yml at upload time; `\\$` and `$$` are its escapes, so a literal backslash before a dollar cannot survive and the step would see a different value."),
        example: reference!("stack: {kubernetes: {queue: \"build\\\\$x\"}}"),
        fix: reference!("Remove the backslash before the `$`."),
        docs: DOCS_INTERPOLATION,
    },
    Rule {
        id: "KS201",
        name: reference!("kubernetes-secret-on-elastic"),
        severity: Severity::Error,
        summary: reference!("A secret is a Kubernetes Secret, but the step runs on the Elastic CI Stack."),
        why: reference!("Only the Agent Stack for Kubernetes can mount a Kubernetes Secret into the step; on Elastic the script would find no file."),
        example: reference!("token: {kubernetes: {name: dockerhub, key: token}}  # with stack: elastic"),
        fix: reference!("Use `env: {var: NAME}` (the S3 secrets bucket's env file) or `buildkite: {key: NAME}` (Buildkite secrets)."),
        docs: DOCS_ELASTIC_SECRETS,
    },
    Rule {
        id: "KS202",
        name: reference!("secret-env-name"),
        severity: Severity::Error,
        summary: reference!("A secret's environment variable name is not a shell identifier."),
        why: reference!("The script reads the secret as `${NAME}`; a name with other characters cannot be expanded and would change the script."),
        example: reference!("token: {env: {var: \"DOCKER-TOKEN\"}}"),
        fix: reference!("Use letters, digits and underscores, not starting with a digit (e.g. `DOCKER_TOKEN`)."),
        docs: DOCS_ELASTIC_SECRETS,
    },
    Rule {
        id: "KS203",
        name: reference!("kubernetes-secret-name"),
        severity: Severity::Error,
        summary: reference!("A Kubernetes Secret name or key is not valid in Kubernetes."),
        why: reference!("Secret names are DNS subdomains (lowercase letters, digits, `-` and `.`) and keys use letters, digits, `-`, `_` and `.`; Kubernetes rejects anything else, and the key becomes a file name in the mount."),
        example: reference!("token: {kubernetes: {name: Docker_Hub, key: token}}"),
        fix: reference!("Use the Secret's real name and key, e.g. `dockerhub-kaniko` and `token`."),
        docs: DOCS_K8S_SECRETS,
    },
    Rule {
        id: "KS204",
        name: reference!("cosign-on-kubernetes"),
        severity: Severity::Warning,
        summary: reference!("Executor signature verification on Kubernetes needs a digest pin and a key the init container can reach."),
        why: reference!("On Kubernetes an init container runs `cosign verify` before the build container starts, and the kubelet then pulls the executor by its reference: only a digest guarantees that the image that runs is the one verified. The init container does not see the checkout, so a key must be an `https://` URL or a KMS/`k8s://` URI."),
        example: reference!("extras: {verify_executor: google}  # with stack: kubernetes and no kaniko.digest"),
        fix: reference!("Pin the executor by digest (`kaniko.digest`) and give the key as a URL or KMS URI; an admission policy (Sigstore policy-controller, Kyverno) can enforce the same cluster-wide."),
        docs: "https://docs.sigstore.dev/cosign/verifying/verify/",
    },
    Rule {
        id: "KS206",
        name: reference!("value-has-nul"),
        severity: Severity::Error,
        summary: reference!("A value contains a NUL character."),
        why: reference!("A NUL cannot appear in a shell argument or an environment variable: the script would silently cut the value short."),
        example: reference!("image: {name: \"app\\u0000\"}"),
        fix: reference!("Remove the NUL character (often pasted from binary output)."),
        docs: "https://pubs.opengroup.org/onlinepubs/9799919799/basedefs/V1_chap03.html#tag_03_375",
    },
    Rule {
        id: "KS207",
        name: reference!("script-path"),
        severity: Severity::Error,
        summary: reference!("The Elastic step script's path is not a plain relative path inside the repository."),
        why: reference!("The script is written to this path under the output directory and committed; an absolute path or `..` would write it outside the repository."),
        example: reference!("stack: {elastic: {script: ../../etc/kaniko.sh}}"),
        fix: reference!("Use a relative path inside the repository, such as `.buildkite/steps/kaniko.sh`."),
        docs: "https://buildkite.com/docs/agent/self-hosted/aws/elastic-ci-stack/ec2-linux-and-windows/kaniko-container-builds",
    },
    Rule {
        id: "KS205",
        name: reference!("executor-build-use"),
        severity: Severity::Info,
        summary: reference!("The build does not use the executor its own executor pipeline builds."),
        why: reference!("`.buildkite/kaniko-executor.yml` pushes `<repository>:<git_ref>` and `<git_ref>-debug`; until `kaniko.executor` names one of them, builds keep running the archived Google image."),
        example: reference!("extras: {build_executor: {git_ref: v1.25.5, repository: registry.example.com/kaniko}} with executor: google_debug"),
        fix: reference!("After the executor pipeline's first run, set `kaniko.executor: {custom: <repository>:<git_ref>-debug}` and `kaniko.digest` to the digest it annotates."),
        docs: "https://github.com/chainguard-forks/kaniko",
    },
];

fn rule(id: &str) -> &'static Rule {
    crate::rules::by_id(RULES, id)
}

/// What an artifact is, for front ends (icons, file modes, syntax highlighting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactKind {
    /// A Buildkite pipeline (YAML).
    Pipeline,
    /// A shell script; written with mode 755.
    Script,
    /// A Docker `config.json` (JSON).
    DockerConfig,
    /// A Package Registries OIDC policy (YAML).
    OidcPolicy,
    /// Kubernetes manifests (YAML).
    KubernetesManifest,
    /// Markdown for people.
    Checklist,
}

impl ArtifactKind {
    /// True for files that must be executable.
    pub fn is_executable(self) -> bool {
        self == ArtifactKind::Script
    }
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Artifact {
    /// Path relative to the repository root, `/`-separated.
    pub path: String,
    pub kind: ArtifactKind,
    /// One line: what the file is for.
    pub purpose: String,
    /// The file's text; ends with a newline.
    pub content: String,
}

/// Every generated file, in a stable order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Artifacts {
    pub files: Vec<Artifact>,
}

impl Artifacts {
    /// The artifact at `path`.
    pub fn get(&self, path: &str) -> Option<&Artifact> {
        self.files.iter().find(|a| a.path == path)
    }
    /// True when nothing was generated (an error stands).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

pub const PIPELINE_PATH: &str = ".buildkite/pipeline.yml";
pub const CONFIG_JSON_PATH: &str = ".buildkite/kaniko/config.json";
pub const POLICY_PATH: &str = ".buildkite/kaniko/oidc-policy.yml";
pub const SECRETS_PATH: &str = ".buildkite/kaniko/secrets.yaml";
pub const CREATE_SECRETS_PATH: &str = ".buildkite/kaniko/create-secrets.sh";
pub const CHECKLIST_PATH: &str = ".buildkite/kaniko/SETUP.md";

/// Validate `config`, then generate every artifact. No artifact is produced while an
/// error-severity diagnostic stands; warnings and infos are returned with the artifacts.
pub fn generate(config: &BuildConfig) -> (Artifacts, Vec<Diagnostic>) {
    let mut diags = validation(config);
    let extra: Vec<Diagnostic> = check(config)
        .into_iter()
        .filter(|d| !already_reported(&diags, d))
        .collect();
    diags.extend(extra);
    if has_errors(&diags) {
        return (Artifacts::default(), diags);
    }
    let plan = plan::from_config(config);
    let unrepresentable = pipeline_strings(&plan).into_iter().find(|(_, v)| !quote::interpolation_safe(v));
    if let Some((field, value)) = unrepresentable {
        diags.push(
            rule("KS200")
                .diag(
                    format!("`{}` contains `\\$`, which Buildkite's pipeline upload turns into `$`.", crate::audience::shorten(&value)),
                    "Remove the backslash before the `$`.",
                )
                .with_field(field),
        );
        return (Artifacts::default(), diags);
    }
    (render(&plan), diags)
}

/// Generation's own checks are a safety net under validation: when validation already
/// reports an error on the same field (or inside it), the user sees that one message only.
fn already_reported(validation: &[Diagnostic], d: &Diagnostic) -> bool {
    let Some(field) = d.field.as_deref() else { return false };
    validation.iter().any(|v| {
        v.is_error()
            && v.field.as_deref().is_some_and(|f| {
                f == field || f.strip_prefix(field).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
            })
    })
}

/// The validation rules of [`crate::validate`].
fn validation(config: &BuildConfig) -> Vec<Diagnostic> {
    crate::validate::validate(config)
}

/// Every artifact for a plan.
pub fn render(plan: &plan::Plan) -> Artifacts {
    let mut files = Vec::new();
    let script = script::render(plan);
    let kubernetes = plan.stack.is_kubernetes();
    files.push(Artifact {
        path: PIPELINE_PATH.to_string(),
        kind: ArtifactKind::Pipeline,
        purpose: if kubernetes {
            "The Kaniko build step for the Agent Stack for Kubernetes; commit it.".to_string()
        } else {
            "The Kaniko build step for the Elastic CI Stack; commit it.".to_string()
        },
        content: pipeline::render(plan, &script),
    });
    if let plan::Stack::Elastic { script_path, .. } = &plan.stack {
        files.push(Artifact {
            path: script_path.trim_start_matches("./").to_string(),
            kind: ArtifactKind::Script,
            purpose: "Mints credentials on the host and runs the executor in docker; commit it executable."
                .to_string(),
            content: script,
        });
    }
    if let Some(content) = docker_config::artifact(plan) {
        files.push(Artifact {
            path: CONFIG_JSON_PATH.to_string(),
            kind: ArtifactKind::DockerConfig,
            purpose: "The config.json Kaniko reads (the step writes it at run time; reference only).".to_string(),
            content,
        });
    }
    if let Some(content) = extras::oidc_policy(plan) {
        files.push(Artifact {
            path: POLICY_PATH.to_string(),
            kind: ArtifactKind::OidcPolicy,
            purpose: "Paste into the registry's Settings > OIDC Policy.".to_string(),
            content,
        });
    }
    if let Some(content) = extras::secret_manifests(plan) {
        files.push(Artifact {
            path: SECRETS_PATH.to_string(),
            kind: ArtifactKind::KubernetesManifest,
            purpose: "The Kubernetes Secrets the step mounts, with placeholders.".to_string(),
            content,
        });
    }
    if let Some(content) = extras::create_secrets_script(plan) {
        files.push(Artifact {
            path: CREATE_SECRETS_PATH.to_string(),
            kind: ArtifactKind::Script,
            purpose: "Creates those Secrets with kubectl from files; run once.".to_string(),
            content,
        });
    }
    files.push(Artifact {
        path: CHECKLIST_PATH.to_string(),
        kind: ArtifactKind::Checklist,
        purpose: "One-time set-up steps, in order.".to_string(),
        content: extras::checklist(plan),
    });
    files.extend(doctor_artifacts(plan));
    if let Some(b) = &plan.executor_build {
        files.push(Artifact {
            path: executor_build::EXECUTOR_PIPELINE_PATH.to_string(),
            kind: ArtifactKind::Pipeline,
            purpose: "Builds Kaniko's executor and debug images from the Chainguard fork with BuildKit, pushes them and signs them; run it from its own pipeline.".to_string(),
            content: pipeline::render_executor(plan, b),
        });
        files.push(Artifact {
            path: executor_build::EXECUTOR_SCRIPT_PATH.to_string(),
            kind: ArtifactKind::Script,
            purpose: "The script the executor pipeline's steps run (POSIX sh); commit it.".to_string(),
            content: executor_build::render_script(plan, b),
        });
    }
    Artifacts { files }
}

/// Only the doctor's two artifacts ([`doctor::DOCTOR_PIPELINE_PATH`] and the script), after
/// the same validation as [`generate`]: empty while an error stands.
pub fn doctor(config: &BuildConfig) -> (Artifacts, Vec<Diagnostic>) {
    let (all, diags) = generate(config);
    if all.is_empty() {
        return (all, diags);
    }
    let plan = plan::from_config(config);
    (Artifacts { files: doctor_artifacts(&plan).into() }, diags)
}

/// The doctor step and its script (see [`doctor`]): the pipeline first, then the script.
pub fn doctor_artifacts(plan: &plan::Plan) -> [Artifact; 2] {
    let script_path = doctor::script_path(plan);
    [
        Artifact {
            path: doctor::DOCTOR_PIPELINE_PATH.to_string(),
            kind: ArtifactKind::Pipeline,
            purpose: "The doctor step: checks token, exchange, TLS, login and push permission without building; add it to a pipeline when a push fails.".to_string(),
            content: pipeline::render_doctor(plan, script_path, doctor::image(plan)),
        },
        Artifact {
            path: script_path.to_string(),
            kind: ArtifactKind::Script,
            purpose: "The doctor script (POSIX sh and curl) the doctor step runs; commit it.".to_string(),
            content: doctor::render_script(plan),
        },
    ]
}

/// Every user-influenced string that lands in `pipeline.yml`, with its field path.
fn pipeline_strings(plan: &plan::Plan) -> Vec<(&'static str, String)> {
    // The doctor step's label names the repository.
    let mut out = vec![
        ("stack", plan.stack.queue().to_string()),
        ("image.name", plan.label.clone()),
        ("registry", plan.repository.clone()),
    ];
    match &plan.stack {
        plan::Stack::Kubernetes { container, .. } => {
            out.push(("stack.kubernetes.container", container.clone()));
            out.push(("kaniko.executor", plan.executor_image.clone()));
            for v in pipeline::secret_volumes(plan) {
                out.push(("stack.kubernetes.secret_volumes", v.secret_name));
                out.push(("stack.kubernetes.secret_volumes", v.mount_path));
            }
        }
        plan::Stack::Elastic { script_path, .. } => out.push(("stack.elastic.script", script_path.clone())),
    }
    // The executor pipeline's labels name the fork's tag.
    if let Some(b) = &plan.executor_build {
        out.push(("extras.build_executor.git_ref", b.git_ref.clone()));
    }
    out
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// A relative file path with no `..`, `.`-only or empty components.
pub fn is_relative_path(path: &str) -> bool {
    let path = path.strip_prefix("./").unwrap_or(path);
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

fn is_secret_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s != "."
        && s != ".."
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Every string in the configuration with its field path (`image.tags[0].fixed`).
fn string_fields(value: &serde_json::Value, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::String(s) => out.push((path.to_string(), s.clone())),
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                string_fields(v, &format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                string_fields(v, &p, out);
            }
        }
        _ => {}
    }
}

/// Checks generation needs beyond validation: characters no script can carry, and how
/// secrets reach the step.
fn check(config: &BuildConfig) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut strings = Vec::new();
    // Walking the strings is cheap; build the tree (to name the fields) only when needed.
    if quote::has_nul(config) && let Ok(json) = serde_json::to_value(config) {
        string_fields(&json, "", &mut strings);
    }
    for (field, value) in strings.iter().filter(|(_, v)| v.contains('\0')) {
        out.push(
            rule("KS206")
                .diag(
                    format!("`{field}` contains a NUL character, which no shell argument can carry: `{}`.", crate::audience::shorten(value)),
                    "Remove the NUL character.",
                )
                .with_field(field.clone()),
        );
    }
    let elastic = matches!(config.stack, Stack::Elastic(_));
    for (field, secret) in config.registry.secrets() {
        match secret {
            SecretRef::Kubernetes { name, key } => {
                if elastic {
                    out.push(
                        rule("KS201")
                            .diag(
                                format!("`{field}` is the Kubernetes Secret `{}`, but the step runs on the Elastic CI Stack.", crate::audience::shorten(name)),
                                "Use `env: {var: NAME}` with the S3 secrets bucket's env file, or `buildkite: {key: NAME}` for Buildkite secrets.",
                            )
                            .with_field(field.clone()),
                    );
                }
                if !is_dns_subdomain(name) || !is_secret_key(key) {
                    out.push(
                        rule("KS203")
                            .diag(
                                format!(
                                    "`{field}` names the Secret `{}` with key `{}`; Kubernetes accepts lowercase DNS names and keys of letters, digits, `-`, `_` and `.`.",
                                    crate::audience::shorten(name),
                                    crate::audience::shorten(key)
                                ),
                                "Use the Secret's real name and key as shown by `kubectl get secret -o yaml`.",
                            )
                            .with_field(field.clone()),
                    );
                }
            }
            SecretRef::Env { var } if !is_identifier(var) => out.push(
                rule("KS202")
                    .diag(
                        format!("`{field}` reads the variable `{}`, which is not a shell identifier.", crate::audience::shorten(var)),
                        "Use letters, digits and underscores, not starting with a digit.",
                    )
                    .with_field(field.clone()),
            ),
            _ => {}
        }
    }
    if let Stack::Elastic(e) = &config.stack
        && !is_relative_path(&e.script)
    {
        out.push(
            rule("KS207")
                .diag(
                    format!("The script path `{}` is not a relative path inside the repository.", crate::audience::shorten(&e.script)),
                    "Use a relative path such as `.buildkite/steps/kaniko.sh` (no leading `/`, no `..`).",
                )
                .with_field("stack.elastic.script"),
        );
    }
    if let Stack::Kubernetes(k) = &config.stack {
        for (i, v) in k.secret_volumes.iter().enumerate() {
            if !is_dns_subdomain(&v.secret) {
                out.push(
                    rule("KS203")
                        .diag(
                            format!("The Secret name `{}` is not a valid Kubernetes name.", crate::audience::shorten(&v.secret)),
                            "Use the Secret's real name (lowercase letters, digits, `-` and `.`).",
                        )
                        .with_field(format!("stack.kubernetes.secret_volumes[{i}].secret")),
                );
            }
        }
        if config.extras.verify_executor.is_some() && config.kaniko.digest.is_none() {
            out.push(
                rule("KS204")
                    .diag(
                        "The executor is verified by tag, not by digest: the kubelet may pull a different image than the one the init container verified.",
                        "Pin the executor by digest (`kaniko.digest`).",
                    )
                    .with_field("extras.verify_executor"),
            );
        }
        if let Some(CosignKey::Key(key)) = &config.extras.verify_executor
            && !key.contains("://")
        {
            out.push(
                rule("KS204")
                    .diag(
                        format!("The cosign key `{}` is a file path, but the verifying init container does not see the checkout.", crate::audience::shorten(key)),
                        "Give the key as an `https://` URL, a KMS URI (`awskms://`, `gcpkms://`, `azurekms://`, `hashivault://`) or `k8s://NAMESPACE/SECRET`.",
                    )
                    .with_field("extras.verify_executor.key"),
            );
        }
    }
    if let Some(b) = &config.extras.build_executor
        && !config.kaniko.executor.reference().starts_with(&format!("{}:", b.repository.trim()))
    {
        let debug = format!("{}:{}-debug", b.repository.trim(), b.git_ref.trim());
        out.push(
            rule("KS205")
                .diag(
                    format!("The build still runs `{}`, not the executor your executor pipeline builds.", crate::audience::shorten(&config.kaniko.executor.reference())),
                    format!("After `.buildkite/kaniko-executor.yml` has run, set `kaniko.executor: {{custom: {debug}}}` and `kaniko.digest` to the digest it annotates."),
                )
                .with_field("extras.build_executor"),
        );
    }
    out
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// Regression (found by the structure property test): a repository path with `\$` reached
    /// the doctor step's label, which Buildkite's pipeline upload would have changed.
    #[test]
    fn backslash_dollar_in_the_repository_is_refused_for_the_doctor_label_too() {
        use crate::config_file::{StackKind, example_config};
        let mut c = example_config(StackKind::Kubernetes, "self_hosted").expect("example");
        if let crate::config::Registry::SelfHosted(r) = &mut c.registry {
            r.path = "team\\$x".into();
        }
        let plan = plan::from_config(&c);
        assert!(pipeline_strings(&plan).iter().any(|(f, v)| *f == "registry" && !quote::interpolation_safe(v)));
    }

    /// Kubernetes verifies the executor in an init container: warned about only when the
    /// executor is not pinned by digest or the key is a path the init container cannot read.
    #[test]
    fn kubernetes_cosign_needs_a_digest_and_a_reachable_key() {
        use crate::config::CosignKey;
        use crate::config_file::{StackKind, example_config};
        let mut c = example_config(StackKind::Kubernetes, "buildkite_packages").expect("example");
        c.extras.verify_executor = Some(CosignKey::Google);
        let (files, diags) = generate(&c);
        assert!(diags.iter().all(|d| d.id != "KS204"), "{diags:?}");
        let pipeline = &files.get(PIPELINE_PATH).expect("pipeline").content;
        assert!(pipeline.contains("initContainers:") && pipeline.contains(pipeline::COSIGN_IMAGE), "{pipeline}");
        c.kaniko.digest = None;
        c.extras.verify_executor = Some(CosignKey::Key("cosign.pub".into()));
        let (_, diags) = generate(&c);
        let ks204: Vec<_> = diags.iter().filter(|d| d.id == "KS204").map(|d| d.field.clone().unwrap_or_default()).collect();
        assert_eq!(ks204, ["extras.verify_executor", "extras.verify_executor.key"]);
    }

    #[test]
    fn every_rule_id_used_resolves() {
        for id in ["KS200", "KS201", "KS202", "KS203", "KS204", "KS205", "KS206", "KS207"] {
            assert_eq!(rule(id).id, id);
        }
    }

    #[test]
    fn regression_kubernetes_secret_on_elastic_is_reported_once() {
        use crate::config::Registry;
        use crate::config_file::{StackKind, example_config};
        let mut config = example_config(StackKind::Elastic, "docker_hub").expect("example");
        if let Registry::DockerHub(hub) = &mut config.registry {
            hub.token = SecretRef::Kubernetes { name: "dockerhub".into(), key: "token".into() };
        }
        let (artifacts, diags) = generate(&config);
        assert!(artifacts.is_empty());
        let on_token: Vec<_> =
            diags.iter().filter(|d| d.field.as_deref().is_some_and(|f| f.starts_with("registry.docker_hub.token"))).collect();
        assert_eq!(on_token.len(), 1, "{on_token:#?}");
    }

    #[test]
    fn names() {
        assert!(is_identifier("DOCKER_TOKEN") && !is_identifier("1X") && !is_identifier("A-B") && !is_identifier(""));
        assert!(is_dns_subdomain("dockerhub-kaniko.v1") && !is_dns_subdomain("Docker") && !is_dns_subdomain("-a"));
        assert!(is_secret_key(".dockerconfigjson") && !is_secret_key("..") && !is_secret_key("a/b"));
        assert!(is_relative_path(".buildkite/steps/kaniko.sh") && is_relative_path("./ci/k.sh"));
        for bad in ["/etc/x.sh", "../x.sh", "a/../../x", "a//b", "dir/", "", "a\\b"] {
            assert!(!is_relative_path(bad), "{bad}");
        }
    }
}
