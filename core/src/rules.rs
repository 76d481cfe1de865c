//! The registry of every rule, across all modules. Ids are unique and stable.
//!
//! Id ranges: `KS0xx` slugs and audiences; `KS1xx`–`KS2xx` build configuration; `KS3xx`
//! pipeline lint; `KS4xx` OIDC policy; `KS5xx` OIDC token; `KS6xx`–`KS7xx` build-log patterns.

use crate::diagnostic::Rule;

/// Every rule table, in id order.
pub fn tables() -> Vec<&'static [Rule]> {
    vec![
        crate::audience::RULES,
        crate::kaniko_flags::RULES,
        crate::config::RULES,
        crate::config_file::RULES,
        crate::validate::RULES,
        crate::generate::RULES,
        crate::lint::RULES,
        crate::policy::RULES,
        crate::token::RULES,
        crate::diagnose::RULES,
    ]
}

/// Every rule.
pub fn all() -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = tables().into_iter().flatten().collect();
    rules.sort_by(|a, b| a.id.cmp(b.id));
    rules
}

/// A rule of `table` by id, for modules building diagnostics from their own table. The ids
/// passed are literals in the module's code: a mistyped one fails debug builds (and so every
/// test that reaches it); release builds fall back to a generic rule rather than panic.
pub fn by_id(table: &'static [Rule], id: &str) -> &'static Rule {
    let found = table.iter().find(|r| r.id == id);
    debug_assert!(found.is_some(), "rule {id} is not in its module's table");
    found.unwrap_or(&UNKNOWN_RULE)
}

static UNKNOWN_RULE: Rule = Rule {
    id: "KS000",
    name: "internal",
    severity: crate::diagnostic::Severity::Error,
    summary: "Internal: a rule id missing from its table.",
    why: "A bug in Kaniko Studio.",
    example: "",
    fix: "Report the bug.",
    docs: "",
};

/// Look a rule up by id.
pub fn find(id: &str) -> Option<&'static Rule> {
    tables().into_iter().flatten().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for rule in all() {
            assert!(seen.insert(rule.id), "duplicate rule id {}", rule.id);
            assert!(rule.id.starts_with("KS") && rule.id.len() == 5, "bad id {}", rule.id);
            assert!(rule.id[2..].chars().all(|c| c.is_ascii_digit()), "bad id {}", rule.id);
            assert!(!rule.summary.is_empty() && !rule.fix.is_empty(), "{} lacks docs", rule.id);
            assert!(rule.docs.is_empty() || rule.docs.starts_with("https://"), "{}: a docs link is an https URL", rule.id);
        }
    }
}
