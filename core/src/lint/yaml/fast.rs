//! A fast path for the common subset of block YAML that pipelines are written in: block
//! mappings and sequences, plain and one-line quoted scalars, `|`/`>` block scalars,
//! comments, and one-line flow collections of scalars. It builds exactly the tree that the
//! saphyr path in [`super::parse`] builds (values, styles and positions), and gives up —
//! returning `None`, so the caller falls back to saphyr — on anything else: anchors, aliases,
//! tags, directives, document markers, complex keys, tabs, carriage returns, non-ASCII text,
//! multi-line plain or quoted scalars, unusual escapes, odd indentation, and every syntax
//! error. `tests/tests/yaml_fast_path.rs` checks it against saphyr on generated documents
//! and on every YAML file in the repository.

use crate::diagnostic::Span;

use super::{Node, NodeKind, Style};

/// Collections nested deeper than this are left to the saphyr path (which reports
/// [`super::MAX_DEPTH`]).
const MAX_FAST_DEPTH: usize = 64;
/// Longer keys are left to saphyr (YAML limits implicit keys to 1024 characters).
const MAX_KEY_LEN: usize = 1000;

/// A parser position, as saphyr's markers give it: byte index (the text is ASCII, so it is
/// also the character index), 1-based line and 0-based column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    index: usize,
    line: usize,
    col: usize,
}

/// Parse `text` when it is entirely in the subset; `None` otherwise.
pub fn parse(text: &str) -> Option<Node> {
    let bytes = text.as_bytes();
    if bytes.last().is_none_or(|&b| b != b'\n') || bytes.iter().any(|&b| !(b == b'\n' || (b' '..=b'~').contains(&b))) {
        return None;
    }
    let mut starts = Vec::with_capacity(bytes.len() / 24 + 1);
    starts.push(0);
    starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
    // The last start is the empty "line" after the final newline.
    starts.pop();
    let p = Fast { b: bytes, starts };
    for l in 0..p.starts.len() {
        let line = p.line(l);
        if line.starts_with(b"---") || line.starts_with(b"...") || line.first() == Some(&b'%') {
            return None;
        }
    }
    let (l, c) = p.next_token(0)?;
    if !(p.is_dash(l, c) || p.key_end(l, c).is_some()) {
        return None;
    }
    let (node, after) = p.block_node(l, c, -1, 0)?;
    // The whole document must have been read.
    if after.is_some() {
        return None;
    }
    Some(node)
}

struct Fast<'a> {
    b: &'a [u8],
    /// Byte offset of each line's start.
    starts: Vec<usize>,
}

/// After a node: the next token's line and column, or `None` at the end of the text.
type Next = Option<(usize, usize)>;

impl<'a> Fast<'a> {
    fn lines(&self) -> usize {
        self.starts.len()
    }

    /// Line `l` without its newline.
    fn line(&self, l: usize) -> &'a [u8] {
        let start = self.starts.get(l).copied().unwrap_or(self.b.len());
        // Every line ends with a newline (the text does).
        let end = self.starts.get(l + 1).copied().unwrap_or(self.b.len()).saturating_sub(1);
        self.b.get(start..end.max(start)).unwrap_or(&[])
    }

    /// The byte at line `l`, column `c`; `\n` past the end of the line.
    fn at(&self, l: usize, c: usize) -> u8 {
        self.line(l).get(c).copied().unwrap_or(b'\n')
    }

    fn mark(&self, l: usize, c: usize) -> Mark {
        let start = self.starts.get(l).copied().unwrap_or(self.b.len());
        Mark { index: start + c, line: l + 1, col: c }
    }

    /// Where saphyr puts the end of the stream (the text ends with a newline).
    fn eof(&self) -> Mark {
        Mark { index: self.b.len(), line: self.lines() + 1, col: 0 }
    }

    fn next_mark(&self, next: Next) -> Mark {
        next.map_or_else(|| self.eof(), |(l, c)| self.mark(l, c))
    }

    fn indent(&self, l: usize) -> usize {
        self.line(l).iter().take_while(|&&b| b == b' ').count()
    }

    /// The first token at or after line `l` (skipping blank and comment lines).
    fn next_token(&self, from: usize) -> Next {
        (from..self.lines()).find_map(|l| {
            let i = self.indent(l);
            match self.line(l).get(i) {
                None | Some(b'#') => None,
                Some(_) => Some((l, i)),
            }
        })
    }

    /// After a token that ended at column `c` of line `l`, the rest of the line must be
    /// spaces and perhaps a comment (after at least one space); then the next token.
    fn after_token(&self, l: usize, c: usize) -> Option<Next> {
        let line = self.line(l);
        let rest = line.get(c..).unwrap_or(&[]);
        let spaces = rest.iter().take_while(|&&b| b == b' ').count();
        match rest.get(spaces) {
            None => {}
            Some(b'#') if spaces > 0 || c == 0 => {}
            Some(_) => return None,
        }
        Some(self.next_token(l + 1))
    }

    /// `-` followed by a space or the end of the line.
    fn is_dash(&self, l: usize, c: usize) -> bool {
        self.at(l, c) == b'-' && matches!(self.at(l, c + 1), b' ' | b'\n')
    }

    /// Whether a plain scalar may start with this byte (in block context; flow context
    /// also refuses the flow indicators).
    fn plain_start(&self, l: usize, c: usize) -> bool {
        let b = self.at(l, c);
        !matches!(b, b'\n' | b' ' | b'-' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`')
            || (b == b'-' && !matches!(self.at(l, c + 1), b' ' | b'\n'))
    }

    /// If a block mapping key starts at (l, c): the column of its `:`.
    fn key_end(&self, l: usize, c: usize) -> Option<usize> {
        let line = self.line(l);
        match self.at(l, c) {
            q @ (b'"' | b'\'') => {
                let (_, end) = self.quoted(l, c, q)?;
                (self.at(l, end) == b':' && matches!(self.at(l, end + 1), b' ' | b'\n') && end - c <= MAX_KEY_LEN).then_some(end)
            }
            _ if self.plain_start(l, c) => {
                let mut i = c;
                while let Some(&b) = line.get(i) {
                    if b == b':' && matches!(line.get(i + 1), None | Some(b' ')) {
                        let ok = i > c && i.checked_sub(1).and_then(|j| line.get(j)) != Some(&b' ') && i - c <= MAX_KEY_LEN;
                        return ok.then_some(i);
                    }
                    if b == b'#' && i.checked_sub(1).and_then(|j| line.get(j)) == Some(&b' ') {
                        return None;
                    }
                    i += 1;
                }
                None
            }
            _ => None,
        }
    }

    /// A one-line quoted scalar opening at (l, c): its value and the column after the
    /// closing quote.
    fn quoted(&self, l: usize, c: usize, q: u8) -> Option<(String, usize)> {
        let line = self.line(l);
        let mut out = String::new();
        let mut i = c + 1;
        loop {
            let b = *line.get(i)?;
            match (q, b) {
                (b'\'', b'\'') if line.get(i + 1) == Some(&b'\'') => {
                    out.push('\'');
                    i += 2;
                }
                (b'"', b'\\') => {
                    let e = match line.get(i + 1)? {
                        b'\\' => '\\',
                        b'"' => '"',
                        b'/' => '/',
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'0' => '\0',
                        _ => return None,
                    };
                    out.push(e);
                    i += 2;
                }
                _ if b == q => return Some((out, i + 1)),
                _ => {
                    out.push(char::from(b));
                    i += 1;
                }
            }
        }
    }

    /// Where saphyr ends a quoted scalar or a flow collection that closes just before column
    /// `c`: after the spaces that follow, and after a comment that follows them.
    fn token_end(&self, l: usize, c: usize) -> usize {
        let e = self.skip_spaces(l, c);
        if e > c && self.at(l, e) == b'#' { self.line(l).len() } else { e }
    }

    /// The column after the spaces at or after column `c`.
    fn skip_spaces(&self, l: usize, c: usize) -> usize {
        c + self.line(l).get(c..).map_or(0, |r| r.iter().take_while(|&&b| b == b' ').count())
    }

    /// A node starting at (l, c) in block context, inside a collection at column `parent`.
    fn block_node(&self, l: usize, c: usize, parent: isize, depth: usize) -> Option<(Node, Next)> {
        if depth > MAX_FAST_DEPTH {
            return None;
        }
        if self.is_dash(l, c) {
            return self.block_seq(l, c, None, depth + 1);
        }
        if let Some(colon) = self.key_end(l, c) {
            return self.block_map(l, c, colon, depth + 1);
        }
        self.inline_value(l, c, parent, depth)
    }

    /// A block mapping whose first key is at (l, c), with its `:` at column `colon`.
    fn block_map(&self, l: usize, c: usize, colon: usize, depth: usize) -> Option<(Node, Next)> {
        let start = self.mark(l, c);
        let mut entries = Vec::new();
        let (mut l, mut kc, mut colon) = (l, c, colon);
        let next = loop {
            let key = match self.at(l, kc) {
                q @ (b'"' | b'\'') => {
                    let (value, end) = self.quoted(l, kc, q)?;
                    let style = Style::Quoted;
                    scalar(value, style, self.mark(l, kc), self.mark(l, end))
                }
                _ => {
                    let text = self.line(l).get(kc..colon)?;
                    scalar(ascii(text).to_owned(), Style::Plain, self.mark(l, kc), self.mark(l, colon))
                }
            };
            let (value, next) = self.map_value(l, colon, c, depth)?;
            entries.push((key, value));
            match next {
                Some((nl, nc)) if nc == c => {
                    if self.is_dash(nl, nc) {
                        return None;
                    }
                    colon = self.key_end(nl, nc)?;
                    (l, kc) = (nl, nc);
                }
                Some((_, nc)) if nc > c => return None,
                other => break other,
            }
        };
        Some((collection(NodeKind::Map(entries), start, start, self.next_mark(next), self.next_mark(next)), next))
    }

    /// The value after the `:` at (l, colon) of a key in a mapping at column `c`.
    fn map_value(&self, l: usize, colon: usize, c: usize, depth: usize) -> Option<(Node, Next)> {
        let vc = self.skip_spaces(l, colon + 1);
        let here = self.at(l, vc);
        if here != b'\n' && !(here == b'#' && vc > colon + 1) {
            if self.is_dash(l, vc) || self.key_end(l, vc).is_some() {
                return None;
            }
            return self.inline_value(l, vc, isize::try_from(c).ok()?, depth);
        }
        let next = self.next_token(l + 1);
        let empty = || scalar(String::new(), Style::Plain, self.mark(l, colon), self.mark(l, colon));
        match next {
            Some((nl, nc)) if nc > c => self.block_node(nl, nc, isize::try_from(c).ok()?, depth),
            Some((nl, nc)) if nc == c && self.is_dash(nl, nc) => self.block_seq(nl, nc, Some(()), depth + 1),
            _ => Some((empty(), next)),
        }
    }

    /// A block sequence whose first `-` is at (l, c); `indentless` when it sits at its
    /// mapping's column (`key:\n- item`).
    fn block_seq(&self, l: usize, c: usize, indentless: Option<()>, depth: usize) -> Option<(Node, Next)> {
        if depth > MAX_FAST_DEPTH {
            return None;
        }
        let mut items = Vec::new();
        let mut start = self.mark(l, c);
        let mut l = l;
        let next = loop {
            let ic = self.skip_spaces(l, c + 1);
            let (item, next) = if matches!(self.at(l, ic), b'\n' | b'#') {
                match self.next_token(l + 1) {
                    // (An indentless sequence whose first item starts on the next line is
                    // left to saphyr, which starts it at the end of the `-` line.)
                    Some((nl, nc)) if nc > c && !(items.is_empty() && indentless.is_some()) => self.block_node(nl, nc, isize::try_from(c).ok()?, depth)?,
                    _ => return None,
                }
            } else {
                if items.is_empty() && indentless.is_some() {
                    start = self.mark(l, ic);
                }
                self.block_node(l, ic, isize::try_from(c).ok()?, depth)?
            };
            items.push(item);
            match next {
                Some((nl, nc)) if nc == c => {
                    if self.is_dash(nl, nc) {
                        l = nl;
                    } else if indentless.is_some() {
                        break next;
                    } else {
                        return None;
                    }
                }
                Some((_, nc)) if nc > c => return None,
                other => break other,
            }
        };
        Some((collection(NodeKind::Seq(items), start, start, self.next_mark(next), self.next_mark(next)), next))
    }

    /// A value that starts on this line: a block scalar, a flow collection, a quoted or a
    /// plain scalar; `parent` is the column of the collection it is in.
    fn inline_value(&self, l: usize, c: usize, parent: isize, depth: usize) -> Option<(Node, Next)> {
        match self.at(l, c) {
            b'|' | b'>' => self.block_scalar(l, c, parent),
            b'[' | b'{' => {
                let (node, end) = self.flow(l, c, depth + 1)?;
                let next = self.after_token(l, end)?;
                Some((node, next))
            }
            q @ (b'"' | b'\'') => {
                let (value, end) = self.quoted(l, c, q)?;
                let next = self.after_token(l, end)?;
                let e = self.token_end(l, end);
                Some((scalar(value, Style::Quoted, self.mark(l, c), self.mark(l, e)), next))
            }
            _ if self.plain_start(l, c) => {
                let line = self.line(l);
                let mut end = c;
                let mut i = c;
                while let Some(&b) = line.get(i) {
                    if b == b'#' && i.checked_sub(1).and_then(|j| line.get(j)) == Some(&b' ') {
                        break;
                    }
                    if b == b':' && matches!(line.get(i + 1), None | Some(b' ')) {
                        return None;
                    }
                    if b != b' ' {
                        end = i + 1;
                    }
                    i += 1;
                }
                let text = line.get(c..end)?;
                let next = self.next_token(l + 1);
                Some((scalar(ascii(text).to_owned(), Style::Plain, self.mark(l, c), self.mark(l, end)), next))
            }
            _ => None,
        }
    }

    /// A `|` or `>` block scalar whose header is at (l, c), in a collection at column
    /// `parent`.
    fn block_scalar(&self, l: usize, c: usize, parent: isize) -> Option<(Node, Next)> {
        let literal = self.at(l, c) == b'|';
        let mut hc = c + 1;
        let chomp = match self.at(l, hc) {
            b'-' => {
                hc += 1;
                Chomp::Strip
            }
            b'+' => {
                hc += 1;
                Chomp::Keep
            }
            _ => Chomp::Clip,
        };
        if !matches!(self.at(l, hc), b' ' | b'\n') {
            return None;
        }
        // The header line ends with spaces and perhaps a comment.
        self.after_token(l, hc)?;
        let first = l + 1;
        let indent = self.indent(first);
        if self.line(first).len() == indent || isize::try_from(indent).ok()? <= parent {
            // Leading empty lines or an empty scalar: leave to saphyr.
            return None;
        }
        let mut lines: Vec<&[u8]> = Vec::new();
        let mut l2 = first;
        while l2 < self.lines() {
            let line = self.line(l2);
            let ind = self.indent(l2);
            if ind == line.len() {
                if ind > indent {
                    return None;
                }
                lines.push(&[]);
            } else if ind >= indent {
                let content = line.get(indent..)?;
                if !literal && content.first() == Some(&b' ') {
                    return None;
                }
                lines.push(content);
            } else {
                break;
            }
            l2 += 1;
        }
        let end = if l2 < self.lines() { self.mark(l2, self.indent(l2)) } else { self.eof() };
        let last = lines.iter().rposition(|s| !s.is_empty())?;
        let trailing = lines.len() - last - 1;
        let mut value = String::new();
        let mut empties = 0;
        for (i, s) in lines.iter().take(last + 1).enumerate() {
            if s.is_empty() {
                empties += 1;
                if literal {
                    value.push('\n');
                }
                continue;
            }
            if i > 0 {
                if literal {
                    value.push('\n');
                } else if empties == 0 {
                    value.push(' ');
                } else {
                    value.extend(std::iter::repeat_n('\n', empties));
                }
            }
            empties = 0;
            value.push_str(ascii(s));
        }
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => value.push('\n'),
            Chomp::Keep => value.extend(std::iter::repeat_n('\n', trailing + 1)),
        }
        let start = self.mark(first, indent);
        Some((scalar(value, Style::Block, start, end), self.next_token(l2)))
    }

    /// A one-line flow collection opening at (l, c): the node and the column after it.
    fn flow(&self, l: usize, c: usize, depth: usize) -> Option<(Node, usize)> {
        if depth > MAX_FAST_DEPTH {
            return None;
        }
        let open = self.at(l, c);
        let close = if open == b'[' { b']' } else { b'}' };
        let start = self.mark(l, c);
        let mut i = self.skip_spaces(l, c + 1);
        let mut items = Vec::new();
        let mut entries = Vec::new();
        if self.at(l, i) != close {
            loop {
                if open == b'[' {
                    let (item, end) = self.flow_item(l, i, depth)?;
                    items.push(item);
                    i = end;
                } else {
                    let (key, end) = self.flow_scalar(l, i, true)?;
                    if self.at(l, end) != b':' || self.at(l, end + 1) != b' ' {
                        return None;
                    }
                    let vc = self.skip_spaces(l, end + 1);
                    let (value, end) = self.flow_item(l, vc, depth)?;
                    entries.push((key, value));
                    i = end;
                }
                i = self.skip_spaces(l, i);
                match self.at(l, i) {
                    b',' => {
                        i = self.skip_spaces(l, i + 1);
                        if matches!(self.at(l, i), b']' | b'}') {
                            return None;
                        }
                    }
                    b if b == close => break,
                    _ => return None,
                }
            }
        }
        let after = i + 1;
        let end_start = self.mark(l, i);
        let end_end = self.mark(l, self.token_end(l, after));
        let kind = if open == b'[' { NodeKind::Seq(items) } else { NodeKind::Map(entries) };
        Some((collection(kind, start, self.mark(l, c + 1), end_start, end_end), after))
    }

    /// A flow item: a nested flow collection or a scalar.
    fn flow_item(&self, l: usize, c: usize, depth: usize) -> Option<(Node, usize)> {
        match self.at(l, c) {
            b'[' | b'{' => self.flow(l, c, depth + 1),
            _ => self.flow_scalar(l, c, false),
        }
    }

    /// A quoted or plain scalar inside a flow collection, and the column after it (before
    /// any spaces for a plain scalar, after them for a quoted one).
    fn flow_scalar(&self, l: usize, c: usize, key: bool) -> Option<(Node, usize)> {
        match self.at(l, c) {
            q @ (b'"' | b'\'') => {
                let (value, end) = self.quoted(l, c, q)?;
                let e = self.token_end(l, end);
                Some((scalar(value, Style::Quoted, self.mark(l, c), self.mark(l, e)), end))
            }
            // In flow context `-` may not be followed by a flow indicator either.
            b'-' if matches!(self.at(l, c + 1), b',' | b'[' | b']' | b'{' | b'}') => None,
            _ if self.plain_start(l, c) => {
                let line = self.line(l);
                let mut end = c;
                let mut i = c;
                while let Some(&b) = line.get(i) {
                    match b {
                        b',' | b']' | b'}' => break,
                        b':' if key => break,
                        // saphyr refuses ` -]` and the like inside flow collections.
                        b'-' if matches!(line.get(i + 1), Some(b',' | b'[' | b']' | b'{' | b'}')) => return None,
                        b'[' | b'{' | b':' | b'#' => return None,
                        b' ' => {}
                        _ => end = i + 1,
                    }
                    i += 1;
                }
                let text = line.get(c..end)?;
                Some((scalar(ascii(text).to_owned(), Style::Plain, self.mark(l, c), self.mark(l, end)), end))
            }
            _ => None,
        }
    }
}

#[derive(Clone, Copy)]
enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// The text of ASCII bytes (the fast path only reads ASCII text).
fn ascii(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The span saphyr's path gives an event from its start and end markers.
fn span_of(s: Mark, e: Mark) -> Span {
    let line = to_u32(s.line);
    let col = to_u32(s.col + 1);
    if e.col > 0 && e.index > s.index {
        Span { line, col, end_line: to_u32(e.line), end_col: to_u32(e.col) }
    } else {
        Span::point(line, col)
    }
}

fn scalar(value: String, style: Style, s: Mark, e: Mark) -> Node {
    Node { kind: NodeKind::Scalar { value, style }, span: span_of(s, e), bytes: (s.index, e.index.max(s.index)), anchored: false, tag: None }
}

/// A collection from the markers of its start and end events, as the saphyr path builds it.
fn collection(kind: NodeKind, s: Mark, s_end: Mark, e: Mark, e_end: Mark) -> Node {
    let start = span_of(s, s_end);
    let end = span_of(e, e_end);
    Node {
        kind,
        span: Span { end_line: end.end_line.max(start.line), end_col: end.end_col, ..start },
        bytes: (s.index, e_end.index.max(s.index)),
        anchored: false,
        tag: None,
    }
}
