//! The checks behind [`super::lint`]: the schema walk over each pipeline, the Kubernetes
//! plugin checks, and the shell checks over commands, hooks and scripts.

use std::cell::Cell;
use std::collections::BTreeSet;

use crate::audience::{PACKAGES_HOST, is_placeholder, shorten};
use crate::config::ExecutorFamily;
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::kaniko_flags::check_executor_args;
use crate::policy::closest;

use super::schema::{self, Kinds};
use super::shell::{self, Word};
use super::yaml::{self, LineIndex, Node, NodeKind, ScalarType};
use super::{SourceFile, point, rule};

mod values;

/// Known `buildkite-agent` commands and, where they have them, their subcommands
/// (agent v3.136 / v4 CLI reference).
const AGENT_COMMANDS: &[(&str, &[&str])] = &[
    ("acknowledgements", &[]),
    ("annotate", &[]),
    ("annotation", &["remove"]),
    ("artifact", &["upload", "download", "search", "shasum"]),
    ("bootstrap", &[]),
    ("build", &["cancel"]),
    ("cache", &["save", "restore"]),
    ("env", &["dump", "get", "set", "unset"]),
    ("git", &["credentials-helper"]),
    ("help", &[]),
    ("job", &["update"]),
    ("kubernetes-bootstrap", &[]),
    ("lock", &["acquire", "do", "done", "get", "release"]),
    ("meta-data", &["set", "get", "exists", "keys"]),
    ("oidc", &["request-token"]),
    ("pipeline", &["upload"]),
    ("redactor", &["add"]),
    ("secret", &["get"]),
    ("start", &[]),
    ("step", &["get", "update", "cancel"]),
    ("tool", &["keygen", "sign"]),
];

const SYSTEM_CONTAINERS: &[&str] = &["agent", "checkout", "copy-agent"];

/// The keys of the `kubernetes` plugin (agent-stack-k8s `KubernetesPlugin`, buildkite.md §3.1).
const KUBERNETES_PLUGIN_KEYS: &[&str] = &[
    "podSpec",
    "podSpecPatch",
    "podTemplate",
    "gitEnvFrom",
    "sidecars",
    "metadata",
    "extraVolumeMounts",
    "checkout",
    "commandParams",
    "sidecarParams",
    "jobActiveDeadlineSeconds",
];

/// A text in which shell commands are looked for.
struct Snippet<'n> {
    file: usize,
    text: &'n str,
    /// The YAML scalar it came from; `None` for a whole script file.
    node: Option<&'n Node>,
}

/// An `oidc request-token` call.
struct TokenRequest {
    file: usize,
    span: Span,
    audience: Option<(String, Span)>,
    lifetime: Option<(String, Span)>,
}

/// A `--destination` or `--cache-repo` on Package Registries.
struct RegistryRef {
    file: usize,
    span: Span,
    /// `org/registry`, variables normalised to `${NAME}`.
    registry: String,
    /// From `--cache-repo`: a refused cache push is only a warning, and the cache stays empty.
    cache: bool,
}

pub(crate) struct Cx<'a> {
    files: &'a [SourceFile<'a>],
    indexes: Vec<LineIndex<'a>>,
    out: Vec<(usize, Diagnostic)>,
    tokens: Vec<TokenRequest>,
    refs: Vec<RegistryRef>,
    /// The literal values of the step's `env` while its commands are checked, then those of the
    /// pipeline's top-level `env` that the step does not set: `(name, value, span)`.
    step_env: Vec<(String, String, Span)>,
    /// The literal values of the top-level `env` of the pipeline being walked.
    pipeline_env: Vec<(String, String, Span)>,
    mentions_packages: bool,
    /// Per file: whether it has `{{` at all (so placeholders need looking for).
    has_placeholders: Vec<bool>,
    /// Bytes [`Cx::locate`] may still scan to find words inside YAML scalars; past it, findings
    /// point at the whole scalar. Keeps hostile pipelines (thousands of flags in one command)
    /// linear: each search scans the scalar, so without a bound the cost is quadratic.
    locate_budget: Cell<usize>,
}

/// The initial [`Cx::locate_budget`]: far more than real pipelines use (a 200-word command in
/// a 5 KB scalar scans about 2 MB), small enough to stay in milliseconds.
const LOCATE_BUDGET: usize = 16 << 20;

impl<'a> Cx<'a> {
    pub(crate) fn new(files: &'a [SourceFile<'a>]) -> Self {
        Cx {
            files,
            indexes: files.iter().map(|f| LineIndex::new(f.text)).collect(),
            out: Vec::new(),
            tokens: Vec::new(),
            refs: Vec::new(),
            step_env: Vec::new(),
            pipeline_env: Vec::new(),
            mentions_packages: files.iter().any(|f| f.text.contains(PACKAGES_HOST)),
            has_placeholders: files.iter().map(|f| f.text.contains("{{")).collect(),
            locate_budget: Cell::new(LOCATE_BUDGET),
        }
    }

    pub(crate) fn finish(self) -> Vec<(usize, Diagnostic)> {
        self.out
    }

    fn push(&mut self, file: usize, d: Diagnostic) {
        self.out.push((file, d));
    }

    pub(crate) fn run(&mut self) {
        let files = self.files;
        let mut trees: Vec<(usize, Node)> = Vec::new();
        for (i, f) in files.iter().enumerate() {
            if !f.is_pipeline() {
                continue;
            }
            match yaml::parse(f.text) {
                Ok(Some(root)) => trees.push((i, root)),
                Ok(None) => self.push(
                    i,
                    rule("KS301").diag("The pipeline file is empty.", "Add `steps:` with at least one step.").with_span(point(1, 1)),
                ),
                Err(e) => {
                    let d = other_document(f.text).unwrap_or_else(|| {
                        rule("KS300").diag(format!("The file is not valid YAML: {}.", e.message), "Fix the syntax at this position.").with_span(e.span)
                    });
                    self.push(i, d);
                }
            }
        }
        for (i, root) in &trees {
            // Without `steps` the file may be a policy, a configuration …: one finding that
            // names its check, instead of the schema's shape errors.
            let other = if root.get("steps").is_none() { files.get(*i).and_then(|f| other_document(f.text)) } else { None };
            match other {
                Some(d) => self.push(*i, d),
                None => self.pipeline(*i, root),
            }
            self.credentials_in_tree(*i, root);
        }
        for (i, f) in files.iter().enumerate() {
            if !f.is_pipeline() {
                self.shell_checks(&Snippet { file: i, text: f.text, node: None });
                self.credentials_in_text(i, f.text, 0);
            }
        }
        self.audience_checks();
    }

    // ---- credentials ----------------------------------------------------------------

    /// KS343 for every scalar (keys too) that holds what looks like a credential.
    fn credentials_in_tree(&mut self, file: usize, node: &Node) {
        match &node.kind {
            NodeKind::Scalar { value, .. } => {
                if crate::validate::credential_kind(value).is_some() {
                    // Found again in the scalar's source, for its exact line and column.
                    let src = self.indexes.get(file).and_then(|ix| ix.text().get(node.bytes.0..node.bytes.1)).unwrap_or("");
                    if !self.credentials_in_text(file, src, node.bytes.0) {
                        self.credential(file, value, node.span);
                    }
                }
            }
            NodeKind::Seq(items) => items.iter().for_each(|n| self.credentials_in_tree(file, n)),
            NodeKind::Map(entries) => entries.iter().for_each(|(k, v)| {
                self.credentials_in_tree(file, k);
                // A secret-named key (`AWS_SECRET_ACCESS_KEY`, `DOCKER_PASSWORD`) with a
                // generated-looking literal: secrets without a known format, such as AWS's.
                if let (Some(name), Some(value)) = (k.as_str(), v.as_str())
                    && secret_name(name)
                    && !value.contains('$')
                    && !value.starts_with(['/', '.', '~'])
                    && crate::validate::credential_kind(value).is_none()
                    && crate::validate::looks_like_secret(value)
                {
                    self.credential(file, value, v.span);
                }
                self.credentials_in_tree(file, v);
            }),
            NodeKind::Alias => {}
        }
    }

    /// KS343 for each line of `text` (which starts at byte `at` of the file) that holds what
    /// looks like a credential; whether there was one.
    fn credentials_in_text(&mut self, file: usize, text: &str, at: usize) -> bool {
        let mut found = false;
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            if let Some((_, range)) = crate::validate::find_credential(line)
                && let Some(index) = self.indexes.get(file)
            {
                let span = index.span(at + line_start + range.start, at + line_start + range.end);
                self.credential(file, line, span);
                found = true;
            }
            line_start += line.len();
        }
        found
    }

    /// The finding, which never repeats the credential.
    fn credential(&mut self, file: usize, text: &str, span: Span) {
        let kind = crate::validate::credential_kind(text).unwrap_or("a credential");
        let d = rule("KS343").diag(
            format!("This looks like {kind}, written where everyone who can read the repository or the build can copy it."),
            "Revoke it; keep it in a Buildkite secret (read it with `buildkite-agent secret get KEY` in the step), a Kubernetes Secret or the stack's secrets bucket, or use an OIDC token where the registry accepts one.",
        );
        self.push(file, d.with_span(span));
    }

    // ---- positions ------------------------------------------------------------------

    /// The span of `text[start..end]` of a snippet in its file.
    fn locate(&self, s: &Snippet<'_>, start: usize, end: usize) -> Span {
        let Some(index) = self.indexes.get(s.file) else { return point(1, 1) };
        match s.node {
            None => index.span(start, end),
            Some(node) => {
                let cost = start.saturating_add(node.bytes.1.saturating_sub(node.bytes.0));
                let Some(left) = self.locate_budget.get().checked_sub(cost) else { return node.span };
                self.locate_budget.set(left);
                let needle = s.text.get(start..end).unwrap_or("");
                let nth = s.text.get(..start).map_or(0, |before| before.matches(needle).count());
                let src = index.text().get(node.bytes.0..node.bytes.1.max(node.bytes.0)).unwrap_or("");
                if !needle.is_empty()
                    && let Some((i, _)) = src.match_indices(needle).nth(nth).or_else(|| src.match_indices(needle).next())
                {
                    let at = node.bytes.0 + i;
                    return index.span(at, at + needle.len());
                }
                node.span
            }
        }
    }

    fn word_span(&self, s: &Snippet<'_>, w: &Word) -> Span {
        self.locate(s, w.start, w.end)
    }

    // ---- schema ---------------------------------------------------------------------

    fn pipeline(&mut self, file: usize, root: &Node) {
        let mut top_env: BTreeSet<String> = BTreeSet::new();
        let steps = match &root.kind {
            NodeKind::Seq(_) => Some(root),
            NodeKind::Map(entries) => {
                for (k, v) in entries {
                    let name = k.as_str().unwrap_or("");
                    match schema::PIPELINE_KEYS.iter().find(|key| key.name == name) {
                        Some(key) => {
                            self.kind_check(file, "the pipeline", name, key.kinds, v);
                            if name == "notify" {
                                self.notify(file, v, true);
                            }
                        }
                        None => {
                            let names: Vec<&str> = schema::PIPELINE_KEYS.iter().map(|k| k.name).collect();
                            if let Some(s) = closest(name, &names) {
                                self.push(
                                    file,
                                    rule("KS305")
                                        .diag(format!("`{}` is not a pipeline key; did you mean `{s}`?", shorten(name)), format!("Rename it to `{s}`."))
                                        .with_span(k.span),
                                );
                            }
                        }
                    }
                }
                if let Some(env) = root.get("env").and_then(Node::as_map) {
                    top_env.extend(env.iter().filter_map(|(k, _)| k.as_str().map(str::to_string)));
                }
                match root.get("steps") {
                    Some(s) => Some(s),
                    None => {
                        self.push(
                            file,
                            rule("KS301")
                                .diag("The pipeline has no `steps`.", "Add `steps:` followed by a list of steps.")
                                .with_span(root.span),
                        );
                        None
                    }
                }
            }
            _ => {
                self.push(
                    file,
                    rule("KS301")
                        .diag(format!("The pipeline is {}, not a mapping with `steps`.", root.describe()), "Start the file with `steps:` followed by a list of steps.")
                        .with_span(root.span),
                );
                None
            }
        };
        let Some(steps) = steps else { return };
        match steps.as_seq() {
            Some(items) => {
                self.pipeline_env = literal_env(root.get("env"));
                for step in items {
                    self.step(file, step, &top_env, 0);
                }
                self.pipeline_env.clear();
            }
            None if matches!(steps.scalar_type(), Some(ScalarType::Null)) => {}
            None => self.push(
                file,
                rule("KS301")
                    .diag(format!("`steps` is {}, not a list.", steps.describe()), "Write each step as a list item starting with `- `.")
                    .with_span(steps.span),
            ),
        }
    }

    fn kind_check(&mut self, file: usize, owner: &str, key: &str, kinds: Kinds, v: &Node) {
        let Some(actual) = node_kinds(v) else { return };
        if actual & kinds != 0 {
            return;
        }
        let fix = if let (true, Some(value)) = (kinds & schema::LIST != 0, v.as_str()) {
            format!("Write `{key}` as {}, e.g. `{key}: [{}]`.", schema::describe(kinds), shorten(value))
        } else {
            format!("Write `{key}` as {}.", schema::describe(kinds))
        };
        self.push(
            file,
            rule("KS303")
                .diag(format!("`{key}` in {owner} is {}, but it takes {}.", v.describe(), schema::describe(kinds)), fix)
                .with_span(v.span),
        );
    }

    fn step(&mut self, file: usize, step: &Node, top_env: &BTreeSet<String>, depth: usize) {
        if let Some(s) = step.as_str() {
            if !schema::STRING_STEPS.contains(&s) {
                let hint = closest(s, schema::STRING_STEPS).map(|c| format!(" Did you mean `{c}`?")).unwrap_or_default();
                self.push(
                    file,
                    rule("KS304")
                        .diag(format!("The step `{}` is a plain string; only `wait`, `block` and `input` can be written that way.{hint}", shorten(s)), "Write a command step as `- command: …`.")
                        .with_span(step.span),
                );
            }
            return;
        }
        let Some(entries) = step.as_map() else {
            if !matches!(step.kind, NodeKind::Alias) {
                self.push(
                    file,
                    rule("KS304").diag(format!("The step is {}, not a mapping.", step.describe()), "Write the step as a mapping, e.g. `- command: make`.").with_span(step.span),
                );
            }
            return;
        };
        // Nested form: `- command: {…}` / `- wait: {…}` with a mapping value.
        if let [(k, v)] = entries
            && let (Some(name), NodeKind::Map(_)) = (k.as_str(), &v.kind)
            && let Some((_, ty)) = schema::TYPE_KEYS.iter().find(|(key, _)| *key == name || name == "script" && *key == "command")
            && name != "plugins"
        {
            self.typed_step(file, v, ty, top_env, depth);
            return;
        }
        let explicit = step.get("type").and_then(Node::as_str).map(|t| match t {
            "script" | "command" | "commands" => "command",
            "waiter" => "wait",
            other => other,
        });
        let by_key = entries.iter().find_map(|(k, _)| {
            let name = k.as_str()?;
            schema::TYPE_KEYS.iter().find(|(key, _)| *key == name).map(|(_, t)| *t)
        });
        match explicit.filter(|t| schema::step_type(t).is_some()).or(by_key) {
            Some(ty) => self.typed_step(file, step, ty, top_env, depth),
            // Keys merged in with `<<: *anchor` may give the step its type.
            None if step.get("<<").is_some() => {}
            None => {
                // No type: the most likely reason is a misspelled `command`.
                let type_keys: Vec<&str> = schema::TYPE_KEYS.iter().map(|(k, _)| *k).collect();
                let misspelled = entries.iter().find_map(|(k, _)| {
                    let name = k.as_str()?;
                    closest(name, &type_keys).map(|c| (k, name, c))
                });
                match misspelled {
                    Some((k, name, c)) => self.push(
                        file,
                        rule("KS302").diag(format!("`{}` is not a step key; did you mean `{c}`?", shorten(name)), format!("Rename `{}` to `{c}`.", shorten(name))).with_span(k.span),
                    ),
                    None => self.push(
                        file,
                        rule("KS304")
                            .diag(
                                "This step has none of `command`, `commands`, `plugins`, `wait`, `block`, `input`, `trigger` or `group`, so it is no known step type.",
                                "Add `command:` with what the step should run (or make it a wait, block, input, trigger or group step).",
                            )
                            .with_span(step.span),
                    ),
                }
            }
        }
    }

    fn typed_step(&mut self, file: usize, step: &Node, ty: &str, top_env: &BTreeSet<String>, depth: usize) {
        let Some(st) = schema::step_type(ty) else { return };
        let owner = format!("a {ty} step");
        for (k, v) in step.as_map().unwrap_or(&[]) {
            let name = k.as_str().unwrap_or("");
            match schema::keys_of(st).find(|key| key.name == name) {
                Some(key) => self.kind_check(file, &owner, name, key.kinds, v),
                // `waiter` is the old name of `wait`; `<<` is a YAML merge key.
                None if ty == "wait" && name == "waiter" || name == "<<" => {}
                None => {
                    let names: Vec<&str> = schema::keys_of(st).map(|k| k.name).collect();
                    let (msg, fix) = match closest(name, &names) {
                        Some(s) => (format!("`{}` is not a {ty} step key; did you mean `{s}`?", shorten(name)), format!("Rename it to `{s}`.")),
                        None => (
                            format!("`{}` is not a key of a {ty} step.", shorten(name)),
                            "Remove it, or check the step type's keys in the Buildkite docs.".to_string(),
                        ),
                    };
                    self.push(file, rule("KS302").diag(msg, fix).with_span(k.span));
                }
            }
        }
        for alias in ["key", "identifier", "id"] {
            if let Some(k) = step.get(alias) {
                self.key_format(file, k);
            }
        }
        self.step_values(file, step, ty, depth);
        if ty == "group"
            && let Some(children) = step.get("steps").and_then(Node::as_seq)
            && depth < 4
        {
            for child in children {
                self.step(file, child, top_env, depth + 1);
            }
        }
        if ty == "command" {
            self.command_step(file, step, top_env);
        }
    }

    fn key_format(&mut self, file: usize, k: &Node) {
        let Some(value) = k.as_str() else { return };
        let problem = if value.chars().count() > 100 {
            Some("is longer than 100 characters".to_string())
        } else if is_uuid(value) {
            Some("looks like a UUID, which keys may not".to_string())
        } else {
            let bad: BTreeSet<char> = value.chars().filter(|c| !(c.is_ascii_alphanumeric() || "_-:${}.,".contains(*c))).collect();
            (!bad.is_empty()).then(|| format!("contains {}", bad.iter().map(|c| format!("`{}`", c.escape_debug())).collect::<Vec<_>>().join(", ")))
        };
        if let Some(problem) = problem {
            let suggestion: String = value.chars().take(100).map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).collect();
            self.push(
                file,
                rule("KS306").diag(format!("The step key `{}` {problem}.", shorten(value)), format!("Use letters, digits, `-` and `_`, e.g. `{}`.", shorten(&suggestion))).with_span(k.span),
            );
        }
    }

    // ---- command steps ----------------------------------------------------------------

    fn command_step(&mut self, file: usize, step: &Node, top_env: &BTreeSet<String>) {
        let step_env: BTreeSet<String> = step
            .get("env")
            .and_then(Node::as_map)
            .map(|e| e.iter().filter_map(|(k, _)| k.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        if let Some(env) = step.get("env").and_then(Node::as_map)
            && let Some((k, _)) = env.iter().find(|(k, _)| k.as_str() == Some("BUILDKITE_HOOKS_PATH"))
        {
            self.push(
                file,
                rule("KS318")
                    .diag(
                        "`BUILDKITE_HOOKS_PATH` in step `env` is ignored: it is a protected variable, so the agent keeps its own hooks path.",
                        "Configure hooks on the agent (controller `agent-config.hooksVolume` on Kubernetes), or run the hook's commands in the step's command.",
                    )
                    .with_span(k.span),
            );
        }
        let only_step: BTreeSet<&String> = step_env.iter().filter(|v| !top_env.contains(*v)).collect();

        let mut commands: Vec<&Node> = Vec::new();
        for key in ["command", "commands"] {
            match step.get(key).map(|n| &n.kind) {
                Some(NodeKind::Seq(items)) => commands.extend(items.iter().filter(|n| n.as_str().is_some())),
                Some(NodeKind::Scalar { .. }) => commands.extend(step.get(key)),
                _ => {}
            }
        }
        let has_command = !commands.is_empty();
        // Variables the command assigns itself: unescaped, upload interpolation empties them.
        let mut local: BTreeSet<String> = BTreeSet::new();
        for node in &commands {
            if let Some(text) = node.as_str() {
                local.extend(shell::assigned_vars(text).into_iter().filter(|v| !step_env.contains(v) && !top_env.contains(v)));
            }
        }
        // Buildkite gives the step the top-level `env`, and the step's own `env` over it.
        self.step_env = literal_env(step.get("env"));
        self.step_env.extend(self.pipeline_env.iter().filter(|(name, _, _)| !step_env.contains(name)).cloned());
        for node in &commands {
            self.local_interpolation(file, node, &local);
            self.interpolation(file, node, &only_step, "command");
            if let Some(text) = node.as_str() {
                self.shell_checks(&Snippet { file, text, node: Some(node) });
            }
        }
        self.step_env.clear();
        let plugins: Vec<(&Node, &Node)> = match step.get("plugins").map(|p| &p.kind) {
            Some(NodeKind::Seq(items)) => items.iter().filter_map(|i| i.as_map()).flat_map(|m| m.iter().map(|(k, v)| (k, v))).collect(),
            Some(NodeKind::Map(entries)) => entries.iter().map(|(k, v)| (k, v)).collect(),
            _ => Vec::new(),
        };
        if let Some(NodeKind::Seq(items)) = step.get("plugins").map(|p| &p.kind) {
            for item in items {
                if let Some(m) = item.as_map()
                    && m.len() > 1
                {
                    self.push(
                        file,
                        rule("KS303")
                            .diag(format!("This plugin entry has {} keys; each list item must hold exactly one plugin.", m.len()), "Start each plugin with its own `- `, and indent its options under the plugin name.")
                            .with_span(item.span),
                    );
                }
            }
        }
        let mut k8s = step.get("image").is_some();
        for (name, config) in &plugins {
            let mut scalars: Vec<&Node> = Vec::new();
            yaml::walk(config, |n| {
                if n.as_str().is_some() {
                    scalars.push(n);
                }
            });
            for n in scalars {
                self.interpolation(file, n, &only_step, "plugin");
            }
            let plugin = name.as_str().unwrap_or("");
            if plugin == "kubernetes" || plugin.starts_with("kubernetes#") {
                k8s = true;
                self.kubernetes(file, step, config, has_command);
            }
            self.aws_plugin_lifetime(file, plugin, config);
            self.docker_plugin(file, plugin, config);
        }
        if k8s
            && let Some(image) = step.get("image")
            && let Some(text) = image.as_str()
        {
            let patched = step
                .get("plugins")
                .is_some_and(|p| {
                    let mut found = false;
                    yaml::walk(p, |n| found |= n.get("name").and_then(Node::as_str) == Some("container-0") && n.get("image").is_some());
                    found
                });
            if has_command && !patched {
                self.image_without_shell(file, image, text);
            }
        }
    }

    fn interpolation(&mut self, file: usize, node: &Node, only_step: &BTreeSet<&String>, place: &str) {
        let Some(text) = node.as_str() else { return };
        if only_step.is_empty() || !text.contains('$') {
            return;
        }
        let snippet = Snippet { file, text, node: Some(node) };
        for (at, name, whole) in shell::interpolated_vars(text) {
            if !only_step.iter().any(|v| v.as_str() == name) {
                continue;
            }
            let span = self.locate(&snippet, at, at + whole.len());
            let escaped = format!("${whole}");
            let becomes = if has_default(whole) { "its default" } else { "empty" };
            self.push(
                file,
                rule("KS315")
                    .diag(
                        format!("`{whole}` in the step's {place} is substituted when the pipeline is uploaded, but `{name}` is only set in this step's `env`, so it becomes {becomes}."),
                        format!("Write `{escaped}` so it is expanded when the step runs."),
                    )
                    .with_span(span),
            );
        }
    }

    fn local_interpolation(&mut self, file: usize, node: &Node, local: &BTreeSet<String>) {
        let Some(text) = node.as_str() else { return };
        if local.is_empty() || !text.contains('$') {
            return;
        }
        let snippet = Snippet { file, text, node: Some(node) };
        for (at, name, whole) in shell::interpolated_vars(text) {
            if !local.contains(name) {
                continue;
            }
            let span = self.locate(&snippet, at, at + whole.len());
            let becomes = if has_default(whole) { "its default" } else { "an empty value" };
            self.push(
                file,
                rule("KS345")
                    .diag(
                        format!("`{whole}` is substituted when the pipeline is uploaded, but `{name}` is set by this command when it runs, so the command sees {becomes}."),
                        format!("Write `${whole}` so the shell expands it when the step runs."),
                    )
                    .with_span(span),
            );
        }
    }

    /// The AWS plugins request the OIDC token themselves: `oidc-token-lifetime` of
    /// aws-assume-role-with-web-identity, and `assume-role.duration-seconds` of ecr with
    /// `oidc: true` (the same value is the token's `--lifetime`). Over 7200 the agent API
    /// answers `422 Requested lifetime too high`.
    fn aws_plugin_lifetime(&mut self, file: usize, plugin: &str, config: &Node) {
        let base = plugin_base(plugin);
        let (node, key) = match base {
            "aws-assume-role-with-web-identity" => (config.get("oidc-token-lifetime"), "oidc-token-lifetime"),
            "ecr" => {
                let role = config.get("assume-role");
                let oidc = role.and_then(|r| r.get("oidc")).and_then(Node::as_str) == Some("true");
                (role.and_then(|r| r.get("duration-seconds")).filter(|_| oidc), "assume-role.duration-seconds")
            }
            _ => return,
        };
        let Some(node) = node else { return };
        let Some(n) = node.as_str().and_then(|t| t.trim().parse::<i64>().ok()) else { return };
        if n > 7200 {
            self.push(
                file,
                rule("KS314")
                    .diag(
                        format!("`{key}: {n}` is the lifetime the `{base}` plugin requests for its OIDC token; the agent API refuses lifetimes over 7200 seconds (`422 Requested lifetime too high`), so the step fails before any AWS call."),
                        format!("Use at most `{key}: 7200` (two hours)."),
                    )
                    .with_span(node.span),
            );
        }
    }

    fn image_without_shell(&mut self, file: usize, node: &Node, image: &str) {
        if !is_kaniko_image(image) || image.to_ascii_lowercase().contains("debug") || image.contains('$') {
            return;
        }
        let fixed = debug_image(image);
        self.push(
            file,
            rule("KS316")
                .diag(
                    format!("`{}` has no shell, but on agent-stack-k8s the step's command runs through `/bin/sh` in this container, so the job fails before Kaniko starts.", shorten(image)),
                    format!("Use {fixed}."),
                )
                .with_span(node.span),
        );
    }

    fn kubernetes(&mut self, file: usize, step: &Node, config: &Node, has_command: bool) {
        for (k, _) in config.as_map().unwrap_or(&[]) {
            let Some(name) = k.as_str() else { continue };
            if KUBERNETES_PLUGIN_KEYS.contains(&name) {
                continue;
            }
            let hint = closest(name, KUBERNETES_PLUGIN_KEYS).map_or_else(
                || format!("Remove it; the plugin's keys are {}.", KUBERNETES_PLUGIN_KEYS.join(", ")),
                |s| format!("Did you mean `{s}`?"),
            );
            self.push(
                file,
                rule("KS326")
                    .diag(format!("`{}` is not a key of the kubernetes plugin; agent-stack-k8s silently ignores it.", shorten(name)), hint)
                    .with_span(k.span),
            );
        }
        let pod_spec = config.get("podSpec");
        let command_names: Vec<String> = match pod_spec.and_then(|p| p.get("containers")).and_then(Node::as_seq) {
            Some(cs) => cs.iter().enumerate().map(|(i, c)| c.get("name").and_then(Node::as_str).map_or_else(|| format!("container-{i}"), str::to_string)).collect(),
            None => vec!["container-0".to_string()],
        };
        for (spec_key, is_patch) in [("podSpec", false), ("podSpecPatch", true)] {
            let Some(spec) = config.get(spec_key) else { continue };
            for list in ["containers", "initContainers"] {
                let Some(containers) = spec.get(list).and_then(Node::as_seq) else { continue };
                for (i, c) in containers.iter().enumerate() {
                    self.container(file, c, list == "containers");
                    if !is_patch || list != "containers" {
                        if list == "containers" {
                            self.container_image(file, c, has_command || c.get("command").is_some() || c.get("args").is_some());
                        }
                        continue;
                    }
                    match c.get("name") {
                        None => self.push(
                            file,
                            rule("KS319")
                                .diag(
                                    format!("Container {} of `podSpecPatch` has no `name`; containers are merged by name, so it cannot patch the command container.", i + 1),
                                    format!("Add `name: {}`.", command_names.first().map_or("container-0", String::as_str)),
                                )
                                .with_span(c.span),
                        ),
                        Some(n) => {
                            let name = n.as_str().unwrap_or("");
                            let system = SYSTEM_CONTAINERS.contains(&name) || name.starts_with("imagecheck-");
                            let known = command_names.iter().any(|c| c == name) || system;
                            if system && !command_names.iter().any(|c| c == name) {
                                for key in ["command", "args"] {
                                    if let Some((k, _)) = c.as_map().and_then(|m| m.iter().find(|(k, _)| k.as_str() == Some(key))) {
                                        let extra = if name == "checkout" { " Use a checkout hook, or skip the checkout container with `checkout: {skip: true}`." } else { "" };
                                        self.push(
                                            file,
                                            rule("KS327")
                                                .diag(
                                                    format!("`podSpecPatch` sets `{key}` on the `{}` container; agent-stack-k8s fails the job with `modifying container commands or args via podSpecPatch is not supported`.", shorten(name)),
                                                    format!("Remove `{key}` here; patch `{}` to change what the step runs.{extra}", command_names.first().map_or("container-0", String::as_str)),
                                                )
                                                .with_span(k.span),
                                        );
                                    }
                                }
                            }
                            if !known {
                                self.push(
                                    file,
                                    rule("KS319")
                                        .diag(
                                            format!("`podSpecPatch` container `{}` is not a command container, so the patch adds a new container that runs no Buildkite command.", shorten(name)),
                                            format!("Name it `{}` to patch the step's command container.", command_names.first().map_or("container-0", String::as_str)),
                                        )
                                        .with_span(n.span),
                                );
                            } else if command_names.iter().any(|c| c == name) {
                                self.container_image(file, c, has_command || c.get("command").is_some() || c.get("args").is_some());
                            }
                        }
                    }
                }
            }
            if let Some(sidecars) = config.get("sidecars").and_then(Node::as_seq) {
                for c in sidecars {
                    self.container(file, c, false);
                }
            }
        }
        let _ = step;
    }

    /// Checks every container: `extraVolumeMounts`, `BUILDKITE_HOOKS_PATH`, and shell
    /// commands in `command`/`args`.
    fn container(&mut self, file: usize, c: &Node, _command_container: bool) {
        if let Some((k, _)) = c.as_map().and_then(|m| m.iter().find(|(k, _)| k.as_str() == Some("extraVolumeMounts"))) {
            self.push(
                file,
                rule("KS317")
                    .diag(
                        "`extraVolumeMounts` inside a container is ignored: it is a key of the kubernetes plugin, not of a Kubernetes container.",
                        "Use `volumeMounts` here, or move `extraVolumeMounts` up to the plugin's top level (it then applies to every container). `/workspace` is mounted in every container already.",
                    )
                    .with_span(k.span),
            );
        }
        if let Some(env) = c.get("env").and_then(Node::as_seq) {
            for e in env {
                if let Some(n) = e.get("name")
                    && n.as_str() == Some("BUILDKITE_HOOKS_PATH")
                {
                    self.push(
                        file,
                        rule("KS318")
                            .diag(
                                "Container-level `BUILDKITE_HOOKS_PATH` is ignored since agent v3.127.1 (agent-stack-k8s v0.44.0): the agent's own value wins, so these hooks never run.",
                                "Mount the hooks with the controller's `agent-config.hooksVolume` (or `additional-hooks`), or do the hook's work (token, config.json) in the step's command.",
                            )
                            .with_span(n.span),
                    );
                }
            }
        }
        // Exec form: `command: [/kaniko/executor]` and `args: [...]` (or `args` alone for a
        // Kaniko image, whose entrypoint is the executor) reach the executor word for word.
        let list = |key: &str| c.get(key).and_then(Node::as_seq).map(|items| items.iter().collect::<Vec<&Node>>());
        let (command, args) = (list("command"), list("args"));
        let kaniko_image = c.get("image").and_then(Node::as_str).is_some_and(is_kaniko_image);
        let exec: Option<Vec<&Node>> = match (&command, &args) {
            (Some(cmd), args) if cmd.first().and_then(|n| n.as_str()).is_some_and(|t| t.rsplit('/').next() == Some("executor")) => {
                Some(cmd.iter().skip(1).chain(args.iter().flatten()).copied().collect())
            }
            (None, Some(args)) if kaniko_image => Some(args.clone()),
            _ => None,
        };
        if let Some(argv) = exec {
            self.exec_args(file, &argv);
            return;
        }
        for key in ["command", "args"] {
            let Some(list) = c.get(key) else { continue };
            let items: Vec<&Node> = match &list.kind {
                NodeKind::Seq(items) => items.iter().collect(),
                _ => vec![list],
            };
            for n in items {
                if let Some(text) = n.as_str() {
                    self.shell_checks(&Snippet { file, text, node: Some(n) });
                }
            }
        }
    }

    /// The executor's arguments as YAML list items (exec form: no shell removes quotes or
    /// splits words), each finding at its item.
    fn exec_args(&mut self, file: usize, argv: &[&Node]) {
        let items: Vec<(&Node, &str)> = argv.iter().filter_map(|n| n.as_str().map(|t| (*n, t))).collect();
        let texts: Vec<&str> = items.iter().map(|(_, t)| *t).collect();
        for f in check_executor_args(&texts, ExecutorFamily::Google) {
            let Some((node, text)) = items.get(f.index) else { continue };
            // `$(VAR)` is expanded by Kubernetes from the container's env: known at run time only.
            if text.contains('$') && matches!(f.diagnostic.id, "KS093" | "KS098") {
                continue;
            }
            self.push(file, f.diagnostic.with_span(node.span));
        }
        for (name, value, at) in flag_values(&texts) {
            let Some((node, _)) = items.get(at) else { continue };
            self.destination_values(file, name, value, node.span);
        }
    }

    fn container_image(&mut self, file: usize, c: &Node, runs_command: bool) {
        if runs_command
            && let Some(image) = c.get("image")
            && let Some(text) = image.as_str()
        {
            self.image_without_shell(file, image, text);
        }
    }

    // ---- shell ------------------------------------------------------------------------

    fn shell_checks(&mut self, s: &Snippet<'_>) {
        if s.node.is_none() {
            for (at, text) in shell::pid_before_name(s.text) {
                let (shown, message, fix) = if text.starts_with("$$(") {
                    (
                        "$$(",
                        "`$$(…)` in a script is the shell's process id followed by the text `(…)`: the command is not run. `$$` is pipeline.yml's escape, and only pipeline upload turns it into `$`.".to_string(),
                        "Write `$(…)` in the script.".to_string(),
                    )
                } else {
                    (
                        text,
                        format!("`{}` in a script is the shell's process id followed by `{}`: `$$` is pipeline.yml's escape, and only pipeline upload turns it into `$`.", shorten(text), shorten(text.get(2..).unwrap_or_default())),
                        format!("Write `{}` in the script.", shorten(text.get(1..).unwrap_or_default())),
                    )
                };
                let span = self.locate(s, at, at + shown.len());
                self.push(s.file, rule("KS347").diag(message, fix).with_span(span));
            }
        }
        // The last `umask` of this snippet's shell that takes read access from group and
        // others (not one in a `( … )` subshell), while it is in force.
        let mut private_umask: Option<(usize, usize, String)> = None;
        // config.json written under $HOME/.docker, whether DOCKER_CONFIG is set, and whether
        // the executor runs here (not in `docker run`, where mounts decide).
        let mut home_config: Vec<(usize, usize, String)> = Vec::new();
        let mut docker_config_set = false;
        let mut runs_executor = false;
        for cmd in shell::commands(s.text) {
            for w in &cmd {
                let Some(value) = w.text.strip_prefix("DOCKER_CONFIG=") else { continue };
                docker_config_set = true;
                if value.trim_end_matches('"').ends_with("config.json") {
                    let span = self.word_span(s, w);
                    self.push(
                        s.file,
                        rule("KS346")
                            .diag(
                                format!("`DOCKER_CONFIG` is the directory that holds config.json, not the file: with `{}` Kaniko finds no credentials and pushes anonymously (401).", shorten(&w.text)),
                                format!("Set `DOCKER_CONFIG={}`.", shorten(value.trim_end_matches("/config.json"))),
                            )
                            .with_span(span),
                    );
                }
            }
            let Some((i, prog)) = shell::program(&cmd) else { continue };
            let rest = cmd.get(i + 1..).unwrap_or(&[]);
            runs_executor |= prog == "executor";
            for t in write_targets(&cmd, prog, rest) {
                if t.text.ends_with("/.docker/config.json")
                    && ["/root/.docker/", "$HOME/.docker/", "${HOME}/.docker/", "~/.docker/", "$$HOME/.docker/", "$${HOME}/.docker/"].iter().any(|p| t.text.starts_with(p))
                {
                    home_config.push((t.start, t.end, t.text.clone()));
                }
            }
            if prog == "umask"
                && let Some(word) = cmd.get(i)
                && !s.text.get(..word.start).unwrap_or_default().trim_end().ends_with('(')
            {
                match rest.first().map(|w| w.text.as_str()).and_then(|m| u32::from_str_radix(m, 8).ok().map(|v| (m, v))) {
                    Some((m, v)) if v & 0o044 != 0 => private_umask = Some((word.start, rest.first().map_or(word.end, |w| w.end), m.to_string())),
                    Some(_) => private_umask = None,
                    None => {}
                }
            }
            match prog {
                "buildkite-agent" => self.agent_command(s, &cmd, i, rest),
                "executor" => {
                    if let Some((start, end, mask)) = private_umask.take() {
                        let span = self.locate(s, start, end);
                        self.push(
                            s.file,
                            rule("KS344")
                                .diag(
                                    format!("`umask {mask}` is still in force when the executor runs: every RUN step and the directories Kaniko creates inherit it, so the image's new files and directories are not readable by every user, and the container fails with `permission denied` under a non-root USER."),
                                    "Write the credentials in a subshell, `(umask 077; printf … > /kaniko/.docker/config.json)`, or run `umask 022` right before the executor.",
                                )
                                .with_span(span),
                        );
                    }
                    self.executor(s, rest, ExecutorFamily::Google)
                }
                "docker" | "podman" if rest.first().is_some_and(|w| w.text == "run") => self.docker_run(s, rest.get(1..).unwrap_or(&[])),
                "docker" | "podman" | "buildah" | "skopeo" | "crane" | "regctl" => self.registry_login(s, rest),
                _ => {}
            }
            self.config_writes(s, &cmd, prog, rest);
        }
        if runs_executor && !docker_config_set {
            for (start, end, path) in home_config {
                let span = self.locate(s, start, end);
                self.push(
                    s.file,
                    rule("KS346")
                        .diag(
                            format!("`{}` is not where Kaniko reads credentials: its images set `DOCKER_CONFIG=/kaniko/.docker/`, so it loads `/kaniko/.docker/config.json` and pushes anonymously (401).", shorten(&path)),
                            "Write `/kaniko/.docker/config.json` instead.",
                        )
                        .with_span(span),
                );
            }
        }
        self.docker_hub_key(s);
        self.packages_username_in_json(s);
    }

    fn agent_command(&mut self, s: &Snippet<'_>, cmd: &[Word], i: usize, rest: &[Word]) {
        let Some(prog_word) = cmd.get(i) else { return };
        let args: Vec<&Word> = rest.iter().filter(|w| !w.text.starts_with('-')).collect();
        let Some(sub) = args.first() else { return };
        if sub.text.contains('$') {
            return;
        }
        let Some((_, subs)) = AGENT_COMMANDS.iter().find(|(c, _)| *c == sub.text) else {
            let names: Vec<&str> = AGENT_COMMANDS.iter().map(|(c, _)| *c).collect();
            let is_oidc = sub.text == "get" && args.get(1).is_some_and(|w| w.text.contains("oidc")) || sub.text.contains("oidc") || sub.text.contains("token");
            let fix = if is_oidc {
                "Use `buildkite-agent oidc request-token --audience \"https://packages.buildkite.com/{org}/{registry}\" --lifetime 300`.".to_string()
            } else {
                match closest(&sub.text, &names) {
                    Some(c) => format!("Did you mean `buildkite-agent {c}`?"),
                    None => "See `buildkite-agent help` for the commands that exist.".to_string(),
                }
            };
            let span = self.locate(s, prog_word.start, sub.end);
            self.push(s.file, rule("KS325").diag(format!("`buildkite-agent {}` is not a buildkite-agent command.", shorten(&sub.text)), fix).with_span(span));
            return;
        };
        if !subs.is_empty()
            && let Some(second) = args.get(1)
            && !second.text.contains('$')
            && !subs.contains(&second.text.as_str())
        {
            let fix = match closest(&second.text, subs) {
                Some(c) => format!("Did you mean `buildkite-agent {} {c}`?", sub.text),
                None => format!("`buildkite-agent {}` has: {}.", sub.text, subs.join(", ")),
            };
            let span = self.locate(s, prog_word.start, second.end);
            self.push(
                s.file,
                rule("KS325").diag(format!("`buildkite-agent {} {}` is not a buildkite-agent command.", sub.text, shorten(&second.text)), fix).with_span(span),
            );
            return;
        }
        if sub.text == "oidc" && args.get(1).is_some_and(|w| w.text == "request-token") {
            let flag = |name: &str| -> Option<(String, Span)> {
                let long = format!("--{name}");
                let eq = format!("--{name}=");
                rest.iter().enumerate().find_map(|(j, w)| {
                    if w.text == long {
                        rest.get(j + 1).map(|v| (v.text.clone(), self.word_span(s, v)))
                    } else {
                        w.text.strip_prefix(&eq).map(|v| (v.to_string(), self.word_span(s, w)))
                    }
                })
            };
            let end = rest.last().map_or(prog_word.end, |w| w.end);
            // `--audience "$AUDIENCE"` with `AUDIENCE=…` set to a literal in the same command
            // or script: check the literal, where it is written.
            let audience = flag("audience").map(|(text, span)| match single_var(&text).and_then(|name| self.literal_assignment(s, name)) {
                Some(found) => found,
                None => (text, span),
            });
            let request = TokenRequest { file: s.file, span: self.locate(s, prog_word.start, end), audience, lifetime: flag("lifetime") };
            self.tokens.push(request);
        }
    }

    /// The value of the one assignment `NAME=literal` (no expansion in it) in the snippet, or
    /// else of the step's `env`; `None` when the snippet assigns the name more than once or
    /// from something computed.
    fn literal_assignment(&self, s: &Snippet<'_>, name: &str) -> Option<(String, Span)> {
        let prefix = format!("{name}=");
        let mut found = None;
        for cmd in shell::commands(s.text) {
            for w in &cmd {
                let Some(value) = w.text.strip_prefix(&prefix) else { continue };
                if found.is_some() || value.contains(['$', '`']) || value.is_empty() {
                    return None;
                }
                let start = w.start + prefix.len();
                found = Some((value.to_string(), self.locate(s, start, w.end)));
            }
        }
        // Not assigned by the command: the step's (or the pipeline's) `env` sets it before the
        // command runs.
        found.or_else(|| {
            self.step_env.iter().find(|(n, v, _)| n == name && !v.is_empty() && !v.contains(['$', '`'])).map(|(_, v, span)| (v.clone(), *span))
        })
    }

    fn docker_run(&mut self, s: &Snippet<'_>, args: &[Word]) {
        const WITH_VALUE: &[&str] = &[
            "-v", "--volume", "-e", "--env", "--env-file", "-w", "--workdir", "--name", "--entrypoint", "--network", "--net", "-u", "--user", "--platform", "--mount", "-p", "--publish", "--label", "-l", "--add-host", "--cpus", "-m", "--memory", "--pull", "--userns", "--device", "--tmpfs", "--shm-size", "--ulimit", "--group-add", "--security-opt", "--cap-add", "--cap-drop", "--hostname", "-h", "--dns", "--ipc", "--pid", "--runtime", "--log-driver", "--log-opt", "--restart", "--init-path", "--cidfile", "--gpus",
        ];
        let mut i = 0;
        let mut mounts: Vec<&Word> = Vec::new();
        let mut docker_config = false;
        while let Some(w) = args.get(i) {
            if w.text.starts_with('-') {
                let (flag, inline) = w.text.split_once('=').map_or((w.text.as_str(), None), |(f, v)| (f, Some(v)));
                let value = if inline.is_some() { Some(w) } else { args.get(i + 1) };
                match flag {
                    "-v" | "--volume" | "--mount" => mounts.extend(value),
                    "-e" | "--env" => docker_config |= value.is_some_and(|v| v.text.contains("DOCKER_CONFIG")),
                    _ => {}
                }
                i += if inline.is_none() && WITH_VALUE.contains(&flag) { 2 } else { 1 };
                continue;
            }
            if is_kaniko_image(&w.text) {
                let family = if w.text.contains("chainguard") { ExecutorFamily::Chainguard } else { ExecutorFamily::Google };
                self.executor(s, args.get(i + 1..).unwrap_or(&[]), family);
                if !docker_config {
                    for m in mounts {
                        if let Some(target) = home_docker_mount(&m.text) {
                            let span = self.word_span(s, m);
                            self.home_docker_mount(s.file, target, span);
                        }
                    }
                }
            }
            return;
        }
    }

    fn home_docker_mount(&mut self, file: usize, target: &str, span: Span) {
        self.push(
            file,
            rule("KS346")
                .diag(
                    format!("The credentials are mounted at `{}`, but Kaniko's images set `DOCKER_CONFIG=/kaniko/.docker/`: the executor reads `/kaniko/.docker/config.json` and pushes anonymously (401).", shorten(target)),
                    if target.ends_with("config.json") { "Mount the file at `/kaniko/.docker/config.json` instead." } else { "Mount the directory at `/kaniko/.docker` instead." },
                )
                .with_span(span),
        );
    }

    /// The docker plugin running a Kaniko image: `command` is the executor's argv (exec
    /// form, when the image's entrypoint is kept), and `volumes` must put config.json where
    /// Kaniko reads it.
    fn docker_plugin(&mut self, file: usize, plugin: &str, config: &Node) {
        if plugin_base(plugin) != "docker" {
            return;
        }
        if !config.get("image").and_then(Node::as_str).is_some_and(is_kaniko_image) {
            return;
        }
        let entrypoint = config.get("entrypoint").and_then(Node::as_str);
        if entrypoint.is_none_or(|e| e.ends_with("/executor") || e == "executor")
            && let Some(items) = config.get("command").and_then(Node::as_seq)
        {
            let argv: Vec<&Node> = items.iter().collect();
            self.exec_args(file, &argv);
        }
        let sets_docker_config = config.get("environment").and_then(Node::as_seq).is_some_and(|env| env.iter().any(|e| e.as_str().is_some_and(|t| t.starts_with("DOCKER_CONFIG"))));
        if sets_docker_config {
            return;
        }
        for v in config.get("volumes").and_then(Node::as_seq).unwrap_or_default() {
            if let Some(target) = v.as_str().and_then(home_docker_mount) {
                self.home_docker_mount(file, target, v.span);
            }
        }
    }

    fn executor(&mut self, s: &Snippet<'_>, args: &[Word], family: ExecutorFamily) {
        let texts: Vec<&str> = args.iter().map(|w| w.text.as_str()).collect();
        for f in check_executor_args(&texts, family) {
            let Some(w) = args.get(f.index) else { continue };
            // Values built from variables are only known at run time.
            if w.text.contains('$') && f.diagnostic.id == "KS093" {
                continue;
            }
            // `"$@"`, `$ARGS`, `"$${ARGS[@]}"`: a variable that expands to the real arguments
            // (often built with `set -- …`), not a positional argument.
            if w.text.starts_with('$') && f.diagnostic.id == "KS098" {
                continue;
            }
            let span = self.word_span(s, w);
            self.push(s.file, f.diagnostic.with_span(span));
        }
        for (name, value, at) in flag_values(&texts) {
            let Some(w) = args.get(at) else { continue };
            let span = self.word_span(s, w);
            self.destination_values(s.file, name, value, span);
        }
    }

    /// The registry checks of a `--destination` or `--cache-repo` value.
    fn destination_values(&mut self, file: usize, flag: &str, value: &str, span: Span) {
        match flag {
            "--destination" | "-d" => self.registry_ref(file, value, span, false),
            "--cache-repo" => {
                self.cache_repo(file, value, span);
                self.registry_ref(file, value, span, true);
            }
            _ => {}
        }
    }

    fn registry_ref(&mut self, file: usize, value: &str, span: Span, cache: bool) {
        let v = normalize_vars(value);
        let v = v.split_once("://").map_or(v.as_str(), |(_, rest)| rest);
        let Some(path) = v.strip_prefix(PACKAGES_HOST).and_then(|p| p.strip_prefix('/')) else { return };
        let mut parts = path.split('/');
        let (Some(org), Some(reg)) = (parts.next(), parts.next()) else { return };
        let reg = reg.split([':', '@']).next().unwrap_or(reg);
        self.refs.push(RegistryRef { file, span, registry: format!("{org}/{reg}"), cache });
    }

    fn cache_repo(&mut self, file: usize, value: &str, span: Span) {
        if value.starts_with("oci:") {
            return;
        }
        let stripped = strip_var_exprs(value);
        let last = stripped.rsplit('/').next().unwrap_or("");
        let problem = if value.contains("://") {
            Some("has a scheme")
        } else if stripped.contains('@') {
            Some("has a digest")
        } else if stripped.contains('/') && last.contains(':') {
            Some("has a tag")
        } else if !stripped.contains('/') && !value.contains('$') {
            Some("is only a host, which Kaniko reads as a Docker Hub repository")
        } else {
            None
        };
        if let Some(problem) = problem {
            let fixed = value.split_once("://").map_or(value, |(_, r)| r);
            let fixed = fixed.split('@').next().unwrap_or(fixed);
            let fixed = match fixed.rsplit_once('/') {
                Some((head, tail)) => format!("{head}/{}", tail.split(':').next().unwrap_or(tail)),
                None => format!("{fixed}/cache"),
            };
            self.push(
                file,
                rule("KS320")
                    .diag(
                        format!("`--cache-repo` `{}` {problem}; Kaniko appends `:<cache key>` itself, so cache pushes fail (as warnings) and the cache never works.", shorten(value)),
                        format!("Use a repository without tag: `--cache-repo={}`.", shorten(&fixed)),
                    )
                    .with_span(span),
            );
        }
    }

    fn config_writes(&mut self, s: &Snippet<'_>, cmd: &[Word], prog: &str, rest: &[Word]) {
        for t in write_targets(cmd, prog, rest) {
            let path = t.text.as_str();
            if !path.ends_with("config.json") || !in_build_context(path) {
                continue;
            }
            let span = self.word_span(s, t);
            self.push(
                s.file,
                rule("KS324")
                    .diag(
                        format!("`{}` is inside the checkout, which is Kaniko's build context: `COPY . .` puts the registry token into the image.", shorten(path)),
                        "Write it outside the checkout: `cfg=\"$(mktemp -d)\"; … > \"$cfg/config.json\"`, mount that file at `/kaniko/.docker/config.json`, and remove it afterwards.",
                    )
                    .with_span(span),
            );
        }
    }

    /// `docker login packages.buildkite.com/… --username X` (and podman, buildah, skopeo,
    /// `crane auth login`, `regctl registry login`) with X other than `buildkite`.
    fn registry_login(&mut self, s: &Snippet<'_>, rest: &[Word]) {
        if !rest.iter().take(3).any(|w| w.text == "login") || !rest.iter().any(|w| w.text.starts_with(PACKAGES_HOST)) {
            return;
        }
        let mut words = rest.iter();
        while let Some(w) = words.next() {
            let value = match w.text.as_str() {
                "-u" | "--username" | "--user" => words.next(),
                t if t.starts_with("--username=") || t.starts_with("--user=") || t.starts_with("-u") && t.len() > 2 => Some(w),
                _ => None,
            };
            let Some(v) = value else { continue };
            let name = v.text.split_once('=').filter(|_| v.text.starts_with('-')).map_or(v.text.strip_prefix("-u").filter(|_| v.text.starts_with("-u")).unwrap_or(&v.text), |(_, n)| n);
            let span = self.word_span(s, v);
            self.wrong_packages_username(s.file, name, span);
        }
    }

    /// A config.json written in the script whose `packages.buildkite.com` entry has a
    /// `"username"` other than `buildkite`.
    fn packages_username_in_json(&mut self, s: &Snippet<'_>) {
        if !s.text.contains("auths") || !s.text.contains(PACKAGES_HOST) {
            return;
        }
        let mut found = Vec::new();
        for (at, _) in s.text.match_indices(PACKAGES_HOST) {
            let quoted = at.checked_sub(1).and_then(|i| s.text.as_bytes().get(i)) == Some(&b'"');
            let Some(entry) = s.text.get(at..).filter(|_| quoted) else { continue };
            // The entry's object: up to its first `}`.
            let entry = entry.get(..entry.find('}').unwrap_or(entry.len())).unwrap_or_default();
            let Some(u) = entry.find("username") else { continue };
            let after = entry.get(u + "username".len()..).unwrap_or_default();
            let after = after.trim_start_matches(['\\', '"']).trim_start();
            let Some(after) = after.strip_prefix(':') else { continue };
            let after = after.trim_start().trim_start_matches('\\');
            let Some(value) = after.strip_prefix('"') else { continue };
            let end = value.find(['"', '\\']).unwrap_or(value.len());
            let start = at + (entry.len() - value.len());
            found.push((value.get(..end).unwrap_or_default().to_string(), start, start + end));
        }
        for (name, start, end) in found {
            let span = self.locate(s, start, end);
            self.wrong_packages_username(s.file, &name, span);
        }
    }

    fn wrong_packages_username(&mut self, file: usize, name: &str, span: Span) {
        // Variables and printf directives are filled in at run time; not ours to judge.
        if name == "buildkite" || name.is_empty() || name.contains(['$', '%', '{']) {
            return;
        }
        self.push(
            file,
            rule("KS348")
                .diag(
                    format!("The username for Package Registries is `{}`; it must be `buildkite`, with the OIDC token (or API token) as the password.", shorten(name)),
                    "Use the username `buildkite`.",
                )
                .with_span(span),
        );
    }

    fn docker_hub_key(&mut self, s: &Snippet<'_>) {
        if !s.text.contains("auths") {
            return;
        }
        const WRONG: &[&str] = &["https://index.docker.io/v2/", "https://docker.io", "registry-1.docker.io", "index.docker.io", "docker.io"];
        let bytes = s.text.as_bytes();
        let mut seen: BTreeSet<usize> = BTreeSet::new();
        for key in WRONG {
            for (at, _) in s.text.match_indices(key) {
                // The key must be quoted on both sides (`"docker.io"` or `\"docker.io\"`) and
                // followed by `:`.
                let before = at.checked_sub(1).and_then(|i| bytes.get(i)).copied();
                let after_end = at + key.len();
                let rest = s.text.get(after_end..).unwrap_or("");
                let closes = rest.strip_prefix("\\\"").or_else(|| rest.strip_prefix('"'));
                let quoted = matches!(before, Some(b'"'));
                let starts_key = at.checked_sub(1).is_some_and(|i| !seen.iter().any(|&s| s <= i && i < s + 30));
                if quoted && starts_key && closes.is_some_and(|r| r.trim_start().starts_with(':')) {
                    seen.insert(at);
                    let span = self.locate(s, at, after_end);
                    self.push(
                        s.file,
                        rule("KS321")
                            .diag(
                                format!("The Docker Hub credentials are under `{key}`; Kaniko only looks them up under `https://index.docker.io/v1/`, so the push is anonymous and fails with UNAUTHORIZED."),
                                "Use the key `https://index.docker.io/v1/`.",
                            )
                            .with_span(span),
                    );
                }
            }
        }
    }

    // ---- audiences ------------------------------------------------------------------------

    fn audience_checks(&mut self) {
        let tokens = std::mem::take(&mut self.tokens);
        let registries: BTreeSet<String> = self.refs.iter().map(|r| r.registry.clone()).collect();
        for t in &tokens {
            let packages_audience = t.audience.as_ref().is_some_and(|(a, _)| a.contains(PACKAGES_HOST));
            if let Some((life, span)) = &t.lifetime
                && let Ok(n) = life.trim().parse::<i64>()
            {
                let limit = if packages_audience || (t.audience.is_none() && self.mentions_packages) { 300 } else { 7200 };
                if n > limit {
                    let why = if limit == 300 {
                        "Package Registries reject tokens that live longer than 300 seconds"
                    } else {
                        "the agent API refuses lifetimes over 7200 seconds"
                    };
                    self.push(
                        t.file,
                        rule("KS314").diag(format!("`--lifetime {n}`: {why}."), "Use `--lifetime 300` and request the token right before Kaniko pushes.").with_span(*span),
                    );
                }
            }
            let hook = self.files.get(t.file).map(|f| f.path.rsplit(['/', '\\']).next().unwrap_or(f.path)).map(|name| name.strip_suffix(".sh").unwrap_or(name));
            if let Some(hook) = hook.filter(|h| EARLY_HOOKS.contains(h))
                && (packages_audience || (t.audience.is_none() && self.mentions_packages))
            {
                self.push(
                    t.file,
                    rule("KS349")
                        .diag(
                            format!("The Package Registries token is requested in the `{hook}` hook, before the step's command: it lives at most 300 seconds and must outlast the whole image build, so a build that takes longer is refused at push (401)."),
                            "Request the token in the step's command, right before the executor pushes (or before writing config.json), not in an agent hook.",
                        )
                        .with_span(t.span),
                );
            }
            let Some((aud, span)) = &t.audience else {
                let d = if self.mentions_packages {
                    rule("KS311").diag(
                        "`buildkite-agent oidc request-token` has no `--audience`, so the token's audience is `https://buildkite.com/{org}`, which Package Registries refuse (`Invalid 'aud' claim`).",
                        match registries.first() {
                            Some(r) => format!("Add `--audience \"https://{PACKAGES_HOST}/{r}\"`."),
                            None => format!("Add `--audience \"https://{PACKAGES_HOST}/{{org}}/{{registry}}\"` with your slugs."),
                        },
                    )
                } else {
                    // Nothing here pushes to Package Registries: the token may be for a cloud.
                    rule("KS311")
                        .diag(
                            "`buildkite-agent oidc request-token` has no `--audience`, so the token's audience is `https://buildkite.com/{org}`, which no registry or cloud accepts.",
                            "Add the audience its consumer expects: `sts.amazonaws.com` for AWS, the workload identity provider's resource name for Google Cloud, `api://AzureADTokenExchange` for Azure, `https://packages.buildkite.com/{org}/{registry}` for Package Registries.",
                        )
                        .with_severity(Severity::Warning)
                };
                self.push(t.file, d.with_span(t.span));
                continue;
            };
            self.audience(t.file, aud, *span, &registries);
        }
    }

    fn audience(&mut self, file: usize, aud: &str, span: Span, registries: &BTreeSet<String>) {
        let normal = normalize_vars(aud);
        let placeholder = placeholder_in(aud);
        if let Some(p) = &placeholder {
            self.push(
                file,
                rule("KS310")
                    .diag(
                        format!("The audience `{}` contains the placeholder `{}`; it is sent literally, so the registry answers `Invalid 'aud' claim`.", shorten(aud), shorten(p)),
                        if p.starts_with('{') {
                            format!("Write the slug, or the shell variable `${p}` (`$${p}` inside pipeline.yml).")
                        } else {
                            "Replace it with the real slug.".to_string()
                        },
                    )
                    .with_span(span),
            );
        }
        if !normal.contains(PACKAGES_HOST) {
            if normal.trim_end_matches('/').starts_with("https://buildkite.com/")
                && let Some(r) = registries.first()
            {
                self.push(
                    file,
                    rule("KS312")
                        .diag(
                            format!("The audience `{}` is the default Buildkite audience, but Kaniko pushes to Package Registries.", shorten(aud)),
                            format!("Use `--audience \"https://{PACKAGES_HOST}/{r}\"`."),
                        )
                        .with_span(span),
                );
            }
            return;
        }
        let (scheme, rest) = normal.split_once("://").unwrap_or(("", normal.as_str()));
        let path = rest.strip_prefix(PACKAGES_HOST).unwrap_or("").trim_start_matches('/');
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let org_reg = match segments.as_slice() {
            [org, reg, ..] => Some(format!("{org}/{reg}")),
            _ => None,
        };
        let exact = org_reg.as_ref().map(|r| format!("https://{PACKAGES_HOST}/{r}"));
        let mut problems = Vec::new();
        if scheme.is_empty() {
            problems.push("has no `https://`".to_string());
        } else if scheme != "https" {
            problems.push(format!("uses `{scheme}://` instead of `https://`"));
        }
        if !rest.starts_with(PACKAGES_HOST) {
            problems.push("does not start with the registry host".to_string());
        }
        if segments.len() > 2 {
            problems.push("has an image path after the registry".to_string());
        } else if path.ends_with('/') {
            problems.push("ends with `/`".to_string());
        }
        if segments.len() < 2 && placeholder.is_none() {
            problems.push("lacks the organization or registry slug".to_string());
        }
        if segments.iter().take(2).any(|s| !s.starts_with('$') && s.chars().any(|c| c.is_ascii_uppercase())) {
            problems.push("has uppercase letters (slugs are lowercase)".to_string());
        }
        if !problems.is_empty() {
            let fix = match &exact {
                Some(e) => format!("Use exactly `{}`.", e.to_ascii_lowercase_unless_var()),
                None => format!("Use exactly `https://{PACKAGES_HOST}/{{org}}/{{registry}}`."),
            };
            self.push(
                file,
                rule("KS313").diag(format!("The audience `{}` {}; it must equal `https://{PACKAGES_HOST}/{{org}}/{{registry}}` exactly.", shorten(aud), problems.join(" and ")), fix).with_span(span),
            );
        }
        // The image goes to the audience's registry but the cache to another: Kaniko sends the
        // same token there (config.json's key is the host), the cache push is refused, and
        // Kaniko only warns, so every build runs uncached.
        if let Some(r) = &org_reg
            && self.refs.iter().any(|x| !x.cache && same_registry(&x.registry, r))
        {
            let others: Vec<(usize, Span, String)> =
                self.refs.iter().filter(|x| x.cache && !same_registry(&x.registry, r)).map(|x| (x.file, x.span, x.registry.clone())).collect();
            for (at_file, at, other) in others {
                self.push(
                    at_file,
                    rule("KS312")
                        .diag(
                            format!("`--cache-repo` is on `{other}` but the token is for `{r}`: that registry refuses it, Kaniko only warns that the cache push failed, and every build runs without a cache."),
                            format!("Keep the cache in the same registry (`--cache-repo={PACKAGES_HOST}/{r}/…`)."),
                        )
                        .with_severity(Severity::Warning)
                        .with_span(at),
                );
            }
        }
        if let Some(r) = org_reg
            && !registries.is_empty()
            && !registries.iter().any(|x| same_registry(x, &r))
        {
            let first = self.refs.iter().find(|x| !same_registry(&x.registry, &r));
            let (where_, want) = match first {
                Some(x) => (
                    format!(" ({}:{})", self.files.get(x.file).map_or("", |f| f.path), x.span.line),
                    x.registry.clone(),
                ),
                None => (String::new(), String::new()),
            };
            self.push(
                file,
                rule("KS312")
                    .diag(
                        format!("The token is for `{r}` but Kaniko pushes to `{want}`{where_}; the registry refuses a token minted for another registry."),
                        format!("Use `--audience \"https://{PACKAGES_HOST}/{want}\"`, or push to `{PACKAGES_HOST}/{r}/…`."),
                    )
                    .with_span(span),
            );
        }
    }
}

/// The target of a volume (`src:target[:opts]`, or `--mount …,target=…`) that puts
/// credentials under `/root/.docker`, where Kaniko's images do not look.
fn home_docker_mount(volume: &str) -> Option<&str> {
    let target = match volume.split(',').find_map(|p| p.strip_prefix("target=").or_else(|| p.strip_prefix("dst=")).or_else(|| p.strip_prefix("destination="))) {
        Some(t) => t,
        None => volume.split(':').nth(1)?,
    };
    matches!(target.trim_end_matches('/'), "/root/.docker" | "/root/.docker/config.json").then_some(target)
}

/// The name of a word that is one variable: `$NAME`, `${NAME}`, or the same with `$$`.
fn single_var(text: &str) -> Option<&str> {
    let t = text.strip_prefix("$$").or_else(|| text.strip_prefix('$'))?;
    let t = t.strip_prefix('{').and_then(|x| x.strip_suffix('}')).unwrap_or(t);
    let ok = t.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then_some(t)
}

/// A plugin's short name: `docker` for `docker#v5.13.0` or
/// `github.com/buildkite-plugins/docker-buildkite-plugin#v5`.
fn plugin_base(plugin: &str) -> &str {
    let base = plugin.split('#').next().unwrap_or(plugin);
    let base = base.rsplit('/').next().unwrap_or(base);
    base.strip_suffix("-buildkite-plugin").unwrap_or(base)
}

/// The entries of an `env` mapping whose value is a scalar: `(name, value, value's span)`.
fn literal_env(env: Option<&Node>) -> Vec<(String, String, Span)> {
    env.and_then(Node::as_map)
        .map(|e| e.iter().filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string(), v.span))).collect())
        .unwrap_or_default()
}

/// KS350 when `text` is recognisably another kind of document than a pipeline.
fn other_document(text: &str) -> Option<Diagnostic> {
    crate::document::given_instead_of(crate::document::DocumentKind::Pipeline, text, rule("KS350"))
}

/// A variable or key name that holds a secret by its name.
fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    // `TOKEN_FILE`, `PASSWORD_ENV`, `SECRET_NAME`: where a secret is, not the secret.
    let names_a_place = ["_FILE", "_PATH", "_DIR", "_NAME", "_ENV", "_URL", "_ID", "_KEY_ID", "_VAR"].iter().any(|s| upper.ends_with(s));
    !names_a_place && ["SECRET", "PASSWORD", "PASSWD", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL"].iter().any(|w| upper.contains(w))
}

/// Agent hooks that run before the step's command (and so before the build).
const EARLY_HOOKS: &[&str] = &["environment", "pre-checkout", "checkout", "post-checkout", "pre-command"];

/// `org/registry` pairs that can name the same registry: equal, where a shell variable
/// (`${BUILDKITE_ORGANIZATION_SLUG}`) may stand for the literal slug on the other side. Two
/// different variables do not match (`${PACKAGE_REGISTRY_SLUG}` against
/// `${PACKAGE_REGISTRY_NAME}` is the official example's bug).
fn same_registry(a: &str, b: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('/').collect(), b.split('/').collect());
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x == y || (x.starts_with('$') != y.starts_with('$')))
}

trait LowercaseUnlessVar {
    fn to_ascii_lowercase_unless_var(&self) -> String;
}

impl LowercaseUnlessVar for String {
    /// Lowercase the literal parts only; `${NAME}` stays as written.
    fn to_ascii_lowercase_unless_var(&self) -> String {
        let mut out = String::new();
        let mut in_var = false;
        for c in self.chars() {
            if c == '$' {
                in_var = true;
            }
            if in_var && c == '}' {
                in_var = false;
                out.push(c);
                continue;
            }
            out.push(if in_var { c } else { c.to_ascii_lowercase() });
        }
        out
    }
}

/// `$$X`, `$${X}`, `$X`, `{X}` (a placeholder) all become `${X}`, so an audience and a
/// destination written in different styles compare equal.
fn normalize_vars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' => {
                while chars.peek() == Some(&'$') {
                    chars.next();
                }
                let braced = chars.peek() == Some(&'{');
                if braced {
                    chars.next();
                }
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphanumeric() || n == '_' {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if braced {
                    // Skip `:-default` and the closing brace.
                    for n in chars.by_ref() {
                        if n == '}' {
                            break;
                        }
                    }
                }
                out.push_str(&format!("${{{name}}}"));
            }
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                for n in chars.by_ref() {
                    if n == '}' {
                        closed = true;
                        break;
                    }
                    name.push(n);
                }
                if closed {
                    out.push_str(&format!("${{{name}}}"));
                } else {
                    out.push('{');
                    out.push_str(&name);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Remove `${…}` expressions (which may contain `:` or `/`) before looking at tags.
fn strip_var_exprs(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut prev = '\0';
    for c in s.chars() {
        if c == '{' && prev == '$' {
            depth += 1;
            out.push('V');
        } else if c == '}' && depth > 0 {
            depth -= 1;
        } else if depth == 0 && c != '$' {
            out.push(c);
        } else if depth == 0 {
            out.push('V');
        }
        prev = c;
    }
    out
}

/// A literal placeholder in an audience: `{NAME}` not preceded by `$`, `<name>`, or a
/// slug segment such as `your-org`.
fn placeholder_in(aud: &str) -> Option<String> {
    let bytes = aud.as_bytes();
    for (i, _) in aud.match_indices('{') {
        let dollar = i.checked_sub(1).and_then(|j| bytes.get(j)) == Some(&b'$');
        if !dollar && let Some(end) = aud.get(i..).and_then(|r| r.find('}')) {
            return aud.get(i..=i + end).map(str::to_string);
        }
    }
    if let (Some(a), Some(b)) = (aud.find('<'), aud.find('>'))
        && a < b
    {
        return aud.get(a..=b).map(str::to_string);
    }
    let path = aud.split(PACKAGES_HOST).nth(1).unwrap_or("");
    path.split('/').filter(|s| !s.is_empty() && !s.starts_with('$')).take(2).find(|s| is_placeholder(s)).map(str::to_string)
}

fn is_kaniko_image(image: &str) -> bool {
    let lower = image.to_ascii_lowercase();
    let repo = lower.split(['@']).next().unwrap_or(&lower);
    repo.contains("kaniko")
}

/// The variant of a Kaniko image that has a shell, and what to say about it: Google's
/// `-debug` images (busybox; a pinned digest stays pinned where the debug image's is known),
/// Chainguard's `-dev` variants.
fn debug_image(image: &str) -> String {
    use crate::config_file::{GOOGLE_DEBUG_DIGEST, GOOGLE_DIGEST};
    let (base, digest) = image.split_once('@').map_or((image, None), |(b, d)| (b, Some(d)));
    let (repo, tag) = match base.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => (repo, Some(tag)),
        _ => (base, None),
    };
    if repo.starts_with("cgr.dev/") {
        let tag = tag.unwrap_or("latest");
        return format!("`{repo}:{tag}-dev`, Chainguard's variant with a shell (if your entitlement has it)");
    }
    let tag = match tag {
        None | Some("latest") | Some("slim") => "debug".to_string(),
        Some(t) => format!("{}-debug", t.strip_suffix("-slim").unwrap_or(t)),
    };
    match digest {
        None => format!("`{repo}:{tag}`, which has `/busybox/sh`"),
        Some(d) if d == GOOGLE_DIGEST && repo == "gcr.io/kaniko-project/executor" => {
            format!("`{repo}:v1.24.0-debug@{GOOGLE_DEBUG_DIGEST}`, which has `/busybox/sh`")
        }
        Some(_) => format!("`{repo}:{tag}`, which has `/busybox/sh`, pinned by its own digest"),
    }
}

/// The files a simple command writes: redirection targets, `tee`'s files, and the
/// destination of `cp`, `mv` and `install` (their last argument).
fn write_targets<'w>(cmd: &'w [Word], prog: &str, rest: &'w [Word]) -> Vec<&'w Word> {
    let mut targets: Vec<&Word> = Vec::new();
    for (j, w) in cmd.iter().enumerate() {
        if (w.text == ">" || w.text == ">>")
            && let Some(t) = cmd.get(j + 1)
        {
            targets.push(t);
        }
    }
    match prog {
        "tee" => targets.extend(rest.iter().filter(|w| !w.text.starts_with('-'))),
        "cp" | "mv" | "install" => targets.extend(rest.last().filter(|w| !w.text.starts_with('-') && !targets.iter().any(|t| std::ptr::eq(*t, *w)))),
        _ => {}
    }
    targets
}

/// `--flag=value` and `--flag value` pairs among executor arguments: `(flag, value, index of
/// the argument holding the value)`.
fn flag_values<'a>(args: &[&'a str]) -> Vec<(&'a str, &'a str, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&arg) = args.get(i) {
        i += 1;
        match arg.split_once('=') {
            Some((n, v)) if n.starts_with('-') => out.push((n, v, i - 1)),
            _ if arg.starts_with('-') => {
                if let Some(&v) = args.get(i).filter(|v| !v.starts_with('-')) {
                    out.push((arg, v, i));
                    i += 1;
                }
            }
            _ => {}
        }
    }
    out
}

/// `${VAR:-x}` / `${VAR:=x}`: upload interpolation gives the default, not an empty value.
fn has_default(whole: &str) -> bool {
    whole.contains(":-") || whole.contains(":=")
}

fn in_build_context(path: &str) -> bool {
    let p = path.trim_matches('"');
    if p.starts_with("/kaniko/") || p.starts_with("/tmp/") || p.starts_with('~') || p.starts_with("$HOME") || p.starts_with("${HOME}") {
        return false;
    }
    const CHECKOUT: &[&str] = &["$PWD", "${PWD}", "$(pwd)", "$BUILDKITE_BUILD_CHECKOUT_PATH", "${BUILDKITE_BUILD_CHECKOUT_PATH}", "$$PWD", "$${PWD}", "/workspace/build/"];
    if CHECKOUT.iter().any(|c| p.starts_with(c)) {
        return true;
    }
    !p.starts_with('/') && !p.starts_with('$')
}


/// The kinds a value may stand for (a plain `1` is an integer, a number or a string; a
/// quoted `"1"` is also accepted where an integer is expected). `None` for aliases.
pub(crate) fn node_kinds(v: &Node) -> Option<Kinds> {
    Some(match &v.kind {
        NodeKind::Seq(_) => schema::LIST,
        NodeKind::Map(_) => schema::MAP,
        NodeKind::Alias => return None,
        NodeKind::Scalar { value, .. } => match v.scalar_type() {
            Some(ScalarType::Null) => schema::NULL,
            Some(ScalarType::Bool) => schema::BOOL | schema::STR,
            Some(ScalarType::Int) => schema::INT | schema::NUM | schema::STR,
            Some(ScalarType::Float) => schema::NUM | schema::STR,
            _ => {
                // Quoted numbers and booleans are accepted where those kinds are expected.
                let mut k = schema::STR;
                if value.trim().parse::<i64>().is_ok() {
                    k |= schema::INT | schema::NUM;
                }
                if matches!(value.as_str(), "true" | "false") {
                    k |= schema::BOOL;
                }
                k
            }
        },
    })
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_variables() {
        assert_eq!(normalize_vars("a/$${ORG}/$REG/{X}/${Y:-z}"), "a/${ORG}/${REG}/${X}/${Y}");
    }

    #[test]
    fn images() {
        assert!(is_kaniko_image("gcr.io/kaniko-project/executor:v1.24.0"));
        let busybox = |s: &str| format!("`{s}`, which has `/busybox/sh`");
        assert_eq!(debug_image("gcr.io/kaniko-project/executor:v1.24.0"), busybox("gcr.io/kaniko-project/executor:v1.24.0-debug"));
        assert_eq!(debug_image("gcr.io/kaniko-project/executor"), busybox("gcr.io/kaniko-project/executor:debug"));
        assert_eq!(debug_image("gcr.io/kaniko-project/executor:latest"), busybox("gcr.io/kaniko-project/executor:debug"));
        // Slim images have no debug variant of their own: the debug image of the release.
        assert_eq!(debug_image("gcr.io/kaniko-project/executor:v1.24.0-slim"), busybox("gcr.io/kaniko-project/executor:v1.24.0-debug"));
        // A pin stays a pin.
        assert_eq!(
            debug_image(&format!("gcr.io/kaniko-project/executor@{}", crate::config_file::GOOGLE_DIGEST)),
            busybox(&format!("gcr.io/kaniko-project/executor:v1.24.0-debug@{}", crate::config_file::GOOGLE_DEBUG_DIGEST))
        );
        assert!(debug_image("gcr.io/kaniko-project/executor:v1.23.2@sha256:9e69").ends_with("pinned by its own digest"));
        // Chainguard's images have no busybox; their shell variants end with `-dev`.
        assert_eq!(debug_image("cgr.dev/chainguard/kaniko:latest"), "`cgr.dev/chainguard/kaniko:latest-dev`, Chainguard's variant with a shell (if your entitlement has it)");
    }

    #[test]
    fn build_context_paths() {
        assert!(in_build_context("$PWD/config.json"));
        assert!(in_build_context("config.json"));
        assert!(!in_build_context("$cfg/config.json"));
        assert!(!in_build_context("/kaniko/.docker/config.json"));
    }

    #[test]
    fn placeholders() {
        assert_eq!(placeholder_in("https://packages.buildkite.com/{ORG}/x").as_deref(), Some("{ORG}"));
        assert_eq!(placeholder_in("https://packages.buildkite.com/${ORG}/x"), None);
        assert_eq!(placeholder_in("https://packages.buildkite.com/your-org/x").as_deref(), Some("your-org"));
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("build-image"));
    }
}
