//! `kaniko-studio lint FILE...`: check pipelines and the hook and step scripts they run.

use kaniko_studio_core::lint::{LintFinding, SourceFile, lint};

use crate::{Format, exit, render};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Pipeline files (`.yml`, `.yaml`, `.json`) and the hook or step scripts they run,
    /// linted together (`-` reads a pipeline from standard input).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: &Args) -> u8 {
    let mut texts = Vec::new();
    for path in &args.files {
        match render::read_input(path) {
            Ok(text) => texts.push((if path == "-" { "<stdin>.yml".to_string() } else { path.clone() }, text)),
            Err(e) => return crate::usage_error(args.format, &e),
        }
    }
    let files: Vec<SourceFile<'_>> = texts.iter().map(|(path, text)| SourceFile { path, text }).collect();
    let findings = lint(&files);
    print_findings(&findings, args.format, |path| texts.iter().find(|(p, _)| p == path).map(|(_, t)| t.as_str()), files.len());
    if findings.iter().any(|f| f.diagnostic.is_error()) { exit::FINDINGS } else { exit::CLEAN }
}

fn print_findings<'a>(findings: &[LintFinding], format: Format, source: impl Fn(&str) -> Option<&'a str>, file_count: usize) {
    match format {
        Format::Json => {
            let errors = findings.iter().filter(|f| f.diagnostic.is_error()).count();
            let doc = serde_json::json!({
                "findings": findings,
                "summary": { "files": file_count, "errors": errors, "findings": findings.len() },
            });
            println!("{doc:#}");
        }
        Format::Annotation => {
            let pairs: Vec<(&str, &kaniko_studio_core::Diagnostic)> = findings.iter().map(|f| (f.path.as_str(), &f.diagnostic)).collect();
            print!("{}", render::annotation("Kaniko Studio lint", &pairs));
        }
        Format::Text => {
            let colour = render::stdout_colour();
            for f in findings {
                println!("{}", render::format_located(&f.diagnostic, &f.path, source(&f.path), colour));
            }
            let errors = findings.iter().filter(|f| f.diagnostic.is_error()).count();
            let warnings = findings.iter().filter(|f| f.diagnostic.severity == kaniko_studio_core::Severity::Warning).count();
            let files = if file_count == 1 { "1 file".to_string() } else { format!("{file_count} files") };
            println!("{} in {files}.", render::counts(errors, warnings, findings.len() - errors - warnings));
        }
    }
}
