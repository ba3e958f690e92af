//! The services of a client's file: needs, service transactions and referrals. Anyone of
//! an agency records one, with an optional case-management note under its own security setting
//! (S-5: the picker offers only the settings the rules allow this user); the owning agency edits
//! it; nobody deletes it, and the delete control says so ("Services, needs and referrals are
//! never deleted").

use super::{record_list, use_client, ListView, SectionFrame, WithheldNote};
use crate::api::{self, last_error, ApiError, FormKey};
use crate::components::{
    DateInput, DecisionGate, EnumSelect, Field, FormError, InputKind, RecordCard,
};
use crate::session::use_session;
use crate::Section;
use chrono::NaiveDate;
use leptos::prelude::*;
use shared::actions::NewRecord;
use shared::api::endpoint::NoQuery;
use shared::api::endpoints as ep;
use shared::api::records::{
    NewService, RecordDetails, RecordItem, RecordList, RecordPatch, ServiceDetails, ServicePatch,
};
use shared::records::ServiceKind;
use shared::{can_create, can_delete, can_edit, ClientId, Decision, RecordKind, SecuritySetting};

type List = LocalResource<Result<RecordList, ApiError>>;

#[component]
pub fn ServicesSection() -> impl IntoView {
    let file = use_client();
    let list = record_list::<ep::ListServices>(file);
    view! {
        <SectionFrame section=Section::Services>
            <NewServiceForm list=list />
            <ListView list=list what="services" render=move |l| view! { <Services list=l reload=list /> } />
        </SectionFrame>
    }
}

/// A date typed in a date input, or the field's error.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| shared::ParseError::new(field, "choose a date").into())
}

/// Optional whole minutes.
fn parse_minutes(text: &str) -> Result<Option<u32>, ApiError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u32>().map(Some).map_err(|_| {
        shared::ParseError::new("case_management_minutes", "type a whole number of minutes").into()
    })
}

fn optional_text(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

#[component]
fn NewServiceForm(list: List) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let Some(me) = session.me() else {
        return ().into_any();
    };
    let today = me.today;
    let note_default = me.policy.default_security_for_service_note();
    let client = ClientId(file.id.get_untracked());
    let new_record = |kind, security| NewRecord {
        client,
        kind,
        owner: me.actor.org,
        security,
        default_security: security.map(|_| note_default),
    };
    let create = can_create(&me.actor, &new_record(RecordKind::Service, None));
    // S-5: the note's settings this user may choose (a setting below the default needs an
    // AgencyAdmin; `SharedWithAll` is for attachments only).
    let settings: Vec<SecuritySetting> = SecuritySetting::ALL
        .into_iter()
        .filter(|s| can_create(&me.actor, &new_record(RecordKind::Form, Some(*s))).allowed)
        .collect();
    let kind = RwSignal::new(Some(ServiceKind::Transaction));
    let date = RwSignal::new(today.to_string());
    let description = RwSignal::new(String::new());
    let minutes = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let note_security = RwSignal::new(Some(note_default));
    let key = StoredValue::new(FormKey::new());
    let local_error = RwSignal::new(None::<ApiError>);
    let panel_open = RwSignal::new(false);
    let add = Action::new_local(move |body: &NewService| {
        let body = body.clone();
        async move {
            let answer =
                api::submit::<ep::CreateService>(&key.get_value(), &[client.0], &NoQuery, &body)
                    .await;
            if !matches!(&answer, Err(ApiError::Failed(b)) if b.error.contains("could not be reached"))
            {
                key.update_value(FormKey::renew);
            }
            if answer.is_ok() {
                description.set(String::new());
                minutes.set(String::new());
                note.set(String::new());
                panel_open.set(false);
                list.refetch();
            }
            answer
        }
    });
    let server_error = last_error(add);
    let error = Signal::derive(move || local_error.get().or_else(|| server_error.get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = (|| {
            let body = NewService {
                service_kind: kind.get_untracked().ok_or_else(|| {
                    ApiError::from(shared::ParseError::new("service_kind", "choose what it is"))
                })?,
                date: parse_date("date", &date.get_untracked())?,
                description: description.get_untracked(),
                enrollment_id: None,
                case_management_minutes: parse_minutes(&minutes.get_untracked())?,
                case_management_note: optional_text(&note.get_untracked()),
                note_security: note_security.get_untracked(),
            };
            shared::input::new_service(&body, today)?;
            Ok::<_, ApiError>(body)
        })();
        match body {
            Ok(body) => {
                local_error.set(None);
                add.dispatch(body);
            }
            Err(e) => local_error.set(Some(e)),
        }
    };
    let busy = add.pending();
    let describe = file.describe();
    let decision = Signal::stored(create);
    view! {
        <DecisionGate decision=decision describe=describe test_id="add-service">
            <details class="add" data-test-id="service-add-panel" prop:open=move || panel_open.get()
                on:toggle=move |ev| panel_open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
                <summary data-test-id="service-add-open">"Record a service, need or referral"</summary>
                <form class="record-form" on:submit=submit data-test-id="service-form" novalidate>
                    <div class="form-grid">
                        <EnumSelect label="What" name="service_kind" options=ServiceKind::ALL.to_vec()
                            label_of=ServiceKind::label value=kind form="service-new" error=error required=true />
                        <DateInput label="Date" name="date" value=date form="service-new" error=error required=true />
                    </div>
                    <Field label="Description" name="description" value=description form="service-new"
                        error=error kind=InputKind::TextArea required=true test_id="service-description" />
                    <Field label="Case-management minutes" name="case_management_minutes" value=minutes
                        form="service-new" error=error kind=InputKind::Number hint="Optional" />
                    <Field label="Case-management note" name="case_management_note" value=note
                        form="service-new" error=error kind=InputKind::TextArea hint="Optional; it has its own security setting"
                        test_id="service-note" />
                    <EnumSelect label="Who may read the note" name="note_security" options=settings.clone()
                        label_of=SecuritySetting::label value=note_security form="service-new" error=error
                        hint=format!("Default for case notes: {}", note_default.label()) />
                    <FormError error=error fields=&["service_kind", "date", "description", "case_management_minutes", "case_management_note", "note_security"] describe=describe />
                    <div class="actions">
                        <button type="submit" class="primary" data-test-id="service-add" disabled=busy>
                            {move || if busy.get() { "Saving…" } else { "Save service" }}
                        </button>
                    </div>
                </form>
            </details>
        </DecisionGate>
    }
    .into_any()
}

#[component]
fn Services(list: RecordList, reload: List) -> impl IntoView {
    let file = use_client();
    let orgs = file.orgs();
    let withheld = list.withheld_by.clone().filter(|o| !o.is_empty());
    let body = if list.records.is_empty() {
        view! { <p class="empty" data-test-id="empty">"No services recorded yet."</p> }.into_any()
    } else {
        view! {
            <ul class="records">
                {list.records.into_iter().map(|r| view! { <Service record=r orgs=orgs.clone() reload=reload /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! { {body} <WithheldNote orgs=withheld /> }
}

fn details(r: &RecordItem) -> Option<ServiceDetails> {
    match &r.details {
        Some(RecordDetails::Service(s)) => Some(s.clone()),
        _ => None,
    }
}

#[component]
fn Service(record: RecordItem, orgs: Vec<shared::api::OrgName>, reload: List) -> impl IntoView {
    let file = use_client();
    let meta = record.meta;
    let read = file.can_read(&meta);
    let edit_decision = Signal::derive(move || {
        file.decide(|me, ctx| can_edit(&me.actor, &meta, ctx, me.today, &me.policy))
    });
    let delete_decision: Signal<Decision> = Signal::derive(move || {
        file.decide(|me, ctx| can_delete(&me.actor, &meta, ctx, me.today, &me.policy))
    });
    let d = details(&record);
    let title = match &d {
        Some(s) => format!("{}: {}", s.service_kind.label(), s.description),
        None => record.title.clone(),
    };
    let when = d.as_ref().map(|s| {
        let mut line = format!("On {}", s.date);
        if let Some(m) = s.case_management_minutes {
            line.push_str(&format!(" · {m} minutes of case management"));
        }
        line
    });
    let note = d.as_ref().and_then(|s| {
        if s.note_hidden {
            Some(view! { <p class="note-body muted" data-test-id="service-note-hidden">"The case-management note is withheld by its security setting."</p> }.into_any())
        } else {
            s.case_management_note.clone().map(|n| view! {
                <div class="note-body" data-test-id="service-note-text">
                    <span class="note-label">{format!("Case-management note · {}", s.note_security.label())}</span>
                    <p>{n}</p>
                </div>
            }.into_any())
        }
    });
    let editing = RwSignal::new(false);
    let record_id = meta.id.0;
    let describe = file.describe();
    view! {
        <RecordCard meta=record.meta entered_by=record.entered_by title=title
            detail=when.unwrap_or_default() decision=read server_reason=record.reason orgs=orgs>
            {note}
            {d.as_ref().filter(|s| s.case_management_note.is_some()).map(|s| view! {
                <NoteSetting meta=meta current=s.note_security reload=reload />
            })}
            <Show when=move || editing.get()>
                <EditService id=record_id details=d.clone() editing=editing reload=reload />
            </Show>
            <div class="actions record-actions">
                <DecisionGate decision=edit_decision describe=describe test_id="service-edit">
                    <button type="button" class="button" data-test-id="service-edit-open"
                        on:click=move |_| editing.set(true) disabled=move || editing.get()>"Edit"</button>
                </DecisionGate>
                <DecisionGate decision=delete_decision describe=describe test_id="service-delete">
                    <button type="button" class="button danger" data-test-id="service-delete-open">"Delete"</button>
                </DecisionGate>
            </div>
        </RecordCard>
    }
}

#[component]
fn EditService(
    id: i64,
    details: Option<ServiceDetails>,
    editing: RwSignal<bool>,
    reload: List,
) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let today = session.with_me_untracked(|me| me.today).unwrap_or_default();
    let d = details.unwrap_or(ServiceDetails {
        service_kind: ServiceKind::Transaction,
        date: today,
        description: String::new(),
        enrollment_id: None,
        case_management_minutes: None,
        case_management_note: None,
        note_security: SecuritySetting::RestrictToOrganization,
        note_hidden: false,
    });
    let date = RwSignal::new(d.date.to_string());
    let description = RwSignal::new(d.description.clone());
    let minutes = RwSignal::new(
        d.case_management_minutes
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let note = RwSignal::new(d.case_management_note.clone().unwrap_or_default());
    let local_error = RwSignal::new(None::<ApiError>);
    let save = Action::new_local(move |patch: &ServicePatch| {
        let body = RecordPatch::Service(patch.clone());
        async move {
            let answer = api::call::<ep::UpdateRecord>(&[id], &NoQuery, &body).await;
            if answer.is_ok() {
                editing.set(false);
                reload.refetch();
            }
            answer
        }
    });
    let server_error = last_error(save);
    let error = Signal::derive(move || local_error.get().or_else(|| server_error.get()));
    let form = format!("service-{id}");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let patch = (|| {
            let patch = ServicePatch {
                description: Some(description.get_untracked()),
                date: Some(parse_date("date", &date.get_untracked())?),
                case_management_minutes: parse_minutes(&minutes.get_untracked())?,
                case_management_note: Some(note.get_untracked()),
            };
            shared::input::service_patch(&patch, today)?;
            Ok::<_, ApiError>(patch)
        })();
        match patch {
            Ok(p) => {
                local_error.set(None);
                save.dispatch(p);
            }
            Err(e) => local_error.set(Some(e)),
        }
    };
    let busy = save.pending();
    view! {
        <form class="record-form" on:submit=submit novalidate data-test-id="service-edit-form">
            <DateInput label="Date" name="date" value=date form=form.clone() error=error required=true />
            <Field label="Description" name="description" value=description form=form.clone()
                error=error kind=InputKind::TextArea required=true />
            <Field label="Case-management minutes" name="case_management_minutes" value=minutes
                form=form.clone() error=error kind=InputKind::Number />
            <Field label="Case-management note" name="case_management_note" value=note
                form=form.clone() error=error kind=InputKind::TextArea />
            <FormError error=error fields=&["date", "description", "case_management_minutes", "case_management_note"] describe=file.describe() />
            <div class="actions">
                <button type="submit" class="primary" disabled=busy data-test-id="service-save">
                    {move || if busy.get() { "Saving…" } else { "Save changes" }}
                </button>
                <button type="button" class="button" on:click=move |_| editing.set(false)>"Cancel"</button>
            </div>
        </form>
    }
}

/// S-5: the case-management note's own setting, changed by whom `can_set_security` allows (the
/// note is judged as a form: the owning agency; below the default, its AgencyAdmin). Only the
/// settings the rules allow this user are offered.
#[component]
fn NoteSetting(meta: shared::RecordMeta, current: SecuritySetting, reload: List) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let Some(default) =
        session.with_me_untracked(|me| me.policy.default_security_for_service_note())
    else {
        return ().into_any();
    };
    let note_meta = shared::RecordMeta {
        kind: RecordKind::Form,
        security: Some(current),
        ..meta
    };
    let decide = move |to| {
        file.decide(|me, ctx| {
            shared::can_set_security(
                &me.actor, &note_meta, to, default, ctx, me.today, &me.policy,
            )
        })
    };
    let offered: Vec<SecuritySetting> = SecuritySetting::ALL
        .into_iter()
        .filter(|s| *s == current || decide(*s).allowed)
        .collect();
    let others = offered.iter().any(|s| *s != current);
    // Why the setting cannot be changed, when it cannot: the decision for the next stricter (or
    // any other) setting.
    let refusals: Vec<Decision> = SecuritySetting::ALL
        .into_iter()
        .filter(|s| *s != current)
        .map(decide)
        .filter(|d| !d.allowed)
        .collect();
    let refusal = refusals
        .iter()
        .find(|d| !matches!(d.reason, shared::Reason::SettingNotAllowed { .. }))
        .or(refusals.first())
        .cloned()
        .unwrap_or_else(|| Decision::deny(shared::Reason::NotCovered));
    let decision = Signal::stored(if others {
        Decision::allow(shared::Reason::YourAgency)
    } else {
        refusal
    });
    let chosen = RwSignal::new(Some(current));
    let id = meta.id.0;
    let save = Action::new_local(move |to: &SecuritySetting| {
        let body = shared::api::records::SecurityInput { security: *to };
        async move {
            let answer = api::call::<ep::SetRecordSecurity>(&[id], &NoQuery, &body).await;
            if answer.is_ok() {
                reload.refetch();
            }
            answer
        }
    });
    let error = last_error(save);
    let busy = save.pending();
    let form = format!("note-setting-{id}");
    view! {
        <DecisionGate decision=decision describe=file.describe() mode=crate::components::GateMode::Hide
            test_id="note-setting" action="Who may read the note">
            <form class="inline-form" data-test-id="note-setting-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                if let Some(to) = chosen.get_untracked() {
                    save.dispatch(to);
                }
            }>
                <EnumSelect label="Who may read the note" name="security" options=offered.clone()
                    label_of=SecuritySetting::label value=chosen form=form.clone() error=error />
                <button type="submit" class="button" disabled=busy data-test-id="note-setting-save">"Change"</button>
            </form>
            <FormError error=error fields=&["security"] describe=file.describe() />
        </DecisionGate>
    }
    .into_any()
}
