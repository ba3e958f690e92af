//! The Releases section of a client's file. (Placeholder: the section's content comes next.)

use super::SectionFrame;
use crate::Section;
use leptos::prelude::*;

#[component]
pub fn ReleasesSection() -> impl IntoView {
    view! {
        <SectionFrame section=Section::Releases>
            <p class="empty">"Releases of information for this client will be listed here."</p>
        </SectionFrame>
    }
}
