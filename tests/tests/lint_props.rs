//! Arbitrary input never panics the linter or the OIDC policy check and evaluation.
#![cfg(not(target_arch = "wasm32"))]

use kaniko_studio_core::lint::{SourceFile, lint};
use kaniko_studio_core::policy::{check_policy, claims_from_json, evaluate, jwt_claims};
use proptest::prelude::*;

const YAMLISH: &str = "[-:{}\\[\\],&*!|>'\"#%@` \n\t$a-z0-9]{0,200}";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn lint_never_panics(pipeline in any::<String>(), script in any::<String>()) {
        let _ = lint(&[SourceFile { path: "pipeline.yml", text: &pipeline }, SourceFile { path: "hook", text: &script }]);
    }

    #[test]
    fn lint_never_panics_on_yaml_like_text(pipeline in YAMLISH, script in "[a-z$\"'(){}|;&<> \n\\\\-]{0,200}") {
        let _ = lint(&[SourceFile { path: "pipeline.yml", text: &pipeline }, SourceFile { path: "hook.sh", text: &script }]);
        let steps = format!("steps:\n  - command: {script:?}\n    env: {{A: b}}\n    plugins:\n      - kubernetes:\n          podSpecPatch: {pipeline:?}\n");
        let _ = lint(&[SourceFile { path: "pipeline.yml", text: &steps }]);
    }

    #[test]
    fn policy_never_panics(policy in YAMLISH, claims in any::<String>(), token in any::<String>()) {
        let (p, _) = check_policy(&policy);
        if let Ok(c) = claims_from_json(&claims) {
            let _ = evaluate(&p, &c);
        }
        let _ = jwt_claims(&token);
        let (p, _) = check_policy(&claims);
        let c = claims_from_json(r#"{"iss":"https://agent.buildkite.com","organization_slug":"acme","build_number":1}"#).unwrap_or_default();
        let _ = evaluate(&p, &c);
    }

    #[test]
    fn policy_with_arbitrary_rules_never_panics(value in YAMLISH, claim in "[a-z\"0-9*?]{0,20}") {
        let text = format!("- iss: https://agent.buildkite.com\n  scopes: [read_packages]\n  claims:\n    organization_slug: {value}\n    build_branch:\n      matches: {value}\n- iss: https://agent.buildkite.com\n  scopes: [write_packages]\n  claims:\n    organization_slug: {value}\n");
        let (p, _) = check_policy(&text);
        let json = format!("{{\"iss\":\"https://agent.buildkite.com\",\"organization_slug\":\"{}\",\"build_branch\":\"{}\"}}", claim.replace('"', ""), claim.replace('"', ""));
        let c = claims_from_json(&json).unwrap_or_default();
        let _ = evaluate(&p, &c);
    }
}

#[test]
fn huge_and_deep_inputs_do_not_panic() {
    let deep = "[".repeat(100_000);
    let _ = lint(&[SourceFile { path: "p.yml", text: &deep }]);
    let _ = check_policy(&deep);
    let nested = "- ".repeat(10_000);
    let _ = lint(&[SourceFile { path: "p.yml", text: &nested }]);
    let long = format!("steps:\n  - command: \"{}\"\n", "$(".repeat(50_000));
    let _ = lint(&[SourceFile { path: "p.yml", text: &long }]);
}
