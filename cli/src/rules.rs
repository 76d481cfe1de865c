//! `kaniko-studio rules`: the reference of every rule (the source of `docs/rules.md`).

use kaniko_studio_core::{rules, rules_doc};

use crate::exit;

/// How the rules are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum RulesFormat {
    /// The Markdown reference, identical to `docs/rules.md`.
    #[default]
    Markdown,
    /// A JSON array of rules.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: RulesFormat,
}

pub fn run(args: &Args) -> u8 {
    let all = rules::all();
    match args.format {
        RulesFormat::Markdown => print!("{}", rules_doc::markdown(&all)),
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = all
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "name": r.name, "severity": r.severity, "summary": r.summary,
                        "why": r.why, "example": r.example, "fix": r.fix, "docs": r.docs,
                    })
                })
                .collect();
            println!("{:#}", serde_json::Value::Array(list));
        }
    }
    exit::CLEAN
}
