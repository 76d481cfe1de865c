//! The one diagnostic model shared by validation, generation, linting and troubleshooting.

use serde::Serialize;

/// How bad a finding is. Ordered: `Error` is the most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing will fail because of it.
    Info,
    /// Likely to cause a failure or a security problem; output is still produced.
    Warning,
    /// Will fail in the pipeline. No artifact is generated while an error stands.
    Error,
}

impl Severity {
    /// The lowercase word used in text output (`error`, `warning`, `info`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A position in a text the user gave us. Lines and columns are 1-based; columns count
/// characters (not bytes). `end_*` is inclusive of the last character when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub struct Span {
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

impl Span {
    /// A span covering a single point.
    pub fn point(line: u32, col: u32) -> Self {
        Span { line, col, end_line: line, end_col: col }
    }
}

/// A rule: one check with a stable id. Rules are data; every module that reports
/// diagnostics declares its rules in a `RULES` table, and [`crate::rules::all`] lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable identifier, e.g. `KS001`. Never reused once published.
    pub id: &'static str,
    /// Short kebab-case name, e.g. `org-slug-format`.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// Why breaking the rule matters (shown in the rules reference).
    pub why: &'static str,
    /// A short example of input that triggers the rule.
    pub example: &'static str,
    /// The fix, in general terms.
    pub fix: &'static str,
    /// Public documentation for the underlying fact; empty when there is none (the rules about
    /// Kaniko Studio's own configuration file, whose reference is `kaniko-studio init`).
    pub docs: &'static str,
}

impl Rule {
    /// A diagnostic for this rule with its default severity.
    #[inline(never)]
    pub fn diag(&'static self, message: impl Into<String>, fix: impl Into<String>) -> Diagnostic {
        Diagnostic {
            id: self.id,
            severity: self.severity,
            message: message.into(),
            fix: fix.into(),
            field: None,
            span: None,
            docs: self.docs,
        }
    }
}

/// One finding, reported to the user. Plain data: the front ends decide how to render it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule's stable id.
    pub id: &'static str,
    pub severity: Severity,
    /// What is wrong, naming the field or value.
    pub message: String,
    /// A concrete fix, using the user's own values where possible.
    pub fix: String,
    /// The configuration field this is about, as a dotted path (`registry.org`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Where in the user's text, for linted files and parsed documents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// Link to the documentation for the fact behind the rule; empty when there is none.
    pub docs: &'static str,
}

impl Diagnostic {
    /// Attach the configuration field path.
    #[inline(never)]
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Attach a position in the user's text.
    #[inline(never)]
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Override the rule's default severity.
    #[inline(never)]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Replace each of `secrets` in the message and the fix with a marker: findings go to
    /// terminals, CI logs and annotations, and must not repeat what looks like a credential.
    pub fn hide(&mut self, secrets: &[&str]) {
        for s in secrets {
            if self.message.contains(s) {
                self.message = self.message.replace(s, "(hidden: it looks like a credential)");
            }
            if self.fix.contains(s) {
                self.fix = self.fix.replace(s, "(hidden: it looks like a credential)");
            }
        }
    }

    /// True when this diagnostic blocks generation.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True if any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}
