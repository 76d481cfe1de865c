//! The troubleshooter: a guided "aud / 401 / 403" flow, four panels that check what the user
//! pastes (a build log, an OIDC token, an OIDC policy, a pipeline) and the doctor step.
//!
//! It is the page's second wasm module: Trunk builds it next to the wizard
//! (`kaniko-studio-app`), which imports it when the Troubleshoot tab first opens and calls
//! [`mount`] with the wizard's configuration as JSON text, in memory. So the first page load
//! carries only the wizard, and the log patterns, the linter, the token and policy checks and
//! their views load only for those who troubleshoot.
//!
//! Nothing pasted here is stored or sent anywhere: the text lives in signals of this module
//! only (never in storage), and every check runs in core.

use kaniko_studio_core::Diagnostic;
use kaniko_studio_core::config::BuildConfig;
use kaniko_studio_core::config_file::{ConfigError, ConfigFormat, parse_config_all};
use kaniko_studio_core::token::{TokenReport, inspect_token};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

pub mod context;
mod doctor;
mod guide;
mod log;
mod pipeline;
mod policy;
mod token;

pub use context::Prefill;
pub use guide::{STEPS, Step, StepCheck, Symptom};

use kaniko_studio_ui::widgets::{RichText, tab_step};

/// The wizard's configuration, which the troubleshooter's checks and pre-filled values use.
#[derive(Debug, Clone, Copy)]
pub struct Setup {
    pub config: Signal<BuildConfig>,
}

/// The set-up from context.
///
/// # Panics
/// Outside [`Troubleshooter`], which provides it (a programming error, not user input).
pub(crate) fn use_setup() -> Setup {
    expect_context::<Setup>()
}

/// A mounted troubleshooter, returned to the page by [`mount`].
#[wasm_bindgen]
pub struct Mounted {
    handle: Box<dyn std::any::Any>,
}

impl std::fmt::Debug for Mounted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Mounted")
    }
}

#[wasm_bindgen]
impl Mounted {
    /// Removes the troubleshooter from the page. What the user pasted is kept in this module's
    /// memory, so the next [`mount`] shows it again.
    pub fn unmount(self) {
        drop(self.handle);
    }
}

/// Mounts the troubleshooter into `element`, for the configuration given as the JSON text of a
/// `BuildConfig` (the wizard's autosave format). An unreadable configuration is an error the
/// page shows; it never panics.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, config_json: &str) -> Result<Mounted, JsError> {
    kaniko_studio_ui::install_panic_hook();
    let config = BuildConfig::from_json_str(config_json)
        .map_err(|err| JsError::new(&format!("the set-up could not be read: {}", err.message)))?;
    let handle = leptos::mount::mount_to(element, move || {
        let config = RwSignal::new(config);
        view! { <Troubleshooter config/> }
    });
    Ok(Mounted { handle: Box::new(handle) })
}

/// What reading a configuration file gave: the configuration as compact JSON data (which the
/// wizard reads with `BuildConfig::from_json_data`), or the error with its line and column.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Imported {
    result: Result<String, Vec<ConfigError>>,
}

#[wasm_bindgen]
impl Imported {
    /// The configuration's compact JSON, when the file was read.
    #[wasm_bindgen(getter)]
    pub fn config_json(&self) -> Option<String> {
        self.result.as_ref().ok().cloned()
    }

    /// How many errors the file has (0 when it was read).
    #[wasm_bindgen(getter)]
    pub fn error_count(&self) -> usize {
        self.result.as_ref().err().map_or(0, Vec::len)
    }

    /// The kind (`ConfigErrorKind::name`) of error `index`.
    pub fn error_kind(&self, index: usize) -> Option<String> {
        self.error(index).map(|e| e.kind.name().to_string())
    }

    /// The 1-based line of error `index`, 0 when unknown.
    pub fn error_line(&self, index: usize) -> u32 {
        self.error(index).map_or(0, |e| e.line)
    }

    /// The 1-based column of error `index`, 0 when unknown.
    pub fn error_col(&self, index: usize) -> u32 {
        self.error(index).map_or(0, |e| e.col)
    }

    /// The field error `index` is about (empty for the whole document).
    pub fn error_path(&self, index: usize) -> String {
        self.error(index).map(|e| e.path.clone()).unwrap_or_default()
    }

    /// What is wrong, for error `index`.
    pub fn error_message(&self, index: usize) -> String {
        self.error(index).map(|e| e.message.clone()).unwrap_or_default()
    }
}

impl Imported {
    fn error(&self, index: usize) -> Option<&ConfigError> {
        self.result.as_ref().err().and_then(|errors| errors.get(index))
    }
}

/// Reads a configuration file (YAML or JSON, told apart by its name and content) for the
/// wizard's import. It lives in this module because it needs the YAML reader and, for errors,
/// the line and column, which the wizard's first load does without.
#[wasm_bindgen]
pub fn import_config(file_name: &str, text: &str) -> Imported {
    let result = parse_config_all(text, ConfigFormat::detect(Some(file_name), text)).map(|c| c.to_compact_json());
    Imported { result }
}

/// One panel of the troubleshooter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Guide,
    Log,
    Token,
    Policy,
    Pipeline,
    Doctor,
}

impl Panel {
    /// Every panel, in tab order.
    pub const ALL: [Panel; 6] = [Panel::Guide, Panel::Log, Panel::Token, Panel::Policy, Panel::Pipeline, Panel::Doctor];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Panel::Guide => "aud / 401 / 403",
            Panel::Log => "Build log",
            Panel::Token => "OIDC token",
            Panel::Policy => "OIDC policy",
            Panel::Pipeline => "Pipeline",
            Panel::Doctor => "Doctor step",
        }
    }

    /// A stable name used in element ids (`ts-tab-log`, `ts-panel-log`).
    pub fn slug(self) -> &'static str {
        match self {
            Panel::Guide => "guide",
            Panel::Log => "log",
            Panel::Token => "token",
            Panel::Policy => "policy",
            Panel::Pipeline => "pipeline",
            Panel::Doctor => "doctor",
        }
    }

    /// The id of the control focused when the panel is opened from the guide.
    pub fn input_id(self) -> &'static str {
        match self {
            Panel::Guide => "ts-symptom-aud",
            Panel::Log => "log-input",
            Panel::Token => "token-input",
            Panel::Policy => "policy-input",
            Panel::Pipeline => "pipeline-input",
            Panel::Doctor => "doctor-destination",
        }
    }
}

/// What the user pasted and chose, kept in memory (never in storage) while the page is open,
/// so that visiting the wizard and coming back does not lose a pasted log or token.
#[derive(Debug, Clone, Copy)]
pub struct Kept {
    pub panel: RwSignal<Panel>,
    pub symptom: RwSignal<Option<Symptom>>,
    pub token: RwSignal<String>,
    pub audience_override: RwSignal<Option<String>>,
    pub log: RwSignal<String>,
    pub policy: RwSignal<String>,
    pub claims: RwSignal<String>,
    pub pipeline: RwSignal<String>,
}

thread_local! {
    static KEPT: std::cell::OnceCell<(Owner, Kept)> = const { std::cell::OnceCell::new() };
}

/// The kept values, created on first use under their own root owner (never disposed).
fn kept() -> Kept {
    KEPT.with(|k| {
        k.get_or_init(|| {
            // `new_root` makes the new owner current: put the component's owner back after.
            let previous = Owner::current();
            let owner = Owner::new_root(None);
            let kept = owner.with(|| Kept {
                panel: RwSignal::new(Panel::Guide),
                symptom: RwSignal::new(None),
                token: RwSignal::new(String::new()),
                audience_override: RwSignal::new(None),
                log: RwSignal::new(String::new()),
                policy: RwSignal::new(String::new()),
                claims: RwSignal::new(String::new()),
                pipeline: RwSignal::new(String::new()),
            });
            match previous {
                Some(previous) => previous.set(),
                None => owner.clone().unset(),
            }
            (owner, kept)
        })
        .1
    })
}

/// The troubleshooter's own state, shared by its panels through context.
#[derive(Debug, Clone, Copy)]
pub struct Trouble {
    /// The panel shown.
    pub panel: RwSignal<Panel>,
    /// The pasted token (also offered to the policy panel).
    pub token: RwSignal<String>,
    /// An audience typed by the user instead of the set-up's.
    pub audience_override: RwSignal<Option<String>>,
    /// The values taken from the wizard's configuration.
    pub prefill: Memo<Prefill>,
    /// The token's inspection, when a token is pasted.
    pub token_report: Memo<Option<TokenReport>>,
    /// The policy evaluation's outcome for the guide: `Some(true)` when a statement matches
    /// and grants `write_packages`.
    pub policy_outcome: RwSignal<Option<PolicyOutcome>>,
    /// The number of findings of the last log diagnosis.
    pub log_findings: RwSignal<Option<usize>>,
    /// The pasted texts.
    pub kept: Kept,
}

/// What the policy panel found, summarised for the guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyOutcome {
    /// The first matching statement, if any.
    pub matched: Option<usize>,
    /// Whether it grants `write_packages`.
    pub can_push: bool,
}

impl Trouble {
    fn new() -> Self {
        let state = use_setup();
        let prefill = Memo::new(move |_| state.config.with(Prefill::from_config));
        let kept = kept();
        let token = kept.token;
        let audience_override = kept.audience_override;
        let token_report = Memo::new(move |_| {
            let expect = context::token_expectation(&audience_override.get().unwrap_or_else(|| prefill.with(|p| p.audience.clone().unwrap_or_default())));
            token.with(|t| (!t.trim().is_empty()).then(|| inspect_token(t, &expect, now_unix())))
        });
        Trouble {
            panel: kept.panel,
            token,
            audience_override,
            prefill,
            token_report,
            policy_outcome: RwSignal::new(None),
            log_findings: RwSignal::new(None),
            kept,
        }
    }

    /// The audience tokens are checked against: typed by the user, else the set-up's.
    pub fn audience(&self) -> String {
        self.audience_override.get().unwrap_or_else(|| self.prefill.with(|p| p.audience.clone().unwrap_or_default()))
    }

    /// Show `panel` and focus its first input.
    pub fn open(&self, panel: Panel) {
        self.panel.set(panel);
        leptos::task::spawn_local(async move {
            sleep(0).await;
            focus(panel.input_id());
        });
    }
}

/// The troubleshooter from context.
fn use_trouble() -> Trouble {
    expect_context::<Trouble>()
}

/// The troubleshooter, for the set-up `config`.
#[component]
pub fn Troubleshooter(#[prop(into)] config: Signal<BuildConfig>) -> impl IntoView {
    provide_context(Setup { config });
    let trouble = Trouble::new();
    provide_context(trouble);
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let current = Panel::ALL.iter().position(|p| *p == trouble.panel.get_untracked()).unwrap_or(0);
        let Some(next) = tab_step(&ev.key(), current, Panel::ALL.len()) else { return };
        ev.prevent_default();
        let panel = Panel::ALL.get(next).copied().unwrap_or(Panel::Guide);
        trouble.panel.set(panel);
        focus(&format!("ts-tab-{}", panel.slug()));
    };
    let tabs = Panel::ALL
        .into_iter()
        .map(|p| {
            let selected = move || trouble.panel.get() == p;
            view! {
                <button type="button" role="tab" id=format!("ts-tab-{}", p.slug())
                    aria-controls=format!("ts-panel-{}", p.slug())
                    aria-selected=move || selected().to_string()
                    tabindex=move || if selected() { "0" } else { "-1" }
                    on:click=move |_| trouble.panel.set(p)>{p.label()}</button>
            }
        })
        .collect_view();
    let panel = move |p: Panel, body: AnyView| {
        view! {
            <div role="tabpanel" class="ts-panel" id=format!("ts-panel-{}", p.slug())
                aria-labelledby=format!("ts-tab-{}", p.slug())
                hidden=move || trouble.panel.get() != p>{body}</div>
        }
    };
    view! {
        <section class="card troubleshooter" aria-labelledby="troubleshoot-title">
            <h2 id="troubleshoot-title">"Troubleshoot"</h2>
            <p class="explain">
                "Paste what you have: a build log, a token, a policy or a pipeline. Everything is checked in this page; "
                "nothing you paste is stored or sent anywhere."
            </p>
            <p class="ts-prefill" id="ts-prefill">{move || view! { <RichText text=trouble.prefill.with(Prefill::summary)/> }}</p>
            <div class="tabs ts-tabs" role="tablist" aria-label="Troubleshooter" on:keydown=on_key>{tabs}</div>
            {panel(Panel::Guide, view! { <guide::GuidePanel/> }.into_any())}
            {panel(Panel::Log, view! { <log::LogPanel/> }.into_any())}
            {panel(Panel::Token, view! { <token::TokenPanel/> }.into_any())}
            {panel(Panel::Policy, view! { <policy::PolicyPanel/> }.into_any())}
            {panel(Panel::Pipeline, view! { <pipeline::PipelinePanel/> }.into_any())}
            {panel(Panel::Doctor, view! { <doctor::DoctorPanel/> }.into_any())}
        </section>
    }
}

/// A diagnostic with a button that selects its line in the textarea `target`.
#[component]
fn LocatedDiagnostic(diagnostic: Diagnostic, target: &'static str) -> impl IntoView {
    let sev = diagnostic.severity.as_str();
    let line = diagnostic.span.map(|s| (s.line, s.col));
    view! {
        <li class=format!("diag diag-{sev}") data-rule=diagnostic.id>
            {line.map(|(l, c)| view! { <LineButton target line=l label=format!("line {l}:{c}")/> " " })}
            <strong>{sev} " " {diagnostic.id}</strong>
            ": " <RichText text=diagnostic.message.clone()/>
            <span class="fix">" Fix: " <RichText text=diagnostic.fix.clone()/></span>
            {(!diagnostic.docs.is_empty()).then(|| view! {
                " " <a class="docs" href=diagnostic.docs target="_blank" rel="noopener noreferrer">"Docs"</a>
            })}
        </li>
    }
}

/// A button that moves the caret of textarea `target` to `line` and focuses it.
#[component]
fn LineButton(target: &'static str, line: u32, #[prop(into)] label: String) -> impl IntoView {
    let aria = format!("Go to {label} in the pasted text");
    view! {
        <button type="button" class="line-link" data-line=line.to_string() aria-label=aria
            on:click=move |_| select_line(target, line)>{label}</button>
    }
}

/// Seconds since 1970 (UTC), from the browser's clock.
pub(crate) fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Wait `ms` milliseconds on the event loop, letting the browser paint and handle input.
pub(crate) async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn element(id: &str) -> Option<web_sys::Element> {
    web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id))
}

/// Focus the element with `id`, if there is one (the helper both modules share).
pub(crate) use kaniko_studio_ui::widgets::focus_id as focus;

/// Select line `line` (1-based) of the textarea `id`, focus it and scroll the line into view.
pub fn select_line(id: &str, line: u32) {
    let Some(area) = element(id).and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) else { return };
    let text = area.value();
    let (start, end) = line_range_utf16(&text, line);
    let _ = area.focus();
    // Backward: the caret is at the line's start, so a long line is shown from its start, not
    // scrolled sideways to its end (on a phone the start is what says what the line is).
    let _ = area.set_selection_range_with_direction(start, end, "backward");
    area.set_scroll_left(0);
    let lines = text.bytes().filter(|&b| b == b'\n').count() as f64 + 1.0;
    let ratio = f64::from(line.saturating_sub(1)) / lines;
    let top = f64::from(area.scroll_height()) * ratio - f64::from(area.client_height()) / 3.0;
    area.set_scroll_top(top.max(0.0) as i32);
}

/// The UTF-16 offsets (what `setSelectionRange` counts) of the start and end of line `line`
/// (1-based) in `text`, without its line break. Past the end gives the end of the text.
pub fn line_range_utf16(text: &str, line: u32) -> (u32, u32) {
    let mut offset = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.encode_utf16().count() as u32;
        if i as u32 + 1 == line.max(1) {
            let shown = l.strip_suffix('\r').map_or(len, |s| s.encode_utf16().count() as u32);
            return (offset, offset.saturating_add(shown));
        }
        offset = offset.saturating_add(len).saturating_add(1);
    }
    let end = offset.saturating_sub(1);
    (end, end)
}
