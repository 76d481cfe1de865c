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
