//! `kaniko-studio policy POLICY [--claims FILE | --token JWT]`: check a Package Registries
//! OIDC policy and, given claims, say which statement matches and why the others do not.

use kaniko_studio_core::Diagnostic;
use kaniko_studio_core::policy::{Evaluation, check_policy, claims_from_json, evaluate, jwt_claims};

use crate::{Format, exit, render};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The policy file, YAML or JSON (`-` reads standard input).
    policy: String,
    /// A JSON file with the token's claims (`-` reads standard input).
    #[arg(long, value_name = "FILE", conflicts_with = "token")]
    claims: Option<String>,
    /// An OIDC token (JWT) whose claims to evaluate; `-` reads it from standard input. The
    /// signature is not verified.
    #[arg(long, value_name = "JWT")]
    token: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: &Args) -> u8 {
    let text = match render::read_input(&args.policy) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("kaniko-studio policy: {e}");
            return exit::USAGE;
        }
    };
    let claims = match (&args.claims, &args.token) {
        (Some(file), _) => Some(render::read_input(file).and_then(|t| claims_from_json(&t).map_err(|d| d.message))),
        (None, Some(tok)) => {
            let tok = if tok == "-" { render::read_input("-") } else { Ok(tok.clone()) };
            Some(tok.and_then(|t| jwt_claims(&t).map_err(|d| format!("{} {}", d.message, d.fix))))
        }
        (None, None) => None,
    };
    let claims = match claims.transpose() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("kaniko-studio policy: {e}");
            return exit::USAGE;
        }
    };
    let (policy, diags) = check_policy(&text);
    let evaluated = claims.as_ref().map(|c| evaluate(&policy, c));
    let path = if args.policy == "-" { "<stdin>" } else { args.policy.as_str() };
    let mut all: Vec<&Diagnostic> = diags.iter().collect();
    if let Some((_, d)) = &evaluated {
        all.extend(d.iter());
    }
    match args.format {
        Format::Json => {
            let doc = serde_json::json!({
                "path": path,
                "findings": diags,
                "evaluation": evaluated.as_ref().map(|(e, d)| serde_json::json!({ "result": e, "findings": d, "signature_verified": false })),
            });
            println!("{doc:#}");
        }
        Format::Annotation => {
            let pairs: Vec<(&str, &Diagnostic)> = all.iter().map(|d| (path, *d)).collect();
            print!("{}", render::annotation("Kaniko Studio OIDC policy", &pairs));
            if let Some((e, _)) = &evaluated {
                print!("\n{}", evaluation_text(e, path, true));
            }
        }
        Format::Text => {
            let colour = render::stdout_colour();
            for d in &diags {
                println!("{}", render::format_located(d, path, Some(&text), colour));
            }
            if let Some((e, d)) = &evaluated {
                print!("{}", evaluation_text(e, path, false));
                for d in d {
                    println!("{}", render::format_located(d, path, Some(&text), colour));
                }
            }
            let errors = all.iter().filter(|d| d.is_error()).count();
            let warnings = all.iter().filter(|d| d.severity == kaniko_studio_core::Severity::Warning).count();
            println!("{}.", render::counts(errors, warnings, all.len() - errors - warnings));
        }
    }
    if all.iter().any(|d| d.is_error()) { exit::FINDINGS } else { exit::CLEAN }
}

/// The evaluation as text (or Markdown): one line per statement, with each failing claim.
fn evaluation_text(e: &Evaluation, path: &str, markdown: bool) -> String {
    let esc = |s: &str| if markdown { render::escape_markdown(s) } else { s.to_string() };
    let mut s = String::new();
    s.push_str(if markdown { "#### Evaluation (token signature not verified)\n\n" } else { "Evaluation against the claims (the token's signature is not verified):\n" });
    for st in &e.statements {
        let loc = format!("{path}:{}:{}", st.span.line, st.span.col);
        let loc = if markdown { format!("`{}`", loc.replace('`', "'")) } else { loc };
        let first = e.matched == Some(st.number);
        let status = match (st.matched, first) {
            (true, true) => format!("matches first; grants {}", if e.scopes.is_empty() { "no scopes".to_string() } else { e.scopes.join(", ") }),
            (true, false) => "matches, but an earlier statement matched first".to_string(),
            (false, _) => "does not match".to_string(),
        };
        s.push_str(&format!("{}statement {} ({loc}): {status}\n", if markdown { "- " } else { "  " }, st.number));
        for f in &st.failures {
            let floc = format!("{path}:{}:{}", f.span.line, f.span.col);
            let floc = if markdown { format!("`{}`", floc.replace('`', "'")) } else { floc };
            s.push_str(&format!("{}`{}`: {} ({floc})\n", if markdown { "  - " } else { "      - " }, f.claim.replace('`', "'"), esc(&f.reason)));
        }
    }
    match e.matched {
        Some(n) => s.push_str(&format!("Result: statement {n} grants {}.\n", if e.scopes.is_empty() { "no scopes".to_string() } else { e.scopes.join(", ") })),
        None => s.push_str("Result: no statement matches; the registry rejects this token.\n"),
    }
    s
}
