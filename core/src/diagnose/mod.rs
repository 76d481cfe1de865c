//! Build-log diagnosis: recognise Kaniko, registry, Buildkite and cloud-federation errors in
//! a build log and explain each one with its likely causes, in order, and the fix.
//!
//! Two entry points share one engine:
//! - [`diagnose`] for a log held in memory (a paste in the web app);
//! - [`Diagnoser`] for a stream: [`Diagnoser::feed`] chunks of any size, then
//!   [`Diagnoser::finish`]. Memory stays bounded: only the current line (capped at
//!   [`MAX_LINE_BYTES`]) and a few lines per finding are kept, whatever the log's size.
//!
//! Real logs are messy; every line is cleaned before matching: ANSI colour codes (with or
//! without the escape byte), Buildkite timestamp markers (`\x1b_bk;t=…\x07`), CR, and invalid
//! UTF-8 (replaced). Buildkite group headers (`~~~`, `---`, `+++`) name the section a finding
//! was in and are never matched themselves.
//!
//! Matching avoids a regex per pattern: all needles (lowercase substrings) are indexed by a
//! hash of their first three bytes, so each line is scanned once whatever the number of
//! patterns. Patterns are data in [`catalogue`]; each one is also a [`Rule`].

mod catalogue;

use std::sync::OnceLock;

use serde::Serialize;

use catalogue::PATTERNS;
pub use catalogue::RULES;

use crate::audience::PACKAGES_HOST;
use crate::diagnostic::{Diagnostic, Rule, Severity, Span};

/// Bytes of a line kept for matching and display; the rest of a longer line is ignored.
pub const MAX_LINE_BYTES: usize = 16 * 1024;
/// Line ranges kept per finding; further occurrences are only counted.
pub const MAX_RANGES: usize = 5;
const MATCHED_TEXT_CHARS: usize = 240;
const CONTEXT_TEXT_BYTES: usize = 2048;

/// How sure a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A generic symptom with many possible causes.
    Low,
    /// A specific message whose cause depends on the setup.
    Medium,
    /// An exact, specific message.
    High,
}

impl Confidence {
    /// The lowercase word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// A log pattern: needles and what they mean. Index-aligned with [`RULES`].
#[derive(Debug)]
pub(crate) struct Pattern {
    pub id: &'static str,
    pub confidence: Confidence,
    /// Alternatives; each is a set of lowercase needles that must all occur in the line.
    pub any: &'static [&'static [&'static str]],
    /// Needles that veto the pattern.
    pub not: &'static [&'static str],
    /// Patterns hidden when this one matches the same line.
    pub overrides: &'static [&'static str],
    /// Fires only on lines no specific pattern matched.
    pub generic: bool,
    /// A further check on the lowercased line, after the needles matched.
    pub verify: fn(&[u8]) -> bool,
    /// Likely causes, most likely first.
    pub causes: &'static [&'static str],
}

/// The kind of registry images are pushed to; changes the wording of some fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegistryKind {
    BuildkitePackages,
    Ecr,
    ArtifactRegistry,
    Gcr,
    DockerHub,
    Ghcr,
    Acr,
    Quay,
    GitLab,
    Harbor,
    Other,
}

impl RegistryKind {
    /// Guess the kind from a registry host (or an image reference).
    pub fn from_host(reference: &str) -> RegistryKind {
        let r = reference.trim().to_ascii_lowercase();
        let r = r.split("://").last().unwrap_or_default();
        let host = r.split('/').next().unwrap_or_default();
        if host == PACKAGES_HOST {
            RegistryKind::BuildkitePackages
        } else if host.contains(".dkr.ecr.") || host == "public.ecr.aws" {
            RegistryKind::Ecr
        } else if host.ends_with(".pkg.dev") {
            RegistryKind::ArtifactRegistry
        } else if host == "gcr.io" || host.ends_with(".gcr.io") {
            RegistryKind::Gcr
        } else if host == "docker.io" || host.ends_with(".docker.io") || !host.contains(['.', ':']) {
            RegistryKind::DockerHub
        } else if host == "ghcr.io" {
            RegistryKind::Ghcr
        } else if host.contains(".azurecr.") {
            RegistryKind::Acr
        } else if host == "quay.io" {
            RegistryKind::Quay
        } else if host.contains("gitlab") {
            RegistryKind::GitLab
        } else {
            RegistryKind::Other
        }
    }
}

/// Facts from the user's configuration that let fixes name the user's own values. Every
/// field is optional; the app and the CLI fill what they know.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiagnoseContext {
    /// The audience the token is requested with (`--audience`).
    pub audience: Option<String>,
    /// The image destination (`--destination`), e.g. `packages.buildkite.com/acme/images/app:1`.
    pub destination: Option<String>,
    /// The kind of destination registry; guessed from `destination` when absent.
    pub registry_kind: Option<RegistryKind>,
    /// The Buildkite organization slug.
    pub org: Option<String>,
    /// The Package Registries registry slug.
    pub registry: Option<String>,
    /// The token lifetime in seconds (`--lifetime`).
    pub token_lifetime: Option<u32>,
}

impl DiagnoseContext {
    /// The Package Registries audience the configuration implies, if any.
    pub fn expected_audience(&self) -> Option<String> {
        if let Some(a) = &self.audience {
            return Some(a.clone());
        }
        if let (Some(org), Some(reg)) = (&self.org, &self.registry) {
            return Some(format!("https://{PACKAGES_HOST}/{org}/{reg}"));
        }
        let dest = self.destination.as_deref()?;
        packages_ref(dest).map(|r| format!("https://{PACKAGES_HOST}/{r}"))
    }

    fn kind(&self) -> Option<RegistryKind> {
        self.registry_kind.or_else(|| self.destination.as_deref().map(RegistryKind::from_host))
    }
}

/// A 1-based, inclusive range of log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct LineRange {
    pub start: u32,
    pub end: u32,
}

/// One recognised problem. The same pattern on many lines gives one finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule id (`KS6xx`/`KS7xx`).
    pub id: &'static str,
    /// The rule's short name.
    pub name: &'static str,
    pub severity: Severity,
    pub confidence: Confidence,
    /// What the log shows, with the user's values where known.
    pub message: String,
    /// Likely causes, most likely first.
    pub causes: Vec<String>,
    /// The fix.
    pub fix: String,
    /// The first [`MAX_RANGES`] places it matched (consecutive lines merge into one range).
    pub lines: Vec<LineRange>,
    /// How many places it matched in total.
    pub occurrences: u32,
    /// The first matching line, cleaned and shortened.
    pub matched: String,
    /// The Buildkite group (`~~~`/`---`/`+++` header) the first match was in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    pub docs: &'static str,
}

impl Finding {
    /// The finding in the shared diagnostic model, positioned at its first line.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let span = self.lines.first().map(|r| Span { line: r.start, col: 1, end_line: r.end, end_col: 1 });
        Diagnostic {
            id: self.id,
            severity: self.severity,
            message: self.message.clone(),
            fix: self.fix.clone(),
            field: None,
            span,
            docs: self.docs,
        }
    }
}

/// Diagnose a whole log held in memory.
pub fn diagnose(log: &[u8], ctx: &DiagnoseContext) -> Vec<Finding> {
    let mut d = Diagnoser::new(ctx);
    d.feed(log);
    d.finish()
}

#[derive(Debug)]
struct Hit {
    ranges: Vec<LineRange>,
    occurrences: u32,
    last_line: u32,
    matched: String,
    context: String,
    section: Option<String>,
}

/// A streaming diagnoser: feed it chunks (any split, even mid-line), then finish.
#[derive(Debug)]
pub struct Diagnoser<'c> {
    ctx: &'c DiagnoseContext,
    matcher: &'static Matcher,
    line_no: u32,
    pending: Vec<u8>,
    section: Option<String>,
    hits: Vec<Option<Hit>>,
    clean: Vec<u8>,
    lower: Vec<u8>,
    present: Vec<bool>,
    found: Vec<u16>,
    matched_patterns: Vec<usize>,
    /// The last line where the executor reported a pushed image (`Pushed <ref>@sha256:…`) or
    /// a build that skipped the push on purpose (`--no-push`); 0 when none.
    succeeded_at: u32,
}

impl<'c> Diagnoser<'c> {
    /// A diagnoser using `ctx` to tailor messages.
    pub fn new(ctx: &'c DiagnoseContext) -> Self {
        let matcher = matcher();
        Diagnoser {
            ctx,
            matcher,
            line_no: 0,
            pending: Vec::new(),
            section: None,
            hits: (0..matcher.patterns.len()).map(|_| None).collect(),
            clean: Vec::with_capacity(256),
            lower: Vec::with_capacity(256),
            present: vec![false; matcher.needles.len()],
            found: Vec::new(),
            matched_patterns: Vec::new(),
            succeeded_at: 0,
        }
    }

    /// Feed the next chunk of the log.
    pub fn feed(&mut self, chunk: &[u8]) {
        let mut rest = chunk;
        while !rest.is_empty() {
            match memchr::memchr(b'\n', rest) {
                Some(pos) => {
                    let (line, tail) = rest.split_at(pos);
                    rest = tail.get(1..).unwrap_or_default();
                    if self.pending.is_empty() {
                        self.process_line(line);
                    } else {
                        self.push_pending(line);
                        let pending = std::mem::take(&mut self.pending);
                        self.process_line(&pending);
                        self.pending = pending;
                        self.pending.clear();
                    }
                }
                None => {
                    self.push_pending(rest);
                    rest = &[];
                }
            }
        }
    }

    /// Feed one complete line (without its newline).
    pub fn feed_line(&mut self, line: &[u8]) {
        if !self.pending.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            self.process_line(&pending);
        }
        self.process_line(line);
    }

    fn push_pending(&mut self, bytes: &[u8]) {
        let room = MAX_LINE_BYTES.saturating_sub(self.pending.len());
        self.pending.extend_from_slice(bytes.get(..room.min(bytes.len())).unwrap_or_default());
    }

    /// The number of lines seen so far, counting an unfinished last line.
    pub fn lines_seen(&self) -> u32 {
        self.line_no.saturating_add(u32::from(!self.pending.is_empty()))
    }

    /// Finish: the findings, ordered by the line where each first appeared.
    pub fn finish(mut self) -> Vec<Finding> {
        if !self.pending.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            self.process_line(&pending);
        }
        let ctx = self.ctx;
        let succeeded_at = self.succeeded_at;
        // A generic symptom (any tool's `401 Unauthorized`, say) that the build went on past to
        // push its image was not the build's failure: tests and other tools print them too.
        let mut out: Vec<Finding> = self
            .hits
            .into_iter()
            .zip(PATTERNS.iter().zip(RULES.iter()))
            .filter(|(hit, (pattern, _))| !(pattern.generic && hit.as_ref().is_some_and(|h| h.last_line < succeeded_at)))
            .filter_map(|(hit, (pattern, rule))| {
                let before_success = hit.as_ref().is_some_and(|h| h.last_line < succeeded_at);
                let mut f = build_finding(hit?, pattern, rule, ctx);
                // The build went on past it and pushed: worth knowing (a test's output, a
                // retried step), not the build's failure.
                if before_success && f.severity == Severity::Error {
                    f.severity = Severity::Warning;
                    f.message.push_str(&format!(" The executor pushed the image afterwards (line {succeeded_at}), so this did not fail the build."));
                }
                Some(f)
            })
            .collect();
        out.sort_by_key(|f| (f.lines.first().map(|r| r.start), f.id));
        out
    }

    fn process_line(&mut self, raw: &[u8]) {
        self.line_no = self.line_no.saturating_add(1);
        let raw = raw.get(..MAX_LINE_BYTES.min(raw.len())).unwrap_or_default();
        clean_line(raw, &mut self.clean);
        let trimmed = trim_ascii(&self.clean);
        if let Some(title) = group_header(trimmed) {
            let title = String::from_utf8_lossy(title);
            self.section = (!title.trim().is_empty()).then(|| shorten_chars(strip_timestamp(title.trim()), 120));
            return;
        }
        self.lower.clear();
        self.lower.extend_from_slice(&self.clean);
        self.lower.make_ascii_lowercase();
        self.matcher.find_needles(&self.lower, &mut self.present, &mut self.found);
        if self.found.is_empty() {
            return;
        }
        let has = |id: u16| self.present.get(usize::from(id)).copied().unwrap_or(false);
        if has(self.matcher.push_skipped) || has(self.matcher.digest) && reports_pushed(&self.lower) {
            self.succeeded_at = self.line_no;
        }
        self.matched_patterns.clear();
        for (i, p) in self.matcher.patterns.iter().enumerate() {
            if p.matches(&self.present) && PATTERNS.get(i).is_some_and(|q| (q.verify)(&self.lower)) {
                self.matched_patterns.push(i);
            }
        }
        for &id in &self.found {
            if let Some(p) = self.present.get_mut(usize::from(id)) {
                *p = false;
            }
        }
        self.found.clear();
        if self.matched_patterns.is_empty() {
            return;
        }
        let any_specific = self.matched_patterns.iter().any(|&i| PATTERNS.get(i).is_some_and(|p| !p.generic));
        let overridden: Vec<usize> = self
            .matched_patterns
            .iter()
            .flat_map(|&i| self.matcher.patterns.get(i).map(|p| p.overrides.clone()).unwrap_or_default())
            .collect();
        let line_no = self.line_no;
        let mut text: Option<String> = None;
        for idx in self.matched_patterns.clone() {
            let Some(pattern) = PATTERNS.get(idx) else { continue };
            if (pattern.generic && any_specific) || overridden.contains(&idx) {
                continue;
            }
            let Some(slot) = self.hits.get_mut(idx) else { continue };
            match slot {
                Some(hit) => {
                    if hit.last_line.saturating_add(1) == line_no {
                        if let Some(r) = hit.ranges.last_mut().filter(|r| r.end == hit.last_line) {
                            r.end = line_no;
                        }
                    } else {
                        hit.occurrences = hit.occurrences.saturating_add(1);
                        if hit.ranges.len() < MAX_RANGES {
                            hit.ranges.push(LineRange { start: line_no, end: line_no });
                        }
                    }
                    hit.last_line = line_no;
                }
                None => {
                    let full = text.get_or_insert_with(|| redact_secrets(&String::from_utf8_lossy(&self.clean)));
                    let shown = strip_timestamp(full.trim());
                    *slot = Some(Hit {
                        ranges: vec![LineRange { start: line_no, end: line_no }],
                        occurrences: 1,
                        last_line: line_no,
                        matched: excerpt(shown, first_needle_pos(shown, pattern)),
                        context: truncate_bytes(shown, CONTEXT_TEXT_BYTES).to_string(),
                        section: self.section.clone(),
                    });
                }
            }
        }
    }
}


#[derive(Debug)]
struct CompiledPattern {
    any: Vec<Vec<u16>>,
    not: Vec<u16>,
    overrides: Vec<usize>,
}

impl CompiledPattern {
    fn matches(&self, present: &[bool]) -> bool {
        let has = |id: &u16| present.get(usize::from(*id)).copied().unwrap_or(false);
        self.any.iter().any(|alt| alt.iter().all(has)) && !self.not.iter().any(has)
    }
}

/// Bytes in rough order of frequency in (lowercased) build logs, most common first. A
/// needle is anchored on the pair of adjacent bytes whose ranks add up highest; bytes not
/// listed count as rarest.
const BYTE_FREQUENCY: &[u8] =
    b" etaoinsrhldcu.mpf/g:ywb0-1v,2k3_=\"4586x97()[]'jq;z<>?!@#$%^&*{}|~`+\\";

fn pair(a: u8, b: u8) -> usize {
    (usize::from(a) << 8) | usize::from(b)
}

fn rarity(b: u8) -> usize {
    BYTE_FREQUENCY.iter().position(|&c| c == b).unwrap_or(BYTE_FREQUENCY.len())
}

/// All needles, each anchored on its rarest pair of adjacent bytes. A line is scanned once:
/// only where an anchor pair occurs are the needles anchored on it compared.
#[derive(Debug)]
struct Matcher {
    needles: Vec<&'static [u8]>,
    /// For each byte pair `(a << 8) | b`, 1 + the index of its group in `groups`, or 0.
    anchor_group: Box<[u8; 65536]>,
    /// Per anchor pair: (needle id, offset of the anchor in the needle).
    groups: Vec<Vec<(u16, usize)>>,
    patterns: Vec<CompiledPattern>,
    /// Needles of the executor's success reports (not patterns): `@sha256:` of a pushed
    /// reference, and the push skipped with `--no-push`.
    digest: u16,
    push_skipped: u16,
}

fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(Matcher::build)
}

impl Matcher {
    fn build() -> Matcher {
        let mut needles: Vec<&'static str> = Vec::new();
        let id_of = |n: &'static str, needles: &mut Vec<&'static str>| -> u16 {
            match needles.iter().position(|x| *x == n) {
                Some(i) => u16::try_from(i).unwrap_or(u16::MAX),
                None => {
                    needles.push(n);
                    u16::try_from(needles.len() - 1).unwrap_or(u16::MAX)
                }
            }
        };
        let mut patterns = Vec::new();
        for p in PATTERNS {
            let any = p.any.iter().map(|alt| alt.iter().map(|n| id_of(n, &mut needles)).collect()).collect();
            let not = p.not.iter().map(|n| id_of(n, &mut needles)).collect();
            let overrides = p
                .overrides
                .iter()
                .filter_map(|id| PATTERNS.iter().position(|q| q.id == *id))
                .collect();
            patterns.push(CompiledPattern { any, not, overrides });
        }
        let digest = id_of("@sha256:", &mut needles);
        let push_skipped = id_of("skipping push to container registry due to --no-push", &mut needles);
        let mut anchor_group = Box::new([0u8; 65536]);
        let mut groups: Vec<Vec<(u16, usize)>> = Vec::new();
        for (i, n) in needles.iter().enumerate() {
            let best = n
                .as_bytes()
                .windows(2)
                .enumerate()
                .filter_map(|(j, w)| match *w {
                    [a, b] => Some((j, pair(a, b), rarity(a) + rarity(b))),
                    _ => None,
                })
                .max_by_key(|(j, _, score)| (*score, usize::MAX - j));
            let Some((offset, key, _)) = best else { continue };
            let Some(slot) = anchor_group.get_mut(key) else { continue };
            if *slot == 0 {
                groups.push(Vec::new());
                *slot = u8::try_from(groups.len()).unwrap_or(u8::MAX);
            }
            if let Some(g) = groups.get_mut(usize::from(*slot) - 1) {
                g.push((u16::try_from(i).unwrap_or(u16::MAX), offset));
            }
        }
        Matcher {
            needles: needles.into_iter().map(str::as_bytes).collect(),
            anchor_group,
            groups,
            patterns,
            digest,
            push_skipped,
        }
    }

    /// Mark every needle occurring in `lower` in `present`, listing them in `found`.
    fn find_needles(&self, lower: &[u8], present: &mut [bool], found: &mut Vec<u16>) {
        for (pos, w) in lower.windows(2).enumerate() {
            let [a, b] = *w else { continue };
            let g = self.anchor_group.get(pair(a, b)).copied().unwrap_or(0);
            if g == 0 {
                continue;
            }
            for &(id, offset) in self.groups.get(usize::from(g) - 1).map_or(&[][..], Vec::as_slice) {
                let Some(flag) = present.get_mut(usize::from(id)) else { continue };
                if *flag || pos < offset {
                    continue;
                }
                let hit = lower
                    .get(pos - offset..)
                    .zip(self.needles.get(usize::from(id)))
                    .is_some_and(|(rest, n)| rest.starts_with(n));
                if hit {
                    *flag = true;
                    found.push(id);
                }
            }
        }
    }
}

/// Copy `raw` into `out` without ANSI escapes, Buildkite timestamp markers, BEL and CR.
pub(crate) fn clean_line(raw: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while let Some(rest) = raw.get(i..) {
        // Copy the run up to the next byte that may start something to remove.
        let Some(run) = memchr::memchr3(0x1b, b'[', b'_', rest) else {
            out.extend_from_slice(rest);
            break;
        };
        out.extend_from_slice(rest.get(..run).unwrap_or_default());
        i += run;
        match raw.get(i) {
            Some(0x1b) => {
                i += 1;
                match raw.get(i) {
                    Some(b'[') => {
                        i += 1;
                        while let Some(&c) = raw.get(i) {
                            i += 1;
                            if (0x40..=0x7e).contains(&c) {
                                break;
                            }
                        }
                    }
                    Some(b'_' | b']' | b'P') => {
                        i += 1;
                        while let Some(&c) = raw.get(i) {
                            if c == 0x07 {
                                i += 1;
                                break;
                            }
                            if c == 0x1b && raw.get(i + 1) == Some(&b'\\') {
                                i += 2;
                                break;
                            }
                            i += 1;
                        }
                    }
                    Some(_) => i += 1,
                    None => {}
                }
            }
            Some(b'_') if raw.get(i..i + 6) == Some(b"_bk;t=") => {
                i += 6;
                while raw.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            Some(b'[') if caretless_sgr_len(raw.get(i..).unwrap_or_default()) > 0 => {
                i += caretless_sgr_len(raw.get(i..).unwrap_or_default());
            }
            Some(&b) => {
                out.push(b);
                i += 1;
            }
            None => break,
        }
    }
    if memchr::memchr2(b'\r', 0x07, out).is_some() {
        out.retain(|&b| b != b'\r' && b != 0x07);
    }
}

/// Length of a colour code whose escape byte was lost (`[36m`, `[0m`, `[1;31m`), or 0.
fn caretless_sgr_len(s: &[u8]) -> usize {
    let mut n = 1;
    while let Some(&c) = s.get(n) {
        if c == b'm' && n > 1 {
            return n + 1;
        }
        if !(c.is_ascii_digit() || c == b';') || n > 12 {
            return 0;
        }
        n += 1;
    }
    0
}

fn trim_ascii(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |e| e + 1);
    s.get(start..end).unwrap_or_default()
}

/// The title of a Buildkite group header (`~~~ `, `--- `, `+++ `), if the line is one.
fn group_header(line: &[u8]) -> Option<&[u8]> {
    for prefix in [b"~~~ ".as_slice(), b"--- ", b"+++ "] {
        if let Some(rest) = line.strip_prefix(prefix) {
            return Some(rest);
        }
    }
    if matches!(line, b"~~~" | b"---" | b"+++") {
        return Some(b"");
    }
    None
}

/// Drop a leading timestamp: `[2024-05-01T12:00:00Z] `, `2024-05-01T12:00:00.123Z `,
/// `2024-05-01 12:00:00 UTC `.
fn strip_timestamp(s: &str) -> &str {
    let looks_dated = |t: &str| {
        let b = t.as_bytes();
        b.len() >= 10
            && b.iter().take(4).all(u8::is_ascii_digit)
            && b.get(4) == Some(&b'-')
            && b.get(7) == Some(&b'-')
    };
    if let Some(inner) = s.strip_prefix('[')
        && looks_dated(inner)
        && let Some(end) = inner.find(']')
    {
        return inner.get(end + 1..).unwrap_or_default().trim_start();
    }
    if looks_dated(s) {
        let mut rest = s.split_once(' ').map_or("", |(_, r)| r);
        // `2024-05-01 12:00:00 UTC`
        if rest.as_bytes().get(2) == Some(&b':') {
            rest = rest.split_once(' ').map_or("", |(_, r)| r);
            if let Some(r) = rest.strip_prefix("UTC ") {
                rest = r;
            }
        }
        // Kubernetes (CRI) container logs: `<time> stdout F <message>`.
        for stream in ["stdout F ", "stderr F ", "stdout P ", "stderr P "] {
            if let Some(r) = rest.strip_prefix(stream) {
                rest = r;
            }
        }
        return rest.trim_start();
    }
    s
}

/// Replace JWTs (`eyJ….….…`), Buildkite API tokens (`bkua_…`) and every other credential
/// format validation knows (GitHub, GitLab, Docker Hub tokens, AWS access key ids) with a
/// marker, so that a finding (which may be posted as an annotation) never carries one.
fn redact_secrets(line: &str) -> String {
    let mut out = redact_tokens(line);
    // Each pass removes one; a line holds a handful at most.
    for _ in 0..64 {
        let Some((_, range)) = crate::validate::find_credential(&out) else { break };
        out.replace_range(range, "[redacted credential]");
    }
    redact_values(&out)
}

/// Is `name` (an identifier such as `DOCKER_PASSWORD`, `client_secret` or `auth`) the name of
/// a secret value?
fn secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(['_', '-']).filter(|w| !w.is_empty()).collect();
    lower == "auth"
        || words.iter().any(|w| matches!(*w, "password" | "passwd" | "pwd" | "secret" | "token" | "identitytoken" | "registrytoken" | "apikey"))
        || words.ends_with(&["api", "key"])
        || words.ends_with(&["private", "key"])
}

/// The end of a value that starts at `start`: a quoted value up to its closing quote, a bare
/// one up to white space or punctuation that ends a word in shell, JSON or YAML.
fn value_end(line: &str, start: usize) -> (usize, usize) {
    let rest = line.get(start..).unwrap_or_default();
    for quote in ["\\\"", "\"", "'"] {
        if let Some(inner) = rest.strip_prefix(quote) {
            let from = start + quote.len();
            let end = inner.find(quote).map_or(line.len(), |i| from + i);
            return (from, end);
        }
    }
    let end = rest.find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '&' | '|' | ')' | '}' | ']' | '\\')).map_or(line.len(), |i| start + i);
    (start, end)
}

/// Hide the values of secret-named settings a log may print: `DOCKER_PASSWORD=…`,
/// `--password …`, JSON `"password":"…"` / `"auth":"…"` (also escaped inside a string),
/// `Authorization: Basic …` and the password in a URL's `user:password@`.
fn redact_values(line: &str) -> String {
    let bytes = line.as_bytes();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let mut i = 0;
    while i < bytes.len() {
        if !bytes.get(i).copied().is_some_and(ident) {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).copied().is_some_and(ident) {
            i += 1;
        }
        let name = line.get(start..i).unwrap_or_default();
        if !secret_name(name.trim_start_matches('-')) {
            continue;
        }
        let before = line.get(..start).unwrap_or_default();
        let after = line.get(i..).unwrap_or_default();
        let value_start = if let Some(rest) = after.strip_prefix('=').filter(|r| !r.starts_with('=')) {
            // `NAME=value`, `--password=value`
            Some(line.len() - rest.len())
        } else if (before.ends_with('"') || before.ends_with('\'')) && (after.starts_with('"') || after.starts_with("\\\"") || after.starts_with('\'')) {
            // `"password": "value"`, `\"auth\":\"value\"`
            let rest = after.trim_start_matches(['"', '\\', '\'']).trim_start();
            rest.strip_prefix(':').map(|r| line.len() - r.trim_start().len())
        } else if name.starts_with("--") && after.starts_with(' ') {
            // `--password value`
            let rest = after.trim_start();
            (!rest.starts_with('-')).then(|| line.len() - rest.len())
        } else {
            None
        };
        if let Some(from) = value_start {
            let (from, end) = value_end(line, from);
            let value = line.get(from..end).unwrap_or_default();
            // A variable reference or a value already hidden says nothing secret and helps.
            if !value.is_empty() && !value.starts_with('$') && !value.starts_with("[redacted") && !value.starts_with('*') {
                ranges.push((from, end));
            }
            i = end.max(i);
        }
    }
    let lower = line.to_ascii_lowercase();
    let mut at = 0;
    while let Some(found) = lower.get(at..).and_then(|r| r.find("authorization:")) {
        let header = at + found + "authorization:".len();
        let rest = line.get(header..).unwrap_or_default();
        let scheme = rest.trim_start();
        let credentials = scheme.find(' ').map(|sp| header + (rest.len() - scheme.len()) + sp + 1);
        if let Some(from) = credentials {
            let (from, end) = value_end(line, from);
            if end > from && !line.get(from..end).unwrap_or_default().starts_with("[redacted") {
                ranges.push((from, end));
            }
        }
        at = header;
    }
    at = 0;
    while let Some(found) = line.get(at..).and_then(|r| r.find("://")) {
        let authority_start = at + found + 3;
        let authority = line.get(authority_start..).unwrap_or_default();
        let authority = &authority[..authority.find(|c: char| c == '/' || c.is_whitespace() || c == '"').unwrap_or(authority.len())];
        if let Some(atsign) = authority.rfind('@')
            && let Some(colon) = authority.get(..atsign).and_then(|u| u.find(':'))
            && colon + 1 < atsign
        {
            ranges.push((authority_start + colon + 1, authority_start + atsign));
        }
        at = authority_start;
    }
    if ranges.is_empty() {
        return line.to_string();
    }
    ranges.sort_unstable();
    let mut out = String::with_capacity(line.len());
    let mut copied = 0;
    for (from, end) in ranges {
        if from < copied {
            continue;
        }
        out.push_str(line.get(copied..from).unwrap_or_default());
        out.push_str("[redacted]");
        copied = end;
    }
    out.push_str(line.get(copied..).unwrap_or_default());
    out
}

fn redact_tokens(line: &str) -> String {
    let is_b64 = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    loop {
        let next = [rest.find("eyJ"), rest.find("bkua_"), rest.find("bkct_")].into_iter().flatten().min();
        let Some(start) = next else {
            out.push_str(rest);
            return out;
        };
        let (before, candidate) = rest.split_at(start);
        out.push_str(before);
        let len = candidate.find(|c: char| !(is_b64(c) || c == '.')).unwrap_or(candidate.len());
        let (word, after) = candidate.split_at(len);
        let jwt = word.starts_with("eyJ") && word.split('.').filter(|p| !p.is_empty()).count() >= 2;
        let api = (word.starts_with("bkua_") || word.starts_with("bkct_")) && word.len() >= 20;
        if jwt || api {
            out.push_str(if jwt { "[redacted JWT]" } else { "[redacted API token]" });
            rest = after;
        } else {
            let step = candidate.chars().next().map_or(1, char::len_utf8);
            out.push_str(candidate.get(..step).unwrap_or_default());
            rest = candidate.get(step..).unwrap_or_default();
        }
    }
}

fn truncate_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}

fn shorten_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

fn first_needle_pos(text: &str, p: &Pattern) -> usize {
    let lower = text.to_ascii_lowercase();
    p.any
        .iter()
        .flat_map(|alt| alt.iter())
        .filter_map(|n| lower.find(n))
        .min()
        .unwrap_or(0)
}

/// At most [`MATCHED_TEXT_CHARS`] characters of `text`, around byte offset `at`.
fn excerpt(text: &str, at: usize) -> String {
    let total = text.chars().count();
    if total <= MATCHED_TEXT_CHARS {
        return text.to_string();
    }
    let at_char = text.get(..at).map_or(0, |s| s.chars().count());
    let start = at_char.saturating_sub(60).min(total - MATCHED_TEXT_CHARS);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(text.chars().skip(start).take(MATCHED_TEXT_CHARS));
    if start + MATCHED_TEXT_CHARS < total {
        out.push('…');
    }
    out
}

/// The executor's `Pushed <ref>@sha256:…` in a lowercased line that has `@sha256:`.
fn reports_pushed(lower: &[u8]) -> bool {
    const PUSHED: &[u8] = b"pushed ";
    memchr::memchr_iter(b'p', lower).any(|i| {
        lower.get(i + PUSHED.len()..).is_some_and(|r| {
            let word = r.split(u8::is_ascii_whitespace).next().unwrap_or_default();
            lower.get(i..).is_some_and(|x| x.starts_with(PUSHED)) && word.windows(8).any(|w| w == b"@sha256:")
        })
    })
}

pub(crate) fn always(_: &[u8]) -> bool {
    true
}

/// The `org` and `registry` segments after each `packages.buildkite.com/` in a lowercased
/// line (skipping the `v2/` of API URLs). A segment ends at `/` or a delimiter.
fn registry_slugs(lower: &[u8]) -> impl Iterator<Item = (&[u8], Option<&[u8]>)> {
    const HOST: &[u8] = b"packages.buildkite.com/";
    let is_end = |c: &u8| c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'`' | b',' | b';' | b')' | b']' | b'\\');
    // `memchr` for the first byte, then a comparison: smaller in wasm than `memmem`.
    memchr::memchr_iter(b'p', lower).filter(|&i| lower.get(i..).is_some_and(|r| r.starts_with(HOST))).map(move |i| {
        let rest = lower.get(i + HOST.len()..).unwrap_or_default();
        let rest = rest.strip_prefix(b"v2/").unwrap_or(rest);
        let seg_end = |s: &[u8]| s.iter().position(|c| *c == b'/' || is_end(c)).unwrap_or(s.len());
        let org_len = seg_end(rest);
        let org = rest.get(..org_len).unwrap_or_default();
        let registry = match rest.get(org_len) {
            Some(b'/') => {
                let after = rest.get(org_len + 1..).unwrap_or_default();
                after.get(..seg_end(after))
            }
            _ => None,
        };
        (org, registry)
    })
}

/// KS632's lines: any of its specific needles, or `killed` as the shell prints it for a process
/// the kernel's OOM killer ended: the whole line (after a timestamp), or `… Killed /kaniko/…`.
pub(crate) fn killed_by_the_kernel(lower: &[u8]) -> bool {
    const SPECIFIC: &[&[u8]] = &[b"out of memory", b"oomkilled", b"137"];
    let has = |n: &[u8]| lower.windows(n.len()).any(|w| w == n);
    if SPECIFIC.iter().any(|n| has(n)) || has(b"/kaniko/executor") {
        return true;
    }
    let t = lower.trim_ascii();
    t == b"killed" || t.strip_suffix(b"killed").is_some_and(|head| head.trim_ascii_end().ends_with(b"]"))
}

/// `--lifetime N` (or `--lifetime=N`) with N over 300 in a lowercased line.
pub(crate) fn lifetime_over_300(lower: &[u8]) -> bool {
    const FLAG: &[u8] = b"--lifetime";
    memchr::memchr_iter(b'-', lower)
        .filter_map(|i| lower.get(i..).filter(|r| r.starts_with(FLAG)))
        .any(|rest| {
            let value = rest.get(FLAG.len()..).unwrap_or_default();
            let value = value.strip_prefix(b"=").unwrap_or(value);
            let value = value.iter().position(|b| !matches!(b, b' ' | b'"' | b'\'')).and_then(|p| value.get(p..)).unwrap_or_default();
            let digits = value.iter().take_while(|b| b.is_ascii_digit()).count();
            value
                .get(..digits)
                .and_then(|d| std::str::from_utf8(d).ok())
                .and_then(|d| d.parse::<u64>().ok())
                .is_some_and(|n| n > 300)
        })
}

/// A `packages.buildkite.com/{org}/{registry}` with an empty org or registry slug.
pub(crate) fn empty_registry_slug(lower: &[u8]) -> bool {
    registry_slugs(lower).any(|(org, registry)| org.is_empty() || registry.is_some_and(<[u8]>::is_empty))
}

/// A `packages.buildkite.com/{org}/{registry}` whose slug is a literal placeholder
/// (`{ORG}`, `<registry>`, `your-org`); `$VAR`/`${VAR}` shell syntax is not one.
pub(crate) fn placeholder_registry_slug(lower: &[u8]) -> bool {
    let placeholder = |s: &[u8]| {
        if s.is_empty() || s.first() == Some(&b'$') {
            return false;
        }
        if s.iter().any(|b| matches!(b, b'{' | b'}' | b'<' | b'>')) {
            return true;
        }
        // Only words such as `your-org`, `my-organization`, `org-slug`, `changeme` remain.
        matches!(s.first(), Some(b'y' | b'm' | b'o' | b'r' | b'c' | b'x' | b't' | b'%'))
            && crate::audience::is_placeholder(&String::from_utf8_lossy(s))
    };
    registry_slugs(lower).any(|(org, registry)| placeholder(org) || registry.is_some_and(placeholder))
}

/// `org/registry` from the first `packages.buildkite.com/org/registry` in `text`.
fn packages_ref(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let idx = lower.find(PACKAGES_HOST)?;
    let rest = text.get(idx + PACKAGES_HOST.len()..)?.strip_prefix('/')?;
    let rest = rest.strip_prefix("v2/").unwrap_or(rest);
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | ',' | ';' | ')' | ']'))
        .unwrap_or(rest.len());
    let path = rest.get(..end)?;
    let mut segs = path.split('/');
    let org = segs.next()?;
    let registry = segs.next()?.split([':', '@']).next()?;
    Some(format!("{org}/{registry}"))
}

fn build_finding(hit: Hit, pattern: &Pattern, rule: &'static Rule, ctx: &DiagnoseContext) -> Finding {
    let mut causes: Vec<String> = pattern.causes.iter().map(|c| (*c).to_string()).collect();
    let (message, fix) = tailor(rule, &hit.context, ctx, &mut causes);
    Finding {
        id: rule.id,
        name: rule.name,
        severity: rule.severity,
        confidence: pattern.confidence,
        message,
        causes,
        fix,
        lines: hit.ranges,
        occurrences: hit.occurrences,
        matched: hit.matched,
        section: hit.section,
        docs: rule.docs,
    }
}

/// The message and fix for one finding, naming the user's own values where the log or the
/// context gives them.
fn tailor(rule: &Rule, line: &str, ctx: &DiagnoseContext, causes: &mut Vec<String>) -> (String, String) {
    let mut message = rule.summary.to_string();
    let mut fix = rule.fix.to_string();
    let expected = ctx.expected_audience();
    match rule.id {
        "KS676" | "KS677" | "KS678" => {
            if let Some(aud) = &expected {
                let registry = aud.strip_prefix("https://").unwrap_or(aud);
                fix.push_str(&format!(
                    " With your configuration: `--audience \"{aud}\"` and destinations under `{registry}/`."
                ));
            }
        }
        "KS613" | "KS614" => {
            // The example host in the fix becomes the registry the log (or the destination) names.
            let from_line = line.split_once("://").and_then(|(_, rest)| {
                let host = rest.split(['/', '"', '\'', ' ', '`']).next().unwrap_or_default();
                (!host.is_empty() && (host.contains('.') || host.contains(':'))).then(|| host.to_string())
            });
            let from_destination = ctx.destination.as_deref().and_then(|d| d.split('/').next()).filter(|h| h.contains('.') || h.contains(':')).map(str::to_string);
            let from_reference = ["push permission for \"", "to destination ", "image from registry ", "registry "].iter().find_map(|lead| {
                let at = line.find(lead)? + lead.len();
                let host = line.get(at..)?.split(['/', '"', '\'', ' ', '`', ':']).next()?;
                let port = line.get(at + host.len()..).and_then(|r| r.strip_prefix(':')).map(|r| r.chars().take_while(char::is_ascii_digit).collect::<String>()).filter(|p| !p.is_empty());
                host.contains('.').then(|| match port {
                    Some(p) => format!("{host}:{p}"),
                    None => host.to_string(),
                })
            });
            // Never a made-up host: without one in the log or the context, a placeholder.
            let host = from_line.or(from_reference).or(from_destination).unwrap_or_else(|| "<registry-host>".to_string());
            fix = fix.replace("registry.internal:5000", &host);
        }
        "KS688" => {
            if let Some(aud) = &expected {
                fix = format!("Add `--audience \"{aud}\"` to `buildkite-agent oidc request-token`.");
            }
        }
        "KS689" => {
            if let Some(r) = packages_ref(line) {
                fix = format!(
                    "Use `buildkite-agent oidc request-token --audience \"https://{PACKAGES_HOST}/{r}\" --lifetime 300`, run right before Kaniko pushes."
                );
            }
        }
        "KS609" | "KS670" => {
            let log_ref = packages_ref(line);
            match (&log_ref, &expected) {
                (Some(r), Some(aud)) if *aud != format!("https://{PACKAGES_HOST}/{r}") => {
                    message.push_str(&format!(
                        " The token's audience is `{aud}` but the destination is on `{PACKAGES_HOST}/{r}`."
                    ));
                    fix = format!(
                        "Request the token right before Kaniko with `--audience \"https://{PACKAGES_HOST}/{r}\" --lifetime 300` (or push to the registry the audience names), write it to `/kaniko/.docker/config.json` under `{PACKAGES_HOST}/{r}` with username `buildkite`."
                    );
                    causes.retain(|c| !c.starts_with("the token's audience is not"));
                    causes.insert(0, format!("the audience `{aud}` names another registry than the destination `{PACKAGES_HOST}/{r}`"));
                }
                (Some(r), Some(aud)) => {
                    message.push_str(&format!(
                        " The configured audience `{aud}` matches the destination `{PACKAGES_HOST}/{r}`, so check the token's expiry and lifetime, the OIDC policy and config.json."
                    ));
                    if rule.id == "KS670" {
                        causes.clear();
                        causes.push("the token Kaniko used was not minted with the configured audience (a stale config.json, a token from another step, a placeholder or empty variable in the hook that mints it)".into());
                        causes.push("the registry was renamed, so its slug and audience changed".into());
                    } else {
                        causes.retain(|c| !c.starts_with("the token's audience is not"));
                    }
                    fix = format!(
                        "Mint the token right before Kaniko with `--audience \"{aud}\" --lifetime 300`, write it to `/kaniko/.docker/config.json` under `{PACKAGES_HOST}/{r}` with username `buildkite`, and inspect it with `kaniko-studio token --registry {PACKAGES_HOST}/{r}`."
                    );
                }
                (Some(r), None) => {
                    message.push_str(&format!(
                        " The destination is on `{PACKAGES_HOST}/{r}`: the token's audience must be exactly `https://{PACKAGES_HOST}/{r}`."
                    ));
                    fix = format!(
                        "Request the token right before Kaniko with `--audience \"https://{PACKAGES_HOST}/{r}\" --lifetime 300`, write it to `/kaniko/.docker/config.json` under `{PACKAGES_HOST}/{r}` with username `buildkite`, and check the registry's OIDC policy grants `write_packages`."
                    );
                }
                (None, Some(aud)) => {
                    message.push_str(&format!(" The configured audience is `{aud}`."));
                }
                (None, None) => {}
            }
            if let Some(l) = ctx.token_lifetime {
                if l > 300 {
                    causes.insert(0, format!("the configured `--lifetime {l}` is over the 300 s Package Registries accept"));
                } else {
                    causes.push(format!("the build took longer than the configured token lifetime ({l} s)"));
                }
            }
        }
        "KS620" => {
            let value = line.rsplit(": ").next().unwrap_or_default().trim();
            let reason = if value.starts_with('/') || (value.contains("//") && !value.contains("://")) {
                Some("it has an empty path segment: a variable expanded to nothing")
            } else if value.contains("://") {
                Some("it has a scheme; `--destination` takes `host/path:tag` without `https://`")
            } else if value.chars().any(|c| c.is_ascii_uppercase()) {
                Some("it has uppercase letters; repositories are lowercase")
            } else if value.matches(':').count() >= 2 {
                Some("it has two tags; `--cache-repo` must not have a tag")
            } else {
                None
            };
            if let Some(reason) = reason {
                message = format!("The image reference `{}` is invalid: {reason}.", shorten_chars(value, 120));
            }
        }
        "KS601" | "KS700" | "KS704" => {
            if let Some(aud) = &ctx.audience
                && aud != crate::token::AWS_STS_AUDIENCE
                && rule.id != "KS704"
            {
                message.push_str(&format!(" The configured audience is `{aud}`; AWS STS expects `sts.amazonaws.com`."));
                causes.insert(0, format!("the token is requested with `--audience {aud}` instead of `sts.amazonaws.com`"));
            }
            if let (Some(l), "KS704" | "KS601") = (ctx.token_lifetime, rule.id) {
                causes.push(format!("the configured token lifetime ({l} s) is shorter than the build"));
            }
        }
        "KS600" | "KS648" | "KS646" | "KS647" => {
            if let Some(kind) = ctx.kind() {
                let hint = match kind {
                    RegistryKind::DockerHub => Some("Docker Hub: the config.json key must be `https://index.docker.io/v1/`"),
                    RegistryKind::Quay => Some("Quay: the config.json key must be `quay.io` (org-level keys never match)"),
                    RegistryKind::BuildkitePackages => Some("Package Registries: the token's audience must be the registry URL and it must not have expired"),
                    RegistryKind::Ecr => Some("ECR: Kaniko's built-in helper needs AWS credentials in the container"),
                    _ => None,
                };
                if let Some(h) = hint {
                    causes.insert(0, h.to_string());
                }
            }
        }
        _ => {}
    }
    if let Some(dest) = &ctx.destination
        && matches!(rule.id, "KS600" | "KS646" | "KS647" | "KS648" | "KS649" | "KS612" | "KS620")
        && !line.contains(dest.split(':').next().unwrap_or(dest))
    {
        message.push_str(&format!(" (Your configured destination is `{}`.)", shorten_chars(dest, 120)));
    }
    (message, fix)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ids(log: &str) -> Vec<&'static str> {
        diagnose(log.as_bytes(), &DiagnoseContext::default()).iter().map(|f| f.id).collect()
    }

    #[test]
    fn catalogue_is_consistent() {
        assert_eq!(PATTERNS.len(), RULES.len());
        assert!(RULES.len() >= 40, "only {} patterns", RULES.len());
        assert!(matcher().groups.len() < 255, "too many anchor groups");
        for (p, r) in PATTERNS.iter().zip(RULES) {
            assert_eq!(p.id, r.id);
            assert!(r.id >= "KS600" && r.id <= "KS799", "{}", r.id);
            for n in p.any.iter().flat_map(|a| a.iter()).chain(p.not.iter()) {
                assert!(n.len() >= 3, "{}: needle {n:?} too short", r.id);
                assert_eq!(*n, n.to_ascii_lowercase(), "{}: needle {n:?} not lowercase", r.id);
            }
            for o in p.overrides {
                assert!(PATTERNS.iter().any(|q| q.id == *o), "{}: overrides unknown {o}", r.id);
            }
        }
    }

    #[test]
    fn every_example_triggers_its_rule() {
        let failures: Vec<String> = RULES
            .iter()
            .filter_map(|r| {
                let found = ids(r.example);
                (!found.contains(&r.id)).then(|| format!("{}: example gives {found:?}", r.id))
            })
            .collect();
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn cleaning() {
        let mut out = Vec::new();
        clean_line(b"\x1b_bk;t=1712345678901\x07\x1b[31mERRO\x1b[0m[0003] x\r", &mut out);
        assert_eq!(out, b"ERRO[0003] x");
        clean_line(b"_bk;t=1712345678901[36mINFO[0m[0000] y", &mut out);
        assert_eq!(out, b"INFO[0000] y");
        assert_eq!(strip_timestamp("[2024-05-01T12:00:00Z] hello"), "hello");
        assert_eq!(strip_timestamp("2024-05-01 12:00:00 UTC hello"), "hello");
        assert_eq!(strip_timestamp("2024-05-01T12:00:00.1Z hello"), "hello");
        assert_eq!(strip_timestamp("plain"), "plain");
        assert_eq!(strip_timestamp("2025-11-24T16:00:04.123456789Z stderr F error x"), "error x");
    }

    #[test]
    fn ranges_merge_and_dedupe() {
        let log = "ok\nTOOMANYREQUESTS a\nTOOMANYREQUESTS b\nok\nTOOMANYREQUESTS c\n";
        let f = diagnose(log.as_bytes(), &DiagnoseContext::default());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].lines, [LineRange { start: 2, end: 3 }, LineRange { start: 5, end: 5 }]);
        assert_eq!(f[0].occurrences, 2);
    }

    #[test]
    fn chunks_split_anywhere_give_the_same_result() {
        let log = "~~~ :kaniko: Build\r\nINFO x\r\nerror checking push permissions -- ...: UNAUTHORIZED: authentication required\r\n";
        let whole = diagnose(log.as_bytes(), &DiagnoseContext::default());
        for size in [1, 2, 7, 64] {
            let ctx = DiagnoseContext::default();
            let mut d = Diagnoser::new(&ctx);
            for c in log.as_bytes().chunks(size) {
                d.feed(c);
            }
            assert_eq!(d.finish(), whole, "chunk size {size}");
        }
        assert_eq!(whole[0].section.as_deref(), Some(":kaniko: Build"));
        assert_eq!(whole[0].lines, [LineRange { start: 3, end: 3 }]);
    }

    #[test]
    fn a_bare_killed_line_is_the_oom_killer() {
        let ids = |log: &str| diagnose(log.as_bytes(), &DiagnoseContext::default()).iter().map(|f| f.id).collect::<Vec<_>>();
        for log in ["INFO[0040] Taking snapshot of full filesystem...\nKilled\n", "[2025-11-24T16:00:40Z] Killed\n", "sh: line 3:    12 Killed /kaniko/executor --context=dir:///workspace\n"] {
            assert_eq!(ids(log), ["KS632"], "{log:?}");
        }
        for log in ["test killed_process_is_restarted ... ok\n", "INFO[0001] RUN pkill -f worker || echo not killed\n"] {
            assert!(ids(log).is_empty(), "{log:?}");
        }
    }

    /// Tests and other tools print `401 Unauthorized` too: a build that went on to push its
    /// image did not fail on them, but a 401 after the push (a later step) is still reported.
    #[test]
    fn generic_symptoms_before_a_pushed_image_are_not_findings() {
        let test_output = "  expected status 401 Unauthorized, got 401 Unauthorized\n  GET http://127.0.0.1:3000/admin -> 403 Forbidden\n";
        let pushed = "INFO[0045] Pushed registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n";
        let skipped = "INFO[0040] Skipping push to container registry due to --no-push flag\n";
        let ctx = DiagnoseContext::default();
        let run = |log: String| diagnose(log.as_bytes(), &ctx).iter().map(|f| f.id).collect::<Vec<_>>();
        assert_eq!(run(test_output.to_string()), ["KS648", "KS649"]);
        assert!(run(format!("{test_output}{pushed}")).is_empty());
        assert!(run(format!("{test_output}{skipped}")).is_empty());
        assert_eq!(run(format!("{pushed}{test_output}")), ["KS648", "KS649"]);
        // A specific finding stays, as a warning: it names a real problem, but the build
        // went on past it and pushed.
        let log = format!("POST https://r.example.com/v2/app/blobs/uploads/: UNAUTHORIZED: authentication required\n{pushed}");
        let f = diagnose(log.as_bytes(), &ctx);
        assert_eq!(f.iter().map(|f| (f.id, f.severity)).collect::<Vec<_>>(), [("KS600", Severity::Warning)]);
        assert!(f[0].message.ends_with("The executor pushed the image afterwards (line 2), so this did not fail the build."), "{}", f[0].message);
        let log = format!("{pushed}POST https://r.example.com/v2/app/blobs/uploads/: UNAUTHORIZED: authentication required\n");
        assert_eq!(diagnose(log.as_bytes(), &ctx).iter().map(|f| f.severity).collect::<Vec<_>>(), [Severity::Error]);
        // "Pushed" without a digest (another tool's words) is not the executor's report.
        assert_eq!(run(format!("{test_output}Pushed tag v1 to origin\n")), ["KS648", "KS649"]);
    }

    #[test]
    fn generic_patterns_yield_to_specific_ones() {
        assert_eq!(ids("error pushing image: failed to push to destination x: TOOMANYREQUESTS"), ["KS631"]);
        assert_eq!(ids("error pushing image: failed to push to destination x: boom"), ["KS647"]);
    }

    #[test]
    fn context_names_the_users_values() {
        let ctx = DiagnoseContext {
            audience: Some("https://packages.buildkite.com/acme/other".into()),
            ..DiagnoseContext::default()
        };
        let log = "POST https://packages.buildkite.com/v2/acme/images/app/blobs/uploads/: UNAUTHORIZED: authentication required";
        let f = diagnose(log.as_bytes(), &ctx);
        assert_eq!(f[0].id, "KS609");
        assert!(f[0].message.contains("audience is `https://packages.buildkite.com/acme/other` but the destination is on `packages.buildkite.com/acme/images`"), "{}", f[0].message);
    }

    #[test]
    fn credentials_in_the_log_are_redacted_from_findings() {
        let log = "denied: requested access to the resource is denied; password eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln and bkua_0123456789abcdef0123 eyJ-not-a-token";
        let f = diagnose(log.as_bytes(), &DiagnoseContext::default());
        assert_eq!(f[0].id, "KS607");
        assert!(f[0].matched.contains("password [redacted JWT] and [redacted API token] eyJ-not-a-token"), "{}", f[0].matched);
        let log = format!("denied: requested access to the resource is denied (user x, token dckr_pat_{}, key AKIAIOSFODNN7EXAMPLE)", "0123456789abcdefghijABCDEFG");
        let f = diagnose(log.as_bytes(), &DiagnoseContext::default());
        assert!(f[0].matched.contains("token [redacted credential], key [redacted credential])"), "{}", f[0].matched);
    }

    /// Kaniko's warnings and retries are not failures: the build goes on.
    #[test]
    fn warnings_and_retries_are_not_errors() {
        let ctx = DiagnoseContext::default();
        for (line, want) in [
            ("WARN[0003] Error while retrieving image from cache: GET https://r.example.com/v2/app/cache/manifests/abc: MANIFEST_UNKNOWN: manifest unknown", "KS634"),
            ("WARN[0001] Failed to retrieve image library/alpine:3.20 from remapped registry mirror.example.com: GET https://mirror.example.com/v2/library/alpine/manifests/3.20: MANIFEST_UNKNOWN: manifest unknown. Will try with the next registry, or fallback to the original registry.", "KS642"),
        ] {
            let ids: Vec<&str> = diagnose(line.as_bytes(), &ctx).iter().map(|f| f.id).collect();
            assert_eq!(ids, [want], "{line}");
        }
        let retry = "INFO[0004] Retrying operation after 1s due to Get \"https://r.example.com/v2/\": net/http: TLS handshake timeout";
        assert!(diagnose(retry.as_bytes(), &ctx).is_empty());
        let failed = "error building image: unable to complete operation after 3 attempts, last error: Get \"https://r.example.com/v2/\": net/http: TLS handshake timeout";
        assert_eq!(diagnose(failed.as_bytes(), &ctx).first().map(|f| f.id), Some("KS615"));
    }

    /// A Kaniko process killed for memory, as busybox sh and kubectl say it.
    #[test]
    fn a_killed_executor_is_out_of_memory() {
        for line in ["sh: line 12: 31 Killed                  /kaniko/executor --context dir:///workspace", "command terminated with exit code 137"] {
            let f = diagnose(format!("INFO[0042] Taking snapshot of full filesystem...\n{line}\n").as_bytes(), &DiagnoseContext::default());
            assert!(f.iter().any(|f| f.id == "KS632"), "{line}: {f:?}");
        }
    }

    /// The TLS fixes name the registry the log names, or the configured destination's.
    #[test]
    fn tls_fixes_name_the_registry() {
        let ctx = DiagnoseContext::default();
        let line = "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for \"registry.corp.local:5000/app:1\": Get \"https://registry.corp.local:5000/v2/\": tls: failed to verify certificate: x509: certificate signed by unknown authority";
        let f = diagnose(line.as_bytes(), &ctx);
        assert_eq!(f[0].id, "KS613");
        assert!(f[0].fix.contains("--registry-certificate registry.corp.local:5000=/path/ca.pem"), "{}", f[0].fix);
        let line = "Get \"https://10.0.0.5:5000/v2/\": http: server gave HTTP response to HTTPS client";
        let f = diagnose(line.as_bytes(), &ctx);
        assert!(f[0].fix.contains("--insecure-registry 10.0.0.5:5000"), "{}", f[0].fix);
        let ctx = DiagnoseContext { destination: Some("harbor.example.com/team/app:1".into()), ..DiagnoseContext::default() };
        let f = diagnose(b"x509: certificate signed by unknown authority", &ctx);
        assert!(f[0].fix.contains("harbor.example.com="), "{}", f[0].fix);
    }

    #[test]
    fn secret_settings_in_the_log_are_redacted() {
        let cases = [
            (r#"{"auths":{"registry.example.com":{"username":"buildkite","password":"s3cr3t-p4ss"}}}"#, r#"{"auths":{"registry.example.com":{"username":"buildkite","password":"[redacted]"}}}"#),
            (r#"{"auths": {"r.io": {"auth": "dXNlcjpwYXNz"}}}"#, r#"{"auths": {"r.io": {"auth": "[redacted]"}}}"#),
            (r#"msg="wrote {\"auth\":\"dXNlcjpwYXNz\"}""#, r#"msg="wrote {\"auth\":\"[redacted]\"}""#),
            ("DOCKER_PASSWORD=hunter2 REGISTRY_PASSWORD='a b' x", "DOCKER_PASSWORD=[redacted] REGISTRY_PASSWORD='[redacted]' x"),
            ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI AWS_SESSION_TOKEN=FwoGZXIvYXdz AZURE_CLIENT_SECRET=abc~def", "AWS_SECRET_ACCESS_KEY=[redacted] AWS_SESSION_TOKEN=[redacted] AZURE_CLIENT_SECRET=[redacted]"),
            ("docker login --password hunter2 --username x", "docker login --password [redacted] --username x"),
            ("Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic [redacted]"),
            ("GET https://deploy:hunter2secret@registry.example.com/v2/", "GET https://deploy:[redacted]@registry.example.com/v2/"),
            // Not secrets: variable references, words that only contain a secret word, URLs without a password.
            ("password=$REGISTRY_PASSWORD UNAUTHORIZED: authentication required", "password=$REGISTRY_PASSWORD UNAUTHORIZED: authentication required"),
            ("buildkite-agent oidc request-token --audience https://packages.buildkite.com/a/b --lifetime 300", "buildkite-agent oidc request-token --audience https://packages.buildkite.com/a/b --lifetime 300"),
            ("token: expired; pull https://user@registry.example.com/v2/", "token: expired; pull https://user@registry.example.com/v2/"),
        ];
        for (line, want) in cases {
            assert_eq!(redact_secrets(line), want, "{line}");
        }
        let log = "error pushing image: UNAUTHORIZED: authentication required; config {\"auths\":{\"ghcr.io\":{\"password\":\"hunter2hunter2\"}}}";
        let f = diagnose(log.as_bytes(), &DiagnoseContext::default());
        assert!(!f.is_empty() && f.iter().all(|f| !format!("{f:?}").contains("hunter2")), "{f:?}");
    }

    #[test]
    fn regression_unterminated_last_line_is_counted() {
        let ctx = DiagnoseContext::default();
        let mut d = Diagnoser::new(&ctx);
        d.feed(b"one\ntwo: TOOMANYREQUESTS");
        assert_eq!(d.lines_seen(), 2);
        let f = d.finish();
        assert_eq!(f[0].lines, [LineRange { start: 2, end: 2 }]);
    }

    #[test]
    fn placeholder_fixes_name_the_configured_registry() {
        let ctx = DiagnoseContext { destination: Some("packages.buildkite.com/acme/images/app:1".into()), ..DiagnoseContext::default() };
        let f = diagnose(b"Pushing image to packages.buildkite.com/acme//app:1", &ctx);
        assert_eq!(f[0].id, "KS678");
        assert!(f[0].fix.ends_with("`--audience \"https://packages.buildkite.com/acme/images\"` and destinations under `packages.buildkite.com/acme/images/`."), "{}", f[0].fix);
    }

    #[test]
    fn long_lines_are_capped() {
        let mut log = "x".repeat(MAX_LINE_BYTES * 3);
        log.push_str(" TOOMANYREQUESTS\nTOOMANYREQUESTS\n");
        let f = diagnose(log.as_bytes(), &DiagnoseContext::default());
        assert_eq!(f[0].lines, [LineRange { start: 2, end: 2 }]);
        assert!(f[0].matched.chars().count() <= MATCHED_TEXT_CHARS + 2);
    }
}
