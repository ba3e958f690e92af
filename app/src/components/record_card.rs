//! A record card: kind, title, detail, who entered it, its visibility badge (the shared read
//! decision computed here), and its actions.

use super::VisibilityBadge;
use leptos::prelude::*;
use shared::api::{EnteredBy, OrgName};
use shared::{Decision, Reason, RecordMeta};

#[component]
pub fn RecordCard(
    meta: RecordMeta,
    entered_by: EnteredBy,
    #[prop(into)] title: String,
    #[prop(optional, into)] detail: String,
    /// The read decision the browser computed.
    decision: Decision,
    /// The server's reason, for P-1's check that both agree (`data-agrees`).
    server_reason: Reason,
    orgs: Vec<OrgName>,
    /// Extra lines and the record's actions.
    #[prop(optional)]
    children: Option<Children>,
    #[prop(optional)] ended: bool,
) -> impl IntoView {
    let agrees = decision.allowed && decision.reason == server_reason;
    let owner = format!(
        "Entered by {}, {} · {}",
        entered_by.user_name,
        entered_by.org_name,
        meta.provenance.created_at.date()
    );
    view! {
        <li class="record" class:record-ended=ended data-test-id="record" data-kind=meta.kind.as_str()
            data-record-id=meta.id.0.to_string() data-agrees=agrees.to_string()>
            <div class="record-head">
                <span class="record-kind">{meta.kind.label()}</span>
                <VisibilityBadge decision=decision orgs=orgs />
            </div>
            <div class="record-title">{title}</div>
            {(!detail.is_empty()).then(|| view! { <div class="record-detail">{detail}</div> })}
            <div class="record-owner">{owner}</div>
            {meta.security.map(|s| view! {
                <div class="record-setting" data-test-id="record-setting">{format!("Security setting: {}", s.label())}</div>
            })}
            {children.map(|c| c())}
        </li>
    }
}
