//! `kaniko-studio diagnose [LOG|-]`: explain the errors in a build log.
//!
//! The log is read in fixed-size chunks and fed to the core's streaming diagnoser, so memory
//! stays bounded whatever the log's size.

use std::fmt::Write as _;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use kaniko_studio_core::Severity;
use kaniko_studio_core::diagnose::{DiagnoseContext, Diagnoser, Finding, LineRange, RegistryKind};

use crate::{Format, exit, render};

/// Explain the errors in a Kaniko build log (a file, or standard input).
///
/// Recognises Kaniko, registry, Buildkite agent, agent-stack-k8s, AWS STS, GCP and Azure
/// federation errors; prints each with the lines it matched, the likely causes in order and
/// the fix. Exit status: 0 nothing found at error severity, 1 errors found, 2 unreadable input.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The log file; `-` or nothing reads standard input.
    log: Option<PathBuf>,
    /// The image destination you push to (e.g. packages.buildkite.com/acme/images/app:1);
    /// fixes then name your own registry.
    #[arg(long, value_name = "REF")]
    destination: Option<String>,
    /// The audience your pipeline requests the OIDC token with.
    #[arg(long, value_name = "AUDIENCE")]
    audience: Option<String>,
    /// The token lifetime (seconds) your pipeline requests.
    #[arg(long, value_name = "SECONDS")]
    lifetime: Option<u32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: &Args) -> u8 {
    let ctx = DiagnoseContext {
        audience: args.audience.clone(),
        destination: args.destination.clone(),
        registry_kind: args.destination.as_deref().map(RegistryKind::from_host),
        token_lifetime: args.lifetime,
        ..DiagnoseContext::default()
    };
    let from_stdin = args.log.as_deref().is_none_or(|p| p.as_os_str() == "-");
    if from_stdin && std::io::stdin().is_terminal() {
        eprintln!("Reading the build log from standard input: paste it, then press Ctrl-D.");
    }
    let (name, reader): (String, Box<dyn Read>) = match args.log.as_deref() {
        None => ("<stdin>".into(), Box::new(std::io::stdin().lock())),
        Some(p) if p.as_os_str() == "-" => ("<stdin>".into(), Box::new(std::io::stdin().lock())),
        Some(p) => match std::fs::File::open(p) {
            Ok(f) => (p.display().to_string(), Box::new(f)),
            Err(e) => return crate::usage_error(args.format, &format!("cannot read {}: {e}", p.display())),
        },
    };
    let (findings, lines) = match diagnose_stream(reader, &ctx) {
        Ok(result) => result,
        Err(e) => return crate::usage_error(args.format, &format!("cannot read {name}: {e}")),
    };
    let text = match args.format {
        Format::Text => render_text(&name, lines, &findings, colour()),
        Format::Json => render_json(&name, lines, &findings),
        Format::Annotation => render_annotation(lines, &findings),
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    if findings.iter().any(|f| f.severity == Severity::Error) { exit::FINDINGS } else { exit::CLEAN }
}

/// Feed `reader` to the diagnoser in 64 KiB chunks.
fn diagnose_stream(mut reader: impl Read, ctx: &DiagnoseContext) -> std::io::Result<(Vec<Finding>, u32)> {
    let mut d = Diagnoser::new(ctx);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => d.feed(buf.get(..n).unwrap_or_default()),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    let lines = d.lines_seen();
    Ok((d.finish(), lines))
}

fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// `12` or `12-14`.
pub fn range_text(r: &LineRange) -> String {
    if r.start == r.end { r.start.to_string() } else { format!("{}-{}", r.start, r.end) }
}

fn severity_word(sev: Severity, colour: bool) -> String {
    let word = sev.as_str();
    if !colour {
        return word.to_string();
    }
    let code = match sev {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    };
    format!("\x1b[{code}m{word}\x1b[0m")
}

/// Remove control characters so log text cannot drive the terminal.
pub fn printable(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { '·' } else { c }).collect()
}

/// The number of lines read, for [`render::plural`].
fn line_count(lines: u32) -> usize {
    usize::try_from(lines).unwrap_or(usize::MAX)
}

/// The findings as text: `log:12-14: error[KS609]: message`, the matched line, causes, fix.
pub fn render_text(name: &str, lines: u32, findings: &[Finding], colour: bool) -> String {
    let mut s = String::new();
    for f in findings {
        let first = f.lines.first().map(range_text).unwrap_or_default();
        let _ = writeln!(s, "{name}:{first}: {}[{}]: {}", severity_word(f.severity, colour), f.id, f.message);
        if let Some(section) = &f.section {
            let _ = writeln!(s, "  in section: {}", printable(section));
        }
        let _ = writeln!(s, "  {first:>6} | {}", printable(&f.matched));
        let _ = writeln!(s, "  confidence: {}", f.confidence.as_str());
        let _ = writeln!(s, "  likely causes:");
        for (i, c) in f.causes.iter().enumerate() {
            let _ = writeln!(s, "    {}. {c}", i + 1);
        }
        let _ = writeln!(s, "  fix: {}", f.fix);
        if f.occurrences > 1 {
            let shown: Vec<String> = f.lines.iter().map(range_text).collect();
            let more = f.occurrences as usize - f.lines.len();
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            let _ = writeln!(s, "  seen {} times: lines {}{more}", f.occurrences, shown.join(", "));
        }
        let _ = writeln!(s, "  docs: {}", f.docs);
        s.push('\n');
    }
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = findings.iter().filter(|f| f.severity == Severity::Warning).count();
    if findings.is_empty() {
        let _ = writeln!(s, "{name}: no known Kaniko, registry or OIDC errors in {}.", render::plural(line_count(lines), "line"));
    } else {
        let _ = writeln!(s, "{name}: {} in {}.", render::counts(errors, warnings, 0), render::plural(line_count(lines), "line"));
    }
    s
}

fn render_json(name: &str, lines: u32, findings: &[Finding]) -> String {
    let doc = serde_json::json!({ "source": name, "lines": lines, "findings": findings });
    format!("{doc:#}\n")
}

/// Escape text for HTML and Markdown inline contexts.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("&#124;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// [`md_escape`] for Markdown text (not inside an HTML block): code spans are left as they
/// are, since Markdown shows their text literally and `&lt;` would appear as written. With an
/// odd number of backticks everything is escaped.
pub fn md_escape_text(s: &str) -> String {
    if s.matches('`').count() % 2 == 1 {
        return md_escape(s);
    }
    let mut out = String::with_capacity(s.len());
    for (i, part) in s.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.extend(part.chars().map(|c| if c.is_control() { ' ' } else { c }));
        } else {
            out.push_str(&md_escape(part));
        }
    }
    out
}

/// A fenced code block that the content cannot close.
pub fn md_fence(content: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in content.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}\n{}\n{fence}\n", printable(content))
}

/// Markdown for `buildkite-agent annotate`.
fn render_annotation(lines: u32, findings: &[Finding]) -> String {
    let mut s = String::new();
    if findings.is_empty() {
        let _ = writeln!(s, "#### Kaniko Studio: no known errors in the build log ({})", render::plural(line_count(lines), "line"));
        return s;
    }
    let _ = writeln!(s, "#### Kaniko Studio: {} found in the build log\n", render::plural(findings.len(), "problem"));
    for f in findings {
        let where_ = f.lines.iter().map(range_text).collect::<Vec<_>>().join(", ");
        let _ = writeln!(
            s,
            "<details>\n<summary><strong>{} {}</strong> (line {where_}, {} confidence): {}</summary>\n",
            f.severity.as_str(),
            f.id,
            f.confidence.as_str(),
            md_escape(&f.message)
        );
        s.push_str(&md_fence(&f.matched));
        let _ = writeln!(s, "\n**Likely causes**\n");
        for (i, c) in f.causes.iter().enumerate() {
            let _ = writeln!(s, "{}. {}", i + 1, md_escape_text(c));
        }
        let _ = writeln!(s, "\n**Fix:** {}\n\n[{} {}]({})\n</details>\n", md_escape_text(&f.fix), f.id, f.name, f.docs);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_cannot_be_closed_by_content() {
        assert_eq!(md_fence("a ``` b"), "````\na ``` b\n````\n");
        assert_eq!(md_escape("<script>|x"), "&lt;script&gt;&#124;x");
        // Code spans show their text as written; outside them HTML is escaped.
        assert_eq!(md_escape_text("create `<repo>/cache` <b>"), "create `<repo>/cache` &lt;b&gt;");
        assert_eq!(md_escape_text("odd ` <b>"), "odd ` &lt;b&gt;");
    }
}
