//! The Conflicts section of a client's file. (Placeholder: the section's content comes next.)

use super::SectionFrame;
use crate::Section;
use leptos::prelude::*;

#[component]
pub fn ConflictsSection() -> impl IntoView {
    view! {
        <SectionFrame section=Section::Conflicts>
            <p class="empty">"Data conflicts on this client will be listed here."</p>
        </SectionFrame>
    }
}
