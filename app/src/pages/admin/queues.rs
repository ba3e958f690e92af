//! `/admin/queues`: the data-resolution queues (R-3, R-6..R-8). For an AgencyAdmin, the data
//! conflicts and entry/exit conflicts addressed to their agency and not resolved; for a
//! SystemAdmin (the data center), the entry/exit conflicts escalated to it 30 days after the
//! agency-admin notice. The list is `GET /conflicts?queue=mine` (the server keeps what
//! `shared::resolution::in_resolution_queue` keeps); each conflict shows its age, its attempts
//! and the steps `shared::resolution::can_step` allows (agree, resolve), with the refused ones'
//! reasons (logging attempts and escalating are the reporting agency's), a link to correct the
//! agency's own entry and one to the client file's conflicts.

use crate::api::{self, last_error, ApiError};
use crate::components::{DecisionGate, ErrorView, FormError, GateMode, Loading, RouteHeading};
use crate::pages::client::conflicts::{as_conflict, method_label, outcome_label};
use crate::session::use_session;
use crate::{Page, Section};
use leptos::prelude::*;
use shared::api::accounts::Organization;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints::{self as ep, ConflictListQuery};
use shared::api::resolution::{AgreeRequest, ConflictView};
use shared::resolution::{
    can_see_resolution_queue, can_step, conflict_age_days, next_escalation, AgreedValue,
    ConflictState, ConflictStep, ConflictSubject, ContactAttempt, ContactMethod,
};
use shared::{Decision, OrgId, Reason};

type Queue = LocalResource<Result<Vec<ConflictView>, ApiError>>;

#[component]
pub fn QueuesPage() -> impl IntoView {
    let session = use_session();
    let queue: Queue = LocalResource::new(|| async {
        let q = ConflictListQuery {
            queue: Some("mine".into()),
            ..Default::default()
        };
        api::call::<ep::ListConflicts>(&[], &q, &NoBody).await
    });
    let orgs: LocalResource<Vec<Organization>> = LocalResource::new(|| async {
        api::call::<ep::ListOrganizations>(&[], &NoQuery, &NoBody)
            .await
            .unwrap_or_default()
    });
    let allowed = Signal::derive(move || {
        session
            .with_me(|me| can_see_resolution_queue(&me.actor))
            .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
    });
    let data_center = session
        .with_me_untracked(|me| shared::agency_scope(&me.actor) == shared::AgencyScope::All)
        .unwrap_or(false);
    let intro = if data_center {
        "The entry/exit conflicts sent to the data center: their owning agency did not correct them within 30 days of the request to review (R-8)."
    } else {
        "The data conflicts and entry/exit conflicts addressed to your agency that are not resolved yet, oldest first."
    };
    view! {
        <section class="card">
            <RouteHeading text=if data_center { "Data center queue" } else { "Resolution queue" } title="Queues" />
            <p class="section-intro">{intro}</p>
            <Transition fallback=|| view! { <Loading what="conflicts" /> }>
                {move || Suspend::new(async move {
                    let orgs = orgs.await;
                    let describe = Callback::new({
                        let orgs = orgs.clone();
                        move |r: Reason| r.describe(&|o: OrgId| org_name(&orgs, o))
                    });
                    view! {
                        <DecisionGate decision=allowed describe=describe mode=GateMode::Hide test_id="queue">
                            {
                                let orgs = orgs.clone();
                                move || {
                                    let orgs = orgs.clone();
                                    Suspend::new(async move {
                                        match queue.await {
                                            Err(e) => view! { <ErrorView error=e /> }.into_any(),
                                            Ok(list) if list.is_empty() => view! {
                                                <p class="empty" data-test-id="queue-empty">"Nothing waiting on you."</p>
                                            }.into_any(),
                                            Ok(mut list) => {
                                                list.sort_by_key(|c| (c.opened_on, c.id));
                                                view! {
                                                    <ul class="conflicts" data-test-id="queue">
                                                        {list.into_iter().map(|c| view! {
                                                            <QueueItem view=c orgs=orgs.clone() queue=queue describe=describe />
                                                        }).collect_view()}
                                                    </ul>
                                                }.into_any()
                                            }
                                        }
                                    })
                                }
                            }
                        </DecisionGate>
                    }
                })}
            </Transition>
        </section>
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn org_name(orgs: &[Organization], o: OrgId) -> String {
    orgs.iter()
        .find(|x| x.id == o)
        .map(|x| x.name.clone())
        .unwrap_or_else(|| format!("agency #{}", o.0))
}

fn state_text(state: &ConflictState) -> String {
    match state {
        ConflictState::Open => "Open".to_owned(),
        ConflictState::Agreed { on, .. } => format!("Agreed on {on}"),
        ConflictState::Escalated { on } => format!("Escalated on {on}"),
        ConflictState::DataCenter { on, .. } => format!("With the data center since {on}"),
        ConflictState::Resolved { on } => format!("Resolved on {on}"),
    }
}

#[component]
fn QueueItem(
    view: ConflictView,
    orgs: Vec<Organization>,
    queue: Queue,
    describe: Callback<Reason, String>,
) -> impl IntoView {
    let session = use_session();
    let name = move |o: OrgId| org_name(&orgs, o);
    let conflict = StoredValue::new(as_conflict(&view));
    let id = view.id.0;
    let client = view.client.0;
    let today = session.with_me_untracked(|me| me.today);
    let age = today
        .map(|t| conflict.with_value(|c| conflict_age_days(c, t)))
        .unwrap_or(0);
    let age_text = match age {
        0 => "opened today".to_owned(),
        1 => "1 day old".to_owned(),
        n => format!("{n} days old"),
    };
    let (title, detail, correct) = match &view.subject {
        ConflictSubject::Field {
            field,
            stored,
            stated,
        } => (
            capitalized(field.label()),
            format!("Stored: {stored} · the client states: {stated}"),
            (Section::Intake, "Correct your agency's entry (intake)"),
        ),
        ConflictSubject::EntryExit {
            enrollment, issue, ..
        } => (
            format!("Entry/exit: enrollment #{}", enrollment.0),
            issue.label().to_owned(),
            (Section::Enrollments, "Correct your agency's enrollment"),
        ),
    };
    // The data center corrects nothing of its own: it opens the enrollments to review them.
    let data_center = session
        .with_me_untracked(|me| shared::agency_scope(&me.actor) == shared::AgencyScope::All)
        .unwrap_or(false);
    let correct = if data_center {
        (Section::Enrollments, "Review the enrollments")
    } else {
        correct
    };
    let is_field = matches!(view.subject, ConflictSubject::Field { .. });
    let parties = format!(
        "#{id} · client {} · {age_text} · reported by {} on {}, addressed to {}",
        view.hmis_number,
        name(view.reporter_org),
        view.opened_on,
        name(view.addressed_org)
    );
    let decide = move |step: ConflictStep| {
        Signal::derive(move || {
            let step = step.clone();
            session
                .with_me(|me| {
                    conflict.with_value(|c| can_step(c, &me.actor, &step, me.today, &me.policy))
                })
                .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
        })
    };
    let my_org = session
        .with_me_untracked(|me| me.actor.org)
        .unwrap_or(OrgId(0));
    let agree_step = |value| ConflictStep::Agree {
        value,
        updater: my_org,
    };
    let agree_decision = decide(agree_step(AgreedValue::Stored));
    let resolve_decision = decide(ConflictStep::Resolve);
    let today_or_opened = today.unwrap_or(view.opened_on);
    let attempt_decision = decide(ConflictStep::LogAttempt {
        attempt: ContactAttempt {
            on: today_or_opened,
            method: ContactMethod::Phone,
            by: shared::UserId(0),
            outcome: shared::resolution::AttemptOutcome::NoContact,
        },
    });
    let escalate_decision = decide(conflict.with_value(next_escalation));
    let agree = Action::new_local(move |value: &AgreedValue| {
        let body = AgreeRequest {
            agreed_value: match value {
                AgreedValue::Stored => "stored".to_owned(),
                AgreedValue::Stated => "stated".to_owned(),
            },
            updater: my_org.0,
        };
        async move { api::call::<ep::AgreeConflict>(&[id], &NoQuery, &body).await }
    });
    let resolve = Action::new_local(move |_: &()| async move {
        api::call::<ep::ResolveConflict>(&[id], &NoQuery, &NoBody).await
    });
    Effect::new(move |_| {
        if agree.value().with(|v| matches!(v, Some(Ok(_))))
            || resolve.value().with(|v| matches!(v, Some(Ok(_))))
        {
            queue.refetch();
        }
    });
    let agree_error = last_error(agree);
    let resolve_error = last_error(resolve);
    let busy = Signal::derive(move || agree.pending().get() || resolve.pending().get());
    let attempts = view.attempts.clone();
    let attempts_line = match attempts.len() {
        0 => "No contact attempt logged yet.".to_owned(),
        1 => "1 contact attempt:".to_owned(),
        n => format!("{n} contact attempts:"),
    };
    let state = state_text(&view.state);
    view! {
        <li class="conflict" data-test-id="queue-item" data-conflict-id=id.to_string()
            data-state=view.state.as_str()>
            <div class="record-head">
                <span class="record-title">{title}</span>
                <span class="badge badge-admin" data-test-id="queue-state">{state}</span>
            </div>
            <div class="record-detail" data-test-id="queue-values">{detail}</div>
            <div class="record-owner" data-test-id="queue-parties">{parties}</div>
            <p class="record-detail" data-test-id="queue-attempts">{attempts_line}</p>
            {(!attempts.is_empty()).then(|| view! {
                <ol class="attempts" aria-label="Contact attempts">
                    {attempts.into_iter().map(|a| view! {
                        <li>{format!("{} · {} · {}", a.when, method_label(a.how), outcome_label(a.outcome))}</li>
                    }).collect_view()}
                </ol>
            })}
            <div class="actions record-actions">
                {is_field.then(|| view! {
                    <DecisionGate decision=agree_decision describe=describe mode=GateMode::Hide
                        action="Agreeing" test_id="queue-agree">
                        <button type="button" class="button" data-test-id="queue-agree-stored" disabled=busy
                            on:click=move |_| { agree.dispatch(AgreedValue::Stored); }>
                            "Agree: the stored value stands"
                        </button>
                        <button type="button" class="button" data-test-id="queue-agree-stated" disabled=busy
                            on:click=move |_| { agree.dispatch(AgreedValue::Stated); }>
                            "Agree: the client is right, we update it"
                        </button>
                    </DecisionGate>
                })}
                <DecisionGate decision=resolve_decision describe=describe mode=GateMode::Hide
                    action="Resolving" test_id="queue-resolve">
                    <button type="button" class="button" data-test-id="queue-resolve-button" disabled=busy
                        on:click=move |_| { resolve.dispatch(()); }>
                        "Mark resolved"
                    </button>
                </DecisionGate>
            </div>
            <DecisionGate decision=attempt_decision describe=describe mode=GateMode::Hide
                action="Logging a contact attempt" test_id="queue-attempt">
                <p class="record-detail">
                    <a href=Page::Client(client, Section::Conflicts).path()>"Log a contact attempt in the client file"</a>
                </p>
            </DecisionGate>
            <DecisionGate decision=escalate_decision describe=describe mode=GateMode::Hide
                action="Escalating" test_id="queue-escalate">
                <p class="record-detail">
                    <a href=Page::Client(client, Section::Conflicts).path()>"Escalate from the client file"</a>
                </p>
            </DecisionGate>
            <p class="queue-links">
                <a href=Page::Client(client, correct.0).path() data-test-id="queue-correct">{correct.1}</a>
                <a href=Page::Client(client, Section::Conflicts).path() data-test-id="queue-open">
                    {format!("Open the conflicts of {}", view.hmis_number)}
                </a>
            </p>
            <FormError error=agree_error describe=describe />
            <FormError error=resolve_error describe=describe />
        </li>
    }
}
