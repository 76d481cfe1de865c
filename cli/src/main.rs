//! `kaniko-studio`: the command-line front end. This crate is the only one that touches
//! files, standard streams and exit codes; everything else is in `kaniko-studio-core`.

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod audience;
mod generate;
mod init;
mod render;
mod validate;

/// Build container images with Kaniko on Buildkite, without `Invalid 'aud' claim`, 401 or 403.
#[derive(Debug, Parser)]
#[command(name = "kaniko-studio", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// `file:line:col: error[KS012]: message`, with the fix.
    #[default]
    Text,
    /// One JSON document, for scripts.
    Json,
    /// Markdown for `buildkite-agent annotate`.
    Annotation,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the OIDC audience for a Buildkite Package Registries registry.
    Audience(audience::Args),
    /// Check a build configuration file (YAML or JSON) and explain every problem.
    Validate(validate::Args),
    /// Print (or write with --out) a commented example build configuration.
    Init(init::Args),
    /// Generate the pipeline step, scripts, config.json, OIDC policy, secrets and set-up
    /// checklist for a build configuration (printed, or written under --out DIR).
    Generate(generate::Args),
}

/// Exit codes: 0 clean, 1 an error-severity finding, 2 usage or unreadable input.
pub mod exit {
    pub const CLEAN: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const USAGE: u8 = 2;
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { exit::USAGE } else { exit::CLEAN };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Audience(args) => audience::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Generate(args) => generate::run(&args),
    };
    ExitCode::from(code)
}
