//! Small shared components: diagnostics, messages with code spans, copy and download buttons.

use kaniko_studio_core::Diagnostic;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Render text where `` `code` `` spans become `<code>` elements (core messages use them).
#[component]
pub fn RichText(#[prop(into)] text: String) -> impl IntoView {
    let parts: Vec<(bool, String)> = text
        .split('`')
        .enumerate()
        .map(|(i, part)| (i % 2 == 1, part.to_string()))
        .collect();
    parts
        .into_iter()
        .map(|(code, part)| if code { view! { <code inner_html=breakable_html(&part)></code> }.into_any() } else { part.into_any() })
        .collect_view()
}

/// `text` as HTML that may wrap after `/`, `.`, `:`, `=` and `@` (a `<wbr>` after each), so a
/// long image reference, URL or flag breaks between its parts, not in the middle of a name.
/// The `<wbr>`s add no text: copying and `textContent` give the text unchanged. Everything
/// else is escaped, so no input becomes markup (one `innerHTML` is much less code than a view
/// per part, in both modules).
pub fn breakable_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '/' | '.' | ':' | '=' | '@' => {
                out.push(c);
                out.push_str("<wbr>");
            }
            c => out.push(c),
        }
    }
    out
}

/// One diagnostic as a block: severity, id, message, fix and a docs link.
#[component]
pub fn DiagnosticItem(diagnostic: Diagnostic, #[prop(optional, into)] location: Option<String>) -> impl IntoView {
    let sev = diagnostic.severity.as_str();
    view! {
        <li class=format!("diag diag-{sev}") data-rule=diagnostic.id>
            <strong>{sev} " " {diagnostic.id}</strong>
            {location.map(|l| view! { <span class="diag-location">" " {l}</span> })}
            ": " <RichText text=diagnostic.message.clone()/>
            <span class="fix">" Fix: " <RichText text=diagnostic.fix.clone()/></span>
            {(!diagnostic.docs.is_empty()).then(|| view! {
                " " <a class="docs" href=diagnostic.docs target="_blank" rel="noopener noreferrer">"Docs"</a>
            })}
        </li>
    }
}

/// A list of diagnostics (empty list renders nothing).
#[component]
pub fn DiagnosticList(#[prop(into)] diagnostics: Signal<Vec<Diagnostic>>) -> impl IntoView {
    view! {
        <ul class="diagnostics" aria-live="polite">
            {move || diagnostics.get().into_iter().map(|d| view! { <DiagnosticItem diagnostic=d/> }).collect_view()}
        </ul>
    }
}

/// The state of a copy action, shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    Failed,
}

/// A button that copies `text` to the clipboard, with a fallback for pages where the
/// Clipboard API is unavailable (e.g. not a secure context), and visible success or failure.
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    /// Accessible label, e.g. "Copy pipeline.yml".
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let state = RwSignal::new(CopyState::Idle);
    let on_click = move |_| {
        let value = text.get_untracked();
        let fallback = move |value: &str| {
            if copy_with_textarea(value) { CopyState::Copied } else { CopyState::Failed }
        };
        let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
        match clipboard {
            Some(cb) if is_secure_context() => {
                let promise = cb.write_text(&value);
                leptos::task::spawn_local(async move {
                    let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                    state.set(if ok { CopyState::Copied } else { fallback(&value) });
                });
            }
            _ => state.set(fallback(&value)),
        }
    };
    let aria = label.clone();
    view! {
        <button type="button" class="copy" on:click=on_click aria-label=aria>
            {move || match state.get() {
                CopyState::Idle => "Copy",
                CopyState::Copied => "Copied ✓",
                CopyState::Failed => "Copy failed: select the text and copy it",
            }}
        </button>
    }
}

fn is_secure_context() -> bool {
    web_sys::window().map(|w| w.is_secure_context()).unwrap_or(false)
}

/// Copy through a hidden textarea and `document.execCommand("copy")`.
fn copy_with_textarea(value: &str) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return false };
    let Ok(el) = doc.create_element("textarea") else { return false };
    let Ok(area) = el.dyn_into::<web_sys::HtmlTextAreaElement>() else { return false };
    area.set_value(value);
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("style", "position:fixed;top:-1000px;opacity:0");
    let Some(body) = doc.body() else { return false };
    if body.append_child(&area).is_err() {
        return false;
    }
    area.select();
    let ok = doc
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    area.remove();
    ok
}

/// Offer `bytes` as a file download named `name`, built in the page (no network).
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return false };
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else { return false };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return false };
    let ok = doc
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .map(|a| {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        })
        .is_some();
    let _ = web_sys::Url::revoke_object_url(&url);
    ok
}

/// A button that downloads `text` as a file.
#[component]
pub fn DownloadButton(
    #[prop(into)] name: Signal<String>,
    #[prop(into)] text: Signal<String>,
    #[prop(optional, into)] label: Option<String>,
) -> impl IntoView {
    let label = label.unwrap_or_else(|| "Download".to_string());
    view! {
        <button type="button" class="download" on:click=move |_| {
            let file = name.get_untracked();
            let short = file.rsplit('/').next().unwrap_or(&file).to_string();
            download(&short, "text/plain;charset=utf-8", text.get_untracked().as_bytes());
        }>{label}</button>
    }
}

/// A labelled multi-line input for pasted text (logs, tokens, policies, pipelines).
#[component]
pub fn PasteArea(
    id: &'static str,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(optional, into)] placeholder: String,
    #[prop(default = 8)] rows: u32,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <textarea id=id rows=rows spellcheck="false" autocomplete="off" placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        </div>
    }
}

/// The tab a key moves to in a tab list of `count` tabs where `current` is selected (the WAI-ARIA
/// tabs pattern: the arrows wrap around, Home and End go to the ends); `None` for other keys.
pub fn tab_step(key: &str, current: usize, count: usize) -> Option<usize> {
    let last = count.checked_sub(1)?;
    match key {
        "ArrowRight" => Some(if current >= last { 0 } else { current + 1 }),
        "ArrowLeft" => Some(if current == 0 || current > last { last } else { current - 1 }),
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
    }
}

/// Focus the element with `id`, if there is one.
pub fn focus_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
