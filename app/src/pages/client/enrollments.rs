//! The Enrollments section of a client's file: every agency's enrollments the user
//! may read, drawn on one timeline with R-7's impossible overlaps marked (each can be taken up
//! with the other agency as an entry/exit conflict); the own agency's enrollments are edited and
//! exited here, other agencies' are read-only with the reason; a new enrollment goes into one of
//! the programs the shared rules let the user's agency enroll into. Also the small helpers the
//! record sections of this file share (programs, dates, local validation errors).

use super::{record_list, use_client, ListView, SectionFrame, WithheldNote};
use crate::api::{self, last_error, plain_words, ApiError, FormKey};
use crate::components::{
    ConfirmButton, DateInput, DecisionGate, EnumSelect, Field, FormError, GateMode, RecordCard,
    Timeline, TimelineBar, TimelineLane, TimelineMark,
};
use crate::session::use_session;
use crate::{Page, Section};
use chrono::NaiveDate;
use leptos::prelude::*;
use shared::actions::NewRecord;
use shared::api::accounts::Program;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints::{self as ep, EntryExitListQuery, ProgramQuery};
use shared::api::records::{
    EndDateInput, EnrollmentDetails, EnrollmentPatch, NewEnrollment, RecordDetails, RecordItem,
    RecordList, RecordPatch,
};
use shared::api::resolution::{EntryExitView, OpenEntryExitRequest};
use shared::api::ErrorBody;
use shared::hud::{CocCode, Destination, NoYesReasons, PriorLivingSituation};
use shared::records::EnrollmentDates;
use shared::resolution::{detect_entry_exit_conflicts, new_entry_exit_conflict, EntryExitConflict};
use shared::{
    can_create, can_delete, can_edit, can_end_date, ClientId, ParseError, ProgramId, RecordId,
    RecordKind,
};

type Programs = LocalResource<Result<Vec<Program>, ApiError>>;
type Reload = LocalResource<Result<RecordList, ApiError>>;

/// Every program (`GET /programs`), for the pickers and the timeline's project types.
pub(crate) fn programs_resource() -> Programs {
    LocalResource::new(|| async {
        api::call::<ep::ListPrograms>(&[], &ProgramQuery::default(), &NoBody).await
    })
}

/// A browser-side refusal of a form's field, shown like the server's (`ErrorBody.field`).
pub(crate) fn field_refusal(field: &str, message: &str) -> ApiError {
    ApiError::Failed(ErrorBody {
        error: format!("{field}: {message}"),
        field: Some(field.to_owned()),
        reason: None,
    })
}

/// A shared `ParseError` as the server would answer it.
pub(crate) fn parse_refusal(e: ParseError) -> ApiError {
    field_refusal(&e.field, &e.reason)
}

/// A date field's value: `None` when empty; a refusal naming `field` when not a date.
pub(crate) fn date_value(field: &str, value: &str) -> Result<Option<NaiveDate>, ApiError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<NaiveDate>()
        .map(Some)
        .map_err(|_| field_refusal(field, "enter a date as YYYY-MM-DD"))
}

/// A required date field's value.
pub(crate) fn required_date(field: &str, value: &str) -> Result<NaiveDate, ApiError> {
    date_value(field, value)?.ok_or_else(|| field_refusal(field, "enter a date"))
}

/// The signed-in user's today (the server's date), as a form's default.
pub(crate) fn today_text() -> String {
    use_session()
        .with_me_untracked(|me| me.today.to_string())
        .unwrap_or_default()
}

fn details(r: &RecordItem) -> Option<&EnrollmentDetails> {
    match &r.details {
        Some(RecordDetails::Enrollment(e)) => Some(e),
        _ => None,
    }
}

/// The enrollment's dates as R-7 reads them, with its program's project type.
fn dates(r: &RecordItem, programs: &[Program]) -> Option<EnrollmentDates> {
    let e = details(r)?;
    let program = programs.iter().find(|p| p.id == e.program_id)?;
    Some(EnrollmentDates {
        record: r.meta.id,
        org: r.meta.provenance.org,
        program: e.program_id,
        project_type: program.project_type,
        entry: e.entry_date,
        exit: e.exit_date,
        move_in: e.move_in_date,
    })
}

fn stay_text(e: &EnrollmentDetails) -> String {
    let mut parts = vec![format!("Entry {}", e.entry_date)];
    if let Some(m) = e.move_in_date {
        parts.push(format!("moved in {m}"));
    }
    parts.push(match e.exit_date {
        Some(x) => format!("exit {x}"),
        None => "ongoing".to_owned(),
    });
    parts.join(" · ")
}

#[component]
pub fn EnrollmentsSection() -> impl IntoView {
    let file = use_client();
    let list = record_list::<ep::ListEnrollments>(file);
    let programs = programs_resource();
    let detections = LocalResource::new(move || {
        let id = file.id.get();
        async move {
            let q = EntryExitListQuery { client: Some(id) };
            api::call::<ep::ListEntryExitConflicts>(&[], &q, &NoBody).await
        }
    });
    view! {
        <SectionFrame section=Section::Enrollments>
            <ListView list=list what="enrollments" render=move |l| view! {
                <Enrollments list=l reload=list programs=programs detections=detections />
            } />
            <NewEnrollmentForm list=list programs=programs detections=detections />
        </SectionFrame>
    }
}

#[component]
fn NewEnrollmentForm(
    list: Reload,
    programs: Programs,
    detections: LocalResource<Result<Vec<EntryExitView>, ApiError>>,
) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    let id = file.id;
    // The programs the shared rule lets this user enroll into: `can_create` with the program's
    // agency as the owner, as the server decides.
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
                        can_create(
                            &me.actor,
                            &NewRecord {
                                client: ClientId(id.get()),
                                kind: RecordKind::Enrollment,
                                owner: p.org,
                                security: None,
                                default_security: None,
                            },
                        )
                        .allowed
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let program = RwSignal::new(String::new());
    let case_name = RwSignal::new(String::new());
    let entry = RwSignal::new(today_text());
    let move_in = RwSignal::new(String::new());
    let prior = RwSignal::new(None::<PriorLivingSituation>);
    let disabling = RwSignal::new(None::<NoYesReasons>);
    let coc = RwSignal::new(String::new());
    let key = StoredValue::new(FormKey::new());
    let add = Action::new_local(move |_: &()| {
        let k = key.get_value();
        let program = program.get_untracked();
        let case_name = case_name.get_untracked();
        let entry = entry.get_untracked();
        let move_in = move_in.get_untracked();
        let prior = prior.get_untracked();
        let disabling = disabling.get_untracked();
        let coc = coc.get_untracked();
        async move {
            let program_id = program
                .parse::<i64>()
                .map_err(|_| field_refusal("program_id", "choose a program"))?;
            let body = NewEnrollment {
                program_id: ProgramId(program_id),
                case_name,
                entry_date: required_date("entry_date", &entry)?,
                exit_date: None,
                move_in_date: date_value("move_in_date", &move_in)?,
                // Derived by the server from the household: not the form's to say.
                head_of_household: false,
                prior_living_situation: prior,
                disabling_condition: disabling,
                enrollment_coc: coc_value(&coc)?,
                destination: None,
            };
            api::submit::<ep::CreateEnrollment>(&k, &[id.get_untracked()], &NoQuery, &body).await
        }
    });
    Effect::new(move |_| {
        if let Some(answer) = add.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                case_name.set(String::new());
                move_in.set(String::new());
                list.refetch();
                detections.refetch();
            }
        }
    });
    let error = last_error(add);
    let busy = add.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.dispatch(());
    };
    let program_error =
        Memo::new(move |_| error.with(|e| crate::components::field_error(e, "program_id")));
    view! {
        <section class="subsection" aria-labelledby="new-enrollment-heading" data-test-id="new-enrollment">
            <h3 id="new-enrollment-heading">"New enrollment"</h3>
            {move || {
                let options = allowed.get();
                if programs.with(|p| p.is_none()) {
                    return view! { <p class="loading" role="status">"Loading programs…"</p> }.into_any();
                }
                if options.is_empty() {
                    return view! {
                        <p class="gate-reason" data-test-id="new-enrollment-reason">
                            "Your agency runs no program to enroll into. An enrollment is entered by the agency running the program."
                        </p>
                    }.into_any();
                }
                if program.get_untracked().is_empty() {
                    program.set(options[0].id.0.to_string());
                }
                view! {
                    <form class="record-form" on:submit=submit data-test-id="enrollment-form">
                        <div class="form-grid">
                            <div class="field" class:field-invalid=move || program_error.with(Option::is_some)>
                                <label for="enrollment-new-program_id">"Program"<span class="required" aria-hidden="true">" *"</span></label>
                                <p class="hint" id="enrollment-new-program_id-hint">"Only your agency's programs."</p>
                                <select id="enrollment-new-program_id" name="program_id" data-test-id="field-program_id" required=true
                                    aria-describedby="enrollment-new-program_id-hint"
                                    prop:value=move || program.get()
                                    on:change=move |ev| program.set(event_target_value(&ev))>
                                    {options.into_iter().map(|p| view! {
                                        <option value=p.id.0.to_string()>{format!("{} ({})", p.name, p.project_type.label())}</option>
                                    }).collect_view()}
                                </select>
                                {move || program_error.get().map(|m| view! { <p class="field-error" data-test-id="field-error">{m}</p> })}
                            </div>
                            <Field label="Case name" name="case_name" value=case_name form="enrollment-new" error=error
                                required=true hint="The household's name, e.g. “Household Kim”." test_id="enrollment-case-name" />
                            <DateInput label="Entry date" name="entry_date" value=entry form="enrollment-new" error=error required=true />
                            <DateInput label="Housing move-in date" name="move_in_date" value=move_in form="enrollment-new" error=error
                                hint="Permanent housing only; leave empty otherwise." />
                        </div>
                        <div class="form-grid">
                            <EnumSelect label="Prior living situation (3.917)" name="prior_living_situation"
                                options=PriorLivingSituation::ALL.to_vec() label_of=PriorLivingSituation::label
                                value=prior form="enrollment-new" error=error placeholder=true />
                            <EnumSelect label="Disabling condition (3.08)" name="disabling_condition"
                                options=NoYesReasons::ALL.to_vec() label_of=NoYesReasons::label
                                value=disabling form="enrollment-new" error=error placeholder=true />
                            <Field label="Enrollment CoC (3.16)" name="enrollment_coc" value=coc form="enrollment-new"
                                error=error hint="The CoC code, e.g. NC-507." />
                        </div>
                        <p class="hint">"Head of household comes from the client's household (the Household section)."</p>
                        <FormError error=error fields=&["program_id", "case_name", "entry_date", "move_in_date", "prior_living_situation", "disabling_condition", "enrollment_coc"] describe=file.describe() />
                        <div class="actions">
                            <button type="submit" class="primary" data-test-id="enrollment-add" disabled=busy>
                                {move || if busy.get() { "Enrolling…" } else { "Enroll" }}
                            </button>
                        </div>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

/// The enrollment CoC typed into its field: empty is none; otherwise a HUD CoC code (3.16).
fn coc_value(s: &str) -> Result<Option<CocCode>, ApiError> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    CocCode::parse(s).map(Some).map_err(ApiError::from)
}

/// One overlap R-7 finds, numbered as on the timeline.
#[derive(Clone)]
struct Overlap {
    number: usize,
    conflict: EntryExitConflict,
}

#[component]
fn Enrollments(
    list: RecordList,
    reload: Reload,
    programs: Programs,
    detections: LocalResource<Result<Vec<EntryExitView>, ApiError>>,
) -> impl IntoView {
    let file = use_client();
    let orgs = file.orgs();
    let withheld = list.withheld_by.clone().filter(|o| !o.is_empty());
    let records: Vec<RecordItem> = list
        .records
        .into_iter()
        .filter(|r| !r.meta.deleted)
        .collect();
    if records.is_empty() {
        return view! {
            <p class="empty" data-test-id="empty">"No enrollments yet."</p>
            <WithheldNote orgs=withheld />
        }
        .into_any();
    }
    let records = StoredValue::new(records);
    let timeline = move || {
        let progs = programs.with(|p| match p {
            Some(Ok(p)) => Some(p.clone()),
            _ => None,
        })?;
        Some(records.with_value(|rs| {
            view! { <EnrollmentTimeline records=rs.clone() programs=progs detections=detections /> }
        }))
    };
    let cards = records.with_value(|rs| {
        rs.iter()
            .cloned()
            .map(|r| view! { <Enrollment record=r orgs=orgs.clone() reload=reload detections=detections /> })
            .collect_view()
    });
    view! {
        {timeline}
        <h3 class="list-heading">"Enrollments"</h3>
        <ul class="records">{cards}</ul>
        <WithheldNote orgs=withheld />
    }
    .into_any()
}

#[component]
fn EnrollmentTimeline(
    records: Vec<RecordItem>,
    programs: Vec<Program>,
    detections: LocalResource<Result<Vec<EntryExitView>, ApiError>>,
) -> impl IntoView {
    let file = use_client();
    let today = use_session()
        .with_me_untracked(|me| me.today)
        .unwrap_or_default();
    // Lanes: one per agency and program, oldest entry first.
    let mut sorted: Vec<&RecordItem> = records.iter().filter(|r| details(r).is_some()).collect();
    sorted.sort_by_key(|r| details(r).map(|e| e.entry_date));
    let mut lanes: Vec<(String, TimelineLane)> = Vec::new();
    for r in &sorted {
        let Some(e) = details(r) else { continue };
        let key = format!("{}:{}", r.meta.provenance.org.0, e.program_id.0);
        let bar = TimelineBar {
            start: e.entry_date,
            end: e.exit_date,
            move_in: e.move_in_date,
        };
        match lanes.iter_mut().find(|(k, _)| *k == key) {
            Some((_, lane)) => lane.bars.push(bar),
            None => lanes.push((
                key,
                TimelineLane {
                    label: e.program_name.clone(),
                    bars: vec![bar],
                },
            )),
        }
    }
    // the shared detection, the one the server runs, over the enrollments shown here.
    let all_dates: Vec<EnrollmentDates> =
        records.iter().filter_map(|r| dates(r, &programs)).collect();
    let overlaps: Vec<Overlap> = detect_entry_exit_conflicts(&all_dates)
        .into_iter()
        .enumerate()
        .map(|(i, c)| Overlap {
            number: i + 1,
            conflict: c,
        })
        .collect();
    let marks = overlaps
        .iter()
        .map(|o| TimelineMark {
            date: o.conflict.from,
            number: o.number,
        })
        .collect();
    let name = file.name();
    let desc = format!(
        "{} enrollment{} in {} program{}{}. The table below lists them.",
        sorted.len(),
        if sorted.len() == 1 { "" } else { "s" },
        lanes.len(),
        if lanes.len() == 1 { "" } else { "s" },
        match overlaps.len() {
            0 => String::new(),
            1 => ", one date conflict marked".to_owned(),
            n => format!(", {n} date conflicts marked"),
        }
    );
    let lanes: Vec<TimelineLane> = lanes.into_iter().map(|(_, l)| l).collect();
    let rows = sorted
        .iter()
        .filter_map(|r| details(r).map(|e| (r.entered_by.org_name.clone(), e.clone())))
        .map(|(org, e)| {
            view! {
                <tr>
                    <th scope="row">{e.program_name.clone()}<span class="table-org">{org}</span></th>
                    <td>{e.entry_date.to_string()}</td>
                    <td>{e.move_in_date.map(|d| d.to_string()).unwrap_or_else(|| "—".to_owned())}</td>
                    <td>{e.exit_date.map(|d| d.to_string()).unwrap_or_else(|| "ongoing".to_owned())}</td>
                </tr>
            }
        })
        .collect_view();
    let records = StoredValue::new(records);
    let overlap_items = overlaps
        .into_iter()
        .map(|o| view! { <OverlapItem overlap=o records=records detections=detections /> })
        .collect_view();
    let has_overlaps = !all_dates.is_empty() && !detect_entry_exit_conflicts(&all_dates).is_empty();
    view! {
        <section class="subsection timeline-block" aria-labelledby="timeline-heading" data-test-id="enrollment-timeline">
            <h3 id="timeline-heading">"Timeline"</h3>
            <div class="timeline-frame">
                <Timeline lanes=lanes marks=marks today=today
                    title=format!("Enrollments of {name} over time") desc=desc />
            </div>
            <p class="timeline-legend" aria-hidden="true">
                <span class="legend legend-open">"ongoing"</span>
                <span class="legend legend-ended">"ended"</span>
                <span class="legend legend-move-in">"move-in"</span>
                <span class="legend legend-mark">"date conflict"</span>
            </p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Enrollments table">
                <table class="timeline-table" data-test-id="timeline-table">
                    <caption class="visually-hidden">"Every enrollment on the timeline"</caption>
                    <thead><tr><th scope="col">"Program and agency"</th><th scope="col">"Entry"</th>
                        <th scope="col">"Move-in"</th><th scope="col">"Exit"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {has_overlaps.then(|| view! {
                <h4 class="overlaps-heading">"Dates that cannot all be true (R-7)"</h4>
            })}
            <ol class="overlaps" data-test-id="overlaps">{overlap_items}</ol>
        </section>
    }
}

/// One R-7 overlap: what cannot be true, from when, between which enrollments, and a way to take
/// it up with the agency that owns the other enrollment.
#[component]
fn OverlapItem(
    overlap: Overlap,
    records: StoredValue<Vec<RecordItem>>,
    detections: LocalResource<Result<Vec<EntryExitView>, ApiError>>,
) -> impl IntoView {
    let file = use_client();
    let c = overlap.conflict;
    let describe_enrollment = move |id: RecordId| {
        records.with_value(|rs| {
            rs.iter().find(|r| r.meta.id == id).and_then(|r| {
                details(r).map(|e| format!("{} ({})", e.program_name, r.entered_by.org_name))
            })
        })
    };
    let involved: Vec<RecordId> = std::iter::once(c.first).chain(c.second).collect();
    let names = involved
        .iter()
        .filter_map(|id| describe_enrollment(*id))
        .collect::<Vec<_>>()
        .join(" and ");
    let client_id = file.id.get_untracked();
    let conflicts_page = Page::Client(client_id, Section::Conflicts).path();
    let buttons = involved
        .into_iter()
        .filter_map(|enrollment| {
            let label = describe_enrollment(enrollment)?;
            let other = if enrollment == c.first {
                c.second
            } else {
                Some(c.first)
            };
            Some(view! {
                <OpenConflictButton enrollment=enrollment other=other conflict=c label=label
                    records=records detections=detections conflicts_page=conflicts_page.clone() />
            })
        })
        .collect_view();
    view! {
        <li class="overlap" data-test-id="overlap" data-issue=format!("{:?}", c.issue)>
            <span class="overlap-number" aria-hidden="true">{overlap.number.to_string()}</span>
            <div class="overlap-body">
                <p class="overlap-what">
                    <span class="visually-hidden">{format!("Date conflict {}: ", overlap.number)}</span>
                    {plain_words(c.issue.label(), None)}{format!(", from {}", c.from)}
                </p>
                <p class="overlap-who">{names}</p>
                <div class="actions">{buttons}</div>
            </div>
        </li>
    }
}

#[component]
fn OpenConflictButton(
    enrollment: RecordId,
    other: Option<RecordId>,
    conflict: EntryExitConflict,
    label: String,
    records: StoredValue<Vec<RecordItem>>,
    detections: LocalResource<Result<Vec<EntryExitView>, ApiError>>,
    conflicts_page: String,
) -> impl IntoView {
    let file = use_client();
    let session = use_session();
    // the shared rule that builds the conflict decides who may open it (not the owner).
    let refusal = records.with_value(|rs| {
        let r = rs.iter().find(|r| r.meta.id == enrollment)?;
        let e = details(r)?;
        let dates = EnrollmentDates {
            record: enrollment,
            org: r.meta.provenance.org,
            program: e.program_id,
            project_type: shared::records::ProjectType::Other,
            entry: e.entry_date,
            exit: e.exit_date,
            move_in: e.move_in_date,
        };
        let hmis = file.with_untracked(|p| p.hmis_number.clone())?;
        session.with_me_untracked(|me| {
            new_entry_exit_conflict(
                &me.actor,
                shared::notify::ConflictId(0),
                ClientId(file.id.get_untracked()),
                hmis,
                &dates,
                other,
                conflict.issue,
                me.today,
            )
            .err()
        })?
    });
    // The server's record of this detection (its id, and the conflict opened about it).
    let detection = Memo::new(move |_| {
        detections.with(|d| match d {
            Some(Ok(list)) => list
                .iter()
                .find(|v| {
                    v.issue == conflict.issue
                        && v.first == conflict.first
                        && v.second == conflict.second
                })
                .cloned(),
            _ => None,
        })
    });
    let open = Action::new_local(move |detection_id: &i64| {
        let id = *detection_id;
        let key = FormKey::new();
        let body = OpenEntryExitRequest {
            enrollment: enrollment.0,
        };
        async move { api::submit::<ep::OpenEntryExitConflict>(&key, &[id], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if open.value().with(|v| matches!(v, Some(Ok(_)))) {
            detections.refetch();
        }
    });
    let error = last_error(open);
    let busy = open.pending();
    let opened = Memo::new(move |_| {
        open.value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().ok().map(|c| c.id.0)))
    });
    if let Some(e) = refusal {
        return view! {
            <p class="gate-reason" data-test-id="open-conflict-reason">
                {format!("{label}: {}", plain_words(&e.reason, None))}
            </p>
        }
        .into_any();
    }
    let describe = file.describe();
    view! {
        <div class="open-conflict">
            {move || {
                let d = detection.get();
                if let Some(id) = opened.get() {
                    return view! {
                        <p class="done" role="status" data-test-id="conflict-opened">
                            {format!("Conflict #{id} opened with the agency. ")}
                            <a href=conflicts_page.clone()>"See conflicts"</a>
                        </p>
                    }.into_any();
                }
                match d {
                    Some(v) if v.conflict.is_some() => view! {
                        <p class="done" data-test-id="conflict-opened">
                            {format!("A conflict about this is open (#{}). ", v.conflict.map(|c| c.0).unwrap_or_default())}
                            <a href=conflicts_page.clone()>"See conflicts"</a>
                        </p>
                    }.into_any(),
                    Some(v) => view! {
                        <button type="button" class="button" data-test-id="open-conflict" disabled=busy
                            on:click=move |_| { open.dispatch(v.id); }>
                            {format!("Open a conflict about {label}")}
                        </button>
                    }.into_any(),
                    None => view! {
                        <p class="gate-reason">"Hearth has not recorded this conflict yet (it checks every night and after each change to an enrollment); it can be opened once recorded."</p>
                    }.into_any(),
                }
            }}
            <FormError error=error describe=describe />
        </div>
    }
    .into_any()
}

#[component]
fn Enrollment(
    record: RecordItem,
    orgs: Vec<shared::api::OrgName>,
    reload: Reload,
    detections: LocalResource<Result<Vec<EntryExitView>, ApiError>>,
) -> impl IntoView {
    let file = use_client();
    let meta = record.meta;
    let read = file.can_read(&meta);
    let edit_decision = Signal::derive(move || {
        file.decide(|me, ctx| can_edit(&me.actor, &meta, ctx, me.today, &me.policy))
    });
    let exit_decision = Signal::derive(move || {
        file.decide(|me, ctx| can_end_date(&me.actor, &meta, false, ctx, me.today, &me.policy))
    });
    let delete_decision = Signal::derive(move || {
        file.decide(|me, ctx| can_delete(&me.actor, &meta, ctx, me.today, &me.policy))
    });
    let d = details(&record).cloned();
    let exited = d.as_ref().is_some_and(|e| e.exit_date.is_some());
    let detail = d
        .as_ref()
        .map(|e| {
            let mut s = stay_text(e);
            if !e.case_name.is_empty() {
                s = format!("{} · {s}", e.case_name);
            }
            if e.head_of_household {
                s.push_str(" · head of household");
            }
            s
        })
        .unwrap_or(record.detail.clone());
    let record_id = meta.id.0;
    let editing = RwSignal::new(false);
    let exiting = RwSignal::new(false);
    let case_name = RwSignal::new(d.as_ref().map(|e| e.case_name.clone()).unwrap_or_default());
    let entry = RwSignal::new(
        d.as_ref()
            .map(|e| e.entry_date.to_string())
            .unwrap_or_default(),
    );
    let move_in = RwSignal::new(
        d.as_ref()
            .and_then(|e| e.move_in_date)
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let prior = RwSignal::new(d.as_ref().and_then(|e| e.prior_living_situation));
    let disabling = RwSignal::new(d.as_ref().and_then(|e| e.disabling_condition));
    let coc = RwSignal::new(
        d.as_ref()
            .and_then(|e| e.enrollment_coc.as_ref())
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default(),
    );
    let destination = RwSignal::new(None::<Destination>);
    let exit_date = RwSignal::new(today_text());
    let save = Action::new_local(move |_: &()| {
        let case_name = case_name.get_untracked();
        let entry = entry.get_untracked();
        let move_in = move_in.get_untracked();
        let prior = prior.get_untracked();
        let disabling = disabling.get_untracked();
        let coc = coc.get_untracked();
        async move {
            let patch = EnrollmentPatch {
                case_name: Some(case_name),
                entry_date: Some(required_date("entry_date", &entry)?),
                move_in_date: date_value("move_in_date", &move_in)?,
                head_of_household: None,
                prior_living_situation: prior,
                disabling_condition: disabling,
                enrollment_coc: coc_value(&coc)?,
                destination: None,
            };
            let body = RecordPatch::Enrollment(patch);
            api::call::<ep::UpdateRecord>(&[record_id], &NoQuery, &body).await
        }
    });
    let exit = Action::new_local(move |_: &()| {
        let date = exit_date.get_untracked();
        let destination = destination.get_untracked();
        async move {
            let body = EndDateInput {
                end_date: required_date("end_date", &date)?,
                client_directed: false,
                destination,
            };
            api::call::<ep::EndRecord>(&[record_id], &NoQuery, &body).await
        }
    });
    let delete = Action::new_local(move |_: &()| async move {
        api::call::<ep::DeleteRecord>(&[record_id], &NoQuery, &NoBody).await
    });
    Effect::new(move |_| {
        if save.value().with(|v| matches!(v, Some(Ok(_)))) {
            editing.set(false);
            reload.refetch();
            detections.refetch();
        }
    });
    Effect::new(move |_| {
        if exit.value().with(|v| matches!(v, Some(Ok(_)))) {
            exiting.set(false);
            reload.refetch();
            detections.refetch();
        }
    });
    Effect::new(move |_| {
        if delete.value().with(|v| matches!(v, Some(Ok(_)))) {
            reload.refetch();
            detections.refetch();
        }
    });
    let save_error = last_error(save);
    let exit_error = last_error(exit);
    let delete_error = last_error(delete);
    let describe = file.describe();
    let form = format!("enrollment-{record_id}");
    let form2 = form.clone();
    let saving = save.pending();
    let ending = exit.pending();
    let deleting = delete.pending();
    view! {
        <RecordCard meta=record.meta entered_by=record.entered_by title=record.title detail=detail
            decision=read server_reason=record.reason orgs=orgs ended=exited>
            <Show when=move || editing.get()>
                <form class="record-form" data-test-id="enrollment-edit-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    save.dispatch(());
                }>
                    <Field label="Case name" name="case_name" value=case_name form=form.clone() error=save_error required=true />
                    <DateInput label="Entry date" name="entry_date" value=entry form=form.clone() error=save_error required=true />
                    <DateInput label="Housing move-in date" name="move_in_date" value=move_in form=form.clone() error=save_error
                        hint="Permanent housing only." />
                    <EnumSelect label="Prior living situation (3.917)" name="prior_living_situation"
                        options=PriorLivingSituation::ALL.to_vec() label_of=PriorLivingSituation::label
                        value=prior form=form.clone() error=save_error placeholder=true />
                    <EnumSelect label="Disabling condition (3.08)" name="disabling_condition"
                        options=NoYesReasons::ALL.to_vec() label_of=NoYesReasons::label
                        value=disabling form=form.clone() error=save_error placeholder=true />
                    <Field label="Enrollment CoC (3.16)" name="enrollment_coc" value=coc form=form.clone()
                        error=save_error hint="The CoC code, e.g. NC-507." />
                    <FormError error=save_error fields=&["case_name", "entry_date", "move_in_date", "prior_living_situation", "disabling_condition", "enrollment_coc"] describe=describe />
                    <div class="actions">
                        <button type="submit" class="primary" disabled=saving data-test-id="enrollment-save">
                            {move || if saving.get() { "Saving…" } else { "Save changes" }}
                        </button>
                        <button type="button" class="button" on:click=move |_| editing.set(false)>"Cancel"</button>
                    </div>
                </form>
            </Show>
            <Show when=move || exiting.get()>
                <form class="record-form" data-test-id="enrollment-exit-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    exit.dispatch(());
                }>
                    <DateInput label="Exit date" name="end_date" value=exit_date form=form2.clone() error=exit_error required=true
                        hint="The last day of the stay." />
                    <EnumSelect label="Destination (3.12)" name="destination"
                        options=Destination::ALL.to_vec() label_of=Destination::label
                        value=destination form=form2.clone() error=exit_error placeholder=true />
                    <FormError error=exit_error fields=&["end_date", "destination"] describe=describe />
                    <div class="actions">
                        <button type="submit" class="primary" disabled=ending data-test-id="enrollment-exit-save">
                            {move || if ending.get() { "Recording…" } else { "Record exit" }}
                        </button>
                        <button type="button" class="button" on:click=move |_| exiting.set(false)>"Cancel"</button>
                    </div>
                </form>
            </Show>
            // One reason for a read-only enrollment; the own agency's get their actions.
            <DecisionGate decision=edit_decision describe=describe mode=GateMode::Hide test_id="enrollment-edit">
                <div class="actions record-actions">
                    <button type="button" class="button" data-test-id="enrollment-edit-open"
                        on:click=move |_| { exiting.set(false); editing.set(true); }>"Edit"</button>
                    {(!exited).then(|| view! {
                        <DecisionGate decision=exit_decision describe=describe test_id="enrollment-exit">
                            <button type="button" class="button" data-test-id="enrollment-exit-open"
                                on:click=move |_| { editing.set(false); exiting.set(true); }>"Exit"</button>
                        </DecisionGate>
                    })}
                    <DecisionGate decision=delete_decision describe=describe test_id="enrollment-delete">
                        <ConfirmButton label="Delete" question="Delete this enrollment? It is kept in the history for system administrators."
                            confirm="Delete enrollment" on_confirm=Callback::new(move |_| { delete.dispatch(()); })
                            disabled=deleting test_id="enrollment-delete-open" danger=true />
                    </DecisionGate>
                </div>
            </DecisionGate>
            <FormError error=delete_error describe=describe />
        </RecordCard>
    }
}
