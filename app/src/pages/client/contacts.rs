//! The Contacts section of a client's file. (Placeholder list: the section's forms come next.)

use super::{record_list, use_client, ListView, RecordCards, SectionFrame};
use crate::Section;
use leptos::prelude::*;
use shared::api::endpoints as ep;

#[component]
pub fn ContactsSection() -> impl IntoView {
    let file = use_client();
    let list = record_list::<ep::ListContacts>(file);
    view! {
        <SectionFrame section=Section::Contacts>
            <ListView list=list what="contact rows" render=|l| view! { <RecordCards list=l empty="No contact information recorded." /> } />
        </SectionFrame>
    }
}
