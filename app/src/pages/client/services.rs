//! The Services section of a client's file. (Placeholder list: the section's forms come next.)

use super::{record_list, use_client, ListView, RecordCards, SectionFrame};
use crate::Section;
use leptos::prelude::*;
use shared::api::endpoints as ep;

#[component]
pub fn ServicesSection() -> impl IntoView {
    let file = use_client();
    let list = record_list::<ep::ListServices>(file);
    view! {
        <SectionFrame section=Section::Services>
            <ListView list=list what="services" render=|l| view! { <RecordCards list=l empty="No services recorded." /> } />
        </SectionFrame>
    }
}
