//! The conflicts of a client's file: data conflicts and entry/exit conflicts (R-7,
//! A data conflict is opened from a single-answer field whose value another agency entered
//! (the stored value is kept); then contact attempts are logged (when, how, outcome), the parties
//! agree, it is resolved, or, once the shared thresholds are met, escalated. When escalation is
//! refused, the screen says what is still missing, in the shared decision's words. The
//! entry/exit conflicts detected among the client's enrollments are listed with a way to open a
//! conflict about another agency's enrollment. Every step is gated by `shared::resolution`'s
//! `can_step`, computed here from the conflict, the user, today and the policy.
//!
//! **Query parameter** `?field=<Field>` (`FIELD_QUERY`): pre-selects the field of a new data
//! conflict, e.g. `/clients/12/conflicts?field=DateOfBirth` (the `Field` name as
//! `Field::as_str` writes it; `date_of_birth` is accepted too). The intake section links here
//! with `new_conflict_path` ("record a data conflict instead").

use super::{use_client, SectionFrame};
use crate::api::{self, last_error, ApiError, FormKey};
use crate::components::{
    field_error, ConfirmButton, DecisionGate, EnumSelect, ErrorView, FormError, Loading,
};
use crate::session::use_session;
use crate::{Page, Section};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints::{self as ep, ConflictListQuery, EntryExitListQuery};
use shared::api::resolution::{
    AgreeRequest, ConflictView, ContactOutcome, EntryExitView, NewAttemptRequest,
    NewConflictRequest, OpenEntryExitRequest,
};
use shared::api::IntakeView;
use shared::resolution::{
    can_step, check_one_entry_exit_conflict_per_agency, check_single_answer_change,
    next_escalation, parse_agreement, parse_conflict_field, AgreedValue, ConflictState,
    ConflictStep, ConflictSubject, ContactAttempt, ContactMethod, DataConflict,
};
use shared::{can_edit, Decision, Field, OrgId, Reason, RecordId};

/// The query parameter that pre-selects the field of a new data conflict.
pub const FIELD_QUERY: &str = "field";

/// The address of this section with `field` pre-selected for a new data conflict.
pub fn new_conflict_path(client: i64, field: Field) -> String {
    format!(
        "{}?{FIELD_QUERY}={}",
        Page::Client(client, Section::Conflicts).path(),
        field.as_str()
    )
}

type Conflicts = LocalResource<Result<Vec<ConflictView>, ApiError>>;
type Detections = LocalResource<Result<Vec<EntryExitView>, ApiError>>;

#[component]
pub fn ConflictsSection() -> impl IntoView {
    let file = use_client();
    let conflicts: Conflicts = LocalResource::new(move || {
        let id = file.id.get();
        async move {
            let q = ConflictListQuery {
                client: Some(id),
                ..Default::default()
            };
            api::call::<ep::ListConflicts>(&[], &q, &NoBody).await
        }
    });
    let detections: Detections = LocalResource::new(move || {
        let id = file.id.get();
        async move {
            let q = EntryExitListQuery { client: Some(id) };
            api::call::<ep::ListEntryExitConflicts>(&[], &q, &NoBody).await
        }
    });
    let reload = Callback::new(move |_: ()| {
        conflicts.refetch();
        detections.refetch();
    });
    view! {
        <SectionFrame section=Section::Conflicts>
            <NewFieldConflict reload=reload />
            <h3 class="subhead">"Conflicts your agency is party to"</h3>
            <Transition fallback=|| view! { <Loading what="conflicts" /> }>
                {move || Suspend::new(async move {
                    match conflicts.await {
                        Ok(list) => view! { <ConflictList list=list reload=reload /> }.into_any(),
                        Err(e) => view! { <ErrorView error=e describe=file.describe() /> }.into_any(),
                    }
                })}
            </Transition>
            <h3 class="subhead">"Entry/exit dates that cannot all be true"</h3>
            <Transition fallback=|| view! { <Loading what="entry/exit checks" /> }>
                {move || Suspend::new(async move {
                    let open = conflicts.await.unwrap_or_default();
                    match detections.await {
                        Ok(list) => view! { <Detected list=list open=open reload=reload /> }.into_any(),
                        Err(e) => view! { <ErrorView error=e describe=file.describe() /> }.into_any(),
                    }
                })}
            </Transition>
        </SectionFrame>
    }
}

/// The conflict as the shared rules take it (the view's attempts as contact attempts).
pub(crate) fn as_conflict(v: &ConflictView) -> DataConflict {
    DataConflict {
        id: v.id,
        client: v.client,
        hmis_number: v.hmis_number.clone(),
        subject: v.subject.clone(),
        reporter_org: v.reporter_org,
        reporter_user: v.reporter_user,
        addressed_org: v.addressed_org,
        addressed_user: v.addressed_user,
        opened_on: v.opened_on,
        attempts: v
            .attempts
            .iter()
            .map(|a| ContactAttempt {
                on: a.when,
                method: a.how,
                by: a.by_user,
                outcome: a.outcome.outcome(),
            })
            .collect(),
        state: v.state.clone(),
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub(crate) fn method_label(m: ContactMethod) -> &'static str {
    match m {
        ContactMethod::Phone => "Phone",
        ContactMethod::Email => "Email",
        ContactMethod::InPerson => "In person",
        ContactMethod::HmisMessage => "HMIS message",
        ContactMethod::Other => "Other",
    }
}

pub(crate) fn outcome_label(o: ContactOutcome) -> &'static str {
    match o {
        ContactOutcome::NoAnswer => "No answer",
        ContactOutcome::LeftMessage => "Left a message",
        ContactOutcome::Reached => "Reached them",
    }
}

/// The current value of an intake field as the profile shows it (an SSN by its last four).
fn shown_intake_value(intake: &IntakeView, field: Field) -> Option<String> {
    match field {
        Field::LegalFirstName => Some(intake.first_name.clone()),
        Field::LegalMiddleName => intake.middle_name.clone(),
        Field::LegalLastName => Some(intake.last_name.clone()),
        Field::DateOfBirth => intake.date_of_birth.map(|d| d.to_string()),
        Field::Ssn => intake.ssn_last4.as_deref().map(shared::fields::masked_ssn),
        Field::Gender => intake.gender.clone(),
        Field::MaritalStatus => intake.marital_status.map(|m| m.label().to_owned()),
        _ => None,
    }
}

/// a new data conflict about one single-answer field.
#[component]
fn NewFieldConflict(reload: Callback<()>) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let query = use_query_map();
    // The single-answer fields of the policy (the only ones a conflict is about).
    let fields: Vec<Field> = session
        .with_me_untracked(|me| {
            Field::ALL
                .into_iter()
                .filter(|f| parse_conflict_field(*f, &me.policy).is_ok())
                .collect()
        })
        .unwrap_or_default();
    let preselected = query.with_untracked(|q| {
        q.get(FIELD_QUERY)
            .and_then(|v| Field::parse(&v).ok())
            .filter(|f| fields.contains(f))
    });
    let field = RwSignal::new(preselected.or_else(|| fields.first().copied()));
    let stated = RwSignal::new(String::new());
    let key = StoredValue::new(FormKey::new());
    let id = file.id;
    let open = Action::new_local(move |body: &NewConflictRequest| {
        let body = body.clone();
        let k = key.get_value();
        async move { api::submit::<ep::OpenConflict>(&k, &[id.get_untracked()], &NoQuery, &body).await }
    });
    let done = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(answer) = open.value().get() {
            key.update_value(FormKey::renew);
            if let Ok(c) = answer {
                done.set(Some(format!(
                    "Conflict #{} recorded; the agency that entered the value is told.",
                    c.id.0
                )));
                stated.set(String::new());
                reload.run(());
            }
        }
    });
    let error = last_error(open);
    // a conflict is the way when changing the value would need documentation (another
    // agency entered it); the agency that entered it, or anyone filling an empty value, changes
    // it directly in the intake.
    let allowed = Signal::derive(move || {
        let Some(f) = field.get() else {
            return Decision::deny(Reason::NotCovered);
        };
        file.decide(|me, _| {
            let source = file.with(|p| p.intake.source(f).map(|s| s.org)).flatten();
            let change = check_single_answer_change(&me.actor, f, source, None, &me.policy);
            if change.allowed {
                Decision::deny(change.reason)
            } else {
                Decision::allow(change.reason)
            }
        })
    });
    let stored_line = move || {
        let f = field.get()?;
        file.with(|p| {
            let value = shown_intake_value(&p.intake, f);
            let by = p.intake.source(f).map(|s| file.org_name(s.org));
            match (value, by) {
                (Some(v), Some(by)) => format!("Stored: {v} (entered by {by})"),
                (Some(v), None) => format!("Stored: {v}"),
                _ => "No value stored yet".to_owned(),
            }
        })
    };
    let on_field = {
        let fields = fields.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            field.set(v.parse::<usize>().ok().and_then(|i| fields.get(i).copied()));
            done.set(None);
        }
    };
    let selected = {
        let fields = fields.clone();
        move || {
            field
                .get()
                .and_then(|f| fields.iter().position(|x| *x == f))
                .map(|i| i.to_string())
                .unwrap_or_default()
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        if let Some(f) = field.get_untracked() {
            open.dispatch(NewConflictRequest {
                field: f.as_str().to_owned(),
                stated_value: stated.get_untracked(),
            });
        }
    };
    let field_message = Memo::new(move |_| error.with(|e| field_error(e, "field")));
    let stated_message = Memo::new(move |_| error.with(|e| field_error(e, "stated_value")));
    let busy = open.pending();
    let describe = file.describe();
    let client = id.get_untracked();
    let stated_hint = move || {
        if field.get() == Some(Field::DateOfBirth) {
            "As the client says it, e.g. 1980-04-21."
        } else {
            "As the client says it."
        }
    };
    view! {
        <form class="record-form conflict-form" on:submit=submit data-test-id="conflict-form">
            <h3>"Record a data conflict"</h3>
            <p class="hint">
                "When the client states a value that differs from one another agency entered, and has no \
                 document to prove it, record a conflict: the stored value is kept, and the agency that \
                 entered it is asked to settle it with you."
            </p>
            <div class="field" class:field-invalid=move || field_message.with(Option::is_some)>
                <label for="conflict-new-field">"Field"</label>
                <select id="conflict-new-field" name="field" data-test-id="conflict-field"
                    aria-describedby=move || if field_message.with(Option::is_some) {
                        "conflict-new-stored conflict-new-field-error"
                    } else {
                        "conflict-new-stored"
                    }
                    prop:value=selected on:change=on_field>
                    {fields.iter().enumerate().map(|(i, f)| view! {
                        <option value=i.to_string()>{capitalized(f.label())}</option>
                    }).collect_view()}
                </select>
                <p class="hint" id="conflict-new-stored" data-test-id="conflict-stored">{stored_line}</p>
                {move || field_message.get().map(|m| view! {
                    <p class="field-error" id="conflict-new-field-error" data-test-id="field-error">{m}</p>
                })}
            </div>
            <DecisionGate decision=allowed describe=describe test_id="conflict-open">
                <div class="field" class:field-invalid=move || stated_message.with(Option::is_some)>
                    <label for="conflict-new-stated">"Value the client states"<span class="required" aria-hidden="true">" *"</span></label>
                    <p class="hint" id="conflict-new-stated-hint">{stated_hint}</p>
                    <input id="conflict-new-stated" name="stated_value" data-test-id="conflict-stated"
                        aria-describedby=move || if stated_message.with(Option::is_some) {
                            "conflict-new-stated-hint conflict-new-stated-error"
                        } else {
                            "conflict-new-stated-hint"
                        }
                        aria-invalid=move || stated_message.with(Option::is_some).then_some("true")
                        prop:value=move || stated.get() on:input=move |ev| stated.set(event_target_value(&ev)) />
                    {move || stated_message.get().map(|m| view! {
                        <p class="field-error" id="conflict-new-stated-error" data-test-id="field-error">{m}</p>
                    })}
                </div>
                <div class="actions">
                    <button type="submit" class="primary" data-test-id="conflict-submit" disabled=busy>
                        {move || if busy.get() { "Recording…" } else { "Record conflict" }}
                    </button>
                </div>
            </DecisionGate>
            <Show when=move || !allowed.get().allowed>
                <p class="gate-hint">
                    <a href=Page::Client(client, Section::Intake).path() data-test-id="conflict-to-intake">
                        "Change it in the intake instead"
                    </a>
                </p>
            </Show>
            <FormError error=error fields=&["field", "stated_value"] describe=describe />
            {move || done.get().map(|m| view! { <p class="done" role="status" data-test-id="conflict-created">{m}</p> })}
        </form>
    }
}

#[component]
fn ConflictList(list: Vec<ConflictView>, reload: Callback<()>) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <p class="empty" data-test-id="conflicts-empty">"No conflict about this client involves your agency."</p>
        }
        .into_any();
    }
    view! {
        <ul class="conflicts" data-test-id="conflict-list">
            {list.into_iter().map(|c| view! { <ConflictCard view=c reload=reload /> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The conflict's state in words, and its badge class.
fn state_text(state: &ConflictState, org: &dyn Fn(OrgId) -> String) -> (String, &'static str) {
    match state {
        ConflictState::Open => ("Open".to_owned(), "badge badge-admin"),
        ConflictState::Agreed { on, value, updater } => (
            format!(
                "Agreed on {on}: the {} value is right; {} updates it",
                match value {
                    AgreedValue::Stored => "stored",
                    AgreedValue::Stated => "stated",
                },
                org(*updater)
            ),
            "badge badge-community",
        ),
        ConflictState::Escalated { on } => (format!("Escalated on {on}"), "badge badge-restricted"),
        ConflictState::DataCenter { on, .. } => (
            format!("With the data center since {on}"),
            "badge badge-restricted",
        ),
        ConflictState::Resolved { on } => (format!("Resolved on {on}"), "badge badge-open"),
    }
}

#[component]
fn ConflictCard(view: ConflictView, reload: Callback<()>) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let conflict = as_conflict(&view);
    let id = view.id.0;
    let namer = move |o: OrgId| file.org_name(o);
    let (state, badge) = state_text(&view.state, &namer);
    let resolved = matches!(view.state, ConflictState::Resolved { .. });
    let (title, detail) = match &view.subject {
        ConflictSubject::Field {
            field,
            stored,
            stated,
        } => (
            capitalized(field.label()),
            format!(
                "Stored: {stored} (entered by {}) · the client states: {stated}",
                namer(view.addressed_org)
            ),
        ),
        ConflictSubject::EntryExit {
            enrollment, issue, ..
        } => (
            format!("Entry/exit: {}", enrollment_title(*enrollment)),
            format!(
                "{} · enrollment of {}",
                capitalized(issue.label()),
                namer(view.addressed_org)
            ),
        ),
    };
    let parties = format!(
        "#{id} · opened {} by {}, addressed to {}",
        view.opened_on,
        namer(view.reporter_org),
        namer(view.addressed_org)
    );
    let c = StoredValue::new(conflict);
    let decide = move |step: ConflictStep| {
        Signal::derive(move || {
            let step = step.clone();
            session
                .with_me(|me| c.with_value(|c| can_step(c, &me.actor, &step, me.today, &me.policy)))
                .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
        })
    };
    let escalate_step = c.with_value(next_escalation);
    let escalate_label = if escalate_step == ConflictStep::EscalateToDataCenter {
        "Escalate to the data center"
    } else {
        "Escalate"
    };
    let escalate_decision = decide(escalate_step);
    let resolve_decision = decide(ConflictStep::Resolve);
    let escalate = Action::new_local(move |_: &()| async move {
        api::call::<ep::EscalateConflict>(&[id], &NoQuery, &NoBody).await
    });
    let resolve = Action::new_local(move |_: &()| async move {
        api::call::<ep::ResolveConflict>(&[id], &NoQuery, &NoBody).await
    });
    Effect::new(move |_| {
        if escalate.value().with(|v| matches!(v, Some(Ok(_))))
            || resolve.value().with(|v| matches!(v, Some(Ok(_))))
        {
            reload.run(());
            file.reload();
        }
    });
    let escalate_error = last_error(escalate);
    let resolve_error = last_error(resolve);
    let escalating = escalate.pending();
    let resolving = resolve.pending();
    let describe = file.describe();
    let attempts = view.attempts.clone();
    let note = view
        .note
        .map(|n| format!("Escalation note #{} added to the client's notes.", n.0));
    view! {
        <li class="conflict" data-test-id="conflict" data-conflict-id=id.to_string()
            data-state=view.state.as_str()>
            <div class="record-head">
                <span class="record-title">{title}</span>
                <span class=badge data-test-id="conflict-state">{state}</span>
            </div>
            <div class="record-detail" data-test-id="conflict-values">{detail}</div>
            <div class="record-owner">{parties}</div>
            {note.map(|n| view! { <p class="record-detail">{n}</p> })}
            <Attempts attempts=attempts />
            {if resolved {
                view! { <p class="gate-reason" data-test-id="conflict-closed">"Resolved: nothing more to do."</p> }.into_any()
            } else {
                view! {
                    <LogAttempt conflict=c reload=reload />
                    <Agree conflict=c reload=reload />
                    <div class="actions record-actions">
                        <div class="gated">
                        <DecisionGate decision=escalate_decision describe=describe test_id="conflict-escalate">
                            <ConfirmButton label=escalate_label
                                question="Escalate this conflict? A note recording it is added to the client's profile and the other agency's administrators are told."
                                confirm=escalate_label on_confirm=Callback::new(move |_| { escalate.dispatch(()); })
                                disabled=escalating test_id="conflict-escalate-open" />
                        </DecisionGate>
                        </div>
                        <div class="gated">
                        <DecisionGate decision=resolve_decision describe=describe test_id="conflict-resolve">
                            <ConfirmButton label="Mark resolved"
                                question="Mark this conflict resolved? Do this once the data is corrected or confirmed."
                                confirm="Mark resolved" on_confirm=Callback::new(move |_| { resolve.dispatch(()); })
                                disabled=resolving test_id="conflict-resolve-open" />
                        </DecisionGate>
                        </div>
                    </div>
                    <FormError error=escalate_error describe=describe />
                    <FormError error=resolve_error describe=describe />
                }.into_any()
            }}
        </li>
    }
}

/// An enrollment's title from the client's profile (its program), or its number.
fn enrollment_title(id: RecordId) -> String {
    let file = use_client();
    file.with_untracked(|p| {
        p.records
            .iter()
            .find(|r| r.meta.id == id)
            .map(|r| r.title.clone())
    })
    .flatten()
    .unwrap_or_else(|| format!("enrollment #{}", id.0))
}

#[component]
fn Attempts(attempts: Vec<shared::api::resolution::AttemptView>) -> impl IntoView {
    let file = use_client();
    if attempts.is_empty() {
        return view! { <p class="record-detail" data-test-id="attempts-empty">"No contact attempt logged yet."</p> }
            .into_any();
    }
    view! {
        <ol class="attempts" data-test-id="attempts" aria-label="Contact attempts">
            {attempts.into_iter().map(|a| view! {
                <li data-test-id="attempt">
                    <span class="attempt-when">{a.when.to_string()}</span>
                    {format!(" · {} · {} · {}", method_label(a.how), outcome_label(a.outcome), file.org_name(a.by_org))}
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// logging a contact attempt (the reporting agency, while the conflict is open).
#[component]
fn LogAttempt(conflict: StoredValue<DataConflict>, reload: Callback<()>) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let today = session.with_me_untracked(|me| me.today);
    let id = conflict.with_value(|c| c.id.0);
    let when = RwSignal::new(today.map(|d| d.to_string()).unwrap_or_default());
    let how = RwSignal::new(Some(ContactMethod::Phone));
    let outcome = RwSignal::new(Some(ContactOutcome::NoAnswer));
    let key = StoredValue::new(FormKey::new());
    let log = Action::new_local(move |body: &NewAttemptRequest| {
        let body = body.clone();
        let k = key.get_value();
        async move { api::submit::<ep::LogConflictAttempt>(&k, &[id], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if let Some(answer) = log.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                reload.run(());
            }
        }
    });
    let error = last_error(log);
    // The state and party check of the shared step, for an attempt dated today (the date itself
    // is checked by the server against the conflict's window, and named if wrong).
    let allowed = Signal::derive(move || {
        session
            .with_me(|me| {
                conflict.with_value(|c| {
                    let step = ConflictStep::LogAttempt {
                        attempt: ContactAttempt {
                            on: me.today,
                            method: ContactMethod::Phone,
                            by: me.actor.user,
                            outcome: shared::resolution::AttemptOutcome::NoContact,
                        },
                    };
                    can_step(c, &me.actor, &step, me.today, &me.policy)
                })
            })
            .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
    });
    let busy = log.pending();
    let form = format!("attempt-{id}");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(h), Some(o)) = (how.get_untracked(), outcome.get_untracked()) else {
            return;
        };
        log.dispatch(NewAttemptRequest {
            when: when.get_untracked(),
            how: h.as_str().to_owned(),
            outcome: o.as_str().to_owned(),
        });
    };
    let describe = file.describe();
    view! {
        <Show when=move || !allowed.get().allowed>
            <p class="gate-reason" data-test-id="attempt-log-reason">
                {move || format!("Contact attempts: {}", describe.run(allowed.get().reason))}
            </p>
        </Show>
        <DecisionGate decision=allowed describe=describe test_id="attempt-log" mode=crate::components::GateMode::Silent>
            <form class="attempt-form" on:submit=submit data-test-id="attempt-form">
                <fieldset>
                    <legend>"Log a contact attempt"</legend>
                    <div class="attempt-fields">
                        <crate::components::DateInput label="When" name="when" value=when form=form.clone() error=error />
                        <EnumSelect label="How" name="how" options=ContactMethod::ALL.to_vec() label_of=method_label
                            value=how form=form.clone() error=error />
                        <EnumSelect label="Outcome" name="outcome" options=ContactOutcome::ALL.to_vec() label_of=outcome_label
                            value=outcome form=form.clone() error=error />
                    </div>
                    <FormError error=error fields=&["when", "how", "outcome"] describe=describe />
                    <div class="actions">
                        <button type="submit" class="button" data-test-id="attempt-submit" disabled=busy>
                            {move || if busy.get() { "Logging…" } else { "Log attempt" }}
                        </button>
                    </div>
                </fieldset>
            </form>
        </DecisionGate>
    }
}

/// the parties agree which value is right and who updates it.
#[component]
fn Agree(conflict: StoredValue<DataConflict>, reload: Callback<()>) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let (id, reporter, addressed) =
        conflict.with_value(|c| (c.id.0, c.reporter_org, c.addressed_org));
    // The values an agreement may name (an entry/exit conflict: only the stored one, R-8).
    let values: Vec<AgreedValue> = [AgreedValue::Stored, AgreedValue::Stated]
        .into_iter()
        .filter(|v| conflict.with_value(|c| parse_agreement(c, *v, addressed).is_ok()))
        .collect();
    let value = RwSignal::new(values.first().copied());
    let updater = RwSignal::new(Some(addressed));
    let agree = Action::new_local(move |body: &AgreeRequest| {
        let body = body.clone();
        async move { api::call::<ep::AgreeConflict>(&[id], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if agree.value().with(|v| matches!(v, Some(Ok(_)))) {
            reload.run(());
        }
    });
    let error = last_error(agree);
    let allowed = Signal::derive(move || {
        let (Some(v), Some(u)) = (value.get(), updater.get()) else {
            return Decision::deny(Reason::NotCovered);
        };
        session
            .with_me(|me| {
                conflict.with_value(|c| {
                    let step = ConflictStep::Agree {
                        value: v,
                        updater: u,
                    };
                    can_step(c, &me.actor, &step, me.today, &me.policy)
                })
            })
            .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
    });
    let value_label = |v: AgreedValue| match v {
        AgreedValue::Stored => "The stored value is right",
        AgreedValue::Stated => "The client's stated value is right",
    };
    let orgs = [addressed, reporter];
    let busy = agree.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let (Some(v), Some(u)) = (value.get_untracked(), updater.get_untracked()) {
            agree.dispatch(AgreeRequest {
                agreed_value: format!("{v:?}"),
                updater: u.0,
            });
        }
    };
    let form = format!("agree-{id}");
    let describe = file.describe();
    let updater_select = {
        let form = form.clone();
        move || {
            (value.get() == Some(AgreedValue::Stated)).then(|| {
                let names = orgs.map(|o| file.org_name(o));
                view! {
                    <div class="field">
                        <label for=format!("{form}-updater")>"Who updates the value"</label>
                        <select id=format!("{form}-updater") name="updater" data-test-id="agree-updater"
                            prop:value=move || if updater.get() == Some(orgs[1]) { "1" } else { "0" }
                            on:change=move |ev| {
                                let i = event_target_value(&ev).parse::<usize>().unwrap_or(0);
                                updater.set(orgs.get(i).copied());
                            }>
                            <option value="0">{names[0].clone()}</option>
                            <option value="1">{names[1].clone()}</option>
                        </select>
                    </div>
                }
            })
        }
    };
    view! {
        <details class="agree" data-test-id="agree">
            <summary>"Record an agreement"</summary>
            <form class="attempt-form" on:submit=submit data-test-id="agree-form">
                <EnumSelect label="Which value is right" name="agreed_value" options=values
                    label_of=value_label value=value form=form.clone() error=error />
                {updater_select}
                <FormError error=error fields=&["agreed_value"] describe=describe />
                <DecisionGate decision=allowed describe=describe test_id="agree-submit">
                    <div class="actions">
                        <button type="submit" class="button" data-test-id="agree-submit-button" disabled=busy>
                            {move || if busy.get() { "Recording…" } else { "Record agreement" }}
                        </button>
                    </div>
                </DecisionGate>
            </form>
        </details>
    }
}

/// the entry/exit conflicts detected among the client's enrollments, each with a way to
/// open a conflict about another agency's enrollment.
#[component]
fn Detected(
    list: Vec<EntryExitView>,
    open: Vec<ConflictView>,
    reload: Callback<()>,
) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <p class="empty" data-test-id="detections-empty">"The client's enrollment dates are consistent."</p>
        }
        .into_any();
    }
    let open: Vec<DataConflict> = open
        .iter()
        .filter(|c| !matches!(c.state, ConflictState::Resolved { .. }))
        .map(as_conflict)
        .collect();
    let open = StoredValue::new(open);
    view! {
        <ul class="conflicts" data-test-id="detections">
            {list.into_iter().map(|d| view! { <Detection detection=d open=open reload=reload /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Detection(
    detection: EntryExitView,
    open: StoredValue<Vec<DataConflict>>,
    reload: Callback<()>,
) -> impl IntoView {
    let file = use_client();
    let enrollments: Vec<(RecordId, OrgId)> =
        std::iter::once((detection.first, detection.first_org))
            .chain(detection.second.zip(detection.second_org))
            .collect();
    let id = detection.id;
    view! {
        <li class="conflict detection" data-test-id="detection" data-detection-id=id.to_string()>
            <div class="record-head">
                <span class="record-title">{capitalized(&detection.description)}</span>
                <span class="badge badge-admin">{format!("From {}", detection.from)}</span>
            </div>
            <ul class="detection-enrollments">
                {enrollments.iter().map(|(e, o)| view! {
                    <li>{format!("{} · {}", enrollment_title(*e), file.org_name(*o))}</li>
                }).collect_view()}
            </ul>
            <div class="actions record-actions">
                {enrollments.into_iter().map(|(e, _)| view! {
                    <OpenEntryExit detection=id enrollment=e open=open reload=reload />
                }).collect_view()}
            </div>
        </li>
    }
}

/// Opening a conflict about one enrollment of a detection: refused for the user's own agency's
/// enrollment (R-6: it corrects it directly; the shared `can_edit` says so) and when the agency
/// already opened one about it.
#[component]
fn OpenEntryExit(
    detection: i64,
    enrollment: RecordId,
    open: StoredValue<Vec<DataConflict>>,
    reload: Callback<()>,
) -> impl IntoView {
    let file = use_client();
    let key = StoredValue::new(FormKey::new());
    let act = Action::new_local(move |_: &()| {
        let k = key.get_value();
        async move {
            let body = OpenEntryExitRequest {
                enrollment: enrollment.0,
            };
            api::submit::<ep::OpenEntryExitConflict>(&k, &[detection], &NoQuery, &body).await
        }
    });
    Effect::new(move |_| {
        if let Some(answer) = act.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                reload.run(());
            }
        }
    });
    let error = last_error(act);
    let title = enrollment_title(enrollment);
    // Whose enrollment: the owner edits it, anyone else opens a conflict.
    let owner_edits = Signal::derive(move || {
        let meta = file
            .with(|p| {
                p.records
                    .iter()
                    .find(|r| r.meta.id == enrollment)
                    .map(|r| r.meta)
            })
            .flatten();
        match meta {
            Some(meta) => {
                file.decide(|me, ctx| can_edit(&me.actor, &meta, ctx, me.today, &me.policy))
            }
            None => Decision::deny(Reason::NotCovered),
        }
    });
    let session = use_session();
    let already = Signal::derive(move || {
        session
            .with_me(|me| {
                open.with_value(|o| {
                    check_one_entry_exit_conflict_per_agency(&me.actor, enrollment, o)
                })
            })
            .and_then(Result::err)
            .map(|e| capitalized(&e.reason))
    });
    let busy = act.pending();
    let describe = file.describe();
    let t2 = title.clone();
    move || {
        if owner_edits.get().allowed {
            return view! {
                <p class="gate-reason" data-test-id="entry-exit-own">
                    {format!("{t2} is your agency's: correct it in Enrollments.")}
                </p>
            }
            .into_any();
        }
        if let Some(why) = already.get() {
            return view! { <p class="gate-reason" data-test-id="entry-exit-already">{why}</p> }
                .into_any();
        }
        let label = format!("Open a conflict about {title}");
        view! {
            <div>
                <button type="button" class="button" data-test-id="entry-exit-open" disabled=busy
                    on:click=move |_| { act.dispatch(()); }>
                    {label}
                </button>
                <FormError error=error describe=describe />
            </div>
        }
        .into_any()
    }
}
