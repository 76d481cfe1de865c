//! Component tests in a real browser (headless Chromium via wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use kaniko_studio_app::AudienceCard;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("document")
}

fn type_into(id: &str, value: &str) {
    let input: web_sys::HtmlInputElement =
        document().get_element_by_id(id).expect("input").dyn_into().expect("an input");
    input.set_value(value);
    let event = web_sys::Event::new("input").expect("event");
    input.dispatch_event(&event).expect("dispatch");
}

fn text(id: &str) -> String {
    document().get_element_by_id(id).and_then(|e| e.text_content()).unwrap_or_default()
}

async fn tick() {
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn audience_updates_as_the_user_types() {
    let root = document().create_element("div").expect("div");
    document().body().expect("body").append_child(&root).expect("append");
    let handle = leptos::mount::mount_to(root.clone().unchecked_into(), AudienceCard);

    type_into("org", "acme");
    type_into("registry", "docker-images");
    tick().await;
    assert_eq!(text("audience"), "https://packages.buildkite.com/acme/docker-images");

    type_into("org", "My Org");
    tick().await;
    assert_eq!(text("audience"), "—");
    assert!(text("org-messages").contains("KS003"), "{}", text("org-messages"));
    drop(handle);
    root.remove();
}
