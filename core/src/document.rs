//! What kind of document a text is (a pipeline, an OIDC policy, a build configuration, a
//! Docker `config.json`, a Kubernetes manifest, a token, a build log), told from cheap
//! structural signs: the top-level keys, the keys of a top-level list's items, the shape of a
//! JWT, the prefixes of log lines. No YAML or JSON parser is involved, so the check costs one
//! pass over the text and never fails.
//!
//! The linter, the policy check and the configuration reader use it only where they would
//! otherwise report their generic shape error: a file given to the wrong command then gets one
//! finding that names the command (and the page's place) that checks it.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Rule};

/// A kind of document Kaniko Studio reads, or one users often give it by mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// A Buildkite pipeline: a mapping with `steps`, or a list of steps.
    Pipeline,
    /// A Package Registries OIDC policy: a list of statements with `iss`, `scopes`, `claims`.
    OidcPolicy,
    /// A Kaniko Studio build configuration (`stack`, `registry`, `kaniko` …).
    BuildConfiguration,
    /// A Docker `config.json` (`auths`, `credHelpers`, `credsStore`).
    DockerConfig,
    /// A Kubernetes manifest (`apiVersion` and `kind`), e.g. a Secret.
    KubernetesManifest,
    /// A JWT, such as a Buildkite OIDC token.
    Token,
    /// A build log (Buildkite section headers, Kaniko's log lines).
    BuildLog,
}

impl DocumentKind {
    /// Every kind.
    pub const ALL: [DocumentKind; 7] = [
        DocumentKind::Pipeline,
        DocumentKind::OidcPolicy,
        DocumentKind::BuildConfiguration,
        DocumentKind::DockerConfig,
        DocumentKind::KubernetesManifest,
        DocumentKind::Token,
        DocumentKind::BuildLog,
    ];

    /// A stable name (`oidc-policy`).
    pub fn name(self) -> &'static str {
        match self {
            DocumentKind::Pipeline => "pipeline",
            DocumentKind::OidcPolicy => "oidc-policy",
            DocumentKind::BuildConfiguration => "build-configuration",
            DocumentKind::DockerConfig => "docker-config",
            DocumentKind::KubernetesManifest => "kubernetes-manifest",
            DocumentKind::Token => "token",
            DocumentKind::BuildLog => "build-log",
        }
    }

    /// The kind as a message names it, with its article (`an OIDC policy`).
    pub fn described(self) -> &'static str {
        match self {
            DocumentKind::Pipeline => "a Buildkite pipeline",
            DocumentKind::OidcPolicy => "an OIDC policy",
            DocumentKind::BuildConfiguration => "a Kaniko Studio build configuration",
            DocumentKind::DockerConfig => "a Docker config.json",
            DocumentKind::KubernetesManifest => "a Kubernetes manifest",
            DocumentKind::Token => "an OIDC token (a JWT)",
            DocumentKind::BuildLog => "a build log",
        }
    }

    /// Where a document of this kind is checked, in the CLI and on the page.
    pub fn where_checked(self) -> &'static str {
        match self {
            DocumentKind::Pipeline => "Check it with `kaniko-studio lint FILE`, or paste it in the troubleshooter's Pipeline tab.",
            DocumentKind::OidcPolicy => "Check it with `kaniko-studio policy FILE`, or paste it in the troubleshooter's OIDC policy tab.",
            DocumentKind::BuildConfiguration => {
                "Check it with `kaniko-studio validate FILE` (and write its pipeline with `kaniko-studio generate FILE`), or load it with the wizard's Import."
            }
            DocumentKind::DockerConfig => {
                "To check the OIDC token in it, run `kaniko-studio token FILE` or paste it in the troubleshooter's OIDC token tab. Keep the file out of the repository: it holds credentials."
            }
            DocumentKind::KubernetesManifest => {
                "Kaniko Studio does not check Kubernetes manifests: check the pipeline whose steps use it with `kaniko-studio lint FILE`, or in the troubleshooter's Pipeline tab."
            }
            DocumentKind::Token => "Decode and check it with `kaniko-studio token FILE`, or paste it in the troubleshooter's OIDC token tab.",
            DocumentKind::BuildLog => "Explain it with `kaniko-studio diagnose FILE`, or paste it in the troubleshooter's Build log tab.",
        }
    }

    /// The one finding for a document of this kind given where a document of the `expected`
    /// kind belongs. It names only the kinds, never what the text holds (a token, a password).
    pub fn finding(self, rule: &'static Rule, expected: DocumentKind) -> Diagnostic {
        rule.diag(self.given_for(expected), self.where_checked())
    }

    /// What is wrong when a document of this kind is given where one of the `expected` kind
    /// belongs: "This is an OIDC policy, not a Buildkite pipeline."
    pub fn given_for(self, expected: DocumentKind) -> String {
        format!("This is {}, not {}.", self.described(), expected.described())
    }
}

/// `rule`'s finding when `text`, given where a document of the `expected` kind belongs, is
/// recognisably another kind of document.
pub fn given_instead_of(expected: DocumentKind, text: &str, rule: &'static Rule) -> Option<Diagnostic> {
    let kind = recognise(text).filter(|k| *k != expected)?;
    Some(kind.finding(rule, expected))
}

/// The kind of document `text` is, when its signs say so clearly: `None` when there are no
/// signs, or signs of more than one kind.
pub fn recognise(text: &str) -> Option<DocumentKind> {
    let text = text.trim_start_matches('\u{feff}');
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    if is_jwt(trimmed.strip_prefix("Bearer ").unwrap_or(trimmed)) {
        return Some(DocumentKind::Token);
    }
    let outline = Outline::of(text);
    let mut kinds = DocumentKind::ALL.into_iter().filter(|k| outline.shows(*k));
    match (kinds.next(), kinds.next()) {
        (Some(kind), None) => Some(kind),
        (Some(_), Some(_)) => None,
        (None, _) => looks_like_log(text).then_some(DocumentKind::BuildLog),
    }
}

/// The keys that give a document's kind away.
#[derive(Debug, Default)]
struct Outline<'t> {
    /// The keys of the top-level mapping.
    keys: Vec<&'t str>,
    /// The keys of the mappings in the top-level list.
    item_keys: Vec<&'t str>,
    /// The plain scalars in the top-level list (`- wait`).
    items: Vec<&'t str>,
}

/// Keys only steps have (`plugins` too, but policies never use it).
const STEP_KEYS: &[&str] = &["command", "commands", "plugins", "wait", "waiter", "block", "input", "trigger", "group", "label"];
/// The keys of an OIDC policy statement.
const STATEMENT_KEYS: &[&str] = &["iss", "scopes", "claims"];
/// The top-level keys of a build configuration that no other kind has (`version` and `image`
/// are too common to count).
const CONFIG_KEYS: &[&str] = &["stack", "registry", "kaniko", "extras", "max_build_minutes"];
/// The top-level keys of a Docker `config.json` that hold or find credentials.
const DOCKER_CONFIG_KEYS: &[&str] = &["auths", "credHelpers", "credsStore"];

impl<'t> Outline<'t> {
    fn of(text: &'t str) -> Self {
        if text.trim_start().starts_with(['{', '[']) { Self::of_json(text) } else { Self::of_yaml(text) }
    }

    fn has(keys: &[&str], any_of: &[&str]) -> bool {
        keys.iter().any(|k| any_of.contains(k))
    }

    /// Whether the signs of `kind` are there.
    fn shows(&self, kind: DocumentKind) -> bool {
        match kind {
            DocumentKind::Pipeline => {
                self.keys.contains(&"steps") || Self::has(&self.item_keys, STEP_KEYS) || Self::has(&self.items, crate::lint::schema::STRING_STEPS)
            }
            DocumentKind::OidcPolicy => Self::has(&self.item_keys, STATEMENT_KEYS),
            DocumentKind::BuildConfiguration => Self::has(&self.keys, CONFIG_KEYS),
            DocumentKind::DockerConfig => Self::has(&self.keys, DOCKER_CONFIG_KEYS),
            DocumentKind::KubernetesManifest => self.keys.contains(&"apiVersion") && self.keys.contains(&"kind"),
            DocumentKind::Token | DocumentKind::BuildLog => false,
        }
    }

    /// Block YAML, line by line: keys at the margin (the first line's indentation), and in a
    /// top-level list the keys at the indentation of each item's first key.
    fn of_yaml(text: &'t str) -> Self {
        let mut outline = Outline::default();
        let mut margin: Option<usize> = None;
        // The column of the current top-level list item's content, once an item is seen.
        let mut item_indent: Option<usize> = None;
        let mut root_is_list: Option<bool> = None;
        for line in text.lines() {
            let content = line.trim_start_matches([' ', '\t']);
            if content.is_empty() || content.starts_with(['#', '%']) || content.starts_with("---") || content.starts_with("...") {
                continue;
            }
            let indent = line.len() - content.len();
            let margin = *margin.get_or_insert(indent);
            if indent == margin {
                let is_item = content == "-" || content.starts_with("- ");
                if *root_is_list.get_or_insert(is_item) != is_item {
                    continue;
                }
                if !is_item {
                    outline.keys.extend(yaml_key(content));
                    continue;
                }
                let rest = content.get(1..).unwrap_or_default();
                let item = rest.trim_start_matches(' ');
                item_indent = Some(margin + 1 + rest.len() - item.len());
                match yaml_key(item) {
                    Some(key) => outline.item_keys.push(key),
                    None if !item.is_empty() => outline.items.push(item.trim_end()),
                    None => {}
                }
            } else if root_is_list == Some(true) && item_indent == Some(indent) {
                outline.item_keys.extend(yaml_key(content));
            }
        }
        outline
    }

    /// JSON: the keys of the top-level object, or of the objects in the top-level array.
    fn of_json(text: &'t str) -> Self {
        let mut outline = Outline::default();
        // The open brackets, outermost first; only their kinds matter.
        let mut open: Vec<u8> = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'{' | b'[' => open.push(b),
                b'}' | b']' => {
                    open.pop();
                }
                b'"' => {
                    let end = string_end(bytes, i + 1);
                    let after = bytes.get(end + 1..).unwrap_or_default();
                    let is_key = after.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b':');
                    if let (true, Some(key)) = (is_key, text.get(i + 1..end)) {
                        match open.as_slice() {
                            [b'{'] => outline.keys.push(key),
                            [b'[', b'{'] => outline.item_keys.push(key),
                            _ => {}
                        }
                    }
                    i = end;
                }
                _ => {}
            }
            i += 1;
        }
        outline
    }
}

/// The index of the quote that closes a JSON string whose text starts at `from` (the text's
/// length when it is not closed).
fn string_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The key of a `key: value` (or `key:`) line of block YAML, quoted or plain.
fn yaml_key(line: &str) -> Option<&str> {
    let (key, rest) = match line.strip_prefix(['"', '\'']) {
        Some(quoted) => {
            let quote = line.chars().next()?;
            let (key, rest) = quoted.split_once(quote)?;
            (key, rest.trim_start_matches(' '))
        }
        None => {
            let end = line.find(": ").or_else(|| line.strip_suffix(':').map(str::len))?;
            (line.get(..end)?.trim_end(), line.get(end..)?)
        }
    };
    (rest.starts_with(':') && !key.is_empty() && !key.starts_with(['{', '[', '-', '&', '*', '!', '|', '>'])).then_some(key)
}

/// A compact JWT: three base64url parts (the last, the signature, may be empty), the first
/// a JSON header (`eyJ` is `{"` encoded).
fn is_jwt(text: &str) -> bool {
    let mut parts = text.split('.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let base64url = |p: &str| p.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'='));
    header.starts_with("eyJ") && payload.len() >= 4 && [header, payload, signature].into_iter().all(base64url)
}

/// Two or more lines that a build log has and no YAML document does: Buildkite's section
/// headers (`~~~ `, `+++ `), its `🚨 Error: ` line, and Kaniko's log lines (`INFO[0000] …`, `{"level":"info", …}`), after the timestamps and
/// colours the agent adds; or one of Buildkite's timestamp markers (`ESC _bk;t=`).
fn looks_like_log(text: &str) -> bool {
    if text.contains("\u{1b}_bk;t=") {
        return true;
    }
    let log_lines = text.lines().filter(|line| is_log_line(line)).take(2).count();
    log_lines >= 2
}

fn is_log_line(line: &str) -> bool {
    // `[2025-11-24T16:00:00Z] ` before the line; after it, `--- ` is a section header too
    // (without it, `--- ` starts a YAML document).
    let stamped = line
        .strip_prefix('[')
        .and_then(|rest| rest.split_once("] "))
        .filter(|(stamp, _)| stamp.starts_with(|c: char| c.is_ascii_digit()))
        .map(|(_, after)| after);
    let plain: String = strip_colours(stamped.unwrap_or(line));
    let level = ["INFO", "WARN", "ERRO", "FATA", "DEBU", "TRAC"].iter().any(|l| {
        plain.strip_prefix(l).and_then(|r| r.strip_prefix('[')).is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    });
    level || plain.starts_with("{\"level\":\"") || plain.starts_with("🚨 Error: ") || plain.starts_with("~~~ ") || plain.starts_with("+++ ") || (stamped.is_some() && plain.starts_with("--- "))
}

/// The line without its ANSI colour codes and Buildkite's markers, as the log diagnosis reads it.
fn strip_colours(line: &str) -> String {
    let mut out = Vec::with_capacity(line.len());
    crate::diagnose::clean_line(line.as_bytes(), &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use DocumentKind::*;

    #[test]
    fn each_kind_is_recognised_from_its_signs() {
        let cases: &[(&str, Option<DocumentKind>)] = &[
            ("steps:\n  - command: make\n", Some(Pipeline)),
            ("env:\n  A: b\nsteps:\n- label: x\n  command: y\n", Some(Pipeline)),
            ("- command: make\n- wait\n", Some(Pipeline)),
            ("- wait\n", Some(Pipeline)),
            ("{\"steps\": [{\"command\": \"make\"}]}", Some(Pipeline)),
            ("- iss: https://agent.buildkite.com\n  scopes: [read_packages]\n  claims:\n    organization_slug: acme\n", Some(OidcPolicy)),
            ("-   iss: x\n    claims: {}\n", Some(OidcPolicy)),
            ("[{\"iss\": \"https://agent.buildkite.com\", \"claims\": {\"a\": \"b\"}}]", Some(OidcPolicy)),
            ("# a comment\nversion: 1\nstack: kubernetes\nregistry:\n  ghcr: {owner: acme}\n", Some(BuildConfiguration)),
            ("{\"version\": 1, \"stack\": \"kubernetes\"}", Some(BuildConfiguration)),
            ("{\n  \"auths\": {\"ghcr.io\": {\"auth\": \"x\"}}\n}", Some(DockerConfig)),
            ("{\"credHelpers\": {\"a.dkr.ecr.us-east-1.amazonaws.com\": \"ecr-login\"}}", Some(DockerConfig)),
            ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n", Some(KubernetesManifest)),
            ("---\napiVersion: v1\nkind: ConfigMap\n", Some(KubernetesManifest)),
            ("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln\n", Some(Token)),
            ("Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.", Some(Token)),
            ("~~~ Running commands\n$ make\nINFO[0000] Retrieving image manifest alpine\n", Some(BuildLog)),
            ("[2025-11-24T16:00:01Z] \u{1b}[36mINFO\u{1b}[0m[0000] a\n[2025-11-24T16:00:01Z] \u{1b}[36mINFO\u{1b}[0m[0001] b\n", Some(BuildLog)),
            ("\u{1b}_bk;t=1764000000000\u{7}~~~ Preparing working directory\n", Some(BuildLog)),
            ("+++ :kaniko: Build\n{\"level\":\"info\",\"msg\":\"Retrieving image\"}\n", Some(BuildLog)),
            ("[2025-11-24T16:00:00Z] --- :docker: Build image\n[2025-11-24T16:00:01Z] [36mINFO[0m[0000] Retrieving image\n", Some(BuildLog)),
        ];
        for (text, kind) in cases {
            assert_eq!(recognise(text), *kind, "{text:?}");
        }
    }

    #[test]
    fn no_signs_or_mixed_signs_give_no_kind() {
        for text in [
            "",
            "   \n",
            "command: make\n",
            "key: value\nother: 1\n",
            "just some words",
            "- 1\n- 2\n",
            // A configuration with a pipeline's key, a pipeline with a policy's key: a typo in
            // one of them, not another kind of document.
            "version: 1\nstack: kubernetes\nsteps: []\n",
            "- command: make\n  iss: x\n",
            "steps: []\nauths: {}\n",
            "{\"kind\": \"Secret\"}",
            "eyJhbGciOiJSUzI1NiJ9",
            "eyJ.a.b.c",
            "INFO[0000] one line is not a log\n",
        ] {
            assert_eq!(recognise(text), None, "{text:?}");
        }
    }

    /// Nested keys, block scalars and keys after the first document do not count as top-level.
    #[test]
    fn only_top_level_keys_count() {
        assert_eq!(recognise("metadata:\n  apiVersion: v1\n  kind: Secret\n"), None);
        assert_eq!(recognise("{\"a\": {\"auths\": {}}}"), None);
        assert_eq!(recognise("[{\"a\": [{\"iss\": 1}]}]"), None);
        assert_eq!(recognise("- label: x\n  command: |\n    iss: not a key\n"), Some(Pipeline));
        assert_eq!(recognise("{\"a\": \"}\\\"\", \"auths\": {}}"), Some(DockerConfig));
        // A document indented as a whole: its first line sets the margin.
        assert_eq!(recognise("  steps:\n  - command: make\n"), Some(Pipeline));
        assert_eq!(recognise("  - iss: x\n    scopes: []\n"), Some(OidcPolicy));
    }

    #[test]
    fn the_finding_names_the_kind_and_where_it_is_checked() {
        let d = OidcPolicy.finding(crate::lint::RULES.first().expect("a rule"), Pipeline);
        assert_eq!(d.message, "This is an OIDC policy, not a Buildkite pipeline.");
        assert!(d.fix.contains("`kaniko-studio policy FILE`") && d.fix.contains("OIDC policy tab"), "{}", d.fix);
        for kind in DocumentKind::ALL {
            assert!(kind.where_checked().contains("`kaniko-studio "), "{kind:?}");
            assert_eq!(DocumentKind::ALL.iter().filter(|k| k.name() == kind.name()).count(), 1);
        }
    }
}
