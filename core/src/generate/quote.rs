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
    serde_json::to_string(value).unwrap_or_default()
}

/// True when any string (or map key, or char) that `value` serializes contains a NUL. Walks
/// the value with a serializer that writes nothing, so nothing is allocated.
pub fn has_nul<T: serde::Serialize + ?Sized>(value: &T) -> bool {
    let mut finder = NulFinder { found: false };
    // An error means either "found" (we stop early) or a failing `Serialize`: `found` tells.
    let _ = value.serialize(&mut finder);
    finder.found
}

struct NulFinder {
    found: bool,
}

impl NulFinder {
    fn check(&mut self, s: &str) -> Result<(), std::fmt::Error> {
        if memchr::memchr(0, s.as_bytes()).is_some() {
            self.found = true;
            return Err(std::fmt::Error);
        }
        Ok(())
    }
}

macro_rules! ignore_scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, _: $ty) -> Result<(), std::fmt::Error> { Ok(()) })*
    };
}

impl serde::Serializer for &mut NulFinder {
    type Ok = ();
    type Error = std::fmt::Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    ignore_scalars!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_u128: u128, serialize_f32: f32, serialize_f64: f64, serialize_bytes: &[u8],
        serialize_unit_struct: &'static str,
    );
    fn serialize_char(self, v: char) -> Result<(), std::fmt::Error> {
        self.check(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), std::fmt::Error> {
        self.check(v)
    }
    fn serialize_none(self) -> Result<(), std::fmt::Error> {
        Ok(())
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, v: &T) -> Result<(), std::fmt::Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), std::fmt::Error> {
        Ok(())
    }
    // Variant and field names are ours, not the user's.
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), std::fmt::Error> {
        Ok(())
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), std::fmt::Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Result<(), std::fmt::Error> {
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, std::fmt::Error> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, std::fmt::Error> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, std::fmt::Error> {
        Ok(self)
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self, std::fmt::Error> {
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, std::fmt::Error> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, std::fmt::Error> {
        Ok(self)
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self, std::fmt::Error> {
        Ok(self)
    }
}

macro_rules! compound {
    ($($trait:ident :: $method:ident),*) => {
        $(impl serde::ser::$trait for &mut NulFinder {
            type Ok = ();
            type Error = std::fmt::Error;
            fn $method<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), std::fmt::Error> {
                v.serialize(&mut **self)
            }
            fn end(self) -> Result<(), std::fmt::Error> {
                Ok(())
            }
        })*
    };
}
compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl serde::ser::SerializeMap for &mut NulFinder {
    type Ok = ();
    type Error = std::fmt::Error;
    fn serialize_key<T: serde::Serialize + ?Sized>(&mut self, k: &T) -> Result<(), std::fmt::Error> {
        k.serialize(&mut **self)
    }
    fn serialize_value<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), std::fmt::Error> {
        v.serialize(&mut **self)
    }
    fn end(self) -> Result<(), std::fmt::Error> {
        Ok(())
    }
}

macro_rules! fields {
    ($($trait:ident),*) => {
        $(impl serde::ser::$trait for &mut NulFinder {
            type Ok = ();
            type Error = std::fmt::Error;
            fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, _: &'static str, v: &T) -> Result<(), std::fmt::Error> {
                v.serialize(&mut **self)
            }
            fn end(self) -> Result<(), std::fmt::Error> {
                Ok(())
            }
        })*
    };
}
fields!(SerializeStruct, SerializeStructVariant);

/// A Markdown inline code span holding `value` (backticks fenced with a longer run; line
/// breaks shown as `⏎` so a value cannot start a new Markdown block).
pub fn markdown_code(value: &str) -> String {
    // Printable ASCII without backticks needs no fence or replacement.
    if !value.is_empty() && value.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'`') {
        let mut out = String::with_capacity(value.len() + 2);
        out.push('`');
        out.push_str(value);
        out.push('`');
        return out;
    }
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
    fn has_nul_finds_nul_in_any_string_like_serde_json_does() {
        use std::collections::BTreeMap;
        #[derive(serde::Serialize)]
        enum E {
            Tuple(u8, String),
            Struct { s: Option<String> },
        }
        #[derive(serde::Serialize)]
        struct S {
            a: Vec<String>,
            m: BTreeMap<String, String>,
            c: char,
            e: E,
            t: (i32, &'static str),
        }
        let clean = || S {
            a: vec!["x".into()],
            m: BTreeMap::from([("k".into(), "v".into())]),
            c: 'c',
            e: E::Tuple(1, "y".into()),
            t: (1, "\\u0000 is text, not a NUL"),
        };
        assert!(!has_nul(&clean()));
        let mut cases = Vec::new();
        cases.push(S { a: vec!["x".into(), "a\0b".into()], ..clean() });
        cases.push(S { m: BTreeMap::from([("k\0".into(), "v".into())]), ..clean() });
        cases.push(S { m: BTreeMap::from([("k".into(), "\0".into())]), ..clean() });
        cases.push(S { c: '\0', ..clean() });
        cases.push(S { e: E::Tuple(1, "\0".into()), ..clean() });
        cases.push(S { e: E::Struct { s: Some("\0".into()) }, ..clean() });
        for case in &cases {
            assert!(has_nul(case));
            assert!(serde_json::to_string(case).expect("json").contains("\\u0000"));
        }
    }

    #[test]
    fn json_matches_serde_json_value() {
        for v in ["", "plain", "q\"b\\\n\u{0}\u{1f}é🦀\u{2028}"] {
            assert_eq!(json(v), serde_json::Value::String(v.to_string()).to_string());
        }
    }

    #[test]
    fn markdown_code_spans() {
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(markdown_code("a\nb"), "`a⏎b`");
        assert_eq!(markdown_code("plain value"), "`plain value`");
        assert_eq!(markdown_code(""), "`  `");
        assert_eq!(markdown_code("a\u{7f}"), "`a⏎`");
        assert_eq!(markdown_code("é"), "`é`");
    }
}
