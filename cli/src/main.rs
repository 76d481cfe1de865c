//! `kaniko-studio`: the command-line front end. This crate is the only one that touches
//! files, standard streams and exit codes; everything else is in `kaniko-studio-core`.

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod audience;
mod diagnose;
mod doctor;
mod generate;
mod init;
mod lint;
mod policy;
mod render;
mod rules;
mod token;
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
    /// Explain the errors in a Kaniko build log (file or stdin).
    Diagnose(diagnose::Args),
    /// Decode an OIDC token and check its audience, issuer, expiry and lifetime.
    Token(token::Args),
    /// Check a Package Registries OIDC policy; with claims or a token, show which statement matches.
    Policy(policy::Args),
    /// Lint pipeline files and the scripts they run for Kaniko, OIDC and schema mistakes.
    Lint(lint::Args),
    /// Print the reference of every rule (Markdown, as in docs/rules.md, or JSON).
    Rules(rules::Args),
    /// Check a build configuration file (YAML or JSON) and explain every problem.
    Validate(validate::Args),
    /// Print (or write with --out) a commented example build configuration.
    Init(init::Args),
    /// Generate the pipeline step, scripts, config.json, OIDC policy, secrets and set-up
    /// checklist for a build configuration (printed, or written under --out DIR).
    Generate(generate::Args),
    /// Print (or write with --write DIR) the doctor step and script: run in your pipeline, it
    /// checks token, exchange, TLS, login and push permission and names the first failure.
    Doctor(doctor::Args),
}

/// Exit codes: 0 clean, 1 an error-severity finding, 2 usage or unreadable input.
pub mod exit {
    pub const CLEAN: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const USAGE: u8 = 2;
}

/// Input that cannot be read or used: `error: …` on standard error, or with `--format json` a
/// JSON document `{"error": "…"}` on standard output, where a script reads. Exit code 2.
pub fn usage_error(format: Format, message: &str) -> u8 {
    if format == Format::Json {
        println!("{:#}", serde_json::json!({ "error": message }));
    } else {
        eprintln!("error: {message}");
    }
    exit::USAGE
}

/// When the reader of standard output goes away (`kaniko-studio rules | head`), end quietly
/// as other command-line tools do, instead of reporting a panic from `println!`.
fn quiet_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let text = payload.downcast_ref::<String>().map(String::as_str).or_else(|| payload.downcast_ref::<&str>().copied()).unwrap_or_default();
        if text.contains("failed printing to stdout") && text.contains("Broken pipe") {
            // 128 + SIGPIPE, what a shell reports for a tool the signal stopped.
            std::process::exit(141);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_broken_pipe();
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
        Command::Diagnose(args) => diagnose::run(&args),
        Command::Token(args) => token::run(&args),
        Command::Policy(args) => policy::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Doctor(args) => doctor::run(&args),
    };
    ExitCode::from(code)
}
