//! The Attachments section of a client's file: the head-of-household checklist (what is on
//! file, what is missing), uploading a PDF, JPEG or PNG with its document type and security
//! setting, downloading, and the uploader's replace and delete. A Social Security card is refused
//! before anything is sent, with R-9's alternative in the shared rule's words and a way to take it
//! (a "copy on file" notice, or a note).

use super::{record_list, use_client, ListView, SectionFrame, WithheldNote};
use crate::api::{self, last_error, ApiError, FormKey};
use crate::components::{ConfirmButton, DecisionGate, EnumSelect, FormError, GateMode, RecordCard};
use crate::session::use_session;
use crate::{Page, Section};
use leptos::html;
use leptos::prelude::*;
use shared::actions::{can_upload, Upload};
use shared::api::endpoint::{Endpoint, NoBody, NoQuery};
use shared::api::endpoints::{self as ep, AttachmentQuery};
use shared::api::records::{AttachmentDetails, RecordDetails, RecordItem, RecordList};
use shared::api::ErrorBody;
use shared::records::{AttachmentTarget, DocumentType};
use shared::{can_delete, can_edit, ClientId, Decision, Reason, SecuritySetting};

type Reload = LocalResource<Result<RecordList, ApiError>>;
type Checklist = LocalResource<Result<shared::api::records::Checklist, ApiError>>;

fn details(r: &RecordItem) -> Option<&AttachmentDetails> {
    match &r.details {
        Some(RecordDetails::Attachment(a)) => Some(a),
        _ => None,
    }
}

fn doc_label(d: DocumentType) -> &'static str {
    d.label()
}

fn setting_label(s: SecuritySetting) -> &'static str {
    s.label()
}

/// A refusal decided in the browser, shown as the server would answer it (naming `field`).
fn refusal(field: &str, reason: Reason, describe: Callback<Reason, String>) -> ApiError {
    ApiError::Failed(ErrorBody {
        error: describe.run(reason.clone()),
        field: Some(field.to_owned()),
        reason: Some(reason),
    })
}

/// The file chosen in a file input.
fn chosen_file(input: NodeRef<html::Input>) -> Option<web_sys::File> {
    input.get_untracked()?.files()?.get(0)
}

/// R-9 / S-5: may the signed-in user upload this document type at this setting?
fn upload_decision(client: i64, doc: DocumentType, setting: SecuritySetting) -> Decision {
    use_session()
        .with_me(|me| {
            can_upload(
                &me.actor,
                &Upload {
                    client: ClientId(client),
                    document_type: doc,
                    target: AttachmentTarget::ClientProfile,
                    service_owner: None,
                    setting,
                },
                &me.policy,
            )
        })
        .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
}

/// Sends `file` as a new attachment of `client`.
async fn send(
    key: &FormKey,
    client: i64,
    doc: DocumentType,
    setting: SecuritySetting,
    file: web_sys::File,
) -> Result<RecordItem, ApiError> {
    let query = AttachmentQuery {
        document_type: doc.as_str().to_owned(),
        file_name: file.name(),
        security: Some(setting.as_str().to_owned()),
        service_id: None,
    };
    api::upload::<ep::UploadAttachment>(Some(key), &[client], &query, file).await
}

#[component]
pub fn AttachmentsSection() -> impl IntoView {
    let file = use_client();
    let list = record_list::<ep::ListAttachments>(file);
    let checklist: Checklist = LocalResource::new(move || {
        let id = file.id.get();
        async move { api::checklist(id).await }
    });
    view! {
        <SectionFrame section=Section::Attachments>
            <HouseholdDocuments checklist=checklist />
            <UploadForm list=list checklist=checklist />
            <ListView list=list what="attachments" render=move |l| view! {
                <Attachments list=l reload=list checklist=checklist />
            } />
        </SectionFrame>
    }
}

/// the documents recommended for a head of household, on file or missing.
#[component]
fn HouseholdDocuments(checklist: Checklist) -> impl IntoView {
    move || {
        checklist.with(|c| match c {
            Some(Ok(c)) if c.head_of_household => {
                let items = c
                    .documents
                    .iter()
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
                                {d.reminder.clone().map(|r| view! { <span class="check-reminder">{r}</span> })}
                            </li>
                        }
                    })
                    .collect_view();
                Some(view! {
                    <section class="subsection" aria-labelledby="hoh-docs-heading" data-test-id="attachment-checklist">
                        <h3 id="hoh-docs-heading">"Head of household documents"</h3>
                        <ul class="checklist">{items}</ul>
                    </section>
                })
            }
            _ => None,
        })
    }
}

#[component]
fn UploadForm(list: Reload, checklist: Checklist) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let id = file.id;
    let describe = file.describe();
    let doc = RwSignal::new(None::<DocumentType>);
    let policy_default = move |d: DocumentType| {
        session
            .with_me_untracked(|me| me.policy.default_security_for_document(d))
            .unwrap_or(SecuritySetting::ShareWithRoiMou)
    };
    let setting = RwSignal::new(None::<SecuritySetting>);
    // A new document type starts at its default setting (S-5).
    Effect::new(move |_| {
        if let Some(d) = doc.get() {
            setting.set(Some(policy_default(d)));
        }
    });
    let chosen_setting = move || {
        setting
            .get()
            .or_else(|| doc.get().map(policy_default))
            .unwrap_or(SecuritySetting::ShareWithRoiMou)
    };
    // the type alone decides first (a Social Security card is never uploaded).
    let doc_decision = Signal::derive(move || match doc.get() {
        Some(d) => upload_decision(id.get(), d, chosen_setting()),
        None => Decision::allow(Reason::YourAgency),
    });
    // The settings the rules allow this user for the chosen type.
    let settings = Memo::new(move |_| {
        let d = doc.get().unwrap_or(DocumentType::Other);
        SecuritySetting::ALL
            .into_iter()
            .filter(|s| {
                d == DocumentType::SocialSecurityCard || upload_decision(id.get(), d, *s).allowed
            })
            .collect::<Vec<_>>()
    });
    let input = NodeRef::<html::Input>::new();
    let file_name = RwSignal::new(String::new());
    let key = StoredValue::new(FormKey::new());
    let add = Action::new_local(move |_: &()| {
        let k = key.get_value();
        let d = doc.get_untracked();
        let s = setting.get_untracked();
        let picked = chosen_file(input);
        let client = id.get_untracked();
        async move {
            let d = d.ok_or_else(|| {
                super::enrollments::field_refusal("document_type", "choose a document type")
            })?;
            let s = s.unwrap_or(SecuritySetting::ShareWithRoiMou);
            let decision = upload_decision(client, d, s);
            if !decision.allowed {
                return Err(refusal("document_type", decision.reason, describe));
            }
            let f =
                picked.ok_or_else(|| super::enrollments::field_refusal("file", "choose a file"))?;
            send(&k, client, d, s, f).await
        }
    });
    Effect::new(move |_| {
        if let Some(answer) = add.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                if let Some(i) = input.get_untracked() {
                    i.set_value("");
                }
                file_name.set(String::new());
                list.refetch();
                checklist.refetch();
            }
        }
    });
    let error = last_error(add);
    let busy = add.pending();
    let file_error = Memo::new(move |_| error.with(|e| crate::components::field_error(e, "file")));
    let notes_page = StoredValue::new(Page::Client(id.get_untracked(), Section::Notes).path());
    let ssn = move || doc.get() == Some(DocumentType::SocialSecurityCard);
    view! {
        <section class="subsection" aria-labelledby="upload-heading" data-test-id="upload">
            <h3 id="upload-heading">"Upload a document"</h3>
            <form class="record-form" data-test-id="upload-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                add.dispatch(());
            }>
                <div class="form-grid">
                    <EnumSelect label="Document type" name="document_type" options=DocumentType::ALL.to_vec()
                        label_of=doc_label value=doc form="upload" error=error required=true placeholder=true />
                    <Show when=move || doc.get().is_some() && !ssn()>
                        <EnumSelect label="Security setting" name="security" options=settings.get()
                            label_of=setting_label value=setting form="upload" error=error
                            hint="Starts at the document type's default." />
                    </Show>
                </div>
                // refused before anything is sent, with the alternative.
                <Show when=move || !doc_decision.get().allowed>
                    <div class="refusal" role="alert" data-test-id="upload-refused">
                        <p>{move || describe.run(doc_decision.get().reason)}</p>
                        <Show when=ssn>
                            <div class="actions">
                                <button type="button" class="button" data-test-id="use-copy-on-file"
                                    on:click=move |_| doc.set(Some(DocumentType::SsnCopyOnFileNotice))>
                                    {format!("Upload a “{}” instead", DocumentType::SsnCopyOnFileNotice.label())}
                                </button>
                                <a class="button" href=notes_page.get_value() data-test-id="add-note-instead">"Add a note instead"</a>
                            </div>
                        </Show>
                    </div>
                </Show>
                <Show when=move || doc_decision.get().allowed>
                    <div class="field" class:field-invalid=move || file_error.with(Option::is_some)>
                        <label for="upload-file">"File"<span class="required" aria-hidden="true">" *"</span></label>
                        <p class="hint" id="upload-file-hint">"A PDF, JPEG or PNG, at most 10 MB."</p>
                        <input type="file" id="upload-file" name="file" node_ref=input data-test-id="upload-file"
                            accept="application/pdf,image/jpeg,image/png" aria-describedby="upload-file-hint"
                            on:change=move |_| file_name.set(chosen_file(input).map(|f| f.name()).unwrap_or_default()) />
                        {move || file_error.get().map(|m| view! { <p class="field-error" data-test-id="field-error">{m}</p> })}
                    </div>
                    <FormError error=error fields=&["document_type", "security", "file", "file_name"] describe=describe />
                    <div class="actions">
                        <button type="submit" class="primary" data-test-id="upload-submit" disabled=busy>
                            {move || if busy.get() { "Uploading…" } else { "Upload" }}
                        </button>
                    </div>
                </Show>
            </form>
        </section>
    }
}

#[component]
fn Attachments(list: RecordList, reload: Reload, checklist: Checklist) -> impl IntoView {
    let file = use_client();
    let orgs = file.orgs();
    let withheld = list.withheld_by.clone().filter(|o| !o.is_empty());
    let records: Vec<RecordItem> = list
        .records
        .into_iter()
        .filter(|r| !r.meta.deleted)
        .collect();
    let body = if records.is_empty() {
        view! { <p class="empty" data-test-id="empty">"No attachments yet."</p> }.into_any()
    } else {
        view! {
            <ul class="records">
                {records.into_iter().map(|r| view! { <Attachment record=r orgs=orgs.clone() reload=reload checklist=checklist /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <h3 class="list-heading">"On file"</h3>
        {body}
        <WithheldNote orgs=withheld />
    }
}

#[component]
fn Attachment(
    record: RecordItem,
    orgs: Vec<shared::api::OrgName>,
    reload: Reload,
    checklist: Checklist,
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
    let a = details(&record).cloned();
    let record_id = meta.id.0;
    let href = format!("/api/v1{}", ep::GetRecordFile::path(&[record_id]));
    let download_name = a.as_ref().map(|a| a.file_name.clone()).unwrap_or_default();
    let describe = file.describe();
    let replacing = RwSignal::new(false);
    let input = NodeRef::<html::Input>::new();
    let key = StoredValue::new(FormKey::new());
    let doc = a.as_ref().map(|a| a.document_type);
    let setting = a.as_ref().map(|a| a.security);
    let client = file.id;
    // Replacing: the new file is uploaded as the same document at the same setting, then the old
    // one is deleted (kept in the history, P-3).
    let replace = Action::new_local(move |_: &()| {
        let k = key.get_value();
        let picked = chosen_file(input);
        let c = client.get_untracked();
        async move {
            let f =
                picked.ok_or_else(|| super::enrollments::field_refusal("file", "choose a file"))?;
            let (Some(d), Some(s)) = (doc, setting) else {
                return Err(super::enrollments::field_refusal(
                    "file",
                    "this attachment cannot be replaced",
                ));
            };
            let new = send(&k, c, d, s, f).await?;
            api::call::<ep::DeleteRecord>(&[record_id], &NoQuery, &NoBody).await?;
            Ok(new)
        }
    });
    let delete = Action::new_local(move |_: &()| async move {
        api::call::<ep::DeleteRecord>(&[record_id], &NoQuery, &NoBody).await
    });
    Effect::new(move |_| {
        if let Some(answer) = replace.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                replacing.set(false);
                reload.refetch();
                checklist.refetch();
            }
        }
    });
    Effect::new(move |_| {
        if delete.value().with(|v| matches!(v, Some(Ok(_)))) {
            reload.refetch();
            checklist.refetch();
        }
    });
    let replace_error = last_error(replace);
    let delete_error = last_error(delete);
    let file_error =
        Memo::new(move |_| replace_error.with(|e| crate::components::field_error(e, "file")));
    let replacing_busy = replace.pending();
    let deleting = delete.pending();
    let input_id = format!("replace-{record_id}-file");
    let input_id2 = input_id.clone();
    let title = a
        .as_ref()
        .map(|a| a.document_type.label().to_owned())
        .unwrap_or(record.title.clone());
    let detail = a
        .as_ref()
        .map(|a| format!("{} · {}", a.file_name, size_text(a.size_bytes)))
        .unwrap_or(record.detail.clone());
    view! {
        <RecordCard meta=record.meta entered_by=record.entered_by title=title detail=detail
            decision=read server_reason=record.reason orgs=orgs>
            <Show when=move || replacing.get()>
                <form class="record-form" data-test-id="replace-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    replace.dispatch(());
                }>
                    <div class="field" class:field-invalid=move || file_error.with(Option::is_some)>
                        <label for=input_id.clone()>"New file"</label>
                        <input type="file" id=input_id2.clone() node_ref=input accept="application/pdf,image/jpeg,image/png"
                            data-test-id="replace-file" />
                        {move || file_error.get().map(|m| view! { <p class="field-error" data-test-id="field-error">{m}</p> })}
                    </div>
                    <FormError error=replace_error fields=&["file"] describe=describe />
                    <div class="actions">
                        <button type="submit" class="primary" disabled=replacing_busy data-test-id="replace-save">
                            {move || if replacing_busy.get() { "Replacing…" } else { "Replace file" }}
                        </button>
                        <button type="button" class="button" on:click=move |_| replacing.set(false)>"Cancel"</button>
                    </div>
                </form>
            </Show>
            <div class="actions record-actions">
                <a class="button" href=href download=download_name data-test-id="attachment-download">"Download"</a>
                <DecisionGate decision=edit_decision describe=describe mode=GateMode::Hide test_id="attachment-edit">
                    <Show when=move || !replacing.get()>
                        <button type="button" class="button" data-test-id="attachment-replace-open"
                            on:click=move |_| replacing.set(true)>"Replace"</button>
                    </Show>
                    <DecisionGate decision=delete_decision describe=describe test_id="attachment-delete">
                        <ConfirmButton label="Delete" question="Delete this attachment? It is kept in the history for system administrators."
                            confirm="Delete attachment" on_confirm=Callback::new(move |_| { delete.dispatch(()); })
                            disabled=deleting test_id="attachment-delete-open" danger=true />
                    </DecisionGate>
                </DecisionGate>
            </div>
            <FormError error=delete_error describe=describe />
        </RecordCard>
    }
}

fn size_text(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        format!("{}.{} MB", bytes / MB, bytes % MB * 10 / MB)
    } else if bytes >= 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{bytes} bytes")
    }
}
