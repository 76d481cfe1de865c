//! The Kaniko executor's flags as data, and a check of an executor argument list.
//!
//! The table is derived from `../shared/reference/kaniko-flags-extended.tsv` (flags read from
//! `cmd/executor/cmd/root.go` of Google's v1.24.0, Chainguard's v1.25.x and
//! osscontainertools' fork); a test in `tests/tests/kaniko_flags.rs` keeps it in step with the
//! reference files. Parsing follows pflag/cobra as Kaniko uses them (`kaniko.md` §3):
//! `--flag=value` or `--flag value`; booleans only as `--flag` or `--flag=true|false`, because
//! `--cache true` leaves `true` as a positional argument and cobra answers
//! `unknown command "true" for "executor"`.

use serde::Serialize;

pub use crate::config::ExecutorFamily;
use crate::diagnostic::{Diagnostic, Rule, Severity};

const DOCS_FLAGS: &str = "https://github.com/GoogleContainerTools/kaniko#additional-flags";

/// Rules reported by this module.
pub static RULES: &[Rule] = &[
    Rule {
        id: "KS090",
        name: reference!("kaniko-flag-unknown"),
        severity: Severity::Error,
        summary: reference!("An executor argument is not a flag Kaniko knows."),
        why: reference!("The executor stops before building with `Error: unknown flag: --x` and prints its usage."),
        example: reference!("--cache-repository=registry.example.com/app/cache"),
        fix: reference!("Use the flag's exact name (the closest known flag is suggested)."),
        docs: DOCS_FLAGS,
    },
    Rule {
        id: "KS091",
        name: reference!("kaniko-flag-deprecated"),
        severity: Severity::Warning,
        summary: reference!("An executor flag is a deprecated alias."),
        why: reference!("Deprecated aliases (`--snapshotMode`, `--customPlatform`, `--tarPath`, `--whitelist-var-run`) still work but print warnings and may disappear from forks."),
        example: reference!("--snapshotMode=redo"),
        fix: reference!("Use the replacement flag."),
        docs: DOCS_FLAGS,
    },
    Rule {
        id: "KS092",
        name: reference!("kaniko-bool-flag-separate-value"),
        severity: Severity::Error,
        summary: reference!("A boolean flag is followed by `true` or `false` as a separate argument."),
        why: reference!("Booleans take their value only after `=`. `--cache true` leaves `true` as a positional argument and the executor fails with `unknown command \"true\" for \"executor\"`."),
        example: reference!("--cache true"),
        fix: reference!("Write `--cache=true` (or just `--cache`)."),
        docs: DOCS_FLAGS,
    },
    Rule {
        id: "KS093",
        name: reference!("kaniko-flag-value"),
        severity: Severity::Error,
        summary: reference!("An executor flag's value has the wrong type or is not one of the allowed values."),
        why: reference!("The executor rejects it before building (`invalid argument \"7d\" for \"--cache-ttl\" flag`, `must be either \"gzip\" or \"zstd\"`, `expect key=value`)."),
        example: reference!("--cache-ttl=7d"),
        fix: reference!("Write a value of the flag's type: Go durations such as `168h`, integers, `KEY=VALUE`, or one of the listed values."),
        docs: DOCS_FLAGS,
    },
    Rule {
        id: "KS094",
        name: reference!("kaniko-flag-not-in-image"),
        severity: Severity::Error,
        summary: reference!("A flag exists only in another Kaniko fork than the executor image in use."),
        why: reference!("Google's v1.24.0 does not have Chainguard's `--annotation`; neither has osscontainertools' flags. The executor fails with `unknown flag`."),
        example: reference!("--annotation=org.opencontainers.image.source=… on gcr.io/kaniko-project/executor:v1.24.0"),
        fix: reference!("Remove the flag, or use an executor image from the fork that has it."),
        docs: DOCS_FLAGS,
    },
    Rule {
        id: "KS095",
        name: reference!("kaniko-flag-missing-value"),
        severity: Severity::Error,
        summary: reference!("A flag that takes a value has none, or takes the next flag as its value."),
        why: reference!("`--dockerfile` at the end fails with `flag needs an argument`; `--dockerfile --context=dir://.` silently uses `--context=dir://.` as the Dockerfile path."),
        example: reference!("--dockerfile --context=dir:///workspace"),
        fix: reference!("Give the value with `=`: `--dockerfile=Dockerfile`."),
        docs: DOCS_FLAGS,
    },
    Rule {
        id: "KS096",
        name: reference!("kaniko-flag-space-in-argument"),
        severity: Severity::Error,
        summary: reference!("One argument holds a flag and its value separated by a space."),
        why: reference!("In a YAML list or a quoted shell word, `\"--registry-certificate host=/p\"` is a single argument, and the executor answers `unknown flag: --registry-certificate host`."),
        example: reference!("- \"--registry-certificate my.registry=/certs/ca.pem\""),
        fix: reference!("Join flag and value with `=` in one argument."),
        docs: "https://github.com/GoogleContainerTools/kaniko/issues/1100",
    },
    Rule {
        id: "KS097",
        name: reference!("kaniko-flag-literal-quotes"),
        severity: Severity::Warning,
        summary: reference!("A flag's value starts and ends with quote characters that reach the executor."),
        why: reference!("In YAML lists and exec-form arguments no shell removes the quotes, so Kaniko looks for a file literally named `\"docker/Dockerfile\"`."),
        example: reference!("- --dockerfile=\"docker/Dockerfile\""),
        fix: reference!("Drop the inner quotes: `--dockerfile=docker/Dockerfile`."),
        docs: "https://github.com/GoogleContainerTools/kaniko/issues/917",
    },
    Rule {
        id: "KS098",
        name: reference!("kaniko-positional-argument"),
        severity: Severity::Error,
        summary: reference!("An executor argument is not a flag."),
        why: reference!("The executor takes no positional arguments; cobra fails with `unknown command \"x\" for \"executor\"`. A common cause is passing `/kaniko/executor` as an argument to an image whose entrypoint is already the executor."),
        example: reference!("/kaniko/executor --context=dir:///workspace (as args)"),
        fix: reference!("Remove the argument, or attach it to the flag it belongs to with `=`."),
        docs: DOCS_FLAGS,
    },
];

fn rule(id: &str) -> &'static Rule {
    crate::rules::by_id(RULES, id)
}

/// How a flag's value is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagValue {
    /// `--flag` or `--flag=true|false`.
    Bool,
    /// Any string.
    String,
    /// A decimal integer.
    Int,
    /// A Go duration (`6h`, `90m`; no `d` unit).
    Duration,
    /// Repeatable; each occurrence appends one value.
    Multi,
    /// Repeatable `KEY=VALUE`.
    KeyValue,
    /// Repeatable `KEY=VALUE[;KEY=VALUE]` (`--registry-map`).
    KeyMultiValue,
    /// Repeatable `key=value` git options.
    GitOptions,
    /// `gzip` or `zstd`.
    Compression,
    /// `docker` or `oci` (osscontainertools only).
    ImageFormat,
}

impl FlagValue {
    /// The pflag type name as the reference lists it (`pflag_type` column).
    pub fn pflag_type(self) -> &'static str {
        match self {
            FlagValue::Bool => "bool",
            FlagValue::String => "string",
            FlagValue::Int => "int",
            FlagValue::Duration => "duration",
            FlagValue::Multi => "multi-arg type",
            FlagValue::KeyValue => "key-value-arg type",
            FlagValue::KeyMultiValue => "key-multi-value-arg type",
            FlagValue::GitOptions => "gitoptions",
            FlagValue::Compression => "compression",
            FlagValue::ImageFormat => "imageformat",
        }
    }
}

/// Which executors have a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Google v1.24.0 and Chainguard's fork (and osscontainertools').
    All,
    /// Chainguard's fork (v1.25.1+) and osscontainertools', not Google's.
    ChainguardOnly,
    /// Only the osscontainertools fork.
    OssOnly,
}

/// One executor flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KanikoFlag {
    /// The long name without dashes (`cache-repo`).
    pub name: &'static str,
    /// The one-letter shorthand, if any (`-f` for `--dockerfile`).
    pub shorthand: Option<char>,
    /// How the value is parsed.
    pub value: FlagValue,
    /// The default as Kaniko prints it (empty when none).
    pub default: &'static str,
    /// For a deprecated alias: the flag to use instead.
    pub deprecated: Option<&'static str>,
    /// Which executors have it.
    pub availability: Availability,
    /// Hidden from `--help`.
    pub hidden: bool,
}

impl KanikoFlag {
    /// Does an executor of this family accept the flag?
    pub fn available_in(&self, family: ExecutorFamily) -> bool {
        match self.availability {
            Availability::All => true,
            Availability::ChainguardOnly => family == ExecutorFamily::Chainguard,
            Availability::OssOnly => false,
        }
    }

    /// Values the flag accepts, for flags with a closed set.
    pub fn allowed_values(&self) -> Option<&'static [&'static str]> {
        match self.name {
            "verbosity" => Some(&["panic", "fatal", "error", "warn", "info", "debug", "trace"]),
            "snapshot-mode" | "snapshotMode" => Some(&["full", "redo", "time"]),
            "log-format" => Some(&["text", "color", "json"]),
            "compression" => Some(&["gzip", "zstd"]),
            "image-format" => Some(&["docker", "oci"]),
            _ => None,
        }
    }
}

const fn flag(
    name: &'static str,
    shorthand: Option<char>,
    value: FlagValue,
    default: &'static str,
    deprecated: Option<&'static str>,
    availability: Availability,
    hidden: bool,
) -> KanikoFlag {
    KanikoFlag { name, shorthand, value, default, deprecated, availability, hidden }
}

use Availability::{All, ChainguardOnly, OssOnly};
use FlagValue::{Bool, Compression, Duration, GitOptions, ImageFormat, Int, KeyMultiValue, KeyValue, Multi};

/// Every executor flag, in the reference's order.
pub static EXECUTOR_FLAGS: &[KanikoFlag] = &[
    flag("annotation", None, KeyValue, "", None, ChainguardOnly, false),
    flag("build-arg", None, Multi, "", None, All, false),
    flag("bucket", Some('b'), FlagValue::String, "", None, All, true),
    flag("cache", None, Bool, "false", None, All, false),
    flag("cache-copy-layers", None, Bool, "false", None, All, false),
    flag("cache-dir", None, FlagValue::String, "/cache", None, All, false),
    flag("cache-repo", None, FlagValue::String, "", None, All, false),
    flag("cache-run-layers", None, Bool, "true", None, All, false),
    flag("cache-ttl", None, Duration, "336h0m0s", None, All, false),
    flag("cleanup", None, Bool, "false", None, All, false),
    flag("compressed-caching", None, Bool, "true", None, All, false),
    flag("compression", None, Compression, "", None, All, false),
    flag("compression-level", None, Int, "-1", None, All, false),
    flag("context", Some('c'), FlagValue::String, "/workspace/", None, All, false),
    flag("context-sub-path", None, FlagValue::String, "", None, All, false),
    flag("custom-platform", None, FlagValue::String, "", None, All, false),
    flag("customPlatform", None, FlagValue::String, "", Some("custom-platform"), All, false),
    flag("destination", Some('d'), Multi, "", None, All, false),
    flag("digest-file", None, FlagValue::String, "", None, All, false),
    flag("dockerfile", Some('f'), FlagValue::String, "Dockerfile", None, All, false),
    flag("force", None, Bool, "false", None, All, false),
    flag("force-build-metadata", None, Bool, "false", None, All, false),
    flag("git", None, GitOptions, "branch=,single-branch=false,recurse-submodules=false", None, All, false),
    flag("help", Some('h'), Bool, "false", None, All, false),
    flag("ignore-path", None, Multi, "", None, All, false),
    flag("ignore-var-run", None, Bool, "true", None, All, false),
    flag("image-download-retry", None, Int, "0", None, All, false),
    flag("image-fs-extract-retry", None, Int, "0", None, All, false),
    flag("image-name-tag-with-digest-file", None, FlagValue::String, "", None, All, false),
    flag("image-name-with-digest-file", None, FlagValue::String, "", None, All, false),
    flag("insecure", None, Bool, "false", None, All, false),
    flag("insecure-pull", None, Bool, "false", None, All, false),
    flag("insecure-registry", None, Multi, "", None, All, false),
    flag("kaniko-dir", None, FlagValue::String, "/kaniko", None, All, false),
    flag("label", None, Multi, "", None, All, false),
    flag("log-format", None, FlagValue::String, "color", None, All, false),
    flag("log-timestamp", None, Bool, "false", None, All, false),
    flag("no-push", None, Bool, "false", None, All, false),
    flag("no-push-cache", None, Bool, "false", None, All, false),
    flag("oci-layout-path", None, FlagValue::String, "", None, All, false),
    flag("push-ignore-immutable-tag-errors", None, Bool, "false", None, All, false),
    flag("push-retry", None, Int, "0", None, All, false),
    flag("registry-certificate", None, KeyValue, "", None, All, false),
    flag("registry-client-cert", None, KeyValue, "", None, All, false),
    flag("registry-map", None, KeyMultiValue, "", None, All, false),
    flag("registry-mirror", None, Multi, "", None, All, false),
    flag("reproducible", None, Bool, "false", None, All, false),
    flag("single-snapshot", None, Bool, "false", None, All, false),
    flag("skip-default-registry-fallback", None, Bool, "false", None, All, false),
    flag("skip-push-permission-check", None, Bool, "false", None, All, false),
    flag("skip-tls-verify", None, Bool, "false", None, All, false),
    flag("skip-tls-verify-pull", None, Bool, "false", None, All, false),
    flag("skip-tls-verify-registry", None, Multi, "", None, All, false),
    flag("skip-unused-stages", None, Bool, "false", None, All, false),
    flag("snapshot-mode", None, FlagValue::String, "full", None, All, false),
    flag("snapshotMode", None, FlagValue::String, "", Some("snapshot-mode"), All, false),
    flag("tar-path", None, FlagValue::String, "", None, All, false),
    flag("tarPath", None, FlagValue::String, "", Some("tar-path"), All, false),
    flag("target", None, FlagValue::String, "", None, All, false),
    flag("use-new-run", None, Bool, "false", None, All, false),
    flag("verbosity", Some('v'), FlagValue::String, "info", None, All, false),
    flag("whitelist-var-run", None, Bool, "true", Some("ignore-var-run"), All, false),
    flag("credential-helpers", None, Multi, "(all)", None, OssOnly, false),
    flag("dryrun", None, Bool, "false", None, OssOnly, false),
    flag("image-format", None, ImageFormat, "(inherit base)", None, OssOnly, false),
    flag("materialize", None, Bool, "false", None, OssOnly, false),
    flag("pre-cleanup", None, Bool, "false (KANIKO_PRE_CLEANUP)", None, OssOnly, false),
    flag("preserve-context", None, Bool, "false (KANIKO_PRESERVE_CONTEXT)", None, OssOnly, false),
    flag("secret", None, KeyValue, "", None, OssOnly, false),
];

/// Look a flag up by its long name (without dashes).
pub fn find_flag(name: &str) -> Option<&'static KanikoFlag> {
    EXECUTOR_FLAGS.iter().find(|f| f.name == name)
}

/// Look a flag up by its shorthand letter.
pub fn find_shorthand(c: char) -> Option<&'static KanikoFlag> {
    EXECUTOR_FLAGS.iter().find(|f| f.shorthand == Some(c))
}

/// One problem in an executor argument list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlagFinding {
    /// The index of the offending argument in the list that was checked.
    pub index: usize,
    /// What is wrong and how to fix it. The caller attaches a field or span.
    pub diagnostic: Diagnostic,
}

/// Check a list of executor arguments (everything after the executor itself, one argv element
/// each) for an executor of `family`. Findings are in argument order.
pub fn check_executor_args(args: &[&str], family: ExecutorFamily) -> Vec<FlagFinding> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut after_terminator = false;
    while let Some(&arg) = args.get(i) {
        let index = i;
        i += 1;
        let push = |out: &mut Vec<FlagFinding>, d: Diagnostic| out.push(FlagFinding { index, diagnostic: d });
        if after_terminator || !arg.starts_with('-') || arg == "-" {
            push(&mut out, positional(arg));
            continue;
        }
        if arg == "--" {
            after_terminator = true;
            continue;
        }
        // Split into the flag and an attached value.
        let (flag, name_shown, attached) = if let Some(long) = arg.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            if let Some((head, _)) = name.split_once(char::is_whitespace)
                && find_flag(head).is_some()
            {
                    push(
                        &mut out,
                        rule("KS096").diag(
                            format!("`{}` is one argument holding a flag and its value separated by a space; Kaniko reads it as the unknown flag `--{}`.", short(arg), short(name)),
                            format!("Write it as one argument with `=`: `{}`.", short(&arg.replacen(char::is_whitespace, "=", 1))),
                        ),
                    );
                continue;
            }
            (find_flag(name), format!("--{name}"), value)
        } else {
            // Shorthand: `-f x`, `-fx`, `-f=x`.
            let mut chars = arg.chars().skip(1);
            let letter = chars.next().unwrap_or('-');
            let rest: String = chars.collect();
            let value = if rest.is_empty() { None } else { Some(rest.strip_prefix('=').unwrap_or(&rest).to_string()) };
            let f = find_shorthand(letter);
            match (f, value) {
                (Some(f), v) => {
                    check_one(&mut out, index, args, &mut i, f, &format!("-{letter}"), v.as_deref(), family);
                    continue;
                }
                (None, _) => (None, format!("-{letter}"), None),
            }
        };
        match flag {
            Some(f) => check_one(&mut out, index, args, &mut i, f, &name_shown, attached, family),
            None => push(&mut out, unknown(&name_shown)),
        }
    }
    out
}

fn short(s: &str) -> String {
    crate::audience::shorten(s)
}

fn positional(arg: &str) -> Diagnostic {
    let shown = short(arg);
    let fix = if arg.ends_with("executor") {
        "Remove it: the image's entrypoint is already the executor, so it arrives as an argument.".to_string()
    } else {
        "Remove it, or attach it to the flag it belongs to with `=`.".to_string()
    };
    rule("KS098").diag(
        format!("`{shown}` is not a flag; the executor fails with `unknown command \"{shown}\" for \"executor\"`."),
        fix,
    )
}

fn unknown(name: &str) -> Diagnostic {
    let bare = name.trim_start_matches('-');
    let suggestion = closest_flag(bare);
    let fix = match suggestion {
        Some(s) => format!("Did you mean `--{s}`? Use Kaniko's exact flag name."),
        None => "Remove it; see Kaniko's flag list for what the executor accepts.".to_string(),
    };
    rule("KS090").diag(format!("`{}` is not a Kaniko executor flag.", short(name)), fix)
}

/// The known flag closest to `name` (edit distance, case-insensitive, at most a third of the
/// name's length away), preferring non-deprecated flags.
pub fn closest_flag(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let limit = (lower.chars().count() / 3).max(2);
    let mut best: Option<((usize, usize), &'static str)> = None;
    for f in EXECUTOR_FLAGS.iter().filter(|f| f.deprecated.is_none() && f.availability != OssOnly) {
        let d = edit_distance(&lower, &f.name.to_ascii_lowercase());
        // A known flag that is a prefix of the name (or the other way round) is a strong hint:
        // `--cache-repository` for `--cache-repo`.
        let prefix = lower.len().min(f.name.len()) >= 4
            && (f.name.starts_with(lower.as_str()) || lower.starts_with(f.name));
        let d = if prefix { d.min(1) } else { d };
        // Ties go to the longest common prefix.
        let common = lower.chars().zip(f.name.chars()).take_while(|(a, b)| a == b).count();
        let score = (d, usize::MAX - common);
        if d <= limit && best.is_none_or(|(bs, _)| score < bs) {
            best = Some((score, f.name));
        }
    }
    best.map(|(_, n)| n)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[allow(clippy::too_many_arguments)]
fn check_one(
    out: &mut Vec<FlagFinding>,
    index: usize,
    args: &[&str],
    next: &mut usize,
    f: &'static KanikoFlag,
    shown: &str,
    attached: Option<&str>,
    family: ExecutorFamily,
) {
    let mut push = |d: Diagnostic| out.push(FlagFinding { index, diagnostic: d });
    if !f.available_in(family) {
        let (where_, fix) = match f.availability {
            ChainguardOnly => (
                "only in Chainguard's fork (v1.25.1+), not in Google's v1.24.0",
                format!("Remove `--{}`, or use a Chainguard executor image.", f.name),
            ),
            _ => (
                "only in the osscontainertools fork",
                format!("Remove `--{}`, or use an osscontainertools executor image.", f.name),
            ),
        };
        push(rule("KS094").diag(format!("`--{}` exists {where_}; this executor fails with `unknown flag: --{}`.", f.name, f.name), fix));
    }
    if let Some(new) = f.deprecated {
        push(rule("KS091").diag(
            format!("`{shown}` is a deprecated alias of `--{new}`."),
            format!("Write `--{new}` instead."),
        ));
    }
    let value: Option<String> = if f.value == Bool {
        match attached {
            Some(v) => Some(v.to_string()),
            None => {
                if let Some(&n) = args.get(*next)
                    && parse_go_bool(n).is_some()
                    && !n.starts_with('-')
                {
                        push(rule("KS092").diag(
                            format!("`{shown} {n}`: a boolean flag takes its value only after `=`, so `{n}` becomes a positional argument and the executor fails with `unknown command \"{n}\" for \"executor\"`."),
                            format!("Write `--{}={}`.", f.name, n.to_ascii_lowercase()),
                        ));
                    *next += 1;
                }
                None
            }
        }
    } else {
        match attached {
            Some(v) => Some(v.to_string()),
            None => match args.get(*next) {
                Some(&n) => {
                    *next += 1;
                    if n.starts_with("--") || (n.starts_with('-') && n.chars().count() == 2 && n != "-1") {
                        push(rule("KS095").diag(
                            format!("`{shown}` takes a value, so the next argument `{}` is used as that value instead of as a flag.", short(n)),
                            format!("Give `{shown}` its value with `=`: `--{}=<value>`.", f.name),
                        ));
                        return;
                    }
                    Some(n.to_string())
                }
                None => {
                    push(rule("KS095").diag(
                        format!("`{shown}` needs a value; the executor fails with `flag needs an argument`."),
                        format!("Give the value with `=`: `--{}=<value>`.", f.name),
                    ));
                    return;
                }
            },
        }
    };
    let Some(value) = value else { return };
    if value.chars().count() >= 2
        && ((value.starts_with('"') && value.ends_with('"')) || (value.starts_with('\'') && value.ends_with('\'')))
    {
        let inner: String = {
            let mut c = value.chars();
            c.next();
            c.next_back();
            c.collect()
        };
        push(rule("KS097").diag(
            format!("The value of `{shown}` is `{}` with the quotes included: no shell removes them here.", short(&value)),
            format!("Write `--{}={}`.", f.name, short(&inner)),
        ));
        return;
    }
    if let Some(problem) = value_problem(f, &value) {
        push(rule("KS093").diag(format!("`{shown}={}`: {problem}", short(&value)), value_fix(f)));
    }
}

fn value_fix(f: &KanikoFlag) -> String {
    if f.name == "destination" {
        return "Write `--destination=host/repository:tag`: no `https://`, the repository in lowercase.".to_string();
    }
    if let Some(allowed) = f.allowed_values() {
        return format!("Use one of: {}.", allowed.join(", "));
    }
    match f.value {
        Bool => format!("Write `--{}=true` or `--{}=false`.", f.name, f.name),
        Int => format!("Write a whole number, e.g. `--{}=3`.", f.name),
        Duration => format!("Write a Go duration in hours or minutes, e.g. `--{}=168h` for a week.", f.name),
        KeyValue | KeyMultiValue | GitOptions => format!("Write `--{}=KEY=VALUE`.", f.name),
        _ => format!("Check the value of `--{}`.", f.name),
    }
}

/// What is wrong with a flag's value, if anything.
fn value_problem(f: &KanikoFlag, value: &str) -> Option<String> {
    if let Some(allowed) = f.allowed_values() {
        // Kaniko accepts an empty --compression (gzip) but not an empty level elsewhere.
        if f.name == "compression" && value.is_empty() {
            return None;
        }
        if !allowed.contains(&value) {
            return Some(format!("`{}` is not one of {}.", short(value), allowed.join(", ")));
        }
        return None;
    }
    if f.name == "destination" && !value.contains('$') {
        return destination_problem(value);
    }
    match f.value {
        Bool => parse_go_bool(value).is_none().then(|| {
            format!("`{}` is not a boolean; the executor fails with `invalid argument`.", short(value))
        }),
        Int => value.parse::<i64>().is_err().then(|| format!("`{}` is not a whole number.", short(value))),
        Duration => (!is_go_duration(value)).then(|| {
            if value.trim_end().ends_with('d') {
                format!("`{}` is not a Go duration: there is no `d` unit (`time: unknown unit \"d\"`).", short(value))
            } else {
                format!("`{}` is not a Go duration such as `6h` or `90m`.", short(value))
            }
        }),
        KeyValue | KeyMultiValue | GitOptions => (!value.contains('=')).then(|| {
            format!("`{}` is not in `KEY=VALUE` form; the executor fails with `expect key=value`.", short(value))
        }),
        _ => None,
    }
}

/// What Kaniko refuses in a `--destination` written without variables: a scheme, a leading
/// `/`, uppercase letters in the repository (kaniko.md §7.20).
fn destination_problem(value: &str) -> Option<String> {
    const REFUSED: &str = "Kaniko fails with `repository can only contain the characters abcdefghijklmnopqrstuvwxyz0123456789_-./`";
    let repository = value.split('@').next().unwrap_or(value);
    let repository = match repository.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => repository,
    };
    let path = repository.split_once('/').map_or("", |(_, p)| p);
    if value.contains("://") {
        Some(format!("a destination has no scheme (`host/repository:tag`); {REFUSED}."))
    } else if value.starts_with('/') {
        Some(format!("a destination starts with its registry host, not `/`; {REFUSED}."))
    } else if path.chars().any(|c| c.is_ascii_uppercase()) {
        Some(format!("repository names are lowercase; {REFUSED}."))
    } else {
        None
    }
}

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Go's `time.ParseDuration` grammar: `[-+]?` then one or more `number unit`, or `0`.
pub fn is_go_duration(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    if s == "0" {
        return true;
    }
    if s.is_empty() {
        return false;
    }
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let (number, tail) = rest.split_at(digits);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return false;
        }
        let unit_len = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]
            .iter()
            .find(|u| tail.starts_with(**u) && !(**u == "m" && tail.starts_with("ms")))
            .map(|u| u.len());
        match unit_len {
            Some(n) => rest = tail.get(n..).unwrap_or(""),
            None => return false,
        }
    }
    true
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn ids(args: &[&str], family: ExecutorFamily) -> Vec<(usize, &'static str)> {
        check_executor_args(args, family).iter().map(|f| (f.index, f.diagnostic.id)).collect()
    }

    const G: ExecutorFamily = ExecutorFamily::Google;

    #[test]
    fn clean_arguments_pass() {
        let args = [
            "--context=dir:///workspace",
            "--dockerfile",
            "Dockerfile",
            "-d",
            "reg/app:1",
            "--cache",
            "--cache=true",
            "--cache-ttl=168h",
            "--compression=zstd",
            "-v=debug",
            "-fDockerfile",
            "--build-arg=A=1",
            "--registry-certificate=host=/p",
            "--push-retry=3",
            "--insecure-registry",
            "-x-is-a-value",
        ];
        assert_eq!(ids(&args, G), []);
    }

    /// Destinations Kaniko refuses: a scheme, a leading `/` (an empty variable), uppercase
    /// in the repository. Tags may have uppercase; variables are not judged.
    #[test]
    fn destinations_kaniko_refuses() {
        for bad in ["https://packages.buildkite.com/acme/images/app:1", "/images/app:1", "ghcr.io/Acme/App:1"] {
            let f = check_executor_args(&[&format!("--destination={bad}")], G);
            assert_eq!(f.iter().map(|f| f.diagnostic.id).collect::<Vec<_>>(), ["KS093"], "{bad}");
            assert!(f[0].diagnostic.message.contains("repository can only contain"), "{}", f[0].diagnostic.message);
        }
        for good in ["ghcr.io/acme/app:V1.2", "registry.example.com:5000/team/app", "ghcr.io/acme/${APP}:1", "ghcr.io/acme/app@sha256:abc"] {
            assert_eq!(ids(&[&format!("--destination={good}")], G), [], "{good}");
        }
    }

    #[test]
    fn bool_with_separate_value() {
        let f = check_executor_args(&["--cache", "true", "--reproducible"], G);
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].index, f[0].diagnostic.id), (0, "KS092"));
        assert!(f[0].diagnostic.fix.contains("`--cache=true`"), "{}", f[0].diagnostic.fix);
    }

    #[test]
    fn unknown_flags_get_suggestions() {
        let f = check_executor_args(&["--cache-repository=x", "--destnation=x", "--zzz"], G);
        assert_eq!(f.iter().map(|f| f.diagnostic.id).collect::<Vec<_>>(), ["KS090"; 3]);
        assert!(f[0].diagnostic.fix.contains("--cache-repo"), "{}", f[0].diagnostic.fix);
        assert!(f[1].diagnostic.fix.contains("--destination"), "{}", f[1].diagnostic.fix);
        assert!(!f[2].diagnostic.fix.contains("Did you mean"));
    }

    #[test]
    fn deprecated_aliases_name_the_replacement() {
        let f = check_executor_args(&["--snapshotMode=redo", "--whitelist-var-run=false"], G);
        assert_eq!(f[0].diagnostic.id, "KS091");
        assert!(f[0].diagnostic.fix.contains("--snapshot-mode"));
        assert!(f[1].diagnostic.fix.contains("--ignore-var-run"));
    }

    #[test]
    fn values_are_typed() {
        assert_eq!(ids(&["--cache-ttl=7d"], G), [(0, "KS093")]);
        assert_eq!(ids(&["--push-retry=three"], G), [(0, "KS093")]);
        assert_eq!(ids(&["--compression=brotli"], G), [(0, "KS093")]);
        assert_eq!(ids(&["--verbosity=verbose"], G), [(0, "KS093")]);
        assert_eq!(ids(&["--cache=yes"], G), [(0, "KS093")]);
        assert_eq!(ids(&["--registry-certificate", "host"], G), [(0, "KS093")]);
        assert_eq!(ids(&["--cache-ttl=1h30m", "--cache-ttl=0", "--cache-ttl=1.5h"], G), []);
    }

    #[test]
    fn fork_only_flags() {
        assert_eq!(ids(&["--annotation=a=b"], G), [(0, "KS094")]);
        assert_eq!(ids(&["--annotation=a=b"], ExecutorFamily::Chainguard), []);
        assert_eq!(ids(&["--dryrun"], ExecutorFamily::Chainguard), [(0, "KS094")]);
    }

    #[test]
    fn missing_values_and_spaces_and_quotes() {
        assert_eq!(ids(&["--dockerfile"], G), [(0, "KS095")]);
        assert_eq!(ids(&["--dockerfile", "--context=x"], G), [(0, "KS095")]);
        assert_eq!(ids(&["--registry-certificate host=/p"], G), [(0, "KS096")]);
        assert_eq!(ids(&["--dockerfile=\"docker/Dockerfile\""], G), [(0, "KS097")]);
    }

    #[test]
    fn positional_arguments() {
        let f = check_executor_args(&["/kaniko/executor", "--context=x", "--", "--cache"], G);
        assert_eq!(f.iter().map(|f| (f.index, f.diagnostic.id)).collect::<Vec<_>>(), [(0, "KS098"), (3, "KS098")]);
        assert!(f[0].diagnostic.fix.contains("entrypoint"));
    }

    #[test]
    fn go_durations() {
        for ok in ["6h", "90m", "336h0m0s", "1.5h", "300ms", "-1h", "0", "10µs"] {
            assert!(is_go_duration(ok), "{ok}");
        }
        for bad in ["7d", "", "h", "6", "1hh", ".h", "1..2h"] {
            assert!(!is_go_duration(bad), "{bad}");
        }
    }

    #[test]
    fn hostile_input_never_panics() {
        let long = "-".repeat(1000);
        let args = ["-", "--", "-é", "--=", "--=x", "-\u{0}", long.as_str(), "--cache-ttl=\u{1F600}d", "'", "\"\""];
        let _ = check_executor_args(&args, G);
        let _ = check_executor_args(&["--dockerfile=\"\""], G);
        let _ = check_executor_args(&["-"], ExecutorFamily::Chainguard);
    }
}
