//! Property tests: no log panics `diagnose`, chunking never changes the result, and
//! findings stay within the log.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::indexing_slicing)]

use kaniko_studio_core::diagnose::{DiagnoseContext, Diagnoser, RULES, diagnose};
use proptest::prelude::*;

/// Lines mixing real error examples, cut at random places, with noise and escapes.
fn log_lines() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        (0..RULES.len(), 0usize..400).prop_map(|(i, cut)| {
            let ex = RULES[i].example.as_bytes();
            ex[..cut.min(ex.len())].to_vec()
        }),
        (0..RULES.len()).prop_map(|i| RULES[i].example.as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..64),
        Just(b"\x1b_bk;t=1764000000000\x07".to_vec()),
        Just(b"\x1b[31m".to_vec()),
        Just(b"[36m".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n~~~ group\n".to_vec()),
        Just(b"packages.buildkite.com/".to_vec()),
        Just(b"/".to_vec()),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = diagnose(&bytes, &DiagnoseContext::default());
    }

    #[test]
    fn arbitrary_strings_never_panic(s in ".{0,2000}") {
        let ctx = DiagnoseContext {
            audience: Some(s.chars().take(50).collect()),
            destination: Some(s.chars().rev().take(50).collect()),
            token_lifetime: Some(3600),
            ..DiagnoseContext::default()
        };
        let _ = diagnose(s.as_bytes(), &ctx);
    }

    #[test]
    fn chunking_does_not_change_findings(log in log_lines(), sizes in proptest::collection::vec(1usize..200, 1..20)) {
        let ctx = DiagnoseContext::default();
        let whole = diagnose(&log, &ctx);
        let mut d = Diagnoser::new(&ctx);
        let mut rest = log.as_slice();
        let mut i = 0;
        while !rest.is_empty() {
            let n = sizes[i % sizes.len()].min(rest.len());
            d.feed(&rest[..n]);
            rest = &rest[n..];
            i += 1;
        }
        let lines = d.lines_seen();
        let streamed = d.finish();
        prop_assert_eq!(&streamed, &whole);
        for f in &whole {
            prop_assert!(!f.lines.is_empty() && f.lines.len() <= 5);
            prop_assert!(f.occurrences as usize >= f.lines.len());
            for r in &f.lines {
                prop_assert!(1 <= r.start && r.start <= r.end && r.end <= lines);
            }
            prop_assert!(f.matched.chars().count() <= 242);
            prop_assert!(!f.message.is_empty() && !f.fix.is_empty() && !f.causes.is_empty());
        }
    }
}
