//! The troubleshooter's panels in a real browser (headless Chromium via wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use kaniko_studio_core::token::TokenTarget;
use kaniko_studio_troubleshoot::{Prefill, Symptom, Troubleshooter, context, line_range_utf16};
use kaniko_studio_ui::default_config;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("document")
}

fn by_id(id: &str) -> web_sys::Element {
    let el = document().get_element_by_id(id);
    assert!(el.is_some(), "no element #{id}");
    el.expect("checked above")
}

fn paste(id: &str, value: &str) {
    let area: web_sys::HtmlTextAreaElement = by_id(id).dyn_into().expect("a textarea");
    area.set_value(value);
    area.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
}

fn text(id: &str) -> String {
    document().get_element_by_id(id).and_then(|e| e.text_content()).unwrap_or_default()
}

fn click(selector: &str) {
    let el: web_sys::HtmlElement =
        document().query_selector(selector).expect("selector").expect(selector).dyn_into().expect("html element");
    el.click();
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().expect("window").set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).expect("timeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.expect("timer");
}

/// Wait (up to 20 s) until `id`'s text satisfies `cond`.
async fn wait_for_text(id: &str, cond: impl Fn(&str) -> bool) -> String {
    for _ in 0..400 {
        leptos::task::tick().await;
        let t = text(id);
        if cond(&t) {
            return t;
        }
        sleep(50).await;
    }
    let t = text(id);
    assert!(cond(&t), "#{id} never matched; it reads: {t}");
    t
}

/// Mount the troubleshooter with the default set-up (acme / docker-images).
fn mount() -> (web_sys::Element, Box<dyn std::any::Any>) {
    let root = document().create_element("div").expect("div");
    document().body().expect("body").append_child(&root).expect("append");
    let handle = leptos::mount::mount_to(root.clone().unchecked_into(), || {
        view! { <Troubleshooter config=RwSignal::new(default_config())/> }
    });
    (root, Box::new(handle))
}

fn b64url(json: &str) -> String {
    let b64 = web_sys::window().expect("window").btoa(json).expect("ascii json");
    b64.trim_end_matches('=').replace('+', "-").replace('/', "_")
}

/// A token with `aud` and a 300 s lifetime starting now.
fn token(aud: &str) -> String {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let header = b64url(r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#);
    let claims = b64url(&format!(
        r#"{{"iss":"https://agent.buildkite.com","sub":"organization:acme:pipeline:app","aud":"{aud}","iat":{now},"nbf":{now},"exp":{},"organization_slug":"acme","pipeline_slug":"app","build_branch":"main"}}"#,
        now + 300
    ));
    format!("{header}.{claims}.c2lnbmF0dXJl")
}

#[wasm_bindgen_test]
fn prefill_comes_from_the_setup() {
    let config = default_config();
    let p = Prefill::from_config(&config);
    assert_eq!(p.audience.as_deref(), Some("https://packages.buildkite.com/acme/docker-images"));
    assert_eq!(p.host, "packages.buildkite.com");
    assert!(p.destination.as_deref().unwrap_or_default().starts_with("packages.buildkite.com/acme/docker-images/"));
    let ctx = p.diagnose_context(&config);
    assert_eq!(ctx.expected_audience().as_deref(), Some("https://packages.buildkite.com/acme/docker-images"));
    assert_eq!(ctx.org.as_deref(), Some("acme"));
    assert!(p.summary().contains("audience `https://packages.buildkite.com/acme/docker-images`"), "{}", p.summary());
}

#[wasm_bindgen_test]
fn import_config_reads_yaml_and_json_and_locates_errors() {
    let config = default_config();
    let read = kaniko_studio_troubleshoot::import_config("kaniko-studio.yaml", &config.to_yaml_string());
    let json = read.config_json().expect("read");
    assert_eq!(kaniko_studio_core::config::BuildConfig::from_json_data(&json), Ok(config.clone()));
    assert_eq!((read.error_count(), read.error_kind(0)), (0, None));
    let read = kaniko_studio_troubleshoot::import_config("kaniko-studio.json", &config.to_json_string());
    assert!(read.config_json().is_some());

    let broken = config.to_yaml_string().replacen("stack:", "stak:", 1);
    let line = broken.lines().position(|l| l.starts_with("stak:")).expect("stak") + 1;
    let read = kaniko_studio_troubleshoot::import_config("broken.yaml", &broken);
    assert_eq!(read.config_json(), None);
    assert_eq!((read.error_count(), read.error_kind(0).as_deref()), (1, Some("shape")));
    assert_eq!((read.error_line(0), read.error_col(0)), (u32::try_from(line).expect("small"), 1));
    assert!(read.error_message(0).contains("unknown field `stak`"), "{}", read.error_message(0));
    // Every problem of the file, as `kaniko-studio validate` lists them.
    let twice = broken.replacen("image:", "imge:", 1);
    let read = kaniko_studio_troubleshoot::import_config("broken.yaml", &twice);
    assert_eq!(read.error_count(), 2);
    assert_eq!((read.error_path(0), read.error_path(1)), ("stak".to_string(), "imge".to_string()));
    assert_eq!(read.error_kind(2), None);
    let read = kaniko_studio_troubleshoot::import_config("newer.json", "{\"version\": 7}");
    assert_eq!(read.error_kind(0).as_deref(), Some("version"));
}

#[wasm_bindgen_test]
fn typed_audiences_map_to_token_targets() {
    assert_eq!(
        context::target_for_audience("https://packages.buildkite.com/acme/images"),
        Some(TokenTarget::PackageRegistry { org: "acme".into(), registry: "images".into() })
    );
    assert_eq!(context::target_for_audience(" sts.amazonaws.com "), Some(TokenTarget::AwsSts));
    assert_eq!(context::target_for_audience("api://AzureADTokenExchange"), Some(TokenTarget::Azure));
    assert!(matches!(
        context::target_for_audience("//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q"),
        Some(TokenTarget::GcpWorkloadIdentity { provider: Some(_) })
    ));
    assert_eq!(context::target_for_audience(""), None);
}

#[wasm_bindgen_test]
fn line_ranges_count_utf16_units() {
    assert_eq!(line_range_utf16("a\nbc\nd", 2), (2, 4));
    assert_eq!(line_range_utf16("a\r\nbc", 1), (0, 1));
    assert_eq!(line_range_utf16("é😀\nx", 2), (4, 5));
    assert_eq!(line_range_utf16("a\nb", 9), (3, 3));
    assert_eq!(line_range_utf16("", 0), (0, 0));
}

#[wasm_bindgen_test]
async fn token_with_the_default_audience_is_explained_and_privacy_is_stated() {
    let (root, handle) = mount();
    assert!(text("token-privacy").contains("never sent anywhere"), "{}", text("token-privacy"));
    assert!(text("token-privacy").contains("signature is not verified"));
    assert!(text("token-audience-note").contains("https://packages.buildkite.com/acme/docker-images"));
    assert!(text("token-audience-note").contains("from your set-up"));

    paste("token-input", &format!("Bearer {}", token("https://buildkite.com/acme")));
    let results = wait_for_text("token-results", |t| t.contains("KS510")).await;
    assert!(results.contains("https://buildkite.com/acme"), "{results}");
    assert!(text("token-claims").contains("organization_slug"), "{}", text("token-claims"));
    assert!(text("token-claims").contains("UTC"), "{}", text("token-claims"));
    assert!(text("token-header").contains("RS256"));

    paste("token-input", &token("https://packages.buildkite.com/acme/docker-images"));
    let verdict = wait_for_text("token-verdict", |t| t.contains("No problem")).await;
    assert!(verdict.contains("not verified"), "{verdict}");

    paste("token-input", "not a token");
    wait_for_text("token-verdict", |t| t.contains("could not be decoded")).await;
    drop(handle);
    root.remove();
}

#[wasm_bindgen_test]
async fn log_with_invalid_aud_gives_the_finding_with_its_line() {
    let (root, handle) = mount();
    paste("log-input", "~~~ Build\n\x1b[31mINFO[0001] pushing\x1b[0m\r\nerror pushing image: UNAUTHORIZED: Invalid 'aud' claim\n");
    let status = wait_for_text("log-status", |t| t.starts_with("Read")).await;
    assert!(status.contains("3 lines"), "{status}");
    let findings = text("log-findings");
    assert!(findings.contains("KS670"), "{findings}");
    assert!(findings.contains("line 3"), "{findings}");
    assert!(findings.contains("Confidence: high"), "{findings}");
    assert!(findings.contains("https://packages.buildkite.com/acme/docker-images") || findings.contains("--audience"), "{findings}");

    paste("log-input", "all good\n");
    let status = wait_for_text("log-status", |t| t.contains("no known error")).await;
    assert!(status.starts_with("Read 1 line:"), "{status}");
    drop(handle);
    root.remove();
}

#[wasm_bindgen_test]
async fn a_large_log_is_read_in_chunks_and_still_finds_the_error() {
    let (root, handle) = mount();
    let mut log = "INFO[0003] Taking snapshot of full filesystem...\n".repeat(60_000);
    log.push_str("error checking push permissions: POST https://packages.buildkite.com/v2/acme/docker-images/blobs/uploads/: unexpected status code 401 Unauthorized\n");
    paste("log-input", &log);
    let status = wait_for_text("log-status", |t| t.starts_with("Read")).await;
    assert!(status.contains("60001 lines"), "{status}");
    assert!(text("log-findings").contains("line 60001"), "{}", text("log-findings"));
    drop(handle);
    root.remove();
}

#[wasm_bindgen_test]
async fn pipeline_finding_moves_the_caret_to_its_line() {
    let (root, handle) = mount();
    click("#ts-tab-pipeline");
    leptos::task::tick().await;
    assert_eq!(by_id("ts-panel-pipeline").get_attribute("hidden"), None);
    let yaml = "steps:\n  - label: build\n    command: |\n      buildkite-agent oidc request-token --lifetime 300 > /tmp/t\n      /kaniko/executor --destination packages.buildkite.com/acme/images/app:1\n";
    paste("pipeline-input", yaml);
    let findings = wait_for_text("pipeline-findings", |t| !t.is_empty()).await;
    assert!(findings.contains("KS3"), "{findings}");
    let button = document().query_selector("#pipeline-findings button.line-link").expect("query").expect("a line button");
    let line: u32 = button.get_attribute("data-line").and_then(|l| l.parse().ok()).expect("data-line");
    click("#pipeline-findings button.line-link");
    let area: web_sys::HtmlTextAreaElement = by_id("pipeline-input").dyn_into().expect("textarea");
    let (start, _) = line_range_utf16(yaml, line);
    assert_eq!(area.selection_start().ok().flatten(), Some(start));
    assert_eq!(document().active_element().map(|e| e.id()), Some("pipeline-input".to_string()));
    drop(handle);
    root.remove();
}

#[wasm_bindgen_test]
async fn pasted_text_survives_leaving_the_page_and_coming_back() {
    let (root, handle) = mount();
    paste("log-input", "error pushing image: UNAUTHORIZED: Invalid 'aud' claim\n");
    wait_for_text("log-findings", |t| t.contains("KS670")).await;
    paste("pipeline-input", "steps: []\n");
    drop(handle);
    root.remove();

    let (root, handle) = mount();
    leptos::task::tick().await;
    let area: web_sys::HtmlTextAreaElement = by_id("log-input").dyn_into().expect("textarea");
    assert!(area.value().contains("Invalid 'aud' claim"), "restored: {:?}", area.value());
    wait_for_text("log-findings", |t| t.contains("KS670")).await;
    let pipeline: web_sys::HtmlTextAreaElement = by_id("pipeline-input").dyn_into().expect("textarea");
    assert_eq!(pipeline.value(), "steps: []\n");
    drop(handle);
    root.remove();
}

#[wasm_bindgen_test]
async fn policy_shows_the_first_matching_statement_and_why_others_fail() {
    let (root, handle) = mount();
    paste(
        "policy-input",
        "- iss: https://agent.buildkite.com\n  scopes: [read_packages, write_packages]\n  claims:\n    pipeline_slug: web\n\
         - iss: https://agent.buildkite.com\n  scopes: [read_packages, write_packages]\n  claims:\n    organization_slug: acme\n",
    );
    paste("claims-input", r#"{"iss":"https://agent.buildkite.com","organization_slug":"acme","pipeline_slug":"app"}"#);
    let verdict = wait_for_text("policy-verdict", |t| !t.is_empty()).await;
    assert!(verdict.contains("Statement 2 matches first"), "{verdict}");
    assert!(verdict.contains("write_packages"), "{verdict}");
    let statements = text("policy-statements");
    assert!(statements.contains("pipeline_slug"), "{statements}");
    drop(handle);
    root.remove();
}

/// A token for another registry matches the policy, but the registry refuses it on its
/// audience first: the panel says so above the evaluation. A good token shows no refusal.
#[wasm_bindgen_test]
async fn policy_with_a_refused_token_says_the_registry_refuses_it_first() {
    let (root, handle) = mount();
    paste("policy-input", "- iss: https://agent.buildkite.com\n  scopes: [read_packages, write_packages]\n  claims:\n    organization_slug: acme\n");
    paste("claims-input", &token("https://packages.buildkite.com/acme/other"));
    let refused = wait_for_text("policy-token-refused", |t| !t.is_empty()).await;
    assert!(refused.contains("refuses this token") && refused.contains("KS519"), "{refused}");
    let verdict = text("policy-verdict");
    assert!(verdict.contains("Statement 1 would match first, but nothing is granted"), "{verdict}");
    assert!(!verdict.contains("Scopes granted"), "a refused token is granted nothing: {verdict}");
    paste("claims-input", &token("https://packages.buildkite.com/acme/docker-images"));
    wait_for_text("policy-verdict", |t| t.contains("Statement 1 matches first. Scopes granted")).await;
    sleep(50).await;
    assert!(document().get_element_by_id("policy-token-refused").is_none());
    drop(handle);
    root.remove();
}

/// A pipeline pasted where the policy goes gets one finding that names the right tab, and no
/// evaluation (which could only say that there are no statements).
#[wasm_bindgen_test]
async fn a_pipeline_in_the_policy_panel_is_named_and_not_evaluated() {
    let (root, handle) = mount();
    paste("policy-input", "steps:\n  - label: build\n    command: make\n");
    paste("claims-input", r#"{"iss":"https://agent.buildkite.com","organization_slug":"acme"}"#);
    let results = wait_for_text("policy-results", |t| t.contains("KS416")).await;
    assert!(results.contains("not an OIDC policy") && results.contains("Pipeline tab"), "{results}");
    sleep(50).await;
    assert!(document().get_element_by_id("policy-verdict").is_none(), "no verdict for a pipeline");
    assert!(!text("policy-results").contains("KS420"), "{}", text("policy-results"));
    drop(handle);
    root.remove();
}

#[wasm_bindgen_test]
async fn guide_lists_the_checks_for_the_symptom_with_the_setup_values() {
    let (root, handle) = mount();
    click("#ts-tab-guide");
    leptos::task::tick().await;
    click("#ts-symptom-aud");
    let steps = wait_for_text("guide-steps", |t| !t.is_empty()).await;
    assert!(steps.contains("Step 1: The token's audience is exact"), "{steps}");
    assert!(steps.contains("https://packages.buildkite.com/acme/docker-images"), "{steps}");
    assert!(steps.contains("Not checked yet"), "{steps}");

    paste("token-input", &token("https://buildkite.com/acme"));
    let steps = wait_for_text("guide-steps", |t| t.contains("Problem:")).await;
    assert!(steps.contains("Passed"), "the lifetime step passes: {steps}");

    click("#guide-steps button");
    sleep(20).await;
    assert_eq!(document().active_element().map(|e| e.id()), Some("token-input".to_string()));
    assert_eq!(by_id("ts-panel-token").get_attribute("hidden"), None);
    assert!(Symptom::ALL.len() == 5);
    drop(handle);
    root.remove();
}

#[wasm_bindgen_test]
async fn the_page_mounts_it_with_the_wizard_configuration_as_json() {
    let root: web_sys::HtmlElement = document().create_element("div").expect("div").dyn_into().expect("html element");
    document().body().expect("body").append_child(&root).expect("append");
    let mut config = default_config();
    if let kaniko_studio_core::config::Registry::BuildkitePackages(r) = &mut config.registry {
        r.org = "handed-over".into();
    }
    let mounted = kaniko_studio_troubleshoot::mount(root.clone(), &config.to_compact_json()).map_err(|_| "mount failed").expect("mounts");
    leptos::task::tick().await;
    let prefill = wait_for_text("ts-prefill", |t| !t.is_empty()).await;
    assert!(prefill.contains("https://packages.buildkite.com/handed-over/docker-images"), "{prefill}");
    mounted.unmount();
    assert!(document().get_element_by_id("ts-prefill").is_none(), "unmounted");
    root.remove();
}

#[wasm_bindgen_test]
fn an_unreadable_configuration_is_an_error_not_a_panic() {
    let root: web_sys::HtmlElement = document().create_element("div").expect("div").dyn_into().expect("html element");
    assert!(kaniko_studio_troubleshoot::mount(root.clone(), "{not json").is_err());
    assert!(kaniko_studio_troubleshoot::mount(root.clone(), r#"{"stack": 5}"#).is_err());
    assert_eq!(root.child_element_count(), 0);
}
