//! Property tests: no input panics `inspect_token`, and the signature is never echoed.
#![cfg(not(target_arch = "wasm32"))]

use kaniko_studio_core::token::{TokenExpectation, TokenTarget, inspect_token};
use proptest::prelude::*;

fn b64(bytes: &[u8]) -> String {
    kaniko_studio_core::token::base64url_encode(bytes)
}

fn expectations() -> impl Strategy<Value = TokenExpectation> {
    prop_oneof![
        Just(TokenExpectation::default()),
        ("[a-z-]{0,12}", "[a-zA-Z -]{0,12}").prop_map(|(org, registry)| TokenExpectation {
            target: Some(TokenTarget::PackageRegistry { org, registry }),
            issuer: None,
        }),
        Just(TokenExpectation { target: Some(TokenTarget::AwsSts), issuer: None }),
        Just(TokenExpectation { target: Some(TokenTarget::Azure), issuer: None }),
        ".{0,80}".prop_map(|p| TokenExpectation {
            target: Some(TokenTarget::GcpWorkloadIdentity { provider: Some(p) }),
            issuer: None,
        }),
        ".{0,80}".prop_map(|a| TokenExpectation { target: Some(TokenTarget::Exact { audience: a }), issuer: None }),
    ]
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number)),
        ".{0,60}".prop_map(serde_json::Value::from),
        "https?://(packages\\.)?buildkite\\.com/[a-zA-Z{}<> /]{0,20}(/[a-z]{0,8}){0,3}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(".{0,8}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(s in ".{0,3000}", expect in expectations(), now in any::<i64>()) {
        let r = inspect_token(&s, &expect, now);
        prop_assert!(r.claims.is_some() || r.diagnostics.len() == 1);
        prop_assert!(!r.signature_verified);
    }

    #[test]
    fn arbitrary_claims_never_panic_and_never_echo_the_signature(
        claims in proptest::collection::btree_map(
            prop_oneof![Just("iss".to_string()), Just("aud".to_string()), Just("exp".to_string()),
                        Just("iat".to_string()), Just("nbf".to_string()), Just("sub".to_string()),
                        Just("organization_slug".to_string()), ".{0,10}"],
            json_value(), 0..10),
        sig in proptest::collection::vec(any::<u8>(), 16..64),
        expect in expectations(),
        now in any::<i64>(),
    ) {
        let claims = serde_json::Value::Object(claims.into_iter().collect());
        let sig = b64(&sig);
        let jwt = format!("{}.{}.{sig}", b64(br#"{"alg":"RS256"}"#), b64(claims.to_string().as_bytes()));
        let r = inspect_token(&jwt, &expect, now);
        prop_assert!(r.claims.is_some());
        let json = serde_json::to_string(&r).unwrap_or_default();
        prop_assert!(!json.contains(&sig));
        for d in &r.diagnostics {
            prop_assert!(!d.message.is_empty() && !d.fix.is_empty());
        }
    }
}
