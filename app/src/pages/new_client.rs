//! The phone-first intake of a new client (`/clients/new`): one column of steps that each save
//! on their own (a lost connection after the first loses nothing; the optional ones can be
//! skipped): who (HUD data quality first, a placeholder name allowed), the photo from the camera
//! (resized in the browser), a release of information (S-3), an enrollment in one of the
//! worker's own programs and a first service.

use crate::api::{self, describe_plain, ApiError, FormKey};
use crate::components::{field_error, DecisionGate, EnumSelect, Field, FormError, RouteHeading};
use crate::pages::client::enrollments::field_refusal;
use crate::routes::seg;
use crate::session::use_session;
use crate::{Page, Section};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::actions::NewRecord;
use shared::api::accounts::{Organization, Program};
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints::{self as ep, ProgramQuery};
use shared::api::intake::NewClientRequest;
use shared::api::records::{NewEnrollment, NewService};
use shared::api::releases::NewRoiRequest;
use shared::api::{ErrorBody, IntakeView};
use shared::hud::NameDataQuality;
use shared::intake::DataQuality;
use shared::records::ServiceKind;
use shared::{can_create, can_set_roi, ClientId, Decision, HmisNumber, OrgId, Reason, RecordId};
use shared::{ProgramId, RecordKind};
use wasm_bindgen::{JsCast, JsValue};

/// The longest side of a photo as uploaded (the camera's are several times larger).
const PHOTO_MAX_PX: f64 = 1024.0;
/// The last name a placeholder without a comma gets ("Red Jacket" alone).
const PLACEHOLDER_LAST: &str = "Placeholder";

/// Whether an intake's name is a placeholder: HUD's "partial, street name or code name" (3.01.5,
/// code 2), which is how this intake records a name the person would not give yet.
pub fn is_placeholder(intake: &IntakeView) -> bool {
    intake.name_data_quality == Some(NameDataQuality::Partial)
}

/// The saved client the later steps work on.
#[derive(Debug, Clone, PartialEq)]
struct Saved {
    id: i64,
    hmis: HmisNumber,
    name: String,
}

/// Where an optional step is.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Open,
    Done(String),
    Skipped,
}

/// The search's name as first and last name: "Last, First" or "First Last…".
fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    if let Some((last, first)) = name.split_once(',') {
        return (first.trim().to_owned(), last.trim().to_owned());
    }
    match name.split_once(char::is_whitespace) {
        Some((first, last)) => (first.to_owned(), last.trim().to_owned()),
        None => (name.to_owned(), String::new()),
    }
}

/// A placeholder as first, middle and last name, so that today's search (each word a prefix of
/// one name part) finds it by its first words: before the first comma, the first word is the
/// first name and the rest the middle name; after it, the last name ("Red Jacket, Main St
/// bridge": Red / Jacket / Main St bridge). Without a comma, the last word is the last name.
fn split_placeholder(text: &str) -> (String, Option<String>, String) {
    let (what, where_) = match text.split_once(',') {
        Some((a, b)) if !b.trim().is_empty() => (a.trim(), Some(b.trim())),
        _ => (text.trim().trim_end_matches(','), None),
    };
    let mut words: Vec<&str> = what.split_whitespace().collect();
    let last = match where_ {
        Some(w) => w.to_owned(),
        None if words.len() > 1 => words.pop().unwrap_or_default().to_owned(),
        None => PLACEHOLDER_LAST.to_owned(),
    };
    let first = if words.is_empty() {
        String::new()
    } else {
        words.remove(0).to_owned()
    };
    let middle = (!words.is_empty()).then(|| words.join(" "));
    (first, middle, last)
}

#[component]
pub fn NewClientPage() -> impl IntoView {
    let query = use_query_map();
    let name = query
        .with_untracked(|m| m.get(seg::NAME))
        .unwrap_or_default();
    let dob = query
        .with_untracked(|m| m.get(seg::DOB))
        .unwrap_or_default();
    let saved = RwSignal::new(None::<Saved>);
    let enrollment = RwSignal::new(None::<RecordId>);
    view! {
        <section class="card intake-flow" data-test-id="new-client-page">
            <RouteHeading text="New client" />
            <p class="hint">"Each step is saved on its own: if the connection drops, what was saved stays. The optional steps can be skipped."</p>
            {move || match saved.get() {
                None => view! { <WhoStep name=name.clone() dob=dob.clone() saved=saved /> }.into_any(),
                Some(s) => view! {
                    <div class="done step" role="status" data-test-id="client-saved">
                        <p>{format!("1. Saved: {} ({}).", s.name, s.hmis)}</p>
                    </div>
                    <PhotoStep client=s.id />
                    <RoiStep client=s.id />
                    <EnrollStep client=s.id name=s.name.clone() enrollment=enrollment />
                    <ServiceStep client=s.id enrollment=enrollment />
                    <div class="actions">
                        <a class="button primary" href=Page::Client(s.id, Section::Overview).path()
                            data-test-id="open-new-client">"Open the client's file"</a>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

/// Step 1: the person. HUD's data-quality choices come first; a date of birth or SSN the client
/// does not know, refused or was not collected hides its field.
#[component]
fn WhoStep(name: String, dob: String, saved: RwSignal<Option<Saved>>) -> impl IntoView {
    let (first0, last0) = split_name(&name);
    let placeholder = RwSignal::new(false);
    let placeholder_text = RwSignal::new(String::new());
    let name_q = RwSignal::new(Some(NameDataQuality::Full));
    let first = RwSignal::new(first0);
    let middle = RwSignal::new(String::new());
    let last = RwSignal::new(last0);
    let dob_q = RwSignal::new((!dob.is_empty()).then_some(DataQuality::Full));
    let dob = RwSignal::new(dob);
    let ssn_q = RwSignal::new(None::<DataQuality>);
    let ssn = RwSignal::new(String::new());
    let duplicates = RwSignal::new(None::<Vec<HmisNumber>>);
    let key = StoredValue::new(FormKey::new());
    let body = move |confirm_new: bool| -> Result<NewClientRequest, ApiError> {
        let (first_name, middle_name, last_name, quality) = if placeholder.get_untracked() {
            let text = placeholder_text.get_untracked();
            if text.trim().is_empty() {
                return Err(field_refusal(
                    "placeholder",
                    "describe the person, e.g. Red Jacket, Main St bridge",
                ));
            }
            let (a, m, b) = split_placeholder(&text);
            (a, m, b, NameDataQuality::Partial)
        } else {
            let q = name_q.get_untracked().unwrap_or(NameDataQuality::Full);
            let m = middle.get_untracked();
            let m = (!m.trim().is_empty()).then_some(m);
            (first.get_untracked(), m, last.get_untracked(), q)
        };
        let dob_quality = dob_q
            .get_untracked()
            .ok_or_else(|| field_refusal("dob_data_quality", "choose one"))?;
        let ssn_quality = ssn_q
            .get_untracked()
            .ok_or_else(|| field_refusal("ssn_data_quality", "choose one"))?;
        let text = |s: RwSignal<String>, shown: bool| {
            let v = s.get_untracked();
            (shown && !v.trim().is_empty()).then_some(v)
        };
        Ok(NewClientRequest {
            first_name,
            middle_name,
            last_name,
            name_data_quality: Some(quality),
            date_of_birth: text(dob, dob_quality.has_value()),
            dob_data_quality: dob_quality,
            ssn: text(ssn, ssn_quality.has_value()).map(|s| s.replace(['-', ' '], "")),
            ssn_data_quality: ssn_quality,
            sex: None,
            gender: None,
            veteran_status: None,
            marital_status: None,
            confirm_new,
        })
    };
    let create = Action::new_local(move |confirm_new: &bool| {
        let k = key.get_value();
        let b = body(*confirm_new);
        async move {
            let b = b?;
            let parts = [
                Some(&b.first_name),
                b.middle_name.as_ref(),
                Some(&b.last_name),
            ];
            let shown = parts
                .into_iter()
                .flatten()
                .map(|p| p.trim())
                .collect::<Vec<_>>()
                .join(" ");
            let answer = api::submit::<ep::CreateClient>(&k, &[], &NoQuery, &b).await?;
            Ok::<_, ApiError>((answer, shown))
        }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok((answer, name))) => {
            key.update_value(FormKey::renew);
            saved.set(Some(Saved {
                id: answer.id.0,
                hmis: answer.hmis_number,
                name,
            }));
        }
        Some(Err(ApiError::PossibleDuplicates(d))) => {
            key.update_value(FormKey::renew);
            duplicates.set(Some(d.possible_duplicates));
        }
        Some(Err(_)) => key.update_value(FormKey::renew),
        None => {}
    });
    // The server's errors for the two name parts belong to the placeholder's field when the
    // name is one.
    let error = Signal::derive(move || {
        let e = create
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()));
        match e {
            Some(ApiError::Failed(b))
                if placeholder.get()
                    && matches!(
                        b.field.as_deref(),
                        Some("first_name" | "middle_name" | "last_name")
                    ) =>
            {
                Some(ApiError::Failed(ErrorBody {
                    field: Some("placeholder".to_owned()),
                    ..b
                }))
            }
            Some(ApiError::PossibleDuplicates(_)) => None,
            e => e,
        }
    });
    let busy = create.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        duplicates.set(None);
        create.dispatch(false);
    };
    let typed = Signal::derive(move || {
        let dob_text = dob_q
            .get()
            .filter(|q| q.has_value())
            .map(|_| dob.get())
            .unwrap_or_else(|| "not given".to_owned());
        let name = if placeholder.get() {
            placeholder_text.get()
        } else {
            format!("{} {}", first.get(), last.get())
        };
        (name, dob_text)
    });
    let fields = &[
        "placeholder",
        "first_name",
        "middle_name",
        "last_name",
        "name_data_quality",
        "dob_data_quality",
        "date_of_birth",
        "ssn_data_quality",
        "ssn",
    ];
    view! {
        <form class="record-form step" on:submit=submit novalidate data-test-id="who-form">
            <h2>"1. Who"</h2>
            <div class="field choice">
                <input type="checkbox" id="who-placeholder-on" data-test-id="placeholder-on"
                    prop:checked=move || placeholder.get()
                    on:change=move |ev| placeholder.set(event_target_checked(&ev)) />
                <label for="who-placeholder-on">"They won't give a name yet: use a placeholder"</label>
            </div>
            <Show when=move || placeholder.get()>
                <Field label="Placeholder name" name="placeholder" value=placeholder_text form="who" error=error
                    required=true test_id="placeholder-name"
                    hint="What you'll know them by, e.g. “Red Jacket, Main St bridge”. Recorded as a partial or code name (HUD 3.01.5); complete it later from the file." />
            </Show>
            <Show when=move || !placeholder.get()>
                <EnumSelect label="Name data quality" name="name_data_quality" options=NameDataQuality::ALL.to_vec()
                    label_of=NameDataQuality::label value=name_q form="who" error=error required=true />
                <Field label="First name" name="first_name" value=first form="who" error=error required=true
                    test_id="first-name" autocomplete="off" />
                <Field label="Middle name" name="middle_name" value=middle form="who" error=error autocomplete="off" />
                <Field label="Last name" name="last_name" value=last form="who" error=error required=true
                    test_id="last-name" autocomplete="off" />
            </Show>
            <EnumSelect label="Date of birth data quality" name="dob_data_quality" options=DataQuality::ALL.to_vec()
                label_of=DataQuality::label value=dob_q form="who" error=error required=true placeholder=true />
            <Show when=move || dob_q.get().is_some_and(DataQuality::has_value)>
                <Field label="Date of birth" name="date_of_birth" value=dob form="who" error=error
                    kind=crate::components::InputKind::Date required=true test_id="dob"
                    hint="Approximate is fine with “approximate or partial”." />
            </Show>
            <EnumSelect label="SSN data quality" name="ssn_data_quality" options=DataQuality::ALL.to_vec()
                label_of=DataQuality::label value=ssn_q form="who" error=error required=true placeholder=true />
            <Show when=move || ssn_q.get().is_some_and(DataQuality::has_value)>
                <Field label="SSN" name="ssn" value=ssn form="who" error=error required=true
                    kind=crate::components::InputKind::Tel test_id="ssn" autocomplete="off"
                    hint=Signal::derive(move || if ssn_q.get() == Some(DataQuality::Partial) {
                        "The last four digits.".to_owned()
                    } else {
                        "Nine digits.".to_owned()
                    }).get_untracked() />
            </Show>
            <FormError error=error fields=fields />
            {move || duplicates.get().map(|numbers| view! {
                <Duplicates numbers=numbers typed=typed busy=busy.into()
                    confirm=Callback::new(move |_| { create.dispatch(true); }) />
            })}
            <div class="actions">
                <button type="submit" class="primary" disabled=busy data-test-id="who-save">
                    {move || if busy.get() { "Saving…" } else { "Save the person" }}
                </button>
            </div>
        </form>
    }
}

/// The 409's possible duplicates beside what was typed, each with what the user may read of it
/// (its intake is tier 1, S-1; whatever else its file holds is not shown here), to open one of
/// them or confirm a new person.
#[component]
fn Duplicates(
    numbers: Vec<HmisNumber>,
    typed: Signal<(String, String)>,
    busy: Signal<bool>,
    confirm: Callback<()>,
) -> impl IntoView {
    view! {
        <section class="duplicates" aria-labelledby="dup-heading" data-test-id="duplicates">
            <h3 id="dup-heading">"Is this someone already in Hearth?"</h3>
            <p class="hint">"These clients have the same name and date of birth. Check them with the person before adding a new one."</p>
            <div class="dup-grid">
                <div class="dup-card" data-test-id="dup-typed">
                    <h4>"You typed"</h4>
                    <p>{move || typed.get().0}</p>
                    <p>{move || format!("Born: {}", typed.get().1)}</p>
                </div>
                {numbers.into_iter().map(|n| view! { <DuplicateCard hmis=n /> }).collect_view()}
            </div>
            <div class="actions">
                <button type="button" class="primary" data-test-id="confirm-new" disabled=busy
                    on:click=move |_| confirm.run(())>"This is a new person"</button>
            </div>
        </section>
    }
}

/// One possible duplicate: its HMIS number, and its intake as the user may read it.
#[component]
fn DuplicateCard(hmis: HmisNumber) -> impl IntoView {
    let number = hmis.to_string();
    let found = LocalResource::new(move || {
        let n = hmis.to_string();
        async move {
            let first = api::search_clients(&n).await?.into_iter().next();
            match first {
                Some(c) => api::client_profile(c.id.0).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <div class="dup-card" data-test-id="dup-card">
            <h4 class="dup-hmis">{number.clone()}</h4>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(Some(p)) => {
                            let i = &p.intake;
                            view! {
                                <p data-test-id="dup-name">{format!("{} {}", i.first_name, i.last_name)}</p>
                                <p>{format!("Born: {}", i.date_of_birth.map(|d| d.to_string()).unwrap_or_else(|| "not recorded".to_owned()))}</p>
                                <p>{format!("SSN: {}", i.ssn_last4.as_deref().map(|l| format!("…{l}")).unwrap_or_else(|| "not recorded".to_owned()))}</p>
                                <p class="hint">{format!("Entered by {}", i.entered_by.org_name)}</p>
                                <a class="button" href=Page::Client(p.id.0, Section::Overview).path() data-test-id="dup-open">
                                    {format!("Open {}", p.hmis_number)}
                                </a>
                            }.into_any()
                        }
                        Ok(None) | Err(ApiError::NotFound) => view! {
                            <p class="hint">"Not shared with your agency."</p>
                        }.into_any(),
                        Err(e) => view! { <crate::components::ErrorView error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The heading and state line every optional step shares, with its skip button.
#[component]
fn StepFrame(
    title: &'static str,
    test_id: &'static str,
    state: RwSignal<Step>,
    children: ChildrenFn,
) -> impl IntoView {
    let children = StoredValue::new(children);
    view! {
        <section class="step" data-test-id=test_id>
            <h2>{title}</h2>
            {move || match state.get() {
                Step::Open => view! {
                    {children.with_value(|c| c())}
                    <button type="button" class="button" data-test-id=format!("{test_id}-skip")
                        on:click=move |_| state.set(Step::Skipped)>"Skip"</button>
                }.into_any(),
                Step::Done(m) => view! { <p class="done" role="status" data-test-id=format!("{test_id}-done")>{m}</p> }.into_any(),
                Step::Skipped => view! {
                    <p class="hint">"Skipped. "
                        <button type="button" class="linkish" on:click=move |_| state.set(Step::Open)>"Do it now"</button>
                    </p>
                }.into_any(),
            }}
        </section>
    }
}

/// Step 2: the photo, from the phone's camera, resized in the browser and uploaded.
#[component]
fn PhotoStep(client: i64) -> impl IntoView {
    let state = RwSignal::new(Step::Open);
    let upload = Action::new_local(move |file: &web_sys::File| {
        let f = file.clone();
        async move { api::upload::<ep::PutPhoto>(None, &[client], &NoQuery, f).await }
    });
    let problem = RwSignal::new(None::<ApiError>);
    let resizing = RwSignal::new(false);
    Effect::new(move |_| match upload.value().get() {
        Some(Ok(_)) => state.set(Step::Done("2. Photo saved.".to_owned())),
        Some(Err(e)) => problem.set(Some(e)),
        None => {}
    });
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        problem.set(None);
        resizing.set(true);
        resize_to_jpeg(file, move |result| {
            resizing.set(false);
            match result {
                Ok(small) => {
                    upload.dispatch(small);
                }
                Err(m) => problem.set(Some(field_refusal("photo", &m))),
            }
        });
    };
    let busy = Signal::derive(move || resizing.get() || upload.pending().get());
    view! {
        <StepFrame title="2. Photo (optional)" test_id="photo-step" state=state>
            <div class="field">
                <label for="new-photo" class="button camera">"Take or choose a photo"</label>
                <p class="hint" id="new-photo-hint">"Only with the person's agreement. Made smaller on the phone before it is sent."</p>
                <input id="new-photo" class="camera-input" type="file" accept="image/*" capture="environment"
                    aria-describedby="new-photo-hint" data-test-id="photo-input" on:change=on_change />
                {move || busy.get().then_some(view! { <p class="loading" role="status">"Sending the photo…"</p> })}
                {move || problem.get().map(|e| view! {
                    <p class="field-error" role="alert" data-test-id="photo-error">{e.message()}</p>
                })}
            </div>
        </StepFrame>
    }
}

/// Resizes an image file to a JPEG whose longest side is at most `PHOTO_MAX_PX` (never larger
/// than it was), by `createImageBitmap` and a canvas (no `blob:` image, which the app's CSP
/// does not allow), and calls `done` with it.
fn resize_to_jpeg(file: web_sys::File, done: impl FnOnce(Result<web_sys::File, String>) + 'static) {
    use std::cell::RefCell;
    use std::rc::Rc;
    use web_sys::js_sys;
    type Done = Rc<RefCell<Option<Box<dyn FnOnce(Result<web_sys::File, String>)>>>>;
    let done: Done = Rc::new(RefCell::new(Some(Box::new(done))));
    let finish = |done: &Done, r: Result<web_sys::File, String>| {
        if let Some(f) = done.borrow_mut().take() {
            f(r);
        }
    };
    let unreadable = "This file is not a picture the phone can read. Try another photo.";
    let Some(promise) = web_sys::window().and_then(|w| w.create_image_bitmap_with_blob(&file).ok())
    else {
        finish(&done, Err(unreadable.to_owned()));
        return;
    };
    type Callback = wasm_bindgen::closure::Closure<dyn FnMut(JsValue)>;
    let on_fail = {
        let done = done.clone();
        Callback::once(move |_: JsValue| finish(&done, Err(unreadable.to_owned())))
    };
    let on_bitmap = Callback::once(move |bitmap: JsValue| {
        let drawn = (|| {
            let bitmap: web_sys::ImageBitmap = bitmap.dyn_into().ok()?;
            let (w, h) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
            let scale = (PHOTO_MAX_PX / w.max(h)).min(1.0);
            let (w2, h2) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
            let canvas: web_sys::HtmlCanvasElement =
                document().create_element("canvas").ok()?.dyn_into().ok()?;
            canvas.set_width(w2 as u32);
            canvas.set_height(h2 as u32);
            let ctx: web_sys::CanvasRenderingContext2d =
                canvas.get_context("2d").ok()??.dyn_into().ok()?;
            ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w2, h2)
                .ok()?;
            bitmap.close();
            Some(canvas)
        })();
        let Some(canvas) = drawn else {
            finish(&done, Err(unreadable.to_owned()));
            return;
        };
        let done2 = done.clone();
        let on_blob = wasm_bindgen::closure::Closure::once_into_js(move |blob: JsValue| {
            let file = blob.dyn_into::<web_sys::Blob>().ok().and_then(|blob| {
                let options = web_sys::FilePropertyBag::new();
                options.set_type("image/jpeg");
                web_sys::File::new_with_blob_sequence_and_options(
                    &js_sys::Array::of1(&blob),
                    "photo.jpg",
                    &options,
                )
                .ok()
            });
            finish(&done2, file.ok_or_else(|| unreadable.to_owned()));
        });
        if canvas
            .to_blob_with_type_and_encoder_options(
                on_blob.unchecked_ref(),
                "image/jpeg",
                &JsValue::from_f64(0.85),
            )
            .is_err()
        {
            finish(&done, Err(unreadable.to_owned()));
        }
    });
    let _ = promise.then2(&on_bitmap, &on_fail);
    // The promise calls one of the two, once, after this returns: both must outlive it (two
    // small closures per photo taken).
    on_bitmap.forget();
    on_fail.forget();
}

/// Step 3: an optional release of information (S-3): the other agencies the client allows, and
/// the attestation that the signed release is on file.
#[component]
fn RoiStep(client: i64) -> impl IntoView {
    let session = use_session();
    let state = RwSignal::new(Step::Open);
    let my_org = session.with_me_untracked(|m| m.actor.org);
    let organizations: LocalResource<Result<Vec<Organization>, ApiError>> =
        LocalResource::new(|| async {
            api::call::<ep::ListOrganizations>(&[], &NoQuery, &NoBody).await
        });
    let chosen = RwSignal::new(my_org.into_iter().collect::<Vec<OrgId>>());
    let attested = RwSignal::new(false);
    let key = StoredValue::new(FormKey::new());
    let create = Action::new_local(move |body: &NewRoiRequest| {
        let body = body.clone();
        let k = key.get_value();
        async move { api::submit::<ep::CreateRoi>(&k, &[client], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if let Some(answer) = create.value().get() {
            key.update_value(FormKey::renew);
            if let Ok(roi) = answer {
                state.set(Step::Done(format!(
                    "3. Release of information #{} is set, until {}.",
                    roi.roi.id.0, roi.roi.end
                )));
            }
        }
    });
    let error = api::last_error(create);
    let allowed = Signal::derive(move || {
        session
            .with_me(|me| chosen.with(|c| can_set_roi(&me.actor, c)))
            .unwrap_or_else(|| Decision::deny(Reason::NotCovered))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(NewRoiRequest {
            organizations: chosen.get_untracked(),
            start: None,
            end: None,
            attested: attested.get_untracked(),
        });
    };
    let busy = create.pending();
    let orgs_error = Memo::new(move |_| error.with(|e| field_error(e, "organizations")));
    let attested_error = Memo::new(move |_| error.with(|e| field_error(e, "attested")));
    let describe = Callback::new(|r: Reason| describe_plain(&r));
    view! {
        <StepFrame title="3. Release of information (optional)" test_id="roi-step" state=state>
            <form class="record-form" on:submit=submit novalidate data-test-id="new-roi-form">
                <fieldset class="choices">
                    <legend>"Agencies the client allows to share with yours"</legend>
                    {move || organizations.get().map(|list| match list {
                        Ok(list) => list.into_iter().filter(|o| !o.disabled && Some(o.id) != my_org).map(|o| {
                            let org = o.id;
                            let input_id = format!("new-roi-org-{}", org.0);
                            view! {
                                <div class="choice">
                                    <input type="checkbox" id=input_id.clone() data-test-id="new-roi-org"
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
                        Err(e) => view! { <crate::components::ErrorView error=e /> }.into_any(),
                    })}
                    {move || orgs_error.get().map(|m| view! { <p class="field-error" data-test-id="field-error">{m}</p> })}
                </fieldset>
                <div class="field choice attest">
                    <input type="checkbox" id="new-roi-attested" data-test-id="new-roi-attested"
                        prop:checked=move || attested.get()
                        on:change=move |ev| attested.set(event_target_checked(&ev)) />
                    <label for="new-roi-attested">
                        {move || session.with_me(|me| format!(
                            "The client signed the release, and it is on file at {}.", me.org.name
                        )).unwrap_or_default()}
                    </label>
                    {move || attested_error.get().map(|m| view! { <p class="field-error" data-test-id="field-error">{m}</p> })}
                </div>
                <p class="hint">"It starts today and lasts the policy's usual length; change it later in the file's Releases."</p>
                <FormError error=error fields=&["organizations", "attested"] describe=describe />
                <DecisionGate decision=allowed describe=describe test_id="new-roi">
                    <button type="submit" class="primary" disabled=busy data-test-id="new-roi-save">
                        {move || if busy.get() { "Saving…" } else { "Set the release" }}
                    </button>
                </DecisionGate>
            </form>
        </StepFrame>
    }
}

/// Step 4: an enrollment in one of the worker's own agency's programs (the shared `can_create`
/// decides which, as the server does).
#[component]
fn EnrollStep(client: i64, name: String, enrollment: RwSignal<Option<RecordId>>) -> impl IntoView {
    let session = use_session();
    let state = RwSignal::new(Step::Open);
    let programs: LocalResource<Result<Vec<Program>, ApiError>> = LocalResource::new(|| async {
        api::call::<ep::ListPrograms>(&[], &ProgramQuery::default(), &NoBody).await
    });
    let allowed = Memo::new(move |_| {
        let all = programs.with(|p| match p {
            Some(Ok(p)) => p.clone(),
            _ => Vec::new(),
        });
        session
            .with_me(|me| {
                all.into_iter()
                    .filter(|p| !p.disabled)
                    .filter(|p| {
                        let new = NewRecord {
                            client: ClientId(client),
                            kind: RecordKind::Enrollment,
                            owner: p.org,
                            security: None,
                            default_security: None,
                        };
                        can_create(&me.actor, &new).allowed
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let program = RwSignal::new(String::new());
    let case_name = RwSignal::new(name);
    let key = StoredValue::new(FormKey::new());
    let create = Action::new_local(move |_: &()| {
        let k = key.get_value();
        let program = program.get_untracked();
        let case_name = case_name.get_untracked();
        let today = session.with_me_untracked(|m| m.today);
        async move {
            let program_id = program
                .parse::<i64>()
                .map_err(|_| field_refusal("program_id", "choose a program"))?;
            let body = NewEnrollment {
                program_id: ProgramId(program_id),
                case_name,
                entry_date: today.ok_or_else(|| field_refusal("entry_date", "unknown today"))?,
                exit_date: None,
                move_in_date: None,
                head_of_household: false,
                prior_living_situation: None,
                disabling_condition: None,
                enrollment_coc: None,
                destination: None,
            };
            api::submit::<ep::CreateEnrollment>(&k, &[client], &NoQuery, &body).await
        }
    });
    Effect::new(move |_| {
        if let Some(answer) = create.value().get() {
            key.update_value(FormKey::renew);
            if let Ok(item) = answer {
                enrollment.set(Some(item.meta.id));
                state.set(Step::Done(format!("4. {}", item.title)));
            }
        }
    });
    let error = api::last_error(create);
    let busy = create.pending();
    let program_error = Memo::new(move |_| error.with(|e| field_error(e, "program_id")));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(());
    };
    view! {
        <StepFrame title="4. Enrollment (optional)" test_id="enroll-step" state=state>
            {move || {
                if programs.with(|p| p.is_none()) {
                    return view! { <p class="loading" role="status">"Loading programs…"</p> }.into_any();
                }
                let options = allowed.get();
                if options.is_empty() {
                    return view! {
                        <p class="gate-reason" data-test-id="enroll-reason">
                            "Your agency runs no program to enroll into. An enrollment is entered by the agency running the program."
                        </p>
                    }.into_any();
                }
                if program.get_untracked().is_empty() {
                    program.set(options[0].id.0.to_string());
                }
                view! {
                    <form class="record-form" on:submit=submit novalidate data-test-id="new-enroll-form">
                        <div class="field" class:field-invalid=move || program_error.with(Option::is_some)>
                            <label for="enroll-program">"Program"</label>
                            <p class="hint" id="enroll-program-hint">"Only your agency's programs. Entry date: today."</p>
                            <select id="enroll-program" data-test-id="enroll-program" aria-describedby="enroll-program-hint"
                                prop:value=move || program.get() on:change=move |ev| program.set(event_target_value(&ev))>
                                {options.into_iter().map(|p| view! {
                                    <option value=p.id.0.to_string()>{format!("{} ({})", p.name, p.project_type.label())}</option>
                                }).collect_view()}
                            </select>
                            {move || program_error.get().map(|m| view! { <p class="field-error" data-test-id="field-error">{m}</p> })}
                        </div>
                        <Field label="Case name" name="case_name" value=case_name form="enroll" error=error required=true
                            test_id="enroll-case-name" />
                        <FormError error=error fields=&["program_id", "case_name"] />
                        <button type="submit" class="primary" disabled=busy data-test-id="enroll-save">
                            {move || if busy.get() { "Enrolling…" } else { "Enroll" }}
                        </button>
                    </form>
                }.into_any()
            }}
        </StepFrame>
    }
}

/// Step 5: a first service (a need, a service transaction or a referral), in the enrollment of
/// step 4 when there is one.
#[component]
fn ServiceStep(client: i64, enrollment: RwSignal<Option<RecordId>>) -> impl IntoView {
    let session = use_session();
    let state = RwSignal::new(Step::Open);
    let kind = RwSignal::new(Some(ServiceKind::Transaction));
    let description = RwSignal::new(String::new());
    let key = StoredValue::new(FormKey::new());
    let create = Action::new_local(move |_: &()| {
        let k = key.get_value();
        let kind = kind.get_untracked();
        let description = description.get_untracked();
        let today = session.with_me_untracked(|m| m.today);
        let enrollment_id = enrollment.get_untracked();
        async move {
            let body = NewService {
                service_kind: kind.ok_or_else(|| field_refusal("service_kind", "choose one"))?,
                date: today.ok_or_else(|| field_refusal("date", "unknown today"))?,
                description,
                enrollment_id,
                case_management_minutes: None,
                case_management_note: None,
                note_security: None,
            };
            api::submit::<ep::CreateService>(&k, &[client], &NoQuery, &body).await
        }
    });
    Effect::new(move |_| {
        if let Some(answer) = create.value().get() {
            key.update_value(FormKey::renew);
            if let Ok(item) = answer {
                state.set(Step::Done(format!("5. {}", item.title)));
            }
        }
    });
    let error = api::last_error(create);
    let busy = create.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(());
    };
    view! {
        <StepFrame title="5. First service (optional)" test_id="service-step" state=state>
            <form class="record-form" on:submit=submit novalidate data-test-id="new-service-form">
                <EnumSelect label="What" name="service_kind" options=ServiceKind::ALL.to_vec()
                    label_of=ServiceKind::label value=kind form="first-service" error=error required=true />
                <Field label="Description" name="description" value=description form="first-service" error=error
                    required=true test_id="service-description" hint="e.g. “Blanket and water”, “Referred to the shelter”." />
                <FormError error=error fields=&["service_kind", "description"] />
                <button type="submit" class="primary" disabled=busy data-test-id="service-save">
                    {move || if busy.get() { "Saving…" } else { "Save the service" }}
                </button>
            </form>
        </StepFrame>
    }
}
