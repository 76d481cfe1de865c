//! The wizard: environment → registry → authentication and audience → image → Kaniko → review.

use leptos::prelude::*;

use crate::AudienceCard;

/// The wizard page.
#[component]
pub fn Wizard() -> impl IntoView {
    view! { <AudienceCard/> }
}
