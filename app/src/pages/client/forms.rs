//! The Forms and assessments section of a client's file (S-5): adding a form of a type with its
//! answers and a security setting (only the settings the shared rules allow this user for that
//! type are offered, starting at the type's default; the others are listed with the reason), the
//! own agency's forms' setting changed, and other agencies' forms read-only with the reason.

use super::enrollments::{parse_refusal, today_text};
use super::{record_list, use_client, ListView, SectionFrame, WithheldNote};
use crate::api::{self, last_error, ApiError, FormKey};
use crate::components::{
    ConfirmButton, DecisionGate, EnumSelect, Field, FormError, GateMode, InputKind, RecordCard,
};
use crate::session::use_session;
use crate::Section;
use leptos::prelude::*;
use shared::actions::NewRecord;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints as ep;
use shared::api::records::{
    Answers, FormDetails, NewForm, RecordDetails, RecordItem, RecordList, SecurityInput,
};
use shared::records::{check_answers, FormType};
use shared::{
    can_create, can_delete, can_edit, can_set_security, ClientId, Decision, Reason, RecordKind,
    SecuritySetting,
};

type Reload = LocalResource<Result<RecordList, ApiError>>;

fn setting_label(s: SecuritySetting) -> &'static str {
    s.label()
}

fn details(r: &RecordItem) -> Option<&FormDetails> {
    match &r.details {
        Some(RecordDetails::Form(f)) => Some(f),
        _ => None,
    }
}

/// S-5: the decision to create a form of type `t` at `setting` (the type's default applies).
fn create_decision(client: i64, t: FormType, setting: SecuritySetting) -> Decision {
    use_session()
        .with_me(|me| {
            can_create(
                &me.actor,
                &NewRecord {
                    client: ClientId(client),
                    kind: RecordKind::Form,
                    owner: me.actor.org,
                    security: Some(setting),
                    default_security: Some(me.policy.default_security_for_form(t)),
                },
            )
        })
        .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
}

#[component]
pub fn FormsSection() -> impl IntoView {
    let file = use_client();
    let list = record_list::<ep::ListForms>(file);
    view! {
        <SectionFrame section=Section::Forms>
            <NewFormForm list=list />
            <ListView list=list what="forms" render=move |l| view! { <Forms list=l reload=list /> } />
        </SectionFrame>
    }
}

/// The settings a list offers and, for the others, why not.
#[component]
fn SettingReasons(refused: Signal<Vec<(SecuritySetting, Reason)>>) -> impl IntoView {
    let file = use_client();
    let describe = file.describe();
    move || {
        // A setting no form may have at all (S-5: `SharedWithAll` is for attachments) is not
        // this user's limit: the hint names the type's default instead.
        let refused: Vec<_> = refused
            .get()
            .into_iter()
            .filter(|(_, r)| !matches!(r, Reason::SettingNotAllowed { .. }))
            .collect();
        (!refused.is_empty()).then(|| {
            view! {
                <ul class="setting-reasons" data-test-id="setting-reasons">
                    {refused.into_iter().map(|(s, r)| view! {
                        <li class="gate-reason">{format!("Not offered: {}. {}", s.label(), describe.run(r))}</li>
                    }).collect_view()}
                </ul>
            }
        })
    }
}

#[component]
fn NewFormForm(list: Reload) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let id = file.id;
    let form_type = RwSignal::new(Some(FormType::Housing));
    let setting = RwSignal::new(None::<SecuritySetting>);
    let completed = RwSignal::new(today_text());
    let summary = RwSignal::new(String::new());
    let default_of = move |t: FormType| {
        session
            .with_me_untracked(|me| me.policy.default_security_for_form(t))
            .unwrap_or(SecuritySetting::RestrictToOrganization)
    };
    Effect::new(move |_| {
        if let Some(t) = form_type.get() {
            setting.set(Some(default_of(t)));
        }
    });
    let options = Memo::new(move |_| {
        let t = form_type.get().unwrap_or(FormType::Other);
        SecuritySetting::ALL
            .into_iter()
            .map(|s| (s, create_decision(id.get(), t, s)))
            .collect::<Vec<_>>()
    });
    let offered = Signal::derive(move || {
        options.with(|o| {
            o.iter()
                .filter(|(_, d)| d.allowed)
                .map(|(s, _)| *s)
                .collect::<Vec<_>>()
        })
    });
    let refused = Signal::derive(move || {
        options.with(|o| {
            o.iter()
                .filter(|(_, d)| !d.allowed)
                .map(|(s, d)| (*s, d.reason.clone()))
                .collect::<Vec<_>>()
        })
    });
    // Any setting at all: the gate of the whole form (e.g. not a user of an agency).
    let allowed = Signal::derive(move || {
        let t = form_type.get().unwrap_or(FormType::Other);
        create_decision(id.get(), t, default_of(t))
    });
    let key = StoredValue::new(FormKey::new());
    let add = Action::new_local(move |_: &()| {
        let k = key.get_value();
        let t = form_type.get_untracked();
        let s = setting.get_untracked();
        let completed = completed.get_untracked();
        let summary = summary.get_untracked();
        async move {
            let t = t.ok_or_else(|| {
                super::enrollments::field_refusal("form_type", "choose a form type")
            })?;
            let mut answers = Answers::new();
            if let Some(d) = super::enrollments::date_value("completed", &completed)? {
                answers.insert("completed".to_owned(), d.to_string());
            }
            let summary = summary.trim().to_owned();
            if !summary.is_empty() {
                answers.insert("summary".to_owned(), summary);
            }
            check_answers(&answers).map_err(parse_refusal)?;
            let body = NewForm {
                form_type: t,
                answers,
                security: s,
            };
            api::submit::<ep::CreateForm>(&k, &[id.get_untracked()], &NoQuery, &body).await
        }
    });
    Effect::new(move |_| {
        if let Some(answer) = add.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                summary.set(String::new());
                list.refetch();
            }
        }
    });
    let error = last_error(add);
    let busy = add.pending();
    let describe = file.describe();
    view! {
        <section class="subsection" aria-labelledby="new-form-heading" data-test-id="new-form">
            <h3 id="new-form-heading">"New form or assessment"</h3>
            <DecisionGate decision=allowed describe=describe mode=GateMode::Hide test_id="add-form">
                <form class="record-form" data-test-id="form-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    add.dispatch(());
                }>
                    <div class="form-grid">
                        <EnumSelect label="Form type" name="form_type" options=FormType::ALL.to_vec()
                            label_of=FormType::label value=form_type form="form-new" error=error required=true />
                        {move || view! {
                            <EnumSelect label="Security setting" name="security" options=offered.get()
                                label_of=setting_label value=setting form="form-new" error=error
                                hint=form_type.get().map(|t| format!("Default for this type: {}.", default_of(t).label())).unwrap_or_default() />
                        }}
                        <Field label="Completed on" name="completed" value=completed form="form-new" error=error
                            kind=InputKind::Date />
                    </div>
                    <SettingReasons refused=refused />
                    <Field label="Answers (summary)" name="summary" value=summary form="form-new" error=error
                        kind=InputKind::TextArea hint="What the client answered, in short." test_id="form-summary" />
                    <FormError error=error fields=&["form_type", "security", "completed", "answers"] describe=describe />
                    <div class="actions">
                        <button type="submit" class="primary" data-test-id="form-add" disabled=busy>
                            {move || if busy.get() { "Adding…" } else { "Add form" }}
                        </button>
                    </div>
                </form>
            </DecisionGate>
        </section>
    }
}

#[component]
fn Forms(list: RecordList, reload: Reload) -> impl IntoView {
    let file = use_client();
    let orgs = file.orgs();
    let withheld = list.withheld_by.clone().filter(|o| !o.is_empty());
    let records: Vec<RecordItem> = list
        .records
        .into_iter()
        .filter(|r| !r.meta.deleted)
        .collect();
    let body = if records.is_empty() {
        view! { <p class="empty" data-test-id="empty">"No forms yet."</p> }.into_any()
    } else {
        view! {
            <ul class="records">
                {records.into_iter().map(|r| view! { <Form record=r orgs=orgs.clone() reload=reload /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <h3 class="list-heading">"Forms on file"</h3>
        {body}
        <WithheldNote orgs=withheld />
    }
}

#[component]
fn Form(record: RecordItem, orgs: Vec<shared::api::OrgName>, reload: Reload) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let meta = record.meta;
    let read = file.can_read(&meta);
    let f = details(&record).cloned();
    let form_type = f.as_ref().map(|f| f.form_type).unwrap_or(FormType::Other);
    let current = f.as_ref().map(|f| f.security).or(meta.security);
    let default = session
        .with_me_untracked(|me| me.policy.default_security_for_form(form_type))
        .unwrap_or(SecuritySetting::RestrictToOrganization);
    let edit_decision = Signal::derive(move || {
        file.decide(|me, ctx| can_edit(&me.actor, &meta, ctx, me.today, &me.policy))
    });
    let delete_decision = Signal::derive(move || {
        file.decide(|me, ctx| can_delete(&me.actor, &meta, ctx, me.today, &me.policy))
    });
    // S-5: each other setting, with the shared decision to change to it.
    let choices = Memo::new(move |_| {
        SecuritySetting::ALL
            .into_iter()
            .filter(|s| Some(*s) != current)
            .map(|s| {
                let d = file.decide(|me, ctx| {
                    can_set_security(&me.actor, &meta, s, default, ctx, me.today, &me.policy)
                });
                (s, d)
            })
            .collect::<Vec<_>>()
    });
    let offered = Signal::derive(move || {
        choices.with(|c| {
            c.iter()
                .filter(|(_, d)| d.allowed)
                .map(|(s, _)| *s)
                .collect::<Vec<_>>()
        })
    });
    let refused = Signal::derive(move || {
        choices.with(|c| {
            c.iter()
                .filter(|(_, d)| !d.allowed)
                .map(|(s, d)| (*s, d.reason.clone()))
                .collect::<Vec<_>>()
        })
    });
    // The gate of the setting control: the first allowed change, else the first refusal.
    let change_decision = Signal::derive(move || {
        choices.with(|c| {
            c.iter()
                .find(|(_, d)| d.allowed)
                .or_else(|| {
                    c.iter()
                        .find(|(_, d)| !matches!(d.reason, Reason::SettingNotAllowed { .. }))
                })
                .or_else(|| c.first())
                .map(|(_, d)| d.clone())
                .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
        })
    });
    let record_id = meta.id.0;
    let changing = RwSignal::new(false);
    let to = RwSignal::new(None::<SecuritySetting>);
    Effect::new(move |_| {
        if to.get_untracked().is_none() {
            to.set(offered.get().first().copied());
        }
    });
    let change = Action::new_local(move |_: &()| {
        let s = to.get_untracked();
        async move {
            let s =
                s.ok_or_else(|| super::enrollments::field_refusal("security", "choose a setting"))?;
            api::call::<ep::SetRecordSecurity>(
                &[record_id],
                &NoQuery,
                &SecurityInput { security: s },
            )
            .await
        }
    });
    let delete = Action::new_local(move |_: &()| async move {
        api::call::<ep::DeleteRecord>(&[record_id], &NoQuery, &NoBody).await
    });
    Effect::new(move |_| {
        if change.value().with(|v| matches!(v, Some(Ok(_)))) {
            changing.set(false);
            reload.refetch();
        }
    });
    Effect::new(move |_| {
        if delete.value().with(|v| matches!(v, Some(Ok(_)))) {
            reload.refetch();
        }
    });
    let change_error = last_error(change);
    let delete_error = last_error(delete);
    let busy = change.pending();
    let deleting = delete.pending();
    let describe = file.describe();
    let answers = f.as_ref().map(|f| {
        f.answers
            .iter()
            .map(|(k, v)| view! { <dt>{answer_label(k)}</dt><dd>{v.clone()}</dd> })
            .collect_view()
    });
    let form_id = format!("form-{record_id}");
    view! {
        <RecordCard meta=record.meta entered_by=record.entered_by title=form_type.label() detail=record.detail
            decision=read server_reason=record.reason orgs=orgs>
            {answers.map(|a| view! { <dl class="facts answers">{a}</dl> })}
            <Show when=move || changing.get()>
                <form class="record-form" data-test-id="security-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    change.dispatch(());
                }>
                    <EnumSelect label="New security setting" name="security" options=offered.get()
                        label_of=setting_label value=to form=form_id.clone() error=change_error required=true />
                    <SettingReasons refused=refused />
                    <FormError error=change_error fields=&["security"] describe=describe />
                    <div class="actions">
                        <button type="submit" class="primary" disabled=busy data-test-id="security-save">
                            {move || if busy.get() { "Saving…" } else { "Change setting" }}
                        </button>
                        <button type="button" class="button" on:click=move |_| changing.set(false)>"Cancel"</button>
                    </div>
                </form>
            </Show>
            <DecisionGate decision=edit_decision describe=describe mode=GateMode::Hide test_id="form-edit">
                <div class="actions record-actions">
                    <DecisionGate decision=change_decision describe=describe test_id="form-security">
                        <Show when=move || !changing.get()>
                            <button type="button" class="button" data-test-id="security-open"
                                on:click=move |_| changing.set(true)>"Change security setting"</button>
                        </Show>
                    </DecisionGate>
                    <DecisionGate decision=delete_decision describe=describe test_id="form-delete">
                        <ConfirmButton label="Delete" question="Delete this form? It is kept in the history for system administrators."
                            confirm="Delete form" on_confirm=Callback::new(move |_| { delete.dispatch(()); })
                            disabled=deleting test_id="form-delete-open" danger=true />
                    </DecisionGate>
                </div>
            </DecisionGate>
            <FormError error=delete_error describe=describe />
        </RecordCard>
    }
}

fn answer_label(key: &str) -> String {
    match key {
        "completed" => "Completed on".to_owned(),
        "summary" => "Summary".to_owned(),
        other => crate::api::plain_words(&other.replace('_', " "), None),
    }
}
