//! The live artifacts panel: a tab per artifact, copy and download per file, and every file
//! at once as a tar archive built in the page.

use kaniko_studio_core::Diagnostic;
use kaniko_studio_core::generate::Artifacts;
use leptos::prelude::*;

use kaniko_studio_ui::ExampleValuesNote;
use kaniko_studio_ui::widgets::{CopyButton, DownloadButton, RichText, download, focus_id, tab_step};

/// The panel. `result` is the output of `generate` for the current configuration.
#[component]
pub fn ArtifactsPanel(result: Memo<(Artifacts, Vec<Diagnostic>)>) -> impl IntoView {
    let state = crate::state::use_state();
    let selected = RwSignal::new(0usize);
    // Memos, so a keystroke copies each text once and the view updates only what changed:
    // the tab list only when the set of files changes, the shown file only when its text does.
    let paths = Memo::new(move |_| result.with(|(a, _)| a.files.iter().map(|f| f.path.clone()).collect::<Vec<_>>()));
    let errors = Memo::new(move |_| result.with(|(_, d)| d.iter().filter(|d| d.is_error()).count()));
    let index = Memo::new(move |_| {
        let n = paths.with(Vec::len);
        let i = selected.get();
        if i < n { i } else { 0 }
    });
    let field = move |pick: fn(&kaniko_studio_core::generate::Artifact) -> &String| {
        Memo::new(move |_| result.with(|(a, _)| a.files.get(index.get()).map(|f| pick(f).clone()).unwrap_or_default()))
    };
    let content = field(|a| &a.content);
    let path = field(|a| &a.path);
    let purpose = field(|a| &a.purpose);
    let (content, path): (Signal<String>, Signal<String>) = (content.into(), path.into());
    let download_all = move |_| {
        let archive = result.with(|(a, _)| tar(a.files.iter().map(|a| (a.path.as_str(), a.content.as_bytes(), a.kind.is_executable()))));
        download("kaniko-studio-artifacts.tar", "application/x-tar", &archive);
    };
    // One tab stop for the list; the arrows, Home and End move between files.
    let on_tab_key = move |ev: web_sys::KeyboardEvent| {
        let Some(next) = tab_step(&ev.key(), index.get_untracked(), paths.with_untracked(Vec::len)) else { return };
        ev.prevent_default();
        selected.set(next);
        focus_id(&format!("artifact-tab-{next}"));
    };
    view! {
        <section class="card artifacts" aria-labelledby="artifacts-title">
            <h2 id="artifacts-title">"Artifacts"</h2>
            <ExampleValuesNote config=state.config/>
            {move || if errors.get() > 0 {
                view! {
                    <p class="blocked" role="status">
                        {match errors.get() {
                            1 => "Fix the error shown beside its field to see the artifacts.".to_string(),
                            n => format!("Fix the {n} errors shown beside the fields to see the artifacts."),
                        }}
                        " Nothing is generated while an error stands, so nothing broken can be copied."
                    </p>
                }.into_any()
            } else {
                view! {
                    <div class="artifact-tabs" role="tablist" aria-label="Artifacts" on:keydown=on_tab_key>
                        {move || paths.get().into_iter().enumerate().map(|(i, full)| {
                            let name = full.rsplit('/').next().unwrap_or(&full).to_string();
                            view! {
                                <button type="button" role="tab" id=format!("artifact-tab-{i}")
                                    aria-selected=move || (index.get() == i).to_string()
                                    tabindex=move || if index.get() == i { "0" } else { "-1" }
                                    aria-controls="artifact-view"
                                    title=full.clone()
                                    on:click=move |_| selected.set(i)>{name}</button>
                            }
                        }).collect_view()}
                    </div>
                    <div id="artifact-view" role="tabpanel">
                        <p class="artifact-path"><code>{move || path.get()}</code> " — "
                            {move || purpose.get()}</p>
                        <div class="artifact-actions">
                            <CopyButton text=content label=Signal::derive(move || format!("Copy {}", path.get())).get_untracked()/>
                            <DownloadButton name=path text=content/>
                            <button type="button" on:click=download_all>"Download all (.tar)"</button>
                        </div>
                        <pre class="artifact" tabindex="0" aria-label="Artifact content"><code>{move || content.get()}</code></pre>
                    </div>
                }.into_any()
            }}
            <p class="help"><RichText text="The same files, byte for byte, as `kaniko-studio generate` writes for this configuration."/></p>
        </section>
    }
}

/// A POSIX ustar archive of `(path, content, executable)` entries. Paths longer than the
/// header allows are split into prefix and name; regular files only.
pub fn tar<'a>(entries: impl IntoIterator<Item = (&'a str, &'a [u8], bool)>) -> Vec<u8> {
    let mut out = Vec::new();
    for (path, content, executable) in entries {
        let mut header = [0u8; 512];
        let (prefix, name) = split_path(path);
        put(&mut header[0..100], name.as_bytes());
        put(&mut header[100..108], if executable { b"0000755\0" } else { b"0000644\0" });
        put(&mut header[108..116], b"0000000\0");
        put(&mut header[116..124], b"0000000\0");
        put(&mut header[124..136], format!("{:011o}\0", content.len()).as_bytes());
        put(&mut header[136..148], b"00000000000\0");
        header[156] = b'0';
        put(&mut header[257..263], b"ustar\0");
        put(&mut header[263..265], b"00");
        put(&mut header[345..500], prefix.as_bytes());
        // The checksum is computed with its own field as spaces.
        header[148..156].copy_from_slice(b"        ");
        let sum: u32 = header.iter().map(|b| u32::from(*b)).sum();
        put(&mut header[148..156], format!("{sum:06o}\0 ").as_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(content);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

fn put(field: &mut [u8], value: &[u8]) {
    let n = value.len().min(field.len());
    for (slot, byte) in field.iter_mut().zip(value.iter().take(n)) {
        *slot = *byte;
    }
}

fn split_path(path: &str) -> (&str, &str) {
    if path.len() <= 100 {
        return ("", path);
    }
    match path.char_indices().filter(|(_, c)| *c == '/').map(|(i, _)| i).find(|i| path.len() - i - 1 <= 100) {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    }
}
