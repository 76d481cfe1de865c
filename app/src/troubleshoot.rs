//! The Troubleshoot tab. The troubleshooter is a second wasm module
//! (`kaniko-studio-troubleshoot`, built by Trunk next to this one) so that the first page load
//! carries only the wizard: it is fetched from this page's own origin the first time the tab
//! opens, then mounted into the tab with the wizard's configuration.
//!
//! The configuration is handed over in memory, as the JSON text of the `BuildConfig` passed to
//! the module's `mount`; nothing the user typed is sent anywhere. Loading the module is a
//! same-origin request for code, made before anything is pasted; the service worker caches it
//! with the rest of the page, so it also loads offline after the first visit.

use kaniko_studio_core::config::BuildConfig;
use kaniko_studio_core::config_file::{ConfigError, ConfigErrorKind};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::use_state;

#[wasm_bindgen]
extern "C" {
    /// Defined by `public/boot.js`: imports the troubleshooter's module (relative URL) and
    /// initialises it once; resolves to the module. Missing (e.g. in browser tests) is an error.
    #[wasm_bindgen(catch, js_name = kanikoStudioTroubleshooter)]
    fn load_module() -> Result<js_sys::Promise, JsValue>;

    /// The troubleshooter's module (`troubleshoot/src/lib.rs`).
    type TroubleshootModule;
    /// Mounts the troubleshooter into `element` with the configuration's JSON text.
    #[wasm_bindgen(method, catch)]
    fn mount(this: &TroubleshootModule, element: &web_sys::HtmlElement, config_json: &str) -> Result<Mounted, JsValue>;

    /// Reads a configuration file (`troubleshoot/src/lib.rs`: `import_config`).
    #[wasm_bindgen(method)]
    fn import_config(this: &TroubleshootModule, file_name: &str, text: &str) -> Imported;

    /// What `import_config` gave.
    type Imported;
    #[wasm_bindgen(method, getter)]
    fn config_json(this: &Imported) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn error_count(this: &Imported) -> usize;
    #[wasm_bindgen(method)]
    fn error_kind(this: &Imported, index: usize) -> Option<String>;
    #[wasm_bindgen(method)]
    fn error_line(this: &Imported, index: usize) -> u32;
    #[wasm_bindgen(method)]
    fn error_col(this: &Imported, index: usize) -> u32;
    #[wasm_bindgen(method)]
    fn error_path(this: &Imported, index: usize) -> String;
    #[wasm_bindgen(method)]
    fn error_message(this: &Imported, index: usize) -> String;
    /// Frees the result in the troubleshooter's memory (wasm-bindgen's `free`).
    #[wasm_bindgen(method)]
    fn free(this: &Imported);

    /// A mounted troubleshooter.
    type Mounted;
    /// Unmounts it and frees its state (the pasted texts are kept by the module for next time).
    #[wasm_bindgen(method)]
    fn unmount(this: &Mounted);
}

/// Where loading stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Load {
    Loading,
    Ready,
    Failed(String),
}

/// Why the module could not be loaded or mounted, for the user.
fn describe(err: &JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}

async fn load_and_mount(host: &web_sys::HtmlElement, config_json: &str) -> Result<Mounted, JsValue> {
    let module = wasm_bindgen_futures::JsFuture::from(load_module()?).await?;
    module.unchecked_into::<TroubleshootModule>().mount(host, config_json)
}

/// Why a file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The module that reads files could not be loaded (offline before the first full visit,
    /// say); the message says why.
    Load(String),
    /// The file is not a readable configuration: every error found, with its line and column.
    Config(Vec<ConfigError>),
}

/// Read a configuration file the user picked (YAML or JSON). The reader, with the YAML parser
/// and error positions, is in the troubleshooter's module, loaded now if it is not yet; the
/// file's text is handed over in memory.
pub async fn import_file(file_name: &str, text: &str) -> Result<BuildConfig, ImportError> {
    let load = async { wasm_bindgen_futures::JsFuture::from(load_module()?).await };
    let module = load.await.map_err(|e| ImportError::Load(describe(&e)))?;
    let imported = module.unchecked_into::<TroubleshootModule>().import_config(file_name, text);
    let result = match imported.config_json() {
        Some(json) => BuildConfig::from_json_data(&json).map_err(|e| ImportError::Config(vec![e])),
        None => Err(ImportError::Config(
            (0..imported.error_count())
                .map(|i| ConfigError {
                    kind: imported.error_kind(i).as_deref().and_then(ConfigErrorKind::from_name).unwrap_or(ConfigErrorKind::Syntax),
                    line: imported.error_line(i),
                    col: imported.error_col(i),
                    path: imported.error_path(i),
                    message: imported.error_message(i),
                })
                .collect(),
        )),
    };
    imported.free();
    result
}

/// Start fetching the module when the pointer or the keyboard focus reaches the tab, so it is
/// usually ready by the time the tab opens. A failure is ignored here: opening the tab tries
/// again and tells the user (boot.js forgets a failed load).
pub fn prefetch() {
    if let Ok(promise) = load_module() {
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}

/// The Troubleshoot tab's content: a loading state, then the troubleshooter, or a clear error.
#[component]
pub fn Troubleshoot() -> impl IntoView {
    let state = use_state();
    let host = NodeRef::<leptos::html::Div>::new();
    let load = RwSignal::new(Load::Loading);
    let mounted = StoredValue::new_local(None::<Mounted>);
    let config_json = state.config.with_untracked(BuildConfig::to_compact_json);
    // "Try again" bumps it, which runs the load again (boot.js forgets a failed load).
    let attempt = RwSignal::new(0u32);
    Effect::new(move |_| {
        attempt.track();
        let Some(el) = host.get() else { return };
        let config_json = config_json.clone();
        leptos::task::spawn_local(async move {
            let result = load_and_mount(&el, &config_json).await;
            // The user may have left the tab while the module loaded.
            if load.try_get_untracked().is_none() {
                if let Ok(m) = result {
                    m.unmount();
                }
                return;
            }
            match result {
                Ok(m) => {
                    mounted.set_value(Some(m));
                    load.set(Load::Ready);
                }
                Err(err) => load.set(Load::Failed(describe(&err))),
            }
        });
    });
    on_cleanup(move || {
        if let Some(m) = mounted.try_update_value(Option::take).flatten() {
            m.unmount();
        }
    });
    view! {
        {move || match load.get() {
            Load::Loading => Some(view! {
                <section class="card" aria-labelledby="troubleshoot-loading">
                    <h2 id="troubleshoot-loading">"Troubleshoot"</h2>
                    <p role="status" aria-busy="true">"Loading the troubleshooter…"</p>
                </section>
            }.into_any()),
            Load::Failed(why) => Some(view! {
                <section class="card" aria-labelledby="troubleshoot-failed">
                    <h2 id="troubleshoot-failed">"Troubleshoot"</h2>
                    <div role="alert" id="troubleshoot-error" class="load-failed">
                        <p><strong>"The troubleshooter could not be loaded."</strong>
                            " It is fetched from this site the first time this tab opens, so it needs the network once: check your connection and try again. The set-up wizard keeps working."</p>
                        <p class="artifact-actions">
                            <button type="button" class="primary" on:click=move |_| {
                                load.set(Load::Loading);
                                attempt.update(|n| *n += 1);
                            }>"Try again"</button>
                            <button type="button" on:click=|_| {
                                if let Some(w) = web_sys::window() {
                                    let _ = w.location().reload();
                                }
                            }>"Reload the page"</button>
                        </p>
                        <details><summary>"Details"</summary><p><code>{why}</code></p></details>
                    </div>
                </section>
            }.into_any()),
            Load::Ready => None,
        }}
        <div id="troubleshooter" node_ref=host></div>
    }
}
