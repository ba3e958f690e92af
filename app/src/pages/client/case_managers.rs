//! The Case managers section of a client's file: the household's assignments, current and
//! ended; R-10's warnings where an open enrollment has no case manager (from the checklist
//! endpoint); assigning one of the own agency's users in one of its programs, and ending an
//! assignment (its last day). Caseworkers cannot list their agency's users (only administrators
//! can, `GET /users`), so they may assign themselves, and the form says so.

use super::enrollments::{date_value, field_refusal, programs_resource, required_date, today_text};
use super::{record_list, use_client, ListView, SectionFrame, WithheldNote};
use crate::api::{self, last_error, ApiError, FormKey};
use crate::components::{org_namer, DateInput, DecisionGate, FormError, GateMode, RecordCard};
use crate::session::use_session;
use crate::Section;
use leptos::prelude::*;
use shared::actions::NewRecord;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints as ep;
use shared::api::records::{
    CaseManagerDetails, EndDateInput, NewCaseManager, RecordDetails, RecordItem, RecordList,
};
use shared::records::{check_case_manager_agency, CaseManagerAssignment};
use shared::{can_create, can_end_date, ClientId, ProgramId, RecordKind, UserId};

type Reload = LocalResource<Result<RecordList, ApiError>>;
type Checklist = LocalResource<Result<shared::api::records::Checklist, ApiError>>;

fn details(r: &RecordItem) -> Option<&CaseManagerDetails> {
    match &r.details {
        Some(RecordDetails::CaseManager(c)) => Some(c),
        _ => None,
    }
}

/// whether the assignment is current on `today` (the shared rule's dates).
fn is_current(r: &RecordItem, today: chrono::NaiveDate) -> bool {
    details(r).is_some_and(|c| {
        CaseManagerAssignment {
            meta: r.meta,
            head_of_household: c.head_of_household,
            program: c.program_id,
            case_manager: c.case_manager_id,
            start: c.start_date,
            end: c.end_date,
        }
        .is_current(today)
    })
}

#[component]
pub fn CaseManagersSection() -> impl IntoView {
    let file = use_client();
    let list = record_list::<ep::ListCaseManagers>(file);
    let checklist: Checklist = LocalResource::new(move || {
        let id = file.id.get();
        async move { api::checklist(id).await }
    });
    view! {
        <SectionFrame section=Section::CaseManagers>
            <MissingCaseManagers checklist=checklist />
            <ListView list=list what="case managers" render=move |l| view! {
                <Assignments list=l reload=list checklist=checklist />
            } />
            <AssignForm list=list checklist=checklist />
        </SectionFrame>
    }
}

/// the household's open enrollments without a current case manager.
#[component]
fn MissingCaseManagers(checklist: Checklist) -> impl IntoView {
    let file = use_client();
    move || {
        checklist.with(|c| match c {
            Some(Ok(c)) if !c.missing_case_managers.is_empty() => {
                let namer = org_namer(file.orgs());
                let items = c
                    .missing_case_managers
                    .iter()
                    .map(|m| {
                        view! {
                            <li class="check check-missing" data-test-id="missing-case-manager">
                                <span class="check-mark">"No case manager"</span>
                                <span class="check-label">{format!("{} ({})", m.program_name, namer(m.org))}</span>
                            </li>
                        }
                    })
                    .collect_view();
                Some(view! {
                    <div class="warning" role="note" data-test-id="case-manager-warnings">
                        <p class="warning-title">"Open enrollments without a case manager"</p>
                        <ul class="checklist">{items}</ul>
                    </div>
                })
            }
            _ => None,
        })
    }
}

#[component]
fn Assignments(list: RecordList, reload: Reload, checklist: Checklist) -> impl IntoView {
    let file = use_client();
    let orgs = file.orgs();
    let today = use_session()
        .with_me_untracked(|me| me.today)
        .unwrap_or_default();
    let withheld = list.withheld_by.clone().filter(|o| !o.is_empty());
    let (current, ended): (Vec<RecordItem>, Vec<RecordItem>) = list
        .records
        .into_iter()
        .filter(|r| !r.meta.deleted)
        .partition(|r| is_current(r, today));
    let group = |title: &'static str,
                 test: &'static str,
                 rs: Vec<RecordItem>,
                 empty: &'static str| {
        let orgs = orgs.clone();
        let body = if rs.is_empty() {
            view! { <p class="empty">{empty}</p> }.into_any()
        } else {
            view! {
                <ul class="records">
                    {rs.into_iter().map(|r| view! { <Assignment record=r orgs=orgs.clone() reload=reload checklist=checklist /> }).collect_view()}
                </ul>
            }
            .into_any()
        };
        view! {
            <div class="group" data-test-id=test>
                <h3 class="list-heading">{title}</h3>
                {body}
            </div>
        }
    };
    view! {
        {group("Current", "current-case-managers", current, "No current case manager.")}
        {group("Ended", "ended-case-managers", ended, "No ended assignments.")}
        <WithheldNote orgs=withheld />
    }
}

#[component]
fn Assignment(
    record: RecordItem,
    orgs: Vec<shared::api::OrgName>,
    reload: Reload,
    checklist: Checklist,
) -> impl IntoView {
    let file = use_client();
    let meta = record.meta;
    let read = file.can_read(&meta);
    let end_decision = Signal::derive(move || {
        file.decide(|me, ctx| can_end_date(&me.actor, &meta, false, ctx, me.today, &me.policy))
    });
    let ended = details(&record).is_some_and(|c| c.end_date.is_some());
    let detail = match details(&record).and_then(|c| c.end_date) {
        Some(end) if !record.detail.contains("ended") => format!("{} · ended {end}", record.detail),
        _ => record.detail.clone(),
    };
    let record_id = meta.id.0;
    let ending = RwSignal::new(false);
    let end_date = RwSignal::new(today_text());
    let end = Action::new_local(move |_: &()| {
        let date = end_date.get_untracked();
        async move {
            let body = EndDateInput {
                end_date: required_date("end_date", &date)?,
                client_directed: false,
                destination: None,
            };
            api::call::<ep::EndRecord>(&[record_id], &NoQuery, &body).await
        }
    });
    Effect::new(move |_| {
        if end.value().with(|v| matches!(v, Some(Ok(_)))) {
            ending.set(false);
            reload.refetch();
            checklist.refetch();
        }
    });
    let error = last_error(end);
    let busy = end.pending();
    let describe = file.describe();
    let form = format!("case-manager-{record_id}");
    view! {
        <RecordCard meta=record.meta entered_by=record.entered_by title=record.title detail=detail
            decision=read server_reason=record.reason orgs=orgs>
            {(!ended).then(|| view! {
                <Show when=move || ending.get()>
                    <form class="record-form" data-test-id="case-manager-end-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        end.dispatch(());
                    }>
                        <DateInput label="Last day of the assignment" name="end_date" value=end_date form=form.clone()
                            error=error required=true />
                        <FormError error=error fields=&["end_date"] describe=describe />
                        <div class="actions">
                            <button type="submit" class="primary" disabled=busy data-test-id="case-manager-end-save">
                                {move || if busy.get() { "Ending…" } else { "End assignment" }}
                            </button>
                            <button type="button" class="button" on:click=move |_| ending.set(false)>"Cancel"</button>
                        </div>
                    </form>
                </Show>
                <DecisionGate decision=end_decision describe=describe mode=GateMode::Hide test_id="case-manager-end">
                    <Show when=move || !ending.get()>
                        <div class="actions record-actions">
                            <button type="button" class="button" data-test-id="case-manager-end-open"
                                on:click=move |_| ending.set(true)>"End assignment"</button>
                        </div>
                    </Show>
                </DecisionGate>
            })}
        </RecordCard>
    }
}

#[component]
fn AssignForm(list: Reload, checklist: Checklist) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let id = file.id;
    let programs = programs_resource();
    // `GET /users` only when the shared rule lets this user list users; otherwise its refusal.
    let users = LocalResource::new(move || {
        let may = session
            .with_me_untracked(|me| shared::admin::can_list_users(&me.actor))
            .unwrap_or_else(|| shared::Decision::deny(shared::Reason::NotCovered));
        async move {
            if may.allowed {
                api::call::<ep::ListUsers>(&[], &NoQuery, &NoBody).await
            } else {
                Err(ApiError::Failed(shared::api::ErrorBody {
                    error: String::new(),
                    field: None,
                    reason: Some(may.reason),
                }))
            }
        }
    });
    // The programs whose agency the user may assign for (`can_create` with the program's agency
    // as owner, as the server decides).
    let allowed = Memo::new(move |_| {
        let all = programs.with(|p| match p {
            Some(Ok(p)) => p.clone(),
            _ => Vec::new(),
        });
        session
            .with_me(|me| {
                all.into_iter()
                    .filter(|p| !p.disabled)
                    .filter(|p| {
                        can_create(
                            &me.actor,
                            &NewRecord {
                                client: ClientId(id.get()),
                                kind: RecordKind::CaseManager,
                                owner: p.org,
                                security: None,
                                default_security: None,
                            },
                        )
                        .allowed
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let program = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let start = RwSignal::new(today_text());
    let end = RwSignal::new(String::new());
    let key = StoredValue::new(FormKey::new());
    let add = Action::new_local(move |_: &()| {
        let k = key.get_value();
        let program = program.get_untracked();
        let user = user.get_untracked();
        let start = start.get_untracked();
        let end = end.get_untracked();
        async move {
            let program_id = program
                .parse::<i64>()
                .map_err(|_| field_refusal("program_id", "choose a program"))?;
            let case_manager_id = user
                .parse::<i64>()
                .map_err(|_| field_refusal("case_manager_id", "choose a case manager"))?;
            let body = NewCaseManager {
                program_id: ProgramId(program_id),
                case_manager_id: UserId(case_manager_id),
                start_date: required_date("start_date", &start)?,
                end_date: date_value("end_date", &end)?,
            };
            api::submit::<ep::CreateCaseManager>(&k, &[id.get_untracked()], &NoQuery, &body).await
        }
    });
    Effect::new(move |_| {
        if let Some(answer) = add.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                end.set(String::new());
                list.refetch();
                checklist.refetch();
            }
        }
    });
    let error = last_error(add);
    let busy = add.pending();
    let describe = file.describe();
    let field_msg = move |name: &'static str| {
        Memo::new(move |_| error.with(|e| crate::components::field_error(e, name)))
    };
    let program_error = field_msg("program_id");
    let user_error = field_msg("case_manager_id");
    // The case managers offered for the chosen program: its agency's users (the shared R-10
    // check), or only the signed-in user when the user list is not theirs to see.
    let candidates = Memo::new(move |_| {
        let program_org = allowed.with(|ps| {
            ps.iter()
                .find(|p| p.id.0.to_string() == program.get())
                .map(|p| p.org)
        });
        let me = session.with_me(|me| (me.user_id, me.display_name.clone(), me.org.id));
        let Some(org) = program_org else {
            return (Vec::new(), None);
        };
        users.with(|u| match u {
            Some(Ok(list)) => (
                list.iter()
                    .filter(|u| !u.disabled)
                    .filter(|u| check_case_manager_agency(Some(u.org.id), org).is_ok())
                    .map(|u| (u.id, u.display_name.clone()))
                    .collect(),
                None,
            ),
            Some(Err(e)) => (
                me.into_iter()
                    .filter(|(_, _, o)| check_case_manager_agency(Some(*o), org).is_ok())
                    .map(|(id, name, _)| (id, format!("{name} (you)")))
                    .collect(),
                Some(e.clone()),
            ),
            None => (Vec::new(), None),
        })
    });
    Effect::new(move |_| {
        let (list, _) = candidates.get();
        let chosen = user.get_untracked();
        if !list.iter().any(|(id, _)| id.0.to_string() == chosen) {
            user.set(
                list.first()
                    .map(|(id, _)| id.0.to_string())
                    .unwrap_or_default(),
            );
        }
    });
    view! {
        <section class="subsection" aria-labelledby="assign-heading" data-test-id="assign-case-manager">
            <h3 id="assign-heading">"Assign a case manager"</h3>
            {move || {
                let options = allowed.get();
                if programs.with(|p| p.is_none()) {
                    return view! { <p class="loading" role="status">"Loading programs…"</p> }.into_any();
                }
                if options.is_empty() {
                    return view! {
                        <p class="gate-reason" data-test-id="assign-reason">
                            "Your agency runs no program. A case manager is assigned by the agency running the program."
                        </p>
                    }.into_any();
                }
                if program.get_untracked().is_empty() {
                    program.set(options[0].id.0.to_string());
                }
                let submit = move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    add.dispatch(());
                };
                view! {
                    <form class="record-form" on:submit=submit data-test-id="case-manager-form">
                        <div class="form-grid">
                            <div class="field" class:field-invalid=move || program_error.with(Option::is_some)>
                                <label for="cm-new-program_id">"Program"<span class="required" aria-hidden="true">" *"</span></label>
                                <select id="cm-new-program_id" name="program_id" data-test-id="field-program_id" required=true
                                    prop:value=move || program.get() on:change=move |ev| program.set(event_target_value(&ev))>
                                    {options.into_iter().map(|p| view! {
                                        <option value=p.id.0.to_string()>{p.name.clone()}</option>
                                    }).collect_view()}
                                </select>
                                {move || program_error.get().map(|m| view! { <p class="field-error" data-test-id="field-error">{m}</p> })}
                            </div>
                            <div class="field" class:field-invalid=move || user_error.with(Option::is_some)>
                                <label for="cm-new-case_manager_id">"Case manager"<span class="required" aria-hidden="true">" *"</span></label>
                                {move || candidates.with(|(_, refused)| refused.as_ref().map(|e| {
                                    let why = match e {
                                        ApiError::Failed(b) => b.reason.clone().map(|r| describe.run(r)).unwrap_or_else(|| e.message()),
                                        _ => e.message(),
                                    };
                                    view! {
                                        <p class="hint" id="cm-new-case_manager_id-hint" data-test-id="users-refused">
                                            {format!("{why}, so you can assign yourself here; an agency administrator can assign a colleague.")}
                                        </p>
                                    }
                                }))}
                                <select id="cm-new-case_manager_id" name="case_manager_id" data-test-id="field-case_manager_id" required=true
                                    prop:value=move || user.get() on:change=move |ev| user.set(event_target_value(&ev))>
                                    {move || candidates.get().0.into_iter().map(|(id, name)| view! {
                                        <option value=id.0.to_string()>{name}</option>
                                    }).collect_view()}
                                </select>
                                {move || user_error.get().map(|m| view! { <p class="field-error" data-test-id="field-error">{m}</p> })}
                            </div>
                            <DateInput label="Start date" name="start_date" value=start form="cm-new" error=error required=true />
                            <DateInput label="End date" name="end_date" value=end form="cm-new" error=error hint="Optional: the last day." />
                        </div>
                        <FormError error=error fields=&["program_id", "case_manager_id", "start_date", "end_date"] describe=describe />
                        <div class="actions">
                            <button type="submit" class="primary" data-test-id="case-manager-add" disabled=busy>
                                {move || if busy.get() { "Assigning…" } else { "Assign" }}
                            </button>
                        </div>
                    </form>
                }.into_any()
            }}
        </section>
    }
}
