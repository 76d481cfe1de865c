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

// ---- nested values (rules KS328–KS342) ------------------------------------------------

/// A nested object the linter checks key by key (`retry`, a `depends_on` item, a matrix …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Object {
    /// Where it is described: a JSON pointer into the pipeline schema.
    pub pointer: &'static str,
    /// How findings name it ("`retry.automatic`").
    pub name: &'static str,
    pub keys: &'static [Key],
    /// Keys the schema requires.
    pub required: &'static [&'static str],
    /// The schema rejects keys it does not list (`additionalProperties: false`). Unknown keys
    /// in an open object are only reported when they look like a misspelling.
    pub closed: bool,
}

impl Object {
    pub fn key(&self, name: &str) -> Option<&'static Key> {
        self.keys.iter().find(|k| k.name == name)
    }
    pub fn names(&self) -> Vec<&'static str> {
        self.keys.iter().map(|k| k.name).collect()
    }
}

/// A set of string values the schema allows at `pointer` (an `enum`; `true`/`false` stand
/// for both the booleans and the strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Enum {
    pub pointer: &'static str,
    pub values: &'static [&'static str],
}

/// An integer bound the schema sets at `pointer` (`minimum`/`maximum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub pointer: &'static str,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

pub static RETRY: Object = Object {
    pointer: "/definitions/commandStep/properties/retry",
    name: "`retry`",
    keys: &[key("automatic", BOOL | STR | MAP | LIST), key("manual", BOOL | STR | MAP)],
    required: &[],
    closed: true,
};
pub static AUTOMATIC_RETRY: Object = Object {
    pointer: "/definitions/automaticRetry",
    name: "`retry.automatic`",
    keys: &[key("exit_status", STR | INT | LIST), key("limit", INT), key("signal", STR), key("signal_reason", STR)],
    required: &[],
    closed: true,
};
pub static MANUAL_RETRY: Object = Object {
    pointer: "/definitions/commandStepManualRetryObject",
    name: "`retry.manual`",
    keys: &[key("allowed", BOOL | STR), key("permit_on_passed", BOOL | STR), key("reason", STR)],
    required: &[],
    closed: true,
};
pub static SOFT_FAIL_ITEM: Object = Object {
    pointer: "/definitions/softFailObject",
    name: "a `soft_fail` item",
    keys: &[key("exit_status", STR | INT)],
    required: &[],
    closed: false,
};
pub static DEPENDS_ON_ITEM: Object = Object {
    pointer: "/definitions/dependsOnList/items/anyOf/1",
    name: "a `depends_on` item",
    keys: &[key("step", STR), key("allow_failure", BOOL | STR)],
    required: &[],
    closed: true,
};
pub static MATRIX: Object = Object {
    pointer: "/definitions/matrixObject",
    name: "`matrix`",
    keys: &[key("setup", LIST | MAP), key("adjustments", LIST)],
    required: &["setup"],
    closed: false,
};
pub static MATRIX_ADJUSTMENT: Object = Object {
    pointer: "/definitions/matrixAdjustments",
    name: "a matrix adjustment",
    keys: &[key("with", LIST | MAP), key("skip", BOOL | STR), key("soft_fail", BOOL | STR | LIST)],
    required: &["with"],
    closed: false,
};
pub static CACHE: Object = Object {
    pointer: "/definitions/cache/anyOf/2",
    name: "`cache`",
    keys: &[key("paths", LIST), key("size", STR), key("name", STR)],
    required: &["paths"],
    closed: false,
};

/// Notification kinds: the key that names the kind, and its object.
pub static NOTIFY_EMAIL: Object = Object {
    pointer: "/definitions/notifyEmail",
    name: "an `email` notification",
    keys: &[key("email", STR), key("if", STR)],
    required: &[],
    closed: true,
};
pub static NOTIFY_BASECAMP: Object = Object {
    pointer: "/definitions/notifyBasecamp",
    name: "a `basecamp_campfire` notification",
    keys: &[key("basecamp_campfire", STR), key("if", STR)],
    required: &[],
    closed: true,
};
pub static NOTIFY_SLACK: Object = Object {
    pointer: "/definitions/notifySlack",
    name: "a `slack` notification",
    keys: &[key("slack", STR | MAP), key("if", STR)],
    required: &[],
    closed: true,
};
pub static NOTIFY_SLACK_OBJECT: Object = Object {
    pointer: "/definitions/notifySlackObject",
    name: "`slack`",
    keys: &[key("channels", LIST), key("message", STR)],
    required: &[],
    closed: false,
};
pub static NOTIFY_WEBHOOK: Object = Object {
    pointer: "/definitions/notifyWebhook",
    name: "a `webhook` notification",
    keys: &[key("webhook", STR), key("if", STR)],
    required: &[],
    closed: true,
};
pub static NOTIFY_PAGERDUTY: Object = Object {
    pointer: "/definitions/notifyPagerduty",
    name: "a `pagerduty_change_event` notification",
    keys: &[key("pagerduty_change_event", STR), key("if", STR)],
    required: &[],
    closed: true,
};
pub static NOTIFY_GITHUB_COMMIT_STATUS: Object = Object {
    pointer: "/definitions/notifyGithubCommitStatus",
    name: "a `github_commit_status` notification",
    keys: &[key("github_commit_status", MAP), key("if", STR)],
    required: &[],
    closed: true,
};
pub static NOTIFY_GITHUB_COMMIT_STATUS_OBJECT: Object = Object {
    pointer: "/definitions/notifyGithubCommitStatus/properties/github_commit_status",
    name: "`github_commit_status`",
    keys: &[key("context", STR)],
    required: &[],
    closed: true,
};
pub static NOTIFY_GITHUB_CHECK: Object = Object {
    pointer: "/definitions/notifyGithubCheck",
    name: "a `github_check` notification",
    keys: &[key("github_check", MAP)],
    required: &[],
    closed: true,
};

/// `(schema definition, the key naming the kind, its object)`; the definition is what
/// `commandStepNotify` / `buildNotify` list in their `oneOf`.
pub type NotifyKind = (&'static str, &'static str, &'static Object);

/// Notifications a command step may send.
pub static STEP_NOTIFY: &[NotifyKind] = &[
    ("notifyBasecamp", "basecamp_campfire", &NOTIFY_BASECAMP),
    ("notifySlack", "slack", &NOTIFY_SLACK),
    ("notifyGithubCommitStatus", "github_commit_status", &NOTIFY_GITHUB_COMMIT_STATUS),
    ("notifyGithubCheck", "github_check", &NOTIFY_GITHUB_CHECK),
];
/// Notifications a build (the pipeline or a group step) may send.
pub static BUILD_NOTIFY: &[NotifyKind] = &[
    ("notifyEmail", "email", &NOTIFY_EMAIL),
    ("notifyBasecamp", "basecamp_campfire", &NOTIFY_BASECAMP),
    ("notifySlack", "slack", &NOTIFY_SLACK),
    ("notifyWebhook", "webhook", &NOTIFY_WEBHOOK),
    ("notifyPagerduty", "pagerduty_change_event", &NOTIFY_PAGERDUTY),
    ("notifyGithubCommitStatus", "github_commit_status", &NOTIFY_GITHUB_COMMIT_STATUS),
    ("notifyGithubCheck", "github_check", &NOTIFY_GITHUB_CHECK),
];

/// `true`/`false`, as booleans or strings: the only values of the "boolean-ish" keys.
pub static BOOLISH: Enum = Enum { pointer: "/definitions/allowDependencyFailure/enum", values: &["true", "false"] };
/// Step keys whose value is [`BOOLISH`] (the test finds every such key in the schema).
pub const BOOLISH_STEP_KEYS: &[&str] = &["allow_dependency_failure", "cancel_on_build_failing", "continue_on_failure", "async"];
/// The string `exit_status` may be instead of a number.
pub static EXIT_STATUS_ANY: Enum = Enum { pointer: "/definitions/automaticRetry/properties/exit_status/anyOf/0/enum", values: &["*"] };
pub static SOFT_FAIL_EXIT_STATUS_ANY: Enum = Enum { pointer: "/definitions/softFailObject/properties/exit_status/anyOf/0/enum", values: &["*"] };
pub static SIGNAL_REASONS: Enum = Enum {
    pointer: "/definitions/automaticRetry/properties/signal_reason/enum",
    values: &["*", "none", "agent_incompatible", "agent_refused", "agent_stop", "cancel", "process_run_error", "signature_rejected", "stack_error"],
};
/// Notifications written as a bare string.
pub static NOTIFY_SIMPLE: Enum = Enum { pointer: "/definitions/notifySimple/enum", values: &["github_check", "github_commit_status"] };
pub static CONCURRENCY_METHODS: Enum = Enum { pointer: "/definitions/commandStep/properties/concurrency_method/enum", values: &["ordered", "eager"] };
pub static BLOCKED_STATES: Enum = Enum { pointer: "/definitions/blockStep/properties/blocked_state/enum", values: &["passed", "failed", "running"] };

pub static RETRY_LIMIT: Range = Range { pointer: "/definitions/automaticRetry/properties/limit", min: Some(0), max: Some(10) };
pub static TIMEOUT_MINUTES: Range = Range { pointer: "/definitions/commandStep/properties/timeout_in_minutes", min: Some(1), max: None };

/// `skip`'s reason is at most this many characters (`/definitions/skip/anyOf/1/maxLength`).
pub const SKIP_MAX_CHARS: usize = 70;
/// `cache.size`: digits then `g` (`/definitions/cache/anyOf/2/properties/size/pattern`).
pub const CACHE_SIZE_PATTERN: &str = r"^\d+g$";
/// Matrix dimension names (`/definitions/matrixSetup/oneOf/1/propertyNames/pattern`).
pub const MATRIX_DIMENSION_PATTERN: &str = "^[a-zA-Z0-9_]+$";

/// Every nested object table, for the schema test.
pub static OBJECTS: &[&Object] = &[
    &RETRY,
    &AUTOMATIC_RETRY,
    &MANUAL_RETRY,
    &SOFT_FAIL_ITEM,
    &DEPENDS_ON_ITEM,
    &MATRIX,
    &MATRIX_ADJUSTMENT,
    &CACHE,
    &NOTIFY_EMAIL,
    &NOTIFY_BASECAMP,
    &NOTIFY_SLACK,
    &NOTIFY_SLACK_OBJECT,
    &NOTIFY_WEBHOOK,
    &NOTIFY_PAGERDUTY,
    &NOTIFY_GITHUB_COMMIT_STATUS,
    &NOTIFY_GITHUB_COMMIT_STATUS_OBJECT,
    &NOTIFY_GITHUB_CHECK,
];
/// Every enum table, for the schema test.
pub static ENUMS: &[&Enum] = &[&BOOLISH, &EXIT_STATUS_ANY, &SOFT_FAIL_EXIT_STATUS_ANY, &SIGNAL_REASONS, &NOTIFY_SIMPLE, &CONCURRENCY_METHODS, &BLOCKED_STATES];
/// Every range table, for the schema test.
pub static RANGES: &[&Range] = &[&RETRY_LIMIT, &TIMEOUT_MINUTES];

/// Whether `value` matches [`CACHE_SIZE_PATTERN`].
pub fn is_cache_size(value: &str) -> bool {
    value.strip_suffix('g').is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `name` matches [`MATRIX_DIMENSION_PATTERN`].
pub fn is_matrix_dimension(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}
