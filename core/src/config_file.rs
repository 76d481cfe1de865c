//! Configuration files: reading a [`BuildConfig`] from YAML or JSON with precise errors
//! (line, column, field path and what was expected), writing it back so that it round-trips
//! exactly, and the commented example configurations that `kaniko-studio init` and the
//! `examples/` directory show.

use crate::config::*;
use crate::diagnostic::{Diagnostic, Rule, Severity, Span};
use crate::document::DocumentKind;

/// The docs link of the rules about the configuration file itself: none. The file is Kaniko
/// Studio's own format, with no public page to point at; its reference is what `kaniko-studio
/// init` prints and `examples/`, which these rules' fixes name. (An address made up for a page
/// that does not exist would send users to nothing.)
pub const DOCS_CONFIG: &str = "";

/// Rules reported by this module.
pub static RULES: &[Rule] = &[
    Rule {
        id: "KS100",
        name: reference!("config-syntax"),
        severity: Severity::Error,
        summary: reference!("The configuration file is not valid YAML or JSON."),
        why: reference!("Nothing can be checked or generated until the file parses."),
        example: reference!("image: {name: app"),
        fix: reference!("Fix the syntax at the reported line and column."),
        docs: "https://yaml.org/spec/1.2.2/",
    },
    Rule {
        id: "KS101",
        name: reference!("config-shape"),
        severity: Severity::Error,
        summary: reference!("A configuration field is unknown, missing, or has the wrong type or value."),
        why: reference!("Unknown keys are rejected rather than ignored, so a typo never silently falls back to a default."),
        example: reference!("registry: {ecr: {acount: \"123456789012\"}}"),
        fix: reference!("Use the field names and values listed in the message (see `kaniko-studio init` for a complete example)."),
        docs: DOCS_CONFIG,
    },
    Rule {
        id: "KS102",
        name: reference!("config-version"),
        severity: Severity::Error,
        summary: reference!("The configuration's `version` is missing or not one this build understands."),
        why: reference!("The version says how to read the rest of the file; a newer file may use fields this build does not know."),
        example: reference!("version: 7"),
        fix: reference!("Write `version: 1`, or upgrade Kaniko Studio to read newer files."),
        docs: DOCS_CONFIG,
    },
    Rule {
        id: "KS103",
        name: reference!("not-a-config"),
        severity: Severity::Error,
        summary: reference!("The file is not a build configuration but another kind of document: a pipeline, an OIDC policy, a Docker config.json, a Kubernetes manifest, a token or a build log."),
        why: reference!("Read as a configuration, such a file only gives shape errors (unknown field `steps`) that hide what is really wrong: the file was given to the wrong check."),
        example: reference!("steps:\n  - command: make"),
        fix: reference!("Check the file with the command or troubleshooter tab the message names; `kaniko-studio init` prints a build configuration."),
        docs: DOCS_CONFIG,
    },
];

fn rule(id: &str) -> &'static Rule {
    crate::rules::by_id(RULES, id)
}

/// The text format of a configuration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfigFormat {
    Yaml,
    Json,
}

impl ConfigFormat {
    /// Decide from the file name (`.json`, `.yaml`, `.yml`) or, when that says nothing, from the
    /// content: a document whose first non-blank character is `{` is JSON.
    pub fn detect(file_name: Option<&str>, text: &str) -> Self {
        let lower = file_name.unwrap_or_default().to_ascii_lowercase();
        if lower.ends_with(".json") {
            return ConfigFormat::Json;
        }
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            return ConfigFormat::Yaml;
        }
        if text.trim_start_matches('\u{feff}').trim_start().starts_with('{') {
            ConfigFormat::Json
        } else {
            ConfigFormat::Yaml
        }
    }
}

/// What kind of problem stopped a configuration from loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigErrorKind {
    /// Not valid YAML or JSON.
    Syntax,
    /// Valid syntax, but a field is unknown, missing or of the wrong type.
    Shape,
    /// The `version` is missing or unsupported.
    Version,
    /// The text is another kind of document (a pipeline, an OIDC policy …), not a configuration.
    OtherDocument(DocumentKind),
}

impl ConfigErrorKind {
    /// Every kind.
    pub const ALL: [ConfigErrorKind; 10] = [
        ConfigErrorKind::Syntax,
        ConfigErrorKind::Shape,
        ConfigErrorKind::Version,
        ConfigErrorKind::OtherDocument(DocumentKind::Pipeline),
        ConfigErrorKind::OtherDocument(DocumentKind::OidcPolicy),
        ConfigErrorKind::OtherDocument(DocumentKind::BuildConfiguration),
        ConfigErrorKind::OtherDocument(DocumentKind::DockerConfig),
        ConfigErrorKind::OtherDocument(DocumentKind::KubernetesManifest),
        ConfigErrorKind::OtherDocument(DocumentKind::Token),
        ConfigErrorKind::OtherDocument(DocumentKind::BuildLog),
    ];

    /// A stable name, for handing an error between the page's two modules (for another kind
    /// of document, that kind's name: `oidc-policy`).
    pub fn name(self) -> &'static str {
        match self {
            ConfigErrorKind::Syntax => "syntax",
            ConfigErrorKind::Shape => "shape",
            ConfigErrorKind::Version => "version",
            ConfigErrorKind::OtherDocument(kind) => kind.name(),
        }
    }

    /// The kind with this [`ConfigErrorKind::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Why a configuration file did not load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub kind: ConfigErrorKind,
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// 1-based column (characters), 0 when unknown.
    pub col: u32,
    /// The field path (`registry.ecr.account`, `image.tags[1]`); empty for the whole document.
    pub path: String,
    /// What is wrong, including what was expected.
    pub message: String,
}

impl ConfigError {
    /// The error as a diagnostic with span and field.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let (id, fix) = match self.kind {
            ConfigErrorKind::Syntax => ("KS100", "Fix the syntax at this line and column.".to_string()),
            ConfigErrorKind::Version => (
                "KS102",
                format!("Write `version: {CONFIG_VERSION}`, or upgrade Kaniko Studio to read newer files."),
            ),
            ConfigErrorKind::Shape => ("KS101", shape_fix(&self.message)),
            ConfigErrorKind::OtherDocument(kind) => ("KS103", kind.where_checked().to_string()),
        };
        let mut d = rule(id).diag(self.message.clone(), fix);
        if !self.path.is_empty() {
            d = d.with_field(self.path.clone());
        }
        if self.line > 0 {
            d = d.with_span(Span::point(self.line, self.col.max(1)));
        }
        d
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: ", self.line, self.col)?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

fn shape_fix(message: &str) -> String {
    // A secret reference (`SecretRef`) given the secret itself, or a name without its kind.
    if message.contains("expected one of `kubernetes`, `buildkite`, `env`") && !message.contains("mapping with") {
        return "This field says where a secret is kept, not the secret: write `{buildkite: {key: NAME}}` (a Buildkite secret), `{kubernetes: {name: SECRET, key: KEY}}` or `{env: {var: NAME}}`. If you pasted the secret itself and the file left your machine, revoke it.".to_string();
    }
    if let Some(near) = meant_name(message) {
        format!("Write `{near}`; the message lists every name that fits here.")
    } else if message.contains("unknown field") {
        "Use one of the expected field names listed in the message (names are snake_case).".to_string()
    } else if message.contains("unknown kind") {
        "Write one of the kinds the message lists, as a plain name or as the only key of a mapping with its settings.".to_string()
    } else if message.contains("missing field") {
        "Add the missing field (`kaniko-studio init` prints a complete example).".to_string()
    } else {
        "Give the field a value of the expected type.".to_string()
    }
}

/// The name a message's "did you mean `name`?" suggests.
fn meant_name(message: &str) -> Option<&str> {
    message.split_once("; did you mean `").and_then(|(_, rest)| rest.split_once('`')).map(|(near, _)| near)
}

/// Remove serde's trailing position (` at line 3, column 7` / ` at line 3 column 7`).
fn strip_position(message: &str) -> String {
    let mut m = message.trim().to_string();
    if let Some(i) = m.rfind(" at line ") {
        let tail = m.get(i + " at line ".len()..).unwrap_or_default();
        if tail.chars().all(|c| c.is_ascii_digit() || c == ',' || c == ' ' || "column".contains(c)) {
            m.truncate(i);
        }
    }
    m
}

fn u32_of(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Parse a configuration. On success the configuration's `version` is supported; nothing else
/// is checked (see [`crate::validate::validate`]).
///
/// A text that does not read as a configuration but is recognisably another kind of document
/// (a pipeline, an OIDC policy …) gives [`ConfigErrorKind::OtherDocument`], whose message says
/// so instead of the first field that does not fit.
pub fn parse_config(text: &str, format: ConfigFormat) -> Result<BuildConfig, ConfigError> {
    parse_config_located(text, format, true).map_err(|e| match e.kind {
        ConfigErrorKind::Syntax | ConfigErrorKind::Shape => other_document(text).unwrap_or(e),
        _ => e,
    })
}

/// The error for a text that is recognisably another kind of document than a configuration.
fn other_document(text: &str) -> Option<ConfigError> {
    let kind = crate::document::recognise(text).filter(|k| *k != DocumentKind::BuildConfiguration)?;
    Some(ConfigError {
        kind: ConfigErrorKind::OtherDocument(kind),
        line: 0,
        col: 0,
        path: String::new(),
        message: kind.given_for(DocumentKind::BuildConfiguration),
    })
}

/// [`parse_config`]; for JSON, `locate` says whether a shape error gets its line and column
/// (found by reading the text again as YAML, since JSON is YAML).
fn parse_config_located(text: &str, format: ConfigFormat, locate: bool) -> Result<BuildConfig, ConfigError> {
    let parsed = match format {
        ConfigFormat::Yaml => parse_yaml(text),
        ConfigFormat::Json => parse_json(text, locate),
    };
    match parsed {
        Ok(config) => check_version(config.version, text, format).map(|()| config),
        Err(err) => {
            // A file from a newer version may fail on fields we do not know: say so first.
            if let Some(v) = peek_version(text, format)
                && v != CONFIG_VERSION
            {
                check_version(v, text, format)?;
            }
            Err(err)
        }
    }
}

fn parse_yaml(text: &str) -> Result<BuildConfig, ConfigError> {
    let tree = match crate::config_tree::parse_yaml(text) {
        Ok(Some(tree)) => tree,
        Ok(None) => return Err(empty_document()),
        Err(e) => {
            return Err(ConfigError {
                kind: ConfigErrorKind::Syntax,
                line: e.span.line,
                col: e.span.col,
                path: String::new(),
                message: e.message,
            });
        }
    };
    read_tree(&tree, None)
}

fn empty_document() -> ConfigError {
    ConfigError {
        kind: ConfigErrorKind::Shape,
        line: 0,
        col: 0,
        path: String::new(),
        message: "the document is empty: a configuration needs at least `version`, `stack`, `registry` and `image`".to_string(),
    }
}

/// Read the configuration from a tree; `text` locates errors when the tree has no positions.
fn read_tree(tree: &crate::config_tree::Tree, text: Option<&str>) -> Result<BuildConfig, ConfigError> {
    crate::config_tree::from_tree::<BuildConfig>(tree).map_err(|e| {
        let path = e.path();
        let span = e.span().or_else(|| text.and_then(|t| locate_field(t, &path)));
        ConfigError {
            kind: ConfigErrorKind::Shape,
            line: span.map_or(0, |s| s.line),
            col: span.map_or(0, |s| s.col),
            path,
            message: strip_position(e.message()),
        }
    })
}

fn parse_json(text: &str, locate: bool) -> Result<BuildConfig, ConfigError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|inner| ConfigError {
        kind: ConfigErrorKind::Syntax,
        line: u32_of(inner.line() as u64),
        col: u32_of(inner.column() as u64),
        path: String::new(),
        message: strip_position(&inner.to_string()),
    })?;
    read_tree(&crate::config_tree::Tree::from_value(&value), locate.then_some(text))
}

/// The top-level `version` number as written, found by scanning the text (not by parsing it
/// again: a document full of aliases must not be expanded twice).
fn peek_version(text: &str, format: ConfigFormat) -> Option<u32> {
    let (line, col) = version_position(text, format);
    let line = text.lines().nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let rest: String = line.chars().skip(usize::try_from(col).ok()?.saturating_sub(1)).collect();
    let rest = rest.trim_start_matches('"').trim_start_matches("version").trim_start_matches('"').trim_start();
    let value = rest.strip_prefix(':')?.trim_start().trim_start_matches(['"', '\'']);
    let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn check_version(version: u32, text: &str, format: ConfigFormat) -> Result<(), ConfigError> {
    if (1..=CONFIG_VERSION).contains(&version) {
        return Ok(());
    }
    let (line, col) = version_position(text, format);
    let supported = if CONFIG_VERSION == 1 { "version 1".to_string() } else { format!("versions 1 to {CONFIG_VERSION}") };
    let message = if version > CONFIG_VERSION {
        format!("`version: {version}` was written by a newer Kaniko Studio; this one reads {supported}.")
    } else {
        format!("`version: {version}` is not a configuration version; the first is 1.")
    };
    Err(ConfigError { kind: ConfigErrorKind::Version, line, col, path: "version".to_string(), message })
}

/// Where the top-level `version` key is, for messages (best effort).
fn version_position(text: &str, format: ConfigFormat) -> (u32, u32) {
    for (i, line) in text.lines().enumerate() {
        let at = match format {
            // A top-level key starts in column 1.
            ConfigFormat::Yaml => line.starts_with("version").then_some(0),
            // JSON may be on one line: the first `"version"` used as a key.
            ConfigFormat::Json => line.match_indices("\"version\"").map(|(b, _)| b).find(|b| {
                line.get(b + "\"version\"".len()..).is_some_and(|r| r.trim_start().starts_with(':'))
            }),
        };
        if let Some(byte) = at {
            let col = line.get(..byte).map_or(0, |p| p.chars().count()) + 1;
            return (u32::try_from(i + 1).unwrap_or(u32::MAX), u32::try_from(col).unwrap_or(1));
        }
    }
    (0, 0)
}

impl BuildConfig {
    /// Parse YAML (see [`parse_config`]).
    pub fn from_yaml_str(text: &str) -> Result<Self, ConfigError> {
        parse_config(text, ConfigFormat::Yaml)
    }

    /// Parse JSON (see [`parse_config`]).
    pub fn from_json_str(text: &str) -> Result<Self, ConfigError> {
        parse_config(text, ConfigFormat::Json)
    }

    /// Parse JSON that a program wrote (the page's autosave, share links): the same rules and
    /// messages as [`BuildConfig::from_json_str`], and a shape error names the field's path but
    /// has no line or column. Finding those needs the YAML reader, which this path never
    /// reaches, so the web page's first load does not carry it (file import, which needs
    /// positions, loads it on demand).
    pub fn from_json_data(text: &str) -> Result<Self, ConfigError> {
        parse_config_located(text, ConfigFormat::Json, false)
    }

    /// Read a configuration from its JSON data form (as [`BuildConfig::to_value`] gives it),
    /// with the same rules and messages as a file. The version is not checked.
    pub fn from_json_value(value: &serde_json::Value) -> Result<Self, ConfigError> {
        read_tree(&crate::config_tree::Tree::from_value(value), None)
    }

    /// The configuration as JSON data, fields in declaration order.
    pub fn to_value(&self) -> serde_json::Value {
        // Serialising plain data into a `Value` cannot fail.
        serde_json::to_value(self).unwrap_or_default()
    }

    /// YAML that parses back to exactly this configuration.
    pub fn to_yaml_string(&self) -> String {
        let mut out = String::new();
        write_yaml(&self.to_value(), 0, &mut out);
        out
    }

    /// Pretty JSON that parses back to exactly this configuration.
    pub fn to_json_string(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.to_value()).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Compact JSON (no whitespace), as used in share links.
    pub fn to_compact_json(&self) -> String {
        self.to_value().to_string()
    }
}

/// Block-style YAML for JSON data: mapping entries indent by two, sequence items sit at the
/// indent of their key, strings are plain only when no YAML reader could take them for
/// anything else.
fn write_yaml(value: &serde_json::Value, indent: usize, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                push_indent(out, indent);
                out.push_str(&yaml_scalar(key));
                out.push(':');
                write_yaml_after_key(v, indent, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                push_indent(out, indent);
                out.push('-');
                match item {
                    Value::Object(map) if !map.is_empty() => {
                        let mut nested = String::new();
                        write_yaml(item, indent + 2, &mut nested);
                        out.push(' ');
                        out.push_str(nested.get(indent + 2..).unwrap_or_default());
                    }
                    Value::Array(inner) if !inner.is_empty() => {
                        out.push('\n');
                        write_yaml(item, indent + 2, out);
                    }
                    _ => write_yaml_after_key(item, indent, out),
                }
            }
        }
        scalar => {
            push_indent(out, indent);
            out.push_str(&yaml_leaf(scalar));
            out.push('\n');
        }
    }
}

fn write_yaml_after_key(value: &serde_json::Value, indent: usize, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_yaml(value, indent + 2, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_yaml(value, indent, out);
        }
        leaf => {
            out.push(' ');
            out.push_str(&yaml_leaf(leaf));
            out.push('\n');
        }
    }
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn yaml_leaf(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => yaml_scalar(s),
        Value::Array(_) => "[]".to_string(),
        Value::Object(_) => "{}".to_string(),
    }
}

/// `text` as a YAML scalar: plain when that is unambiguous, double-quoted otherwise.
fn yaml_scalar(text: &str) -> String {
    if yaml_plain_ok(text) { text.to_string() } else { crate::generate::quote::yaml(text) }
}

fn yaml_plain_ok(text: &str) -> bool {
    use crate::lint::yaml::{ScalarType, plain_scalar_type};
    let (Some(first), Some(last)) = (text.chars().next(), text.chars().next_back()) else { return false };
    let lower = text.to_ascii_lowercase();
    plain_scalar_type(text) == ScalarType::Str
        // YAML 1.1 readers take these for booleans.
        && !matches!(lower.as_str(), "y" | "n" | "yes" | "no" | "on" | "off" | "=" )
        && !first.is_ascii_digit()
        && !"-?:,[]{}#&*!|>'\"%@`+<~ ".contains(first)
        && !text.starts_with("..")
        && !matches!(last, ' ' | ':')
        && !text.contains(": ")
        && !text.contains(" #")
        && text.chars().all(|c| c >= ' ' && !('\u{7f}'..='\u{9f}').contains(&c) && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}'))
}

/// Where a field (a path as diagnostics carry it: `registry.ecr.account`, `image.tags[1]`) is in
/// a YAML or JSON configuration text: the key's position, or the deepest enclosing key that
/// exists when the field itself is absent (a defaulted field). `None` when the text does not
/// parse.
pub fn locate_field(text: &str, path: &str) -> Option<Span> {
    let tree = crate::config_tree::parse_yaml(text).ok()??;
    let mut node = &tree;
    let mut found: Option<Span> = None;
    for segment in crate::config_tree::path_segments(path) {
        match node.child(&segment) {
            Some((span, child)) => {
                found = span.or(found);
                node = child;
            }
            None => break,
        }
    }
    found
}

/// Point every diagnostic that names a field at that field in `text` (keeping spans already
/// set), and order them by position in the file; diagnostics without a position keep their
/// relative order after the others.
pub fn locate_diagnostics(text: &str, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut located: Vec<Diagnostic> = diagnostics
        .into_iter()
        .map(|d| match (d.span, d.field.as_deref().and_then(|f| locate_field(text, f))) {
            (None, Some(span)) => d.with_span(span),
            _ => d,
        })
        .collect();
    located.sort_by_key(|d| d.span.map_or((u32::MAX, u32::MAX), |s| (s.line, s.col)));
    located
}

// ---------------------------------------------------------------------------------------------
// Share links

/// The longest fragment [`BuildConfig::from_fragment`] accepts, in bytes. Browsers keep much
/// longer URLs, but a configuration is a few hundred bytes: anything this long was not made by
/// [`BuildConfig::to_fragment`].
pub const MAX_FRAGMENT_LEN: usize = 16 * 1024;

/// Why a share-link fragment did not load.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FragmentError {
    /// Longer than [`MAX_FRAGMENT_LEN`].
    TooLong { len: usize, max: usize },
    /// No `v<N>.` prefix, or a version this build does not know.
    UnknownVersion(String),
    /// The payload is not base64url.
    NotBase64,
    /// The payload decodes, but is not a valid configuration.
    Config(ConfigError),
}

impl std::fmt::Display for FragmentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FragmentError::TooLong { len, max } => {
                write!(f, "the link's configuration is {len} bytes long; links made by Kaniko Studio are at most {max}")
            }
            FragmentError::UnknownVersion(v) if v.is_empty() => {
                f.write_str("the link has no configuration version; it was not made by Kaniko Studio")
            }
            FragmentError::UnknownVersion(v) => {
                write!(f, "the link's configuration version `{v}` is newer than this Kaniko Studio")
            }
            FragmentError::NotBase64 => f.write_str("the link's configuration is damaged (not base64url); copy the whole link"),
            FragmentError::Config(e) => write!(f, "the link's configuration does not load: {e}"),
        }
    }
}

impl std::error::Error for FragmentError {}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk.first().copied().unwrap_or(0), chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            let index = ((n >> (18 - 6 * i)) & 63) as usize;
            out.push(char::from(BASE64URL.get(index).copied().unwrap_or(b'A')));
        }
    }
    out
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

impl BuildConfig {
    /// A compact, versioned encoding for a URL fragment: `v1.` then the base64url (no padding)
    /// of the compact JSON. Stable: links made today keep loading.
    pub fn to_fragment(&self) -> String {
        format!("v1.{}", base64url_encode(self.to_compact_json().as_bytes()))
    }

    /// Load a configuration from a fragment made by [`BuildConfig::to_fragment`] (a leading `#`
    /// is ignored). Every version ever produced keeps decoding.
    pub fn from_fragment(fragment: &str) -> Result<Self, FragmentError> {
        let fragment = fragment.trim().trim_start_matches('#');
        if fragment.len() > MAX_FRAGMENT_LEN {
            return Err(FragmentError::TooLong { len: fragment.len(), max: MAX_FRAGMENT_LEN });
        }
        let (version, payload) = fragment.split_once('.').unwrap_or(("", fragment));
        match version {
            "v1" => {
                let bytes = base64url_decode(payload).ok_or(FragmentError::NotBase64)?;
                let json = String::from_utf8(bytes).map_err(|_| FragmentError::NotBase64)?;
                BuildConfig::from_json_data(&json).map_err(FragmentError::Config)
            }
            other => Err(FragmentError::UnknownVersion(crate::audience::shorten(other))),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Examples

/// Which stack an example is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StackKind {
    Kubernetes,
    Elastic,
}

impl StackKind {
    /// Every stack.
    pub const ALL: [StackKind; 2] = [StackKind::Kubernetes, StackKind::Elastic];

    /// `kubernetes` or `elastic`.
    pub fn name(self) -> &'static str {
        match self {
            StackKind::Kubernetes => "kubernetes",
            StackKind::Elastic => "elastic",
        }
    }

    /// Parse `kubernetes`/`k8s` or `elastic`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "kubernetes" | "k8s" => Some(StackKind::Kubernetes),
            "elastic" | "aws" => Some(StackKind::Elastic),
            _ => None,
        }
    }
}

/// Every registry kind (the serde names under `registry:`), in the order examples list them.
pub const REGISTRY_KINDS: &[&str] = &[
    "buildkite_packages",
    "ecr",
    "ecr_public",
    "artifact_registry",
    "gcr",
    "docker_hub",
    "ghcr",
    "acr",
    "quay",
    "gitlab",
    "self_hosted",
];

/// Normalise a registry kind as a user may type it (`docker-hub`, `Docker Hub`, `packages`).
pub fn parse_registry_kind(s: &str) -> Option<&'static str> {
    let n: String = s
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect();
    let alias = match n.as_str() {
        "packages" | "buildkite" | "package_registries" => "buildkite_packages",
        "dockerhub" | "docker" => "docker_hub",
        "gar" | "google" => "artifact_registry",
        "github" => "ghcr",
        "azure" => "acr",
        "selfhosted" | "harbor" | "custom" => "self_hosted",
        other => other,
    };
    REGISTRY_KINDS.iter().copied().find(|k| *k == alias)
}

/// A complete, valid example configuration for a stack and registry kind (see
/// [`REGISTRY_KINDS`]); `None` for an unknown kind.
pub fn example_config(stack: StackKind, registry_kind: &str) -> Option<BuildConfig> {
    let k8s = stack == StackKind::Kubernetes;
    let secret = |k8s_name: &str, key: &str, bk_key: &str| {
        if k8s {
            SecretRef::Kubernetes { name: k8s_name.to_string(), key: key.to_string() }
        } else {
            SecretRef::Buildkite { key: bk_key.to_string() }
        }
    };
    let registry = match registry_kind {
        "buildkite_packages" => Registry::BuildkitePackages(PackagesRegistry {
            org: "acme".into(),
            registry: "docker-images".into(),
            auth: PackagesAuth::Oidc,
            lifetime: PACKAGES_MAX_LIFETIME,
            audience: None,
            pipelines: Vec::new(),
            branches: Vec::new(),
        }),
        "ecr" => Registry::Ecr(EcrRegistry {
            account: "123456789012".into(),
            region: "eu-west-1".into(),
            repository: "acme".into(),
            auth: if k8s {
                AwsAuth::Oidc(AwsOidc {
                    role_arn: "arn:aws:iam::123456789012:role/buildkite-kaniko-push".into(),
                    lifetime: 3600,
                    audience: None,
                })
            } else {
                AwsAuth::InstanceRole
            },
        }),
        "ecr_public" => Registry::EcrPublic(EcrPublicRegistry { alias: "acme".into(), auth: AwsAuth::InstanceRole }),
        "artifact_registry" => Registry::ArtifactRegistry(ArtifactRegistry {
            location: "europe".into(),
            project: "acme-builds".into(),
            repository: "containers".into(),
            auth: GcpAuth::Oidc(GcpOidc {
                provider: "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/buildkite/providers/buildkite".into(),
                service_account: Some("kaniko@acme-builds.iam.gserviceaccount.com".into()),
                lifetime: 600,
                audience: None,
            }),
        }),
        "gcr" => Registry::Gcr(GcrRegistry {
            host: "eu.gcr.io".into(),
            project: "acme-builds".into(),
            auth: GcpAuth::KeySecret { secret: secret("gcr-pusher", "key.json", "GCR_KEY_JSON") },
        }),
        "docker_hub" => Registry::DockerHub(DockerHubRegistry {
            namespace: "acme".into(),
            username: "acmebot".into(),
            token: secret("docker-hub", "token", "DOCKER_HUB_TOKEN"),
        }),
        "ghcr" => Registry::Ghcr(GhcrRegistry {
            owner: "acme".into(),
            username: "acme-bot".into(),
            token: secret("ghcr", "token", "GHCR_TOKEN"),
        }),
        "acr" => Registry::Acr(AcrRegistry {
            name: "acmeimages".into(),
            auth: AcrAuth::Oidc(AzureOidc {
                tenant_id: "11111111-2222-3333-4444-555555555555".into(),
                client_id: "66666666-7777-8888-9999-000000000000".into(),
                lifetime: 3600,
                audience: None,
            }),
        }),
        "quay" => Registry::Quay(QuayRegistry {
            host: "quay.io".into(),
            organization: "acme".into(),
            username: "acme+buildkite".into(),
            token: secret("quay-robot", "token", "QUAY_ROBOT_TOKEN"),
        }),
        "gitlab" => Registry::Gitlab(GitlabRegistry {
            host: "registry.gitlab.com".into(),
            project: "acme/platform".into(),
            username: "buildkite-deploy".into(),
            token: secret("gitlab-registry", "token", "GITLAB_DEPLOY_TOKEN"),
        }),
        "self_hosted" => Registry::SelfHosted(SelfHostedRegistry {
            host: "registry.acme.internal:5000".into(),
            path: "platform".into(),
            username: "buildkite".into(),
            password: Some(secret("registry-login", "password", "REGISTRY_PASSWORD")),
            ca_cert: Some(if k8s { "/kaniko/ssl/acme/ca.pem".into() } else { "/kaniko/ssl/acme-ca.pem".into() }),
            insecure: false,
        }),
        _ => return None,
    };
    let stack = if k8s {
        let mut s = KubernetesStack::default();
        if registry_kind == "self_hosted" {
            s.secret_volumes.push(SecretVolume { secret: "acme-ca".into(), mount_path: "/kaniko/ssl/acme".into() });
        }
        Stack::Kubernetes(s)
    } else {
        let mut s = ElasticStack::default();
        if matches!(registry_kind, "ecr" | "ecr_public") {
            s.ecr_access_policy = Some(EcrAccessPolicy::Poweruser);
        }
        Stack::Elastic(s)
    };
    let mut config = BuildConfig::new(stack, registry, "my-app");
    config.image.tags = vec![Tag::BuildNumber, Tag::ShortCommit];
    config.kaniko.executor = if k8s { ExecutorImage::GoogleDebug } else { ExecutorImage::Google };
    config.kaniko.digest = Some(if k8s { GOOGLE_DEBUG_DIGEST.into() } else { GOOGLE_DIGEST.into() });
    config.kaniko.cache = true;
    // Docker Hub has no nested repositories and ECR creates none on push, so Kaniko's default
    // `<repository>/cache` does not work there: name a cache repository of its own.
    match registry_kind {
        "docker_hub" | "ecr" => config.kaniko.cache_repo = format!("{}-cache", config.repository()),
        _ => {}
    }
    if !k8s {
        config.extras.env_switches = true;
    }
    Some(config)
}

/// The digest of `gcr.io/kaniko-project/executor:v1.24.0` as seen pinned in public
/// repositories (`kaniko.md` §2.1; data to refresh, not verified against the registry).
pub const GOOGLE_DIGEST: &str = "sha256:4e7a52dd1f14872430652bb3b027405b8dfd17c4538751c620ac005741ef9698";
/// The digest of `gcr.io/kaniko-project/executor:v1.24.0-debug` (same caveat).
pub const GOOGLE_DEBUG_DIGEST: &str = "sha256:2562c4fe551399514277ffff7dcca9a3b1628c4ea38cb017d7286dc6ea52f4cd";

/// Comments shown above fields in example files, by field path (sequence indices dropped).
const FIELD_COMMENTS: &[(&str, &str)] = &[
    ("version", "Configuration format version."),
    ("stack", "Where the step runs: `kubernetes` (Agent Stack for Kubernetes) or `elastic` (Elastic CI Stack for AWS)."),
    ("stack.kubernetes.queue", "The agent queue the agent-stack-k8s controller serves."),
    ("stack.kubernetes.container", "The command container the Kaniko image is patched into (podSpecPatch)."),
    ("stack.kubernetes.secret_volumes", "Kubernetes Secrets mounted into the command container as files."),
    ("stack.elastic.queue", "The agent queue."),
    ("stack.elastic.script", "Where the generated step script goes in your repository."),
    ("stack.elastic.ecr_access_policy", "The stack's ECRAccessPolicy parameter; pushing to ECR needs poweruser or more."),
    ("registry", "Where the image is pushed and how the step authenticates."),
    ("registry.buildkite_packages.org", "Organization slug: the end of https://buildkite.com/<slug>."),
    ("registry.buildkite_packages.registry", "Registry slug: the kebab-case registry name shown in its URL."),
    ("registry.buildkite_packages.auth", "`oidc` (a token minted in the step) or `api_token: {secret: ...}`."),
    ("registry.buildkite_packages.lifetime", "OIDC token lifetime in seconds; Package Registries accept at most 300."),
    ("registry.ecr.account", "The 12-digit AWS account id (quoted: it may start with 0)."),
    ("registry.ecr.repository", "The ECR repository path; ECR creates no repositories on push, so create the image and cache repositories first."),
    ("registry.ecr.auth", "`instance_role` (instance profile or IRSA), `oidc: {role_arn: ...}` or `credentials: {...}`."),
    ("registry.ecr.auth.oidc.role_arn", "The IAM role trusted for https://agent.buildkite.com with audience sts.amazonaws.com."),
    ("registry.ecr.auth.oidc.lifetime", "Seconds; ecr-login reads the token at every registry call, so it must cover the build (max 7200)."),
    ("registry.ecr_public.alias", "The registry alias: public.ecr.aws/<alias>."),
    ("registry.artifact_registry.location", "The repository's location, e.g. europe or us-central1."),
    ("registry.artifact_registry.auth.oidc.provider", "The Workload Identity provider's full resource name (it is also the token's audience)."),
    ("registry.artifact_registry.auth.oidc.service_account", "The service account the federated identity impersonates."),
    ("registry.gcr.host", "gcr.io, us.gcr.io, eu.gcr.io or asia.gcr.io."),
    ("registry.gcr.auth", "`workload_identity`, `oidc: {provider: ...}` or `key_secret: {secret: ...}`."),
    ("registry.docker_hub.namespace", "The Docker Hub user or organization the image belongs to."),
    ("registry.docker_hub.token", "A Docker Hub access token with Read & Write scope."),
    ("registry.ghcr.owner", "The GitHub user or organization, lowercase."),
    ("registry.ghcr.token", "A token with write:packages."),
    ("registry.acr.name", "The registry name: <name>.azurecr.io."),
    ("registry.acr.auth.oidc.tenant_id", "Directory (tenant) id; the app has a federated credential for https://agent.buildkite.com."),
    ("registry.acr.auth.oidc.client_id", "Application (client) id with AcrPush on the registry."),
    ("registry.quay.username", "A robot account (org+name) with write access."),
    ("registry.gitlab.project", "The project path (group/project), lowercase."),
    ("registry.gitlab.token", "A deploy token with write_registry."),
    ("registry.self_hosted.host", "host or host:port, without https://."),
    ("registry.self_hosted.ca_cert", "The registry's CA certificate inside the executor container."),
    ("registry.self_hosted.insecure", "Plain HTTP. Only for throwaway test registries."),
    ("image", "What is built."),
    ("image.name", "The image name under the registry's path."),
    ("image.tags", "Tags: fixed text (`fixed: v1.2.3`) or run-time values: commit, short_commit, build_number, branch."),
    ("image.dockerfile", "The Dockerfile, relative to the context."),
    ("image.context", "The build context, relative to the checkout."),
    ("kaniko", "How the executor runs."),
    ("kaniko.executor", "google (no shell), google_debug (busybox sh), chainguard: {...} or custom: {...}."),
    ("kaniko.digest", "Pin the executor image by digest."),
    ("kaniko.verbosity", "panic, fatal, error, warn, info, debug or trace."),
    ("kaniko.cache", "Layer cache in <repository>/cache unless cache_repo is set."),
    ("kaniko.cache_repo", "Cache repository, without tag."),
    ("extras", "Optional additions."),
    ("extras.pull_and_run", "Elastic only: pull the pushed image with a fresh token and run it."),
    ("extras.env_switches", "Honour KANIKO_DEBUG=1, KANIKO_VERBOSITY and KANIKO_NO_PUSH=1 in the step's env."),
    ("extras.refresh_credentials", "Package Registries OIDC: rewrite config.json with a new token every few minutes during the build."),
];

/// A commented YAML example for a stack and registry kind, as `kaniko-studio init` prints it.
pub fn example_yaml(stack: StackKind, registry_kind: &str) -> Option<String> {
    let config = example_config(stack, registry_kind)?;
    let header = format!(
        "# Kaniko Studio build configuration: {} on the {}.\n# Check it with `kaniko-studio validate FILE`; every field is described in examples/README.md in the Kaniko Studio repository.\n",
        config.registry.display_name(),
        match stack {
            StackKind::Kubernetes => "Agent Stack for Kubernetes",
            StackKind::Elastic => "Elastic CI Stack for AWS",
        }
    );
    Some(header + &with_comments(&config.to_yaml_string(), FIELD_COMMENTS))
}

/// Insert `# comment` lines above mapping keys whose dotted path has a comment. Works on the
/// block-style YAML [`BuildConfig::to_yaml_string`] writes; block scalars are left untouched.
pub fn with_comments(yaml: &str, comments: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut block_scalar_indent: Option<usize> = None;
    for line in yaml.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(min) = block_scalar_indent {
            if line.trim().is_empty() || indent > min {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            block_scalar_indent = None;
        }
        let rest = line.get(indent..).unwrap_or_default();
        let (key_indent, rest) = match rest.strip_prefix("- ") {
            Some(r) => (indent + 2, r),
            None => (indent, rest),
        };
        let key: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let is_key = !key.is_empty() && rest.get(key.len()..).is_some_and(|t| t.starts_with(':'));
        if is_key {
            while stack.last().is_some_and(|(i, _)| *i >= key_indent) {
                stack.pop();
            }
            stack.push((key_indent, key));
            let path: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).collect();
            let path = path.join(".");
            if let Some((_, c)) = comments.iter().find(|(p, _)| *p == path) {
                out.push_str(&" ".repeat(indent));
                out.push_str("# ");
                out.push_str(c);
                out.push('\n');
            }
        }
        let trimmed_end = line.trim_end();
        if ["|", "|-", "|+", ">", ">-", ">+"].iter().any(|m| trimmed_end.ends_with(&format!(" {m}"))) {
            block_scalar_indent = Some(indent);
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Most problems [`parse_config_all`] reports for one file.
pub const MAX_SHAPE_ERRORS: usize = 20;

/// [`parse_config`], but a file with several shape problems (unknown or misspelled fields,
/// values of the wrong type) gets an error for each, in the order the reader meets them, up to
/// [`MAX_SHAPE_ERRORS`], so that one run of `validate` shows them all. After each problem the
/// field it is about is taken out of the document (or, misspelled, given the name it was meant
/// to have) and the rest is read again. A problem that only follows from that removal (the
/// field is now missing) is not reported, and the search ends at a problem in a list item or
/// about a whole section, where what follows is a guess.
pub fn parse_config_all(text: &str, format: ConfigFormat) -> Result<BuildConfig, Vec<ConfigError>> {
    let first = match parse_config(text, format) {
        Ok(config) => return Ok(config),
        Err(e) => e,
    };
    let tree = match format {
        _ if first.kind != ConfigErrorKind::Shape || first.path.is_empty() => None,
        ConfigFormat::Yaml => crate::config_tree::parse_yaml(text).ok().flatten(),
        ConfigFormat::Json => serde_json::from_str(text).ok().map(|v| crate::config_tree::Tree::from_value(&v)),
    };
    let Some(mut tree) = tree else { return Err(vec![first]) };
    let located = (format == ConfigFormat::Json).then_some(text);
    let mut errors = vec![first];
    while errors.len() < MAX_SHAPE_ERRORS {
        let Some(last) = errors.last() else { break };
        // A misspelled name gets the name it was meant to have, so its value is read too.
        let misspelled = meant_name(&last.message).filter(|_| last.message.starts_with("unknown field"));
        if !tree.set_aside(&crate::config_tree::path_segments(&last.path), misspelled) {
            break;
        }
        let next = match read_tree(&tree, located) {
            Ok(_) => break,
            Err(e) => e,
        };
        if next.path.is_empty() && !next.message.starts_with("missing field") || follows_from_removal(&next, &errors) {
            break;
        }
        errors.push(next);
    }
    Err(errors)
}

/// Whether `next` is only there because the fields of `removed` were taken out: it is about
/// one of their parents (a missing field that was misspelled or had a wrong value, or a
/// section whose kind was removed).
fn follows_from_removal(next: &ConfigError, removed: &[ConfigError]) -> bool {
    let missing = next.message.strip_prefix("missing field `").and_then(|m| m.split('`').next());
    removed.iter().any(|r| {
        let Some(rest) = r.path.strip_prefix(next.path.as_str()) else { return false };
        let rest = rest.strip_prefix('.').unwrap_or(rest);
        let under = next.path.is_empty() || r.path.len() == next.path.len() || r.path[next.path.len()..].starts_with(['.', '[']);
        if !under {
            return false;
        }
        match missing {
            // `missing field `image`` after `imag` (did you mean `image`?) or `image` itself was removed.
            Some(name) => rest == name || r.message.contains(&format!("did you mean `{name}`")),
            // Anything else about a parent of a removed field is a guess.
            None => true,
        }
    })
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    const MINIMAL: &str = "version: 1\nstack:\n  kubernetes: {}\nregistry:\n  buildkite_packages:\n    org: acme\n    registry: docker-images\nimage:\n  name: my-app\n";

    #[test]
    fn formats_are_detected() {
        assert_eq!(ConfigFormat::detect(Some("a.JSON"), ""), ConfigFormat::Json);
        assert_eq!(ConfigFormat::detect(Some("a.yml"), "{}"), ConfigFormat::Yaml);
        assert_eq!(ConfigFormat::detect(None, "  {\"version\": 1}"), ConfigFormat::Json);
        assert_eq!(ConfigFormat::detect(Some("-"), "version: 1"), ConfigFormat::Yaml);
    }

    #[test]
    fn unknown_field_has_position_path_and_expectations() {
        let text = MINIMAL.replace("    org: acme", "    orgg: acme");
        let e = BuildConfig::from_yaml_str(&text).expect_err("unknown field");
        assert_eq!(e.kind, ConfigErrorKind::Shape);
        assert_eq!((e.line, e.col), (6, 5), "{e}");
        assert!(e.path.starts_with("registry.buildkite_packages"), "{e}");
        assert!(e.message.contains("orgg") && e.message.contains("expected"), "{e}");
        let d = e.to_diagnostic();
        assert_eq!(d.id, "KS101");
        assert_eq!(d.span.map(|s| s.line), Some(6));
    }

    #[test]
    fn wrong_type_and_variant() {
        let text = MINIMAL.replace("  kubernetes: {}", "  kubernetes: {queue: [a]}");
        let e = BuildConfig::from_yaml_str(&text).expect_err("wrong type");
        assert_eq!(e.path, "stack.kubernetes.queue", "{e}");
        assert_eq!(e.line, 3, "{e}");
        let text = MINIMAL.replace("  kubernetes: {}", "  nomad: {}");
        let e = BuildConfig::from_yaml_str(&text).expect_err("unknown variant");
        assert!(e.message.contains("expected `kubernetes` or `elastic`"), "{e}");
        assert_eq!((e.line, e.col), (3, 3), "{e}");
    }

    /// Shape errors speak YAML, not Rust: no `u32`, `unit variant` or type names.
    #[test]
    fn shape_messages_name_what_a_file_has() {
        let cases = [
            ("  kubernetes: {}", "  kubernetes: {queue: [a]}", "expected a string, found a list"),
            ("  name: my-app", "  name: my-app\n  tags: build_number", "expected a list, found the text \"build_number\""),
            ("stack:\n  kubernetes: {}", "stack: [kubernetes]", "expected one of `kubernetes`, `elastic`, or a mapping with one of them as its only key, found a list"),
            ("stack:\n  kubernetes: {}", "stack: {}", "expected one of `kubernetes`, `elastic`, or a mapping with one of them as its only key, found an empty mapping"),
            ("stack:\n  kubernetes: {}", "stack:", "found nothing (an empty value)"),
            ("  kubernetes: {}", "  kuberentes: {}", "unknown kind `kuberentes`, expected `kubernetes` or `elastic`; did you mean `kubernetes`?"),
            ("  name: my-app", "  name: my-app\nkaniko: {cache: yes}", "expected `true` or `false`, found the text \"yes\" (YAML 1.2"),
        ];
        for (from, to, want) in cases {
            let text = MINIMAL.replace(from, to);
            assert_ne!(text, MINIMAL, "{from:?} is in MINIMAL");
            let e = BuildConfig::from_yaml_str(&text).expect_err(to);
            assert!(e.message.contains(want), "{to:?}: {e}");
            for jargon in ["u32", "variant,", "unit variant", "newtype", "struct ", "enum ", "sequence", "invalid type"] {
                assert!(!e.message.contains(jargon), "{to:?}: {e}");
            }
        }
        let e = BuildConfig::from_yaml_str(&MINIMAL.replace("  kubernetes: {}", "  kuberentes: {}")).expect_err("misspelled");
        assert_eq!(e.to_diagnostic().fix, "Write `kubernetes`; the message lists every name that fits here.");
    }

    /// A secret pasted where the configuration names a secret, or a whole file that is a
    /// token, is never repeated in the error: not in its message, not in its field path.
    #[test]
    fn pasted_secrets_are_not_repeated_in_shape_errors() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let text = MINIMAL.replace(
            "  buildkite_packages:\n    org: acme\n    registry: docker-images\n",
            &format!("  ecr: {{account: \"123456789012\", region: eu-west-1, repository: acme, auth: {{credentials: {{access_key_id: {{buildkite: {{key: K}}}}, secret_access_key: {secret}}}}}}}\n"),
        );
        let e = BuildConfig::from_yaml_str(&text).expect_err("a secret where a secret reference belongs");
        let d = e.to_diagnostic();
        assert_eq!(e.path, "registry.ecr.auth.credentials.secret_access_key", "{e}");
        assert!(!format!("{e} {}", d.fix).contains("EXAMPLEKEY"), "{e}");
        assert!(e.message.contains("40 characters"), "{e}");
        assert!(d.fix.contains("{buildkite: {key: NAME}}"), "{}", d.fix);
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4IiwiZXhwIjoxfQ.c2lnbmF0dXJlc2lnbmF0dXJl";
        let e = BuildConfig::from_yaml_str(jwt).expect_err("a token is not a configuration");
        assert!(!e.to_string().contains("eyJ"), "{e}");
        // Names are still shown: they are what the author needs to see.
        let e = BuildConfig::from_yaml_str(&MINIMAL.replace("  kubernetes: {}", "  Kubernetes1: {}")).expect_err("unknown kind");
        assert!(e.message.contains("`Kubernetes1`"), "{e}");
    }

    /// A kind whose settings all have defaults may be written as a bare name; one with a
    /// required setting names the setting.
    #[test]
    fn a_bare_name_reads_as_a_kind_with_default_settings() {
        let bare = BuildConfig::from_yaml_str(&MINIMAL.replace("stack:\n  kubernetes: {}", "stack: kubernetes")).expect("bare name");
        assert_eq!(bare, BuildConfig::from_yaml_str(MINIMAL).expect("minimal"));
        let text = MINIMAL.replace(
            "  buildkite_packages:\n    org: acme\n    registry: docker-images\n",
            "  ecr: {account: \"123456789012\", region: eu-west-1, repository: acme, auth: oidc}\n",
        );
        let e = BuildConfig::from_yaml_str(&text).expect_err("oidc needs a role");
        assert_eq!((e.path.as_str(), e.message.as_str()), ("registry.ecr.auth.oidc", "missing field `role_arn`"), "{e}");
    }

    #[test]
    fn syntax_errors() {
        let e = BuildConfig::from_yaml_str("version: 1\nimage: {name: app\n").expect_err("syntax");
        assert_eq!(e.kind, ConfigErrorKind::Syntax, "{e}");
        assert!(e.line >= 2, "{e}");
        let e = BuildConfig::from_json_str("{\"version\": 1,\n \"stack\": }").expect_err("json syntax");
        assert_eq!(e.kind, ConfigErrorKind::Syntax, "{e}");
        assert_eq!(e.line, 2, "{e}");
        assert_eq!(e.to_diagnostic().id, "KS100");
    }

    #[test]
    fn json_errors_have_paths() {
        let json = serde_json::to_string_pretty(&BuildConfig::from_yaml_str(MINIMAL).expect("ok")).expect("json");
        let bad = json.replace("\"queue\": \"kubernetes\"", "\"queue\": [7]");
        let e = BuildConfig::from_json_str(&bad).expect_err("type");
        assert_eq!(e.kind, ConfigErrorKind::Shape);
        assert_eq!(e.path, "stack.kubernetes.queue", "{e}");
        assert!(e.line > 1, "{e}");
    }

    /// Numbers and booleans are read from their text whatever the quoting, as people write YAML.
    #[test]
    fn scalars_are_read_from_their_text() {
        let text = MINIMAL.replace("    org: acme", "    org: 0123").replace("version: 1", "version: \"1\"");
        let c = BuildConfig::from_yaml_str(&text).expect("loads");
        assert!(matches!(&c.registry, Registry::BuildkitePackages(p) if p.org == "0123"));
        let json = c.to_json_string().replace("\"0123\"", "123");
        assert!(matches!(BuildConfig::from_json_str(&json).expect("loads").registry, Registry::BuildkitePackages(p) if p.org == "123"));
        let e = BuildConfig::from_yaml_str(&MINIMAL.replace("  kubernetes: {}", "  kubernetes: {queue: ~}")).expect_err("null");
        assert_eq!(e.path, "stack.kubernetes.queue", "{e}");
    }

    #[test]
    fn the_wizard_value_form_round_trips() {
        let c = BuildConfig::from_yaml_str(MINIMAL).expect("loads");
        assert_eq!(BuildConfig::from_json_value(&c.to_value()).as_ref(), Ok(&c));
        let mut v = c.to_value();
        v["registry"]["buildkite_packages"]["lifetime"] = serde_json::json!("x");
        let e = BuildConfig::from_json_value(&v).expect_err("wrong type");
        assert_eq!(e.path, "registry.buildkite_packages.lifetime");
    }

    #[test]
    fn versions() {
        let e = BuildConfig::from_yaml_str(&MINIMAL.replace("version: 1", "version: 2")).expect_err("newer");
        assert_eq!(e.kind, ConfigErrorKind::Version);
        assert_eq!((e.line, e.col), (1, 1));
        let newer_with_new_fields = MINIMAL.replace("version: 1", "version: 9\nshiny: true");
        let e = BuildConfig::from_yaml_str(&newer_with_new_fields).expect_err("newer");
        assert_eq!(e.kind, ConfigErrorKind::Version, "{e}");
        let e = BuildConfig::from_yaml_str(&MINIMAL.replace("version: 1", "version: 0")).expect_err("zero");
        assert_eq!(e.to_diagnostic().id, "KS102");
        let e = BuildConfig::from_yaml_str(&MINIMAL.replace("version: 1\n", "")).expect_err("missing");
        assert!(e.message.contains("version"), "{e}");
    }

    #[test]
    fn versions_are_peeked_from_the_text() {
        assert_eq!(peek_version("a: 1\nversion: 3 # new\n", ConfigFormat::Yaml), Some(3));
        assert_eq!(peek_version("version: \"2\"\n", ConfigFormat::Yaml), Some(2));
        assert_eq!(peek_version("  version: 2\n", ConfigFormat::Yaml), None);
        assert_eq!(peek_version("{\"a\": 1,\n \"version\": 4}", ConfigFormat::Json), Some(4));
        assert_eq!(peek_version("version:", ConfigFormat::Yaml), None);
        assert_eq!(peek_version("{\"x\": \"version\", \"version\": 5}", ConfigFormat::Json), Some(5));
    }

    /// Regression: an unknown top-level key in a document of nested aliases ("billion laughs")
    /// used to be parsed a second time to find `version`, expanding every alias.
    #[test]
    fn nested_aliases_are_not_expanded_to_find_the_version() {
        let mut text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n".to_string();
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let e = BuildConfig::from_yaml_str(&text).expect_err("refused");
        assert!(e.message.contains("aliases"), "{e}");
        assert_eq!(peek_version(&text, ConfigFormat::Yaml), None);
    }

    #[test]
    fn garbage_never_panics() {
        for text in ["", "---", "- a", "\u{0}", "{", "[", "version: 1\n  bad indent", "&a [*a]", "!!binary x", "\"", "{\"version\":1e999}"] {
            let _ = BuildConfig::from_yaml_str(text);
            let _ = BuildConfig::from_json_str(text);
        }
    }

    #[test]
    fn examples_round_trip_and_comments_do_not_change_them() {
        for stack in StackKind::ALL {
            for kind in REGISTRY_KINDS {
                let config = example_config(stack, kind).expect("known kind");
                assert_eq!(config.registry.kind(), *kind);
                let yaml = example_yaml(stack, kind).expect("yaml");
                assert_eq!(BuildConfig::from_yaml_str(&yaml).as_ref(), Ok(&config), "{yaml}");
                assert_eq!(BuildConfig::from_yaml_str(&config.to_yaml_string()).as_ref(), Ok(&config));
                assert_eq!(BuildConfig::from_json_str(&config.to_json_string()).as_ref(), Ok(&config));
                assert!(yaml.contains("# "), "{yaml}");
            }
        }
        assert_eq!(example_config(StackKind::Elastic, "nope"), None);
    }

    #[test]
    fn fields_are_located_in_yaml_and_json() {
        let yaml = "version: 1\nimage:\n  name: app\n  tags:\n  - commit\n  - fixed: \"v 1\"\n";
        assert_eq!(locate_field(yaml, "image.name"), Some(Span::point(3, 3)));
        assert_eq!(locate_field(yaml, "image.tags[1].fixed"), Some(Span::point(6, 5)));
        assert_eq!(locate_field(yaml, "image.tags[1]"), Some(Span::point(6, 5)));
        // Absent fields point at the deepest key that exists.
        assert_eq!(locate_field(yaml, "image.dockerfile"), Some(Span::point(2, 1)));
        assert_eq!(locate_field(yaml, "kaniko.cache_repo"), None);
        let json = "{\n  \"version\": 1,\n  \"image\": {\"name\": \"app\"}\n}";
        assert_eq!(locate_field(json, "image.name"), Some(Span::point(3, 13)));
        assert_eq!(locate_field("{", "image"), None);
    }

    #[test]
    fn base64url_matches_the_rfc_vectors() {
        for (plain, encoded) in [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(base64url_encode(plain.as_bytes()), encoded);
            assert_eq!(base64url_decode(encoded).as_deref(), Some(plain.as_bytes()));
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(base64url_decode("a"), None);
        assert_eq!(base64url_decode("a b"), None);
    }

    #[test]
    fn fragments_round_trip() {
        for stack in StackKind::ALL {
            for kind in REGISTRY_KINDS {
                let c = example_config(stack, kind).expect("example");
                let f = c.to_fragment();
                assert!(f.starts_with("v1.") && f.len() < 2000, "{f}");
                assert!(f.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | '_')), "{f}");
                assert_eq!(BuildConfig::from_fragment(&format!("#{f}")), Ok(c));
            }
        }
    }

    /// A link made by version 1; it must keep loading in every later version.
    #[test]
    fn v1_links_keep_loading() {
        let link = "#v1.eyJ2ZXJzaW9uIjoxLCJzdGFjayI6eyJrdWJlcm5ldGVzIjp7fX0sInJlZ2lzdHJ5Ijp7ImJ1aWxka2l0ZV9wYWNrYWdlcyI6eyJvcmciOiJhY21lIiwicmVnaXN0cnkiOiJkb2NrZXItaW1hZ2VzIn19LCJpbWFnZSI6eyJuYW1lIjoibXktYXBwIn19";
        let c = BuildConfig::from_fragment(link).expect("v1 link");
        assert_eq!(c.repository(), "packages.buildkite.com/acme/docker-images/my-app");
    }

    #[test]
    fn bad_fragments_are_explained() {
        assert!(matches!(BuildConfig::from_fragment("v9.abc"), Err(FragmentError::UnknownVersion(v)) if v == "v9"));
        assert!(matches!(BuildConfig::from_fragment("abc"), Err(FragmentError::UnknownVersion(_))));
        assert_eq!(BuildConfig::from_fragment("v1.a*b"), Err(FragmentError::NotBase64));
        let long = format!("v1.{}", "A".repeat(MAX_FRAGMENT_LEN));
        assert!(matches!(BuildConfig::from_fragment(&long), Err(FragmentError::TooLong { .. })));
        let not_config = format!("v1.{}", base64url_encode(b"{\"version\":1}"));
        let e = BuildConfig::from_fragment(&not_config).expect_err("missing fields");
        assert!(e.to_string().contains("missing field"), "{e}");
        assert!(BuildConfig::from_fragment("v1.").is_err());
    }

    #[test]
    fn error_kinds_round_trip_by_name() {
        for kind in ConfigErrorKind::ALL {
            assert_eq!(ConfigErrorKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(ConfigErrorKind::from_name("other"), None);
    }

    #[test]
    fn json_data_reads_like_a_file_without_positions() {
        let c = example_config(StackKind::Kubernetes, "ecr").expect("example");
        let json = c.to_json_string();
        assert_eq!(BuildConfig::from_json_data(&json), Ok(c));
        // A shape error: the same kind, path and message, but no line or column.
        let bad = json.replacen("\"dockerfile\"", "\"dockerfil\"", 1);
        let located = BuildConfig::from_json_str(&bad).expect_err("unknown field");
        let data = BuildConfig::from_json_data(&bad).expect_err("unknown field");
        assert!(located.line > 0, "{located:?}");
        assert!(!data.path.is_empty(), "{data:?}");
        assert_eq!((data.line, data.col), (0, 0));
        assert_eq!((data.kind, &data.path, &data.message), (located.kind, &located.path, &located.message));
        // Syntax and version errors keep their positions (no YAML needed for those).
        assert!(BuildConfig::from_json_data("{\n  \"version\": 1,\n  oops").expect_err("syntax").line > 0);
        let newer = json.replacen("\"version\": 1", "\"version\": 99", 1);
        let e = BuildConfig::from_json_data(&newer).expect_err("newer");
        assert_eq!((e.kind, e.line), (ConfigErrorKind::Version, 2));
    }

    #[test]
    fn registry_kinds_as_users_type_them() {
        assert_eq!(parse_registry_kind("docker-hub"), Some("docker_hub"));
        assert_eq!(parse_registry_kind("Docker Hub"), Some("docker_hub"));
        assert_eq!(parse_registry_kind("packages"), Some("buildkite_packages"));
        assert_eq!(parse_registry_kind("ecr-public"), Some("ecr_public"));
        assert_eq!(parse_registry_kind("nexus"), None);
    }

    fn all_errors(text: &str, format: ConfigFormat) -> Vec<(String, u32)> {
        parse_config_all(text, format).expect_err("bad file").into_iter().map(|e| (e.path, e.line)).collect()
    }

    /// A minimal valid file, with `extra` appended to its `image` section.
    fn with_image(extra: &str) -> String {
        format!("version: 1\nstack: elastic\nregistry:\n  docker_hub:\n    namespace: acme\n    username: bot\n    token: {{buildkite: {{key: HUB}}}}\nimage:\n  name: app\n{extra}")
    }

    #[test]
    fn every_independent_problem_is_reported_in_file_order() {
        let ok = with_image("");
        assert!(parse_config_all(&ok, ConfigFormat::Yaml).is_ok(), "{:?}", parse_config_all(&ok, ConfigFormat::Yaml));
        let text = format!("{}colour: blue\n", with_image("  tgs: [build_number]\n  dockerfile: [x]\n"));
        assert_eq!(
            all_errors(&text, ConfigFormat::Yaml),
            [("image.tgs".to_string(), 10), ("image.dockerfile".to_string(), 11), ("colour".to_string(), 12)]
        );
        // The first error is always the one `parse_config` gives.
        assert_eq!(parse_config_all(&text, ConfigFormat::Yaml).expect_err("bad").first(), parse_config(&text, ConfigFormat::Yaml).err().as_ref());
    }

    #[test]
    fn a_problem_that_follows_from_another_is_not_reported() {
        // `imag` is `image` misspelled: once it is set aside, `image` is missing, which is the same problem.
        let text = with_image("").replace("image:", "imag:");
        assert_eq!(all_errors(&text, ConfigFormat::Yaml), [("imag".to_string(), 8)]);
        // It is read as `image`, so a problem inside it is found too.
        let text = with_image("  tag: [build_number]\n").replace("image:", "imag:");
        assert_eq!(all_errors(&text, ConfigFormat::Yaml), [("imag".to_string(), 8), ("image.tag".to_string(), 10)]);
        // A required field with a wrong value: its removal makes it missing, not a second problem.
        let text = with_image("").replace("name: app", "name: [app]");
        assert_eq!(all_errors(&text, ConfigFormat::Yaml), [("image.name".to_string(), 9)]);
        // But a field that really is missing is reported after an unrelated unknown one.
        let text = "version: 1\nstack: elastic\ncolour: blue\nregistry:\n  docker_hub:\n    namespace: acme\n    username: bot\n    token: {buildkite: {key: HUB}}\n";
        let errors = parse_config_all(text, ConfigFormat::Yaml).expect_err("bad");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[1].message, "missing field `image`");
    }

    #[test]
    fn a_problem_in_a_list_item_ends_the_search() {
        let text = format!("{}colour: blue\n", with_image("  tags: [build_number, {fixd: v1}]\n"));
        let errors = all_errors(&text, ConfigFormat::Yaml);
        assert_eq!(errors.len(), 1, "{errors:?}");
    }

    #[test]
    fn json_files_get_every_problem_with_positions() {
        let text = "{\n  \"version\": 1,\n  \"stack\": \"elastic\",\n  \"colour\": 1,\n  \"size\": 2\n}\n";
        let errors = all_errors(text, ConfigFormat::Json);
        assert_eq!(errors[..2], [("colour".to_string(), 4), ("size".to_string(), 5)], "{errors:?}");
    }

    #[test]
    fn the_number_of_problems_is_capped() {
        let keys: String = (0..3 * MAX_SHAPE_ERRORS).map(|i| format!("unknown_{i}: 1\n")).collect();
        let errors = parse_config_all(&with_image(&keys.replace("unknown", "  unknown")), ConfigFormat::Yaml).expect_err("bad");
        assert_eq!(errors.len(), MAX_SHAPE_ERRORS);
        // Syntax and version errors come alone.
        assert_eq!(parse_config_all("a: [\n", ConfigFormat::Yaml).expect_err("bad").len(), 1);
        assert_eq!(parse_config_all("version: 9\ncolour: 1\n", ConfigFormat::Yaml).expect_err("bad").len(), 1);
    }
}
