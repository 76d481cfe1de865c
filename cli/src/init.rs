//! `kaniko-studio init`: print or write a commented example build configuration.

use std::path::PathBuf;

use kaniko_studio_core::config_file::{REGISTRY_KINDS, StackKind, example_config, example_yaml, parse_registry_kind};

use crate::exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The stack the step runs on: kubernetes or elastic.
    #[arg(long, default_value = "kubernetes")]
    stack: String,
    /// The registry: buildkite-packages, ecr, ecr-public, artifact-registry, gcr, docker-hub,
    /// ghcr, acr, quay, gitlab or self-hosted.
    #[arg(long, default_value = "buildkite-packages")]
    registry: String,
    /// Write to this file instead of standard output (`.json` writes JSON, without comments).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Overwrite `--out` if it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: &Args) -> u8 {
    let Some(stack) = StackKind::parse(&args.stack) else {
        eprintln!("error: unknown stack `{}`; expected kubernetes or elastic", args.stack);
        return exit::USAGE;
    };
    let Some(kind) = parse_registry_kind(&args.registry) else {
        let kinds: Vec<String> = REGISTRY_KINDS.iter().map(|k| k.replace('_', "-")).collect();
        eprintln!("error: unknown registry `{}`; expected one of {}", args.registry, kinds.join(", "));
        return exit::USAGE;
    };
    let json = args.out.as_ref().is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")));
    let text = if json {
        example_config(stack, kind).map(|c| c.to_json_string())
    } else {
        example_yaml(stack, kind)
    };
    let Some(text) = text else {
        eprintln!("error: no example for `{kind}`");
        return exit::USAGE;
    };
    let Some(path) = &args.out else {
        // A closed pipe (`| head`) is not an error worth a panic.
        let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
        return exit::CLEAN;
    };
    if path.is_dir() {
        eprintln!("error: {} is a directory; give the file to write, e.g. {}", path.display(), path.join("kaniko-studio.yaml").display());
        return exit::USAGE;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if args.force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let written = options.open(path).and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
    match written {
        Ok(()) => {
            eprintln!("wrote {}; edit it, then run `kaniko-studio validate {}`", path.display(), path.display());
            exit::CLEAN
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!("error: {} already exists; pass --force to overwrite it", path.display());
            exit::USAGE
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            exit::USAGE
        }
    }
}
