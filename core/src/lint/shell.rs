//! Just enough shell to find commands in pipeline `command`s, hooks and step scripts:
//! words with quotes removed, split into simple commands at `;`, `|`, `&`, newlines and
//! command substitutions (`$(…)`, backticks), with each word's byte range in the source.
//! It is not a shell parser: it never evaluates anything and never fails.

/// One word: its text with quotes removed, and its byte range in the snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// A simple command: its words in order. Redirections appear as words `>`/`>>`
/// followed by their target.
pub type SimpleCommand = Vec<Word>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Top,
    Double,
    Subst,
    Backtick,
}

/// Split `text` into simple commands.
pub fn commands(text: &str) -> Vec<SimpleCommand> {
    let mut out: Vec<SimpleCommand> = Vec::new();
    // One command under construction per nesting level of command substitution.
    let mut open: Vec<SimpleCommand> = vec![Vec::new()];
    let mut ctx: Vec<Ctx> = vec![Ctx::Top];
    let mut word: Option<Word> = None;
    let mut chars = text.char_indices().peekable();

    fn finish(word: &mut Option<Word>, open: &mut [SimpleCommand]) {
        if let Some(w) = word.take()
            && let Some(cmd) = open.last_mut()
        {
            cmd.push(w);
        }
    }
    fn end_command(open: &mut [SimpleCommand], out: &mut Vec<SimpleCommand>) {
        if let Some(cmd) = open.last_mut()
            && !cmd.is_empty()
        {
            out.push(std::mem::take(cmd));
        }
    }
    let push_char = |word: &mut Option<Word>, i: usize, c: char| {
        let w = word.get_or_insert_with(|| Word { text: String::new(), start: i, end: i });
        w.text.push(c);
        w.end = i + c.len_utf8();
    };

    while let Some((i, c)) = chars.next() {
        let here = ctx.last().copied().unwrap_or(Ctx::Top);
        match here {
            Ctx::Double => match c {
                '"' => {
                    ctx.pop();
                    if let Some(w) = word.as_mut() {
                        w.end = i + 1;
                    }
                }
                '\\' => {
                    if let Some(&(j, n)) = chars.peek() {
                        chars.next();
                        if !matches!(n, '"' | '\\' | '$' | '`' | '\n') {
                            push_char(&mut word, i, '\\');
                        }
                        if n != '\n' {
                            push_char(&mut word, j, n);
                        }
                    }
                }
                '$' if chars.peek().map(|p| p.1) == Some('(') => {
                    chars.next();
                    finish(&mut word, &mut open);
                    ctx.push(Ctx::Subst);
                    open.push(Vec::new());
                }
                '`' => {
                    finish(&mut word, &mut open);
                    ctx.push(Ctx::Backtick);
                    open.push(Vec::new());
                }
                _ => push_char(&mut word, i, c),
            },
            Ctx::Top | Ctx::Subst | Ctx::Backtick => match c {
                ' ' | '\t' | '\r' => finish(&mut word, &mut open),
                '\\' => match chars.peek().copied() {
                    Some((_, '\n')) => {
                        chars.next();
                        finish(&mut word, &mut open);
                    }
                    Some((j, n)) => {
                        chars.next();
                        push_char(&mut word, j, n);
                    }
                    None => {}
                },
                '\n' | ';' | '|' | '&' | '(' | '{' | '}' if c != '{' && c != '}' || word.is_none() => {
                    finish(&mut word, &mut open);
                    end_command(&mut open, &mut out);
                }
                ')' if here == Ctx::Subst => {
                    finish(&mut word, &mut open);
                    end_command(&mut open, &mut out);
                    open.pop();
                    ctx.pop();
                    if open.is_empty() {
                        open.push(Vec::new());
                    }
                }
                ')' => {
                    finish(&mut word, &mut open);
                    end_command(&mut open, &mut out);
                }
                '`' if here == Ctx::Backtick => {
                    finish(&mut word, &mut open);
                    end_command(&mut open, &mut out);
                    open.pop();
                    ctx.pop();
                    if open.is_empty() {
                        open.push(Vec::new());
                    }
                }
                '`' => {
                    finish(&mut word, &mut open);
                    ctx.push(Ctx::Backtick);
                    open.push(Vec::new());
                }
                '#' if word.is_none() => {
                    while let Some(&(_, n)) = chars.peek() {
                        if n == '\n' {
                            break;
                        }
                        chars.next();
                    }
                }
                '\'' => {
                    let w = word.get_or_insert_with(|| Word { text: String::new(), start: i, end: i });
                    w.end = i + 1;
                    for (j, n) in chars.by_ref() {
                        w.end = j + n.len_utf8();
                        if n == '\'' {
                            break;
                        }
                        w.text.push(n);
                    }
                }
                '"' => {
                    let w = word.get_or_insert_with(|| Word { text: String::new(), start: i, end: i });
                    w.end = i + 1;
                    ctx.push(Ctx::Double);
                }
                '$' if chars.peek().map(|p| p.1) == Some('(') => {
                    chars.next();
                    finish(&mut word, &mut open);
                    ctx.push(Ctx::Subst);
                    open.push(Vec::new());
                }
                '>' | '<' => {
                    finish(&mut word, &mut open);
                    let mut op = c.to_string();
                    if let Some(&(_, n)) = chars.peek()
                        && (n == '>' || n == '&')
                    {
                        op.push(n);
                        chars.next();
                    }
                    if let Some(cmd) = open.last_mut() {
                        cmd.push(Word { text: op, start: i, end: i + 1 });
                    }
                }
                _ => push_char(&mut word, i, c),
            },
        }
    }
    finish(&mut word, &mut open);
    while !open.is_empty() {
        end_command(&mut open, &mut out);
        open.pop();
    }
    out
}

/// The program a simple command runs and the index of its first argument, skipping
/// variable assignments and wrappers (`sudo`, `env`, `exec`, `time`, `command`).
pub fn program(cmd: &[Word]) -> Option<(usize, &str)> {
    let mut i = 0;
    while let Some(w) = cmd.get(i) {
        let t = w.text.as_str();
        let assignment = t.split_once('=').is_some_and(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if assignment || matches!(t, "sudo" | "env" | "exec" | "time" | "command" | "nohup") {
            i += 1;
            continue;
        }
        return Some((i, t.rsplit('/').next().unwrap_or(t)));
    }
    None
}

/// Every `$NAME` / `${NAME…}` reference that the upload-time interpolation would expand:
/// not escaped as `$$NAME` or `\$NAME`. Returns `(byte offset of '$', name, whole text)`.
pub fn interpolated_vars(text: &str) -> Vec<(usize, &str, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) != Some(&b'$') {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'$') {
            i += 2;
            continue;
        }
        let escaped = i > 0 && bytes.get(i - 1) == Some(&b'\\');
        let braced = bytes.get(i + 1) == Some(&b'{');
        let name_start = if braced { i + 2 } else { i + 1 };
        let mut j = name_start;
        while bytes.get(j).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
            j += 1;
        }
        let starts_ok = bytes.get(name_start).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
        if !escaped && j > name_start && starts_ok {
            let end = if braced { text.get(j..).and_then(|r| r.find('}')).map_or(j, |k| j + k + 1) } else { j };
            if let (Some(name), Some(whole)) = (text.get(name_start..j), text.get(i..end)) {
                out.push((i, name, whole));
            }
        }
        i = j.max(i + 1);
    }
    out
}

/// The names of the variables `text` assigns: `NAME=value` before a command or alone,
/// after `export`, `local`, `readonly` and `declare`, and `read NAME…` / `for NAME in`.
pub fn assigned_vars(text: &str) -> Vec<String> {
    let is_name = |n: &str| n.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let assignment = |w: &Word| w.text.split_once('=').map(|(n, _)| n.trim_end_matches('+')).filter(|n| is_name(n)).map(str::to_string);
    let mut out = Vec::new();
    for cmd in commands(text) {
        let mut words = cmd.iter().peekable();
        while let Some(w) = words.peek() {
            match assignment(w) {
                Some(name) => {
                    out.push(name);
                    words.next();
                }
                None => break,
            }
        }
        let Some(first) = words.next() else { continue };
        match first.text.as_str() {
            "export" | "local" | "readonly" | "declare" | "typeset" => out.extend(words.filter_map(assignment)),
            "read" => out.extend(words.filter(|w| !w.text.starts_with('-') && is_name(&w.text)).map(|w| w.text.clone())),
            "for" => out.extend(words.next().filter(|w| is_name(&w.text)).map(|w| w.text.clone())),
            _ => {}
        }
    }
    out
}

/// Every `$$` a shell would expand to its process id although a name, `{` or `(` follows it
/// (`$$TOKEN`, `$${TOKEN}`, `$$(cmd)`): pipeline.yml's escape for `$`, copied into a script.
/// Not inside single quotes, comments or the body of a here-document with a quoted
/// delimiter, and not after a backslash. Returns `(byte offset of the first '$', the text
/// from there to the end of the name)`.
pub fn pid_before_name(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_double = false;
    // Delimiters of here-documents opened on the current line, and whether each is quoted.
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'\'' if !in_double => {
                i += 1;
                while bytes.get(i).is_some_and(|c| *c != b'\'') {
                    i += 1;
                }
                i += 1;
            }
            b'"' => {
                in_double = !in_double;
                i += 1;
            }
            b'#' if !in_double && (i == 0 || bytes.get(i - 1).is_some_and(u8::is_ascii_whitespace)) => {
                while bytes.get(i).is_some_and(|c| *c != b'\n') {
                    i += 1;
                }
            }
            b'<' if !in_double && bytes.get(i + 1) == Some(&b'<') && bytes.get(i + 2) != Some(&b'<') => {
                i += 2;
                if bytes.get(i) == Some(&b'-') {
                    i += 1;
                }
                while bytes.get(i).is_some_and(|c| *c == b' ' || *c == b'\t') {
                    i += 1;
                }
                let start = i;
                while bytes.get(i).is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b';' | b'|' | b'&' | b')' | b'<' | b'>')) {
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or_default();
                let quoted = word.contains(['\'', '"', '\\']);
                let delim: String = word.chars().filter(|c| !matches!(c, '\'' | '"' | '\\')).collect();
                if !delim.is_empty() {
                    heredocs.push((delim, quoted));
                }
            }
            b'\n' => {
                i += 1;
                // Here-document bodies start on the next line, in the order they were opened.
                for (delim, quoted) in std::mem::take(&mut heredocs) {
                    loop {
                        let end = text.get(i..).and_then(|r| r.find('\n')).map_or(text.len(), |k| i + k);
                        let line = text.get(i..end).unwrap_or_default();
                        if line.trim_start_matches('\t') == delim || end >= text.len() {
                            i = (end + 1).min(text.len().max(end));
                            break;
                        }
                        if !quoted {
                            out.extend(pid_before_name_in(line, i));
                        }
                        i = end + 1;
                    }
                }
            }
            b'$' if bytes.get(i + 1) == Some(&b'$') => {
                if let Some(hit) = pid_before_name_at(text, i) {
                    out.push(hit);
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    out
}

/// `$$` followed by a name, `{` or `(` at `i` in `text`.
fn pid_before_name_at(text: &str, i: usize) -> Option<(usize, &str)> {
    let bytes = text.as_bytes();
    let next = *bytes.get(i + 2)?;
    if !(next.is_ascii_alphabetic() || matches!(next, b'_' | b'{' | b'(')) {
        return None;
    }
    let mut j = i + 3;
    let stop = match next {
        b'{' => Some(b'}'),
        b'(' => Some(b')'),
        _ => None,
    };
    while let Some(&c) = bytes.get(j) {
        match stop {
            Some(s) if c == s => {
                j += 1;
                break;
            }
            Some(_) if c == b'\n' || j - i > 60 => break,
            Some(_) => {}
            None if !(c.is_ascii_alphanumeric() || c == b'_') => break,
            None => {}
        }
        j += 1;
    }
    text.get(i..j).map(|t| (i, t))
}

/// [`pid_before_name_at`] for every `$$` of an unquoted here-document line starting at `base`.
fn pid_before_name_in(line: &str, base: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(pos) = line.get(k..).and_then(|r| r.find("$$")) {
        let at = k + pos;
        if !(at > 0 && line.as_bytes().get(at - 1) == Some(&b'\\'))
            && let Some((_, t)) = pid_before_name_at(line, at)
        {
            out.push((base + at, t));
        }
        k = at + 2;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assigned_variables() {
        let text = "TOKEN=\"$(buildkite-agent oidc request-token)\"\nexport AUTH=x CFG=/tmp\nA=1 B=2 make\nread -r LINE\nfor f in a b; do echo; done\necho X=1\n";
        assert_eq!(assigned_vars(text), ["TOKEN", "AUTH", "CFG", "A", "B", "LINE", "f"]);
    }

    fn texts(text: &str) -> Vec<Vec<String>> {
        commands(text).into_iter().map(|c| c.into_iter().map(|w| w.text).collect()).collect()
    }

    #[test]
    fn substitutions_and_quotes() {
        let got = texts(r#"TOKEN="$(buildkite-agent oidc request-token --audience "https://x/y" --lifetime 300)""#);
        assert!(got.contains(&vec!["buildkite-agent".into(), "oidc".into(), "request-token".into(), "--audience".into(), "https://x/y".into(), "--lifetime".into(), "300".into()]), "{got:?}");
    }

    #[test]
    fn continuations_pipes_and_comments() {
        let got = texts("docker run --rm \\\n  img --cache=true # comment\necho 'a b' | tee out > f");
        assert_eq!(got, vec![vec!["docker", "run", "--rm", "img", "--cache=true"], vec!["echo", "a b"], vec!["tee", "out", ">", "f"]]);
    }

    #[test]
    fn word_offsets_point_into_the_source() {
        let text = "x --destination=a/b";
        let cmds = commands(text);
        let w = cmds.first().and_then(|c| c.get(1)).cloned();
        assert_eq!(w.map(|w| (w.start, w.end)), Some((2, text.len())));
    }

    #[test]
    fn program_skips_assignments() {
        let cmds = commands("FOO=1 sudo /kaniko/executor --x");
        let c = cmds.first().cloned().unwrap_or_default();
        assert_eq!(program(&c), Some((2, "executor")));
    }

    #[test]
    fn process_id_before_a_name() {
        let text = "P=\"$$TOKEN\" $${A:-x} $$(date)\necho 'lit $$B' $$ $$.tmp \\$$C # $$D\ncat <<EOF\n$$E\nEOF\ncat <<'EOF'\n$$F\nEOF\necho $$G\n";
        let got: Vec<&str> = pid_before_name(text).into_iter().map(|(_, t)| t).collect();
        assert_eq!(got, ["$$TOKEN", "$${A:-x}", "$$(date)", "$$E", "$$G"]);
        for (at, t) in pid_before_name(text) {
            assert_eq!(text.get(at..at + t.len()), Some(t));
        }
        assert!(pid_before_name("tmp=/tmp/x.$$\nkill $$\n").is_empty());
    }

    #[test]
    fn variables() {
        let v: Vec<&str> = interpolated_vars("a $A ${B:-x} $$C \\$D ${E} $1 $").iter().map(|x| x.1).collect();
        assert_eq!(v, ["A", "B", "E"]);
    }
}
