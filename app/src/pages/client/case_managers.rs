//! The CaseManagers section of a client's file. (Placeholder list: the section's forms come next.)

use super::{record_list, use_client, ListView, RecordCards, SectionFrame};
use crate::Section;
use leptos::prelude::*;
use shared::api::endpoints as ep;

#[component]
pub fn CaseManagersSection() -> impl IntoView {
    let file = use_client();
    let list = record_list::<ep::ListCaseManagers>(file);
    view! {
        <SectionFrame section=Section::CaseManagers>
            <ListView list=list what="case managers" render=|l| view! { <RecordCards list=l empty="No case manager is assigned." /> } />
        </SectionFrame>
    }
}
