//! The conflict use cases: opening a data conflict, listing and reading the
//! conflicts a caller may see, and every step of a conflict, entry/exit ones included (a contact
//! attempt, agreement, escalation, resolution). The shared state machine decides each step
//! (`services::resolution::apply_step` stores it); each use case runs in one transaction and is
//! audited after it commits. They return the stored conflict; `resolution::view` shows it.

use crate::db::resolution::{self as q, ConflictFilter, StoredConflict};
use crate::db::AuditEntry;
use crate::error::ApiError;
use crate::services::resolution::{apply_step, may_see, stored_value};
use crate::state::AppState;
use chrono::NaiveDate;
use shared::api::endpoints::ConflictListQuery;
use shared::api::resolution::{ContactOutcome, NewConflictRequest};
use shared::intake::{parse_intake_value, value_source};
use shared::notify::ConflictId;
use shared::resolution::{
    check_attempt, new_field_conflict, next_escalation, parse_agreement, parse_conflict_field,
    parse_conflict_stored, resolves_on_agreement, AgreedValue, ConflictState, ConflictStep,
    ContactAttempt, ContactMethod,
};
use shared::{Actor, ClientId, Field, OrgId, ParseError};
use sqlx::AnyConnection;

/// client `client` stated a value that differs from the stored one (404 unless `actor` may
/// read the client and it is not tombstoned). The stored value is filled in and the conflict
/// addressed to the organization and user that entered it (`new_field_conflict`), whose
/// notice is queued with it; the stored value is not changed.
pub async fn open_field_conflict(
    state: &AppState,
    actor: &Actor,
    client: ClientId,
    req: &NewConflictRequest,
) -> Result<StoredConflict, ApiError> {
    let field = parse_conflict_field(Field::parse(&req.field)?, &state.policy)?;
    let today = state.clock.today();
    let now = state.clock.now();
    let stated = parse_intake_value(field, &req.stated_value, today, "stated_value")?;
    let client = crate::services::access::live_client(state, actor, client).await?;
    let stored = stored_value(&client, field);
    let stored = parse_conflict_stored(stored.as_deref())?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    // the value's source is whoever changed it last, else the intake's creator (the stored
    // value is not empty: `parse_conflict_stored` refused that).
    let recorded = q::field_provenance(&mut tx, client.id, field).await?;
    let source = value_source(field, true, recorded, &client.meta.provenance);
    let (entered_org, entered_user) = source.map_or(
        (client.meta.provenance.org, client.meta.provenance.author),
        |s| (s.org, s.user),
    );
    let build = |id| {
        new_field_conflict(
            actor,
            id,
            client.id,
            client.hmis_number.clone(),
            field,
            stored,
            &stated,
            entered_org,
            Some(entered_user),
            today,
        )
        .map_err(|e| match e.field.as_str() {
            "stated" => ParseError::new("stated_value", e.reason),
            _ => e,
        })
    };
    let (draft, _) = build(ConflictId(0))?;
    let id = q::insert_conflict(&mut tx, &draft, None, now).await?;
    let (_, notice) = build(id)?;
    crate::services::notify::enqueue(&mut tx, &notice, now).await?;
    let stored = q::conflict(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                actor,
                format!("open data conflict #{} ({})", id.0, field.as_str()),
                format!("addressed to organization {}", entered_org.0),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    Ok(stored)
}

/// `actor`'s organization's conflicts, raised and addressed (a SystemAdmin: all, by
/// `shared::agency_scope`), newest first, as `query` narrows them (422 for an unknown state or
/// kind). The listing is audited.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    query: ConflictListQuery,
) -> Result<Vec<StoredConflict>, ApiError> {
    if let Some(s) = &query.state {
        if !ConflictState::NAMES.contains(&s.as_str()) {
            return Err(ApiError::validation(
                "state",
                "use open, agreed, escalated, data_center or resolved",
            ));
        }
    }
    if let Some(k) = &query.kind {
        if !shared::api::endpoints::CONFLICT_KINDS.contains(&k.as_str()) {
            return Err(ApiError::validation("kind", "use field or entry_exit"));
        }
    }
    let queue = match query.queue.as_deref().map(str::trim) {
        None | Some("") => false,
        Some("mine") => true,
        Some(_) => return Err(ApiError::validation("queue", "use mine")),
    };
    let filter = ConflictFilter {
        org: shared::agency_scope(actor).org(),
        state: query.state,
        kind: query.kind,
        client: query.client.map(ClientId),
        field: None,
    };
    let mut conn = state.pool.acquire().await?;
    let mut found = q::conflicts(&mut conn, &filter).await?;
    drop(conn);
    if queue {
        found.retain(|c| shared::resolution::in_resolution_queue(actor, &c.conflict));
    }
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            actor,
            "list conflicts",
            format!("{} conflicts", found.len()),
        ))
        .await?;
    Ok(found)
}

/// Loads a conflict `actor` may see (404 otherwise).
async fn load(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: i64,
) -> Result<StoredConflict, ApiError> {
    q::conflict(conn, ConflictId(id))
        .await?
        .filter(|c| may_see(&c.conflict, actor))
        .ok_or(ApiError::NotFound)
}

/// Conflict `id`, if `actor` is a party to it or a SystemAdmin (404 otherwise); the read is
/// audited.
pub async fn read(state: &AppState, actor: &Actor, id: i64) -> Result<StoredConflict, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let stored = load(&mut conn, actor, id).await?;
    drop(conn);
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                actor,
                format!("read conflict #{id}"),
                "party to the conflict or system administrator",
            )
            .client(Some(&stored.conflict.hmis_number)),
        )
        .await?;
    Ok(stored)
}

/// Takes the step `make` gives for conflict `id` in one transaction (and then resolves it when
/// `then_resolve` says the step calls for that), audits it and returns the conflict after it.
async fn take_step(
    state: &AppState,
    actor: &Actor,
    id: i64,
    make: impl FnOnce(&StoredConflict) -> Result<ConflictStep, ApiError>,
    then_resolve: impl FnOnce(&ConflictStep) -> bool,
) -> Result<StoredConflict, ApiError> {
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let stored = load(&mut tx, actor, id).await?;
    let step = make(&stored)?;
    let resolve_after = then_resolve(&step);
    let name = step.as_str();
    let applied = apply_step(&mut tx, state, &stored, actor, step).await?;
    if resolve_after {
        let next = StoredConflict {
            conflict: applied.conflict.clone(),
            ..stored.clone()
        };
        apply_step(&mut tx, state, &next, actor, ConflictStep::Resolve).await?;
    }
    let after = q::conflict(&mut tx, ConflictId(id))
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                actor,
                format!("conflict #{id}: {name}"),
                after.conflict.state.as_str(),
            )
            .client(Some(&after.conflict.hmis_number)),
        )
        .await?;
    Ok(after)
}

/// `actor` logs a contact attempt on conflict `id` (on `when`, by `how`, with `outcome`),
/// if the shared `check_attempt` allows it; the attempt and the step are stored together.
pub async fn log_attempt(
    state: &AppState,
    actor: &Actor,
    id: i64,
    when: NaiveDate,
    how: ContactMethod,
    outcome: ContactOutcome,
) -> Result<StoredConflict, ApiError> {
    let today = state.clock.today();
    let now = state.clock.now();
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let stored = load(&mut tx, actor, id).await?;
    let attempt = ContactAttempt {
        on: when,
        method: how,
        by: actor.user,
        outcome: outcome.outcome(),
    };
    check_attempt(&stored.conflict, actor, &attempt, today, &state.policy)?;
    let step = ConflictStep::LogAttempt { attempt };
    q::insert_attempt(
        &mut tx,
        stored.conflict.id,
        when,
        how,
        outcome,
        (actor.org, actor.user),
        now,
    )
    .await?;
    apply_step(&mut tx, state, &stored, actor, step).await?;
    let after = q::conflict(&mut tx, ConflictId(id))
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                actor,
                format!("conflict #{id}: log_attempt"),
                format!("{} attempts", after.attempts.len()),
            )
            .client(Some(&after.conflict.hmis_number)),
        )
        .await?;
    Ok(after)
}

/// the parties agree on `value` and that `updater` updates it (`parse_agreement`).
/// Agreeing on the stored value resolves the conflict at once (`resolves_on_agreement`: there is
/// nothing to update); agreeing on the stated value waits for the updater's intake change.
pub async fn agree(
    state: &AppState,
    actor: &Actor,
    id: i64,
    value: AgreedValue,
    updater: OrgId,
) -> Result<StoredConflict, ApiError> {
    // An unknown organization is a mistake in the body (422 naming it); a known one that is not
    // a party is the rule's refusal (403, `can_step`).
    let orgs = crate::db::org_names(&state.pool).await?;
    if !orgs.iter().any(|o| o.id == updater) {
        return Err(ApiError::validation(
            "updater",
            format!("no organization has id {}", updater.0),
        ));
    }
    take_step(
        state,
        actor,
        id,
        |stored| Ok(parse_agreement(&stored.conflict, value, updater)?),
        resolves_on_agreement,
    )
    .await
}

/// the conflict's next escalation (`next_escalation`): to the addressed agency's
/// AgencyAdmins once the shared thresholds are met, and for an entry/exit conflict already
/// escalated, on to the data center.
pub async fn escalate(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<StoredConflict, ApiError> {
    take_step(
        state,
        actor,
        id,
        |stored| Ok(next_escalation(&stored.conflict)),
        |_| false,
    )
    .await
}

/// Marks conflict `id` resolved, as the shared state machine allows (a party, or once at the
/// data center a SystemAdmin).
pub async fn resolve(state: &AppState, actor: &Actor, id: i64) -> Result<StoredConflict, ApiError> {
    take_step(state, actor, id, |_| Ok(ConflictStep::Resolve), |_| false).await
}
