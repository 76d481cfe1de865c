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
    /// An OIDC token (JWT) whose claims to evaluate, or a file holding it; `-` reads it from
    /// standard input. The signature is not verified; its audience, expiry and lifetime are
    /// checked too, since the registry refuses the token on those before it reads the policy.
    #[arg(long, value_name = "JWT|FILE")]
    token: Option<String>,
    /// The registry the token is for (`packages.buildkite.com/ORG/REGISTRY`), to check its
    /// audience exactly; without it the token's own audience names the registry.
    #[arg(long, value_name = "REF", requires = "token")]
    registry: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: &Args) -> u8 {
    let text = match render::read_input(&args.policy) {
        Ok(t) => t,
        Err(e) => return crate::usage_error(args.format, &e),
    };
    // `-` for standard input, a file's path, or the token itself, as `kaniko-studio token` reads it.
    let token = match args.token.as_deref().map(|t| crate::token::read_input(Some(t)).map(|t| t.trim().to_string())).transpose() {
        Ok(t) => t,
        Err(e) => return crate::usage_error(args.format, &e),
    };
    let claims = match (&args.claims, &token) {
        (Some(file), _) => Some(render::read_input(file).and_then(|t| claims_from_json(&t).map_err(|d| d.message))),
        (None, Some(tok)) => Some(jwt_claims(tok).map_err(|d| format!("{} {}", d.message, d.fix))),
        (None, None) => None,
    };
    let token_findings = match token.as_deref().map(|t| token_checks(t, args.registry.as_deref())).transpose() {
        Ok(f) => f.unwrap_or_default(),
        Err(e) => return crate::usage_error(args.format, &e),
    };
    let claims = match claims.transpose() {
        Ok(c) => c,
        Err(e) => return crate::usage_error(args.format, &e),
    };
    let (policy, diags) = check_policy(&text);
    // Another kind of document (KS416) has no statements to evaluate: its one finding says so.
    let not_a_policy = diags.iter().any(|d| d.id == "KS416");
    let evaluated = claims.as_ref().filter(|_| !not_a_policy).map(|c| evaluate(&policy, c));
    let path = if args.policy == "-" { "<stdin>" } else { args.policy.as_str() };
    let mut all: Vec<&Diagnostic> = diags.iter().collect();
    if let Some((_, d)) = &evaluated {
        all.extend(d.iter());
    }
    all.extend(token_findings.iter());
    match args.format {
        Format::Json => {
            let doc = serde_json::json!({
                "path": path,
                "findings": diags,
                "evaluation": evaluated.as_ref().map(|(e, d)| serde_json::json!({ "result": e, "findings": d, "signature_verified": false })),
                "token_findings": token.as_ref().map(|_| &token_findings),
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
            if !token_findings.is_empty() {
                println!("The registry checks the token itself before the policy, and refuses it here:");
                for d in &token_findings {
                    println!("{}", render::format_located(d, "token", None, colour));
                }
            }
            let errors = all.iter().filter(|d| d.is_error()).count();
            let warnings = all.iter().filter(|d| d.severity == kaniko_studio_core::Severity::Warning).count();
            println!("{}.", render::counts(errors, warnings, all.len() - errors - warnings));
        }
    }
    if all.iter().any(|d| d.is_error()) { exit::FINDINGS } else { exit::CLEAN }
}

/// What the registry refuses a token for before any policy is read: its audience (against
/// `registry`, or the Package Registries registry its own audience names), expiry and
/// lifetime. Errors and warnings only.
fn token_checks(token: &str, registry: Option<&str>) -> Result<Vec<Diagnostic>, String> {
    use kaniko_studio_core::token::{TokenExpectation, TokenTarget, inspect_token};
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let target = match registry {
        Some(r) => Some(TokenTarget::from_registry_ref(r)?),
        None => {
            let first = inspect_token(token, &TokenExpectation { target: None, issuer: None }, now);
            let aud = first.claims.as_ref().and_then(|c| c.aud.first().cloned());
            aud.filter(|a| a.contains("packages.buildkite.com/")).and_then(|a| TokenTarget::from_registry_ref(&a).ok())
        }
    };
    let report = inspect_token(token, &TokenExpectation { target, issuer: None }, now);
    // A policy is Package Registries': the default audience is refused there, not just unusual.
    Ok(report
        .diagnostics
        .into_iter()
        .filter(|d| d.severity != kaniko_studio_core::Severity::Info)
        .map(|d| if d.id == "KS510" { d.with_severity(kaniko_studio_core::Severity::Error) } else { d })
        .collect())
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
