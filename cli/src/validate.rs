//! `kaniko-studio validate CONFIG`: load a build configuration (YAML or JSON) and report every
//! problem with its field and fix.

use std::io::Write;
use std::path::PathBuf;

use kaniko_studio_core::config::BuildConfig;
use kaniko_studio_core::config_file::{ConfigError, ConfigFormat, locate_diagnostics, parse_config_all};
use kaniko_studio_core::diagnostic::has_errors;
use kaniko_studio_core::validate::validate;
use kaniko_studio_core::{Diagnostic, Severity};

use crate::{Format, exit, render};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The configuration file (`.yaml`, `.yml` or `.json`; `-` reads standard input).
    config: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Read a config file argument (`-` for stdin): `(display name, text)`.
pub fn read_input(path: &std::path::Path) -> Result<(String, String), String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(("<stdin>".to_string(), text));
    }
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{name} is not UTF-8 text"))?;
    Ok((name, text))
}

/// Load and parse a configuration: the config, or the diagnostics that stopped it (every
/// misspelled field and wrong value at once, not only the first).
pub fn load(name: &str, text: &str) -> Result<BuildConfig, Vec<Diagnostic>> {
    let format = ConfigFormat::detect(Some(name), text);
    parse_config_all(text, format).map_err(|errors| errors.iter().map(ConfigError::to_diagnostic).collect())
}

pub fn run(args: &Args) -> u8 {
    let (name, text) = match read_input(&args.config) {
        Ok(input) => input,
        Err(message) => return crate::usage_error(args.format, &message),
    };
    let diags = match load(&name, &text) {
        // Point each finding at its field in the file, in file order.
        Ok(config) => locate_diagnostics(&text, validate(&config)),
        Err(diags) => diags,
    };
    let mut stdout = std::io::stdout();
    render::print_file_diagnostics(&mut stdout, args.format, &name, &text, &diags);
    if args.format == Format::Text {
        let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
        let counts = render::counts(count(Severity::Error), count(Severity::Warning), count(Severity::Info));
        // A closed pipe (`| head`) is not an error worth a panic.
        let _ = if diags.is_empty() { writeln!(stdout, "{name}: no problems found") } else { writeln!(stdout, "{name}: {counts}") };
    }
    if has_errors(&diags) { exit::FINDINGS } else { exit::CLEAN }
}
