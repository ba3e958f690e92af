//! The releases of information (ROIs, S-3) of a client's file: the ROIs that name the user's
//! agency, with their organizations, dates and status and how many days each has left; setting a
//! new one with the attestation that the client's signed release is on file (and, optionally,
//! its scan); downloading a scan; attaching a missing scan; revoking. Every control is gated by
//! the shared decisions (`can_set_roi`, `can_revoke_roi`, `can_attach_roi_document`,
//! `can_see_roi`) computed here, and says why where it is refused.

use super::{use_client, SectionFrame};
use crate::api::{self, last_error, ApiError, FormKey};
use crate::components::{
    field_error, ConfirmButton, DecisionGate, ErrorView, FormError, GateMode, Loading,
};
use crate::session::use_session;
use crate::Section;
use chrono::NaiveDate;
use leptos::prelude::*;
use shared::api::accounts::Organization;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints as ep;
use shared::api::releases::{NewRoiRequest, RoiView};
use shared::api::Endpoint;
use shared::{
    can_attach_roi_document, can_revoke_roi, can_see_roi, can_set_roi, Decision, OrgId, Reason,
};
use wasm_bindgen::JsCast;

type Rois = LocalResource<Result<Vec<RoiView>, ApiError>>;

#[component]
pub fn ReleasesSection() -> impl IntoView {
    let file = use_client();
    let rois: Rois = LocalResource::new(move || {
        let id = file.id.get();
        async move { api::call::<ep::ListRois>(&[id], &NoQuery, &NoBody).await }
    });
    view! {
        <SectionFrame section=Section::Releases>
            <p class="section-intro">
                "A release of information lets the agencies it names read each other's records of this \
                 client that are shared by ROI or MOU, from its start date to its end date, unless revoked."
            </p>
            <Transition fallback=|| view! { <Loading what="releases" /> }>
                {move || Suspend::new(async move {
                    match rois.await {
                        Ok(list) => view! { <RoiList list=list rois=rois /> }.into_any(),
                        Err(e) => view! { <ErrorView error=e describe=file.describe() /> }.into_any(),
                    }
                })}
            </Transition>
            <NewRoi rois=rois />
        </SectionFrame>
    }
}

/// Where an ROI stands on `today` (`shared::roi_status`, as the agency list), in words, with the
/// CSS class of its status badge. One ending soon is "Active" here: its days left are shown
/// beside it.
fn status(
    view: &RoiView,
    today: NaiveDate,
    policy: &shared::PolicyConfig,
) -> (&'static str, &'static str) {
    match shared::roi_status(&view.roi, today, policy) {
        shared::RoiStatus::Revoked => ("Revoked", "badge badge-restricted"),
        shared::RoiStatus::Active | shared::RoiStatus::EndingSoon { .. } => {
            ("Active", "badge badge-open")
        }
        shared::RoiStatus::NotStarted => ("Not started yet", "badge badge-admin"),
        shared::RoiStatus::Expired => ("Ended", "badge badge-community"),
    }
}

/// "Ends today", "Ends tomorrow", "Ends in 12 days" for an ROI in force; those within the
/// policy's reminder window (`roi_reminder_days`, P-2, decided by `shared::roi_ending_soon`, as
/// the home page's list) are shown as a warning.
fn days_left(view: &RoiView, today: NaiveDate) -> Option<String> {
    if !view.active {
        return None;
    }
    let days = (view.roi.end - today).num_days();
    Some(match days {
        0 => "Ends today (it is in force until the end of the day)".to_owned(),
        1 => "Ends tomorrow".to_owned(),
        n => format!("Ends in {n} days"),
    })
}

#[component]
fn RoiList(list: Vec<RoiView>, rois: Rois) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <p class="empty" data-test-id="empty">
                "No release of information names your agency for this client."
            </p>
        }
        .into_any();
    }
    view! {
        <ul class="rois" data-test-id="roi-list">
            {list.into_iter().map(|r| view! { <RoiItem view=r rois=rois /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn RoiItem(view: RoiView, rois: Rois) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let today = session
        .with_me_untracked(|me| me.today)
        .unwrap_or(view.roi.start);
    let roi = view.roi.clone();
    let id = roi.id.0;
    let orgs = roi
        .orgs
        .iter()
        .map(|o| file.org_name(*o))
        .collect::<Vec<_>>()
        .join(", ");
    let policy = session
        .with_me_untracked(|me| me.policy.clone())
        .unwrap_or_default();
    let (status_text, status_class) = status(&view, today, &policy);
    let left = days_left(&view, today);
    let view_roi = view.roi.clone();
    let attested = format!(
        "Signed release on file at {} (attested {})",
        file.org_name(roi.attestation.org),
        roi.attestation.on
    );
    let revoked = roi
        .revoked
        .as_ref()
        .map(|r| format!("Revoked from {}", r.on));
    let r1 = roi.clone();
    let revoke_decision = Signal::derive(move || {
        session
            .with_me(|me| can_revoke_roi(&me.actor, &r1, me.today))
            .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
    });
    let r2 = roi.clone();
    let see_decision = Signal::derive(move || {
        session
            .with_me(|me| can_see_roi(&me.actor, &r2))
            .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
    });
    let r3 = roi.clone();
    let attach_decision = Signal::derive(move || {
        session
            .with_me(|me| can_attach_roi_document(&me.actor, &r3, me.today))
            .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
    });
    let revoke = Action::new_local(move |_: &()| async move {
        api::call::<ep::RevokeRoi>(&[id], &NoQuery, &NoBody).await
    });
    Effect::new(move |_| {
        if revoke.value().with(|v| matches!(v, Some(Ok(_)))) {
            rois.refetch();
            file.reload();
        }
    });
    let revoke_error = last_error(revoke);
    let revoking = revoke.pending();
    let describe = file.describe();
    let has_document = view.has_document;
    let download = ep::GetRoiDocument::path(&[id]);
    let ending_soon = session
        .with_me_untracked(|me| {
            let until = me.policy.roi_reminder_until(me.today, None);
            shared::roi_ending_soon(&me.actor, &view_roi, me.today, until)
        })
        .unwrap_or(false);
    view! {
        <li class="roi" data-test-id="roi" data-roi-id=id.to_string() data-status=status_text>
            <div class="record-head">
                <span class="roi-title">{format!("ROI #{id}")}</span>
                <span class=status_class data-test-id="roi-status">{status_text}</span>
            </div>
            <dl class="facts roi-facts">
                <dt>"Agencies"</dt>
                <dd data-test-id="roi-orgs">{orgs}</dd>
                <dt>"From"</dt>
                <dd>{roi.start.to_string()}</dd>
                <dt>"Until"</dt>
                <dd>{format!("{} (inclusive)", roi.end)}</dd>
            </dl>
            {left.map(|l| view! { <p class="roi-left" class:roi-ending-soon=ending_soon data-test-id="roi-days-left">{l}</p> })}
            {revoked.map(|r| view! { <p class="record-detail">{r}</p> })}
            <p class="record-owner">{attested}</p>
            <div class="actions record-actions">
                <div class="gated">
                {if has_document {
                    view! {
                        <DecisionGate decision=see_decision describe=describe test_id="roi-download">
                            <a class="button" href=format!("/api/v1{download}") download=format!("roi-{id}")
                                data-test-id="roi-download-link">"Download the signed release"</a>
                        </DecisionGate>
                    }.into_any()
                } else {
                    // A refused upload is not shown as a disabled form: only why no scan can be
                    // attached (the ROI ended, or another agency holds the paper).
                    view! {
                        <DecisionGate decision=attach_decision describe=describe test_id="roi-attach" mode=GateMode::Silent>
                            <AttachScan roi=id rois=rois />
                        </DecisionGate>
                        <Show when=move || !attach_decision.get().allowed>
                            <p class="gate-reason">"No scan attached: "
                                <span data-test-id="roi-attach-reason">{move || describe.run(attach_decision.get().reason)}</span>
                            </p>
                        </Show>
                    }.into_any()
                }}
                </div>
                <div class="gated">
                <DecisionGate decision=revoke_decision describe=describe test_id="roi-revoke">
                    <ConfirmButton label="Revoke"
                        question="Revoke this release from today? The agencies it names stop seeing each other's released records of this client."
                        confirm="Revoke release" on_confirm=Callback::new(move |_| { revoke.dispatch(()); })
                        disabled=revoking test_id="roi-revoke-open" danger=true />
                </DecisionGate>
                </div>
            </div>
            <FormError error=revoke_error describe=describe />
        </li>
    }
}

/// The file chosen in a file input, if any.
fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|i| i.files())
        .and_then(|f| f.get(0))
}

/// Attaching the scan of the signed release to an ROI that has none.
#[component]
fn AttachScan(roi: i64, rois: Rois) -> impl IntoView {
    let file = use_client();
    let chosen = RwSignal::new_local(None::<web_sys::File>);
    let key = StoredValue::new(FormKey::new());
    let upload = Action::new_local(move |f: &web_sys::File| {
        let f = f.clone();
        let k = key.get_value();
        async move { api::upload::<ep::UploadRoiDocument>(Some(&k), &[roi], &NoQuery, f).await }
    });
    Effect::new(move |_| {
        if let Some(answer) = upload.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                rois.refetch();
            }
        }
    });
    let error = last_error(upload);
    let busy = upload.pending();
    let input_id = format!("roi-{roi}-scan");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(f) = chosen.get_untracked() {
            upload.dispatch(f);
        }
    };
    view! {
        <form class="scan-form" on:submit=submit data-test-id="roi-attach-form">
            <label for=input_id.clone()>"Scan of the signed release (PDF, JPEG or PNG)"</label>
            <input id=input_id type="file" accept="application/pdf,image/jpeg,image/png"
                data-test-id="roi-attach-file" on:change=move |ev| chosen.set(chosen_file(&ev)) />
            <button type="submit" class="button" data-test-id="roi-attach-submit"
                disabled=move || busy.get() || chosen.with(Option::is_none)>
                {move || if busy.get() { "Attaching…" } else { "Attach scan" }}
            </button>
            <FormError error=error describe=file.describe() />
        </form>
    }
}

/// A new ROI: the agencies it names (the user's own checked first), its dates, the attestation,
/// and optionally the scan, uploaded right after the ROI is set.
#[component]
fn NewRoi(rois: Rois) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let me = session.me();
    let my_org = me.as_ref().map(|m| m.actor.org);
    let today = me.as_ref().map(|m| m.today);
    let roi_days = me.as_ref().map(|m| m.policy.roi_length_days).unwrap_or(0);
    let organizations: LocalResource<Result<Vec<Organization>, ApiError>> =
        LocalResource::new(|| async {
            api::call::<ep::ListOrganizations>(&[], &NoQuery, &NoBody).await
        });
    let chosen = RwSignal::new(my_org.into_iter().collect::<Vec<OrgId>>());
    let start = RwSignal::new(today.map(|d| d.to_string()).unwrap_or_default());
    let end = RwSignal::new(String::new());
    let attested = RwSignal::new(false);
    let scan = RwSignal::new_local(None::<web_sys::File>);
    let key = StoredValue::new(FormKey::new());
    let scan_key = StoredValue::new(FormKey::new());
    let id = file.id;
    let form_ref = NodeRef::<leptos::html::Form>::new();
    // The ROI, then its scan: a refused scan leaves the ROI set, and says so.
    let create = Action::new_local(
        move |(body, scan): &(NewRoiRequest, Option<web_sys::File>)| {
            let body = body.clone();
            let scan = scan.clone();
            let k = key.get_value();
            let sk = scan_key.get_value();
            async move {
                let roi = api::submit::<ep::CreateRoi>(&k, &[id.get_untracked()], &NoQuery, &body)
                    .await?;
                let scanned = match scan {
                    Some(f) => Some(
                        api::upload::<ep::UploadRoiDocument>(
                            Some(&sk),
                            &[roi.roi.id.0],
                            &NoQuery,
                            f,
                        )
                        .await
                        .map(|_| ()),
                    ),
                    None => None,
                };
                Ok::<_, ApiError>((roi, scanned))
            }
        },
    );
    let scan_error = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(answer) = create.value().get() {
            key.update_value(FormKey::renew);
            scan_key.update_value(FormKey::renew);
            if let Ok((roi, scanned)) = answer {
                scan_error.set(scanned.and_then(Result::err));
                created.set(Some(format!("ROI #{} is set.", roi.roi.id.0)));
                chosen.set(my_org.into_iter().collect());
                end.set(String::new());
                attested.set(false);
                scan.set(None);
                if let Some(f) = form_ref.get_untracked() {
                    f.reset();
                }
                if let Some(d) = session.with_me_untracked(|m| m.today) {
                    start.set(d.to_string());
                }
                rois.refetch();
                file.reload();
            }
        }
    });
    let error = Signal::derive(move || {
        create
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
    });
    let allowed = Signal::derive(move || {
        session
            .with_me(|me| chosen.with(|c| can_set_roi(&me.actor, c)))
            .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
    });
    let busy = create.pending();
    let default_end = move || {
        let s = NaiveDate::parse_from_str(start.get().trim(), "%Y-%m-%d").ok();
        session
            .with_me(|me| s.map(|s| me.policy.default_roi_end(s)))
            .flatten()
            .map(|d| format!("Leave empty for {d} ({roi_days} days after the start)."))
            .unwrap_or_else(|| format!("Leave empty for {roi_days} days after the start."))
    };
    let parse_date = |s: String| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        created.set(None);
        scan_error.set(None);
        let body = NewRoiRequest {
            organizations: chosen.get_untracked(),
            start: parse_date(start.get_untracked()),
            end: parse_date(end.get_untracked()),
            attested: attested.get_untracked(),
        };
        create.dispatch((body, scan.get_untracked()));
    };
    let orgs_error = Memo::new(move |_| error.with(|e| field_error(e, "organizations")));
    let attested_error = Memo::new(move |_| error.with(|e| field_error(e, "attested")));
    let start_error = Memo::new(move |_| error.with(|e| field_error(e, "start")));
    let end_error = Memo::new(move |_| error.with(|e| field_error(e, "end")));
    let describe = file.describe();
    view! {
        <form class="record-form roi-form" node_ref=form_ref on:submit=submit data-test-id="roi-form" novalidate>
            <h3>"Set a new release of information"</h3>
            <fieldset class="choices" aria-describedby=move || orgs_error.with(Option::is_some).then_some("roi-new-organizations-error")>
                <legend>"Agencies the client allows to share"<span class="required" aria-hidden="true">" *"</span></legend>
                <p class="hint">"Always your own agency and at least one other."</p>
                <Transition fallback=|| view! { <Loading what="the agencies" /> }>
                    {move || Suspend::new(async move {
                        match organizations.await {
                            Ok(list) => list.into_iter().filter(|o| !o.disabled).map(|o| {
                                let org = o.id;
                                let input_id = format!("roi-new-org-{}", org.0);
                                let own = Some(org) == my_org;
                                view! {
                                    <div class="choice">
                                        <input type="checkbox" id=input_id.clone() data-test-id="roi-org"
                                            data-org-id=org.0.to_string()
                                            prop:checked=move || chosen.with(|c| c.contains(&org))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                chosen.update(|c| {
                                                    c.retain(|x| *x != org);
                                                    if on { c.push(org); }
                                                });
                                            } />
                                        <label for=input_id>{o.name.clone()}{own.then_some(" (your agency)")}</label>
                                    </div>
                                }
                            }).collect_view().into_any(),
                            Err(e) => view! { <ErrorView error=e /> }.into_any(),
                        }
                    })}
                </Transition>
                {move || orgs_error.get().map(|m| view! {
                    <p class="field-error" id="roi-new-organizations-error" data-test-id="field-error">{m}</p>
                })}
            </fieldset>
            <div class="roi-dates">
                <DateField label="Start date" name="start" value=start message=start_error
                    hint="The day the client signed, or later.".to_owned() />
                <DateField label="End date" name="end" value=end message=end_error
                    hint=Signal::derive(default_end) />
            </div>
            <div class="field choice attest" class:field-invalid=move || attested_error.with(Option::is_some)>
                <input type="checkbox" id="roi-new-attested" name="attested" data-test-id="roi-attested"
                    aria-describedby=move || attested_error.with(Option::is_some).then_some("roi-new-attested-error")
                    prop:checked=move || attested.get()
                    on:change=move |ev| attested.set(event_target_checked(&ev)) />
                <label for="roi-new-attested">
                    {move || session.with_me(|me| format!(
                        "I confirm that the client's signed release is on file at {}.", me.org.name
                    )).unwrap_or_default()}
                    <span class="required" aria-hidden="true">" *"</span>
                </label>
                {move || attested_error.get().map(|m| view! {
                    <p class="field-error" id="roi-new-attested-error" data-test-id="field-error">{m}</p>
                })}
            </div>
            <div class="field">
                <label for="roi-new-scan">"Scan of the signed release (optional)"</label>
                <p class="hint" id="roi-new-scan-hint">"PDF, JPEG or PNG, at most 10 MB. You can also attach it later."</p>
                <input id="roi-new-scan" type="file" accept="application/pdf,image/jpeg,image/png"
                    aria-describedby="roi-new-scan-hint" data-test-id="roi-scan"
                    on:change=move |ev| scan.set(chosen_file(&ev)) />
            </div>
            <FormError error=error fields=&["organizations", "attested", "start", "end"] describe=describe />
            {move || scan_error.get().map(|e| view! {
                <div class="error" role="alert" data-test-id="roi-scan-error">
                    <p>{format!("The ROI is set, but its scan was not attached: {}", e.message())}</p>
                </div>
            })}
            {move || created.get().map(|m| view! { <p class="done" role="status" data-test-id="roi-created">{m}</p> })}
            <DecisionGate decision=allowed describe=describe test_id="roi-create">
                <div class="actions">
                    <button type="submit" class="primary" data-test-id="roi-submit" disabled=busy>
                        {move || if busy.get() { "Setting…" } else { "Set release" }}
                    </button>
                </div>
            </DecisionGate>
        </form>
    }
}

/// A labelled date input whose error (`message`) is given by its form.
#[component]
fn DateField(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    message: Memo<Option<String>>,
    #[prop(into)] hint: Signal<String>,
) -> impl IntoView {
    let id = format!("roi-new-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let (h, e) = (hint_id.clone(), error_id.clone());
    let described = move || {
        if message.with(Option::is_some) {
            format!("{h} {e}")
        } else {
            h.clone()
        }
    };
    view! {
        <div class="field" class:field-invalid=move || message.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <p class="hint" id=hint_id>{move || hint.get()}</p>
            <input id=id type="date" name=name data-test-id=format!("roi-{name}")
                aria-describedby=described aria-invalid=move || message.with(Option::is_some).then_some("true")
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            {move || message.get().map(|m| view! {
                <p class="field-error" id=error_id.clone() data-test-id="field-error">{m}</p>
            })}
        </div>
    }
}
