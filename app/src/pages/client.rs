//! The client profile: tier-1 intake and every record the user may see. Each badge is the shared
//! read decision computed here, in the browser, from the same inputs the server used.

use crate::components::{RequireSession, VisibilityBadge};
use crate::{api, Session};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::api::records::Checklist;
use shared::api::{ClientProfile, OrgName};
use shared::{can_read, RecordMeta, SharingContext};

#[component]
pub fn ClientPage() -> impl IntoView {
    view! { <RequireSession><Client /></RequireSession> }
}

#[component]
fn Client() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let profile = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => api::client_profile(id).await,
                None => Err(api::ApiError::NotFound),
            }
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading client…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(p) => view! { <Profile profile=p /> }.into_any(),
                    Err(e) => view! {
                        <p class="error" role="alert" data-test-id="profile-error">{e.message()}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Loads and shows the household checklist of one client (nothing when it cannot be loaded).
#[component]
fn ChecklistSection(client: i64, orgs: Vec<OrgName>) -> impl IntoView {
    let checklist = LocalResource::new(move || api::checklist(client));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let orgs = orgs.clone();
                Suspend::new(async move {
                    checklist
                        .await
                        .ok()
                        .map(|c| view! { <HouseholdChecklist checklist=c orgs=orgs /> })
                })
            }}
        </Suspense>
    }
}

/// what a head of household's file should hold, and where a case manager is missing.
#[component]
fn HouseholdChecklist(checklist: Checklist, orgs: Vec<OrgName>) -> impl IntoView {
    if !checklist.head_of_household {
        return ().into_any();
    }
    let namer = crate::components::org_namer(orgs);
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
        <section class="card" data-test-id="household-checklist">
            <h2>"Head of household checklist"</h2>
            <ul class="checklist">{documents}{missing}</ul>
        </section>
    }
    .into_any()
}

#[component]
fn Profile(profile: ClientProfile) -> impl IntoView {
    let Session(session) = expect_context::<Session>();
    let Some(me) = session.get_untracked() else {
        return ().into_any();
    };
    let ctx = SharingContext {
        rois: &profile.rois,
        mous: &profile.mous,
    };
    let decide = |meta: &RecordMeta| can_read(&me.actor, meta, &ctx, me.today, &me.policy);
    let intake = &profile.intake;
    let intake_decision = decide(&intake.meta);
    let orgs = profile.org_names.clone();
    // Grouped by kind, in the SPEC's order; newest first within a kind (the server's order).
    let mut sorted: Vec<_> = profile.records.iter().collect();
    sorted.sort_by_key(|r| r.meta.kind);
    let records = sorted
        .into_iter()
        .map(|r| {
            let d = decide(&r.meta);
            // P-1: the browser's decision and the server's must agree; the e2e tests check it.
            let agrees = d.allowed && d.reason == r.reason;
            // S-2: the entering user and organization, by name (from the server's view).
            let owner = format!("Entered by {}, {}", r.entered_by.user_name, r.entered_by.org_name);
            view! {
                <li class="record" data-test-id="record" data-kind=r.meta.kind.as_str()
                    data-agrees=agrees.to_string()>
                    <div class="record-head">
                        <span class="record-kind">{r.meta.kind.label()}</span>
                        <VisibilityBadge decision=d orgs=orgs.clone() />
                    </div>
                    <div class="record-title">{r.title.clone()}</div>
                    <div class="record-detail">{r.detail.clone()}</div>
                    <div class="record-owner">{format!("{owner} · {}", r.meta.provenance.created_at.date())}</div>
                    {r.meta.security.map(|s| view! {
                        <div class="record-setting" data-test-id="record-setting">{format!("Security setting: {}", s.label())}</div>
                    })}
                </li>
            }
        })
        .collect_view();
    // S-9: nothing about withheld records unless the CoC's policy turns the notice on.
    let withheld = profile.withheld_by.clone().filter(|orgs| !orgs.is_empty());
    // who entered each value that another agency changes only with documentation, when it
    // is not the intake's creator (then the badge above already names it).
    let namer = crate::components::org_namer(orgs.clone());
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
    let changed_sources = (!changed.is_empty()).then(|| {
        view! {
            <ul class="field-sources" data-test-id="field-sources">
                {changed.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
        }
    });
    view! {
        <section class="card client" data-test-id="client-profile">
            <div class="client-head">
                <div>
                    <h1 data-test-id="client-name">
                        {format!("{} {}{}", intake.first_name,
                            intake.middle_name.as_deref().map(|m| format!("{m} ")).unwrap_or_default(),
                            intake.last_name)}
                    </h1>
                    <p class="hmis" data-test-id="hmis-number">{profile.hmis_number.to_string()}</p>
                </div>
                <VisibilityBadge decision=intake_decision orgs=profile.org_names.clone() />
            </div>
            <dl class="facts">
                <dt>"Date of birth"</dt>
                <dd>{intake.date_of_birth.map(|d| d.to_string()).unwrap_or_else(|| "Not recorded".into())}</dd>
                <dt>"SSN"</dt>
                <dd>{intake.ssn_last4.as_deref().map(shared::fields::masked_ssn).unwrap_or_else(|| "Not recorded".into())}</dd>
                <dt>"Gender"</dt>
                <dd>{intake.gender.clone().unwrap_or_else(|| "Not recorded".into())}</dd>
                <dt>"Marital status"</dt>
                <dd data-test-id="marital-status">{intake.marital_status.map(|m| m.label().to_owned()).unwrap_or_else(|| "Not recorded".into())}</dd>
            </dl>
            {changed_sources}
        </section>
        <ChecklistSection client=profile.id.0 orgs=profile.org_names.clone() />
        <section class="card">
            <h2>"Records"</h2>
            <ul class="records">{records}</ul>
            {withheld.map(|orgs| view! {
                <p class="hidden-note" data-test-id="hidden-note">
                    {format!("Records restricted to {} exist.",
                        orgs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", "))}
                </p>
            })}
        </section>
    }
    .into_any()
}
