//! Reads: a client's records of one kind, the head-of-household checklist, one record; each
//! audited with what it showed.

use super::{item, load, scope};
use crate::db::records::{self as store, Program};
use crate::db::{AuditEntry, RecordRow};
use crate::error::ApiError;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use shared::api::records::*;
use shared::api::OrgName;
use shared::records::{AttachmentMeta, AttachmentTarget, CaseManagerAssignment, EnrollmentDates};
use shared::{ClientId, OrgId, ProgramId, Reason, RecordId, RecordKind, RecordMeta};
use std::collections::HashMap;

/// Client `id`'s records of one kind the caller may read, each with its reason, and nothing about
/// the others unless the policy's notice names their agencies (S-9). Tombstones are shown to SystemAdmins only (P-3).
pub async fn list(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
    kind: RecordKind,
) -> Result<RecordList, ApiError> {
    let s = scope(state, auth, id).await?;
    let mut conn = state.pool.acquire().await?;
    let rows = store::of_client(&mut conn, s.client.id, &[kind]).await?;
    let today = state.clock.today();
    let redacted = shared::redact(&auth.actor, today, &s.ctx(), &state.policy, rows);
    let mut reasons: Vec<String> = redacted
        .visible
        .iter()
        .map(|(_, r)| r.to_string())
        .collect();
    reasons.sort();
    reasons.dedup();
    // The visible records' details in one query (the hidden ones' are never read).
    let metas: Vec<&RecordMeta> = redacted.visible.iter().map(|(r, _)| &r.meta).collect();
    let mut details = store::details_of(&mut conn, &metas).await?;
    drop(conn);
    let withheld = redacted.notice(&state.policy);
    let mut records = Vec::with_capacity(redacted.visible.len());
    for (row, reason) in redacted.visible {
        let d = details.remove(&row.meta.id);
        records.push(item(state, &auth.actor, &s.ctx(), row, d, reason));
    }
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                format!("list {} records", kind.label()),
                // S-9: not even the audit (which agency admins read) counts what was withheld.
                format!("{} shown; {}", records.len(), reasons.join("; ")),
            )
            .client(Some(&s.client.hmis_number)),
        )
        .await?;
    Ok(RecordList {
        records,
        withheld_by: withheld_by(state, withheld).await?,
    })
}

/// S-9: the names of the agencies a list's notice names (`shared::withheld_notice`); `None`
/// when it says nothing, which is the default.
async fn withheld_by(
    state: &AppState,
    notice: Option<Vec<OrgId>>,
) -> Result<Option<Vec<OrgName>>, ApiError> {
    let Some(orgs) = notice else {
        return Ok(None);
    };
    let names = crate::db::org_names(&state.pool).await?;
    Ok(Some(name_orgs(&orgs, &names)))
}

/// The named organizations, in the order given (an id without a name is named by its number).
pub(crate) fn name_orgs(orgs: &[OrgId], names: &[OrgName]) -> Vec<OrgName> {
    orgs.iter()
        .map(|id| OrgName {
            id: *id,
            name: names
                .iter()
                .find(|n| n.id == *id)
                .map_or_else(|| format!("Organization {}", id.0), |n| n.name.clone()),
        })
        .collect()
}

/// What the checklist rules read of the records the caller may see.
#[derive(Default)]
struct Gathered {
    enrollments: Vec<EnrollmentDates>,
    attachments: Vec<AttachmentMeta>,
    managers: Vec<CaseManagerAssignment>,
    program_names: HashMap<ProgramId, String>,
}

/// Sorts the visible records by what the rules read of them (an enrollment of an unknown
/// program is left out).
fn gather(
    visible: Vec<(RecordRow, Reason)>,
    mut details: HashMap<RecordId, RecordDetails>,
    programs: &HashMap<ProgramId, Program>,
) -> Gathered {
    let mut g = Gathered::default();
    for (row, _) in visible {
        match details.remove(&row.meta.id) {
            Some(RecordDetails::Enrollment(e)) => {
                if let Some(program) = programs.get(&e.program_id) {
                    g.program_names.insert(program.id, program.name.clone());
                    g.enrollments.push(EnrollmentDates {
                        record: row.meta.id,
                        org: row.meta.provenance.org,
                        program: e.program_id,
                        project_type: program.project_type,
                        entry: e.entry_date,
                        exit: e.exit_date,
                        move_in: e.move_in_date,
                    });
                }
            }
            Some(RecordDetails::Attachment(a)) => g.attachments.push(AttachmentMeta {
                meta: row.meta,
                document_type: a.document_type,
                file_name: a.file_name,
                target: a
                    .service_id
                    .map_or(AttachmentTarget::ClientProfile, AttachmentTarget::Service),
            }),
            Some(RecordDetails::CaseManager(c)) => g.managers.push(CaseManagerAssignment {
                meta: row.meta,
                head_of_household: c.head_of_household,
                program: c.program_id,
                case_manager: c.case_manager_id,
                start: c.start_date,
                end: c.end_date,
            }),
            _ => {}
        }
    }
    g
}

/// The R-9 document checklist of client `id` as a head of household and the R-10 case-manager
/// gaps, computed by the shared rules from the records the caller may read; whether the client
/// is head of household today is the household's answer (`shared::household::head_of_household`).
pub async fn checklist(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
) -> Result<Checklist, ApiError> {
    let s = scope(state, auth, id).await?;
    let today = state.clock.today();
    let mut conn = state.pool.acquire().await?;
    let kinds = [
        RecordKind::Enrollment,
        RecordKind::Attachment,
        RecordKind::CaseManager,
    ];
    let rows = store::of_client(&mut conn, s.client.id, &kinds).await?;
    let visible = shared::redact(&auth.actor, today, &s.ctx(), &state.policy, rows).visible;
    let metas: Vec<&RecordMeta> = visible.iter().map(|(r, _)| &r.meta).collect();
    let details = store::details_of(&mut conn, &metas).await?;
    let program_ids: Vec<ProgramId> = details
        .values()
        .filter_map(|d| match d {
            RecordDetails::Enrollment(e) => Some(e.program_id),
            _ => None,
        })
        .collect();
    let programs = store::programs(&mut conn, &program_ids).await?;
    // the household says who is head of household (a client in none is their own).
    let head = crate::services::households::head_of(&mut conn, s.client.id, today).await?;
    drop(conn);
    let g = gather(visible, details, &programs);
    let documents = shared::resolution::head_of_household_checklist(head.is_head, &g.attachments);
    let missing = if head.is_head {
        shared::resolution::missing_case_managers(s.client.id, &g.enrollments, &g.managers, today)
    } else {
        Vec::new()
    };
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                "read head-of-household checklist",
                format!(
                    "{} of {} documents on file, {} programs without a case manager",
                    documents.iter().filter(|d| d.on_file).count(),
                    documents.len(),
                    missing.len()
                ),
            )
            .client(Some(&s.client.hmis_number)),
        )
        .await?;
    Ok(Checklist {
        head_of_household: head.is_head,
        documents,
        missing_case_managers: missing
            .into_iter()
            .map(|(org, program_id)| MissingCaseManager {
                org,
                program_id,
                program_name: g
                    .program_names
                    .get(&program_id)
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect(),
    })
}

/// Record `id`, 404 when missing or unreadable.
pub async fn get_record(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
) -> Result<RecordItem, ApiError> {
    let (row, s, read) = load(state, auth, id).await?;
    let mut conn = state.pool.acquire().await?;
    let details = store::details(&mut conn, &row.meta).await?;
    drop(conn);
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                format!("read record #{id}"),
                &read.reason,
            )
            .client(Some(&s.client.hmis_number)),
        )
        .await?;
    Ok(item(
        state,
        &auth.actor,
        &s.ctx(),
        row,
        details,
        read.reason,
    ))
}
