//! `/admin/mous` and `/admin/mous/:id`: the MOU editor (S-4, S-6), for SystemAdmins. The list
//! with each MOU's state (`shared::actions::mou_status`, as the server reports it); creating one;
//! an MOU's page with each organization's head's signature, the signed document, the checklist
//! of what is still missing, the impact preview (`GET /mous/{id}/impact`) shown before the step
//! that completes it and before an early termination. Every control is gated by the shared
//! decisions (`can_create_mou`, `can_sign_mou`, `can_attach_mou_document`,
//! `can_read_mou_document`, `can_change_mou`, `can_preview_mou_impact`) and says why it is
//! refused; the server decides again.

use crate::api::{self, last_error, ApiError, FormKey};
use crate::components::{
    DateInput, DecisionGate, ErrorView, Field, FormError, Loading, RouteHeading,
};
use crate::routes::seg;
use crate::session::use_session;
use crate::Page;
use chrono::NaiveDate;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::actions::{can_preview_mou_impact, MouStatus};
use shared::api::accounts::Organization;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints::{self as ep, MouImpactQuery};
use shared::api::releases::{
    MouImpactView, MouView, NewMouRequest, SignatureRequest, TerminateRequest,
};
use shared::api::{Endpoint, ErrorBody};
use shared::impact::MouChange;
use shared::model::MouParty;
use shared::{
    can_attach_mou_document, can_change_mou, can_create_mou, can_read_mou_document, can_sign_mou,
    Decision, Mou, OrgId, Reason,
};
use wasm_bindgen::JsCast;

type MouRes = LocalResource<Result<MouView, ApiError>>;

/// The shared decision for the signed-in actor, or a refusal while the session loads.
fn decide(f: impl Fn(&shared::api::SessionInfo) -> Decision) -> Decision {
    use_session()
        .with_me(f)
        .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
}

/// What a user who is not a SystemAdmin sees at these addresses: what the page is for, and why
/// not for them (the link is not shown to them at all).
#[component]
fn ForSystemAdmins(decision: Decision) -> impl IntoView {
    view! {
        <section class="card">
            <RouteHeading text="MOUs" />
            <p data-test-id="mous-refused" data-reason=decision.reason.code()>
                "This page is for the CoC's system administrators: they create, sign and end the \
                 MOUs that let agencies read each other's shared records. "
                {format!("{}.", api::describe_plain(&decision.reason))}
            </p>
            <a href=Page::Home.path()>"Go to your home page"</a>
        </section>
    }
}

/// The MOU as the shared decisions take it (the document's reference is not sent: only whether
/// one is attached matters to them).
fn as_mou(v: &MouView) -> Mou {
    Mou {
        id: v.id,
        name: v.name.clone(),
        parties: v
            .parties
            .iter()
            .map(|p| MouParty {
                org: p.org,
                signature: p.signature.clone(),
            })
            .collect(),
        document: v.has_document.then(String::new),
        start: v.start,
        end: v.end,
        terminated: v.terminated.clone(),
    }
}

/// The state's words, its code (for tests) and its badge class.
fn state(s: &MouStatus) -> (String, &'static str, &'static str) {
    match s {
        MouStatus::Incomplete { .. } => (
            "Draft: incomplete".into(),
            "incomplete",
            "badge badge-admin",
        ),
        MouStatus::NotStarted => ("Not started".into(), "not_started", "badge badge-release"),
        MouStatus::Active => ("Active".into(), "active", "badge badge-open"),
        MouStatus::Expired => ("Expired".into(), "expired", "badge badge-community"),
        MouStatus::Terminated { on } => (
            format!("Terminated from {on}"),
            "terminated",
            "badge badge-restricted",
        ),
    }
}

fn parties(v: &MouView) -> String {
    v.parties
        .iter()
        .map(|p| p.org_name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reasons in words, with the MOU's organizations named.
fn describer(v: &MouView) -> Callback<Reason, String> {
    let names: Vec<(OrgId, String)> = v
        .parties
        .iter()
        .map(|p| (p.org, p.org_name.clone()))
        .collect();
    Callback::new(move |r: Reason| {
        r.describe(&|o| {
            names
                .iter()
                .find(|(id, _)| *id == o)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| format!("agency #{}", o.0))
        })
    })
}

fn refusal(field: &str, message: &str) -> ApiError {
    ApiError::Failed(ErrorBody {
        error: message.to_owned(),
        field: Some(field.to_owned()),
        reason: None,
    })
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

// ---- /admin/mous ----

#[component]
pub fn MousPage() -> impl IntoView {
    let allowed = decide(|me| can_create_mou(&me.actor));
    if !allowed.allowed {
        return view! { <ForSystemAdmins decision=allowed /> }.into_any();
    }
    let list =
        LocalResource::new(|| async { api::call::<ep::ListMous>(&[], &NoQuery, &NoBody).await });
    view! {
        <section class="card">
            <RouteHeading text="MOUs" />
            <p class="section-intro">
                "A memorandum of understanding lets the agencies it names read each other's records \
                 shared by ROI or MOU, for every client, once every agency's head has signed it and \
                 the signed document is attached, from its start date to its end date."
            </p>
            <Transition fallback=|| view! { <Loading what="the MOUs" /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! { <MouTable list=list /> }.into_any(),
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <NewMou />
    }
    .into_any()
}

#[component]
fn MouTable(list: Vec<MouView>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty" data-test-id="empty">"No MOU yet."</p> }.into_any();
    }
    view! {
        <ul class="mous" data-test-id="mou-list">
            {list.into_iter().map(|m| {
                let (words, code, class) = state(&m.status);
                view! {
                    <li class="mou-item" data-test-id="mou-row" data-status=code>
                        <div class="record-head">
                            <a href=Page::Mou(m.id.0).path() class="mou-name" data-test-id="mou-link">{m.name.clone()}</a>
                            <span class=class data-test-id="mou-state">{words}</span>
                        </div>
                        <p class="record-detail">{parties(&m)}</p>
                        <p class="record-owner">{format!("From {} until {} (inclusive)", m.start, m.end)}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Creating an MOU: its name, two or more organizations, its dates. It is created unsigned.
#[component]
fn NewMou() -> impl IntoView {
    let session = use_session();
    let today = session.with_me_untracked(|me| me.today);
    let orgs: LocalResource<Result<Vec<Organization>, ApiError>> = LocalResource::new(|| async {
        api::call::<ep::ListOrganizations>(&[], &NoQuery, &NoBody).await
    });
    let name = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<OrgId>::new());
    let start = RwSignal::new(today.map(|d| d.to_string()).unwrap_or_default());
    let end = RwSignal::new(
        today
            .map(|d| (d + chrono::Duration::days(365)).to_string())
            .unwrap_or_default(),
    );
    let key = StoredValue::new(FormKey::new());
    let create = Action::new_local(move |body: &NewMouRequest| {
        let body = body.clone();
        let k = key.get_value();
        async move { api::submit::<ep::CreateMou>(&k, &[], &NoQuery, &body).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(answer) = create.value().get() {
            key.update_value(FormKey::renew);
            if let Ok(m) = answer {
                navigate(&Page::Mou(m.id.0).path(), Default::default());
            }
        }
    });
    let local = RwSignal::new(None::<ApiError>);
    let server = last_error(create);
    let error = Signal::derive(move || local.get().or_else(|| server.get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(s), Some(e)) = (
            parse_date(&start.get_untracked()),
            parse_date(&end.get_untracked()),
        ) else {
            let field = if parse_date(&start.get_untracked()).is_none() {
                "start"
            } else {
                "end"
            };
            local.set(Some(refusal(field, "must be a date")));
            return;
        };
        local.set(None);
        create.dispatch(NewMouRequest {
            name: name.get_untracked(),
            organizations: chosen.get_untracked(),
            start: s,
            end: e,
        });
    };
    let orgs_error =
        Memo::new(move |_| error.with(|e| crate::components::field_error(e, "organizations")));
    let allowed = Signal::derive(move || decide(|me| can_create_mou(&me.actor)));
    let busy = create.pending();
    view! {
        <section class="card" aria-labelledby="new-mou-heading">
            <h2 id="new-mou-heading">"New MOU"</h2>
            <form class="record-form" on:submit=submit data-test-id="mou-form" novalidate>
                <Field label="Name" name="name" value=name form="mou-new" error=error required=true
                    test_id="mou-name" />
                <fieldset class="choices" aria-describedby=move || orgs_error.with(Option::is_some).then_some("mou-new-organizations-error")>
                    <legend>"Organizations"<span class="required" aria-hidden="true">" *"</span></legend>
                    <p class="hint">"Two or more. Each one's head signs it."</p>
                    <Transition fallback=|| view! { <Loading what="the agencies" /> }>
                        {move || Suspend::new(async move {
                            match orgs.await {
                                Ok(list) => list.into_iter().filter(|o| !o.disabled).map(|o| {
                                    let org = o.id;
                                    let input_id = format!("mou-new-org-{}", org.0);
                                    view! {
                                        <div class="choice">
                                            <input type="checkbox" id=input_id.clone() data-test-id="mou-org"
                                                data-org-id=org.0.to_string()
                                                prop:checked=move || chosen.with(|c| c.contains(&org))
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    chosen.update(|c| {
                                                        c.retain(|x| *x != org);
                                                        if on { c.push(org); }
                                                    });
                                                } />
                                            <label for=input_id>{o.name.clone()}</label>
                                        </div>
                                    }
                                }).collect_view().into_any(),
                                Err(e) => view! { <ErrorView error=e /> }.into_any(),
                            }
                        })}
                    </Transition>
                    {move || orgs_error.get().map(|m| view! {
                        <p class="field-error" id="mou-new-organizations-error" data-test-id="field-error">{m}</p>
                    })}
                </fieldset>
                <div class="roi-dates">
                    <DateInput label="Start date" name="start" value=start form="mou-new" error=error required=true />
                    <DateInput label="End date" name="end" value=end form="mou-new" error=error required=true
                        hint="Inclusive." />
                </div>
                <FormError error=error fields=&["name", "organizations", "start", "end"] />
                <DecisionGate decision=allowed describe=Callback::new(|r: Reason| api::describe_plain(&r)) test_id="mou-create">
                    <div class="actions">
                        <button type="submit" class="primary" data-test-id="mou-submit" disabled=busy>
                            {move || if busy.get() { "Creating…" } else { "Create MOU" }}
                        </button>
                    </div>
                </DecisionGate>
            </form>
        </section>
    }
}

// ---- /admin/mous/:id ----

#[component]
pub fn MouPage() -> impl IntoView {
    let allowed = decide(|me| can_create_mou(&me.actor));
    if !allowed.allowed {
        return view! { <ForSystemAdmins decision=allowed /> }.into_any();
    }
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| {
            p.get(seg::ID)
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(0)
        })
    });
    let mou: MouRes = LocalResource::new(move || {
        let id = id.get();
        async move { api::call::<ep::GetMou>(&[id], &NoQuery, &NoBody).await }
    });
    view! {
        <p class="back"><a href=Page::Mous.path()>"All MOUs"</a></p>
        <Transition fallback=|| view! { <Loading what="the MOU" /> }>
            {move || Suspend::new(async move {
                match mou.await {
                    Ok(v) => view! { <MouDetail view=v mou=mou /> }.into_any(),
                    Err(e) => view! {
                        <section class="card"><RouteHeading text="MOU" /><ErrorView error=e /></section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

/// How many steps are still missing, and so whether the next one completes it.
fn missing_steps(s: &MouStatus) -> usize {
    match s {
        MouStatus::Incomplete {
            missing_signatures,
            missing_document,
        } => missing_signatures.len() + usize::from(*missing_document),
        _ => 0,
    }
}

#[component]
fn MouDetail(view: MouView, mou: MouRes) -> impl IntoView {
    let session = use_session();
    let today = session
        .with_me_untracked(|me| me.today)
        .unwrap_or(view.start);
    let (words, code, class) = state(&view.status);
    let describe = describer(&view);
    let id = view.id.0;
    let model = as_mou(&view);
    let becomes_active = today.max(view.start);
    let last_step = missing_steps(&view.status) == 1;
    let completes = last_step.then_some(becomes_active);
    let incomplete = matches!(view.status, MouStatus::Incomplete { .. });
    let preview_activation = matches!(
        view.status,
        MouStatus::Incomplete { .. } | MouStatus::NotStarted
    );
    let m = model.clone();
    let change = Signal::derive(move || decide(|me| can_change_mou(&me.actor, &m, me.today)));
    let checklist = match &view.status {
        MouStatus::Incomplete {
            missing_signatures,
            missing_document,
        } => {
            let mut items: Vec<String> = view
                .parties
                .iter()
                .filter(|p| missing_signatures.contains(&p.org))
                .map(|p| format!("The signature of {}'s head", p.org_name))
                .collect();
            if *missing_document {
                items.push("The signed document".to_owned());
            }
            Some(items)
        }
        _ => None,
    };
    view! {
        <section class="card">
            <RouteHeading text=view.name.clone() test_id="mou-heading" />
            <p><span class=class data-test-id="mou-status" data-status=code>{words}</span></p>
            <dl class="facts">
                <dt>"Organizations"</dt><dd data-test-id="mou-parties">{parties(&view)}</dd>
                <dt>"From"</dt><dd>{view.start.to_string()}</dd>
                <dt>"Until"</dt><dd>{format!("{} (inclusive)", view.end)}</dd>
            </dl>
            <p class="hint">
                "An MOU becomes active by itself once every organization's head has signed it and the \
                 signed document is attached, from its start date to its end date: there is no separate \
                 activation step."
            </p>
            {checklist.map(|items| view! {
                <div class="mou-checklist">
                    <h2 id="checklist-heading">"Still missing before it becomes active"</h2>
                    <ul aria-labelledby="checklist-heading" data-test-id="mou-checklist">
                        {items.into_iter().map(|i| view! { <li data-test-id="mou-missing">{i}</li> }).collect_view()}
                    </ul>
                    {completes.map(|d| view! {
                        <p class="mou-completes" data-test-id="mou-completes">
                            {format!("The next step completes the MOU: it becomes active on {d}.")}
                        </p>
                    })}
                </div>
            })}
        </section>
        <Show when=move || preview_activation>
            <ImpactPreview mou=id change=MouChange::Activate on=Signal::derive(|| None) />
        </Show>
        <section class="card" aria-labelledby="signatures-heading">
            <h2 id="signatures-heading">"Signatures"</h2>
            <ul class="mou-parties">
                {view.parties.clone().into_iter().map(|p| {
                    let org = p.org;
                    let m = model.clone();
                    let sign = Signal::derive(move || decide(|me| can_sign_mou(&me.actor, &m, org, me.today)));
                    match &p.signature {
                        Some(s) => view! {
                            <li class="mou-party" data-test-id="mou-party" data-org-id=org.0.to_string() data-signed="true">
                                <h3>{p.org_name.clone()}</h3>
                                <p data-test-id="mou-signature">{format!("Signed by {}, {}, on {}", s.name, s.title, s.date)}</p>
                            </li>
                        }.into_any(),
                        None => view! {
                            <li class="mou-party" data-test-id="mou-party" data-org-id=org.0.to_string() data-signed="false">
                                <h3>{p.org_name.clone()}</h3>
                                <DecisionGate decision=sign describe=describe test_id="mou-sign">
                                    <SignForm mou=id org=org org_name=p.org_name.clone() completes=completes today=today res=mou />
                                </DecisionGate>
                            </li>
                        }.into_any(),
                    }
                }).collect_view()}
            </ul>
        </section>
        <DocumentSection view=view.clone() model=model.clone() completes=completes res=mou describe=describe />
        <Show when=move || !incomplete>
            <DecisionGate decision=change describe=describe test_id="mou-terminate" mode=crate::components::GateMode::Hide action="Ending early">
                <Terminate mou=id today=today res=mou />
            </DecisionGate>
        </Show>
    }
}

/// One organization's head's signature: name, title, date (default today).
#[component]
fn SignForm(
    mou: i64,
    org: OrgId,
    org_name: String,
    completes: Option<NaiveDate>,
    today: NaiveDate,
    res: MouRes,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let date = RwSignal::new(today.to_string());
    let sign = Action::new_local(move |body: &SignatureRequest| {
        let body = body.clone();
        async move { api::call::<ep::SignMou>(&[mou], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if sign.value().with(|v| matches!(v, Some(Ok(_)))) {
            res.refetch();
        }
    });
    let local = RwSignal::new(None::<ApiError>);
    let server = last_error(sign);
    let error = Signal::derive(move || local.get().or_else(|| server.get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(d) = parse_date(&date.get_untracked()) else {
            local.set(Some(refusal("date", "must be a date")));
            return;
        };
        local.set(None);
        sign.dispatch(SignatureRequest {
            org,
            name: name.get_untracked(),
            title: title.get_untracked(),
            date: d,
        });
    };
    let form = format!("sign-{}", org.0);
    let busy = sign.pending();
    view! {
        <form class="record-form" on:submit=submit data-test-id="mou-sign-form" novalidate>
            <p class="hint">{format!("Record the signature of {org_name}'s head, as on the signed document.")}</p>
            <Field label="Name" name="name" value=name form=form.clone() error=error required=true test_id="sign-name" />
            <Field label="Title" name="title" value=title form=form.clone() error=error required=true test_id="sign-title" />
            <DateInput label="Date signed" name="date" value=date form=form error=error required=true />
            {completes.map(|d| view! {
                <p class="mou-completes" data-test-id="sign-completes">
                    {format!("Signing this completes the MOU: it becomes active on {d}. See above what each agency will newly read.")}
                </p>
            })}
            <FormError error=error fields=&["name", "title", "date"] />
            <div class="actions">
                <button type="submit" class="primary" data-test-id="sign-submit" disabled=busy>
                    {move || if busy.get() { "Recording…" } else { "Record signature" }}
                </button>
            </div>
        </form>
    }
}

/// The signed document: download once attached, else upload (once).
#[component]
fn DocumentSection(
    view: MouView,
    model: Mou,
    completes: Option<NaiveDate>,
    res: MouRes,
    describe: Callback<Reason, String>,
) -> impl IntoView {
    let id = view.id.0;
    let m = model.clone();
    let read = Signal::derive(move || decide(|me| can_read_mou_document(&me.actor, &m)));
    let attach =
        Signal::derive(move || decide(|me| can_attach_mou_document(&me.actor, &model, me.today)));
    let chosen = RwSignal::new_local(None::<web_sys::File>);
    let key = StoredValue::new(FormKey::new());
    let upload = Action::new_local(move |f: &web_sys::File| {
        let f = f.clone();
        let k = key.get_value();
        async move { api::upload::<ep::UploadMouDocument>(Some(&k), &[id], &NoQuery, f).await }
    });
    Effect::new(move |_| {
        if let Some(answer) = upload.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                res.refetch();
            }
        }
    });
    let error = last_error(upload);
    let busy = upload.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(f) = chosen.get_untracked() {
            upload.dispatch(f);
        }
    };
    let download = format!("/api/v1{}", ep::GetMouDocument::path(&[id]));
    view! {
        <section class="card" aria-labelledby="document-heading">
            <h2 id="document-heading">"Signed document"</h2>
            {if view.has_document {
                view! {
                    <p data-test-id="mou-document">"The signed document is attached."</p>
                    <DecisionGate decision=read describe=describe test_id="mou-download">
                        <a class="button" href=download.clone() download=format!("mou-{id}") data-test-id="mou-download-link">
                            "Download the signed document"
                        </a>
                    </DecisionGate>
                }.into_any()
            } else {
                view! {
                    <DecisionGate decision=attach describe=describe test_id="mou-attach">
                        <form class="scan-form" on:submit=submit data-test-id="mou-attach-form">
                            <label for="mou-document-file">"The signed MOU (PDF, JPEG or PNG, at most 10 MB)"</label>
                            <input id="mou-document-file" type="file" accept="application/pdf,image/jpeg,image/png"
                                data-test-id="mou-attach-file" on:change=move |ev| chosen.set(chosen_file(&ev)) />
                            {completes.map(|d| view! {
                                <p class="mou-completes" data-test-id="attach-completes">
                                    {format!("Attaching it completes the MOU: it becomes active on {d}.")}
                                </p>
                            })}
                            <button type="submit" class="button" data-test-id="mou-attach-submit"
                                disabled=move || busy.get() || chosen.with(Option::is_none)>
                                {move || if busy.get() { "Attaching…" } else { "Attach document" }}
                            </button>
                            <FormError error=error describe=describe />
                        </form>
                    </DecisionGate>
                }.into_any()
            }}
        </section>
    }
}

fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|i| i.files())
        .and_then(|f| f.get(0))
}

/// Early termination: a dialog with the date and what each agency loses from that day.
#[component]
fn Terminate(mou: i64, today: NaiveDate, res: MouRes) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let date = RwSignal::new(today.to_string());
    let opened = RwSignal::new(false);
    let terminate = Action::new_local(move |body: &TerminateRequest| {
        let body = body.clone();
        async move { api::call::<ep::TerminateMou>(&[mou], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if terminate.value().with(|v| matches!(v, Some(Ok(_)))) {
            if let Some(d) = dialog.get_untracked() {
                d.close();
            }
            res.refetch();
        }
    });
    let error = last_error(terminate);
    let busy = terminate.pending();
    let on = Signal::derive(move || {
        opened
            .get()
            .then(|| date.get())
            .filter(|d| parse_date(d).is_some())
    });
    let open = move |_| {
        opened.set(true);
        if let Some(d) = dialog.get() {
            let _ = d.show_modal();
        }
    };
    let confirm = move |_| {
        terminate.dispatch(TerminateRequest {
            date: parse_date(&date.get_untracked()),
        });
    };
    view! {
        <section class="card" aria-labelledby="terminate-heading">
            <h2 id="terminate-heading">"End early"</h2>
            <p class="hint">"A system administrator may terminate an MOU before its end date, from today or a later day."</p>
            <button type="button" class="button danger" data-test-id="mou-terminate-open" on:click=open>"Terminate early…"</button>
            <dialog node_ref=dialog class="confirm mou-dialog" data-test-id="mou-terminate-dialog"
                aria-labelledby="terminate-title">
                <h2 id="terminate-title">"Terminate this MOU?"</h2>
                <DateInput label="Terminated from" name="date" value=date form="mou-terminate" error=error required=true />
                <Show when=move || on.get().is_some()>
                    <ImpactPreview mou=mou change=MouChange::Terminate on=on />
                </Show>
                <FormError error=error fields=&["date"] />
                <div class="actions">
                    <button type="button" class="button" on:click=move |_| {
                        if let Some(d) = dialog.get() { d.close(); }
                    }>"Cancel"</button>
                    <button type="button" class="primary danger" data-test-id="mou-terminate-confirm"
                        disabled=busy on:click=confirm>
                        {move || if busy.get() { "Terminating…" } else { "Terminate MOU" }}
                    </button>
                </div>
            </dialog>
        </section>
    }
}

/// "5 forms", "1 attachment".
fn kind_count(kind: shared::RecordKind, n: u64) -> String {
    let label = kind.label().to_lowercase();
    if n == 1 {
        format!("1 {label}")
    } else {
        format!("{n} {label}s")
    }
}

/// "a, b and c".
fn and_list(items: Vec<String>) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The sentences of a preview: one per (reader, owner) pair.
fn sentences(v: &MouImpactView) -> Vec<String> {
    let verb = match v.change {
        MouChange::Activate => "will newly read",
        MouChange::Terminate => "will no longer read",
    };
    v.pairs
        .iter()
        .map(|p| {
            let kinds = v
                .rows
                .iter()
                .filter(|r| r.reader.id == p.reader.id && r.owner.id == p.owner.id)
                .map(|r| kind_count(r.kind, r.records))
                .collect();
            let clients = if p.clients == 1 {
                "1 client".to_owned()
            } else {
                format!("{} clients", p.clients)
            };
            format!(
                "{} {verb} {} on {clients} entered by {}.",
                p.reader.name,
                and_list(kinds),
                p.owner.name
            )
        })
        .collect()
}

/// The impact preview (S-4, S-6): counted by the server with the read rule itself; counts only.
#[component]
fn ImpactPreview(mou: i64, change: MouChange, on: Signal<Option<String>>) -> impl IntoView {
    let allowed = decide(|me| can_preview_mou_impact(&me.actor));
    if !allowed.allowed {
        return ().into_any();
    }
    let impact = LocalResource::new(move || {
        let q = MouImpactQuery {
            change: Some(change.as_str().to_owned()),
            on: on.get(),
        };
        async move { api::call::<ep::GetMouImpact>(&[mou], &q, &NoBody).await }
    });
    let heading = match change {
        MouChange::Activate => "What it releases once active",
        MouChange::Terminate => "What each agency loses",
    };
    let hid = format!("impact-{}-heading", change.as_str());
    view! {
        <section class="card impact" aria-labelledby=hid.clone() data-test-id=format!("impact-{}", change.as_str())>
            <h2 id=hid.clone()>{heading}</h2>
            <Transition fallback=|| view! { <Loading what="the preview" /> }>
                {move || Suspend::new(async move {
                    match impact.await {
                        Ok(v) => view! { <ImpactTable view=v /> }.into_any(),
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn ImpactTable(view: MouImpactView) -> impl IntoView {
    let when = match view.change {
        MouChange::Activate => format!("Counted for {}, the day it would come into force, over every client's records, with the same read rule every request passes. No client is named.", view.on),
        MouChange::Terminate => format!("Counted for {}, over every client's records, with the same read rule every request passes. No client is named.", view.on),
    };
    if view.rows.is_empty() {
        let none = match view.change {
            MouChange::Activate => "No agency newly reads anything: the records it would release are already shared with them, or there are none.",
            MouChange::Terminate => "No agency loses anything: what it releases is also shared another way, or there is nothing.",
        };
        return view! {
            <p class="empty" data-test-id="impact-none">{none}</p>
            <p class="hint">{when}</p>
        }
        .into_any();
    }
    let lines = sentences(&view);
    view! {
        <ul class="impact-sentences" data-test-id="impact-sentences">
            {lines.into_iter().map(|l| view! { <li data-test-id="impact-sentence">{l}</li> }).collect_view()}
        </ul>
        <table class="impact-table" data-test-id="impact-table">
            <caption class="hint">{when}</caption>
            <thead>
                <tr><th scope="col">"Reader"</th><th scope="col">"Entered by"</th><th scope="col">"Kind"</th>
                    <th scope="col" class="num">"Records"</th><th scope="col" class="num">"Clients"</th></tr>
            </thead>
            <tbody>
                {view.rows.into_iter().map(|r| view! {
                    <tr data-test-id="impact-row" data-reader=r.reader.id.0.to_string()
                        data-owner=r.owner.id.0.to_string() data-kind=format!("{:?}", r.kind)
                        data-records=r.records.to_string()>
                        <td>{r.reader.name}</td><td>{r.owner.name}</td><td>{r.kind.label()}</td>
                        <td class="num">{r.records}</td><td class="num">{r.clients}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
