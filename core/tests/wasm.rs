//! The core runs unchanged in a browser's WebAssembly engine (headless Chromium).
#![cfg(target_arch = "wasm32")]

use kaniko_studio_core::{AudienceInput, package_registry_audience};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn audience_in_the_browser() {
    let (aud, diags) = package_registry_audience(AudienceInput { org: "acme", registry: "images" });
    assert!(diags.is_empty());
    assert_eq!(aud.map(|a| a.url).as_deref(), Some("https://packages.buildkite.com/acme/images"));
}

#[wasm_bindgen_test]
fn bad_input_in_the_browser_is_a_diagnostic_not_a_panic() {
    let long = "É ".repeat(5_000);
    let (aud, diags) = package_registry_audience(AudienceInput { org: &long, registry: "" });
    assert!(aud.is_none());
    assert_eq!(diags.len(), 2);
}
