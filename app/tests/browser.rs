//! Component tests in a real browser (headless Chromium via wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use kaniko_studio_app::App;
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
    input.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
}

fn text(id: &str) -> String {
    document().get_element_by_id(id).and_then(|e| e.text_content()).unwrap_or_default()
}

fn click_button(label: &str) {
    let buttons = document().query_selector_all("button").expect("buttons");
    for i in 0..buttons.length() {
        let Some(b) = buttons.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) else { continue };
        if b.text_content().unwrap_or_default().contains(label) {
            b.click();
            return;
        }
    }
    panic!("no button {label}");
}

/// A fresh `App` (storage and the variants' memory cleared) in its own element; dropping the
/// handle unmounts it.
fn mount_app() -> (web_sys::Element, impl Sized) {
    if let Some(store) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = store.clear();
    }
    kaniko_studio_app::wizard::fields::forget_variants();
    let root = document().create_element("div").expect("div");
    document().body().expect("body").append_child(&root).expect("append");
    let handle = leptos::mount::mount_to(root.clone().unchecked_into(), App);
    (root, handle)
}

#[wasm_bindgen_test]
async fn audience_updates_as_the_user_types() {
    let (root, handle) = mount_app();
    click_button("2. Registry");
    leptos::task::tick().await;

    type_into("f-registry-buildkite_packages-org", "acme");
    type_into("f-registry-buildkite_packages-registry", "docker-images");
    leptos::task::tick().await;
    assert_eq!(text("audience"), "https://packages.buildkite.com/acme/docker-images");

    type_into("f-registry-buildkite_packages-org", "My Org");
    leptos::task::tick().await;
    let messages = text("f-registry-buildkite_packages-org-messages");
    assert!(messages.contains("KS003"), "{messages}");
    assert!(messages.contains("my-org"), "{messages}");
    // Once, beside the slug: not again under the registry's kind, whose path holds it too.
    settle().await;
    let shown = root.query_selector_all(".step [data-rule=\"KS003\"]").expect("query").length();
    assert_eq!(shown, 1, "KS003 is shown {shown} times in the step");
    drop(handle);
    root.remove();
}

#[wasm_bindgen_test]
fn download_all_archive_is_a_valid_tar() {
    use kaniko_studio_app::wizard::artifacts::tar;
    let data = tar([("a/b.txt", b"hello".as_slice(), false), ("run.sh", b"#!/bin/sh\n".as_slice(), true)]);
    assert_eq!(data.len() % 512, 0);
    assert_eq!(&data[0..7], b"a/b.txt");
    assert_eq!(&data[257..262], b"ustar");
    assert_eq!(&data[100..107], b"0000644");
    let mut header = data[0..512].to_vec();
    let stored = std::str::from_utf8(&header[148..154]).ok().and_then(|s| u32::from_str_radix(s, 8).ok());
    header[148..156].copy_from_slice(b"        ");
    let sum: u32 = header.iter().map(|b| u32::from(*b)).sum();
    assert_eq!(stored, Some(sum));
    // The second entry starts after one padded block of content, and is executable.
    assert_eq!(&data[1024..1030], b"run.sh");
    assert_eq!(&data[1124..1131], b"0000755");
}

async fn wait_for_text(id: &str, cond: impl Fn(&str) -> bool) -> String {
    for _ in 0..200 {
        leptos::task::tick().await;
        let t = text(id);
        if cond(&t) {
            return t;
        }
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = web_sys::window().expect("window").set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 25);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
    let t = text(id);
    assert!(cond(&t), "#{id} never matched; it reads: {t}");
    t
}

/// The Troubleshoot tab loads the troubleshooter's module through the loader `boot.js`
/// defines. Without it the tab says so, and "Try again" loads it once there is one; with one,
/// it is handed the configuration's JSON and a place to mount, and it is unmounted when the
/// user goes back to the wizard.
#[wasm_bindgen_test]
async fn the_troubleshoot_tab_loads_the_module_hands_it_the_configuration_and_unmounts_it() {
    let window = web_sys::window().expect("window");
    let loader = wasm_bindgen::JsValue::from_str("kanikoStudioTroubleshooter");
    let _ = js_sys::Reflect::delete_property(&window, &loader);
    let (root, handle) = mount_app();

    let tab = |id: &str| document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()).expect(id).click();
    tab("tab-troubleshoot");
    let error = wait_for_text("troubleshoot-error", |t| !t.is_empty()).await;
    assert!(error.contains("The troubleshooter could not be loaded"), "{error}");
    assert!(error.contains("try again"), "{error}");

    // A stand-in for the module, recording what the page hands it.
    let fake = js_sys::Function::new_no_args(
        "const calls = (globalThis.fakeTroubleshooterCalls = []);
         return Promise.resolve({ mount(el, json) {
             calls.push(json);
             el.textContent = 'stand-in troubleshooter';
             return { unmount() { calls.push('unmounted'); el.textContent = ''; } };
         } });",
    );
    js_sys::Reflect::set(&window, &loader, &fake).expect("set the loader");
    // "Try again" loads it again, without leaving the tab.
    let again = document()
        .query_selector("#troubleshoot-error button.primary")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .expect("a Try again button");
    assert_eq!(again.text_content().as_deref(), Some("Try again"));
    again.click();
    wait_for_text("troubleshooter", |t| t == "stand-in troubleshooter").await;
    let calls: js_sys::Array =
        js_sys::Reflect::get(&window, &"fakeTroubleshooterCalls".into()).expect("calls").dyn_into().expect("array");
    let json = calls.get(0).as_string().expect("the configuration's JSON text");
    let config = kaniko_studio_core::config::BuildConfig::from_json_str(&json).map_err(|e| e.message).expect("readable");
    assert_eq!(config, kaniko_studio_ui::default_config());
    assert!(document().get_element_by_id("troubleshoot-error").is_none());

    tab("tab-wizard");
    leptos::task::tick().await;
    assert_eq!(calls.length(), 2, "unmounted on leaving the tab");
    assert_eq!(calls.get(1).as_string().as_deref(), Some("unmounted"));
    let _ = js_sys::Reflect::delete_property(&window, &loader);
    drop(handle);
    root.remove();
}

fn select(id: &str, value: &str) {
    let el: web_sys::HtmlSelectElement =
        document().get_element_by_id(id).unwrap_or_else(|| panic!("no #{id}")).dyn_into().expect("a select");
    el.set_value(value);
    el.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
}

/// Let the reactive updates of a change reach the DOM (nested views update in later ticks).
async fn settle() {
    for _ in 0..5 {
        leptos::task::tick().await;
    }
}

fn value_of(id: &str) -> String {
    let el: web_sys::HtmlInputElement =
        document().get_element_by_id(id).unwrap_or_else(|| panic!("no #{id}")).dyn_into().expect("an input");
    el.value()
}

/// The steps are tables rendered by one function (`wizard::form`): a switch shows the fields of
/// the variant now chosen, fields shared by two registries (AWS, Google) are placed under
/// each one's path, and a secret's own choice and fields sit under the secret's path.
#[wasm_bindgen_test]
async fn form_tables_follow_the_chosen_variants_and_bind_relative_paths() {
    let (root, handle) = mount_app();
    settle().await;

    click_button("2. Registry");
    settle().await;
    select("f-registry", "ecr_public");
    settle().await;
    assert!(document().get_element_by_id("f-registry-ecr_public-alias").is_some(), "ECR Public's field is shown");
    assert!(document().get_element_by_id("f-registry-buildkite_packages-org").is_none(), "the old registry's fields are gone");

    click_button("3. Authentication");
    settle().await;
    select("f-registry-ecr_public-auth", "credentials");
    settle().await;
    // AWS's shared fields, under this registry's path, with the secrets' defaults.
    assert_eq!(value_of("f-registry-ecr_public-auth-credentials-access_key_id-env-var"), "AWS_ACCESS_KEY_ID");
    assert_eq!(value_of("f-registry-ecr_public-auth-credentials-secret_access_key-env-var"), "AWS_SECRET_ACCESS_KEY");

    // A secret's own choice switches its fields, and they edit the configuration.
    select("f-registry-ecr_public-auth-credentials-access_key_id", "buildkite");
    settle().await;
    assert!(document().get_element_by_id("f-registry-ecr_public-auth-credentials-access_key_id-env-var").is_none());
    type_into("f-registry-ecr_public-auth-credentials-access_key_id-buildkite-key", "AWS_KEY_ID");
    settle().await;
    click_button("6. Review");
    settle().await;
    let shown = document().query_selector_all("pre.artifact code").expect("artifact").item(0).and_then(|n| n.text_content()).unwrap_or_default();
    assert!(shown.contains("AWS_KEY_ID"), "the pipeline reads the Buildkite secret: {shown}");

    // A condition: the cache repository field is there exactly while the cache is on.
    click_button("5. Kaniko options");
    settle().await;
    let cache: web_sys::HtmlInputElement = document().get_element_by_id("f-kaniko-cache").expect("cache").dyn_into().expect("input");
    for _ in 0..2 {
        assert_eq!(document().get_element_by_id("f-kaniko-cache_repo").is_some(), cache.checked());
        cache.click();
        settle().await;
    }
    drop(handle);
    root.remove();
}

/// Every choice of every step stores a value: its JSON parses, and a computed one (a
/// registry's example, the executor pipeline) is there for the default configuration.
#[wasm_bindgen_test]
fn every_choice_of_every_step_stores_a_value() {
    use kaniko_studio_app::wizard::{Step, fields::ChoiceValue, form};
    let config = kaniko_studio_ui::default_config();
    let mut seen = 0;
    for step in Step::ALL {
        for choice in form::choices(step.parts()) {
            seen += 1;
            match choice.value {
                ChoiceValue::Remove => assert!(choice.make(&config).is_none()),
                ChoiceValue::Json(json) => {
                    assert!(serde_json::from_str::<serde_json::Value>(json).is_ok(), "{}: {json}", choice.label);
                }
                ChoiceValue::Make(_) => assert!(choice.make(&config).is_some(), "{}", choice.label),
            }
        }
    }
    assert!(seen > 40, "only {seen} choices found");
}

/// Back and Next sit under the form: after either, the new step's heading has the focus (so a
/// keyboard or screen-reader user starts at the top of the step); Back is disabled on the first step,
/// and the last step has no Next but says where the files are.
#[wasm_bindgen_test]
async fn back_and_next_move_the_focus_to_the_new_steps_heading() {
    let (root, handle) = mount_app();
    settle().await;
    let button = |label: &str| -> web_sys::HtmlButtonElement {
        let all = root.query_selector_all(".step-nav button").expect("buttons");
        (0..all.length())
            .filter_map(|i| all.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlButtonElement>().ok()))
            .find(|b| b.text_content().unwrap_or_default().contains(label))
            .unwrap_or_else(|| panic!("no {label} button"))
    };
    let heading = || root.query_selector(".step > h2").expect("query").expect("the step's heading");
    assert!(button("Back").disabled(), "Back is disabled on the first step");
    button("Next").click();
    settle().await;
    assert_eq!(heading().text_content().as_deref(), Some("Registry"));
    let focused = document().active_element().expect("something has the focus");
    assert!(focused.is_same_node(Some(&heading())), "the focus is on {:?}", focused.outer_html());
    for _ in 0..4 {
        button("Next").click();
    }
    settle().await;
    assert_eq!(heading().text_content().as_deref(), Some("Review"));
    let nav = root.query_selector(".step-nav").expect("query").expect("the step navigation");
    assert!(!nav.text_content().unwrap_or_default().contains("Next"), "the last step has no Next");
    assert!(nav.text_content().unwrap_or_default().contains("Artifacts panel"), "the last step says where the files are");
    button("Back").click();
    settle().await;
    assert_eq!(heading().text_content().as_deref(), Some("Kaniko options"));
    drop(handle);
    root.remove();
}

fn notice() -> String {
    document().query_selector(".notice").ok().flatten().and_then(|e| e.text_content()).unwrap_or_default()
}

fn click_undo() {
    let undo: web_sys::HtmlElement =
        document().get_element_by_id("notice-undo").expect("the notice offers Undo").dyn_into().expect("a button");
    undo.click();
}

/// Reset replaces the whole configuration, and autosave overwrites the stored copy at once:
/// the notice keeps the configuration it replaced, and Undo puts it back.
#[wasm_bindgen_test]
async fn reset_can_be_undone() {
    let (root, handle) = mount_app();
    click_button("2. Registry");
    settle().await;
    type_into("f-registry-buildkite_packages-registry", "my-images");
    click_button("6. Review");
    settle().await;
    click_button("Reset");
    settle().await;
    assert_eq!(text("audience"), "https://packages.buildkite.com/acme/docker-images");
    assert!(notice().contains("Started over"), "{}", notice());
    click_undo();
    settle().await;
    assert_eq!(text("audience"), "https://packages.buildkite.com/acme/my-images");
    assert!(notice().contains("Put back the configuration you had before"), "{}", notice());
    let undo = document().get_element_by_id("notice-undo").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    assert!(undo.is_none_or(|b| b.hidden()), "nothing left to undo");
    drop(handle);
    root.remove();
}

/// A share link opened in a tab that already shows the page changes only the fragment, so the
/// browser does not reload: the page loads it anyway, takes it out of the address (a reload
/// then keeps later edits), and the configuration it replaced is one click away.
#[wasm_bindgen_test]
async fn a_link_opened_in_an_open_page_is_loaded_and_the_replaced_configuration_can_be_put_back() {
    use kaniko_studio_core::config::Registry;
    let (root, handle) = mount_app();
    click_button("2. Registry");
    settle().await;
    type_into("f-registry-buildkite_packages-registry", "my-images");
    settle().await;
    let mut theirs = kaniko_studio_app::state::default_config();
    if let Registry::BuildkitePackages(p) = &mut theirs.registry {
        p.registry = "their-images".into();
    }
    let location = web_sys::window().expect("window").location();
    location.set_hash(&format!("c={}", theirs.to_fragment())).expect("set the fragment");
    wait_for_text("audience", |t| t == "https://packages.buildkite.com/acme/their-images").await;
    assert!(notice().contains("Loaded the configuration from the link"), "{}", notice());
    assert_eq!(location.hash().expect("hash"), "", "the configuration left the address");
    click_undo();
    settle().await;
    assert_eq!(text("audience"), "https://packages.buildkite.com/acme/my-images");
    drop(handle);
    root.remove();
}

/// Switching a registry (or any variant) away and back brings back what the user typed, not
/// the example values again; Reset forgets it.
#[wasm_bindgen_test]
async fn switching_a_variant_away_and_back_keeps_what_was_typed() {
    let (root, handle) = mount_app();
    click_button("2. Registry");
    settle().await;
    select("f-registry", "ecr");
    settle().await;
    type_into("f-registry-ecr-account", "210987654321");
    settle().await;
    select("f-registry", "ghcr");
    settle().await;
    assert!(document().get_element_by_id("f-registry-ecr-account").is_none());
    select("f-registry", "ecr");
    settle().await;
    assert_eq!(value_of("f-registry-ecr-account"), "210987654321");

    click_button("6. Review");
    settle().await;
    click_button("Reset");
    settle().await;
    click_button("2. Registry");
    settle().await;
    select("f-registry", "ecr");
    settle().await;
    assert_eq!(value_of("f-registry-ecr-account"), "123456789012", "after Reset the example comes back");
    drop(handle);
    root.remove();
}

/// After a panic the module is stopped: the hook's message goes straight into the DOM.
#[wasm_bindgen_test]
fn a_crash_is_said_on_the_page() {
    kaniko_studio_ui::show_crash("panicked at app/src/x.rs:1:1: boom");
    let alert = document().query_selector("body > p.crash[role=alert]").expect("query").expect("the message is at the top");
    let text = alert.text_content().unwrap_or_default();
    assert!(text.contains("reload the page"), "{text}");
    assert!(text.contains("boom"), "{text}");
    alert.remove();
}

/// The tabs pattern's keys (shared by the page tabs, the artifact tabs and the troubleshooter's).
#[wasm_bindgen_test]
fn tab_keys_wrap_and_home_end_go_to_the_ends() {
    use kaniko_studio_ui::widgets::tab_step;
    assert_eq!(tab_step("ArrowRight", 0, 3), Some(1));
    assert_eq!(tab_step("ArrowRight", 2, 3), Some(0));
    assert_eq!(tab_step("ArrowLeft", 0, 3), Some(2));
    assert_eq!(tab_step("ArrowLeft", 2, 3), Some(1));
    assert_eq!(tab_step("Home", 2, 3), Some(0));
    assert_eq!(tab_step("End", 0, 3), Some(2));
    assert_eq!(tab_step("Enter", 0, 3), None);
    assert_eq!(tab_step("ArrowRight", 0, 0), None, "no tabs, nowhere to go");
    assert_eq!(tab_step("ArrowLeft", 7, 3), Some(2), "a stale index lands on a real tab");
    assert_eq!(tab_step("ArrowRight", 7, 3), Some(0));
}

/// A token pasted where the secret's key belongs is an error beside the field, it is never
/// shown back, nothing is generated, and no share link is made while it is there.
#[wasm_bindgen_test]
async fn a_pasted_token_is_flagged_and_kept_out_of_the_share_link() {
    let (root, handle) = mount_app();
    click_button("2. Registry");
    settle().await;
    select("f-registry", "docker_hub");
    settle().await;
    click_button("3. Authentication");
    settle().await;
    let token = format!("dckr_pat_{}", "0123456789abcdefghijABCDEFG");
    type_into("f-registry-docker_hub-token-kubernetes-key", &token);
    settle().await;
    let messages = text("f-registry-docker_hub-token-kubernetes-key-messages");
    assert!(messages.contains("KS155") && messages.contains("Docker Hub personal access token"), "{messages}");
    click_button("6. Review");
    settle().await;
    let page = root.text_content().unwrap_or_default();
    assert!(page.contains("No share link while"), "{page}");
    assert!(document().get_element_by_id("share-link").is_none(), "no link is offered");
    assert!(!page.contains(&token[9..]), "the token is not shown back anywhere");
    drop(handle);
    root.remove();
}

/// The summary's and messages' break points are `<wbr>`s only: whatever the text, the element
/// holds exactly that text and no other markup.
#[wasm_bindgen_test]
fn breakable_html_adds_only_break_points() {
    let el = document().create_element("code").expect("code");
    for text in [
        "packages.buildkite.com/acme/docker-images/app:$BUILDKITE_BUILD_NUMBER",
        "<img src=x onerror=alert(1)>",
        "a&amp;b\"'</code><script>x</script>",
        "--cache-repo=registry.example.com:5000/cache@sha256:abc",
        "",
        "é/ü.ß:∂=@",
    ] {
        el.set_inner_html(&kaniko_studio_ui::widgets::breakable_html(text));
        assert_eq!(el.text_content().unwrap_or_default(), text);
        let all = el.query_selector_all("*").expect("query");
        let wbrs = el.query_selector_all("wbr").expect("query");
        assert_eq!(all.length(), wbrs.length(), "only <wbr> in {text:?}: {}", el.inner_html());
        assert_eq!(wbrs.length() as usize, text.matches(['/', '.', ':', '=', '@']).count(), "{text:?}");
    }
}
