//! `/api/v1/entry-exit-conflicts`: the entry/exit conflicts detected among a client's enrollments
//! listed per agency, and opening one addressed to the enrollment's owning agency. Its
//! later steps (attempts, escalation to the AgencyAdmins, the data center) are those of every
//! conflict under `/api/v1/conflicts/{id}`. The use cases are `services::entry_exit`.

use crate::error::ApiError;
use crate::extract::Json;
use crate::extract::PathId;
use crate::openapi::examples::{ex_date, ex_hmis};
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::services::entry_exit;
use crate::services::resolution::view;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shared::api::endpoints::{self as ep, EntryExitListQuery};
use shared::api::resolution::{ConflictView, EntryExitView, OpenEntryExitRequest};
use shared::notify::ConflictId;
use shared::resolution::ConflictSubject;
use shared::{ClientId, OrgId, RecordId};

// ---- OpenAPI: the operations and their examples ---------------------------------------------

type EntryExitConflictView = ConflictView;

/// Detection #4: client H0001005 moved into Eno Rapid Re-Housing (enrollment 230, Eno River
/// Housing, org 3) on 2026-11-03 while the Bull City Emergency Shelter stay (enrollment 214, Bull
/// City Shelter, org 2) continued.
fn ex_detection() -> EntryExitView {
    let issue = shared::resolution::EntryExitIssue::HousedDuringResidentialStay;
    EntryExitView {
        id: 4,
        client: ClientId(5),
        hmis_number: ex_hmis(1005),
        issue,
        description: issue.label().into(),
        first: RecordId(230),
        first_org: OrgId(3),
        second: Some(RecordId(214)),
        second_org: Some(OrgId(2)),
        from: ex_date(3),
        detected_at: ex_date(22).and_hms_opt(2, 0, 0).unwrap_or_default(),
        conflict: None,
    }
}

/// Eno River Housing (James Okafor, user 6) opens conflict #9 about the shelter enrollment,
/// addressed to Bull City Shelter, whose AgencyAdmins are told.
fn ex_entry_exit_conflict() -> ConflictView {
    let d = ex_detection();
    ConflictView {
        id: ConflictId(9),
        client: d.client,
        hmis_number: d.hmis_number,
        subject: ConflictSubject::EntryExit {
            enrollment: RecordId(214),
            other: Some(d.first),
            issue: d.issue,
        },
        state: shared::resolution::ConflictState::Open,
        reporter_org: OrgId(3),
        reporter_user: shared::UserId(6),
        addressed_org: OrgId(2),
        addressed_user: None,
        opened_on: ex_date(22),
        attempts: Vec::new(),
        note: None,
        escalation: shared::Decision::deny(shared::Reason::EscalationTooEarly {
            attempts: 0,
            attempts_needed: 3,
            span_days: 0,
            days_needed: 14,
            next_attempt_on_or_after: None,
        }),
    }
}

crate::documented!(ep::ListEntryExitConflicts {
    response: Vec<EntryExitView> = vec![ex_detection()];
});

crate::documented!(ep::OpenEntryExitConflict {
    request: OpenEntryExitRequest = OpenEntryExitRequest { enrollment: 214 };
    response: EntryExitConflictView = ex_entry_exit_conflict();
});

pub fn router() -> Api {
    Api::new()
        .at::<ep::ListEntryExitConflicts, _>(list)
        .at::<ep::OpenEntryExitConflict, _>(open)
}

/// Current detections involving an enrollment of the caller's agency (a SystemAdmin: all);
/// `?client=ID`: every current detection of that client (enrollments are tier 2, S-2).
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    crate::extract::Query(query): crate::extract::Query<EntryExitListQuery>,
) -> Result<Json<Vec<EntryExitView>>, ApiError> {
    let found =
        entry_exit::list_detections(&state, &auth.actor, query.client.map(ClientId)).await?;
    Ok(Json(found))
}

/// opens a conflict about `enrollment` (one of the detection's, owned by another agency),
/// addressed to its owning agency, whose AgencyAdmins are told. Answers 201 with the conflict.
async fn open(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(req): Json<OpenEntryExitRequest>,
) -> Result<(StatusCode, Json<ConflictView>), ApiError> {
    let enrollment = RecordId(req.enrollment);
    let stored = entry_exit::open_conflict(&state, &auth.actor, id, enrollment).await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&state, &stored, &auth.actor)),
    ))
}
