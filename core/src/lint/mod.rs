//! Lint pipelines people already have: `pipeline.yml` plus the hook and step scripts it
//! runs, for Kaniko and OIDC mistakes and against Buildkite's pipeline schema.
//!
//! Facts: `../shared/reference/buildkite.md` §1–§5, §8 and `kaniko.md` §5–§6, §9. Every
//! finding carries the file it is in and a 1-based `line:col`. Valid but unfamiliar YAML is
//! never an error; invalid YAML gives one error at its position.

pub mod schema;
pub mod shell;
pub mod yaml;

mod checks;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Rule, Severity, Span};

const DOCS_SCHEMA: &str = "https://buildkite.com/docs/pipelines/configure/step-types/command-step";
const DOCS_OIDC: &str = "https://buildkite.com/docs/package-registries/security/oidc";
const DOCS_INTERPOLATION: &str = "https://buildkite.com/docs/agent/cli/reference/pipeline#environment-variable-substitution";
const DOCS_K8S_KANIKO: &str = "https://buildkite.com/docs/agent/self-hosted/agent-stack-k8s/kaniko-container-builds";
const DOCS_PODSPEC: &str = "https://buildkite.com/docs/agent/self-hosted/agent-stack-k8s/podspec";
const DOCS_HOOKS: &str = "https://buildkite.com/docs/agent/self-hosted/agent-stack-k8s/agent-hooks-and-plugins";
const DOCS_KANIKO_CACHE: &str = "https://github.com/GoogleContainerTools/kaniko#--cache-repo";
const DOCS_KANIKO_AUTH: &str = "https://github.com/GoogleContainerTools/kaniko#pushing-to-docker-hub";
const DOCS_ELASTIC_KANIKO: &str = "https://buildkite.com/docs/agent/self-hosted/aws/elastic-ci-stack/ec2-linux-and-windows/kaniko-container-builds";
const DOCS_AGENT_CLI: &str = "https://buildkite.com/docs/agent/cli/reference";

/// Rules reported by this module.
pub static RULES: &[Rule] = &[
    Rule {
        id: "KS300",
        name: "yaml-syntax",
        severity: Severity::Error,
        summary: "The pipeline file is not valid YAML.",
        why: "`buildkite-agent pipeline upload` rejects the whole file, so no step runs.",
        example: "steps:\n  - command: [echo hi",
        fix: "Fix the syntax at the position shown.",
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS301",
        name: "pipeline-shape",
        severity: Severity::Error,
        summary: "The file is not a mapping with a `steps` list (or a list of steps).",
        why: "A pipeline is `steps:` followed by a list of steps; anything else uploads nothing.",
        example: "command: echo hi",
        fix: "Put the steps in a list under `steps:`.",
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS302",
        name: "step-key-unknown",
        severity: Severity::Error,
        summary: "A step has a key that steps of its type do not have (often a misspelling).",
        why: "The schema rejects unknown keys, and the agent ignores them: a misspelled `comand` or `timeout_in_minute` silently does nothing.",
        example: "- comand: make",
        fix: "Use the key the message suggests.",
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS303",
        name: "value-kind",
        severity: Severity::Error,
        summary: "A key's value has the wrong kind (a mapping where a list is needed, a string where an integer is needed …).",
        why: "Buildkite rejects the pipeline at upload, or reads the value differently from what was meant.",
        example: "timeout_in_minutes: ten",
        fix: "Write the value in the kind the message names.",
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS304",
        name: "step-type-unknown",
        severity: Severity::Error,
        summary: "A step is none of command, wait, block, input, trigger or group.",
        why: "Buildkite cannot tell what the step should do and rejects the upload.",
        example: "- label: build\n  run: make",
        fix: "Add `command:` (or `wait`, `block`, `input`, `trigger`, `group`).",
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS305",
        name: "pipeline-key-unknown",
        severity: Severity::Warning,
        summary: "A top-level key looks like a misspelling of a pipeline key.",
        why: "Unknown top-level keys are ignored, so a misspelled `env` or `agents` silently does nothing.",
        example: "agent:\n  queue: kubernetes",
        fix: "Use the key the message suggests.",
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS306",
        name: "step-key-format",
        severity: Severity::Error,
        summary: "A step `key` is longer than 100 characters, looks like a UUID, or has characters keys cannot have.",
        why: "The schema allows only `a-z A-Z 0-9 _ - : $ { } . ,`, at most 100 characters and not UUID-shaped; such a key is rejected at upload. It also becomes the token's `step_key` claim.",
        example: "key: \"build image\"",
        fix: "Use letters, digits, `-` and `_`, e.g. `build-image`.",
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS310",
        name: "audience-placeholder",
        severity: Severity::Error,
        summary: "An `--audience` still contains a placeholder such as `{BUILDKITE_ORGANIZATION_SLUG}` or `<registry>`.",
        why: "Braces are not shell expansions: the token's `aud` is the literal text, and the registry answers `Invalid 'aud' claim`.",
        example: "--audience \"https://packages.buildkite.com/{BUILDKITE_ORGANIZATION_SLUG}/{PACKAGE_REGISTRY_SLUG}\"",
        fix: "Write the slugs, or real shell variables (`${BUILDKITE_ORGANIZATION_SLUG}` in a script, `$${…}` in pipeline.yml).",
        docs: DOCS_OIDC,
    },
    Rule {
        id: "KS311",
        name: "audience-missing",
        severity: Severity::Error,
        summary: "`buildkite-agent oidc request-token` is called without `--audience`.",
        why: "Without it the token's `aud` is `https://buildkite.com/{org}`, which no Package Registries registry accepts.",
        example: "buildkite-agent oidc request-token --lifetime 300",
        fix: "Add `--audience \"https://packages.buildkite.com/{org}/{registry}\"` with your slugs.",
        docs: DOCS_OIDC,
    },
    Rule {
        id: "KS312",
        name: "audience-registry-mismatch",
        severity: Severity::Error,
        summary: "The token's audience names a different registry from the one Kaniko pushes to.",
        why: "The audience must equal `https://packages.buildkite.com/{org}/{registry}` of the destination's registry; a token for another registry is refused with 401/403.",
        example: "--audience https://packages.buildkite.com/acme/images … --destination packages.buildkite.com/acme/apps/web",
        fix: "Use the destination's organization and registry slugs in the audience.",
        docs: DOCS_OIDC,
    },
    Rule {
        id: "KS313",
        name: "audience-format",
        severity: Severity::Error,
        summary: "A Package Registries audience is not exactly `https://packages.buildkite.com/{org}/{registry}`.",
        why: "The audience is compared as a string: `http://`, a trailing slash, an image path, a missing scheme or uppercase letters all give `Invalid 'aud' claim`.",
        example: "--audience https://packages.buildkite.com/acme/images/web",
        fix: "Use exactly `https://packages.buildkite.com/{org}/{registry}`.",
        docs: DOCS_OIDC,
    },
    Rule {
        id: "KS314",
        name: "token-lifetime",
        severity: Severity::Error,
        summary: "`--lifetime` is over 300 seconds for a Package Registries token (or over the API's 7200).",
        why: "Package Registries reject tokens whose `exp − iat` is over 5 minutes; the agent API refuses lifetimes over 7200 s.",
        example: "buildkite-agent oidc request-token --audience … --lifetime 3600",
        fix: "Use `--lifetime 300` and request the token right before Kaniko pushes.",
        docs: DOCS_OIDC,
    },
    Rule {
        id: "KS315",
        name: "step-env-interpolated-at-upload",
        severity: Severity::Error,
        summary: "`$VAR` in a step's `command` or plugin config refers to a variable only the step's `env` defines.",
        why: "Variables in `command` and `plugins` are substituted when the pipeline is uploaded, from the upload environment and top-level `env` only; a step-`env` variable is still unset then, so it becomes empty.",
        example: "env: {REGISTRY: my-registry}\ncommand: kaniko … --destination packages.buildkite.com/acme/${REGISTRY}/app",
        fix: "Write `$$VAR` (or `\\$VAR`) so the shell expands it when the step runs.",
        docs: DOCS_INTERPOLATION,
    },
    Rule {
        id: "KS316",
        name: "k8s-image-without-shell",
        severity: Severity::Error,
        summary: "A Kubernetes command container uses a Kaniko image without a shell.",
        why: "On agent-stack-k8s the step's command always runs through `/bin/sh`; the plain executor image has no shell, so the job fails before Kaniko starts. The `debug` images have `/busybox/sh`.",
        example: "image: gcr.io/kaniko-project/executor:v1.24.0",
        fix: "Use the `-debug` image, e.g. `gcr.io/kaniko-project/executor:v1.24.0-debug`.",
        docs: DOCS_K8S_KANIKO,
    },
    Rule {
        id: "KS317",
        name: "extra-volume-mounts-in-container",
        severity: Severity::Warning,
        summary: "`extraVolumeMounts` is set inside a container, where Kubernetes ignores it.",
        why: "`extraVolumeMounts` is a key of the kubernetes plugin (and of `checkout`, `commandParams`, `sidecarParams`), not of a container; inside a container it is silently dropped.",
        example: "containers:\n  - name: container-0\n    extraVolumeMounts: [...]",
        fix: "Use `volumeMounts` in the container, or move `extraVolumeMounts` to the plugin level.",
        docs: DOCS_PODSPEC,
    },
    Rule {
        id: "KS318",
        name: "hooks-path-ignored",
        severity: Severity::Warning,
        summary: "`BUILDKITE_HOOKS_PATH` is set on a container or in step `env`, where the agent ignores it.",
        why: "Since agent v3.127.1 (agent-stack-k8s v0.44.0) the agent's own environment overrides container-level `BUILDKITE_*` variables, and `BUILDKITE_HOOKS_PATH` is protected in step `env`; the hook never runs, no config.json is written, and the push fails with UNAUTHORIZED.",
        example: "env:\n  - name: BUILDKITE_HOOKS_PATH\n    value: /buildkite/hooks",
        fix: "Mount hooks with the controller's `agent-config.hooksVolume`/`additional-hooks`, or put the token and config.json steps in the step's command.",
        docs: DOCS_HOOKS,
    },
    Rule {
        id: "KS319",
        name: "pod-spec-patch-unknown-container",
        severity: Severity::Warning,
        summary: "A `podSpecPatch` container name is not a command container (`container-0` …).",
        why: "Containers are merged by name; an unknown name adds a new, unmanaged container that runs no Buildkite command, so the image and settings meant for the step are never used.",
        example: "podSpecPatch:\n  containers:\n    - name: kaniko",
        fix: "Name it `container-0` (or the name of a container in `podSpec`).",
        docs: DOCS_PODSPEC,
    },
    Rule {
        id: "KS320",
        name: "cache-repo-not-a-repository",
        severity: Severity::Warning,
        summary: "`--cache-repo` has a tag, digest or scheme, or is only a host.",
        why: "Kaniko appends `:<cache key>` to the cache repository, so a tag makes every cache push fail with a warning and the cache never works; a bare host is read as a Docker Hub repository.",
        example: "--cache-repo=packages.buildkite.com/acme/images/cache:latest",
        fix: "Give a repository without a tag: `host/path/cache`.",
        docs: DOCS_KANIKO_CACHE,
    },
    Rule {
        id: "KS321",
        name: "docker-hub-auth-key",
        severity: Severity::Error,
        summary: "A Docker config.json written by a script uses `docker.io` or `index.docker.io` as the Docker Hub key.",
        why: "Kaniko looks up Docker Hub credentials under `https://index.docker.io/v1/` only; other keys fall through to anonymous and pushes fail with `UNAUTHORIZED: authentication required`.",
        example: "{\"auths\":{\"docker.io\":{\"auth\":\"…\"}}}",
        fix: "Use the key `https://index.docker.io/v1/`.",
        docs: DOCS_KANIKO_AUTH,
    },
    Rule {
        id: "KS324",
        name: "docker-config-in-build-context",
        severity: Severity::Warning,
        summary: "The Docker config.json holding the registry token is written inside the build context.",
        why: "A `COPY . .` in the Dockerfile copies the token into the image; anyone who can pull the image can read it.",
        example: "printf '{\"auths\":…}' > \"$PWD/config.json\"",
        fix: "Write it to a temporary directory outside the checkout (`cfg=\"$(mktemp -d)\"`) and mount that file, or to `/kaniko/.docker/config.json` inside the Kaniko container.",
        docs: DOCS_ELASTIC_KANIKO,
    },
    Rule {
        id: "KS325",
        name: "buildkite-agent-unknown-command",
        severity: Severity::Error,
        summary: "A `buildkite-agent` subcommand does not exist.",
        why: "The command fails with `No help topic for …`; for example `buildkite-agent get oidc-token` (from a documentation page) does not exist.",
        example: "buildkite-agent get oidc-token",
        fix: "Use the real command, e.g. `buildkite-agent oidc request-token`.",
        docs: DOCS_AGENT_CLI,
    },
    Rule {
        id: "KS326",
        name: "kubernetes-plugin-key-unknown",
        severity: Severity::Warning,
        summary: "The `kubernetes` plugin has a key it does not know (often a misspelling).",
        why: "agent-stack-k8s reads the plugin with plain JSON decoding, so unknown keys are silently ignored: a misspelled `podSpecPatch` means the image and volumes meant for the step are never applied.",
        example: "- kubernetes:\n    podSpecPach:\n      containers: [...]",
        fix: "Use the key the message suggests.",
        docs: DOCS_PODSPEC,
    },
    Rule {
        id: "KS327",
        name: "pod-spec-patch-system-command",
        severity: Severity::Error,
        summary: "`podSpecPatch` sets `command` or `args` on the `agent`, `checkout`, `copy-agent` or `imagecheck-*` container.",
        why: "agent-stack-k8s refuses the job with `modifying container commands or args via podSpecPatch is not supported` (unless the controller allows unsafe command modification).",
        example: "podSpecPatch:\n  containers:\n    - name: checkout\n      command: [git, clone]",
        fix: "Patch `container-0` instead, or use a checkout hook, or skip the checkout container (`checkout: {skip: true}`).",
        docs: DOCS_PODSPEC,
    },
];

pub(crate) fn rule(id: &str) -> &'static Rule {
    crate::rules::by_id(RULES, id)
}

/// One file to lint: a pipeline (`.yml`, `.yaml`, `.json`) or a script it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceFile<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

impl SourceFile<'_> {
    /// Pipelines are YAML/JSON by extension; everything else is read as a shell script.
    pub fn is_pipeline(&self) -> bool {
        let lower = self.path.to_ascii_lowercase();
        [".yml", ".yaml", ".json"].iter().any(|e| lower.ends_with(e))
    }
}

/// A finding in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintFinding {
    pub path: String,
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

/// Lint every file together (audiences in a hook are compared with destinations in the
/// pipeline). Findings are ordered by file, then position.
pub fn lint(files: &[SourceFile<'_>]) -> Vec<LintFinding> {
    let mut cx = checks::Cx::new(files);
    cx.run();
    let mut found = cx.finish();
    found.sort_by_key(|(file, d)| (*file, d.span.map(|s| (s.line, s.col)), d.id));
    found.dedup();
    found
        .into_iter()
        .map(|(file, diagnostic)| LintFinding {
            path: files.get(file).map(|f| f.path.to_string()).unwrap_or_default(),
            diagnostic,
        })
        .collect()
}

/// A point span helper used by the checks.
pub(crate) fn point(line: u32, col: u32) -> Span {
    Span::point(line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(path: &str, text: &str) -> Vec<&'static str> {
        lint(&[SourceFile { path, text }]).iter().map(|f| f.diagnostic.id).collect()
    }

    #[test]
    fn every_rule_id_used_resolves() {
        for r in RULES {
            assert_eq!(rule(r.id).id, r.id);
        }
    }

    #[test]
    fn a_clean_pipeline_has_no_findings() {
        assert!(ids("p.yml", "steps:\n  - command: make\n  - wait\n").is_empty());
    }

    #[test]
    fn invalid_yaml_gives_one_error_with_its_position() {
        let found = lint(&[SourceFile { path: "p.yml", text: "steps:\n  - command: 'unterminated\n" }]);
        assert_eq!(found.len(), 1);
        assert_eq!(found.first().map(|f| f.diagnostic.id), Some("KS300"));
        assert!(found.first().and_then(|f| f.diagnostic.span).is_some());
    }

    #[test]
    fn misspelled_command_suggests_the_key() {
        let found = lint(&[SourceFile { path: "p.yml", text: "steps:\n  - comand: make\n" }]);
        let d = found.first().map(|f| f.diagnostic.clone());
        assert_eq!(d.as_ref().map(|d| d.message.as_str()), Some("`comand` is not a step key; did you mean `command`?"));
        assert_eq!(d.and_then(|d| d.span).map(|s| (s.line, s.col)), Some((2, 5)));
    }

    #[test]
    fn json_pipelines_are_checked_too() {
        let text = r#"{"steps": [{"label": "build", "comand": "make"}, {"command": "make", "timeout_in_minutes": "ten"}]}"#;
        assert_eq!(ids("pipeline.json", text), ["KS302", "KS303"]);
    }

    #[test]
    fn scripts_are_linted_as_shell() {
        assert_eq!(ids("hook", "buildkite-agent oidc request-token\n"), ["KS311"]);
        assert!(ids("hook", "buildkite-agent oidc request-token --audience sts.amazonaws.com\n").is_empty());
    }

    /// Found by the `lint` fuzz target: locating each flag of a 3 000-flag command inside its
    /// YAML scalar rescanned the scalar, so a 48 KB pipeline took seconds (minutes at 64 KB).
    /// The first flags keep their exact column; past a scanning budget, the scalar's.
    #[test]
    fn thousands_of_flags_in_one_command_are_located_within_a_budget() {
        let text = format!("steps:\n  - command: \"/kaniko/executor {}\"\n", "--no-such-flag ".repeat(3000));
        let found = lint(&[SourceFile { path: "p.yml", text: &text }]);
        let at = |line, col| found.iter().any(|f| f.diagnostic.span.is_some_and(|s| (s.line, s.col) == (line, col)));
        assert!(at(2, 32), "the first flag keeps its column");
        assert!(at(2, 14), "later ones point at the command");
        assert!(found.iter().all(|f| f.diagnostic.span.is_some_and(|s| s.line == 2)));
    }

    #[test]
    fn escaped_variables_are_not_interpolated() {
        let text = "steps:\n  - command: echo $$REG \\$REG\n    env:\n      REG: images\n";
        assert!(ids("p.yml", text).is_empty());
        let text = "steps:\n  - command: echo ${REG}\n    env:\n      REG: images\n";
        assert_eq!(ids("p.yml", text), ["KS315"]);
    }
}
