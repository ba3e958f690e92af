//! Enrollments, services and case-manager assignments: the records a
//! program's agency creates.

use super::writes::insert;
use super::{decide, new_record, referenced, scope, to_service, Scope};
use crate::db::records as store;
use crate::error::ApiError;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use shared::actions::NewRecord;
use shared::api::records::*;
use shared::records::{check_case_manager_agency, CaseManagerAssignment, EnrollmentDates, Service};
use shared::{can_create, ClientId, ProgramId, RecordId, RecordKind, RecordMeta};

async fn program_or_422(state: &AppState, id: ProgramId) -> Result<store::Program, ApiError> {
    let mut conn = state.pool.acquire().await?;
    store::program(&mut conn, id)
        .await?
        .ok_or_else(|| ApiError::validation("program_id", format!("no program #{id}")))
}

/// Enrolls client `id` in a program: owned by the program's agency, which must be the
/// caller's; then re-detects the client's entry/exit conflicts.
pub async fn create_enrollment(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
    input: NewEnrollment,
) -> Result<RecordItem, ApiError> {
    let case_name = shared::input::new_enrollment(&input, state.clock.today())?;
    let s = scope(state, auth, id).await?;
    let program = program_or_422(state, input.program_id).await?;
    let d = decide(
        state,
        auth,
        &s,
        "create enrollment",
        can_create(
            &auth.actor,
            &new_record(&s, RecordKind::Enrollment, program.org),
        ),
    )
    .await?;
    EnrollmentDates {
        record: RecordId(0),
        org: program.org,
        program: program.id,
        project_type: program.project_type,
        entry: input.entry_date,
        exit: input.exit_date,
        move_in: input.move_in_date,
    }
    .parse()?;
    let details = RecordDetails::Enrollment(EnrollmentDetails {
        program_id: program.id,
        program_name: program.name,
        case_name,
        entry_date: input.entry_date,
        exit_date: input.exit_date,
        move_in_date: input.move_in_date,
        // Derived (HUD's RelationshipToHoH at entry): the household decides, not the body.
        head_of_household: head_on(state, s.client.id, input.entry_date).await?,
        prior_living_situation: input.prior_living_situation,
        disabling_condition: input.disabling_condition,
        enrollment_coc: input.enrollment_coc,
        destination: input.destination,
    });
    let it = insert(
        state,
        auth,
        &s,
        RecordKind::Enrollment,
        program.org,
        None,
        details,
        &d,
        None,
    )
    .await?;
    crate::services::jobs::on_enrollment_written(state, s.client.id).await;
    Ok(it)
}

/// Records a service given to client `id`, claiming the enrollment it names. The
/// case-management note is governed by its own setting, as a form (S-5): lowering it below the
/// case-note default needs an AgencyAdmin.
pub async fn create_service(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
    input: NewService,
) -> Result<RecordItem, ApiError> {
    shared::input::new_service(&input, state.clock.today())?;
    let s = scope(state, auth, id).await?;
    let enrollment = match input.enrollment_id {
        Some(e) => Some(
            referenced(
                state,
                auth,
                &s,
                ("enrollment_id", e),
                RecordKind::Enrollment,
            )
            .await?,
        ),
        None => None,
    };
    let note_default = state.policy.default_security_for_service_note();
    let note_security = input.note_security.unwrap_or(note_default);
    let d = decide(
        state,
        auth,
        &s,
        "create service",
        can_create(
            &auth.actor,
            &new_record(&s, RecordKind::Service, auth.actor.org),
        ),
    )
    .await?;
    decide(
        state,
        auth,
        &s,
        "create service note",
        can_create(
            &auth.actor,
            &NewRecord {
                security: Some(note_security),
                default_security: Some(note_default),
                ..new_record(&s, RecordKind::Form, auth.actor.org)
            },
        ),
    )
    .await?;
    let sd = ServiceDetails {
        service_kind: input.service_kind,
        date: input.date,
        description: input.description.trim().to_owned(),
        enrollment_id: input.enrollment_id,
        case_management_minutes: input.case_management_minutes,
        case_management_note: input
            .case_management_note
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty()),
        note_security,
        note_hidden: false,
    };
    to_service(s.client.meta, &sd).parse_service()?;
    insert(
        state,
        auth,
        &s,
        RecordKind::Service,
        auth.actor.org,
        None,
        RecordDetails::Service(sd),
        &d,
        enrollment.as_ref(),
    )
    .await
}

/// `Service::parse` checks the kind of its meta; the new service's meta is built here.
pub(super) trait ParseService {
    fn parse_service(self) -> Result<Service, shared::ParseError>;
}

impl ParseService for Service {
    fn parse_service(mut self) -> Result<Service, shared::ParseError> {
        self.meta.kind = RecordKind::Service;
        self.parse()
    }
}

/// Assigns a case manager to client `id`: assigned by the program's agency, to one of
/// its users.
pub async fn create_case_manager(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
    input: NewCaseManager,
) -> Result<RecordItem, ApiError> {
    shared::input::new_case_manager(&input, state.clock.today())?;
    let s = scope(state, auth, id).await?;
    let program = program_or_422(state, input.program_id).await?;
    let mut conn = state.pool.acquire().await?;
    let cm_org = store::user_org(&mut conn, input.case_manager_id).await?;
    drop(conn);
    check_case_manager_agency(cm_org, program.org)?;
    // case managers are identified for heads of household (the household says who is).
    let mut conn = state.pool.acquire().await?;
    let head =
        crate::services::households::head_of(&mut conn, s.client.id, input.start_date).await?;
    drop(conn);
    let assign = shared::household::can_assign_case_manager(&head);
    decide(state, auth, &s, "create case manager", assign).await?;
    let d = decide(
        state,
        auth,
        &s,
        "create case manager",
        can_create(
            &auth.actor,
            &new_record(&s, RecordKind::CaseManager, program.org),
        ),
    )
    .await?;
    let cm = CaseManagerDetails {
        head_of_household: s.client.id,
        agency: program.org,
        program_id: program.id,
        case_manager_id: input.case_manager_id,
        start_date: input.start_date,
        end_date: input.end_date,
    };
    check_case_manager(&s, &cm)?;
    insert(
        state,
        auth,
        &s,
        RecordKind::CaseManager,
        program.org,
        None,
        RecordDetails::CaseManager(cm),
        &d,
        None,
    )
    .await
}

/// An assignment's dates and people as R-10 accepts them, else 422.
pub(super) fn check_case_manager(s: &Scope, cm: &CaseManagerDetails) -> Result<(), ApiError> {
    CaseManagerAssignment {
        meta: RecordMeta {
            kind: RecordKind::CaseManager,
            ..s.client.meta
        },
        head_of_household: cm.head_of_household,
        program: cm.program_id,
        case_manager: cm.case_manager_id,
        start: cm.start_date,
        end: cm.end_date,
    }
    .parse()?;
    Ok(())
}

/// Whether `client` is head of their household on `on` (`services::households::head_of`).
pub(super) async fn head_on(
    state: &AppState,
    client: ClientId,
    on: chrono::NaiveDate,
) -> Result<bool, ApiError> {
    let mut conn = state.pool.acquire().await?;
    Ok(crate::services::households::head_of(&mut conn, client, on)
        .await?
        .is_head)
}
