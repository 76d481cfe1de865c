//! A small positioned YAML tree, built from saphyr's event parser so that anchors, aliases
//! and tags stay visible (the OIDC policy check rejects them) and every node keeps its
//! 1-based line and column. Used by the pipeline linter and the OIDC policy check.
//!
//! Only the first document of a stream is kept. Nesting deeper than [`MAX_DEPTH`] is
//! reported as an error instead of being followed, so no input can exhaust the stack.

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::diagnostic::Span;

mod fast;

/// Deeper nesting than this is refused (no real pipeline or policy comes close).
pub const MAX_DEPTH: usize = 128;

/// How a scalar was written, which decides its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Unquoted: typed by the YAML core schema (`true`, `42`, `null` …).
    Plain,
    /// Quoted or a block scalar: always a string.
    Quoted,
    /// A block scalar (`|` or `>`).
    Block,
}

/// A scalar's type under the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    Null,
    Bool,
    Int,
    Float,
    Str,
}

/// One node and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// Start (and, when known, end) of the node, 1-based.
    pub span: Span,
    /// Byte range of the node in the source text.
    pub bytes: (usize, usize),
    /// Anchor (`&name`) was set on this node.
    pub anchored: bool,
    /// Tag (`!foo`, `!!str`) written on this node, as text.
    pub tag: Option<String>,
}

/// The shape of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar { value: String, style: Style },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    /// `*name`: a reference to an anchored node (not expanded).
    Alias,
}

/// A parse error with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

impl Node {
    /// The scalar text, when this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The entries, when this is a mapping.
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, when this is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The value for `key` in a mapping (the first one, if repeated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v)
    }

    /// The core-schema type of a scalar; `None` for collections and aliases.
    pub fn scalar_type(&self) -> Option<ScalarType> {
        match &self.kind {
            NodeKind::Scalar { value, style: Style::Plain } => Some(plain_scalar_type(value)),
            NodeKind::Scalar { .. } => Some(ScalarType::Str),
            _ => None,
        }
    }

    /// A short word for the node's type, for messages ("a list", "a string" …).
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
            NodeKind::Alias => "an alias",
            NodeKind::Scalar { .. } => match self.scalar_type() {
                Some(ScalarType::Null) => "null",
                Some(ScalarType::Bool) => "a boolean",
                Some(ScalarType::Int) => "an integer",
                Some(ScalarType::Float) => "a number",
                _ => "a string",
            },
        }
    }
}

/// The YAML 1.2 core-schema type of a plain scalar.
pub fn plain_scalar_type(value: &str) -> ScalarType {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarType::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return ScalarType::Bool,
        _ => {}
    }
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return ScalarType::Int;
    }
    if let Some(hex) = value.strip_prefix("0x")
        && !hex.is_empty()
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return ScalarType::Int;
    }
    if let Some(oct) = value.strip_prefix("0o")
        && !oct.is_empty()
        && oct.bytes().all(|b| (b'0'..=b'7').contains(&b))
    {
        return ScalarType::Int;
    }
    let lower = value.to_ascii_lowercase();
    if matches!(lower.as_str(), ".inf" | "-.inf" | "+.inf" | ".nan") {
        return ScalarType::Float;
    }
    let looks_numeric = digits.bytes().any(|b| b.is_ascii_digit())
        && digits.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if looks_numeric && value.parse::<f64>().is_ok() {
        return ScalarType::Float;
    }
    ScalarType::Str
}

/// Byte offsets of line starts, to turn parser markers into byte ranges.
///
/// Parser markers count characters, spans count characters, and texts are indexed by bytes.
/// Every conversion takes (nearly) constant time whatever the length of the line: a pipeline
/// written on one long line (flow style, non-ASCII) must not make linting quadratic.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Character index of each line start (empty for ASCII text, where it equals `starts`).
    line_chars: Vec<usize>,
    /// Byte offset of every [`CHECKPOINT`]-th character (empty for ASCII text).
    checkpoints: Vec<usize>,
}

/// Characters between two checkpoints of [`LineIndex`].
const CHECKPOINT: usize = 64;

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        // Line breaks as YAML (and the parser) count them: LF, CRLF, and a lone CR.
        let bytes = text.as_bytes();
        let is_break = |i: usize, b: u8| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        let mut starts = vec![0];
        starts.extend(memchr::memchr2_iter(b'\n', b'\r', bytes).filter(|&i| bytes.get(i).is_some_and(|&b| is_break(i, b))).map(|i| i + 1));
        let (mut line_chars, mut checkpoints) = (Vec::new(), Vec::new());
        if !text.is_ascii() {
            line_chars.reserve(starts.len());
            line_chars.push(0);
            checkpoints.reserve(text.len() / CHECKPOINT + 1);
            for (k, (b, c)) in text.char_indices().enumerate() {
                if k % CHECKPOINT == 0 {
                    checkpoints.push(b);
                }
                if (c == '\n' || c == '\r') && is_break(b, c as u8) {
                    line_chars.push(k + 1);
                }
            }
        }
        LineIndex { text, starts, line_chars, checkpoints }
    }

    fn is_ascii(&self) -> bool {
        self.checkpoints.is_empty()
    }

    /// The number of characters before byte `byte` (which need not be a character boundary).
    fn char_index(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if self.is_ascii() {
            return byte;
        }
        let cp = self.checkpoints.partition_point(|&b| b <= byte).saturating_sub(1);
        let from = self.checkpoints.get(cp).copied().unwrap_or(0);
        let tail = self.text.as_bytes().get(from..byte).unwrap_or_default();
        cp * CHECKPOINT + tail.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
    }

    /// The byte offset of character number `index` (the text's length past its end).
    fn byte_of_char(&self, index: usize) -> usize {
        if self.is_ascii() {
            return index.min(self.text.len());
        }
        let Some(&from) = self.checkpoints.get(index / CHECKPOINT) else { return self.text.len() };
        let rest = self.text.get(from..).unwrap_or("");
        rest.char_indices().nth(index % CHECKPOINT).map_or(self.text.len(), |(i, _)| from + i)
    }

    /// The text of line `line` (1-based), without its line break.
    pub fn line(&self, line: u32) -> &'a str {
        let i = (line as usize).saturating_sub(1);
        let start = self.starts.get(i).copied().unwrap_or(self.text.len());
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        self.text.get(start..end).unwrap_or("").trim_end_matches(['\n', '\r'])
    }

    /// Byte offset of a 1-based line and 0-based character column (a column past the end of
    /// the line continues into the next lines).
    pub fn offset(&self, line: usize, col: usize) -> usize {
        let i = line.saturating_sub(1);
        let Some(&start) = self.starts.get(i) else { return self.text.len() };
        if self.is_ascii() {
            return start.saturating_add(col).min(self.text.len());
        }
        let first = self.line_chars.get(i).copied().unwrap_or(0);
        self.byte_of_char(first.saturating_add(col))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let col = match self.text.get(start..offset) {
            Some(s) if self.is_ascii() => s.len(),
            Some(_) => self.char_index(offset).saturating_sub(self.line_chars.get(line - 1).copied().unwrap_or(0)),
            None => 0,
        };
        (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(col + 1).unwrap_or(u32::MAX))
    }

    /// The span of a byte range (end inclusive of the last character).
    pub fn span(&self, start: usize, end: usize) -> Span {
        let (line, col) = self.position(start);
        let last = if end > start {
            self.text.get(..end).and_then(|s| s.char_indices().next_back()).map_or(start, |(i, _)| i)
        } else {
            start
        };
        let (end_line, end_col) = self.position(last.max(start));
        Span { line, col, end_line, end_col }
    }

    /// Find `needle` inside a node's source text and return its span; the node's own span
    /// when it is not found (escapes or folding changed the text).
    pub fn find_in(&self, node: &Node, needle: &str) -> Span {
        if !needle.is_empty()
            && let Some(src) = self.text.get(node.bytes.0..node.bytes.1.max(node.bytes.0))
            && let Some(i) = src.find(needle)
        {
            let start = node.bytes.0 + i;
            return self.span(start, start + needle.len());
        }
        node.span
    }

    pub fn text(&self) -> &'a str {
        self.text
    }
}

enum Frame {
    Seq(Node, Vec<Node>),
    Map(Node, Vec<(Node, Node)>, Option<Node>),
}

/// Parse the first YAML document of `text`. An empty document gives `Ok(None)`.
///
/// Plain block YAML (nearly every pipeline) goes through a hand-written fast path that
/// builds the same tree as saphyr; anything it does not fully understand, and every error,
/// goes through saphyr.
///
/// # Errors
/// The first syntax error, with its position, or nesting beyond [`MAX_DEPTH`].
pub fn parse(text: &str) -> Result<Option<Node>, ParseError> {
    match fast::parse(text) {
        Some(node) => Ok(Some(node)),
        None => parse_saphyr(text),
    }
}

/// The fast path alone: `Some` only when `text` is entirely in the subset it reads (for
/// the differential tests and the benchmark).
pub fn parse_fast(text: &str) -> Option<Node> {
    fast::parse(text)
}

/// [`parse`] through saphyr's event parser only.
///
/// # Errors
/// The first syntax error, with its position, or nesting beyond [`MAX_DEPTH`].
pub fn parse_saphyr(text: &str) -> Result<Option<Node>, ParseError> {
    let index = LineIndex::new(text);
    // Markers count characters; for ASCII text (nearly every pipeline) that is the byte
    // offset, and line/column come straight from the marker.
    let ascii = text.is_ascii();
    let byte_of = |m: &saphyr_parser::Marker| if ascii { m.index().min(text.len()) } else { index.offset(m.line(), m.col()) };
    // The parser places an empty node at the end of a text without a final line break on the
    // line after it; such positions are taken from the byte offset, inside the text.
    let lines = index.starts.len();
    let span_of = |s: &saphyr_parser::Marker, e: &saphyr_parser::Marker, start: usize, end: usize| {
        let (line, col) = if s.line() > lines {
            index.position(start)
        } else {
            (u32::try_from(s.line()).unwrap_or(u32::MAX), u32::try_from(s.col() + 1).unwrap_or(u32::MAX))
        };
        if e.col() > 0 && end > start {
            let (end_line, end_col) = if e.line() > lines {
                index.position(end.saturating_sub(1).max(start))
            } else {
                (u32::try_from(e.line()).unwrap_or(u32::MAX), u32::try_from(e.col()).unwrap_or(u32::MAX))
            };
            if (end_line, end_col) < (line, col) {
                return Span::point(line, col);
            }
            Span { line, col, end_line, end_col }
        } else {
            // Block collections and block scalars end at the start of a later line; their
            // start is what findings point at.
            Span::point(line, col)
        }
    };
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut in_doc = false;
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(ev) => ev,
            Err(err) => {
                let m = err.marker();
                let (line, col) = index.position(index.offset(m.line(), m.col()));
                return Err(ParseError { message: err.info().to_string(), span: Span::point(line, col) });
            }
        };
        let start = byte_of(&span.start);
        let end = byte_of(&span.end).max(start);
        let node_span = span_of(&span.start, &span.end, start, end);
        let make = |kind: NodeKind, anchor: usize, tag: Option<String>| Node {
            kind,
            span: node_span,
            bytes: (start, end),
            anchored: anchor > 0,
            tag,
        };
        let tag_text = |t: &Option<std::borrow::Cow<'_, saphyr_parser::Tag>>| {
            t.as_ref().map(|t| format!("{}{}", t.handle, t.suffix))
        };
        let finished: Option<Node> = match event {
            Event::DocumentStart(_) => {
                if root.is_some() {
                    break;
                }
                in_doc = true;
                None
            }
            Event::DocumentEnd => {
                if root.is_some() {
                    break;
                }
                None
            }
            Event::StreamEnd => break,
            Event::StreamStart | Event::Nothing => None,
            Event::Alias(_) => Some(make(NodeKind::Alias, 0, None)),
            Event::Scalar(value, style, anchor, tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::Literal | ScalarStyle::Folded => Style::Block,
                    _ => Style::Quoted,
                };
                let tag = tag_text(&tag);
                Some(make(NodeKind::Scalar { value: value.into_owned(), style }, anchor, tag))
            }
            Event::SequenceStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(depth_error(index.span(start, start)));
                }
                let tag = tag_text(&tag);
                stack.push(Frame::Seq(make(NodeKind::Seq(Vec::new()), anchor, tag), Vec::new()));
                None
            }
            Event::MappingStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(depth_error(index.span(start, start)));
                }
                let tag = tag_text(&tag);
                stack.push(Frame::Map(make(NodeKind::Map(Vec::new()), anchor, tag), Vec::new(), None));
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(mut node, items)) => {
                    node.bytes.1 = end.max(node.bytes.0);
                    node.span = Span { end_line: node_span.end_line.max(node.span.line), end_col: node_span.end_col, ..node.span };
                    node.kind = NodeKind::Seq(items);
                    Some(node)
                }
                _ => None,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(mut node, entries, _)) => {
                    node.bytes.1 = end.max(node.bytes.0);
                    node.span = Span { end_line: node_span.end_line.max(node.span.line), end_col: node_span.end_col, ..node.span };
                    node.kind = NodeKind::Map(entries);
                    Some(node)
                }
                _ => None,
            },
        };
        let Some(node) = finished else { continue };
        match stack.last_mut() {
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                Some(key) => entries.push((key, node)),
                None => *pending = Some(node),
            },
            None => {
                if in_doc || root.is_none() {
                    root = Some(node);
                }
            }
        }
    }
    Ok(root)
}

fn depth_error(span: Span) -> ParseError {
    ParseError { message: format!("nesting deeper than {MAX_DEPTH} levels"), span }
}

/// Walk every node under `node` (including it), depth first, calling `f` with each node and
/// its key path depth. Iterative, so deep trees cannot exhaust the stack.
pub fn walk<'n>(node: &'n Node, mut f: impl FnMut(&'n Node)) {
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        f(n);
        match &n.kind {
            NodeKind::Seq(items) => todo.extend(items.iter().rev()),
            NodeKind::Map(entries) => {
                for (k, v) in entries.iter().rev() {
                    todo.push(v);
                    todo.push(k);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let doc = parse("a:\n  b: [1, 'x']\n").expect("parses").expect("a document");
        let b = doc.get("a").and_then(|a| a.get("b")).expect("b");
        assert_eq!((b.span.line, b.span.col), (2, 6));
        let items = b.as_seq().expect("seq");
        let (first, second) = (items.first().expect("1"), items.get(1).expect("x"));
        assert_eq!(second.scalar_type(), Some(ScalarType::Str));
        assert_eq!(first.scalar_type(), Some(ScalarType::Int));
        assert_eq!((second.span.line, second.span.col), (2, 10));
    }

    #[test]
    fn anchors_aliases_and_tags_are_visible() {
        let doc = parse("a: &x 1\nb: *x\nc: !!str 2\n").expect("parses").expect("doc");
        assert!(doc.get("a").is_some_and(|n| n.anchored));
        assert_eq!(doc.get("b").map(|n| &n.kind), Some(&NodeKind::Alias));
        assert_eq!(doc.get("c").and_then(|n| n.tag.clone()).as_deref(), Some("tag:yaml.org,2002:str"));
    }

    /// The character/byte conversions as they were first written (linear in the column).
    fn naive_offset(text: &str, starts: &[usize], line: usize, col: usize) -> usize {
        let start = starts.get(line.saturating_sub(1)).copied().unwrap_or(text.len());
        let rest = text.get(start..).unwrap_or("");
        rest.char_indices().nth(col).map_or(text.len(), |(i, _)| start + i)
    }

    #[test]
    fn line_index_conversions_match_a_character_walk() {
        for text in ["", "a", "ab\ncd\n", "é\nxé€y\n\n😀z", "a\r\nbé\r\n", "\n\n", "€€€\n€", "a\rbé\r\rc"] {
            let idx = LineIndex::new(text);
            let starts = idx.starts.clone();
            for line in 0..6 {
                for col in 0..10 {
                    assert_eq!(idx.offset(line, col), naive_offset(text, &starts, line, col), "{text:?} {line}:{col}");
                }
            }
            for offset in 0..=text.len() + 2 {
                let line = starts.partition_point(|&s| s <= offset).max(1);
                let start = starts.get(line - 1).copied().unwrap_or(0);
                let col = text.get(start..offset).map_or(0, |s| s.chars().count());
                assert_eq!(idx.position(offset), (line as u32, col as u32 + 1), "{text:?} @{offset}");
            }
        }
    }

    /// Found by the `lint` fuzz target: every node of a pipeline written on one long line with a
    /// non-ASCII character cost a walk over the line, so a 56 KB one-line pipeline took 100 s.
    #[test]
    fn long_non_ascii_flow_line_is_indexed_without_rescanning_the_line() {
        let text = format!("steps: [{}]\n", vec!["{comand: é}"; 4000].join(", "));
        let idx = LineIndex::new(&text);
        assert!(idx.checkpoints.len() <= text.len() / CHECKPOINT + 1);
        let last = text.rfind("comand").expect("last key");
        let col = text.get(..last).map(|s| s.chars().count()).expect("prefix");
        assert_eq!(idx.position(last), (1, col as u32 + 1));
        assert_eq!(idx.offset(1, col), last);
        let doc = parse(&text).expect("parses").expect("a document");
        let steps = doc.get("steps").and_then(Node::as_seq).expect("steps");
        let key = steps.last().and_then(|s| match &s.kind {
            NodeKind::Map(entries) => entries.first().map(|(k, _)| k.span),
            _ => None,
        });
        assert_eq!(key.map(|s| (s.line, s.col)), Some((1, col as u32 + 1)));
    }

    /// Found by the `policy` fuzz target: a lone CR is a line break for the YAML parser but
    /// was not for the line index, so `\r iss:` gave a span ending before it started.
    #[test]
    fn lone_carriage_return_is_a_line_break_like_the_parser_says() {
        let idx = LineIndex::new("\r iss:\na\r\nb");
        assert_eq!(idx.starts, [0, 1, 7, 10]);
        assert_eq!(idx.line(2), " iss:");
        let doc = parse("\r iss:\n").expect("parses").expect("a mapping");
        let s = doc.span;
        assert_eq!((s.line, s.col), (2, 2));
        assert!((s.end_line, s.end_col) >= (s.line, s.col), "{s:?}");
    }

    /// Found by the `policy` fuzz target: the policy `--- ` (no line break) was reported at
    /// line 2 of a one-line text.
    #[test]
    fn empty_document_without_final_line_break_is_positioned_inside_the_text() {
        let doc = parse("--- ").expect("parses").expect("an empty scalar");
        assert_eq!((doc.span.line, doc.span.col), (1, 5));
        let doc = parse("a: [b,\n  c, ]").expect("parses").expect("a mapping");
        assert!(doc.span.line <= 2 && doc.span.end_line <= 2, "{:?}", doc.span);
    }

    #[test]
    fn errors_have_positions() {
        let err = parse("a: [1, 2\nb: c\n").expect_err("unterminated");
        assert!(err.span.line >= 1, "{err:?}");
        assert!(parse("").expect("empty ok").is_none());
    }

    #[test]
    fn deep_nesting_is_refused_not_followed() {
        let deep = "[".repeat(10_000);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn find_in_locates_substrings() {
        let text = "steps:\n  - command: |\n      echo hi\n      kaniko --cache true\n";
        let doc = parse(text).expect("ok").expect("doc");
        let idx = LineIndex::new(text);
        let cmd = doc.get("steps").and_then(|s| s.as_seq()).and_then(|s| s.first()).and_then(|s| s.get("command")).expect("cmd");
        let span = idx.find_in(cmd, "--cache");
        assert_eq!((span.line, span.col), (4, 14));
        assert_eq!(idx.line(4), "      kaniko --cache true");
    }

    #[test]
    fn plain_types() {
        assert_eq!(plain_scalar_type("~"), ScalarType::Null);
        assert_eq!(plain_scalar_type("-12"), ScalarType::Int);
        assert_eq!(plain_scalar_type("1.5e3"), ScalarType::Float);
        assert_eq!(plain_scalar_type("1.2.3"), ScalarType::Str);
        assert_eq!(plain_scalar_type("yes"), ScalarType::Str);
    }
}
