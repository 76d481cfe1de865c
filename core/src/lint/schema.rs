//! Compact tables of Buildkite's pipeline schema: step types, their keys, the kinds of
//! value each key takes, and aliases. Derived by hand from `buildkite/pipeline-schema`
//! `schema.json` (commit 829d2f7, copied to `shared/reference/buildkite-pipeline-schema.json`),
//! plus the documented command-step keys the schema lacks (buildkite.md §5). The test
//! `tests/tests/lint_schema_tables.rs` reads the real schema and fails when these drift.
//!
//! Not a JSON-schema engine: it checks keys and the kind of each value (string, list,
//! mapping …), which is what users get wrong; nested plugin configs are free-form.

/// A set of value kinds (bit flags).
pub type Kinds = u8;
pub const STR: Kinds = 1;
pub const INT: Kinds = 2;
pub const BOOL: Kinds = 4;
pub const NULL: Kinds = 8;
pub const LIST: Kinds = 16;
pub const MAP: Kinds = 32;
pub const NUM: Kinds = 64;

/// Human words for a kind set, e.g. "a string or a list".
pub fn describe(kinds: Kinds) -> String {
    let words: Vec<&str> = [(STR, "a string"), (INT, "an integer"), (NUM, "a number"), (BOOL, "a boolean"), (NULL, "null"), (LIST, "a list"), (MAP, "a mapping")]
        .iter()
        .filter(|(k, _)| kinds & k != 0)
        .map(|(_, w)| *w)
        .collect();
    match words.as_slice() {
        [] => "nothing".into(),
        [one] => (*one).into(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// One key a step (or the pipeline) may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub name: &'static str,
    pub kinds: Kinds,
    /// The key this one is another name for (`name` → `label`).
    pub alias_of: Option<&'static str>,
    /// Documented by Buildkite but missing from the schema.
    pub documented_only: bool,
}

const fn key(name: &'static str, kinds: Kinds) -> Key {
    Key { name, kinds, alias_of: None, documented_only: false }
}
const fn alias(name: &'static str, of: &'static str, kinds: Kinds) -> Key {
    Key { name, kinds, alias_of: Some(of), documented_only: false }
}
const fn documented(name: &'static str, of: Option<&'static str>, kinds: Kinds) -> Key {
    Key { name, kinds, alias_of: of, documented_only: true }
}

/// A step type and the schema definition it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepType {
    /// `command`, `wait`, `block`, `input`, `trigger`, `group`.
    pub name: &'static str,
    /// The schema's `definitions` entry.
    pub definition: &'static str,
    pub keys: &'static [Key],
}

/// Command-step keys the docs list but the schema lacks (buildkite.md §5).
pub const COMMAND_DOCUMENTED_KEYS: &[Key] = &[
    documented("checkout", None, MAP),
    documented("artifacts", Some("artifact_paths"), LIST | STR),
    documented("agent_query_rules", Some("agents"), LIST | MAP),
    documented("timeout", Some("timeout_in_minutes"), INT),
];

pub const COMMAND_KEYS: &[Key] = &[
    key("agents", LIST | MAP),
    key("allow_dependency_failure", BOOL | STR),
    key("artifact_paths", LIST | STR),
    key("branches", LIST | STR),
    key("cache", LIST | MAP | STR),
    key("cancel_on_build_failing", BOOL | STR),
    key("command", LIST | STR),
    key("commands", LIST | STR),
    key("concurrency", INT),
    key("concurrency_group", STR),
    key("concurrency_method", STR),
    key("depends_on", LIST | NULL | STR),
    key("env", MAP),
    key("if", STR),
    key("if_changed", LIST | MAP | STR),
    key("key", STR),
    alias("identifier", "key", STR),
    alias("id", "key", STR),
    key("image", STR),
    key("label", STR),
    key("signature", MAP),
    key("matrix", LIST | MAP),
    alias("name", "label", STR),
    key("notify", LIST),
    key("parallelism", INT),
    key("plugins", LIST | MAP),
    key("soft_fail", LIST | BOOL | STR),
    key("retry", MAP),
    key("skip", BOOL | STR),
    key("timeout_in_minutes", INT),
    key("type", STR),
    key("priority", INT),
    key("secrets", LIST | MAP),
];
pub const WAIT_KEYS: &[Key] = &[
    key("allow_dependency_failure", BOOL | STR),
    key("branches", LIST | STR),
    key("continue_on_failure", BOOL | STR),
    key("depends_on", LIST | NULL | STR),
    key("if", STR),
    key("key", STR),
    key("label", NULL | STR),
    alias("name", "label", NULL | STR),
    alias("identifier", "key", STR),
    alias("id", "key", STR),
    key("type", STR),
    key("wait", NULL | STR),
];
pub const BLOCK_KEYS: &[Key] = &[
    key("allow_dependency_failure", BOOL | STR),
    key("block", STR),
    key("blocked_state", STR),
    key("branches", LIST | STR),
    key("depends_on", LIST | NULL | STR),
    key("fields", LIST),
    key("if", STR),
    key("key", STR),
    alias("identifier", "key", STR),
    alias("id", "key", STR),
    key("label", STR),
    alias("name", "label", STR),
    key("prompt", STR),
    key("allowed_teams", LIST | STR),
    key("type", STR),
];
pub const INPUT_KEYS: &[Key] = &[
    key("allow_dependency_failure", BOOL | STR),
    key("input", STR),
    key("branches", LIST | STR),
    key("depends_on", LIST | NULL | STR),
    key("fields", LIST),
    key("blocked_state", STR),
    key("if", STR),
    key("key", STR),
    alias("identifier", "key", STR),
    alias("id", "key", STR),
    key("label", STR),
    alias("name", "label", STR),
    key("prompt", STR),
    key("allowed_teams", LIST | STR),
    key("type", STR),
];
pub const TRIGGER_KEYS: &[Key] = &[
    key("allow_dependency_failure", BOOL | STR),
    key("async", BOOL | STR),
    key("branches", LIST | STR),
    key("build", MAP),
    key("depends_on", LIST | NULL | STR),
    key("if", STR),
    key("if_changed", LIST | MAP | STR),
    key("key", STR),
    alias("identifier", "key", STR),
    alias("id", "key", STR),
    key("label", STR),
    alias("name", "label", STR),
    key("type", STR),
    key("trigger", STR),
    key("skip", BOOL | STR),
    key("soft_fail", LIST | BOOL | STR),
];
pub const GROUP_KEYS: &[Key] = &[
    key("depends_on", LIST | NULL | STR),
    key("group", NULL | STR),
    key("if", STR),
    key("if_changed", LIST | MAP | STR),
    key("key", STR),
    alias("identifier", "key", STR),
    alias("id", "key", STR),
    key("label", NULL | STR),
    alias("name", "label", NULL | STR),
    key("allow_dependency_failure", BOOL | STR),
    key("notify", LIST),
    key("skip", BOOL | STR),
    key("steps", LIST),
];
pub const PIPELINE_KEYS: &[Key] = &[
    key("env", MAP),
    key("agents", LIST | MAP),
    key("notify", LIST),
    key("image", STR),
    key("secrets", LIST | MAP),
    key("priority", INT),
    key("steps", LIST),
];

/// Every step type, in the order a step's type is recognised.
pub static STEP_TYPES: &[StepType] = &[
    StepType { name: "group", definition: "groupStep", keys: GROUP_KEYS },
    StepType { name: "trigger", definition: "triggerStep", keys: TRIGGER_KEYS },
    StepType { name: "block", definition: "blockStep", keys: BLOCK_KEYS },
    StepType { name: "input", definition: "inputStep", keys: INPUT_KEYS },
    StepType { name: "wait", definition: "waitStep", keys: WAIT_KEYS },
    StepType { name: "command", definition: "commandStep", keys: COMMAND_KEYS },
];

/// Keys of a step's mapping that decide its type, with that type.
pub const TYPE_KEYS: &[(&str, &str)] = &[
    ("group", "group"),
    ("trigger", "trigger"),
    ("block", "block"),
    ("input", "input"),
    ("wait", "wait"),
    ("waiter", "wait"),
    ("command", "command"),
    ("commands", "command"),
    ("plugins", "command"),
];

/// String steps: `- wait`, `- block`, …
pub const STRING_STEPS: &[&str] = &["wait", "waiter", "block", "input"];

/// The step type called `name`.
pub fn step_type(name: &str) -> Option<&'static StepType> {
    STEP_TYPES.iter().find(|t| t.name == name)
}

/// Every key a step of this type accepts, including documented extras.
pub fn keys_of(t: &StepType) -> impl Iterator<Item = &'static Key> {
    let extra: &'static [Key] = if t.name == "command" { COMMAND_DOCUMENTED_KEYS } else { &[] };
    t.keys.iter().chain(extra.iter())
}
