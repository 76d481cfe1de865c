//! Property tests: `document::recognise` never panics, gives the same answer for the same
//! text, and is not thrown by what surrounds a document (a byte-order mark, trailing blanks).
#![cfg(not(target_arch = "wasm32"))]

use kaniko_studio_core::document::recognise;
use proptest::prelude::*;

/// Text made of the pieces the recogniser looks at, so that most cases get past its first
/// test: keys, list items, brackets, quotes, colours and log prefixes.
fn document_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("steps:".to_string()),
        Just("- iss: x".to_string()),
        Just("  scopes: []".to_string()),
        Just("auths".to_string()),
        Just("\"auths\": {".to_string()),
        Just("apiVersion: v1".to_string()),
        Just("kind: Secret".to_string()),
        Just("stack: kubernetes".to_string()),
        Just("- wait".to_string()),
        Just("INFO[0000] a".to_string()),
        Just("\u{1b}[36m".to_string()),
        Just("[2025-01-01T00:00:00Z] ".to_string()),
        Just("~~~ ".to_string()),
        Just("eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.".to_string()),
        "[{}\\[\\]\"':\\\\ ,\n-]{0,4}",
        "\\PC{0,8}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.join(""))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics_and_is_stable(text in any::<String>()) {
        let first = recognise(&text);
        prop_assert_eq!(first, recognise(&text));
    }

    #[test]
    fn document_like_text_never_panics_and_is_stable(text in document_like()) {
        let first = recognise(&text);
        prop_assert_eq!(first, recognise(&text));
        prop_assert_eq!(first, recognise(&format!("\u{feff}{text}")), "a byte-order mark changes the kind");
        prop_assert_eq!(first, recognise(&format!("{text}\n\n")), "trailing blank lines change the kind");
    }
}
