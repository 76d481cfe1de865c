//! A bare Leptos counter: what any Leptos CSR page costs before it does anything.
use leptos::prelude::*;

#[component]
fn Counter() -> impl IntoView {
    let count = RwSignal::new(0);
    view! {
        <button id="count" type="button" on:click=move |_| count.update(|n| *n += 1)>
            "Count: " {move || count.get()}
        </button>
    }
}

fn main() {
    leptos::mount::mount_to_body(Counter);
}
