//! `kaniko-studio token [JWT|FILE|-]`: decode an OIDC token and check it against its use.

use std::fmt::Write as _;
use std::io::{IsTerminal, Read};
use std::path::Path;

use kaniko_studio_core::Severity;
use kaniko_studio_core::token::{
    AWS_STS_AUDIENCE, MAX_INPUT_BYTES, TokenExpectation, TokenReport, TokenTarget, inspect_token,
};

use crate::diagnose::{md_escape, printable};
use crate::{Format, exit, render};

/// What a token is for, when `--registry`/`--audience` do not say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AudienceFor {
    /// Buildkite Package Registries (needs --registry or --audience).
    Packages,
    /// AWS STS AssumeRoleWithWebIdentity (sts.amazonaws.com).
    Aws,
    /// GCP Workload Identity Federation (give the provider with --audience to compare exactly).
    Gcp,
    /// Azure workload identity (api://AzureADTokenExchange).
    Azure,
}

/// Decode an OIDC token (JWT) and check it: issuer, audience, expiry and lifetime.
///
/// The signature is NOT verified; the token is only decoded. The token itself and its
/// signature are never printed.
///
/// Read the token from standard input or a file rather than an argument: an argument
/// ends up in your shell history and in the process list.
#[derive(Debug, clap::Args)]
#[command(after_help = "WARNING: passing a token as an argument stores it in your shell history and shows it in the process list. Prefer `buildkite-agent oidc request-token … | kaniko-studio token -` or a file.\n\nExit status: 0 no problem, 1 a problem at error severity, 2 unreadable or undecodable input or a usage error.")]
pub struct Args {
    /// The token, a file holding it, or `-` (the default) for standard input. Accepts
    /// `Bearer …`, quotes, `{"token": …}`, the `--format gcp` JSON and a Docker
    /// config.json (the registry is then taken from its `auths` key).
    input: Option<String>,
    /// The Package Registries destination the token is for:
    /// packages.buildkite.com/ORG/REGISTRY[/IMAGE:TAG].
    #[arg(long, value_name = "REF")]
    registry: Option<String>,
    /// The service the token is for.
    #[arg(long, value_enum, value_name = "SERVICE")]
    audience_for: Option<AudienceFor>,
    /// The exact audience expected (e.g. a GCP provider's full resource name).
    #[arg(long, value_name = "AUDIENCE")]
    audience: Option<String>,
    /// Check as of this UNIX time instead of the system clock.
    #[arg(long, value_name = "UNIX_SECONDS")]
    now: Option<i64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: &Args) -> u8 {
    let target = match target(args) {
        Ok(t) => t,
        Err(msg) => return crate::usage_error(args.format, &msg),
    };
    let input = match read_input(args.input.as_deref()) {
        Ok(i) => i,
        Err(msg) => return crate::usage_error(args.format, &msg),
    };
    let now = args.now.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    });
    let report = inspect_token(&input, &TokenExpectation { target, issuer: None }, now);
    let text = match args.format {
        Format::Text => render_text(&report),
        Format::Json => format!("{:#}\n", serde_json::json!(report)),
        Format::Annotation => render_annotation(&report),
    };
    print!("{text}");
    if report.claims.is_none() {
        exit::USAGE
    } else if report.diagnostics.iter().any(|d| d.severity == Severity::Error) {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

fn target(args: &Args) -> Result<Option<TokenTarget>, String> {
    let from_audience = |aud: &str| -> Result<TokenTarget, String> {
        Ok(if aud.starts_with("//iam.googleapis.com/") || aud.starts_with("https://iam.googleapis.com/") {
            TokenTarget::GcpWorkloadIdentity { provider: Some(aud.to_string()) }
        } else if aud == AWS_STS_AUDIENCE {
            TokenTarget::AwsSts
        } else if aud.starts_with("api://AzureADTokenExchange") {
            TokenTarget::Exact { audience: aud.to_string() }
        } else if aud.contains("packages.buildkite.com/") {
            TokenTarget::from_registry_ref(aud)?
        } else {
            TokenTarget::Exact { audience: aud.to_string() }
        })
    };
    match (args.registry.as_deref(), args.audience_for, args.audience.as_deref()) {
        (Some(_), Some(f), _) if f != AudienceFor::Packages => {
            Err("--registry names a Package Registries registry; it cannot be combined with --audience-for aws/gcp/azure.".into())
        }
        (Some(_), _, Some(_)) => Err("give either --registry or --audience, not both.".into()),
        (Some(r), _, None) => TokenTarget::from_registry_ref(r).map(Some),
        (None, Some(AudienceFor::Packages), None) => {
            Err("--audience-for packages needs --registry packages.buildkite.com/ORG/REGISTRY.".into())
        }
        (None, Some(AudienceFor::Aws), None) => Ok(Some(TokenTarget::AwsSts)),
        (None, Some(AudienceFor::Azure), None) => Ok(Some(TokenTarget::Azure)),
        (None, Some(AudienceFor::Gcp), aud) => {
            Ok(Some(TokenTarget::GcpWorkloadIdentity { provider: aud.map(str::to_string) }))
        }
        (None, Some(AudienceFor::Azure), Some(aud)) => Ok(Some(TokenTarget::Exact { audience: aud.to_string() })),
        (None, _, Some(aud)) => from_audience(aud).map(Some),
        (None, None, None) => Ok(None),
    }
}

/// The token text from an argument, a file or standard input; at most a little more than
/// the core's limit is read, so a huge paste cannot exhaust memory.
pub(crate) fn read_input(input: Option<&str>) -> Result<String, String> {
    let limit = (MAX_INPUT_BYTES + 1) as u64;
    let mut bytes = Vec::new();
    match input {
        None | Some("-") => {
            if std::io::stdin().is_terminal() {
                eprintln!("Reading the token from standard input: paste it, then press Ctrl-D.");
            }
            std::io::stdin()
                .lock()
                .take(limit)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
        }
        Some(arg) if Path::new(arg).is_file() => {
            std::fs::File::open(arg)
                .and_then(|f| f.take(limit).read_to_end(&mut bytes))
                .map_err(|e| format!("cannot read {arg}: {e}"))?;
        }
        Some(arg) => {
            // Every JWT starts with `eyJ` (its header is a JSON object); anything else that is
            // not a file is a path that is wrong, not a token.
            let t = arg.trim().trim_matches(['"', '\'']);
            let t = t.strip_prefix("Bearer ").unwrap_or(t).trim_start();
            if !t.starts_with("eyJ") {
                return Err(format!("cannot read `{arg}`: no such file (and it is not a token: a JWT starts with `eyJ`)"));
            }
            return Ok(arg.to_string());
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn render_text(r: &TokenReport) -> String {
    let mut s = String::new();
    if let (Some(h), Some(c)) = (&r.header, &r.claims) {
        let _ = writeln!(s, "OIDC token (decoded only: the signature was NOT verified)");
        if let Some(key) = &r.auths_key {
            let _ = writeln!(s, "  found in   config.json under `{}`", printable(key));
        }
        let opt = |v: &Option<String>| v.as_deref().map_or_else(|| "(none)".to_string(), printable);
        let _ = writeln!(
            s,
            "  header    alg {}, kid {}, typ {}; signature {} bytes (not shown)",
            opt(&h.alg),
            opt(&h.kid),
            opt(&h.typ),
            h.signature_bytes
        );
        let _ = writeln!(s, "  iss       {}", opt(&c.iss));
        let _ = writeln!(s, "  sub       {}", opt(&c.sub));
        let aud = if c.aud.is_empty() { "(none)".to_string() } else { printable(&c.aud.join(", ")) };
        let _ = writeln!(s, "  aud       {aud}");
        for (name, t) in [("iat", &c.iat), ("nbf", &c.nbf), ("exp", &c.exp)] {
            if let Some(t) = t {
                let _ = writeln!(s, "  {name:<9} {} ({})", t.utc, t.relative);
            }
        }
        if let Some(l) = c.lifetime_seconds {
            let left = match c.remaining_seconds {
                Some(rem) if rem > 0 => format!("; {rem} s left"),
                Some(_) => "; expired".to_string(),
                None => String::new(),
            };
            let _ = writeln!(s, "  lifetime  {l} s{left}");
        }
        if let Some(j) = &c.jti {
            let _ = writeln!(s, "  jti       {}", printable(j));
        }
        if !c.buildkite.is_empty() {
            let _ = writeln!(s, "Buildkite claims");
            for claim in &c.buildkite {
                let _ = writeln!(s, "  {:<19} {}", printable(&claim.name), printable(&claim.value));
            }
        }
        if !c.other.is_empty() {
            let _ = writeln!(s, "Other claims");
            for claim in &c.other {
                let _ = writeln!(s, "  {:<19} {}", printable(&claim.name), printable(&claim.value));
            }
        }
    }
    match &r.expected_audience {
        Some(e) => {
            let _ = writeln!(s, "Checks (expected audience: {})", printable(e));
        }
        None => {
            let _ = writeln!(s, "Checks");
        }
    }
    if r.diagnostics.is_empty() {
        let _ = writeln!(s, "  ok: no problems found");
    }
    for d in &r.diagnostics {
        let text = render::format_diagnostic(d, None, false);
        for line in text.lines() {
            let _ = writeln!(s, "  {line}");
        }
    }
    s
}

fn render_annotation(r: &TokenReport) -> String {
    let mut s = String::new();
    let problems = r.diagnostics.len();
    let _ = writeln!(
        s,
        "#### Kaniko Studio: OIDC token {}\n",
        if problems == 0 { "looks right".to_string() } else { format!("has {}", render::plural(problems, "problem")) }
    );
    let _ = writeln!(s, "_Decoded only: the signature was not verified._\n");
    if let Some(c) = &r.claims {
        let _ = writeln!(s, "| claim | value |\n| --- | --- |");
        let mut row = |k: &str, v: &str| {
            let _ = writeln!(s, "| `{}` | {} |", md_escape(k), md_escape(v));
        };
        for (k, v) in [("iss", &c.iss), ("sub", &c.sub)] {
            row(k, v.as_deref().unwrap_or("(none)"));
        }
        row("aud", &c.aud.join(", "));
        for (k, t) in [("iat", &c.iat), ("nbf", &c.nbf), ("exp", &c.exp)] {
            if let Some(t) = t {
                row(k, &format!("{} ({})", t.utc, t.relative));
            }
        }
        for claim in &c.buildkite {
            row(&claim.name, &claim.value);
        }
        s.push('\n');
    }
    for d in &r.diagnostics {
        let field = d.field.as_deref().map(|f| format!(" `{f}`")).unwrap_or_default();
        let _ = writeln!(
            s,
            "- **{} {}**{field}: {}<br>Fix: {}{}",
            d.severity.as_str(),
            d.id,
            md_escape(&d.message),
            md_escape(&d.fix),
            if d.docs.is_empty() { String::new() } else { format!(" ([docs]({}))", d.docs) }
        );
    }
    s
}
