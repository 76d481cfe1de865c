//! Nothing is lost: autosave to localStorage, share links in the URL fragment, and import and
//! export of the configuration file (the CLI's format).

use kaniko_studio_core::config::BuildConfig;
use kaniko_studio_core::config_file::MAX_FRAGMENT_LEN;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{AppState, use_state};
use crate::troubleshoot::{ImportError, import_file};
use kaniko_studio_ui::widgets::{CopyButton, DiagnosticList, download};

/// The localStorage key of the autosaved configuration.
pub const STORAGE_KEY: &str = "kaniko-studio.config";
/// Where unreadable saved state is set aside, so it is never silently lost.
pub const SET_ASIDE_KEY: &str = "kaniko-studio.config.unreadable";
/// The URL fragment parameter holding a configuration.
const FRAGMENT_PREFIX: &str = "#c=";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// Take the configuration out of the address once it is loaded: autosave keeps it from now
/// on, and a reload must show the user's later edits, not the link's original again.
fn forget_fragment() {
    let Some(window) = web_sys::window() else { return };
    let Ok(history) = window.history() else { return };
    let location = window.location();
    let url = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
}

/// Restore the configuration at start-up: the autosave, then a share link in the URL on top of
/// it (the saved configuration stays one click away, see [`open_link`]). Anything unreadable is
/// set aside with a visible notice, never a blank page.
pub fn restore(state: AppState) {
    if let Some(store) = storage()
        && let Ok(Some(saved)) = store.get_item(STORAGE_KEY)
    {
        match BuildConfig::from_json_data(&saved) {
            Ok(config) => state.config.set(config),
            Err(err) => {
                let _ = store.set_item(SET_ASIDE_KEY, &saved);
                let _ = store.remove_item(STORAGE_KEY);
                state.notice.set(Some(
                    format!(
                        "Your saved configuration could not be read ({}), so the page starts fresh. It was set aside in this browser's storage under `{SET_ASIDE_KEY}`.",
                        err.message
                    )
                    .into(),
                ));
            }
        }
    }
    // A notice about the saved state (set aside) stays in front of the link's.
    let earlier = state.notice.with_untracked(|n| n.as_ref().map(|n| format!("{} ", n.text))).unwrap_or_default();
    load_link(state, &earlier);
}

/// Load the configuration of a share link in the address, if there is one, when a link is
/// opened in a tab that already shows the page (only the fragment changes, so the browser does
/// not reload). The configuration it replaces can be put back from the notice.
pub fn open_link(state: AppState) {
    load_link(state, "");
}

fn load_link(state: AppState, earlier: &str) {
    let hash = location().and_then(|l| l.hash().ok()).unwrap_or_default();
    let Some(fragment) = hash.strip_prefix(FRAGMENT_PREFIX) else { return };
    match BuildConfig::from_fragment(fragment) {
        Ok(config) => {
            state.replace(config, format!("{earlier}Loaded the configuration from the link."));
            forget_fragment();
        }
        Err(err) => state.notice.set(Some(
            format!("{earlier}The link's configuration could not be read ({err}); the configuration shown is unchanged.").into(),
        )),
    }
}

/// Save on every change.
pub fn autosave(state: AppState) {
    Effect::new(move |_| {
        let json = state.config.with(BuildConfig::to_compact_json);
        if let Some(store) = storage() {
            let _ = store.set_item(STORAGE_KEY, &json);
        }
    });
}

/// The share link for a configuration, or why there is none.
pub fn share_link(config: &BuildConfig) -> Result<String, String> {
    // A link is made to be pasted into chats and tickets: it must not carry a credential.
    if let Some((field, kind)) = kaniko_studio_core::validate::credential_fields(config).into_iter().next() {
        return Err(format!(
            "No share link while `{field}` holds what looks like {kind}: the link would carry it. Write the secret's key there instead (see the error on that field)."
        ));
    }
    let fragment = config.to_fragment();
    if fragment.len() > MAX_FRAGMENT_LEN {
        return Err(format!(
            "This configuration is too large for a link ({} characters; the limit is {MAX_FRAGMENT_LEN}). Download the configuration file instead.",
            fragment.len()
        ));
    }
    let base = location()
        .and_then(|l| l.href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default();
    Ok(format!("{base}{FRAGMENT_PREFIX}{fragment}"))
}

/// Why the last import did not change the configuration.
#[derive(Debug, Clone, PartialEq)]
enum ImportProblem {
    /// The file's errors, each message starting with where it is (`name:line:column`).
    Config(Vec<kaniko_studio_core::Diagnostic>),
    Load(String),
}

/// Share link, export, import and reset.
#[component]
pub fn ConfigTools() -> impl IntoView {
    let state = use_state();
    let link = Signal::derive(move || state.config.with(share_link));
    let link_text = Signal::derive(move || link.get().unwrap_or_default());
    let import_diag = RwSignal::new(None::<ImportProblem>);
    let importing = RwSignal::new(None::<String>);
    let on_import = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        let name = file.name();
        // Picking the same file again after fixing it must fire `change` again.
        input.set_value("");
        import_diag.set(None);
        // A notice about an earlier import must not stand beside this one's result.
        state.notice.set(None);
        importing.set(Some(name.clone()));
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
            let Some(text) = text else {
                importing.set(None);
                import_diag.set(Some(ImportProblem::Load(format!("{name} was not imported: the browser could not read the file. Nothing was changed."))));
                return;
            };
            let result = import_file(&name, &text).await;
            importing.set(None);
            match result {
                Ok(config) => state.replace(config, format!("Imported {name}.")),
                Err(ImportError::Config(errors)) => {
                    // Each message starts with where it is, as editors take it: `file:line:column`.
                    let located = errors
                        .iter()
                        .map(|err| {
                            let mut d = err.to_diagnostic();
                            d.message = match err.line {
                                0 => format!("{name}: {}", d.message),
                                line => format!("{name}:{line}:{}: {}", err.col.max(1), d.message),
                            };
                            d
                        })
                        .collect();
                    import_diag.set(Some(ImportProblem::Config(located)));
                }
                Err(ImportError::Load(why)) => import_diag.set(Some(ImportProblem::Load(format!(
                    "{name} was not imported: the file reader could not be loaded ({why}). Check the connection and try again; nothing was changed."
                )))),
            }
        });
    };
    view! {
        <div class="config-tools">
            <h3>"Keep and share this configuration"</h3>
            <p class="help">"It is saved in this browser as you type. The link holds the whole configuration (no secrets: only where they are kept)."</p>
            {move || match link.get() {
                Ok(_) => view! {
                    <div class="field">
                        <label for="share-link">"Share link"</label>
                        <div class="input-row">
                            <input id="share-link" type="text" readonly prop:value=link_text/>
                            <CopyButton text=link_text label="Copy the share link"/>
                        </div>
                    </div>
                }.into_any(),
                Err(e) => view! { <p class="diag diag-warning" role="status">{e}</p> }.into_any(),
            }}
            <div class="artifact-actions">
                <button type="button" on:click=move |_| {
                    let yaml = state.config.with(BuildConfig::to_yaml_string);
                    download("kaniko-studio.yaml", "application/yaml", yaml.as_bytes());
                }>"Download configuration (YAML)"</button>
                <button type="button" on:click=move |_| {
                    let json = state.config.with(BuildConfig::to_json_string);
                    download("kaniko-studio.json", "application/json", json.as_bytes());
                }>"Download configuration (JSON)"</button>
                <input id="import-config" type="file" accept=".yaml,.yml,.json" on:change=on_import/>
                <label class="file-button" for="import-config">"Import a configuration file"</label>
                <button type="button" class="danger" on:click=move |_| {
                    state.replace(kaniko_studio_ui::default_config(), "Started over with the default configuration.".into());
                }>"Reset"</button>
            </div>
            <p class="help" role="status">{move || importing.get().map(|name| format!("Reading {name}…"))}</p>
            {move || match import_diag.get() {
                Some(ImportProblem::Config(found)) => {
                    let what = match found.len() {
                        1 => "an error".to_string(),
                        n => format!("{n} errors"),
                    };
                    view! {
                        <div class="import-failed" role="alert">
                            <p><strong>"Not imported. "</strong>{format!("The file has {what}, so the configuration above is unchanged:")}</p>
                            <DiagnosticList diagnostics=Signal::derive(move || found.clone())/>
                        </div>
                    }.into_any()
                }
                Some(ImportProblem::Load(message)) => view! { <p class="diag diag-error" role="alert">{message}</p> }.into_any(),
                None => ().into_any(),
            }}
        </div>
    }
}
