//! The Intake section of a client's file. (Placeholder: the section's content comes next.)

use super::SectionFrame;
use crate::Section;
use leptos::prelude::*;

#[component]
pub fn IntakeSection() -> impl IntoView {
    view! {
        <SectionFrame section=Section::Intake>
            <p class="empty">"The intake form will be shown here."</p>
        </SectionFrame>
    }
}
