//! The Demographics section of a client's file. (Placeholder: the section's content comes next.)

use super::SectionFrame;
use crate::Section;
use leptos::prelude::*;

#[component]
pub fn DemographicsSection() -> impl IntoView {
    view! {
        <SectionFrame section=Section::Demographics>
            <p class="empty">"Demographics and the photo will be shown here."</p>
        </SectionFrame>
    }
}
