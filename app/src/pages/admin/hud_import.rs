//! `/admin/hud-import`: a SystemAdmin uploads a zip of HUD CSV files, runs a dry run or the
//! import (a background job on the server), watches its progress (polled every second) and reads
//! the report: per file rows, created, updated, unchanged, tombstoned, warnings, errors, what was
//! not imported; then every row error and warning with its file, line, column and reason. The
//! form is gated by `shared::admin::can_import_hud`, the decision the server takes.

use crate::api::{self, ApiError};
use crate::components::{DecisionGate, FormError, RouteHeading};
use crate::session::use_session;
use leptos::html;
use leptos::prelude::*;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints as ep;
use shared::api::hud_import::{
    HudFileReport, HudImportJob, HudImportQuery, HudImportReport, HudImportState, HudRowIssue,
};
use shared::Decision;

/// How many errors and warnings the page lists (the rest are counted).
const SHOWN: usize = 200;

#[component]
pub fn HudImportPage() -> impl IntoView {
    let session = use_session();
    let decision = Signal::derive(move || {
        session
            .with_me(|me| shared::admin::can_import_hud(&me.actor))
            .unwrap_or_else(|| Decision::deny(shared::Reason::OnlySystemAdminsImportHud))
    });
    let describe = Callback::new(|r: shared::Reason| api::describe_plain(&r));
    let job = RwSignal::new(None::<HudImportJob>);
    let ticker = StoredValue::new(None::<IntervalHandle>);
    let poll = move || {
        if ticker.get_value().is_some() {
            return;
        }
        let handle = set_interval_with_handle(
            move || {
                leptos::task::spawn_local(async move {
                    if let Ok(j) = api::call::<ep::GetHudImport>(&[], &NoQuery, &NoBody).await {
                        let running = j
                            .as_ref()
                            .is_some_and(|j| j.state == HudImportState::Running);
                        job.set(j);
                        if !running {
                            if let Some(h) = ticker.get_value() {
                                h.clear();
                            }
                            ticker.set_value(None);
                        }
                    }
                });
            },
            std::time::Duration::from_secs(1),
        );
        ticker.set_value(handle.ok());
    };
    on_cleanup(move || {
        if let Some(h) = ticker.get_value() {
            h.clear();
        }
    });
    // The latest job (one may be running from before).
    Effect::new(move |_| {
        if decision.get().allowed {
            leptos::task::spawn_local(async move {
                if let Ok(j) = api::call::<ep::GetHudImport>(&[], &NoQuery, &NoBody).await {
                    if j.as_ref()
                        .is_some_and(|j| j.state == HudImportState::Running)
                    {
                        poll();
                    }
                    job.set(j);
                }
            });
        }
    });
    let input = NodeRef::<html::Input>::new();
    let start = Action::new_local(move |dry_run: &bool| {
        let dry_run = *dry_run;
        let file = input
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        async move {
            let file = file.ok_or_else(|| {
                ApiError::Failed(shared::api::ErrorBody {
                    error: "file: choose a zip of HUD CSV files".into(),
                    field: Some("file".into()),
                    reason: None,
                })
            })?;
            let query = HudImportQuery {
                dry_run: Some(dry_run.to_string()),
            };
            api::upload::<ep::StartHudImport>(None, &[], &query, file).await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(j)) = start.value().get() {
            job.set(Some(j));
            poll();
        }
    });
    let error = api::last_error(start);
    let running = move || {
        start.pending().get()
            || job.with(|j| {
                j.as_ref()
                    .is_some_and(|j| j.state == HudImportState::Running)
            })
    };
    view! {
        <section class="card hud-import" data-test-id="hud-import">
            <RouteHeading text="HUD CSV import" />
            <p>"Upload a zip of HUD HMIS CSV files (FY2026). A dry run checks every row and reports, storing nothing; the import stores what passes. Importing the same export again changes nothing."</p>
            <DecisionGate decision=decision describe=describe test_id="hud-import-gate" mode=crate::components::GateMode::Hide action="Importing">
                <form class="record-form" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
                    <div class="field">
                        <label for="hud-zip">"Zip of HUD CSV files"</label>
                        <input type="file" id="hud-zip" name="file" accept=".zip,application/zip"
                            node_ref=input data-test-id="hud-zip" />
                    </div>
                    <div class="actions">
                        <button type="button" data-test-id="hud-dry-run" disabled=running
                            on:click=move |_| { start.dispatch(true); }>"Dry run"</button>
                        <button type="button" class="primary" data-test-id="hud-run" disabled=running
                            on:click=move |_| { start.dispatch(false); }>"Import"</button>
                    </div>
                    <FormError error=error />
                </form>
            </DecisionGate>
            {move || job.get().map(|j| view! { <JobView job=j /> })}
        </section>
    }
}

#[component]
fn JobView(job: HudImportJob) -> impl IntoView {
    let what = if job.dry_run { "Dry run" } else { "Import" };
    let secs = job.elapsed_ms as f64 / 1000.0;
    let rate = if secs > 0.0 {
        job.done as f64 / secs
    } else {
        0.0
    };
    let state = match job.state {
        HudImportState::Running => "running",
        HudImportState::Done => "done",
        HudImportState::Failed => "failed",
    };
    view! {
        <div class="hud-job" data-test-id="hud-job" data-state=state>
            <h2>{format!("{what} #{}: {state}", job.id)}</h2>
            {(job.state == HudImportState::Running).then(|| view! {
                <p role="status">
                    <label for="hud-progress">{format!("{}: {} of {} rows, {secs:.1} s, {rate:.0} rows/s", if job.file.is_empty() { "Reading the files" } else { job.file.as_str() }, job.done, job.total)}</label>
                    <progress id="hud-progress" max=job.total.max(1) value=job.done></progress>
                </p>
            })}
            {job.error.clone().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {job.report.clone().map(|r| view! { <ReportView report=r /> })}
        </div>
    }
}

fn file_row(f: HudFileReport) -> impl IntoView {
    let status = match (f.status.as_str(), &f.reason) {
        ("imported", _) => "imported".to_owned(),
        ("missing", _) => "missing".to_owned(),
        (_, Some(why)) => format!("not imported: {why}"),
        (s, None) => s.to_owned(),
    };
    view! {
        <tr>
            <th scope="row">{f.file.clone()}</th>
            <td>{status}</td>
            <td>{f.rows}</td><td>{f.created}</td><td>{f.updated}</td><td>{f.unchanged}</td>
            <td>{f.tombstoned}</td><td>{f.skipped}</td><td>{f.warnings}</td><td>{f.errors}</td>
        </tr>
    }
}

fn issues(title: &'static str, test_id: &'static str, list: Vec<HudRowIssue>) -> impl IntoView {
    let total = list.len();
    let more = total.saturating_sub(SHOWN);
    view! {
        <section data-test-id=test_id>
            <h3>{format!("{title} ({total})")}</h3>
            {(total == 0).then(|| view! { <p class="empty">"None."</p> })}
            <ul class="hud-issues">
                {list.into_iter().take(SHOWN).map(|e| view! {
                    <li>{format!("{}: line {}: {}: {}", e.file, e.line, e.column, e.reason)}</li>
                }).collect_view()}
            </ul>
            {(more > 0).then(|| view! { <p>{format!("and {more} more (the command line prints them all)")}</p> })}
        </section>
    }
}

#[component]
fn ReportView(report: HudImportReport) -> impl IntoView {
    let notes: Vec<String> = report
        .notes
        .iter()
        .cloned()
        .chain(
            report
                .files
                .iter()
                .flat_map(|f| f.notes.iter().map(move |n| format!("{}: {n}", f.file))),
        )
        .collect();
    view! {
        <p data-test-id="hud-source">{format!("Source {}{}", report.source, if report.dry_run { " (dry run: nothing was stored)" } else { "" })}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Files">
            <table class="hud-files" data-test-id="hud-files">
                <thead><tr>
                    <th scope="col">"File"</th><th scope="col">"Status"</th><th scope="col">"Rows"</th>
                    <th scope="col">"Created"</th><th scope="col">"Updated"</th><th scope="col">"Unchanged"</th>
                    <th scope="col">"Tombstoned"</th><th scope="col">"Skipped"</th><th scope="col">"Warnings"</th>
                    <th scope="col">"Errors"</th>
                </tr></thead>
                <tbody>{report.files.into_iter().map(file_row).collect_view()}</tbody>
            </table>
        </div>
        {issues("Row errors: not imported", "hud-errors", report.errors)}
        {issues("Warnings: imported without the value named", "hud-warnings", report.warnings)}
        <section>
            <h3>"Notes: what was not imported, and why"</h3>
            <ul class="hud-issues">{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
        </section>
    }
}
