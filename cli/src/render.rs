//! Rendering diagnostics for a terminal.

use std::io::{IsTerminal, Write};

use kaniko_studio_core::Diagnostic;

/// Print diagnostics to standard error, one block each:
/// `error[KS003] org: message` then `  fix: …` and `  docs: …`.
pub fn eprint_diagnostics(diags: &[Diagnostic]) {
    let stderr = std::io::stderr();
    let colour = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = stderr.lock();
    for d in diags {
        let _ = writeln!(out, "{}", format_diagnostic(d, None, colour));
    }
}

/// One diagnostic as text. `location` is `file:line:col` when known.
pub fn format_diagnostic(d: &Diagnostic, location: Option<&str>, colour: bool) -> String {
    let sev = d.severity.as_str();
    let sev = if colour {
        let code = match d.severity {
            kaniko_studio_core::Severity::Error => "1;31",
            kaniko_studio_core::Severity::Warning => "1;33",
            kaniko_studio_core::Severity::Info => "1;36",
        };
        format!("\x1b[{code}m{sev}\x1b[0m")
    } else {
        sev.to_string()
    };
    let mut s = String::new();
    if let Some(loc) = location {
        s.push_str(loc);
        s.push_str(": ");
    }
    s.push_str(&format!("{sev}[{}]", d.id));
    if let Some(field) = &d.field {
        s.push_str(&format!(" {field}"));
    }
    s.push_str(&format!(": {}\n  fix: {}", d.message, d.fix));
    if !d.docs.is_empty() {
        s.push_str(&format!("\n  docs: {}", d.docs));
    }
    s
}

/// Whether standard output gets colours (a terminal, and `NO_COLOR` unset).
pub fn stdout_colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// A finding in a file, rendered like a compiler error:
///
/// ```text
/// pipeline.yml:3:5: error[KS302]: `comand` is not a step key; did you mean `command`?
///     3 |     comand: make
///       |     ^^^^^^
///   fix: Rename it to `command`.
///   docs: https://…
/// ```
///
/// `source` is the file's text; without it (or without a span) the excerpt is left out.
pub fn format_located(d: &Diagnostic, path: &str, source: Option<&str>, colour: bool) -> String {
    let location = match d.span {
        Some(s) => format!("{path}:{}:{}", s.line, s.col),
        None => path.to_string(),
    };
    let head = format_diagnostic(d, Some(&location), colour);
    let (first, rest) = head.split_once('\n').unwrap_or((&head, ""));
    let mut out = String::from(first);
    out.push('\n');
    if let (Some(span), Some(text)) = (d.span, source)
        && let Some(excerpt) = excerpt(text, span, colour)
    {
        out.push_str(&excerpt);
    }
    out.push_str(rest);
    out
}

/// The source line of `span` with a caret line under it, indented under a line-number
/// gutter. `None` when the line does not exist. What looks like a credential is shown as `*`s
/// of the same length (so the carets still line up): the excerpt goes to terminals and CI logs.
pub fn excerpt(text: &str, span: kaniko_studio_core::Span, colour: bool) -> Option<String> {
    const WIDTH: usize = 100;
    let raw = text.lines().nth((span.line as usize).checked_sub(1)?)?;
    let mut line = raw.to_string();
    for word in kaniko_studio_core::validate::secret_words(raw) {
        line = line.replace(word, &"*".repeat(word.chars().count()));
    }
    let chars: Vec<char> = line.chars().collect();
    let col = (span.col as usize).saturating_sub(1).min(chars.len());
    let width = if span.end_line == span.line && span.end_col >= span.col {
        (span.end_col - span.col + 1) as usize
    } else {
        1
    };
    // Long lines: show a window around the column.
    let start = if chars.len() > WIDTH && col > WIDTH / 2 { col - WIDTH / 2 } else { 0 };
    let end = (start + WIDTH).min(chars.len());
    let shown: String = chars.get(start..end).unwrap_or(&[]).iter().collect();
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < chars.len() { "…" } else { "" };
    // Keep tabs in the padding so the caret lines up with the text above it.
    let pad: String = chars
        .get(start..col)
        .unwrap_or(&[])
        .iter()
        .map(|c| if *c == '\t' { '\t' } else { ' ' })
        .collect();
    let carets = "^".repeat(width.clamp(1, end.saturating_sub(col).max(1)));
    let carets = if colour { format!("\x1b[1;31m{carets}\x1b[0m") } else { carets };
    let number = span.line.to_string();
    let gutter = " ".repeat(number.len());
    Some(format!(
        "  {number} | {prefix}{shown}{suffix}\n  {gutter} | {}{pad}{carets}\n",
        if prefix.is_empty() { "" } else { " " }
    ))
}

/// Findings as Markdown for `buildkite-agent annotate`: a heading with the counts, then one
/// entry per finding. User text outside code spans is escaped so it cannot inject HTML.
pub fn annotation(title: &str, findings: &[(&str, &Diagnostic)]) -> String {
    let errors = findings.iter().filter(|(_, d)| d.is_error()).count();
    let warnings = findings.iter().filter(|(_, d)| d.severity == kaniko_studio_core::Severity::Warning).count();
    let mut s = format!("### {} — {}\n\n", escape_markdown(title), counts(errors, warnings, findings.len() - errors - warnings));
    if findings.is_empty() {
        s.push_str("No problems found.\n");
        return s;
    }
    for (path, d) in findings {
        let icon = match d.severity {
            kaniko_studio_core::Severity::Error => "❌",
            kaniko_studio_core::Severity::Warning => "⚠️",
            kaniko_studio_core::Severity::Info => "ℹ️",
        };
        let location = match d.span {
            Some(sp) => format!("{path}:{}:{}", sp.line, sp.col),
            None => path.to_string(),
        };
        let id = if d.docs.is_empty() { d.id.to_string() } else { format!("[{}]({})", d.id, d.docs) };
        s.push_str(&format!(
            "- {icon} **{}** {id} `{}`: {}<br>**Fix:** {}\n",
            d.severity.as_str(),
            location.replace('`', "'"),
            escape_markdown(&d.message),
            escape_markdown(&d.fix)
        ));
    }
    s
}

/// "1 error", "2 errors", "0 warnings": a count and its noun, in the plural unless it is 1.
pub fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// "2 errors, 1 warning".
pub fn counts(errors: usize, warnings: usize, infos: usize) -> String {
    let mut parts = vec![plural(errors, "error"), plural(warnings, "warning")];
    if infos > 0 {
        parts.push(plural(infos, "note"));
    }
    parts.join(", ")
}

/// Escape `<`, `>` and `&` outside backtick code spans, and newlines as `<br>`.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '\n' => out.push_str("<br>"),
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            '&' if !in_code => out.push_str("&amp;"),
            '|' if !in_code => out.push_str("\\|"),
            _ => out.push(c),
        }
    }
    out
}

/// Read a file argument; `-` is standard input.
///
/// # Errors
/// A message naming the file and the reason.
pub fn read_input(path: &str) -> Result<String, String> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map_err(|e| format!("cannot read standard input: {e}"))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {e}"))?
    };
    // A pipeline, script, policy or configuration is text: a NUL byte means another kind of
    // file was given (an image, an archive, a binary).
    if bytes.contains(&0) {
        let name = if path == "-" { "standard input" } else { path };
        return Err(format!("`{name}` is not a text file (it has NUL bytes); give the pipeline, script, policy or configuration file itself"));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Print the diagnostics for one file in `format`. Text: one block per diagnostic,
/// `file:line:col: error[KS101] field: message` when the position is known (then the source
/// line and a caret), `file: error[KS110] field: message` otherwise, then the fix and docs.
pub fn print_file_diagnostics(
    out: &mut dyn Write,
    format: crate::Format,
    file: &str,
    text: &str,
    diags: &[Diagnostic],
) {
    match format {
        crate::Format::Json => {
            let doc = serde_json::json!({ "file": file, "diagnostics": diags });
            let _ = writeln!(out, "{doc:#}");
        }
        crate::Format::Annotation => {
            let findings: Vec<(&str, &Diagnostic)> = diags.iter().map(|d| (file, d)).collect();
            let _ = write!(out, "{}", annotation(file, &findings));
        }
        crate::Format::Text => {
            let colour = stdout_colour();
            for d in diags {
                let _ = writeln!(out, "{}", format_located(d, file, Some(text), colour));
            }
        }
    }
}
