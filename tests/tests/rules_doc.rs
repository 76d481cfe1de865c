//! `docs/rules.md` is generated from the rule tables (the same text `kaniko-studio rules`
//! prints). `UPDATE_GOLDEN=1 cargo test -p kaniko-studio-tests --test rules_doc` rewrites it.

use kaniko_studio_core::{rules, rules_doc};
use kaniko_studio_tests::repo_root;

#[test]
fn docs_rules_md_is_up_to_date() {
    let generated = rules_doc::markdown(&rules::all());
    let path = repo_root().join("docs").join("rules.md");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("docs dir")).expect("create docs/");
        std::fs::write(&path, &generated).expect("write docs/rules.md");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/rules.md is out of date with the rule tables; run `UPDATE_GOLDEN=1 cargo test -p kaniko-studio-tests --test rules_doc` and review the diff"
    );
}

#[test]
fn every_rule_is_documented_with_all_sections() {
    for r in rules::all() {
        for (what, text) in [("summary", r.summary), ("why", r.why), ("example", r.example), ("fix", r.fix)] {
            assert!(!text.trim().is_empty(), "{} has no {what}", r.id);
        }
        // Only the configuration file's own rules have no public page (their fixes name
        // `kaniko-studio init`); every other rule links to the source of its fact.
        let own_format = r.docs == kaniko_studio_core::config_file::DOCS_CONFIG;
        assert!(r.docs.starts_with("https://") || own_format, "{} needs a docs link", r.id);
    }
}

/// A docs link must lead somewhere: no placeholder host (`example.invalid`, `example.com` …)
/// in any rule or build-log pattern.
#[test]
fn no_docs_link_is_a_placeholder() {
    let links = rules::all().into_iter().map(|r| (r.id, r.docs));
    for (id, docs) in links {
        let host = docs.strip_prefix("https://").and_then(|rest| rest.split('/').next()).unwrap_or_default();
        assert!(
            !["example.invalid", "example.com", "example.org", "localhost"].iter().any(|p| host == *p || host.ends_with(&format!(".{p}"))),
            "{id} links to a placeholder: {docs}"
        );
    }
}
