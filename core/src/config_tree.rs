//! The one way a [`BuildConfig`](crate::config::BuildConfig) is read: YAML text, JSON text and
//! the web app's `serde_json::Value` are all turned into a small positioned [`Tree`], and one
//! serde deserializer reads the configuration from that tree.
//!
//! Why not a YAML serde crate: one deserializer means the configuration's `Deserialize` code is
//! compiled once, not once per format (it was five times, about 150 KB of the web page), and
//! every error carries the field path and the position of the node it is about, whatever the
//! format.
//!
//! Scalars keep their text, so reading is forgiving the way people write YAML: `account:
//! 012345678901` stays a string with its leading zero, and `lifetime: "300"` is still a number.
//! Aliases are expanded under a node budget, so a "billion laughs" document is refused instead
//! of exhausting memory.

use std::collections::HashMap;
use std::fmt;

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde::de::{self, DeserializeSeed, Visitor};

use crate::diagnostic::Span;
use crate::lint::yaml::{ScalarType, plain_scalar_type};

/// Deepest nesting accepted; configurations are about five levels deep.
pub const MAX_DEPTH: usize = 64;
/// Most nodes a document may have, counting each alias as a copy of what it names.
pub const MAX_NODES: usize = 20_000;

/// A parsed document: scalars keep their text and whether they were plain (unquoted).
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    pub node: Node,
    /// Where the node starts in the text (none for trees made from a `serde_json::Value`).
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Scalar { text: String, plain: bool },
    Seq(Vec<Tree>),
    Map(Vec<(Tree, Tree)>),
}

impl Tree {
    fn size(&self) -> usize {
        match &self.node {
            Node::Scalar { .. } => 1,
            Node::Seq(items) => 1 + items.iter().map(Tree::size).sum::<usize>(),
            Node::Map(entries) => 1 + entries.iter().map(|(k, v)| k.size() + v.size()).sum::<usize>(),
        }
    }

    /// The child under a mapping key or a sequence index, with the key's position.
    pub fn child(&self, segment: &Segment<'_>) -> Option<(Option<Span>, &Tree)> {
        match (&self.node, segment) {
            (Node::Map(entries), Segment::Key(key)) => entries
                .iter()
                .find(|(k, _)| matches!(&k.node, Node::Scalar { text, .. } if text == key))
                .map(|(k, v)| (k.span, v)),
            (Node::Seq(items), Segment::Index(i)) => items.get(*i).map(|v| (v.span, v)),
            _ => None,
        }
    }

    /// Remove the mapping entry that `path` names (`registry.ecr.account`), or with `rename`
    /// give its key that name instead, so that reading the tree again reaches the next problem.
    /// Only a mapping key can be changed: removing a list item would renumber the items after
    /// it, and the next error would name the wrong one. A key is not renamed to one the mapping
    /// already has. Returns whether the mapping changed.
    pub fn set_aside(&mut self, path: &[Segment<'_>], rename: Option<&str>) -> bool {
        let Some((Segment::Key(key), parents)) = path.split_last() else { return false };
        let is = |k: &Tree, name: &str| matches!(&k.node, Node::Scalar { text, .. } if text == name);
        let mut node = self;
        for segment in parents {
            let next = match (&mut node.node, segment) {
                (Node::Map(entries), Segment::Key(name)) => entries.iter_mut().find(|(k, _)| is(k, name)).map(|(_, v)| v),
                (Node::Seq(items), Segment::Index(i)) => items.get_mut(*i),
                _ => None,
            };
            let Some(next) = next else { return false };
            node = next;
        }
        let Node::Map(entries) = &mut node.node else { return false };
        match rename {
            Some(name) if entries.iter().any(|(k, _)| is(k, name)) => false,
            Some(name) => match entries.iter_mut().find(|(k, _)| is(k, key)) {
                Some((k, _)) => {
                    k.node = Node::Scalar { text: name.to_string(), plain: true };
                    true
                }
                None => false,
            },
            None => {
                let before = entries.len();
                entries.retain(|(k, _)| !is(k, key));
                entries.len() != before
            }
        }
    }

    /// A tree from JSON data (strings are quoted scalars, everything else plain).
    pub fn from_value(value: &serde_json::Value) -> Tree {
        use serde_json::Value;
        let plain = |text: String| Node::Scalar { text, plain: true };
        let node = match value {
            Value::Null => plain("null".to_string()),
            Value::Bool(b) => plain(b.to_string()),
            Value::Number(n) => plain(n.to_string()),
            Value::String(s) => Node::Scalar { text: s.clone(), plain: false },
            Value::Array(items) => Node::Seq(items.iter().map(Tree::from_value).collect()),
            Value::Object(map) => Node::Map(
                map.iter()
                    .map(|(k, v)| (Tree { node: Node::Scalar { text: k.clone(), plain: false }, span: None }, Tree::from_value(v)))
                    .collect(),
            ),
        };
        Tree { node, span: None }
    }
}

/// One step of a field path: `registry`, `[2]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// The segments of a dotted path as diagnostics carry it (`image.tags[1].fixed`).
pub fn path_segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, indices) = part.split_once('[').map_or((part, ""), |(k, rest)| (k, rest));
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        for index in indices.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse::<usize>() {
                out.push(Segment::Index(i));
            }
        }
    }
    out
}

/// A YAML document that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub span: Span,
}

enum Frame {
    Seq(Option<Span>, usize, Vec<Tree>),
    Map(Option<Span>, usize, Vec<(Tree, Tree)>, Option<Tree>),
}

/// Parse the first document of a YAML (or JSON) text. `Ok(None)` when it has no content.
///
/// # Errors
/// The first syntax error, a second document, nesting deeper than [`MAX_DEPTH`], or more
/// than [`MAX_NODES`] nodes once aliases are expanded.
pub fn parse_yaml(text: &str) -> Result<Option<Tree>, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Tree> = HashMap::new();
    let mut root: Option<Tree> = None;
    let mut nodes = 0usize;
    let mut documents = 0usize;
    while let Some(next) = parser.next_event() {
        let (event, marker) = match next {
            Ok(ev) => ev,
            Err(err) => {
                let m = err.marker();
                return Err(YamlError { message: err.info().to_string(), span: point(m.line(), m.col()) });
            }
        };
        let at = point(marker.start.line(), marker.start.col());
        let span = Some(at);
        let error = |message: String| Err(YamlError { message, span: at });
        let finished: Option<(Tree, usize)> = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return error("the file holds more than one YAML document; a configuration is a single document".to_string());
                }
                None
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
            Event::Alias(id) => match anchors.get(&id) {
                Some(tree) => Some((tree.clone(), 0)),
                None => return error("an alias names an anchor that is not defined before it".to_string()),
            },
            Event::Scalar(value, style, anchor, tag) => {
                // `!!str 1` is the string "1", as a quoted scalar would be.
                let is_str_tag = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let plain = style == ScalarStyle::Plain && !is_str_tag;
                Some((Tree { node: Node::Scalar { text: value.into_owned(), plain }, span }, anchor))
            }
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return error(format!("nesting deeper than {MAX_DEPTH} levels"));
                }
                stack.push(Frame::Seq(span, anchor, Vec::new()));
                None
            }
            Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return error(format!("nesting deeper than {MAX_DEPTH} levels"));
                }
                stack.push(Frame::Map(span, anchor, Vec::new(), None));
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(span, anchor, items)) => Some((Tree { node: Node::Seq(items), span }, anchor)),
                _ => None,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(span, anchor, entries, _)) => Some((Tree { node: Node::Map(entries), span }, anchor)),
                _ => None,
            },
        };
        let Some((tree, anchor)) = finished else { continue };
        nodes = nodes.saturating_add(tree.size());
        if nodes > MAX_NODES {
            return error(format!(
                "the document has more than {MAX_NODES} values once its aliases are expanded; write a configuration without nested aliases"
            ));
        }
        if anchor > 0 {
            anchors.insert(anchor, tree.clone());
        }
        match stack.last_mut() {
            Some(Frame::Seq(_, _, items)) => items.push(tree),
            Some(Frame::Map(_, _, entries, pending)) => match pending.take() {
                Some(key) => entries.push((key, tree)),
                None => *pending = Some(tree),
            },
            None => root = Some(tree),
        }
    }
    Ok(root)
}

fn point(line: usize, col: usize) -> Span {
    Span::point(u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(col.saturating_add(1)).unwrap_or(u32::MAX))
}

// ---------------------------------------------------------------------------------------------
// Reading typed data from a tree

/// Why a tree is not the expected shape: serde's message, the field path and the position of
/// the node it is about. Boxed: every value read passes through a `Result<_, DeError>`, and a
/// one-pointer error keeps that code small in the page's wasm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeError(Box<DeErrorInner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct DeErrorInner {
    message: String,
    /// Path segments, innermost first while the error travels outwards.
    segments: Vec<String>,
    span: Option<Span>,
    spanned: bool,
}

impl DeError {
    /// Serde's message (it names the field or value and what was expected).
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Where the node the error is about is, when the tree came from text.
    pub fn span(&self) -> Option<Span> {
        self.0.span
    }

    /// The field path (`registry.ecr.account`, `image.tags[1]`).
    pub fn path(&self) -> String {
        let mut out = String::new();
        for seg in self.0.segments.iter().rev() {
            if !seg.starts_with('[') && !out.is_empty() {
                out.push('.');
            }
            out.push_str(seg);
        }
        out
    }

    #[inline(never)]
    fn at(mut self, span: Option<Span>) -> Self {
        if !self.0.spanned {
            self.0.span = span;
            self.0.spanned = span.is_some();
        }
        self
    }

    #[inline(never)]
    fn under(mut self, segment: String) -> Self {
        self.0.segments.push(segment);
        self
    }

    /// The error of a mapping's value (or key) under `key`, placed at the key.
    #[inline(never)]
    fn under_key(self, key: &Tree) -> Self {
        self.at(key.span).under(key_text(key))
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError(Box::new(DeErrorInner { message: msg.to_string(), segments: Vec::new(), span: None, spanned: false }))
    }

    // Serde's own texts name Rust types (`expected u32`, `unit variant`, `struct
    // KubernetesStack`); a configuration's author reads YAML, so these say it in YAML's words.
    #[cold]
    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Self::custom(mismatch(&unexp, exp))
    }

    #[cold]
    fn invalid_value(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Self::custom(mismatch(&unexp, exp))
    }

    #[cold]
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Self::custom(unknown("field", field, expected))
    }

    #[cold]
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Self::custom(unknown("kind", variant, expected))
    }
}

/// "expected …, found …" in the words of a YAML or JSON file.
fn mismatch(unexp: &de::Unexpected<'_>, exp: &dyn de::Expected) -> String {
    let expected = exp.to_string();
    let want = match expected.as_str() {
        "u8" => "a whole number from 0 to 255",
        "u16" => "a whole number from 0 to 65535",
        "u32" => "a whole number from 0 to 4294967295",
        "u64" | "u128" | "usize" => "a whole number, 0 or more",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" => "`true` or `false`",
        "a sequence" => "a list",
        "a map" => "a mapping",
        e if e.starts_with("struct ") => "a mapping of settings",
        e if e.starts_with("enum ") => "one of the names this field takes",
        other => other,
    };
    let found = match unexp {
        de::Unexpected::Unit => "nothing (an empty value)".to_string(),
        de::Unexpected::Str(s) => match shown(s) {
            Some(s) => format!("the text {s:?}"),
            None => format!("a text of {} characters (not repeated here: it may be a secret)", s.chars().count()),
        },
        de::Unexpected::Seq => "a list".to_string(),
        de::Unexpected::Map => "a mapping".to_string(),
        de::Unexpected::Bool(b) => format!("`{b}`"),
        de::Unexpected::Signed(n) => n.to_string(),
        de::Unexpected::Unsigned(n) => n.to_string(),
        de::Unexpected::Float(f) => f.to_string(),
        de::Unexpected::Other(o) => (*o).to_string(),
        other => other.to_string(),
    };
    let hint = match unexp {
        de::Unexpected::Str(s) if expected == "a boolean" && matches!(s.to_ascii_lowercase().as_str(), "yes" | "no" | "on" | "off" | "y" | "n") => {
            " (YAML 1.2, which this file is read as, takes only `true` and `false` as booleans)"
        }
        _ => "",
    };
    format!("expected {want}, found {found}{hint}")
}

/// Serde's "unknown field `x`, expected one of …" with the closest name, when one is close.
fn unknown(what: &str, name: &str, expected: &[&str]) -> String {
    let mut out = match shown(name) {
        Some(name) => format!("unknown {what} `{name}`, "),
        None => format!("unknown {what} of {} characters (not repeated here: it may be a secret), ", name.chars().count()),
    };
    match expected {
        [] => out.push_str("there are none here"),
        [only] => out.push_str(&format!("expected `{only}`")),
        [a, b] => out.push_str(&format!("expected `{a}` or `{b}`")),
        _ => out.push_str(&format!("expected one of {}", names(expected))),
    }
    if let Some(near) = crate::policy::closest(name, expected) {
        out.push_str(&format!("; did you mean `{near}`?"));
    }
    out
}

/// A value found in the file, if it may be repeated in an error: not when it
/// [`looks_like_secret`](crate::validate::looks_like_secret). A configuration read from a file,
/// a link or an import may hold a pasted secret where a secret's name belongs, and errors are
/// printed, annotated and shown.
///
/// A long value is cut to its first [`SHOWN_CHARS`] characters and `…`: a whole file given
/// where a name belongs must not be printed back in full.
fn shown(value: &str) -> Option<std::borrow::Cow<'_, str>> {
    if crate::validate::looks_like_secret(value) {
        return None;
    }
    Some(match value.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &value[..cut])),
        None => std::borrow::Cow::Borrowed(value),
    })
}

/// How much of a value an error repeats.
const SHOWN_CHARS: usize = 60;

/// `a`, `b`, `c`
fn names(list: &[&str]) -> String {
    list.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// The error for an enum's value that is neither a name nor a one-key mapping.
#[cold]
fn not_an_enum(variants: &[&str], found: &str) -> DeError {
    de::Error::custom(format!("expected one of {}, or a mapping with one of them as its only key, found {found}", names(variants)))
}

/// Read a `T` from a tree.
///
/// # Errors
/// The first field that is unknown, missing or of the wrong type, with its path and position.
pub fn from_tree<'de, T: serde::Deserialize<'de>>(tree: &Tree) -> Result<T, DeError> {
    T::deserialize(TreeDe(tree))
}

struct TreeDe<'t>(&'t Tree);

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn parse_int(text: &str) -> Option<i128> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    let magnitude = if let Some(hex) = digits.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = digits.strip_prefix("0o") {
        i128::from_str_radix(oct, 8).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i128>().ok()?
    } else {
        return None;
    };
    Some(if negative { -magnitude } else { magnitude })
}

impl<'t> TreeDe<'t> {
    fn unexpected(&self) -> de::Unexpected<'t> {
        match &self.0.node {
            Node::Scalar { text, plain: true } if is_null(text) => de::Unexpected::Unit,
            Node::Scalar { text, .. } => de::Unexpected::Str(text),
            Node::Seq(_) => de::Unexpected::Seq,
            Node::Map(_) => de::Unexpected::Map,
        }
    }

    fn scalar(&self) -> Option<&'t str> {
        match &self.0.node {
            Node::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    fn int<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        let n = self.scalar().and_then(parse_int);
        let result = match n {
            Some(n) if n >= 0 => match u64::try_from(n) {
                Ok(n) => visitor.visit_u64(n),
                Err(_) => Err(de::Error::invalid_value(de::Unexpected::Other("a number too large"), &visitor)),
            },
            Some(n) => match i64::try_from(n) {
                Ok(n) => visitor.visit_i64(n),
                Err(_) => Err(de::Error::invalid_value(de::Unexpected::Other("a number too small"), &visitor)),
            },
            None => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        };
        result.map_err(|e: DeError| e.at(span))
    }
}

macro_rules! ints {
    ($($name:ident)*) => {
        $(fn $name<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            self.int(visitor)
        })*
    };
}

impl<'de> de::Deserializer<'de> for TreeDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        let result = match &self.0.node {
            Node::Scalar { text, plain: true } => match plain_scalar_type(text) {
                ScalarType::Null => visitor.visit_unit(),
                ScalarType::Bool => visitor.visit_bool(parse_bool(text).unwrap_or(false)),
                ScalarType::Int => return self.int(visitor),
                ScalarType::Float => match text.parse::<f64>() {
                    Ok(f) => visitor.visit_f64(f),
                    Err(_) => visitor.visit_str(text),
                },
                ScalarType::Str => visitor.visit_str(text),
            },
            Node::Scalar { text, plain: false } => visitor.visit_str(text),
            Node::Seq(items) => visitor.visit_seq(SeqAcc { items: items.iter(), index: 0 }),
            Node::Map(entries) => visitor.visit_map(MapAcc { entries: entries.iter(), value: None }),
        };
        result.map_err(|e: DeError| e.at(span))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match self.scalar().and_then(parse_bool) {
            Some(b) => visitor.visit_bool(b),
            None => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
        .map_err(|e: DeError| e.at(span))
    }

    ints!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64);

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match self.scalar().and_then(|t| t.parse::<f64>().ok()) {
            Some(f) => visitor.visit_f64(f),
            None => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match &self.0.node {
            Node::Scalar { text, plain: true } if is_null(text) => Err(de::Error::invalid_type(de::Unexpected::Unit, &visitor)),
            Node::Scalar { text, .. } => visitor.visit_str(text),
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match self.scalar() {
            Some(text) => visitor.visit_str(text),
            None => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.0.node {
            Node::Scalar { text, plain: true } if is_null(text) => visitor.visit_none().map_err(|e: DeError| e.at(self.0.span)),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match &self.0.node {
            Node::Seq(items) => visitor.visit_seq(SeqAcc { items: items.iter(), index: 0 }),
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _name: &'static str, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match &self.0.node {
            Node::Map(entries) => visitor.visit_map(MapAcc { entries: entries.iter(), value: None }),
            // `kubernetes:` with nothing after it reads as an empty mapping.
            Node::Scalar { text, plain: true } if is_null(text) => visitor.visit_map(MapAcc { entries: [].iter(), value: None }),
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_struct<V: Visitor<'de>>(self, _name: &'static str, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(self, _name: &'static str, variants: &'static [&'static str], visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match &self.0.node {
            Node::Scalar { text, plain: true } if is_null(text) => Err(not_an_enum(variants, "nothing (an empty value)")),
            // A bare name: a kind without settings, or one whose settings all have defaults
            // (`stack: kubernetes` reads as `stack: {kubernetes: {}}`).
            // The same access as a one-key mapping, so serde's derived code is not compiled
            // twice for every enum (the page's wasm is measured in kilobytes).
            Node::Scalar { .. } => visitor.visit_enum(EnumAcc { key: self.0, value: &Tree { node: Node::Scalar { text: String::new(), plain: true }, span: self.0.span } }),
            Node::Map(entries) => match entries.as_slice() {
                [(key, value)] => visitor.visit_enum(EnumAcc { key, value }),
                [] => Err(not_an_enum(variants, "an empty mapping")),
                _ => Err(not_an_enum(variants, &format!("a mapping with {} keys", entries.len()))),
            },
            Node::Seq(_) => Err(not_an_enum(variants, "a list")),
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! { i128 u128 char bytes byte_buf unit unit_struct }
}

struct SeqAcc<'t> {
    items: std::slice::Iter<'t, Tree>,
    index: usize,
}

impl<'de> de::SeqAccess<'de> for SeqAcc<'_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        let Some(item) = self.items.next() else { return Ok(None) };
        let index = self.index;
        self.index += 1;
        seed.deserialize(TreeDe(item)).map(Some).map_err(|e| e.under(format!("[{index}]")))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapAcc<'t> {
    entries: std::slice::Iter<'t, (Tree, Tree)>,
    value: Option<(&'t Tree, &'t Tree)>,
}

fn key_text(key: &Tree) -> String {
    match &key.node {
        Node::Scalar { text, .. } => text.clone(),
        _ => "?".to_string(),
    }
}

impl<'de> de::MapAccess<'de> for MapAcc<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some((key, value));
        seed.deserialize(TreeDe(key)).map(Some).map_err(|e| e.under_key(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some((key, value)) = self.value.take() else {
            return Err(de::Error::custom("a mapping value was read before its key"));
        };
        seed.deserialize(TreeDe(value)).map_err(|e| e.under_key(key))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct EnumAcc<'t> {
    key: &'t Tree,
    value: &'t Tree,
}

impl<'de, 't> de::EnumAccess<'de> for EnumAcc<'t> {
    type Error = DeError;
    type Variant = VariantAcc<'t>;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, VariantAcc<'t>), DeError> {
        let key = self.key;
        // An unknown kind is not a place in the file: the error stays at the field, and the
        // name (which may be a pasted secret) is not added to its path.
        let variant = seed.deserialize(TreeDe(key)).map_err(|e| e.at(key.span))?;
        Ok((variant, VariantAcc { key, value: self.value }))
    }
}

struct VariantAcc<'t> {
    key: &'t Tree,
    value: &'t Tree,
}

impl<'de> de::VariantAccess<'de> for VariantAcc<'_> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        match &self.value.node {
            Node::Scalar { text, plain: true } if is_null(text) => Ok(()),
            Node::Map(entries) if entries.is_empty() => Ok(()),
            _ => Err(<DeError as de::Error>::custom(format!("`{}` takes no settings; write it as a plain name", key_text(self.key)))
                .at(self.value.span)
                .under(key_text(self.key))),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(TreeDe(self.value)).map_err(|e| e.under_key(self.key))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_seq(TreeDe(self.value), visitor).map_err(|e| e.under(key_text(self.key)))
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_map(TreeDe(self.value), visitor).map_err(|e| e.under_key(self.key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_expand_within_the_budget() {
        let tree = parse_yaml("a: &x [1, 2]\nb: *x\n").expect("parses").expect("content");
        let b = tree.child(&Segment::Key("b")).map(|(_, t)| t.clone());
        let a = tree.child(&Segment::Key("a")).map(|(_, t)| Tree { span: None, ..t.clone() });
        assert_eq!(b.map(|t| Tree { span: None, ..t }), a);
    }

    /// Regression: "billion laughs" must be refused, not expanded.
    #[test]
    fn nested_aliases_beyond_the_budget_are_refused() {
        let mut text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n".to_string();
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let e = parse_yaml(&text).expect_err("too big");
        assert!(e.message.contains("aliases"), "{e:?}");
    }

    /// A whole file given where a name belongs is not printed back whole.
    #[test]
    fn long_values_are_cut_in_errors() {
        assert_eq!(shown("short").as_deref(), Some("short"));
        let long = "é".repeat(5000);
        let cut = shown(&long).expect("not a secret").into_owned();
        assert_eq!(cut.chars().count(), SHOWN_CHARS + 1);
        assert!(cut.ends_with('…'));
        let e = crate::config::BuildConfig::from_yaml_str(&format!("version: 1\nstack: {}\n", "y".repeat(50_000))).expect_err("unknown kind");
        assert!(e.message.len() < 400, "{}", e.message.len());
    }

    #[test]
    fn second_documents_and_deep_nesting_are_refused() {
        assert!(parse_yaml("a: 1\n---\nb: 2\n").is_err());
        assert!(parse_yaml(&"[".repeat(200)).is_err());
        assert_eq!(parse_yaml("").expect("empty"), None);
        assert_eq!(parse_yaml("# only a comment\n").expect("empty"), None);
    }

    #[test]
    fn scalars_keep_their_text() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct S {
            account: String,
            lifetime: u32,
            on: bool,
            maybe: Option<String>,
        }
        let tree = parse_yaml("account: 012345678901\nlifetime: \"300\"\non: true\nmaybe: ~\n").expect("ok").expect("doc");
        let s: S = from_tree(&tree).expect("reads");
        assert_eq!(s, S { account: "012345678901".into(), lifetime: 300, on: true, maybe: None });
    }

    #[test]
    fn errors_carry_path_and_position() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            n: u32,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Outer {
            items: Vec<Inner>,
        }
        let tree = parse_yaml("items:\n- n: 1\n- n: [x]\n").expect("ok").expect("doc");
        let e = from_tree::<Outer>(&tree).expect_err("wrong type");
        assert_eq!(e.path(), "items[1].n");
        assert_eq!(e.span(), Some(Span::point(3, 6)));
        assert_eq!(e.message(), "expected a whole number from 0 to 4294967295, found a list");
    }
}
