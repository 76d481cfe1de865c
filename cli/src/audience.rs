//! `kaniko-studio audience ORG REGISTRY`

use kaniko_studio_core::{AudienceInput, package_registry_audience};

use crate::{Format, exit, render};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The organization slug (the end of https://buildkite.com/ORG).
    org: String,
    /// The registry slug (kebab-case registry name).
    registry: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: &Args) -> u8 {
    let (audience, diags) = package_registry_audience(AudienceInput { org: &args.org, registry: &args.registry });
    match args.format {
        Format::Json => {
            let doc = serde_json::json!({ "audience": audience, "diagnostics": diags });
            println!("{doc:#}");
        }
        Format::Text | Format::Annotation => {
            if let Some(aud) = &audience {
                println!("{}", aud.url);
            }
            render::eprint_diagnostics(&diags);
        }
    }
    if audience.is_some() { exit::CLEAN } else { exit::FINDINGS }
}
