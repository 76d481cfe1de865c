//! Form fields bound to the configuration by dotted path (`registry.ecr.account`): the same
//! paths core's diagnostics carry, so each field shows its own messages beside it.
//!
//! A field reads and writes the configuration through its serde form, so one small set of
//! components covers every registry and option without a getter and setter per field.

use kaniko_studio_core::Diagnostic;
use kaniko_studio_core::config::BuildConfig;
use leptos::prelude::*;
use serde_json::Value;

use crate::state::use_state;
use kaniko_studio_ui::widgets::{DiagnosticItem, RichText};

/// Diagnostics of the current configuration, provided by the wizard.
#[derive(Debug, Clone, Copy)]
pub struct WizardDiagnostics(pub Signal<Vec<Diagnostic>>);

/// The paths of the fields now on the page, provided by the wizard: a diagnostic is shown once,
/// beside the most specific field that holds it (the registry's kind must not repeat what the
/// organization slug's field already says).
#[derive(Debug, Clone, Copy)]
pub struct MountedFields {
    paths: RwSignal<Vec<&'static str>>,
    /// Whether a notification of the new paths is already queued.
    queued: StoredValue<bool>,
}

impl Default for MountedFields {
    fn default() -> Self {
        Self::new()
    }
}

impl MountedFields {
    pub fn new() -> Self {
        MountedFields { paths: RwSignal::new(Vec::new()), queued: StoredValue::new(false) }
    }

    /// Add a field now on the page, until its view is cleaned up. The fields of a step mount
    /// together: the others are told once, after all of them have added theirs.
    fn add(self, path: &'static str) {
        self.paths.update_untracked(|paths| paths.push(path));
        if !self.queued.get_value() {
            self.queued.set_value(true);
            leptos::task::spawn_local(async move {
                self.queued.try_set_value(false);
                self.paths.try_update(|_| ());
            });
        }
        // Tracked: the fields that stay are told that this one has gone.
        on_cleanup(move || {
            self.paths.try_update(|paths| {
                if let Some(i) = paths.iter().position(|p| *p == path) {
                    paths.swap_remove(i);
                }
            });
        });
    }

    /// Whether a field on the page, more specific than `path`, holds diagnostics about `field`.
    fn closer(self, path: &str, field: &str) -> bool {
        self.paths.with(|paths| paths.iter().any(|p| p.len() > path.len() && holds(path, p) && holds(p, field)))
    }
}

/// Whether a diagnostic about `field` belongs to the field at `path`: the same path, or under it.
fn holds(path: &str, field: &str) -> bool {
    field == path || field.strip_prefix(path).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// A field path built at run time (`registry.ecr.auth` + `.oidc.role_arn`) as a `&'static str`.
/// Each distinct path is stored once: the set of paths is fixed by the configuration type, so
/// re-rendering a step never allocates again.
pub fn intern(path: String) -> &'static str {
    use std::cell::RefCell;
    use std::collections::HashSet;
    thread_local! {
        static PATHS: RefCell<HashSet<&'static str>> = RefCell::new(HashSet::new());
    }
    PATHS.with(|paths| {
        let mut paths = paths.borrow_mut();
        if let Some(existing) = paths.get(path.as_str()) {
            return *existing;
        }
        let stored: &'static str = Box::leak(path.into_boxed_str());
        paths.insert(stored);
        stored
    })
}

/// The configuration's serde form, computed once per change and read by every field. (Each
/// field serializing the whole configuration itself cost one serialization per field on
/// screen for every keystroke.)
#[derive(Debug, Clone, Copy)]
pub struct WizardValue(pub Memo<Value>);

/// The value at `path` in a serde form.
fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = value;
    for key in path.split('.') {
        cur = cur.get(key)?;
    }
    Some(cur)
}

/// The value at `path` in the configuration's serde form.
pub fn get_path(config: &BuildConfig, path: &str) -> Option<Value> {
    lookup(&config.to_value(), path).cloned()
}

/// A reactive reader of the value at `path`: from the wizard's shared serde form, or (outside
/// the wizard) the configuration serialized on the spot.
fn reader(path: &'static str) -> impl Fn() -> Option<Value> + Copy + 'static {
    let state = use_state();
    let shared = use_context::<WizardValue>().map(|w| w.0);
    move || match shared {
        Some(value) => value.with(|v| lookup(v, path).cloned()),
        None => state.config.with(|c| get_path(c, path)),
    }
}

/// Set (or with `None`, remove) the value at `path`, creating objects on the way. The change
/// is applied only if the result is still a valid configuration; returns whether it was.
pub fn set_path(config: &mut BuildConfig, path: &str, new: Option<Value>) -> bool {
    let mut value = config.to_value();
    let keys: Vec<&str> = path.split('.').collect();
    let Some((last, parents)) = keys.split_last() else { return false };
    let mut cur = &mut value;
    for key in parents {
        let Some(obj) = cur.as_object_mut() else { return false };
        cur = obj.entry((*key).to_string()).or_insert_with(|| Value::Object(Default::default()));
    }
    let Some(obj) = cur.as_object_mut() else { return false };
    match new {
        Some(v) => {
            obj.insert((*last).to_string(), v);
        }
        None => {
            obj.remove(*last);
        }
    }
    match BuildConfig::from_json_value(&value) {
        Ok(updated) => {
            *config = updated;
            true
        }
        Err(_) => false,
    }
}

/// The text form of a value for an input.
fn as_text(v: Option<Value>) -> String {
    match v {
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// Diagnostics for a field: those whose path is `path` or lies under it, except those a more
/// specific field on the page shows.
pub fn diagnostics_for(path: &'static str) -> Signal<Vec<Diagnostic>> {
    let diags = use_context::<WizardDiagnostics>().map(|d| d.0);
    let mounted = use_context::<MountedFields>();
    if let Some(m) = mounted {
        m.add(path);
    }
    // A memo: the field's messages are filtered once per change, and re-rendered only when
    // they differ.
    Signal::from(Memo::new(move |_| {
        let Some(diags) = diags else { return Vec::new() };
        let closer = |f: &str| mounted.is_some_and(|m| m.closer(path, f));
        diags.with(|all| {
            all.iter()
                .filter(|d| d.field.as_deref().is_some_and(|f| holds(path, f) && !closer(f)))
                .cloned()
                .collect()
        })
    }))
}

fn field_id(path: &str) -> String {
    format!("f-{}", path.replace(['.', '[', ']'], "-"))
}

/// Messages beside a field, plus a local message (e.g. "must be a number").
fn field_messages(id: String, diags: Signal<Vec<Diagnostic>>, local: Option<RwSignal<Option<String>>>) -> AnyView {
    view! {
        <ul class="field-messages diagnostics" id=id aria-live="polite">
            {move || local.and_then(|l| l.get()).map(|m| view! { <li class="diag diag-error"><strong>"error"</strong> ": " {m}</li> })}
            {move || diags.get().into_iter().map(|d| view! { <DiagnosticItem diagnostic=d/> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A field's help text (with `code` spans), or nothing when it has none.
fn help_text(help: &'static str) -> Option<AnyView> {
    (!help.is_empty()).then(|| view! { <p class="help"><RichText text=help/></p> }.into_any())
}

/// How a text field's content maps to the configuration value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextKind {
    /// A string; an empty one is stored as an empty string.
    #[default]
    Plain,
    /// An optional string; empty removes it.
    Optional,
    /// An unsigned number.
    Number,
    /// An optional unsigned number; empty removes it.
    OptionalNumber,
    /// A list of strings, one per line.
    Lines,
}

/// A labelled text input (or textarea for lists) bound to `path`. `help` and `placeholder`
/// may be empty.
pub fn text_field(path: &'static str, label: &'static str, help: &'static str, placeholder: &'static str, kind: TextKind) -> AnyView {
    let state = use_state();
    let id = field_id(path);
    let messages_id = format!("{id}-messages");
    let diags = diagnostics_for(path);
    let local = RwSignal::new(None::<String>);
    let read = reader(path);
    let value = move || match kind {
        TextKind::Lines => match read() {
            Some(Value::Array(items)) => items.iter().map(|i| as_text(Some(i.clone()))).collect::<Vec<_>>().join("\n"),
            _ => String::new(),
        },
        _ => as_text(read()),
    };
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let new = match kind {
            TextKind::Plain => Some(Value::String(text.clone())),
            TextKind::Optional if text.trim().is_empty() => None,
            TextKind::Optional => Some(Value::String(text.clone())),
            TextKind::OptionalNumber if text.trim().is_empty() => None,
            TextKind::Number | TextKind::OptionalNumber => match text.trim().parse::<u32>() {
                Ok(n) => Some(Value::from(n)),
                Err(_) => {
                    local.set(Some(format!("`{}` is not a whole number of 0 or more.", text.trim())));
                    return;
                }
            },
            TextKind::Lines => Some(Value::Array(
                text.lines().filter(|l| !l.trim().is_empty()).map(|l| Value::String(l.to_string())).collect(),
            )),
        };
        local.set(None);
        let mut ok = true;
        state.config.update(|c| ok = set_path(c, path, new));
        if !ok {
            local.set(Some("This value cannot be stored in the configuration.".to_string()));
        }
    };
    let invalid = move || (local.with(Option::is_some) || diags.with(|d| d.iter().any(Diagnostic::is_error))).to_string();
    let input = if kind == TextKind::Lines {
        view! {
            <textarea id=id.clone() rows="3" spellcheck="false" autocomplete="off" placeholder=placeholder
                aria-describedby=messages_id.clone() aria-invalid=invalid
                prop:value=value on:change=on_input></textarea>
        }
        .into_any()
    } else {
        let inputmode = matches!(kind, TextKind::Number | TextKind::OptionalNumber).then_some("numeric");
        view! {
            <input id=id.clone() type="text" spellcheck="false" autocomplete="off" placeholder=placeholder
                inputmode=inputmode aria-describedby=messages_id.clone() aria-invalid=invalid
                prop:value=value on:input=on_input />
        }
        .into_any()
    };
    view! {
        <div class="field" data-path=path>
            <label for=id.clone()>{label}</label>
            {help_text(help)}
            {input}
            {field_messages(messages_id, diags, Some(local))}
        </div>
    }
    .into_any()
}

/// A checkbox bound to a boolean at `path`.
pub fn check_field(path: &'static str, label: &'static str, help: &'static str) -> AnyView {
    let state = use_state();
    let id = field_id(path);
    let diags = diagnostics_for(path);
    let read = reader(path);
    let checked = move || matches!(read(), Some(Value::Bool(true)));
    view! {
        <div class="field check" data-path=path>
            <input id=id.clone() type="checkbox" prop:checked=checked
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    state.config.update(|c| { set_path(c, path, Some(Value::Bool(on))); });
                } />
            <label for=id.clone()>{label}</label>
            {help_text(help)}
            {field_messages(format!("{id}-messages"), diags, None)}
        </div>
    }
    .into_any()
}

/// What picking a [`Choice`] stores at the field's path.
#[derive(Debug, Clone, Copy)]
pub enum ChoiceValue {
    /// Remove the field (an optional setting left unset).
    Remove,
    /// This JSON, e.g. `"oidc"` or `{"oidc": {"role_arn": ""}}`.
    Json(&'static str),
    /// A value computed from the configuration and the choice's key (e.g. the example
    /// settings of a registry for the current stack).
    Make(fn(&BuildConfig, &str) -> Option<Value>),
}

/// One choice of a [`choice_field`]: a label and the serde value it stores.
#[derive(Debug, Clone, Copy)]
pub struct Choice {
    pub label: &'static str,
    /// The key that identifies the choice: a unit variant's string, or the single key of a
    /// struct variant's object.
    pub key: &'static str,
    /// The value stored when the user picks it.
    pub value: ChoiceValue,
}

impl Choice {
    /// The value to store for this choice in `config`.
    pub fn make(&self, config: &BuildConfig) -> Option<Value> {
        match self.value {
            ChoiceValue::Remove => None,
            ChoiceValue::Json(json) => serde_json::from_str(json).ok(),
            ChoiceValue::Make(make) => make(config, self.key),
        }
    }
}

/// The key of an enum value's serde form: the string of a unit variant or the single key of
/// an externally tagged variant.
pub fn variant_key(v: &Option<Value>) -> String {
    variant_key_of(v.as_ref())
}

fn variant_key_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) => o.keys().next().cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

thread_local! {
    /// What each variant held when the user switched away from it, by path and variant key:
    /// switching back brings it back instead of the example values.
    static LEFT: std::cell::RefCell<std::collections::HashMap<(&'static str, String), Value>> = Default::default();
}

/// Forget what the variants held (the whole configuration was replaced).
pub fn forget_variants() {
    LEFT.with(|left| left.borrow_mut().clear());
}

/// Switch the enum at `path` to `choice`: keep what the variant being left holds, and start the
/// new one from what it held last (if that still fits the configuration) or from the choice.
#[inline(never)]
fn switch_variant(config: &mut BuildConfig, path: &'static str, choice: &Choice) {
    let old = get_path(config, path);
    let old_key = variant_key(&old);
    if old_key == choice.key {
        return;
    }
    let back = LEFT.with(|left| {
        let mut left = left.borrow_mut();
        if let Some(old) = old {
            left.insert((path, old_key), old);
        }
        left.remove(&(path, choice.key.to_string()))
    });
    if !back.is_some_and(|v| set_path(config, path, Some(v))) {
        let v = choice.make(config);
        set_path(config, path, v);
    }
}

/// A `<select>` that switches an enum at `path` between variants.
pub fn choice_field(path: &'static str, label: &'static str, help: &'static str, choices: &'static [Choice]) -> AnyView {
    let state = use_state();
    let id = field_id(path);
    let diags = diagnostics_for(path);
    let current = variant_memo(path);
    view! {
        <div class="field" data-path=path>
            <label for=id.clone()>{label}</label>
            {help_text(help)}
            <select id=id.clone() aria-describedby=format!("{id}-messages")
                on:change=move |ev| {
                    let key = event_target_value(&ev);
                    if let Some(choice) = choices.iter().find(|c| c.key == key) {
                        state.config.update(|c| switch_variant(c, path, choice));
                    }
                }>
                {choices.iter().map(|c| {
                    let key = c.key;
                    view! { <option value=key selected=move || current.with(|k| k == key)>{c.label}</option> }
                }).collect_view()}
            </select>
            {field_messages(format!("{id}-messages"), diags, None)}
        </div>
    }
    .into_any()
}

/// The variant key currently at `path` (reactive).
pub fn variant_at(path: &'static str) -> Signal<String> {
    variant_memo(path).into()
}

/// The variant key at `path`, computed once per change without copying the variant's data,
/// however many `<option>`s compare with it.
fn variant_memo(path: &'static str) -> Memo<String> {
    let state = use_state();
    let shared = use_context::<WizardValue>().map(|w| w.0);
    Memo::new(move |_| match shared {
        Some(value) => value.with(|v| variant_key_of(lookup(v, path))),
        None => state.config.with(|c| variant_key(&get_path(c, path))),
    })
}
