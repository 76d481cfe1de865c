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
const DOCS_RETRY: &str = "https://buildkite.com/docs/pipelines/configure/step-types/command-step#retry-attributes";
const DOCS_DEPENDENCIES: &str = "https://buildkite.com/docs/pipelines/configure/dependencies";
const DOCS_MATRIX: &str = "https://buildkite.com/docs/pipelines/configure/workflows/build-matrix";
const DOCS_PLUGINS: &str = "https://buildkite.com/docs/pipelines/integrations/plugins/using";
const DOCS_NOTIFY: &str = "https://buildkite.com/docs/pipelines/configure/notifications";
const DOCS_CACHE: &str = "https://buildkite.com/docs/pipelines/hosted-agents/cache-volumes";
const DOCS_CONDITIONALS: &str = "https://buildkite.com/docs/pipelines/configure/conditionals";
const DOCS_GROUP: &str = "https://buildkite.com/docs/pipelines/configure/step-types/group-step";
const DOCS_TOKENS: &str = "https://buildkite.com/docs/platform/security/tokens";

/// Rules reported by this module.
pub static RULES: &[Rule] = &[
    Rule {
        id: "KS300",
        name: reference!("yaml-syntax"),
        severity: Severity::Error,
        summary: reference!("The pipeline file is not valid YAML."),
        why: reference!("`buildkite-agent pipeline upload` rejects the whole file, so no step runs."),
        example: reference!("steps:\n  - command: [echo hi"),
        fix: reference!("Fix the syntax at the position shown."),
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS301",
        name: reference!("pipeline-shape"),
        severity: Severity::Error,
        summary: reference!("The file is not a mapping with a `steps` list (or a list of steps)."),
        why: reference!("A pipeline is `steps:` followed by a list of steps; anything else uploads nothing."),
        example: reference!("command: echo hi"),
        fix: reference!("Put the steps in a list under `steps:`."),
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS302",
        name: reference!("step-key-unknown"),
        severity: Severity::Error,
        summary: reference!("A step has a key that steps of its type do not have (often a misspelling)."),
        why: reference!("The schema rejects unknown keys, and the agent ignores them: a misspelled `comand` or `timeout_in_minute` silently does nothing."),
        example: reference!("- comand: make"),
        fix: reference!("Use the key the message suggests."),
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS303",
        name: reference!("value-kind"),
        severity: Severity::Error,
        summary: reference!("A key's value has the wrong kind (a mapping where a list is needed, a string where an integer is needed …)."),
        why: reference!("Buildkite rejects the pipeline at upload, or reads the value differently from what was meant."),
        example: reference!("timeout_in_minutes: ten"),
        fix: reference!("Write the value in the kind the message names."),
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS304",
        name: reference!("step-type-unknown"),
        severity: Severity::Error,
        summary: reference!("A step is none of command, wait, block, input, trigger or group."),
        why: reference!("Buildkite cannot tell what the step should do and rejects the upload."),
        example: reference!("- label: build\n  run: make"),
        fix: reference!("Add `command:` (or `wait`, `block`, `input`, `trigger`, `group`)."),
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS305",
        name: reference!("pipeline-key-unknown"),
        severity: Severity::Warning,
        summary: reference!("A top-level key looks like a misspelling of a pipeline key."),
        why: reference!("Unknown top-level keys are ignored, so a misspelled `env` or `agents` silently does nothing."),
        example: reference!("agent:\n  queue: kubernetes"),
        fix: reference!("Use the key the message suggests."),
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS306",
        name: reference!("step-key-format"),
        severity: Severity::Error,
        summary: reference!("A step `key` is longer than 100 characters, looks like a UUID, or has characters keys cannot have."),
        why: reference!("The schema allows only `a-z A-Z 0-9 _ - : $ { } . ,`, at most 100 characters and not UUID-shaped; such a key is rejected at upload. It also becomes the token's `step_key` claim."),
        example: reference!("key: \"build image\""),
        fix: reference!("Use letters, digits, `-` and `_`, e.g. `build-image`."),
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS310",
        name: reference!("audience-placeholder"),
        severity: Severity::Error,
        summary: reference!("An `--audience` still contains a placeholder such as `{BUILDKITE_ORGANIZATION_SLUG}` or `<registry>`."),
        why: reference!("Braces are not shell expansions: the token's `aud` is the literal text, and the registry answers `Invalid 'aud' claim`."),
        example: reference!("--audience \"https://packages.buildkite.com/{BUILDKITE_ORGANIZATION_SLUG}/{PACKAGE_REGISTRY_SLUG}\""),
        fix: reference!("Write the slugs, or real shell variables (`${BUILDKITE_ORGANIZATION_SLUG}` in a script, `$${…}` in pipeline.yml)."),
        docs: DOCS_OIDC,
    },
    Rule {
        id: "KS311",
        name: reference!("audience-missing"),
        severity: Severity::Error,
        summary: reference!("`buildkite-agent oidc request-token` is called without `--audience`."),
        why: reference!("Without it the token's `aud` is `https://buildkite.com/{org}`, which no Package Registries registry accepts."),
        example: reference!("buildkite-agent oidc request-token --lifetime 300"),
        fix: reference!("Add `--audience \"https://packages.buildkite.com/{org}/{registry}\"` with your slugs."),
        docs: DOCS_OIDC,
    },
    Rule {
        id: "KS312",
        name: reference!("audience-registry-mismatch"),
        severity: Severity::Error,
        summary: reference!("The token's audience names a different registry from the one Kaniko pushes to."),
        why: reference!("The audience must equal `https://packages.buildkite.com/{org}/{registry}` of the destination's registry; a token for another registry is refused with 401/403."),
        example: reference!("--audience https://packages.buildkite.com/acme/images … --destination packages.buildkite.com/acme/apps/web"),
        fix: reference!("Use the destination's organization and registry slugs in the audience."),
        docs: DOCS_OIDC,
    },
    Rule {
        id: "KS313",
        name: reference!("audience-format"),
        severity: Severity::Error,
        summary: reference!("A Package Registries audience is not exactly `https://packages.buildkite.com/{org}/{registry}`."),
        why: reference!("The audience is compared as a string: `http://`, a trailing slash, an image path, a missing scheme or uppercase letters all give `Invalid 'aud' claim`."),
        example: reference!("--audience https://packages.buildkite.com/acme/images/web"),
        fix: reference!("Use exactly `https://packages.buildkite.com/{org}/{registry}`."),
        docs: DOCS_OIDC,
    },
    Rule {
        id: "KS314",
        name: reference!("token-lifetime"),
        severity: Severity::Error,
        summary: reference!("`--lifetime` is over 300 seconds for a Package Registries token (or over the API's 7200)."),
        why: reference!("Package Registries reject tokens whose `exp − iat` is over 5 minutes; the agent API refuses lifetimes over 7200 s."),
        example: reference!("buildkite-agent oidc request-token --audience … --lifetime 3600"),
        fix: reference!("Use `--lifetime 300` and request the token right before Kaniko pushes."),
        docs: DOCS_OIDC,
    },
    Rule {
        id: "KS315",
        name: reference!("step-env-interpolated-at-upload"),
        severity: Severity::Error,
        summary: reference!("`$VAR` in a step's `command` or plugin config refers to a variable only the step's `env` defines."),
        why: reference!("Variables in `command` and `plugins` are substituted when the pipeline is uploaded, from the upload environment and top-level `env` only; a step-`env` variable is still unset then, so it becomes empty."),
        example: reference!("env: {REGISTRY: my-registry}\ncommand: kaniko … --destination packages.buildkite.com/acme/${REGISTRY}/app"),
        fix: reference!("Write `$$VAR` (or `\\$VAR`) so the shell expands it when the step runs."),
        docs: DOCS_INTERPOLATION,
    },
    Rule {
        id: "KS316",
        name: reference!("k8s-image-without-shell"),
        severity: Severity::Error,
        summary: reference!("A Kubernetes command container uses a Kaniko image without a shell."),
        why: reference!("On agent-stack-k8s the step's command always runs through `/bin/sh`; the plain executor image has no shell, so the job fails before Kaniko starts. The `debug` images have `/busybox/sh`."),
        example: reference!("image: gcr.io/kaniko-project/executor:v1.24.0"),
        fix: reference!("Use the `-debug` image, e.g. `gcr.io/kaniko-project/executor:v1.24.0-debug`."),
        docs: DOCS_K8S_KANIKO,
    },
    Rule {
        id: "KS317",
        name: reference!("extra-volume-mounts-in-container"),
        severity: Severity::Warning,
        summary: reference!("`extraVolumeMounts` is set inside a container, where Kubernetes ignores it."),
        why: reference!("`extraVolumeMounts` is a key of the kubernetes plugin (and of `checkout`, `commandParams`, `sidecarParams`), not of a container; inside a container it is silently dropped."),
        example: reference!("containers:\n  - name: container-0\n    extraVolumeMounts: [...]"),
        fix: reference!("Use `volumeMounts` in the container, or move `extraVolumeMounts` to the plugin level."),
        docs: DOCS_PODSPEC,
    },
    Rule {
        id: "KS318",
        name: reference!("hooks-path-ignored"),
        severity: Severity::Warning,
        summary: reference!("`BUILDKITE_HOOKS_PATH` is set on a container or in step `env`, where the agent ignores it."),
        why: reference!("Since agent v3.127.1 (agent-stack-k8s v0.44.0) the agent's own environment overrides container-level `BUILDKITE_*` variables, and `BUILDKITE_HOOKS_PATH` is protected in step `env`; the hook never runs, no config.json is written, and the push fails with UNAUTHORIZED."),
        example: reference!("env:\n  - name: BUILDKITE_HOOKS_PATH\n    value: /buildkite/hooks"),
        fix: reference!("Mount hooks with the controller's `agent-config.hooksVolume`/`additional-hooks`, or put the token and config.json steps in the step's command."),
        docs: DOCS_HOOKS,
    },
    Rule {
        id: "KS319",
        name: reference!("pod-spec-patch-unknown-container"),
        severity: Severity::Warning,
        summary: reference!("A `podSpecPatch` container name is not a command container (`container-0` …)."),
        why: reference!("Containers are merged by name; an unknown name adds a new, unmanaged container that runs no Buildkite command, so the image and settings meant for the step are never used."),
        example: reference!("podSpecPatch:\n  containers:\n    - name: kaniko"),
        fix: reference!("Name it `container-0` (or the name of a container in `podSpec`)."),
        docs: DOCS_PODSPEC,
    },
    Rule {
        id: "KS320",
        name: reference!("cache-repo-not-a-repository"),
        severity: Severity::Warning,
        summary: reference!("`--cache-repo` has a tag, digest or scheme, or is only a host."),
        why: reference!("Kaniko appends `:<cache key>` to the cache repository, so a tag makes every cache push fail with a warning and the cache never works; a bare host is read as a Docker Hub repository."),
        example: reference!("--cache-repo=packages.buildkite.com/acme/images/cache:latest"),
        fix: reference!("Give a repository without a tag: `host/path/cache`."),
        docs: DOCS_KANIKO_CACHE,
    },
    Rule {
        id: "KS321",
        name: reference!("docker-hub-auth-key"),
        severity: Severity::Error,
        summary: reference!("A Docker config.json written by a script uses `docker.io` or `index.docker.io` as the Docker Hub key."),
        why: reference!("Kaniko looks up Docker Hub credentials under `https://index.docker.io/v1/` only; other keys fall through to anonymous and pushes fail with `UNAUTHORIZED: authentication required`."),
        example: reference!("{\"auths\":{\"docker.io\":{\"auth\":\"…\"}}}"),
        fix: reference!("Use the key `https://index.docker.io/v1/`."),
        docs: DOCS_KANIKO_AUTH,
    },
    Rule {
        id: "KS324",
        name: reference!("docker-config-in-build-context"),
        severity: Severity::Warning,
        summary: reference!("The Docker config.json holding the registry token is written inside the build context."),
        why: reference!("A `COPY . .` in the Dockerfile copies the token into the image; anyone who can pull the image can read it."),
        example: reference!("printf '{\"auths\":…}' > \"$PWD/config.json\""),
        fix: reference!("Write it to a temporary directory outside the checkout (`cfg=\"$(mktemp -d)\"`) and mount that file, or to `/kaniko/.docker/config.json` inside the Kaniko container."),
        docs: DOCS_ELASTIC_KANIKO,
    },
    Rule {
        id: "KS325",
        name: reference!("buildkite-agent-unknown-command"),
        severity: Severity::Error,
        summary: reference!("A `buildkite-agent` subcommand does not exist."),
        why: reference!("The command fails with `No help topic for …`; for example `buildkite-agent get oidc-token` (from a documentation page) does not exist."),
        example: reference!("buildkite-agent get oidc-token"),
        fix: reference!("Use the real command, e.g. `buildkite-agent oidc request-token`."),
        docs: DOCS_AGENT_CLI,
    },
    Rule {
        id: "KS326",
        name: reference!("kubernetes-plugin-key-unknown"),
        severity: Severity::Warning,
        summary: reference!("The `kubernetes` plugin has a key it does not know (often a misspelling)."),
        why: reference!("agent-stack-k8s reads the plugin with plain JSON decoding, so unknown keys are silently ignored: a misspelled `podSpecPatch` means the image and volumes meant for the step are never applied."),
        example: reference!("- kubernetes:\n    podSpecPach:\n      containers: [...]"),
        fix: reference!("Use the key the message suggests."),
        docs: DOCS_PODSPEC,
    },
    Rule {
        id: "KS327",
        name: reference!("pod-spec-patch-system-command"),
        severity: Severity::Error,
        summary: reference!("`podSpecPatch` sets `command` or `args` on the `agent`, `checkout`, `copy-agent` or `imagecheck-*` container."),
        why: reference!("agent-stack-k8s refuses the job with `modifying container commands or args via podSpecPatch is not supported` (unless the controller allows unsafe command modification)."),
        example: reference!("podSpecPatch:\n  containers:\n    - name: checkout\n      command: [git, clone]"),
        fix: reference!("Patch `container-0` instead, or use a checkout hook, or skip the checkout container (`checkout: {skip: true}`)."),
        docs: DOCS_PODSPEC,
    },
    Rule {
        id: "KS328",
        name: reference!("retry-key-unknown"),
        severity: Severity::Error,
        summary: reference!("`retry`, `retry.automatic` or `retry.manual` has a key the schema does not have (often a misspelling)."),
        why: reference!("These objects are closed in Buildkite's schema: an unknown key such as `limt` or `exit_code` is rejected at upload, or silently ignored, so the retry you meant never happens."),
        example: reference!("retry:\n  automatic:\n    exit_code: 1"),
        fix: reference!("Use the key the message suggests (`automatic`, `manual`; `exit_status`, `limit`, `signal`, `signal_reason`; `allowed`, `permit_on_passed`, `reason`)."),
        docs: DOCS_RETRY,
    },
    Rule {
        id: "KS329",
        name: reference!("retry-value"),
        severity: Severity::Error,
        summary: reference!("A `retry` value is not one the schema allows: `exit_status` not `*`, an integer or a list of integers; `limit` outside 0–10; an unknown `signal_reason`; a rule that is not a mapping."),
        why: reference!("Buildkite rejects the pipeline at upload, or the retry rule never matches the failure it was meant for."),
        example: reference!("retry:\n  automatic:\n    limit: 20"),
        fix: reference!("Write `retry: {automatic: [{exit_status: \"*\", limit: 2}]}` with values from the schema."),
        docs: DOCS_RETRY,
    },
    Rule {
        id: "KS330",
        name: reference!("soft-fail-value"),
        severity: Severity::Error,
        summary: reference!("`soft_fail` is neither `true`/`false` nor a list of `{exit_status: …}` items."),
        why: reference!("A list of bare exit codes (`soft_fail: [1]`) or an `exit_status` that is not `*` or an integer is rejected by the schema, and the step fails the build after all."),
        example: reference!("soft_fail: [1, 2]"),
        fix: reference!("Write each code as an item: `soft_fail: [{exit_status: 1}, {exit_status: 2}]`."),
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS331",
        name: reference!("depends-on-value"),
        severity: Severity::Error,
        summary: reference!("A `depends_on` item is neither a step key nor a `{step, allow_failure}` mapping (with only those keys)."),
        why: reference!("Buildkite rejects the upload, or the dependency points at nothing and the step runs before (or without) the step it needs."),
        example: reference!("depends_on:\n  - [build, test]"),
        fix: reference!("List step keys (`depends_on: [build, test]`) or `{step: build, allow_failure: true}` items."),
        docs: DOCS_DEPENDENCIES,
    },
    Rule {
        id: "KS332",
        name: reference!("matrix-shape"),
        severity: Severity::Error,
        summary: reference!("`matrix` is not a list of values or a `{setup, adjustments}` mapping the schema allows."),
        why: reference!("Values must be strings, integers or booleans (YAML reads `3.10` as the number 3.1, which the schema rejects and which would not be the version meant); a mapping needs `setup`; dimension names are letters, digits and `_`; each adjustment needs `with` in the same shape as `setup`. Buildkite rejects the upload otherwise."),
        example: reference!("matrix:\n  - 3.10\n  - 3.11"),
        fix: reference!("Quote values that look like numbers (`\"3.10\"`), and give `setup` (and each adjustment's `with`) the shape of the schema."),
        docs: DOCS_MATRIX,
    },
    Rule {
        id: "KS333",
        name: reference!("nested-key-misspelled"),
        severity: Severity::Warning,
        summary: reference!("A key inside `matrix`, a matrix adjustment, `cache`, a `soft_fail` item or a Slack notification looks like a misspelling of one of its keys."),
        why: reference!("These objects allow extra keys, so a misspelled `adjustment` or `paths` is accepted and silently does nothing."),
        example: reference!("matrix:\n  setup: [a, b]\n  adjustment:\n    - with: a\n      skip: true"),
        fix: reference!("Use the key the message suggests."),
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS334",
        name: reference!("matrix-placeholder"),
        severity: Severity::Error,
        summary: reference!("A `{{matrix}}` or `{{matrix.NAME}}` placeholder does not fit the step's `matrix`."),
        why: reference!("`{{matrix}}` is for a single list of values and `{{matrix.NAME}}` for a named dimension of `setup`; a placeholder that names no dimension, or one in a step without `matrix`, is left as literal text, so every job runs the same command with `{{matrix…}}` in it."),
        example: reference!("command: make test OS={{matrix.os}}\nmatrix:\n  setup:\n    platform: [linux, darwin]"),
        fix: reference!("Use the dimension names of `setup` (`{{matrix.platform}}`), or `{{matrix}}` when `matrix` is a plain list."),
        docs: DOCS_MATRIX,
    },
    Rule {
        id: "KS335",
        name: reference!("plugin-entry-shape"),
        severity: Severity::Error,
        summary: reference!("A `plugins` entry is not a plugin name, or a plugin's configuration is neither a mapping nor empty."),
        why: reference!("Each entry is `- name#version` or a single-key mapping `name#version: {options}`; a string, list or number as the configuration is rejected by the agent, and a list or number as the entry names no plugin."),
        example: reference!("plugins:\n  - docker#v5.13.0: alpine:3.20"),
        fix: reference!("Indent the plugin's options as a mapping under its name: `docker#v5.13.0: {image: alpine:3.20}`."),
        docs: DOCS_PLUGINS,
    },
    Rule {
        id: "KS336",
        name: reference!("plugins-mapping-deprecated"),
        severity: Severity::Info,
        summary: reference!("`plugins` is written as a mapping, a form the schema marks as deprecated."),
        why: reference!("A mapping cannot give the order plugins run in, and cannot use the same plugin twice; the list form can."),
        example: reference!("plugins:\n  docker#v5.13.0:\n    image: alpine"),
        fix: reference!("Write `plugins:` as a list: `- docker#v5.13.0: {image: alpine}`."),
        docs: DOCS_PLUGINS,
    },
    Rule {
        id: "KS337",
        name: reference!("notify-shape"),
        severity: Severity::Error,
        summary: reference!("A `notify` item is not a notification the pipeline, a group or a command step can send."),
        why: reference!("Command steps can notify only Slack, Basecamp and GitHub (commit status or check); `email`, `webhook` and `pagerduty_change_event` belong to the pipeline or a group step. A misspelled or misplaced notification is rejected at upload."),
        example: reference!("- command: make\n  notify:\n    - email: team@example.com"),
        fix: reference!("Move build notifications to the pipeline's top-level `notify`, and use the keys the message names."),
        docs: DOCS_NOTIFY,
    },
    Rule {
        id: "KS338",
        name: reference!("cache-value"),
        severity: Severity::Error,
        summary: reference!("`cache` is not a path, a list of paths, or `{paths, size, name}` with `paths` given and `size` like `20g`."),
        why: reference!("The schema requires `paths` in the mapping form and a size written as whole gigabytes (`^\\d+g$`); otherwise the upload is rejected."),
        example: reference!("cache:\n  paths: node_modules\n  size: 20GB"),
        fix: reference!("Write `cache: {paths: [node_modules], size: 20g}`."),
        docs: DOCS_CACHE,
    },
    Rule {
        id: "KS339",
        name: reference!("boolean-word"),
        severity: Severity::Error,
        summary: reference!("A key that takes `true` or `false` has another value (`yes`, `on`, `1` …)."),
        why: reference!("`allow_dependency_failure`, `cancel_on_build_failing`, `continue_on_failure`, `async`, `soft_fail`, `retry.automatic`/`manual` and similar keys accept only `true`/`false` (or those words quoted). YAML 1.2 reads `yes` and `on` as strings, which the schema rejects."),
        example: reference!("allow_dependency_failure: yes"),
        fix: reference!("Write `true` or `false`."),
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS340",
        name: reference!("condition-value"),
        severity: Severity::Error,
        summary: reference!("`if` is not an expression string, or a `branches` item is not a string."),
        why: reference!("`if: true` is a boolean, not a conditional expression, and the schema rejects it; `branches` takes space-separated patterns as a string or a list of strings."),
        example: reference!("if: true"),
        fix: reference!("Write the condition as an expression, e.g. `if: build.branch == \"main\"`."),
        docs: DOCS_CONDITIONALS,
    },
    Rule {
        id: "KS341",
        name: reference!("group-steps"),
        severity: Severity::Error,
        summary: reference!("A group step has no `steps`, an empty `steps` list, or contains another group."),
        why: reference!("The schema requires a non-empty `steps` list in every group, and a group's steps cannot be groups; Buildkite rejects the upload."),
        example: reference!("- group: tests\n  steps:\n    - group: unit\n      steps: [...]"),
        fix: reference!("Give each group at least one step, and move nested groups up to the top-level `steps`."),
        docs: DOCS_GROUP,
    },
    Rule {
        id: "KS342",
        name: reference!("value-out-of-range"),
        severity: Severity::Error,
        summary: reference!("A value is outside what the schema allows: `timeout_in_minutes` under 1, a `skip` reason over 70 characters, an unknown `concurrency_method` or `blocked_state`."),
        why: reference!("Buildkite rejects the pipeline at upload."),
        example: reference!("timeout_in_minutes: 0"),
        fix: reference!("Use a value the message names."),
        docs: DOCS_SCHEMA,
    },
    Rule {
        id: "KS343",
        name: reference!("credential-in-pipeline"),
        severity: Severity::Error,
        summary: reference!("A token, access key id, OIDC token or private key is written into the pipeline or a script it runs."),
        why: reference!("Pipeline files and their scripts live in the repository and are shown with every build: anyone who can read either can use the credential, and it outlives the build. Buildkite secrets, Kubernetes Secrets, the Elastic stack's secrets bucket or an OIDC token keep it out of both."),
        example: reference!("env:\n  DOCKER_PASSWORD: dckr_pat_…"),
        fix: reference!("Revoke the credential, store it as a Buildkite secret and read it at run time (`buildkite-agent secret get KEY`), or use OIDC where the registry accepts it."),
        docs: DOCS_TOKENS,
    },
    Rule {
        id: "KS344",
        name: reference!("umask-reaches-executor"),
        severity: Severity::Warning,
        summary: reference!("A umask that takes read access from group or others is still in force when `/kaniko/executor` runs."),
        why: reference!("The executor and every `RUN` step inherit the shell's umask, and Kaniko creates `WORKDIR` and `COPY` parent directories with `0755` masked by it: with `umask 077` the image's new files and directories are owner-only, and the container fails with `permission denied` under a non-root `USER`. The build itself succeeds."),
        example: reference!("umask 077\nprintf … > /kaniko/.docker/config.json\n/kaniko/executor --destination=…"),
        fix: reference!("Write the credentials in a subshell, `(umask 077; printf … > /kaniko/.docker/config.json)`, or run `umask 022` right before the executor."),
        docs: "",
    },
    Rule {
        id: "KS345",
        name: reference!("shell-variable-interpolated-at-upload"),
        severity: Severity::Error,
        summary: reference!("A variable the step's command sets itself is written `$VAR` in pipeline.yml, so it is substituted at upload, before the command runs."),
        why: reference!("`buildkite-agent pipeline upload` replaces `$VAR` and `${VAR}` in commands with values from the upload's environment, where a variable the command assigns (`TOKEN=\"$(…)\"`) does not exist yet: the command runs with an empty value, e.g. an empty password in config.json and a 401 at push."),
        example: reference!("command: |\n  TOKEN=\"$(buildkite-agent oidc request-token …)\"\n  printf … \"${TOKEN}\" > /kaniko/.docker/config.json"),
        fix: reference!("Write `$$VAR` (or `\\$VAR`) in pipeline.yml so the shell expands it when the step runs."),
        docs: DOCS_INTERPOLATION,
    },
    Rule {
        id: "KS346",
        name: reference!("docker-config-not-read"),
        severity: Severity::Warning,
        summary: reference!("A script that runs `/kaniko/executor` writes or mounts config.json where Kaniko does not read it, or points `DOCKER_CONFIG` at the file."),
        why: reference!("Kaniko reads `$DOCKER_CONFIG/config.json`, and its images set `DOCKER_CONFIG=/kaniko/.docker/`: a file written to `/root/.docker/config.json` is ignored, and `DOCKER_CONFIG` naming the file finds nothing. The push is anonymous and fails with 401."),
        example: reference!("printf … > /root/.docker/config.json\n/kaniko/executor --destination=…"),
        fix: reference!("Write `/kaniko/.docker/config.json` (or set `DOCKER_CONFIG` to the directory that holds config.json)."),
        docs: "https://github.com/GoogleContainerTools/kaniko/issues/245",
    },
    Rule {
        id: "KS347",
        name: reference!("pipeline-escape-in-script"),
        severity: Severity::Error,
        summary: reference!("A script writes `$$NAME`, pipeline.yml's escape for `$`: in a script `$$` is the shell's process id."),
        why: reference!("`$$` is only turned into `$` by `buildkite-agent pipeline upload`, in pipeline.yml. In a script file the shell expands `$$` to its process id, so `\"$$TOKEN\"` becomes `12345TOKEN`: config.json gets a wrong password and the push fails with 401, and `\"$$(…)\"` is that number followed by the text of the command, which never runs."),
        example: reference!("# .buildkite/build.sh\nTOKEN=\"$$(buildkite-agent oidc request-token …)\"\nprintf … \"$$TOKEN\" > /kaniko/.docker/config.json"),
        fix: reference!("Write `$NAME` (one `$`) in scripts; keep `$$` for commands written in pipeline.yml."),
        docs: DOCS_INTERPOLATION,
    },
    Rule {
        id: "KS348",
        name: reference!("packages-username"),
        severity: Severity::Error,
        summary: reference!("A login or config.json for Package Registries uses a username other than `buildkite`."),
        why: reference!("Buildkite Package Registries take the username `buildkite` for every login, with an OIDC token or an API access token as the password; another name fails the login or the push with 401."),
        example: reference!("echo \"$TOKEN\" | docker login packages.buildkite.com/acme/images -u admin --password-stdin"),
        fix: reference!("Use the username `buildkite`."),
        docs: "https://buildkite.com/docs/package-registries/ecosystems/oci",
    },
    Rule {
        id: "KS349",
        name: reference!("token-requested-in-early-hook"),
        severity: Severity::Warning,
        summary: reference!("A Package Registries token is requested in an agent hook that runs before the build (`environment`, `pre-command`, …)."),
        why: reference!("Package Registries refuse tokens whose lifetime is over 300 seconds, and a token's clock starts when it is requested: minted in a hook, it must outlast the checkout and the whole image build, so any build longer than five minutes fails at push with 401."),
        example: reference!("# hooks/pre-command\nexport TOKEN=\"$(buildkite-agent oidc request-token --audience https://packages.buildkite.com/acme/images --lifetime 300)\""),
        fix: reference!("Request the token in the step's command right before the executor pushes, not in an agent hook."),
        docs: DOCS_OIDC,
    },
    Rule {
        id: "KS350",
        name: reference!("not-a-pipeline"),
        severity: Severity::Error,
        summary: reference!("The file is not a pipeline but another kind of document: an OIDC policy, a build configuration, a Docker config.json, a Kubernetes manifest, a token or a build log."),
        why: reference!("Read as a pipeline, such a file only gives shape errors (no `steps`, a step of no known type) that hide what is really wrong: the file was given to the wrong check."),
        example: reference!("- iss: https://agent.buildkite.com\n  scopes: [read_packages]\n  claims:\n    organization_slug: acme"),
        fix: reference!("Check the file with the command or troubleshooter tab the message names, and lint the pipeline itself."),
        docs: DOCS_SCHEMA,
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

/// Other rules quote what they reject; nothing that looks like a credential (KS343) may be
/// repeated in a finding, which goes to terminals, CI logs and annotations.
fn hide_credentials(files: &[SourceFile<'_>], found: &mut [(usize, Diagnostic)]) {
    let secrets = crate::validate::credential_words(files.iter().map(|f| f.text));
    if !secrets.is_empty() {
        found.iter_mut().for_each(|(_, d)| d.hide(&secrets));
    }
}

/// Lint every file together (audiences in a hook are compared with destinations in the
/// pipeline). Findings are ordered by file, then position.
pub fn lint(files: &[SourceFile<'_>]) -> Vec<LintFinding> {
    let mut cx = checks::Cx::new(files);
    cx.run();
    let mut found = cx.finish();
    hide_credentials(files, &mut found);
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

    /// A credential is reported where it is, and no finding repeats it, not even one that
    /// quotes the key it was pasted as (built at run time so no secret scanner flags this file).
    #[test]
    fn a_credential_is_reported_and_never_repeated() {
        let secret = format!("ghp_{}", "0123456789abcdefghijABCDEFGHIJ012345");
        let text = format!("steps:\n  - command: make\n    {secret}: 1\n");
        let found = lint(&[SourceFile { path: "p.yml", text: &text }]);
        let ids: Vec<&str> = found.iter().map(|f| f.diagnostic.id).collect();
        assert!(ids.contains(&"KS343") && ids.contains(&"KS302"), "{found:#?}");
        for f in &found {
            assert!(!f.diagnostic.message.contains(&secret) && !f.diagnostic.fix.contains(&secret), "{} repeats it: {}", f.diagnostic.id, f.diagnostic.message);
        }
        let at = found.iter().find(|f| f.diagnostic.id == "KS343").and_then(|f| f.diagnostic.span).expect("a position");
        assert_eq!((at.line, at.col), (3, 5));
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

    /// A token with no audience in a script that never pushes to Package Registries may be
    /// for a cloud: the fix names every consumer's audience, not only Package Registries'.
    #[test]
    fn a_missing_audience_outside_package_registries_names_the_clouds() {
        let text = "printf '%s' \"$(buildkite-agent oidc request-token --lifetime 3600)\" > \"$AWS_WEB_IDENTITY_TOKEN_FILE\"\n";
        let found = lint(&[SourceFile { path: "hook", text }]);
        let d = found.first().map(|f| f.diagnostic.clone()).expect("KS311");
        assert_eq!((d.id, d.severity), ("KS311", Severity::Warning));
        assert!(d.fix.contains("`sts.amazonaws.com` for AWS") && !d.message.contains("Package Registries"), "{d:?}");
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

    #[test]
    fn audiences_in_variables_are_checked_where_they_are_set() {
        let req = "buildkite-agent oidc request-token --audience \"$AUD\" --lifetime 300\n/kaniko/executor --destination packages.buildkite.com/acme/images/web:1\n";
        assert_eq!(ids("build.sh", &format!("AUD=https://packages.buildkite.com/acme/other\n{req}")), ["KS312"]);
        assert!(ids("build.sh", &format!("AUD=https://packages.buildkite.com/acme/images\n{req}")).is_empty());
        // Set twice, or from something computed: not ours to guess.
        assert!(ids("build.sh", &format!("AUD=https://x\nAUD=https://packages.buildkite.com/acme/images\n{req}")).is_empty());
        assert!(ids("build.sh", &format!("AUD=\"https://packages.buildkite.com/$ORG/images/\"\n{req}")).is_empty());
        let yaml = "steps:\n  - command: |\n      AUD=https://packages.buildkite.com/acme/images/\n      buildkite-agent oidc request-token --audience \"$${AUD}\" --lifetime 300\n";
        assert_eq!(ids("pipeline.yml", yaml), ["KS313"]);
        let yaml = "steps:\n  - env:\n      AUD: https://packages.buildkite.com/acme/images/\n    command: |\n      buildkite-agent oidc request-token --audience \"$${AUD}\" --lifetime 300\n";
        assert_eq!(ids("pipeline.yml", yaml), ["KS313"]);
        // The pipeline's top-level `env`, unless the step's own `env` sets the name.
        let request = "    command: buildkite-agent oidc request-token --audience \"$${AUD}\" --lifetime 300\n";
        let top = "env:\n  AUD: https://packages.buildkite.com/acme/images/\nsteps:\n";
        assert_eq!(ids("pipeline.yml", &format!("{top}  - label: a\n{request}")), ["KS313"]);
        let step_env = |value: &str| format!("{top}  - env:\n      AUD: {value}\n{request}");
        assert!(ids("pipeline.yml", &step_env("https://packages.buildkite.com/acme/images")).is_empty());
        assert!(ids("pipeline.yml", &step_env("\"$$OTHER\"")).is_empty(), "a computed step value is not replaced by the top-level one");
    }

    #[test]
    fn package_registries_take_the_username_buildkite() {
        for login in ["docker login -uadmin packages.buildkite.com/a/b", "podman login --username=admin packages.buildkite.com", "regctl registry login packages.buildkite.com --user me"] {
            assert_eq!(ids("build.sh", &format!("{login} --password-stdin\n")), ["KS348"], "{login}");
        }
        for fine in ["docker login -u buildkite packages.buildkite.com/a/b", "docker login -u admin ghcr.io", "docker logout packages.buildkite.com"] {
            assert!(ids("build.sh", &format!("{fine}\n")).is_empty(), "{fine}");
        }
        let yaml = "steps:\n  - command: |\n      printf '{\\\"auths\\\":{\\\"packages.buildkite.com\\\":{\\\"username\\\":\\\"root\\\"}}}' > c.json\n";
        assert_eq!(ids("pipeline.yml", yaml), ["KS348"], "{yaml}");
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

    #[test]
    fn executor_args_from_a_variable_are_not_positional() {
        // The generator's pipelines build the arguments with `set --` and pass `"$$@"`.
        let text = "steps:\n  - command: |\n      set -- --context=dir://. --no-push\n      exec /kaniko/executor \"$$@\"\n";
        assert!(ids("p.yml", text).is_empty());
        assert!(ids("build.sh", "exec /kaniko/executor \"$@\"\n/kaniko/executor $ARGS\n").is_empty());
        assert_eq!(ids("build.sh", "/kaniko/executor build --no-push\n"), ["KS098"]);
    }
}
