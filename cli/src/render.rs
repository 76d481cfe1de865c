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
    s.push_str(&format!(": {}\n  fix: {}\n  docs: {}", d.message, d.fix, d.docs));
    s
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
            for d in diags {
                let field = d.field.as_deref().map(|f| format!(" `{f}`")).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "- **{} {}**{field}: {}<br>Fix: {} ([docs]({}))",
                    d.severity.as_str(),
                    d.id,
                    d.message,
                    d.fix,
                    d.docs
                );
            }
        }
        crate::Format::Text => {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            for d in diags {
                let location = match d.span {
                    Some(s) if s.line > 0 => format!("{file}:{}:{}", s.line, s.col),
                    _ => file.to_string(),
                };
                let block = format_diagnostic(d, Some(&location), colour);
                let (head, rest) = block.split_once('\n').unwrap_or((block.as_str(), ""));
                let _ = writeln!(out, "{head}");
                if let Some(s) = d.span
                    && let Some(line) = text.lines().nth(s.line.saturating_sub(1) as usize)
                {
                    let caret_at = (s.col.max(1) - 1) as usize;
                    let pad: String = line.chars().take(caret_at).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
                    let _ = writeln!(out, "  | {line}\n  | {pad}^");
                }
                if !rest.is_empty() {
                    let _ = writeln!(out, "{rest}");
                }
            }
        }
    }
}
