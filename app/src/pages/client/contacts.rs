//! The family and contact rows of a client's file: addresses, phones, emails and
//! emergency contacts as effective-dated rows, current and ended, never overwritten. A change at
//! the client's direction adds a row and end-dates the rows it replaces; the correction note is
//! written unless declined, and the agencies that entered the replaced rows may be notified.
//! `plan_contact_change` plans it here, as the server will.

use super::{record_list, use_client, ListView, SectionFrame, WithheldNote};
use crate::api::{self, last_error, ApiError, FormKey};
use crate::components::{DateInput, Field, FormError, RecordCard};
use crate::pages::client::services::parse_date;
use crate::session::use_session;
use crate::Section;
use leptos::prelude::*;
use shared::api::endpoint::NoQuery;
use shared::api::endpoints as ep;
use shared::api::records::{NewContact, RecordDetails, RecordItem, RecordList};
use shared::records::{ContactKind, ContactRow};
use shared::resolution::{plan_contact_change, ContactChange, ContactPlanError};
use shared::{ClientId, RecordId};

type List = LocalResource<Result<RecordList, ApiError>>;

#[component]
pub fn ContactsSection() -> impl IntoView {
    let file = use_client();
    let list = record_list::<ep::ListContacts>(file);
    view! {
        <SectionFrame section=Section::Contacts>
            <p class="hint">"Contact information is never overwritten: a change at the client's direction adds a row and ends the old one, and both stay in the history."</p>
            <ListView list=list what="contact rows" render=move |l| view! { <Contacts list=l reload=list /> } />
        </SectionFrame>
    }
}

fn row_of(r: &RecordItem) -> Option<ContactRow> {
    match &r.details {
        Some(RecordDetails::Contact(c)) => Some(ContactRow {
            meta: r.meta,
            contact_kind: c.contact_kind,
            value: c.value.clone(),
            start: c.start_date,
            end: c.end_date,
        }),
        _ => None,
    }
}

fn plural(kind: ContactKind) -> &'static str {
    match kind {
        ContactKind::Address => "Addresses",
        ContactKind::Phone => "Phone numbers",
        ContactKind::Email => "Email addresses",
        ContactKind::EmergencyContact => "Emergency contacts",
    }
}

#[component]
fn Contacts(list: RecordList, reload: List) -> impl IntoView {
    let session = use_session();
    let today = session.with_me_untracked(|me| me.today).unwrap_or_default();
    let rows: Vec<ContactRow> = list.records.iter().filter_map(row_of).collect();
    let items = list.records.clone();
    let withheld = list.withheld_by.clone().filter(|o| !o.is_empty());
    view! {
        {ContactKind::ALL.into_iter().map(|kind| {
            let of_kind: Vec<RecordItem> = items.iter().filter(|r| row_of(r).is_some_and(|c| c.contact_kind == kind)).cloned().collect();
            view! { <ContactKindGroup kind=kind items=of_kind rows=rows.clone() today=today reload=reload /> }
        }).collect_view()}
        <WithheldNote orgs=withheld />
    }
}

#[component]
fn ContactKindGroup(
    kind: ContactKind,
    items: Vec<RecordItem>,
    rows: Vec<ContactRow>,
    today: chrono::NaiveDate,
    reload: List,
) -> impl IntoView {
    let file = use_client();
    let orgs = file.orgs();
    let (current, ended): (Vec<RecordItem>, Vec<RecordItem>) = items
        .into_iter()
        .partition(|r| row_of(r).is_some_and(|c| c.is_current(today) || c.start > today));
    let current_ids: Vec<RecordId> = current.iter().map(|r| r.meta.id).collect();
    let card = move |r: RecordItem, orgs: Vec<shared::api::OrgName>| {
        let c = row_of(&r);
        let ended = c.as_ref().is_some_and(|c| c.end.is_some_and(|e| e < today));
        let span = c
            .as_ref()
            .map(|c| match c.end {
                Some(e) => format!("From {} to {}", c.start, e),
                None => format!("Since {}", c.start),
            })
            .unwrap_or_default();
        let title = c.map(|c| c.value).unwrap_or_else(|| r.title.clone());
        let read = file.can_read(&r.meta);
        view! {
            <RecordCard meta=r.meta entered_by=r.entered_by title=title detail=span
                decision=read server_reason=r.reason orgs=orgs ended=ended />
        }
    };
    let has_current = !current.is_empty();
    let slug = kind.as_str();
    let open = RwSignal::new(false);
    let heading_id = format!("contacts-{slug}-heading");
    let labelled_by = heading_id.clone();
    let current_view = if current.is_empty() {
        view! { <p class="empty">{format!("No current {}.", kind.label())}</p> }.into_any()
    } else {
        let orgs = orgs.clone();
        view! { <ul class="records">{current.into_iter().map(|r| card(r, orgs.clone())).collect_view()}</ul> }.into_any()
    };
    let history = (!ended.is_empty()).then(|| {
        let n = ended.len();
        let orgs = orgs.clone();
        view! {
            <details class="history" data-test-id="contact-history">
                <summary>{format!("History: {n} ended row{}", if n == 1 { "" } else { "s" })}</summary>
                <ul class="records">{ended.into_iter().map(|r| card(r, orgs.clone())).collect_view()}</ul>
            </details>
        }
    });
    view! {
        <section class="contact-group" aria-labelledby=labelled_by data-test-id=format!("contacts-{slug}")>
            <h3 id=heading_id>{plural(kind)}</h3>
            {current_view}
            {history}
            <Show when=move || !open.get()>
                <button type="button" class="button" data-test-id="contact-change-open" on:click=move |_| open.set(true)>
                    {if has_current { format!("Change {} at the client's direction", kind.label()) } else { format!("Add {} at the client's direction", kind.label()) }}
                </button>
            </Show>
            <Show when=move || open.get()>
                <ContactChangeForm kind=kind current=current_ids.clone() rows=rows.clone() open=open reload=reload />
            </Show>
        </section>
    }
}

#[component]
fn ContactChangeForm(
    kind: ContactKind,
    current: Vec<RecordId>,
    rows: Vec<ContactRow>,
    open: RwSignal<bool>,
    reload: List,
) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let Some(me) = session.me() else {
        return ().into_any();
    };
    let today = me.today;
    let client = file.id.get_untracked();
    let value = RwSignal::new(String::new());
    let start = RwSignal::new(today.to_string());
    let replaces = RwSignal::new(current.clone());
    let directed = RwSignal::new(false);
    let keep_note = RwSignal::new(true);
    let notify = RwSignal::new(true);
    let rows = StoredValue::new(rows);
    let actor = me.actor;
    // The plan the server will carry out, recomputed as the form changes.
    let plan = Memo::new(move |_| {
        let change = ContactChange {
            client: ClientId(client),
            contact_kind: kind,
            value: value.get(),
            start: parse_date("start_date", &start.get()).unwrap_or(today),
            replaces: replaces.get(),
            client_directed: true,
            decline_note: !keep_note.get(),
        };
        rows.with_value(|rows| plan_contact_change(&actor, &change, rows))
    });
    let note_text = move || match plan.get() {
        Ok(p) => p.correction_note.map(|n| n.text),
        Err(_) => None,
    };
    let may_notify =
        move || plan.with(|p| p.as_ref().map(|p| p.may_notify.clone()).unwrap_or_default());
    let key = StoredValue::new(FormKey::new());
    let local_error = RwSignal::new(None::<ApiError>);
    let save = Action::new_local(move |body: &NewContact| {
        let body = body.clone();
        async move {
            let answer =
                api::submit::<ep::CreateContact>(&key.get_value(), &[client], &NoQuery, &body)
                    .await;
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                open.set(false);
                reload.refetch();
            }
            answer
        }
    });
    let server_error = last_error(save);
    let error = Signal::derive(move || local_error.get().or_else(|| server_error.get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let checked = (|| {
            let start_date = parse_date("start_date", &start.get_untracked())?;
            let change = ContactChange {
                client: ClientId(client),
                contact_kind: kind,
                value: value.get_untracked(),
                start: start_date,
                replaces: replaces.get_untracked(),
                client_directed: directed.get_untracked(),
                decline_note: !keep_note.get_untracked(),
            };
            match rows.with_value(|rows| plan_contact_change(&actor, &change, rows)) {
                Err(ContactPlanError::Refused(reason)) => {
                    return Err(ApiError::from(shared::ParseError::new(
                        "client_directed",
                        reason.describe(&|o| file.org_name(o)),
                    )))
                }
                Err(ContactPlanError::Invalid(e)) => {
                    let field = if e.field == kind.label() {
                        "value".to_owned()
                    } else {
                        e.field
                    };
                    return Err(shared::ParseError::new(field, e.reason).into());
                }
                Ok(_) => {}
            }
            let body = NewContact {
                contact_kind: kind,
                value: change.value,
                start_date,
                replaces: change.replaces,
                client_directed: change.client_directed,
                decline_note: change.decline_note,
                notify_owners: notify.get_untracked() && !may_notify().is_empty(),
            };
            shared::input::new_contact(&body, today)?;
            Ok::<_, ApiError>(body)
        })();
        match checked {
            Ok(body) => {
                local_error.set(None);
                save.dispatch(body);
            }
            Err(e) => local_error.set(Some(e)),
        }
    };
    let slug = kind.as_str();
    let form = format!("contact-{slug}");
    let busy = save.pending();
    let current_rows: Vec<ContactRow> = rows.with_value(|rows| {
        rows.iter()
            .filter(|r| current.contains(&r.meta.id))
            .cloned()
            .collect()
    });
    let replace_boxes = (!current_rows.is_empty()).then(|| view! {
        <fieldset class="choices">
            <legend>"It replaces (these rows end the day before the new one starts)"</legend>
            {current_rows.into_iter().map(|r| {
                let id = r.meta.id;
                let box_id = format!("{form}-replaces-{}", id.0);
                view! {
                    <div class="check-row">
                        <input type="checkbox" id=box_id.clone() data-test-id="contact-replaces"
                            prop:checked=move || replaces.with(|v| v.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                replaces.update(|v| { v.retain(|x| *x != id); if on { v.push(id); } });
                            } />
                        <label for=box_id>{format!("{} (since {})", r.value, r.start)}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    });
    let directed_id = format!("{form}-directed");
    let note_id = format!("{form}-note");
    let notify_id = format!("{form}-notify");
    let directed_error =
        Memo::new(move |_| error.with(|e| crate::components::field_error(e, "client_directed")));
    view! {
        <form class="record-form contact-form" on:submit=submit novalidate data-test-id="contact-form">
            <Field label=format!("New {}", kind.label()) name="value" value=value form=form.clone()
                error=error required=true test_id="contact-value"
                kind=match kind { ContactKind::Phone => crate::components::InputKind::Tel, ContactKind::Email => crate::components::InputKind::Email, _ => crate::components::InputKind::Text } />
            <DateInput label="Starting" name="start_date" value=start form=form.clone() error=error required=true />
            {replace_boxes}
            <div class="check-row">
                <input type="checkbox" id=directed_id.clone() data-test-id="contact-directed"
                    aria-describedby=format!("{directed_id}-error")
                    prop:checked=directed on:change=move |ev| { directed.set(event_target_checked(&ev)); local_error.set(None); } />
                <label for=directed_id.clone()>"The client asked for this change"</label>
            </div>
            <p class="field-error" id=format!("{directed_id}-error") data-test-id="field-error">{move || directed_error.get()}</p>
            <div class="check-row">
                <input type="checkbox" id=note_id.clone() data-test-id="contact-keep-note"
                    prop:checked=keep_note on:change=move |ev| keep_note.set(event_target_checked(&ev)) />
                <label for=note_id.clone()>"Add the correction note to the client's notes"</label>
            </div>
            {move || note_text().map(|t| view! { <p class="note-body" data-test-id="contact-note-preview">{t}</p> })}
            {move || {
                let orgs = may_notify();
                (!orgs.is_empty()).then(|| {
                    let names = orgs.iter().map(|o| file.org_name(*o)).collect::<Vec<_>>().join(", ");
                    view! {
                        <div class="check-row">
                            <input type="checkbox" id=notify_id.clone() data-test-id="contact-notify"
                                prop:checked=notify on:change=move |ev| notify.set(event_target_checked(&ev)) />
                            <label for=notify_id.clone()>{format!("Notify {names}, which entered the replaced row")}</label>
                        </div>
                    }
                })
            }}
            <FormError error=error fields=&["value", "start_date", "client_directed"] describe=file.describe() />
            <div class="actions">
                <button type="submit" class="primary" disabled=busy data-test-id="contact-save">
                    {move || if busy.get() { "Saving…" } else { "Save change" }}
                </button>
                <button type="button" class="button" on:click=move |_| open.set(false)>"Cancel"</button>
            </div>
        </form>
    }
    .into_any()
}
