//! The executor flag table in core matches the reference TSV files, row for row.
#![allow(clippy::panic)]

use kaniko_studio_core::kaniko_flags::{Availability, EXECUTOR_FLAGS, find_flag};
use kaniko_studio_tests::reference;

fn rows(name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(reference(name)).unwrap_or_else(|e| panic!("read {name}: {e}"));
    text.lines().skip(1).filter(|l| !l.trim().is_empty()).map(|l| l.split('\t').map(str::to_string).collect()).collect()
}

fn col(row: &[String], i: usize) -> &str {
    row.get(i).map(String::as_str).unwrap_or("")
}

#[test]
fn table_matches_the_extended_reference() {
    let executor_rows: Vec<Vec<String>> = rows("kaniko-flags-extended.tsv").into_iter().filter(|r| col(r, 0) == "executor").collect();
    assert_eq!(executor_rows.len(), EXECUTOR_FLAGS.len(), "one table entry per executor row");
    for (row, flag) in executor_rows.iter().zip(EXECUTOR_FLAGS) {
        let name = col(row, 1).trim_start_matches("--");
        assert_eq!(flag.name, name, "order follows the reference");
        let shorthand = col(row, 2).trim_start_matches('-').chars().next();
        assert_eq!(flag.shorthand, shorthand, "{name} shorthand");
        assert_eq!(flag.value.pflag_type(), col(row, 3), "{name} type");
        assert_eq!(flag.default, col(row, 5), "{name} default");
        assert_eq!(flag.deprecated.is_some(), col(row, 12) == "yes", "{name} deprecated");
        assert_eq!(flag.hidden, col(row, 13) == "yes", "{name} hidden");
        let expected = match (col(row, 9), col(row, 10)) {
            ("yes", _) => Availability::All,
            (_, "yes") => Availability::ChainguardOnly,
            _ => Availability::OssOnly,
        };
        assert_eq!(flag.availability, expected, "{name} availability");
        if let Some(new) = flag.deprecated {
            let replacement = find_flag(new).unwrap_or_else(|| panic!("{name} replacement {new} exists"));
            assert!(replacement.deprecated.is_none(), "{name} points at a current flag");
        }
    }
}

#[test]
fn every_basic_reference_flag_is_in_the_table() {
    for row in rows("kaniko-flags.tsv") {
        let name = col(&row, 0).trim_start_matches("--");
        let flag = find_flag(name).unwrap_or_else(|| panic!("{name} missing from the table"));
        let kind = match flag.value.pflag_type() {
            "bool" => "bool",
            "int" => "int",
            "duration" => "duration",
            "multi-arg type" | "key-value-arg type" | "key-multi-value-arg type" | "gitoptions" => "multi-string",
            _ => "string",
        };
        assert_eq!(kind, col(&row, 1), "{name} type");
        assert_eq!(flag.deprecated.is_some(), col(&row, 4) == "yes", "{name} deprecated");
    }
}
