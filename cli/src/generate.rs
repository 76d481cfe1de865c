//! `kaniko-studio generate CONFIG [--out DIR]`: every artifact for a build configuration,
//! written under DIR or printed one after another with `==> path <==` headers.
//!
//! Nothing is written while the configuration has an error: the diagnostics go to standard
//! error and the exit code is 1. Warnings and notes are printed to standard error as well, and
//! the artifacts are still produced.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use kaniko_studio_core::config_file::locate_diagnostics;
use kaniko_studio_core::generate::{Artifacts, generate};

use crate::validate::{load, read_input};
use crate::{Format, exit, render};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The configuration file (`.yaml`, `.yml` or `.json`; `-` reads standard input).
    config: PathBuf,
    /// Write the artifacts under this directory (usually the repository root), creating
    /// directories as needed; scripts get mode 755. Without it, print them all.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// How findings (and, with `json`, the artifacts) are printed.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: &Args) -> u8 {
    let (name, text) = match read_input(&args.config) {
        Ok(input) => input,
        Err(message) => {
            eprintln!("error: {message}");
            return exit::USAGE;
        }
    };
    let config = match load(&name, &text) {
        Ok(config) => config,
        Err(diags) => {
            report(args.format, &name, &text, &diags, None);
            return exit::FINDINGS;
        }
    };
    let (artifacts, diags) = generate(&config);
    let diags = locate_diagnostics(&text, diags);
    if artifacts.is_empty() {
        report(args.format, &name, &text, &diags, None);
        return exit::FINDINGS;
    }
    match &args.out {
        Some(dir) => {
            if let Err(message) = write_all(dir, &artifacts) {
                eprintln!("error: {message}");
                return exit::USAGE;
            }
            report(args.format, &name, &text, &diags, Some((dir, &artifacts)));
        }
        None if args.format == Format::Json => {
            let doc = serde_json::json!({ "file": name, "artifacts": artifacts.files, "diagnostics": diags });
            println!("{doc:#}");
        }
        None => {
            print_all(&artifacts);
            report(args.format, &name, &text, &diags, None);
        }
    }
    exit::CLEAN
}

/// Diagnostics to standard error (standard output carries the artifacts); with `--out`, also
/// the list of files written.
fn report(format: Format, name: &str, text: &str, diags: &[kaniko_studio_core::Diagnostic], written: Option<(&Path, &Artifacts)>) {
    if format == Format::Json {
        if let Some((dir, artifacts)) = written {
            let files: Vec<String> = artifacts.files.iter().map(|a| dir.join(&a.path).display().to_string()).collect();
            let doc = serde_json::json!({ "file": name, "written": files, "diagnostics": diags });
            println!("{doc:#}");
        } else {
            let doc = serde_json::json!({ "file": name, "diagnostics": diags });
            eprintln!("{doc:#}");
        }
        return;
    }
    if !diags.is_empty() {
        render::print_file_diagnostics(&mut std::io::stderr(), format, name, text, diags);
    }
    if let Some((dir, artifacts)) = written {
        for a in &artifacts.files {
            println!("wrote {}  ({})", dir.join(&a.path).display(), a.purpose);
        }
    }
}

/// Every artifact, each under a `==> path <==` header, separated by blank lines.
pub(crate) fn print_all(artifacts: &Artifacts) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (i, a) in artifacts.files.iter().enumerate() {
        if i > 0 {
            let _ = writeln!(out);
        }
        let _ = writeln!(out, "==> {} <==", a.path);
        let _ = write!(out, "{}", a.content);
    }
}

/// The file an artifact goes to, refusing anything that would leave `dir`.
fn target(dir: &Path, rel: &str) -> Result<PathBuf, String> {
    let rel_path = Path::new(rel);
    if rel.is_empty() || !rel_path.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir)) {
        return Err(format!("refusing to write {rel:?}: not a relative path inside {}", dir.display()));
    }
    Ok(dir.join(rel_path))
}

/// Write every artifact; all paths are checked before the first file is written.
pub(crate) fn write_all(dir: &Path, artifacts: &Artifacts) -> Result<(), String> {
    let targets: Vec<PathBuf> = artifacts.files.iter().map(|a| target(dir, &a.path)).collect::<Result<_, _>>()?;
    for (a, path) in artifacts.files.iter().zip(&targets) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(path, &a.content).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        if a.kind.is_executable() {
            set_executable(path)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn set_executable(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("cannot make {} executable: {e}", path.display()))
}

#[cfg(not(unix))]
fn set_executable(_: &Path) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_stay_inside_the_directory() {
        let dir = Path::new("/repo");
        assert_eq!(target(dir, ".buildkite/pipeline.yml"), Ok(PathBuf::from("/repo/.buildkite/pipeline.yml")));
        for bad in ["", "/etc/passwd", "../x", "a/../../x"] {
            assert!(target(dir, bad).is_err(), "{bad}");
        }
    }
}
