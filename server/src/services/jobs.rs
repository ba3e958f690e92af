//! Background work of the data-resolution plan: entry/exit detection on every enrollment write
//! and by a daily scan, the automatic data-center escalation 30 days after the agency-admin
//! notice, and email delivery. Everything reads the injectable clock; tests call
//! `run_due_jobs` after moving a `ManualClock`, never sleep.

use crate::db::resolution::{self as q};
use crate::error::ApiError;
use crate::services::resolution::apply_step;
use crate::state::AppState;
use shared::notify::ConflictId;
use shared::resolution::{
    automatic_step_actor, can_step, detect_entry_exit_conflicts, ConflictStep, EntryExitConflict,
};
use shared::{Actor, ClientId};

/// What one run of the due jobs did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobReport {
    /// Clients rescanned by the daily entry/exit scan (0 when it already ran today).
    pub scanned: usize,
    /// Entry/exit conflicts sent on to the data center.
    pub data_center: Vec<ConflictId>,
    /// Conflicts resolved because their entry/exit conflict is no longer detected.
    pub resolved: Vec<ConflictId>,
    pub emails_sent: usize,
    /// ROIs whose "ending soon" reminder was sent by this run (P-2: once per ROI).
    pub roi_reminders: Vec<shared::RoiId>,
    /// Idempotency keys forgotten because they are older than `KEY_LIFETIME_HOURS`.
    pub keys_expired: u64,
}

const DAILY_SCAN: &str = "entry_exit_scan";

/// re-detects the entry/exit conflicts of `client` after any of its enrollments was
/// written. The records API calls this after every enrollment create, edit, end or delete, once
/// the write is committed; returns the conflicts found. A failure here does not undo or fail
/// the write: it is logged (ids only) and the daily scan catches up.
pub async fn on_enrollment_written(state: &AppState, client: ClientId) -> Vec<EntryExitConflict> {
    match detect(state, client).await {
        Ok((found, _)) => found,
        Err(e) => {
            tracing::warn!(client = client.0, error = %e.cause(), "entry/exit detection failed");
            Vec::new()
        }
    }
}

/// The acting user the automatic steps are recorded under (`automatic_step_actor`).
async fn reporter_actor(
    conn: &mut sqlx::AnyConnection,
    c: &shared::resolution::DataConflict,
) -> Result<Actor, ApiError> {
    let role = crate::db::user_by_id(conn, c.reporter_user)
        .await?
        .map(|u| u.role);
    Ok(automatic_step_actor(c, role))
}

/// Detects and stores; conflicts about a detection that disappeared (the owner corrected the
/// dates) are resolved.
async fn detect(
    state: &AppState,
    client: ClientId,
) -> Result<(Vec<EntryExitConflict>, Vec<ConflictId>), ApiError> {
    let now = state.clock.now();
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let dates = q::enrollment_dates(&mut tx, client).await?;
    let found = detect_entry_exit_conflicts(&dates);
    let cleared = q::sync_detections(&mut tx, client, &found, now).await?;
    let mut resolved = Vec::new();
    for detection in cleared {
        for id in q::open_conflicts_of_detection(&mut tx, detection).await? {
            let Some(stored) = q::conflict(&mut tx, id).await? else {
                continue;
            };
            let actor = reporter_actor(&mut tx, &stored.conflict).await?;
            apply_step(&mut tx, state, &stored, &actor, ConflictStep::Resolve).await?;
            resolved.push(id);
        }
    }
    tx.commit().await?;
    Ok((found, resolved))
}

/// Runs what is due at the clock's now: the daily entry/exit scan (once a day), the R-8
/// data-center escalations whose 30 days have passed, and the email outbox.
pub async fn run_due_jobs(state: &AppState) -> Result<JobReport, ApiError> {
    let mut report = JobReport::default();
    let today = state.clock.today();
    let mut conn = state.pool.acquire().await?;
    if q::job_last_run(&mut conn, DAILY_SCAN).await? != Some(today) {
        let clients = q::clients_to_scan(&mut conn).await?;
        drop(conn);
        for client in &clients {
            let (_, resolved) = detect(state, *client).await?;
            report.resolved.extend(resolved);
        }
        report.scanned = clients.len();
        let mut conn = state.pool.acquire().await?;
        q::set_job_run(&mut conn, DAILY_SCAN, today).await?;
    } else {
        drop(conn);
    }
    let mut conn = state.pool.acquire().await?;
    let waiting = q::escalated_entry_exit_conflicts(&mut conn).await?;
    drop(conn);
    for id in waiting {
        let mut tx = crate::db::begin_write(&state.pool).await?;
        let Some(stored) = q::conflict(&mut tx, id).await? else {
            continue;
        };
        if let Some(d) = stored.detection {
            if !q::detection_is_current(&mut tx, d).await? {
                continue; // corrected: resolved by the scan
            }
        }
        let actor = reporter_actor(&mut tx, &stored.conflict).await?;
        let step = ConflictStep::EscalateToDataCenter;
        if !can_step(&stored.conflict, &actor, &step, today, &state.policy).allowed {
            continue;
        }
        apply_step(&mut tx, state, &stored, &actor, step).await?;
        tx.commit().await?;
        state
            .audit(
                crate::db::AuditEntry::new(
                    state.clock.now(),
                    &actor,
                    format!("conflict #{}: escalate_to_data_center (automatic)", id.0),
                    shared::Reason::ThresholdsMet,
                )
                .client(Some(&stored.conflict.hmis_number)),
            )
            .await?;
        report.data_center.push(id);
    }
    report.roi_reminders = remind_rois_ending_soon(state).await?;
    report.emails_sent = crate::services::notify::deliver_pending(state).await?;
    report.keys_expired = crate::services::idempotency::forget_expired(state).await?;
    Ok(report)
}

/// P-2 / R-13: sends the reminder of every ROI ending within the policy's `roi_reminder_days`
/// (`shared::roi_reminders`: to its setter and their agency's AgencyAdmins, HMIS number only),
/// once per ROI: the reminder is claimed (migration 0019) in the transaction that stores its
/// notifications, so a second run, or a second server, sends nothing. Audited under the setter,
/// as an automatic step. Returns the ROIs reminded.
async fn remind_rois_ending_soon(state: &AppState) -> Result<Vec<shared::RoiId>, ApiError> {
    let today = state.clock.today();
    let until = state.policy.roi_reminder_until(today, None);
    let mut conn = state.pool.acquire().await?;
    let due = crate::db::releases::rois_to_remind(&mut conn, today, until).await?;
    drop(conn);
    let mut sent = Vec::new();
    for row in due {
        let Ok(hmis) = shared::HmisNumber::parse(&row.hmis_number) else {
            continue;
        };
        let notes = shared::roi_reminders(&row.roi, &hmis, today, &state.policy);
        if notes.is_empty() {
            continue;
        }
        let now = state.clock.now();
        let mut tx = crate::db::begin_write(&state.pool).await?;
        if !crate::db::releases::claim_roi_reminder(&mut tx, &row.roi, today, now).await? {
            continue; // another run sent it
        }
        crate::services::notify::enqueue_once_each(&mut tx, &notes, now).await?;
        tx.commit().await?;
        let role = crate::db::user_by_id(&state.pool, row.roi.attestation.by)
            .await?
            .map_or(shared::Role::Caseworker, |u| u.role);
        let setter = Actor {
            user: row.roi.attestation.by,
            org: row.roi.attestation.org,
            role,
        };
        state
            .audit(
                crate::db::AuditEntry::new(
                    now,
                    &setter,
                    format!("roi #{}: ending-soon reminder (automatic)", row.roi.id.0),
                    shared::Reason::YourAgency,
                )
                .client(Some(&hmis)),
            )
            .await?;
        sent.push(row.roi.id);
    }
    Ok(sent)
}

/// The background loop started by `Application::run`: the due jobs every `jobs_every` (the
/// first run one period after start), and the email outbox every `mail_every` when SMTP is
/// configured. Errors are logged (without client data) and retried next time.
pub async fn run_forever(
    state: AppState,
    jobs_every: std::time::Duration,
    mail_every: std::time::Duration,
) {
    let start = tokio::time::Instant::now();
    let mut jobs = tokio::time::interval_at(start + jobs_every, jobs_every);
    let mut mail = tokio::time::interval_at(start + mail_every, mail_every);
    loop {
        tokio::select! {
            _ = jobs.tick() => {
                if let Err(e) = run_due_jobs(&state).await {
                    tracing::warn!(error = %e.cause(), "background jobs failed");
                }
            }
            _ = mail.tick() => {
                if let Err(e) = crate::services::notify::deliver_pending(&state).await {
                    tracing::warn!(error = %e, "email delivery failed");
                }
            }
        }
    }
}
