//! The YAML fast path (`lint::yaml::parse_fast`) against the saphyr path
//! (`lint::yaml::parse_saphyr`): whenever the fast path accepts a text, its tree — values,
//! styles, spans and byte ranges — must equal saphyr's. Checked on every YAML file in the
//! repository, on generated block-YAML documents (valid and broken), and on YAML-like noise.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use kaniko_studio_core::lint::yaml::{Node, parse, parse_fast, parse_saphyr};
use kaniko_studio_tests::repo_root;
use proptest::prelude::*;

/// Fast path ⇒ same tree as saphyr. Returns whether the fast path accepted the text.
fn agree(text: &str) -> bool {
    let Some(fast) = parse_fast(text) else { return false };
    let slow = parse_saphyr(text);
    let same = slow.as_ref().ok().and_then(Option::as_ref) == Some(&fast);
    if !same {
        let why = match slow.as_ref().ok().and_then(Option::as_ref) {
            Some(s) => first_difference(&fast, s, "$"),
            None => format!("saphyr: {slow:?}"),
        };
        assert!(same, "fast path and saphyr differ on:\n---\n{text}---\n{why}");
    }
    assert_eq!(parse(text).ok().flatten().as_ref(), Some(&fast));
    true
}

/// The first node where two trees differ, with its path.
fn first_difference(a: &Node, b: &Node, path: &str) -> String {
    use kaniko_studio_core::lint::yaml::NodeKind;
    let here = |a: &Node, b: &Node| {
        let short = |n: &Node| match &n.kind {
            NodeKind::Scalar { value, style } => format!("scalar {value:?} {style:?}"),
            NodeKind::Seq(i) => format!("seq of {}", i.len()),
            NodeKind::Map(e) => format!("map of {}", e.len()),
            NodeKind::Alias => "alias".to_string(),
        };
        format!("at {path}:\n fast:   {} span {:?} bytes {:?}\n saphyr: {} span {:?} bytes {:?}", short(a), a.span, a.bytes, short(b), b.span, b.bytes)
    };
    match (&a.kind, &b.kind) {
        (NodeKind::Seq(x), NodeKind::Seq(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                if p != q {
                    return first_difference(p, q, &format!("{path}[{i}]"));
                }
            }
            here(a, b)
        }
        (NodeKind::Map(x), NodeKind::Map(y)) if x.len() == y.len() => {
            for (i, ((k1, v1), (k2, v2))) in x.iter().zip(y).enumerate() {
                if k1 != k2 {
                    return first_difference(k1, k2, &format!("{path}.key{i}"));
                }
                if v1 != v2 {
                    return first_difference(v1, v2, &format!("{path}.{}", k1.as_str().unwrap_or("?")));
                }
            }
            here(a, b)
        }
        _ => here(a, b),
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if p.is_dir() {
            if !matches!(name, "target" | ".git" | "node_modules" | "dist" | "pkg") && !name.starts_with("target") {
                yaml_files(&p, out);
            }
        } else if name.ends_with(".yml") || name.ends_with(".yaml") {
            out.push(p);
        }
    }
}

#[test]
fn every_yaml_file_in_the_repository_parses_the_same() {
    let mut files = Vec::new();
    yaml_files(&repo_root(), &mut files);
    files.sort();
    let mut accepted = 0;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else { continue };
        if agree(&text) {
            accepted += 1;
        }
    }
    assert!(files.len() > 50, "only {} YAML files found", files.len());
    // Nearly all of them are plain block YAML: the fast path must really be used.
    assert!(accepted * 10 >= files.len() * 8, "the fast path accepted only {accepted} of {} files", files.len());
}

#[test]
fn every_generated_pipeline_takes_the_fast_path() {
    let mut files = Vec::new();
    yaml_files(&repo_root().join("tests").join("golden").join("generate"), &mut files);
    for f in files.iter().filter(|f| f.ends_with("pipeline.yml")) {
        let text = std::fs::read_to_string(f).expect("read");
        assert!(agree(&text), "{} is not read by the fast path", f.display());
    }
}

/// The shapes of the lint benchmark's heavy pipeline.
const HEAVY_STEP: &str = r#"env:
  ORG: acme
steps:
  - label: ":kaniko: image 1"
    key: image-1
    env:
      REGISTRY: images
    command: |
      set -eu
      REG="packages.buildkite.com/$${BUILDKITE_ORGANIZATION_SLUG}/$${REGISTRY}"
      TOKEN="$$(buildkite-agent oidc request-token --audience "https://$${REG}" --lifetime 300)"
      printf '{"auths":{"%s":{"username":"buildkite","password":"%s"}}}' "$${REG}" "$${TOKEN}" > /kaniko/.docker/config.json
    plugins:
      - kubernetes:
          podSpecPatch:
            containers:
              - name: container-0
                image: gcr.io/kaniko-project/executor:v1.24.0-debug
  - label: test 2
    command:
      - make test SHARD=2
      - buildkite-agent artifact upload "out/**/*"
    env:
      SHARD: "2"
    timeout_in_minutes: 10
    retry:
      automatic: true
    plugins:
      - docker#v5.13.0:
          image: golang:1.23
          environment: [SHARD]
  - wait
  - group: group 3
    steps:
      - command: echo ${SHARD} 3
        env:
          SHARD: x
      - comand: echo typo
  - trigger: deploy-4
    build:
      branch: main
"#;

#[test]
fn benchmark_shapes_take_the_fast_path() {
    assert!(agree(HEAVY_STEP));
    for text in [
        "a: 1\nb:\n- x\n- y   # c\nc: d  \n",
        "e:\n  - - a\n    - b\n  -   k: v\n      l: [a, \"b c\", {x: y}]\n",
        "s:\n  t: |+\n    keep\n\nu: end\n",
        "m:\n  x: |\n    a\n  # c\n   \n  y: >\n    one\n    two\n\n    three\n  \n  z: [ a , b ]\n",
        "a: [x]  # c\nb: \"q\"  # c\nc: 'q'   \nd: {a: b}  \ne: [x, [y, z], {}]\n",
        "- x  \n-  \"y\"   \n- [a]   \n",
        "a: []\nb: {}\nl:   # comment\n\"k\": v\n",
    ] {
        assert!(agree(text), "not in the fast path:\n{text}");
    }
}

#[test]
fn edge_cases_agree_when_taken() {
    let mut taken = 0;
    for text in [
        "a:\n  b\n", "a:\n  \"b\"\n", "a:\n  |\n    x\n", "- |\n x\n", "-\n  a: b\n", "a:\n- b\n- c\nd: e\n",
        "- a:\n  - b\n", "a: |-\n  x\n\n\nb: c\n", "a: >+\n  x\n\n", "a: 'x' #c\n", "a: [x] #c\n", "a: \"x\"#c\n",
        "\"a b\": c\n", "'a': c\n", "a: [ ]\n", "a: { }\n", "a: {b: c, d: [e]}\n", "  a: b\n  c: d\n",
        "a:\n  b:\n    c: d\n  e: f\n", "- - - a\n    - b\n  - c\n", "a: b # c: d\n", "a: b#c\n", "a: x\n\n\n# end\n",
        "a: |\n  x\n# c\n", "a: |\n  x\n  # c\nb: 1\n", "a: -x\n", "a: [-x, y]\n", "a: {-x: y}\n", "- -x\n", "a:b: c\n",
        "a: >\n  x\n\n  y\n\n\nb: c\n", "a: |\n  x\n   \n  y\n", "- a\n-\n  - b\n", "a: 'it''s'\n", "a: \"\\\\ \\/\"\n",
        "a: |+\n  x\n \n\nb: c\n", "a: |+\n  x\n  \n", "a: >-\n  x\n \n  y\n", "- >\n  a\n  b\n -\n", "a: |\n  x\n \n",
    ] {
        if agree(text) {
            taken += 1;
        }
    }
    assert!(taken >= 25, "only {taken} edge cases took the fast path");
}

#[test]
fn unusual_yaml_falls_back_to_saphyr() {
    for text in [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "--- \na: 1\n",
        "a: 1\n---\nb: 2\n",
        "? a\n: b\n",
        "a:\tb\n",
        "a: b\r\n",
        "a: \"\\u00e9\"\n",
        "a: plain\n  continued\n",
        "a: \"two\n  lines\"\n",
        "a: é\n",
        "a: 1",
        "a: [1,\n  2]\n",
        "a: |2\n   x\n",
        "a:\n  b: 1\n c: 2\n",
        "a: b: c\n",
        "- a\nb: c\n",
        // Regression: a flow plain scalar may not start with `-` before a flow indicator.
        "a: [-, b]\n",
        "a: {k: 1 -}\n",
        "a: [x -]\n",
    ] {
        assert!(parse_fast(text).is_none(), "the fast path should leave this to saphyr:\n{text}");
        assert_eq!(parse(text), parse_saphyr(text));
    }
}

// ---- generated documents ------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Doc {
    Scalar(String),
    Seq(Vec<Doc>),
    Map(Vec<(String, Doc)>),
    Flow(Vec<String>, bool),
    Block(Vec<String>, bool, u8),
}

/// Scalar texts, including ones that need quoting, look like other syntax, or are not in the
/// fast path's subset.
const WORDS: &[&str] = &[
    "a", "build", "make test", "true", "1", "3.10", "-x", "--flag=1", "a#b", "a #b", "x:y", "x: y", "it's", "say \"hi\"",
    "{a}", "[a]", "~", "", " lead", "trail ", "*x", "&a b", "!t", "% p", "@x", "`x`", "? x", "a\\b", "${VAR}", "$$(cmd)",
    "https://packages.buildkite.com/acme/images", "é", "a\tb", "- x", ":x", "a,b", "a]b", "#c", "|", ">", "'", "\"",
];

/// Words as pipelines mostly have them.
const COMMON: &[&str] = &["a", "build", "make test", "true", "1", "-x", "--flag=1", "a#b", "it's", "${VAR}", "x:y", "~", "", "queue=k8s", "echo \"$$A\" 'b'"];

fn word() -> impl Strategy<Value = String> + Clone {
    prop_oneof![3 => proptest::sample::select(COMMON), 2 => proptest::sample::select(WORDS)].prop_map(str::to_string)
}

fn doc() -> impl Strategy<Value = Doc> {
    let word = self::word();
    let leaf = prop_oneof![
        4 => word.clone().prop_map(Doc::Scalar),
        1 => (proptest::collection::vec(word.clone(), 0..4), any::<bool>()).prop_map(|(w, m)| Doc::Flow(w, m)),
        1 => (proptest::collection::vec(proptest::sample::select(&["echo hi", "", "  indented", "# not a comment", "x: y", "last"][..]).prop_map(str::to_string), 1..5), any::<bool>(), 0u8..3)
            .prop_map(|(l, lit, ch)| Doc::Block(l, lit, ch)),
    ];
    leaf.prop_recursive(5, 48, 5, move |inner| {
        let key = self::word();
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..5).prop_map(Doc::Seq),
            proptest::collection::vec((key, inner), 1..5).prop_map(Doc::Map),
        ]
    })
}

/// Renders a document, taking layout choices (quoting, indentation, comments, blank lines,
/// trailing spaces, compact forms) from `choices`.
struct Render<'c> {
    out: String,
    choices: &'c [u8],
    next: usize,
}

impl Render<'_> {
    fn pick(&mut self, n: u8) -> u8 {
        let c = self.choices.get(self.next % self.choices.len().max(1)).copied().unwrap_or(0);
        self.next += 1;
        if n == 0 { 0 } else { c % n }
    }

    fn scalar(&mut self, s: &str) -> String {
        match self.pick(4) {
            0 => format!("'{}'", s.replace('\'', "''")),
            1 => {
                let escaped: String = s
                    .chars()
                    .map(|c| match c {
                        '"' => "\\\"".to_string(),
                        '\\' => if self.choices.len().is_multiple_of(2) { "\\\\".to_string() } else { "\\x5c".to_string() },
                        '\t' => "\\t".to_string(),
                        c => c.to_string(),
                    })
                    .collect();
                format!("\"{escaped}\"")
            }
            _ => s.to_string(),
        }
    }

    fn line_end(&mut self) {
        match self.pick(8) {
            0 => self.out.push_str("  # note"),
            1 => self.out.push_str("   "),
            2 => self.out.push_str(" #"),
            _ => {}
        }
        self.out.push('\n');
        match self.pick(10) {
            0 => self.out.push('\n'),
            1 => self.out.push_str("# comment\n"),
            2 => self.out.push_str("    # indented comment\n"),
            3 => self.out.push_str("  \n"),
            _ => {}
        }
    }

    /// Render `d` as the value after `key:` or `-` (on the same line or below), where the
    /// enclosing collection is at column `col`.
    fn value(&mut self, d: &Doc, col: usize) {
        let step = [2usize, 2, 4, 1, 3].get(usize::from(self.pick(5))).copied().unwrap_or(2);
        match d {
            Doc::Scalar(s) => {
                self.out.push(' ');
                let s = self.scalar(s);
                self.out.push_str(&s);
                self.line_end();
            }
            Doc::Flow(items, map) => {
                self.out.push(' ');
                let parts: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(i, w)| {
                        let w = self.scalar(w);
                        if *map { format!("k{i}: {w}") } else { w }
                    })
                    .collect();
                let sep = if self.pick(3) == 0 { " , " } else { ", " };
                let (o, c) = if *map { ("{", "}") } else { ("[", "]") };
                let pad = if self.pick(3) == 0 { " " } else { "" };
                self.out.push_str(&format!("{o}{pad}{}{pad}{c}", parts.join(sep)));
                self.line_end();
            }
            Doc::Block(lines, literal, chomp) => {
                let indicator = if *literal { "|" } else { ">" };
                let chomp = ["", "-", "+"].get(usize::from(*chomp)).copied().unwrap_or("");
                self.out.push_str(&format!(" {indicator}{chomp}"));
                self.line_end();
                let ind = col + step;
                for l in lines {
                    if l.is_empty() {
                        self.out.push('\n');
                    } else {
                        self.out.push_str(&" ".repeat(ind));
                        self.out.push_str(l);
                        self.out.push('\n');
                    }
                }
                if self.pick(4) == 0 {
                    self.out.push('\n');
                }
            }
            Doc::Seq(_) | Doc::Map(_) => {
                // Compact (`- - a`, `- k: v`) or on the following lines.
                let compact = matches!(self.pick(3), 0) && !self.out.ends_with(':');
                if compact {
                    self.out.push(' ');
                    let here = self.out.len() - self.out.rfind('\n').map_or(0, |i| i + 1);
                    self.collection(d, here, true);
                } else {
                    self.line_end();
                    let indentless = matches!(d, Doc::Seq(_)) && self.out.trim_end().ends_with(':') && self.pick(3) == 0;
                    let at = if indentless { col } else { col + step };
                    self.collection(d, at, false);
                }
            }
        }
    }

    /// Render a block collection at column `col`; `inline` when its first line is already
    /// started (compact form).
    fn collection(&mut self, d: &Doc, col: usize, inline: bool) {
        let mut first = inline;
        let mut lead = |r: &mut Self| {
            if !first {
                r.out.push_str(&" ".repeat(col));
            }
            first = false;
        };
        match d {
            Doc::Seq(items) => {
                for item in items {
                    lead(self);
                    self.out.push('-');
                    self.value(item, col);
                }
            }
            Doc::Map(entries) => {
                for (k, v) in entries {
                    lead(self);
                    let k = self.scalar(k);
                    self.out.push_str(&k);
                    self.out.push(':');
                    self.value(v, col);
                }
            }
            other => {
                lead(self);
                self.out.push_str("root:");
                self.value(other, col);
            }
        }
    }
}

fn render(d: &Doc, choices: &[u8]) -> String {
    let mut r = Render { out: String::new(), choices, next: 0 };
    if choices.first().is_some_and(|c| c % 7 == 0) {
        r.out.push_str("# header\n\n");
    }
    r.collection(d, 0, false);
    r.out
}

const YAMLISH: &str = "[-:{}\\[\\],&*!|>'\"#%@` \n$a-z0-9]{0,200}";

/// Cases per property: 4 096, or `YAML_FAST_CASES` for a longer run.
fn cases() -> u32 {
    std::env::var("YAML_FAST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(4096)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn generated_documents_parse_the_same(d in doc(), choices in proptest::collection::vec(any::<u8>(), 1..64)) {
        let text = render(&d, &choices);
        agree(&text);
    }

    #[test]
    fn edited_documents_parse_the_same(d in doc(), choices in proptest::collection::vec(any::<u8>(), 1..64), at in any::<usize>(), edit in "[ \n:#'\"|>\\[\\]{},-]{0,2}", cut in 0usize..3) {
        // Small edits of a valid document: most break it or move it out of the subset.
        let mut text = render(&d, &choices);
        let mut i = at % (text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        let end = (i + cut).min(text.len());
        if text.is_char_boundary(end) {
            text.replace_range(i..end, &edit);
        }
        agree(&text);
    }

    #[test]
    fn yaml_like_noise_parses_the_same(text in YAMLISH) {
        agree(&text);
        agree(&format!("{text}\n"));
        agree(&format!("steps:\n  - command: {text}\n"));
    }
}

/// The generated documents really exercise the fast path (a generator whose documents all
/// fall back would prove nothing).
#[test]
fn generated_documents_often_take_the_fast_path() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    // `YAML_FAST_CASES=200000` for a longer run.
    let total: usize = std::env::var("YAML_FAST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let mut accepted = 0;
    for _ in 0..total {
        let d = doc().new_tree(&mut runner).expect("doc").current();
        let choices = proptest::collection::vec(any::<u8>(), 1..64).new_tree(&mut runner).expect("choices").current();
        if agree(&render(&d, &choices)) {
            accepted += 1;
        }
    }
    eprintln!("fast path accepted {accepted} of {total} generated documents");
    assert!(accepted * 3 >= total, "only {accepted} of {total} generated documents took the fast path");
}
