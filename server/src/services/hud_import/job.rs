//! The HUD CSV import run from the admin screen: an uploaded zip imported (or dry-run) by a
//! background task, one job at a time, its progress and then its report kept in memory for the
//! page to poll (`GET /admin/hud-import`). SystemAdmins only (`shared::admin::can_import_hud`),
//! audited when it starts and when it ends.

use super::{FileStatus, ImportRun, Input, Progress, Report, RowError};
use crate::db::AuditEntry;
use crate::error::ApiError;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use shared::api::hud_import::{
    HudFileReport, HudImportJob, HudImportReport, HudImportState, HudRowIssue,
};
use shared::Decision;

/// The largest zip the upload takes (the router's body ceiling is above it).
pub const MAX_ZIP_BYTES: usize = 16 * 1024 * 1024;

fn allow(d: Decision) -> Result<Decision, ApiError> {
    if d.allowed {
        Ok(d)
    } else {
        Err(ApiError::Forbidden(d.reason))
    }
}

/// `POST /admin/hud-import`: checks the caller and that the body is a zip, then starts the job
/// (409 while another runs) and answers with it at once.
pub async fn start(
    state: &AppState,
    auth: &AuthUser,
    dry_run: bool,
    zip: Vec<u8>,
) -> Result<HudImportJob, ApiError> {
    let d = allow(shared::admin::can_import_hud(&auth.actor))?;
    if zip.is_empty() {
        return Err(ApiError::validation(
            "file",
            "upload a zip of HUD CSV files",
        ));
    }
    if let Err(e) = zip::ZipArchive::new(std::io::Cursor::new(zip.as_slice())) {
        return Err(ApiError::validation(
            "file",
            format!("not a readable zip file: {e}"),
        ));
    }
    let Some(job) = state.hud_import.begin(dry_run) else {
        return Err(ApiError::conflict(
            "file",
            "an import is running: wait for its report",
        ));
    };
    let reason = d.reason.describe(&|o| format!("organization #{o}"));
    let what = if dry_run { "dry run" } else { "import" };
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            &auth.actor,
            format!(
                "start HUD CSV {what} #{} of an uploaded zip ({} bytes)",
                job.id,
                zip.len()
            ),
            reason.clone(),
        ))
        .await?;
    let (state, actor, id) = (state.clone(), auth.actor, job.id);
    tokio::spawn(async move {
        let run = ImportRun {
            pool: &state.pool,
            policy: &state.policy,
            input: Input::Zip(&zip),
            dry_run,
            now: state.clock.now(),
        };
        let jobs = &state.hud_import;
        let mut progress = |p: &Progress| {
            jobs.update(id, |j| {
                j.file = p.file.clone();
                j.done = p.done as u64;
                j.total = p.total as u64;
                j.elapsed_ms = u64::try_from(p.elapsed.as_millis()).unwrap_or(u64::MAX);
            })
        };
        let outcome = super::import(&run, &mut progress).await;
        let summary = match &outcome {
            Ok(r) => format!(
                "{} row errors, {} warnings",
                r.errors.len(),
                r.warnings.len()
            ),
            Err(e) => format!("failed: {e}"),
        };
        // Audited before the page can see the end (P-4: answered only once audited).
        let entry = AuditEntry::new(
            state.clock.now(),
            &actor,
            format!("end HUD CSV {what} #{id}: {summary}"),
            reason,
        );
        if let Err(e) = state.audit(entry).await {
            tracing::error!("HUD import job {id}: its audit entry failed: {e}");
        }
        jobs.update(id, |j| match outcome {
            Ok(report) => {
                j.state = HudImportState::Done;
                j.report = Some(wire(&report));
            }
            Err(e) => {
                j.state = HudImportState::Failed;
                j.error = Some(e);
            }
        });
    });
    Ok(job)
}

/// `GET /admin/hud-import`: the latest job, or none.
pub async fn latest(state: &AppState, auth: &AuthUser) -> Result<Option<HudImportJob>, ApiError> {
    allow(shared::admin::can_import_hud(&auth.actor))?;
    Ok(state.hud_import.latest())
}

fn issue(e: &RowError) -> HudRowIssue {
    HudRowIssue {
        file: e.file.to_owned(),
        line: e.line,
        column: e.column.clone(),
        reason: e.reason.clone(),
    }
}

/// The report as the API carries it (the same as the command line prints).
pub fn wire(r: &Report) -> HudImportReport {
    let n = |v: usize| v as u64;
    HudImportReport {
        source: r.source.clone(),
        dry_run: r.dry_run,
        files: r
            .files
            .iter()
            .map(|f| {
                let (status, reason) = match &f.status {
                    FileStatus::Imported => ("imported", None),
                    FileStatus::NotImported(why) => ("not_imported", Some(why.clone())),
                    FileStatus::Missing => ("missing", None),
                };
                HudFileReport {
                    file: f.file.clone(),
                    status: status.to_owned(),
                    reason,
                    rows: n(f.rows),
                    created: n(f.created),
                    updated: n(f.updated),
                    unchanged: n(f.unchanged),
                    tombstoned: n(f.tombstoned),
                    skipped: n(f.skipped),
                    errors: n(f.errors),
                    warnings: n(f.warnings),
                    notes: f.notes.clone(),
                }
            })
            .collect(),
        errors: r.errors.iter().map(issue).collect(),
        warnings: r.warnings.iter().map(issue).collect(),
        notes: r.notes.clone(),
    }
}
