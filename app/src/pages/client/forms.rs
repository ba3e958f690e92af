//! The Forms section of a client's file. (Placeholder list: the section's forms come next.)

use super::{record_list, use_client, ListView, RecordCards, SectionFrame};
use crate::Section;
use leptos::prelude::*;
use shared::api::endpoints as ep;

#[component]
pub fn FormsSection() -> impl IntoView {
    let file = use_client();
    let list = record_list::<ep::ListForms>(file);
    view! {
        <SectionFrame section=Section::Forms>
            <ListView list=list what="forms" render=|l| view! { <RecordCards list=l empty="No forms." /> } />
        </SectionFrame>
    }
}
