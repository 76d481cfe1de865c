//! Every token rule: a token (built here by base64url-encoding JSON) that must trigger it,
//! with its golden report, and a near miss that must not.
#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)]

use kaniko_studio_core::token::{RULES, TokenExpectation, TokenTarget, inspect_token};

use kaniko_studio_tests::assert_golden;

const NOW: i64 = 1_764_000_100;
const IAT: i64 = 1_764_000_000;

fn b64(s: &str) -> String {
    kaniko_studio_core::token::base64url_encode(s.as_bytes())
}

const HEADER: &str = r#"{"alg":"RS256","kid":"c1b7c4f3","typ":"JWT"}"#;
const SIG: &str = "c2lnbmF0dXJlLWJ5dGVzLW5vdC1zaG93bg";

fn jwt_with(header: &str, claims: &serde_json::Value, sig: &str) -> String {
    format!("{}.{}.{sig}", b64(header), b64(&claims.to_string()))
}

/// A real-looking Buildkite token; `edit` changes its claims.
fn token(edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) -> String {
    let mut claims = serde_json::json!({
        "iss": "https://agent.buildkite.com",
        "sub": "organization:acme:pipeline:app:ref:refs/heads/main:commit:1da177e4c3f41524e886b7f1b8a0c1fc7321cac2:step:build",
        "aud": "https://packages.buildkite.com/acme/docker-images",
        "iat": IAT, "nbf": IAT, "exp": IAT + 300,
        "jti": "0190c5e4-5f1e-7c3a-9d2b-3f4e5a6b7c8d",
        "organization_slug": "acme", "pipeline_slug": "app", "build_number": 42,
        "build_branch": "main", "build_tag": null, "build_commit": "1da177e4c3f41524e886b7f1b8a0c1fc7321cac2",
        "build_source": "webhook", "step_key": "build", "job_id": "0190c5e4-1111-2222-3333-444455556666",
        "agent_id": "0190c5e4-aaaa-bbbb-cccc-ddddeeeeffff", "runner_environment": "self-hosted",
        "queue_key": "kubernetes", "agent_tag:queue": "kubernetes"
    });
    edit(claims.as_object_mut().unwrap());
    jwt_with(HEADER, &claims, SIG)
}

fn aud(value: &str) -> String {
    token(|c| {
        c.insert("aud".into(), value.into());
    })
}

fn pkg(registry: &str) -> TokenExpectation {
    TokenExpectation {
        target: Some(TokenTarget::PackageRegistry { org: "acme".into(), registry: registry.into() }),
        issuer: None,
    }
}

fn gcp() -> TokenExpectation {
    TokenExpectation { target: Some(TokenTarget::GcpWorkloadIdentity { provider: None }), issuer: None }
}

const GCP_AUD: &str = "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/buildkite/providers/buildkite";

struct Case {
    id: &'static str,
    hit: String,
    near_miss: String,
    expect: TokenExpectation,
}

fn cases() -> Vec<Case> {
    let images = || pkg("docker-images");
    let c = |id, hit: String, near_miss: String, expect| Case { id, hit, near_miss, expect };
    vec![
        c("KS500", "bkua_0123456789abcdef0123456789abcdef01234567".into(), token(|_| {}), images()),
        c("KS501", format!("{}.eyJ%%%.{SIG}", b64(HEADER)), token(|_| {}), images()),
        c("KS502", format!("{}.{}.{SIG}", b64(HEADER), b64("not json")), token(|_| {}), images()),
        c("KS503", format!("{}.a.b.c.d", b64(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#)), token(|_| {}), images()),
        c("KS504", "x".repeat(70_000), format!("{}{}", token(|_| {}), " ".repeat(10_000)), images()),
        c(
            "KS505",
            format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(&serde_json::json!({"iss":"https://agent.buildkite.com","aud":"https://packages.buildkite.com/acme/docker-images","iat":IAT,"exp":IAT+300}).to_string())),
            token(|_| {}),
            images(),
        ),
        c("KS510", aud("https://buildkite.com/acme"), token(|_| {}), images()),
        c("KS511", aud("http://packages.buildkite.com/acme/docker-images"), token(|_| {}), images()),
        c("KS512", aud("https://packages.buildkite.com/acme/docker-images/"), token(|_| {}), images()),
        c("KS513", aud("https://packages.buildkite.com/acme/docker-images/app:42"), token(|_| {}), images()),
        c("KS514", aud("https://packages.buildkite.com/acme/Docker Images"), aud("https://packages.buildkite.com/acme/docker-images"), images()),
        c("KS515", aud("https://packages.buildkite.com/ACME/docker-images"), token(|_| {}), images()),
        c("KS516", aud("https://packages.buildkite.com/{BUILDKITE_ORGANIZATION_SLUG}/docker-images"), token(|_| {}), images()),
        c("KS517", aud("https://packages.buildkite.com//docker-images"), token(|_| {}), images()),
        c("KS518", aud("sts.amazonaws.com"), token(|_| {}), images()),
        c("KS519", aud("https://packages.buildkite.com/acme/helm-charts"), token(|_| {}), images()),
        c("KS520", aud("packages.buildkite.com/acme/docker-images"), token(|_| {}), images()),
        c(
            "KS521",
            token(|c| {
                c.remove("aud");
            }),
            token(|_| {}),
            images(),
        ),
        c(
            "KS522",
            aud("//iam.googleapis.com/projects/my-project/locations/global/workloadIdentityPools/buildkite/providers/buildkite"),
            aud(GCP_AUD),
            gcp(),
        ),
        c(
            "KS530",
            token(|c| {
                c.insert("exp".into(), (NOW - 125).into());
                c.insert("iat".into(), (NOW - 425).into());
                c.insert("nbf".into(), (NOW - 425).into());
            }),
            token(|c| {
                c.insert("exp".into(), (NOW + 1).into());
            }),
            images(),
        ),
        c(
            "KS531",
            token(|c| {
                c.insert("nbf".into(), (NOW + 600).into());
            }),
            token(|c| {
                c.insert("nbf".into(), NOW.into());
            }),
            images(),
        ),
        c(
            "KS532",
            token(|c| {
                c.insert("exp".into(), (IAT + 3600).into());
            }),
            token(|c| {
                c.insert("exp".into(), (IAT + 300).into());
            }),
            images(),
        ),
        c(
            "KS533",
            token(|c| {
                c.insert("exp".into(), (IAT + 14_400).into());
                c.insert("aud".into(), "sts.amazonaws.com".into());
            }),
            token(|c| {
                c.insert("exp".into(), (IAT + 7200).into());
                c.insert("aud".into(), "sts.amazonaws.com".into());
            }),
            TokenExpectation { target: Some(TokenTarget::AwsSts), issuer: None },
        ),
        c(
            "KS534",
            token(|c| {
                c.remove("exp");
            }),
            token(|_| {}),
            images(),
        ),
        c(
            "KS535",
            token(|c| {
                c.insert("exp".into(), "tomorrow".into());
            }),
            token(|c| {
                c.insert("exp".into(), serde_json::json!(1_764_000_300.0));
            }),
            images(),
        ),
        c(
            "KS540",
            token(|c| {
                c.insert("iss".into(), "https://agent.buildkite.com/".into());
            }),
            token(|_| {}),
            images(),
        ),
        c(
            "KS542",
            format!(r#"{{"auths":{{"packages.buildkite.com/acme/docker-images":{{"username":"AWS","password":"{}"}}}}}}"#, token(|_| {})),
            format!(r#"{{"auths":{{"packages.buildkite.com/acme/docker-images":{{"username":"buildkite","password":"{}"}}}}}}"#, token(|_| {})),
            TokenExpectation::default(),
        ),
        c(
            "KS541",
            token(|c| {
                c.insert("aud".into(), GCP_AUD.into());
                c.insert("sub".into(), "s".repeat(128).into());
            }),
            token(|c| {
                c.insert("aud".into(), GCP_AUD.into());
                c.insert("sub".into(), "s".repeat(127).into());
            }),
            gcp(),
        ),
    ]
}

#[test]
fn every_token_rule_has_a_case() {
    let cases = cases();
    for rule in RULES {
        assert!(cases.iter().any(|c| c.id == rule.id), "{} has no test case", rule.id);
    }
}

#[test]
fn every_token_rule_fires_on_its_case_with_golden_report() {
    for case in cases() {
        let rule = RULES.iter().find(|r| r.id == case.id).unwrap();
        let report = inspect_token(&case.hit, &case.expect, NOW);
        let ids: Vec<&str> = report.diagnostics.iter().map(|d| d.id).collect();
        assert!(ids.contains(&case.id), "{}: got {ids:?}", case.id);
        let json = serde_json::to_string_pretty(&report).unwrap();
        assert!(!json.contains(SIG), "{}: the signature leaked into the report", case.id);
        assert_golden(&format!("token/{}-{}.out", rule.id, rule.name), &format!("{json}\n"));
    }
}

#[test]
fn no_token_rule_fires_on_its_near_miss() {
    for case in cases() {
        let report = inspect_token(&case.near_miss, &case.expect, NOW);
        let ids: Vec<&str> = report.diagnostics.iter().map(|d| d.id).collect();
        assert!(!ids.contains(&case.id), "{}: near miss gave {ids:?}", case.id);
    }
}

#[test]
fn a_real_looking_token_is_clean_for_each_service() {
    for (a, expect) in [
        ("https://packages.buildkite.com/acme/docker-images", pkg("docker-images")),
        ("sts.amazonaws.com", TokenExpectation { target: Some(TokenTarget::AwsSts), issuer: None }),
        ("api://AzureADTokenExchange", TokenExpectation { target: Some(TokenTarget::Azure), issuer: None }),
        (GCP_AUD, TokenExpectation { target: Some(TokenTarget::GcpWorkloadIdentity { provider: Some(GCP_AUD.into()) }), issuer: None }),
        ("https://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/buildkite/providers/buildkite", TokenExpectation { target: Some(TokenTarget::GcpWorkloadIdentity { provider: Some(GCP_AUD.into()) }), issuer: None }),
    ] {
        let report = inspect_token(&aud(a), &expect, NOW);
        assert!(report.diagnostics.is_empty(), "{a}: {:?}", report.diagnostics);
    }
}

#[test]
fn default_audience_for_every_service() {
    for expect in [
        TokenExpectation { target: Some(TokenTarget::AwsSts), issuer: None },
        TokenExpectation { target: Some(TokenTarget::Azure), issuer: None },
        gcp(),
        pkg("docker-images"),
    ] {
        let report = inspect_token(&aud("https://buildkite.com/acme"), &expect, NOW);
        assert_eq!(report.diagnostics.first().map(|d| d.id), Some("KS510"), "{expect:?}");
    }
}

#[test]
fn token_minted_for_packages_used_with_aws() {
    let report = inspect_token(&token(|_| {}), &TokenExpectation { target: Some(TokenTarget::AwsSts), issuer: None }, NOW);
    assert_eq!(report.diagnostics[0].id, "KS518");
    assert!(report.diagnostics[0].message.contains("Buildkite Package Registries"), "{}", report.diagnostics[0].message);
}

#[test]
fn no_target_still_reports_shape_problems() {
    let none = TokenExpectation::default();
    for (a, id) in [
        ("https://buildkite.com/acme", "KS510"),
        ("https://packages.buildkite.com//docker-images", "KS517"),
        ("https://packages.buildkite.com/{ORG}/docker-images", "KS516"),
        ("https://packages.buildkite.com/acme/Docker Images", "KS514"),
        ("https://packages.buildkite.com/acme/docker-images/", "KS512"),
    ] {
        let report = inspect_token(&aud(a), &none, NOW);
        assert_eq!(report.diagnostics.first().map(|d| d.id), Some(id), "{a}: {:?}", report.diagnostics);
    }
    assert!(inspect_token(&token(|_| {}), &none, NOW).diagnostics.is_empty());
}

#[test]
fn github_actions_tokens_are_a_warning_for_package_registries() {
    let t = token(|c| {
        c.insert("iss".into(), "https://token.actions.githubusercontent.com".into());
    });
    let report = inspect_token(&t, &pkg("docker-images"), NOW);
    assert_eq!(report.diagnostics[0].id, "KS540");
    assert_eq!(report.diagnostics[0].severity, kaniko_studio_core::Severity::Warning);
}

#[test]
fn docker_config_names_the_registry_the_token_is_for() {
    // `auth` is base64("buildkite:<token>"); the key's registry becomes the target.
    let t = aud("https://packages.buildkite.com/acme/helm-charts");
    let auth = b64(&format!("buildkite:{t}"));
    let config = format!(r#"{{"auths":{{"ghcr.io":{{"auth":"dXNlcjpwYXNz"}},"packages.buildkite.com/acme/docker-images":{{"auth":"{auth}"}}}}}}"#);
    let report = inspect_token(&config, &TokenExpectation::default(), NOW);
    assert_eq!(report.input, Some(kaniko_studio_core::token::InputForm::DockerConfig));
    assert_eq!(report.auths_key.as_deref(), Some("packages.buildkite.com/acme/docker-images"));
    assert_eq!(report.expected_audience.as_deref(), Some("https://packages.buildkite.com/acme/docker-images"));
    assert_eq!(report.diagnostics.first().map(|d| d.id), Some("KS519"), "{:?}", report.diagnostics);
}
