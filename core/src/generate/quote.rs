//! Quoting for every user value that lands in generated YAML, shell or JSON.
//!
//! Invariant: whatever a user types, the quoted text parses back to exactly that value and
//! cannot change the structure around it. The property tests in
//! `core/tests/generate_quoting_props.rs` and `tests/tests/generate_structure.rs` prove it
//! against real parsers and shells.

use std::borrow::Cow;

/// A YAML double-quoted scalar (`"…"`) holding exactly `value`.
///
/// Escapes `"` and `\`, every C0/C1 control, DEL, the YAML line breaks (U+0085, U+2028,
/// U+2029) and the byte-order mark; everything else is written as is.
pub fn yaml(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => {
                out.push_str(&format!("\\x{:02X}", c as u32));
            }
            '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `value` escaped for Buildkite's pipeline-upload interpolation, which runs over every
/// string in `pipeline.yml` (buildkite.md §3.7): each `$` becomes `$$`, so the agent sees the
/// original text. A `\` directly before a `$` cannot survive interpolation (`\$` is itself an
/// escape); [`interpolation_safe`] reports such values, and [`sh`] never produces one.
pub fn interpolation(value: &str) -> String {
    value.replace('$', "$$")
}

/// False when `value` contains `\$`, which Buildkite's interpolation would turn into `$`.
pub fn interpolation_safe(value: &str) -> bool {
    !value.contains("\\$")
}

/// A YAML double-quoted scalar for `pipeline.yml`: escaped for interpolation, then quoted.
pub fn pipeline(value: &str) -> String {
    yaml(&interpolation(value))
}

/// Characters that need no quoting in a POSIX shell word.
fn sh_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':' | '=' | '@' | '%' | '+' | ',')
}

/// One POSIX shell word holding exactly `value`: bare when it only has safe characters, else
/// single-quoted (`'` written as `'\''`). A `\` followed by `$` is split across two quoted
/// pieces so the text never contains `\$` (see [`interpolation`]).
pub fn sh(value: &str) -> Cow<'_, str> {
    if !value.is_empty() && value.chars().all(sh_plain) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    let mut prev_backslash = false;
    for c in value.chars() {
        match c {
            '\'' => out.push_str("'\\''"),
            '$' if prev_backslash => out.push_str("''$"),
            _ => out.push(c),
        }
        prev_backslash = c == '\\';
    }
    out.push('\'');
    Cow::Owned(out)
}

/// A JSON string literal holding exactly `value`.
pub fn json(value: &str) -> String {
    serde_json::Value::String(value.to_string()).to_string()
}

/// A Markdown inline code span holding `value` (backticks fenced with a longer run; line
/// breaks shown as `⏎` so a value cannot start a new Markdown block).
pub fn markdown_code(value: &str) -> String {
    let flat: String = value
        .chars()
        .map(|c| if c == '\n' || c == '\r' || c.is_control() { '⏎' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in flat.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    if flat.starts_with('`') || flat.ends_with('`') || flat.is_empty() {
        format!("{fence} {flat} {fence}")
    } else {
        format!("{fence}{flat}{fence}")
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn yaml_escapes() {
        assert_eq!(yaml("plain"), "\"plain\"");
        assert_eq!(yaml("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(yaml("l1\nl2\t\u{7}"), "\"l1\\nl2\\t\\x07\"");
        assert_eq!(yaml("\u{2028}\u{85}"), "\"\\u2028\\x85\"");
        assert_eq!(yaml("é ✓ 🦀"), "\"é ✓ 🦀\"");
    }

    #[test]
    fn sh_quotes_only_when_needed() {
        assert_eq!(sh("gcr.io/kaniko-project/executor:v1.24.0"), "gcr.io/kaniko-project/executor:v1.24.0");
        assert_eq!(sh(""), "''");
        assert_eq!(sh("a b"), "'a b'");
        assert_eq!(sh("it's"), "'it'\\''s'");
        assert_eq!(sh("--flag=x"), "--flag=x");
        assert_eq!(sh("$(id)`x`"), "'$(id)`x`'");
    }

    #[test]
    fn sh_never_writes_backslash_dollar() {
        let q = sh("a\\$b");
        assert_eq!(q, "'a\\''$b'");
        assert!(interpolation_safe(&q));
    }

    #[test]
    fn interpolation_doubles_dollars() {
        assert_eq!(interpolation("$$X ${Y}"), "$$$$X $${Y}");
        assert!(!interpolation_safe("a\\$b"));
    }

    #[test]
    fn markdown_code_spans() {
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(markdown_code("a\nb"), "`a⏎b`");
    }
}
