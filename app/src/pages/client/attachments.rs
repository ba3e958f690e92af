//! The Attachments section of a client's file. (Placeholder list: the section's forms come next.)

use super::{record_list, use_client, ListView, RecordCards, SectionFrame};
use crate::Section;
use leptos::prelude::*;
use shared::api::endpoints as ep;

#[component]
pub fn AttachmentsSection() -> impl IntoView {
    let file = use_client();
    let list = record_list::<ep::ListAttachments>(file);
    view! {
        <SectionFrame section=Section::Attachments>
            <ListView list=list what="attachments" render=|l| view! { <RecordCards list=l empty="No attachments." /> } />
        </SectionFrame>
    }
}
