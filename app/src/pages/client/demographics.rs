//! Demographics and photo of a client's file (S-1, tier 1): shared with and editable by every
//! agency. A change replaces the whole set (the old one stays in the history, P-3); the photo is
//! replaced the same way. Neither is deleted.

use super::{record_list, use_client, ListView, SectionFrame};
use crate::api::{self, last_error, ApiError};
use crate::components::{DecisionGate, Field, FormError, GateMode, RecordCard};
use crate::Section;
use leptos::prelude::*;
use shared::api::endpoint::NoQuery;
use shared::api::endpoints as ep;
use shared::api::records::{
    DemographicsDetails, DemographicsInput, RecordDetails, RecordItem, RecordList,
};
use shared::hud::{RaceEthnicity, RaceEthnicitySet};
use shared::{can_delete, can_edit};

type List = LocalResource<Result<RecordList, ApiError>>;

#[component]
pub fn DemographicsSection() -> impl IntoView {
    let file = use_client();
    let list = record_list::<ep::ListDemographics>(file);
    let photos = record_list::<ep::ListPhotos>(file);
    view! {
        <SectionFrame section=Section::Demographics>
            <ListView list=list what="demographics" render=move |l| view! { <Demographics list=l reload=list /> } />
            <h3>"Photo"</h3>
            <ListView list=photos what="the photo" render=move |l| view! { <Photo list=l reload=photos /> } />
        </SectionFrame>
    }
}

fn current(list: &RecordList) -> Option<(RecordItem, DemographicsDetails)> {
    list.records
        .iter()
        .filter(|r| !r.meta.deleted)
        .find_map(|r| match &r.details {
            Some(RecordDetails::Demographics(d)) => Some((r.clone(), d.clone())),
            _ => None,
        })
}

/// The free-text answers beside race and ethnicity (3.04 is a HUD code list, below).
const FIELDS: [(&str, &str); 3] = [
    (
        "additional_race_ethnicity",
        "Additional race and ethnicity detail",
    ),
    ("religious_preference", "Religious preference"),
    ("citizenship_status", "Citizenship status"),
];

/// 3.04 as people read it: the chosen labels, or "Not recorded".
fn race_text(set: &Option<RaceEthnicitySet>, legacy: &[Option<String>]) -> String {
    match set {
        Some(set) => set
            .values()
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join("; "),
        None => {
            let old: Vec<&str> = legacy.iter().flatten().map(String::as_str).collect();
            if old.is_empty() {
                "Not recorded".to_owned()
            } else {
                format!(
                    "Not recorded as HUD codes (earlier answer: {})",
                    old.join("; ")
                )
            }
        }
    }
}

#[component]
fn Demographics(list: RecordList, reload: List) -> impl IntoView {
    let file = use_client();
    let now = current(&list);
    let d = now.as_ref().map(|(_, d)| d.clone()).unwrap_or_default();
    let values = [
        RwSignal::new(d.additional_race_ethnicity.clone().unwrap_or_default()),
        RwSignal::new(d.religious_preference.clone().unwrap_or_default()),
        RwSignal::new(d.citizenship_status.clone().unwrap_or_default()),
    ];
    let races: Vec<(RaceEthnicity, RwSignal<bool>)> = RaceEthnicity::ALL
        .into_iter()
        .map(|r| {
            let on = d.race_ethnicity.as_ref().is_some_and(|s| s.contains(r));
            (r, RwSignal::new(on))
        })
        .collect();
    let chosen = StoredValue::new(races);
    let editing = RwSignal::new(false);
    let local_error = RwSignal::new(None::<ApiError>);
    let client = file.id.get_untracked();
    let save = Action::new_local(move |body: &DemographicsInput| {
        let body = body.clone();
        async move {
            let answer = api::call::<ep::PutDemographics>(&[client], &NoQuery, &body).await;
            if answer.is_ok() {
                editing.set(false);
                reload.refetch();
            }
            answer
        }
    });
    let server_error = last_error(save);
    let error = Signal::derive(move || local_error.get().or_else(|| server_error.get()));
    let opt = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let picked: Vec<RaceEthnicity> = chosen
            .get_value()
            .iter()
            .filter(|(_, on)| on.get_untracked())
            .map(|(r, _)| *r)
            .collect();
        let race_ethnicity = if picked.is_empty() {
            None
        } else {
            match RaceEthnicitySet::parse(picked) {
                Ok(set) => Some(set),
                Err(e) => {
                    local_error.set(Some(e.into()));
                    return;
                }
            }
        };
        let body = DemographicsInput {
            race_ethnicity,
            additional_race_ethnicity: opt(values[0]),
            religious_preference: opt(values[1]),
            citizenship_status: opt(values[2]),
        };
        match shared::input::demographics(&body) {
            Err(e) => local_error.set(Some(e.into())),
            Ok(_) => {
                local_error.set(None);
                save.dispatch(body);
            }
        }
    };
    let race_shown = race_text(
        &d.race_ethnicity,
        &[d.legacy_race.clone(), d.legacy_ethnicity.clone()],
    );
    let shown = [
        d.additional_race_ethnicity,
        d.religious_preference,
        d.citizenship_status,
    ];
    let facts = FIELDS
        .iter()
        .zip(shown)
        .map(|((_, label), v)| {
            view! {
                <dt>{*label}</dt>
                <dd>{v.unwrap_or_else(|| "Not recorded".to_owned())}</dd>
            }
        })
        .collect_view();
    let card = now.map(|(r, _)| {
        let meta = r.meta;
        let read = file.can_read(&meta);
        let edit = Signal::derive(move || file.decide(|me, ctx| can_edit(&me.actor, &meta, ctx, me.today, &me.policy)));
        let delete = Signal::derive(move || file.decide(|me, ctx| can_delete(&me.actor, &meta, ctx, me.today, &me.policy)));
        let describe = file.describe();
        view! {
            <ul class="records single">
                <RecordCard meta=r.meta entered_by=r.entered_by title="Current demographics"
                    decision=read server_reason=r.reason orgs=file.orgs()>
                    <div class="actions record-actions">
                        <DecisionGate decision=edit describe=describe test_id="demographics-edit">
                            <button type="button" class="button" data-test-id="demographics-edit-open"
                                on:click=move |_| editing.set(true) disabled=move || editing.get()>"Change"</button>
                        </DecisionGate>
                    </div>
                    <DecisionGate decision=delete describe=describe mode=GateMode::Hide test_id="demographics-delete" action="Deleting">
                        <span></span>
                    </DecisionGate>
                    <p class="hint">"A change replaces the whole set; the earlier one stays in the history, so nothing is lost."</p>
                </RecordCard>
            </ul>
        }
    });
    let has_set = card.is_some();
    let busy = save.pending();
    view! {
        <dl class="facts" data-test-id="demographics">
            <dt>"Race and ethnicity"</dt>
            <dd data-test-id="race-ethnicity">{race_shown}</dd>
            {facts}
        </dl>
        {card}
        {(!has_set).then(|| view! {
            <button type="button" class="button" data-test-id="demographics-edit-open"
                on:click=move |_| editing.set(true)>"Record demographics"</button>
        })}
        <Show when=move || editing.get()>
            <form class="record-form contact-form" on:submit=submit novalidate data-test-id="demographics-form">
                <fieldset class="choices" aria-describedby="demographics-race_ethnicity-hint">
                    <legend>"Race and ethnicity (choose all that apply)"</legend>
                    <p class="hint" id="demographics-race_ethnicity-hint">"Or one of the last three alone."</p>
                    {chosen.get_value().into_iter().map(|(r, on)| {
                        let id = format!("demographics-race-{}", r.as_str());
                        view! {
                            <div class="checkbox-row">
                                <input type="checkbox" id=id.clone() name="race_ethnicity" prop:checked=move || on.get()
                                    on:change=move |ev| on.set(event_target_checked(&ev)) />
                                <label for=id>{r.label()}</label>
                            </div>
                        }
                    }).collect_view()}
                    {move || crate::components::field_error(&error.get(), "race_ethnicity").map(|m| view! {
                        <p class="field-error" data-test-id="field-error">{m}</p>
                    })}
                </fieldset>
                <div class="form-grid">
                    {FIELDS.iter().enumerate().map(|(i, (name, label))| view! {
                        <Field label=*label name=name value=values[i] form="demographics" error=error />
                    }).collect_view()}
                </div>
                <FormError error=error fields=&["race_ethnicity", "additional_race_ethnicity", "religious_preference", "citizenship_status"] describe=file.describe() />
                <div class="actions">
                    <button type="submit" class="primary" disabled=busy data-test-id="demographics-save">
                        {move || if busy.get() { "Saving…" } else { "Save demographics" }}
                    </button>
                    <button type="button" class="button" on:click=move |_| editing.set(false)>"Cancel"</button>
                </div>
            </form>
        </Show>
    }
}

#[component]
fn Photo(list: RecordList, reload: List) -> impl IntoView {
    let file = use_client();
    let client = file.id.get_untracked();
    let now = list.records.iter().find(|r| !r.meta.deleted).cloned();
    let version = now.as_ref().map(|r| r.meta.id.0).unwrap_or(0);
    let name = file.name();
    let upload = Action::new_local(move |file: &web_sys::File| {
        let f = file.clone();
        async move {
            let answer = api::upload::<ep::PutPhoto>(None, &[client], &NoQuery, f).await;
            if answer.is_ok() {
                reload.refetch();
            }
            answer
        }
    });
    let error = last_error(upload);
    let input_id = "photo-file";
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(f) = input.files().and_then(|l| l.get(0)) {
            upload.dispatch_local(f);
        }
    };
    let busy = upload.pending();
    let image = now.map(|r| {
        let read = file.can_read(&r.meta);
        view! {
            <img class="photo" src=format!("/api/v1/clients/{client}/photo?v={version}")
                alt=format!("Photo of {name}") data-test-id="photo" />
            <ul class="records single">
                <RecordCard meta=r.meta entered_by=r.entered_by title="Current photo" decision=read
                    server_reason=r.reason orgs=file.orgs() />
            </ul>
        }
    });
    let has = image.is_some();
    view! {
        {image}
        {(!has).then(|| view! { <p class="empty">"No photo yet."</p> })}
        <div class="field">
            <label for=input_id>{if has { "Replace the photo (JPEG or PNG)" } else { "Add a photo (JPEG or PNG)" }}</label>
            <input id=input_id type="file" accept="image/jpeg,image/png" data-test-id="photo-input"
                aria-describedby="photo-hint" on:change=on_change disabled=busy />
            <p class="hint" id="photo-hint">"The earlier photo stays in the history."</p>
        </div>
        <FormError error=error describe=file.describe() />
    }
}
