//! `kaniko-studio doctor CONFIG [--write DIR]`: the doctor step (`.buildkite/doctor.yml`) and
//! the script it runs, for a build configuration. Printed with `==> path <==` headers, or
//! written under DIR (the script with mode 755).
//!
//! The doctor runs in the user's own pipeline; this command only writes it. Nothing is written
//! while the configuration has an error (exit 1, diagnostics on standard error).

use std::path::PathBuf;

use kaniko_studio_core::config_file::locate_diagnostics;
use kaniko_studio_core::generate::doctor;

use crate::generate::{print_all, write_all};
use crate::validate::{load, read_input};
use crate::{Format, exit, render};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The configuration file (`.yaml`, `.yml` or `.json`; `-` reads standard input).
    config: PathBuf,
    /// Write the step and the script under this directory (usually the repository root).
    #[arg(long, value_name = "DIR")]
    write: Option<PathBuf>,
    /// With `--write`, also replace existing files that Kaniko Studio did not write.
    #[arg(long)]
    force: bool,
    /// How findings (and, with `json`, the two files) are printed.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: &Args) -> u8 {
    let (name, text) = match read_input(&args.config) {
        Ok(input) => input,
        Err(message) => return crate::usage_error(args.format, &message),
    };
    let config = match load(&name, &text) {
        Ok(config) => config,
        Err(diags) if args.format == Format::Json => {
            println!("{:#}", serde_json::json!({ "file": name, "artifacts": [], "diagnostics": diags }));
            return exit::FINDINGS;
        }
        Err(diags) => {
            render::print_file_diagnostics(&mut std::io::stderr(), args.format, &name, &text, &diags);
            return exit::FINDINGS;
        }
    };
    let (artifacts, diags) = doctor(&config);
    let diags = locate_diagnostics(&text, diags);
    if args.format == Format::Json {
        let doc = serde_json::json!({ "file": name, "artifacts": artifacts.files, "diagnostics": diags });
        println!("{doc:#}");
    } else if !diags.is_empty() {
        render::print_file_diagnostics(&mut std::io::stderr(), args.format, &name, &text, &diags);
    }
    if artifacts.is_empty() {
        return exit::FINDINGS;
    }
    match &args.write {
        Some(dir) => {
            if let Err(message) = write_all(dir, &artifacts, args.force) {
                return crate::usage_error(args.format, &message);
            }
            if args.format != Format::Json {
                for a in &artifacts.files {
                    println!("wrote {}  ({})", dir.join(&a.path).display(), a.purpose);
                }
            }
        }
        None if args.format == Format::Json => {}
        None => print_all(&artifacts),
    }
    exit::CLEAN
}
