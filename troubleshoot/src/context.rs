//! What the troubleshooter takes from the wizard's configuration: the audience a token is
//! checked against and the facts that let log findings name the user's own values.
//!
//! Plain functions over `BuildConfig`; no DOM.

use kaniko_studio_core::config::{BuildConfig, Registry};
use kaniko_studio_core::diagnose::{DiagnoseContext, RegistryKind};
use kaniko_studio_core::token::{AWS_STS_AUDIENCE, AZURE_AUDIENCE, TokenExpectation, TokenTarget};

/// The prefix of a GCP Workload Identity provider's full resource name.
const GCP_PREFIX: &str = "//iam.googleapis.com/";

/// The values from the user's set-up that the troubleshooter uses, for display and checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefill {
    /// The audience the token's consumer expects (`None` when the set-up uses no OIDC token).
    pub audience: Option<String>,
    /// The repository Kaniko pushes to (without tag), e.g. `packages.buildkite.com/acme/images/app`.
    pub destination: Option<String>,
    /// The destination registry host.
    pub host: String,
    /// The OIDC token lifetime requested, in seconds.
    pub lifetime: Option<u32>,
    /// The Buildkite organization slug, for Package Registries.
    pub org: Option<String>,
    /// The Package Registries registry slug.
    pub registry: Option<String>,
}

impl Prefill {
    /// Read the values from a configuration.
    pub fn from_config(config: &BuildConfig) -> Prefill {
        let (org, registry) = match &config.registry {
            Registry::BuildkitePackages(r) => (non_empty(&r.org), non_empty(&r.registry)),
            _ => (None, None),
        };
        Prefill {
            audience: config.registry.expected_audience().filter(|a| !a.trim().is_empty()),
            destination: non_empty(&config.repository()),
            host: config.destination_registry_host(),
            lifetime: config.registry.oidc_lifetime(),
            org,
            registry,
        }
    }

    /// The context for build-log diagnosis.
    pub fn diagnose_context(&self, config: &BuildConfig) -> DiagnoseContext {
        DiagnoseContext {
            // The audience the step requests (an explicit one may differ from the expected one).
            audience: config.audience().filter(|a| !a.trim().is_empty()),
            destination: self.destination.clone(),
            registry_kind: (!self.host.is_empty()).then(|| RegistryKind::from_host(&self.host)),
            org: self.org.clone(),
            registry: self.registry.clone(),
            token_lifetime: self.lifetime,
        }
    }

    /// A sentence naming the values used, e.g. "Checking against audience `…` from your set-up."
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(a) = &self.audience {
            parts.push(format!("audience `{a}`"));
        }
        if let Some(d) = &self.destination {
            parts.push(format!("destination `{d}`"));
        }
        if let Some(l) = self.lifetime {
            parts.push(format!("token lifetime {l} s"));
        }
        if parts.is_empty() {
            "Your set-up has no registry details yet; findings use what the pasted text shows.".to_string()
        } else {
            format!("Using {} from your set-up.", parts.join(", "))
        }
    }
}

/// The token target for an expected audience typed or taken from the set-up: Package
/// Registries URLs, AWS STS, Azure, a GCP provider, or any other exact value. Empty gives
/// `None` (only the checks that apply to every token).
pub fn target_for_audience(audience: &str) -> Option<TokenTarget> {
    let a = audience.trim();
    if a.is_empty() {
        return None;
    }
    if let Ok(t) = TokenTarget::from_registry_ref(a) {
        return Some(t);
    }
    Some(if a == AWS_STS_AUDIENCE {
        TokenTarget::AwsSts
    } else if a == AZURE_AUDIENCE {
        TokenTarget::Azure
    } else if a.starts_with(GCP_PREFIX) {
        TokenTarget::GcpWorkloadIdentity { provider: Some(a.to_string()) }
    } else {
        TokenTarget::Exact { audience: a.to_string() }
    })
}

/// The expectation a pasted token is checked against.
pub fn token_expectation(audience: &str) -> TokenExpectation {
    TokenExpectation { target: target_for_audience(audience), issuer: None }
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}
