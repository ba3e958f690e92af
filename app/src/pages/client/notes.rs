//! The profile notes of a client's file: anyone adds one; only its author edits or deletes
//! it, and everyone else reads why ("Only the author may edit or delete this note"). The section
//! is the pattern of the others: a `LocalResource` list in a `Transition`, one `Action` per form
//! whose `pending()` drives the busy state, and the list reloaded after each write.

use super::{record_list, use_client, ListView, SectionFrame, WithheldNote};
use crate::api::{self, last_error, FormKey};
use crate::components::{ConfirmButton, DecisionGate, Field, FormError, InputKind, RecordCard};
use crate::session::use_session;
use crate::Section;
use leptos::prelude::*;
use shared::actions::NewRecord;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints as ep;
use shared::api::records::{NoteInput, RecordDetails, RecordItem, RecordList, RecordPatch};
use shared::{can_create, can_delete, can_edit, ClientId, RecordKind};

#[component]
pub fn NotesSection() -> impl IntoView {
    let file = use_client();
    let list = record_list::<ep::ListNotes>(file);
    view! {
        <SectionFrame section=Section::Notes>
            <NewNote list=list />
            <ListView list=list what="notes" render=move |l| view! { <Notes list=l reload=list /> } />
        </SectionFrame>
    }
}

/// The note's text (from its details; the title for notes stored before details existed).
fn note_text(r: &RecordItem) -> String {
    match &r.details {
        Some(RecordDetails::Note(n)) => n.text.clone(),
        _ => r.title.clone(),
    }
}

#[component]
fn NewNote(list: LocalResource<Result<RecordList, api::ApiError>>) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let text = RwSignal::new(String::new());
    let key = StoredValue::new(FormKey::new());
    let id = file.id;
    let add = Action::new_local(move |body: &NoteInput| {
        let body = body.clone();
        let k = key.get_value();
        async move {
            let answer =
                api::submit::<ep::CreateNote>(&k, &[id.get_untracked()], &NoQuery, &body).await;
            answer
        }
    });
    Effect::new(move |_| {
        if let Some(answer) = add.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                text.set(String::new());
                list.refetch();
            }
        }
    });
    let error = last_error(add);
    let allowed = Signal::derive(move || {
        session
            .with_me(|me| {
                can_create(
                    &me.actor,
                    &NewRecord {
                        client: ClientId(id.get()),
                        kind: RecordKind::ProfileNote,
                        owner: me.actor.org,
                        security: None,
                        default_security: None,
                    },
                )
            })
            .unwrap_or_else(|| shared::Decision::deny(shared::Reason::NotCovered))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.dispatch(NoteInput {
            text: text.get_untracked(),
        });
    };
    let busy = add.pending();
    view! {
        <DecisionGate decision=allowed describe=file.describe() test_id="add-note">
            <form class="record-form" on:submit=submit data-test-id="note-form">
                <Field label="New note" name="text" value=text form="note-new" error=error
                    kind=InputKind::TextArea required=true test_id="note-text" />
                <FormError error=error fields=&["text"] describe=file.describe() />
                <div class="actions">
                    <button type="submit" class="primary" data-test-id="note-add" disabled=busy>
                        {move || if busy.get() { "Adding…" } else { "Add note" }}
                    </button>
                </div>
            </form>
        </DecisionGate>
    }
}

#[component]
fn Notes(
    list: RecordList,
    reload: LocalResource<Result<RecordList, api::ApiError>>,
) -> impl IntoView {
    let file = use_client();
    let orgs = file.orgs();
    let withheld = list.withheld_by.clone().filter(|o| !o.is_empty());
    if list.records.is_empty() {
        return view! {
            <p class="empty" data-test-id="empty">"No notes yet."</p>
            <WithheldNote orgs=withheld />
        }
        .into_any();
    }
    view! {
        <ul class="records">
            {list.records.into_iter().map(|r| view! { <Note record=r orgs=orgs.clone() reload=reload /> }).collect_view()}
        </ul>
        <WithheldNote orgs=withheld />
    }
    .into_any()
}

#[component]
fn Note(
    record: RecordItem,
    orgs: Vec<shared::api::OrgName>,
    reload: LocalResource<Result<RecordList, api::ApiError>>,
) -> impl IntoView {
    let file = use_client();
    let meta = record.meta;
    let read = file.can_read(&meta);
    let edit_decision = Signal::derive(move || {
        file.decide(|me, ctx| can_edit(&me.actor, &meta, ctx, me.today, &me.policy))
    });
    let delete_decision = Signal::derive(move || {
        file.decide(|me, ctx| can_delete(&me.actor, &meta, ctx, me.today, &me.policy))
    });
    let record_id = meta.id.0;
    let editing = RwSignal::new(false);
    let text = RwSignal::new(note_text(&record));
    let save = Action::new_local(move |body: &NoteInput| {
        let body = RecordPatch::Note(body.clone());
        async move { api::call::<ep::UpdateRecord>(&[record_id], &NoQuery, &body).await }
    });
    let delete = Action::new_local(move |_: &()| async move {
        api::call::<ep::DeleteRecord>(&[record_id], &NoQuery, &NoBody).await
    });
    Effect::new(move |_| {
        if save.value().with(|v| matches!(v, Some(Ok(_)))) {
            editing.set(false);
            reload.refetch();
        }
    });
    Effect::new(move |_| {
        if delete.value().with(|v| matches!(v, Some(Ok(_)))) {
            reload.refetch();
        }
    });
    let save_error = last_error(save);
    let delete_error = last_error(delete);
    let form_id = format!("note-{record_id}");
    let saving = save.pending();
    let deleting = delete.pending();
    let describe = file.describe();
    view! {
        <RecordCard meta=record.meta entered_by=record.entered_by title=record.title
            detail=record.detail decision=read server_reason=record.reason orgs=orgs>
            <Show when=move || editing.get()>
                <form class="record-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    save.dispatch(NoteInput { text: text.get_untracked() });
                }>
                    <Field label="Note" name="text" value=text form=form_id.clone() error=save_error
                        kind=InputKind::TextArea required=true test_id="note-edit-text" />
                    <FormError error=save_error fields=&["text"] describe=describe />
                    <div class="actions">
                        <button type="submit" class="primary" disabled=saving data-test-id="note-save">
                            {move || if saving.get() { "Saving…" } else { "Save note" }}
                        </button>
                        <button type="button" class="button" on:click=move |_| editing.set(false)>"Cancel"</button>
                    </div>
                </form>
            </Show>
            <div class="actions record-actions">
                <DecisionGate decision=edit_decision describe=describe test_id="note-edit">
                    <button type="button" class="button" data-test-id="note-edit-open"
                        on:click=move |_| editing.set(true)>"Edit"</button>
                </DecisionGate>
                <DecisionGate decision=delete_decision describe=describe test_id="note-delete">
                    <ConfirmButton label="Delete" question="Delete this note? It is kept in the history for system administrators."
                        confirm="Delete note" on_confirm=Callback::new(move |_| { delete.dispatch(()); })
                        disabled=deleting test_id="note-delete-open" danger=true />
                </DecisionGate>
            </div>
            <FormError error=delete_error describe=describe />
        </RecordCard>
    }
}
