//! The Household section of a client's file. (Placeholder: the section's content comes next.)

use super::SectionFrame;
use crate::Section;
use leptos::prelude::*;

#[component]
pub fn HouseholdSection() -> impl IntoView {
    view! {
        <SectionFrame section=Section::Household>
            <p class="empty">"The household and its checklist will be shown here."</p>
        </SectionFrame>
    }
}
