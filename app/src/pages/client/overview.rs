//! The overview of a client's file (`/clients/:id`): the tier-1 intake facts, the head-of-household
//! checklist and every record the user may see, each with the read decision computed here, in the
//! browser, from the same inputs the server used.

use super::{use_client, SectionFrame, WithheldNote};
use crate::api;
use crate::components::{org_namer, RecordCard};
use crate::Section;
use leptos::prelude::*;
use shared::api::records::Checklist;
use shared::api::{ClientProfile, OrgName};

#[component]
pub fn OverviewSection() -> impl IntoView {
    let file = use_client();
    move || {
        file.with(|p| p.clone()).map(|p| {
            let (client, orgs, facts) = (p.id.0, p.org_names.clone(), p.clone());
            view! {
                <SectionFrame section=Section::Overview>
                    <Facts profile=facts />
                </SectionFrame>
                <super::same_person::SamePersonPanel />
                <ChecklistSection client=client orgs=orgs />
                <AllRecords profile=p />
            }
        })
    }
}

#[component]
fn Facts(profile: ClientProfile) -> impl IntoView {
    let intake = &profile.intake;
    let namer = org_namer(profile.org_names.clone());
    // who entered each value that another agency changes only with documentation, when it
    // is not the intake's creator.
    let changed: Vec<String> = intake
        .sources
        .iter()
        .filter(|s| s.org != intake.meta.provenance.org)
        .map(|s| {
            format!(
                "{}: entered by {} on {}",
                s.field.label(),
                namer(s.org),
                s.at.date()
            )
        })
        .collect();
    let not_recorded = || "Not recorded".to_owned();
    view! {
        <dl class="facts">
            <dt>"Date of birth"</dt>
            <dd>{intake.date_of_birth.map(|d| d.to_string()).unwrap_or_else(not_recorded)}</dd>
            <dt>"SSN"</dt>
            <dd>{intake.ssn_last4.as_deref().map(shared::fields::masked_ssn).unwrap_or_else(not_recorded)}</dd>
            <dt>"Gender"</dt>
            <dd>{intake.gender.clone().unwrap_or_else(not_recorded)}</dd>
            <dt>"Marital status"</dt>
            <dd data-test-id="marital-status">{intake.marital_status.map(|m| m.label().to_owned()).unwrap_or_else(not_recorded)}</dd>
            <dt>"Entered by"</dt>
            <dd>{format!("{}, {}", intake.entered_by.user_name, intake.entered_by.org_name)}</dd>
        </dl>
        {(!changed.is_empty()).then(|| view! {
            <ul class="field-sources" data-test-id="field-sources">
                {changed.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
        })}
    }
}

#[component]
fn AllRecords(profile: ClientProfile) -> impl IntoView {
    let file = use_client();
    let orgs = profile.org_names.clone();
    // Grouped by kind, in the SPEC's order; newest first within a kind (the server's order).
    let mut sorted = profile.records;
    sorted.sort_by_key(|r| r.meta.kind);
    let empty = sorted.is_empty();
    let records = sorted
        .into_iter()
        .map(|r| {
            let d = file.can_read(&r.meta);
            view! {
                <RecordCard meta=r.meta entered_by=r.entered_by title=r.title detail=r.detail
                    decision=d server_reason=r.reason orgs=orgs.clone() />
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="all-records">
            <h2 id="all-records">"All records"</h2>
            {empty.then(|| view! { <p class="empty">"No records you may see."</p> })}
            <ul class="records">{records}</ul>
            <WithheldNote orgs=profile.withheld_by.filter(|o| !o.is_empty()) />
        </section>
    }
}

/// Loads and shows the household checklist of one client (nothing when it cannot be loaded).
#[component]
pub fn ChecklistSection(client: i64, orgs: Vec<OrgName>) -> impl IntoView {
    let checklist = LocalResource::new(move || api::checklist(client));
    view! {
        <Transition fallback=|| ()>
            {move || {
                let orgs = orgs.clone();
                Suspend::new(async move {
                    checklist
                        .await
                        .ok()
                        .map(|c| view! { <HouseholdChecklist checklist=c orgs=orgs /> })
                })
            }}
        </Transition>
    }
}

/// what a head of household's file should hold, and where a case manager is missing.
#[component]
pub fn HouseholdChecklist(checklist: Checklist, orgs: Vec<OrgName>) -> impl IntoView {
    if !checklist.head_of_household {
        return ().into_any();
    }
    let namer = org_namer(orgs);
    let documents = checklist
        .documents
        .into_iter()
        .map(|d| {
            let (mark, class) = if d.on_file {
                ("On file", "check check-done")
            } else {
                ("Missing", "check check-missing")
            };
            view! {
                <li class=class data-test-id="checklist-item" data-on-file=d.on_file.to_string()>
                    <span class="check-mark">{mark}</span>
                    <span class="check-label">{d.document.label()}</span>
                    {d.reminder.map(|r| view! { <span class="check-reminder">{r}</span> })}
                </li>
            }
        })
        .collect_view();
    let missing = checklist
        .missing_case_managers
        .into_iter()
        .map(|m| {
            view! {
                <li class="check check-missing" data-test-id="missing-case-manager">
                    <span class="check-mark">"No case manager"</span>
                    <span class="check-label">{format!("{} ({})", m.program_name, namer(m.org))}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" data-test-id="household-checklist" aria-labelledby="checklist-heading">
            <h2 id="checklist-heading">"Head of household checklist"</h2>
            <ul class="checklist">{documents}{missing}</ul>
        </section>
    }
    .into_any()
}
