//! The intake of a client's file (S-1, tier 1): names, date of birth, SSN, gender and marital
//! status, each with who entered its value. Any agency changes a value; another agency's
//! single-answer value (legal names, date of birth, SSN) needs the written documentation the
//! client showed, and when the client has none the caseworker records a data conflict
//! instead, addressed to the agency that entered it. `check_single_answer_change` decides,
//! here and on the server alike.

use super::{use_client, SectionFrame};
use crate::api::{self, last_error, ApiError, FormKey};
use crate::components::{DecisionGate, EnumSelect, Field, FormError, InputKind};
use crate::session::use_session;
use crate::{Page, Section};
use leptos::prelude::*;
use shared::api::endpoint::NoQuery;
use shared::api::endpoints as ep;
use shared::api::resolution::{DocumentationRequest, IntakeChangeRequest, NewConflictRequest};
use shared::api::IntakeView;
use shared::fields::masked_ssn;
use shared::intake::{parse_intake_change, MaritalStatus};
use shared::resolution::{check_single_answer_change, Documentation};
use shared::{Decision, DocumentationType, Field as IntakeField, Reason};

/// "date of birth" → "Date of birth".
pub fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The value of `field` as the intake shows it (an SSN masked), `None` when empty.
fn shown(intake: &IntakeView, field: IntakeField) -> Option<String> {
    match field {
        IntakeField::LegalFirstName => Some(intake.first_name.clone()),
        IntakeField::LegalMiddleName => intake.middle_name.clone(),
        IntakeField::LegalLastName => Some(intake.last_name.clone()),
        IntakeField::DateOfBirth => intake.date_of_birth.map(|d| d.to_string()),
        IntakeField::Ssn => intake.ssn_last4.as_deref().map(masked_ssn),
        IntakeField::Gender => intake.gender.clone(),
        IntakeField::MaritalStatus => intake.marital_status.map(|m| m.label().to_owned()),
        _ => None,
    }
}

/// The value an editor starts from (an SSN starts empty: only its last four digits are known).
fn editable(intake: &IntakeView, field: IntakeField) -> String {
    match field {
        IntakeField::Ssn => String::new(),
        IntakeField::MaritalStatus => String::new(),
        f => shown(intake, f).unwrap_or_default(),
    }
}

fn slug(field: IntakeField) -> &'static str {
    field.as_str()
}

#[component]
pub fn IntakeSection() -> impl IntoView {
    let file = use_client();
    let editing = RwSignal::new(None::<IntakeField>);
    view! {
        <SectionFrame section=Section::Intake>
            <p class="hint">"Shared with and editable by all agencies. A legal name, date of birth or SSN another agency entered changes only with written documentation the client shows you."</p>
            {move || file.with(|p| p.intake.clone()).filter(crate::pages::new_client::is_placeholder).map(|_| view! {
                <div class="placeholder-note" data-test-id="placeholder-note">
                    <p>"The name is a placeholder (HUD: partial, street name or code name). When the person gives their name, change the first and last name below."</p>
                    <button type="button" class="button" data-test-id="complete-name"
                        on:click=move |_| editing.set(Some(IntakeField::LegalFirstName))>"Complete the name"</button>
                </div>
            })}
            {move || file.with(|p| p.intake.clone()).map(|intake| view! {
                <dl class="intake" data-test-id="intake">
                    {IntakeField::INTAKE.into_iter().map(|field| {
                        let intake = intake.clone();
                        view! { <IntakeRow field=field intake=intake editing=editing /> }
                    }).collect_view()}
                </dl>
            })}
        </SectionFrame>
    }
}

#[component]
fn IntakeRow(
    field: IntakeField,
    intake: IntakeView,
    editing: RwSignal<Option<IntakeField>>,
) -> impl IntoView {
    let file = use_client();
    let value = shown(&intake, field);
    let source = intake
        .source(field)
        .map(|s| format!("Entered by {} on {}", file.org_name(s.org), s.at.date()));
    let label = capitalized(field.label());
    let open = move |_| editing.set(Some(field));
    let label2 = label.clone();
    view! {
        <div class="intake-row" data-test-id=format!("intake-{}", slug(field))>
            <dt>{label}</dt>
            <dd>
                <span class="intake-value" data-test-id="intake-value">
                    {value.unwrap_or_else(|| "Not recorded".to_owned())}
                </span>
                {source.map(|s| view! { <span class="intake-source">{s}</span> })}
                <Show when=move || editing.get() != Some(field)>
                    <button type="button" class="button small" data-test-id="intake-change"
                        aria-label=format!("Change {}", label2.to_lowercase()) on:click=open>"Change"</button>
                </Show>
                <Show when=move || editing.get() == Some(field)>
                    <IntakeEditor field=field intake=intake.clone() editing=editing />
                </Show>
            </dd>
        </div>
    }
}

#[component]
fn IntakeEditor(
    field: IntakeField,
    intake: IntakeView,
    editing: RwSignal<Option<IntakeField>>,
) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let Some(me) = session.me() else {
        return ().into_any();
    };
    let today = me.today;
    let entered_by = intake.source(field).map(|s| s.org);
    let value = RwSignal::new(editable(&intake, field));
    let marital = RwSignal::new(intake.marital_status);
    let document = RwSignal::new(None::<DocumentationType>);
    let conflict = RwSignal::new(false);
    let (actor, policy) = (me.actor, me.policy.clone());
    let decide = move |doc: Option<DocumentationType>| {
        let offered = doc.map(|document| Documentation {
            document,
            scan: None,
        });
        check_single_answer_change(&actor, field, entered_by, offered.as_ref(), &policy)
    };
    // without documentation, may this user change the value at all?
    let without = decide(None);
    let needs_document = matches!(without.reason, Reason::NeedsDocumentation { .. });
    let decision: Signal<Decision> = Signal::derive(move || decide(document.get()));
    let local_error = RwSignal::new(None::<ApiError>);
    let client = file.id.get_untracked();
    let save = Action::new_local(move |req: &IntakeChangeRequest| {
        let req = req.clone();
        async move {
            let answer = api::call::<ep::ChangeIntake>(&[client], &NoQuery, &req).await;
            if answer.is_ok() {
                editing.set(None);
                file.reload();
            }
            answer
        }
    });
    let server_error = last_error(save);
    let error = Signal::derive(move || local_error.get().or_else(|| server_error.get()));
    let new_value = move || {
        if field == IntakeField::MaritalStatus {
            marital
                .get_untracked()
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default()
        } else {
            value.get_untracked()
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let raw = new_value();
        match parse_intake_change(field, Some(&raw), today) {
            Err(e) => local_error.set(Some(e.into())),
            Ok(_) => {
                local_error.set(None);
                save.dispatch(IntakeChangeRequest {
                    field: field.as_str().to_owned(),
                    value: Some(raw),
                    documentation: document.get_untracked().map(|d| DocumentationRequest {
                        document: d.as_str().to_owned(),
                        attachment_id: None,
                    }),
                });
            }
        }
    };
    let form = format!("intake-{}", slug(field));
    let label = capitalized(field.label());
    let input = match field {
        IntakeField::MaritalStatus => view! {
            <EnumSelect label=label.clone() name="value" options=MaritalStatus::ALL.to_vec()
                label_of=MaritalStatus::label value=marital form=form.clone() error=error
                placeholder=true required=true />
        }
        .into_any(),
        IntakeField::DateOfBirth => view! {
            <Field label=format!("New {}", field.label()) name="value" value=value form=form.clone()
                error=error kind=InputKind::Date required=true test_id="intake-input" />
        }
        .into_any(),
        IntakeField::Ssn => view! {
            <Field label="New Social Security number" name="value" value=value form=form.clone()
                error=error required=true hint="Nine digits, e.g. 123-45-6789" test_id="intake-input"
                autocomplete="off" />
        }
        .into_any(),
        _ => view! {
            <Field label=format!("New {}", field.label()) name="value" value=value form=form.clone()
                error=error required=matches!(field, IntakeField::LegalFirstName | IntakeField::LegalLastName)
                test_id="intake-input" />
        }
        .into_any(),
    };
    let documents = needs_document.then(|| {
        let why = without.reason.describe(&|o| file.org_name(o));
        view! {
            <div class="needs-document" data-test-id="needs-document">
                <p class="notice">{why}</p>
                <EnumSelect label="Documentation the client showed" name="documentation.document"
                    options=DocumentationType::ALL.to_vec() label_of=DocumentationType::label
                    value=document form=form.clone() error=error placeholder=true
                    hint="A Social Security card is seen, never copied or uploaded." />
            </div>
        }
    });
    let busy = save.pending();
    let describe = file.describe();
    view! {
        <form class="record-form intake-editor" on:submit=submit novalidate data-test-id="intake-editor">
            {input}
            {documents}
            <FormError error=error fields=&["value", "documentation.document"] describe=describe />
            <div class="actions">
                <DecisionGate decision=decision describe=describe test_id="intake-save">
                    <button type="submit" class="primary" disabled=busy data-test-id="intake-submit">
                        {move || if busy.get() { "Saving…" } else { "Save change" }}
                    </button>
                </DecisionGate>
                <button type="button" class="button" on:click=move |_| editing.set(None)>"Cancel"</button>
            </div>
            {needs_document.then(|| view! {
                <Show when=move || !conflict.get()>
                    <p class="alternative">
                        "The client has no document? "
                        <button type="button" class="linkish" data-test-id="record-conflict-open"
                            on:click=move |_| conflict.set(true)>"Record a data conflict instead"</button>
                    </p>
                </Show>
            })}
        </form>
        <Show when=move || conflict.get()>
            <ConflictForm field=field stated=value editing=editing />
        </Show>
    }
    .into_any()
}

/// the client states a value that differs from the stored one and has no document: the
/// stored value stays, and a data conflict is addressed to the agency that entered it.
#[component]
fn ConflictForm(
    field: IntakeField,
    stated: RwSignal<String>,
    editing: RwSignal<Option<IntakeField>>,
) -> impl IntoView {
    let file = use_client();
    let client = file.id.get_untracked();
    let key = StoredValue::new(FormKey::new());
    let open = Action::new_local(move |req: &NewConflictRequest| {
        let req = req.clone();
        async move {
            let answer =
                api::submit::<ep::OpenConflict>(&key.get_value(), &[client], &NoQuery, &req).await;
            key.update_value(FormKey::renew);
            answer
        }
    });
    let error = last_error(open);
    let form = format!("conflict-{}", slug(field));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        open.dispatch(NewConflictRequest {
            field: field.as_str().to_owned(),
            stated_value: stated.get_untracked(),
        });
    };
    let busy = open.pending();
    let done = move || open.value().with(|v| matches!(v, Some(Ok(_))));
    let label = format!("The {} the client states", field.label());
    view! {
        <Show when=move || !done() fallback=move || view! {
            <div class="success" role="status" data-test-id="conflict-recorded">
                <p>"Data conflict recorded. The stored value stays until the agencies agree; the agency that entered it has been notified."</p>
                <div class="actions">
                    <a class="button" href=Page::Client(client, Section::Conflicts).path()>"See the client's conflicts"</a>
                    <button type="button" class="button" on:click=move |_| editing.set(None)>"Close"</button>
                </div>
            </div>
        }>
            <form class="record-form conflict-form" on:submit=submit novalidate data-test-id="conflict-form">
                <h3>"Record a data conflict"</h3>
                <Field label=label.clone() name="stated_value" value=stated form=form.clone() error=error
                    kind=if field == IntakeField::DateOfBirth { InputKind::Date } else { InputKind::Text }
                    required=true test_id="conflict-stated" />
                <FormError error=error fields=&["stated_value", "stated"] describe=file.describe() />
                <div class="actions">
                    <button type="submit" class="primary" disabled=busy data-test-id="conflict-submit">
                        {move || if busy.get() { "Recording…" } else { "Record data conflict" }}
                    </button>
                </div>
            </form>
        </Show>
    }
}
