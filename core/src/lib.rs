//! # Kaniko Studio core
//!
//! A pure library: it validates a Kaniko-on-Buildkite build configuration, generates every
//! artifact a user pastes into their pipeline, and troubleshoots failed pushes (build logs,
//! OIDC tokens, OIDC policies, existing pipelines).
//!
//! Invariants (see `ARCHITECTURE.md`):
//! - No IO, no DOM, no clock: callers pass in everything (including "now" for token checks).
//! - Never panics on any input a user can type or paste. Entry points return
//!   `(output, diagnostics)` rather than `Result` wherever partial output is useful.
//! - Deterministic: the same input gives byte-identical output.
#![forbid(unsafe_code)]

/// A rule's reference text (its `name`, `summary`, `why`, `example` and general `fix`): what
/// `kaniko-studio rules` and `docs/rules.md` print, and nothing a finding shows (a finding
/// carries its own message and fix). Without the `rule-docs` feature (the page's wasm modules)
/// it is empty, so the page does not download text it never shows. The exceptions, which stay:
/// build-log patterns' summaries (a finding's message) and the token rules' fixes.
#[cfg(feature = "rule-docs")]
macro_rules! reference {
    ($text:literal) => {
        $text
    };
}
#[cfg(not(feature = "rule-docs"))]
macro_rules! reference {
    ($text:literal) => {
        ""
    };
}

pub mod audience;
pub mod config;
pub mod config_file;
pub mod config_tree;
pub mod diagnose;
pub mod diagnostic;
pub mod document;
pub mod generate;
pub mod kaniko_flags;
pub mod lint;
pub mod policy;
pub mod rules;
pub mod rules_doc;
pub mod token;
pub mod validate;

pub use audience::{Audience, AudienceInput, package_registry_audience};
pub use config::BuildConfig;
pub use diagnostic::{Diagnostic, Rule, Severity, Span};
