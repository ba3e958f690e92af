//! Households (seed 1b, S-1, R-4, R-5): create one with its first members, add and end members,
//! change the head, rename it, change its address; read it, and a client's memberships. Every
//! write: `db::begin_write`, the household write lock, the rows as committed, the shared
//! decision (`shared::household`), the write, its history (P-3), the audit entries (P-4, one per
//! member client it concerns, by HMIS number). Who is head of household for comes
//! from here (`head_of`), not from a flag on an enrollment.

use crate::db::households::{self as store, Subject};
use crate::db::{AuditEntry, ClientRow};
use crate::error::{allow, visible, ApiError};
use crate::services::auth::AuthUser;
use crate::state::AppState;
use chrono::{NaiveDate, NaiveDateTime};
use shared::api::households::*;
use shared::api::EnteredBy;
use shared::household::{self as rules, AddressRow, Household, Membership, NewMember};
use shared::ids::{HouseholdAddressId, HouseholdId, MembershipId};
use shared::resolution::ContactPlanError;
use shared::{ClientId, Decision, RecordId, RecordKind};
use sqlx::AnyConnection;

/// Who `client`'s head of household is on `on`: the shared derivation over the rows
/// of every household the client has belonged to.
pub async fn head_of(
    conn: &mut AnyConnection,
    client: ClientId,
    on: NaiveDate,
) -> Result<rules::HeadOf, ApiError> {
    let rows = store::rows_around_client(conn, client).await?;
    Ok(rules::head_of_household(client, &rows, on))
}

/// The household, if it exists and the caller may read it (S-1); else 404.
async fn readable(
    state: &AppState,
    auth: &AuthUser,
    id: HouseholdId,
) -> Result<(Household, EnteredBy, Decision), ApiError> {
    let mut conn = state.pool.acquire().await?;
    let (h, by) = store::household(&mut conn, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    drop(conn);
    let d = visible(rules::can_read_household(
        &auth.actor,
        &h,
        state.clock.today(),
        &state.policy,
    ))?;
    Ok((h, by, d))
}

/// The change decision (S-1, `can_change_household`): allowed, or audited and refused (403).
async fn decide(
    state: &AppState,
    auth: &AuthUser,
    owner: Option<shared::OrgId>,
    action: &str,
) -> Result<Decision, ApiError> {
    let d = rules::can_change_household(&auth.actor, owner, &state.policy);
    if !d.allowed {
        state
            .audit(AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                format!("refused: {action}"),
                &d.reason,
            ))
            .await?;
    }
    allow(d)
}

/// A client named in a body's `field`: one that exists, is not tombstoned and that the caller
/// may read; anything else is the same 422 naming the field (S-9: it does not say which).
async fn member_client(
    state: &AppState,
    auth: &AuthUser,
    field: &str,
    id: ClientId,
) -> Result<ClientRow, ApiError> {
    match crate::services::access::live_client(state, &auth.actor, id).await {
        Ok(c) => Ok(c),
        Err(ApiError::NotFound) => Err(ApiError::validation(field, "no such client")),
        Err(e) => Err(e),
    }
}

/// The household's audit entries: one per client it concerns (P-4), or one without a client.
fn entries(
    state: &AppState,
    auth: &AuthUser,
    action: &str,
    reason: &str,
    clients: &[&ClientRow],
) -> Vec<AuditEntry> {
    let e = || AuditEntry::new(state.clock.now(), &auth.actor, action, reason);
    if clients.is_empty() {
        return vec![e()];
    }
    clients
        .iter()
        .map(|c| e().client(Some(&c.hmis_number)))
        .collect()
}

/// A stored value as history keeps it (JSON).
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned())
}

/// Adds a membership row with its creation in history.
async fn add_row(
    conn: &mut AnyConnection,
    household: HouseholdId,
    m: &NewMember,
    auth: &AuthUser,
    now: NaiveDateTime,
) -> Result<MembershipId, ApiError> {
    let id = store::insert_member(conn, household, m, &auth.actor, now).await?;
    store::history(
        conn,
        household,
        Subject::Member(id),
        now,
        &auth.actor,
        "create",
        "null",
    )
    .await?;
    Ok(id)
}

/// Ends a membership row, its old value first in history.
async fn end_row(
    conn: &mut AnyConnection,
    row: &Membership,
    end: NaiveDate,
    auth: &AuthUser,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    store::history(
        conn,
        row.household,
        Subject::Member(row.id),
        now,
        &auth.actor,
        "end",
        &json(row),
    )
    .await?;
    store::end_member(conn, row.id, end).await?;
    Ok(())
}

/// The current rows of the household and of its members elsewhere, as committed (inside the
/// locked transaction).
async fn rows_in_tx(
    conn: &mut AnyConnection,
    household: HouseholdId,
    also: &[ClientId],
) -> Result<(Vec<Membership>, Vec<Membership>), ApiError> {
    let rows: Vec<Membership> = store::members(conn, household)
        .await?
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    let mut clients: Vec<ClientId> = rows
        .iter()
        .map(|r| r.client)
        .chain(also.iter().copied())
        .collect();
    clients.sort();
    clients.dedup();
    let elsewhere = store::rows_of_clients(conn, &clients)
        .await?
        .into_iter()
        .filter(|r| r.household != household)
        .collect();
    Ok((rows, elsewhere))
}

/// `POST /households`: a household with its first members (S-1).
pub async fn create(
    state: &AppState,
    auth: &AuthUser,
    input: NewHouseholdRequest,
) -> Result<HouseholdView, ApiError> {
    let name = rules::parse_family_name(&input.family_name)?;
    let mut clients = Vec::with_capacity(input.members.len());
    for m in &input.members {
        clients.push(member_client(state, auth, "members", m.client_id).await?);
    }
    let d = decide(state, auth, None, "create household").await?;
    let members: Vec<NewMember> = input
        .members
        .iter()
        .map(|m| NewMember {
            client: m.client_id,
            relationship: m.relationship,
            start: input.start_date,
            end: None,
        })
        .collect();
    let now = state.clock.now();
    let provenance = shared::Provenance {
        org: auth.actor.org,
        author: auth.actor.user,
        created_at: now,
    };
    let mut tx = crate::db::begin_write(&state.pool).await?;
    store::lock(&mut tx).await?;
    let ids: Vec<ClientId> = members.iter().map(|m| m.client).collect();
    let elsewhere = store::rows_of_clients(&mut tx, &ids).await?;
    rules::check_new_household(&members, &elsewhere, provenance, state.clock.today())?;
    let id = store::insert_household(&mut tx, &name, &auth.actor, now).await?;
    let h = Subject::Household(id);
    store::history(&mut tx, id, h, now, &auth.actor, "create", "null").await?;
    for m in &members {
        add_row(&mut tx, id, m, auth, now).await?;
    }
    tx.commit().await?;
    let all: Vec<&ClientRow> = clients.iter().collect();
    let action = format!("create household #{id} with {} members", members.len());
    state
        .audit_all(entries(state, auth, &action, &d.reason.to_string(), &all))
        .await?;
    view_of(state, auth, id).await
}

/// `PATCH /households/{id}`: a new family name; the old one in history (P-3).
pub async fn rename(
    state: &AppState,
    auth: &AuthUser,
    id: HouseholdId,
    input: RenameHouseholdRequest,
) -> Result<HouseholdView, ApiError> {
    let name = rules::parse_family_name(&input.family_name)?;
    let (h, _, _) = readable(state, auth, id).await?;
    let d = decide(state, auth, Some(h.provenance.org), "rename household").await?;
    let now = state.clock.now();
    let mut tx = crate::db::begin_write(&state.pool).await?;
    store::lock(&mut tx).await?;
    let (old, _) = store::household(&mut tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let old = serde_json::json!({ "family_name": old.family_name });
    let subject = Subject::Household(id);
    store::history(
        &mut tx,
        id,
        subject,
        now,
        &auth.actor,
        "rename",
        &old.to_string(),
    )
    .await?;
    store::rename(&mut tx, id, &name).await?;
    tx.commit().await?;
    let action = format!("rename household #{id}");
    audit_members(state, auth, id, &action, &d.reason.to_string()).await?;
    view_of(state, auth, id).await
}

/// The audit entries of a change to the whole household: one per current member.
async fn audit_members(
    state: &AppState,
    auth: &AuthUser,
    id: HouseholdId,
    action: &str,
    reason: &str,
) -> Result<(), ApiError> {
    let mut conn = state.pool.acquire().await?;
    let rows = store::members(&mut conn, id).await?;
    drop(conn);
    let today = state.clock.today();
    let mut clients = Vec::new();
    for (m, _) in rows.iter().filter(|(m, _)| m.is_current(today)) {
        if let Some(c) = crate::db::client_by_id(&state.pool, m.client).await? {
            clients.push(c);
        }
    }
    let all: Vec<&ClientRow> = clients.iter().collect();
    state
        .audit_all(entries(state, auth, action, reason, &all))
        .await
}

/// `POST /households/{id}/members`: a client joins (R-4: a new row).
pub async fn add_member(
    state: &AppState,
    auth: &AuthUser,
    id: HouseholdId,
    input: NewMemberRequest,
) -> Result<HouseholdView, ApiError> {
    let (h, _, _) = readable(state, auth, id).await?;
    let client = member_client(state, auth, "client_id", input.client_id).await?;
    let d = decide(state, auth, Some(h.provenance.org), "add household member").await?;
    let new = NewMember {
        client: input.client_id,
        relationship: input.relationship,
        start: input.start_date,
        end: input.end_date,
    };
    let now = state.clock.now();
    let provenance = shared::Provenance {
        org: auth.actor.org,
        author: auth.actor.user,
        created_at: now,
    };
    let mut tx = crate::db::begin_write(&state.pool).await?;
    store::lock(&mut tx).await?;
    let (rows, elsewhere) = rows_in_tx(&mut tx, id, &[new.client]).await?;
    rules::check_add_member(id, &rows, &elsewhere, &new, provenance, state.clock.today())?;
    let row = add_row(&mut tx, id, &new, auth, now).await?;
    tx.commit().await?;
    let action = format!(
        "add member #{row} to household #{id} as {}",
        new.relationship.as_str()
    );
    state
        .audit_all(entries(
            state,
            auth,
            &action,
            &d.reason.to_string(),
            &[&client],
        ))
        .await?;
    view_of(state, auth, id).await
}

/// `POST /household-members/{id}/end`: a member leaves on a date (the row's last day).
pub async fn end_member(
    state: &AppState,
    auth: &AuthUser,
    id: MembershipId,
    input: EndMembershipRequest,
) -> Result<HouseholdView, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let row = store::member(&mut conn, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    drop(conn);
    let (h, _, _) = readable(state, auth, row.household).await?;
    let client = crate::services::access::readable_client(state, &auth.actor, row.client).await?;
    let d = decide(
        state,
        auth,
        Some(h.provenance.org),
        "end household membership",
    )
    .await?;
    let now = state.clock.now();
    let mut tx = crate::db::begin_write(&state.pool).await?;
    store::lock(&mut tx).await?;
    let (rows, _) = rows_in_tx(&mut tx, h.id, &[]).await?;
    let seen = rows
        .iter()
        .find(|r| r.id == id)
        .copied()
        .ok_or(ApiError::NotFound)?;
    rules::check_end_membership(&rows, id, input.end_date, state.clock.today())?;
    end_row(&mut tx, &seen, input.end_date, auth, now).await?;
    tx.commit().await?;
    let action = format!(
        "end membership #{id} of household #{} on {}",
        h.id, input.end_date
    );
    state
        .audit_all(entries(
            state,
            auth,
            &action,
            &d.reason.to_string(),
            &[&client],
        ))
        .await?;
    view_of(state, auth, h.id).await
}

/// `POST /households/{id}/head`: a new head from a date; the current rows end the day before,
/// new rows start.
pub async fn change_head(
    state: &AppState,
    auth: &AuthUser,
    id: HouseholdId,
    input: ChangeHeadRequest,
) -> Result<HouseholdView, ApiError> {
    let (h, _, _) = readable(state, auth, id).await?;
    let mut clients = vec![member_client(state, auth, "client_id", input.client_id).await?];
    for r in &input.relationships {
        clients.push(member_client(state, auth, "relationships", r.client_id).await?);
    }
    let d = decide(
        state,
        auth,
        Some(h.provenance.org),
        "change head of household",
    )
    .await?;
    let change = rules::HeadChange {
        new_head: input.client_id,
        start: input.start_date,
        relationships: input
            .relationships
            .iter()
            .map(|r| (r.client_id, r.relationship))
            .collect(),
    };
    let now = state.clock.now();
    let provenance = shared::Provenance {
        org: auth.actor.org,
        author: auth.actor.user,
        created_at: now,
    };
    let mut tx = crate::db::begin_write(&state.pool).await?;
    store::lock(&mut tx).await?;
    let (rows, elsewhere) = rows_in_tx(&mut tx, id, &[input.client_id]).await?;
    let today = state.clock.today();
    let plan = rules::plan_head_change(id, &rows, &elsewhere, &change, provenance, today)?;
    for (row, end) in &plan.ends {
        if let Some(r) = rows.iter().find(|r| r.id == *row) {
            end_row(&mut tx, r, *end, auth, now).await?;
        }
    }
    for m in &plan.adds {
        add_row(&mut tx, id, m, auth, now).await?;
    }
    tx.commit().await?;
    let action = format!(
        "change head of household #{id} from {}: {} rows ended, {} added",
        input.start_date,
        plan.ends.len(),
        plan.adds.len()
    );
    // P-4: the members whose rows ended (those who left too), besides the ones named.
    for r in rows
        .iter()
        .filter(|r| plan.ends.iter().any(|(e, _)| *e == r.id))
    {
        if !clients.iter().any(|c| c.id == r.client) {
            if let Some(c) = crate::db::client_by_id(&state.pool, r.client).await? {
                clients.push(c);
            }
        }
    }
    let all: Vec<&ClientRow> = clients.iter().collect();
    state
        .audit_all(entries(state, auth, &action, &d.reason.to_string(), &all))
        .await?;
    view_of(state, auth, id).await
}

/// `POST /households/{id}/addresses`: an address change at the client's direction: a new
/// row, the rows it replaces end-dated, the correction note on the head's profile unless
/// declined, and the owners' notices if asked. Planned and written in one locked transaction on
/// the rows as committed, so two changes replacing the same row cannot both end it.
pub async fn add_address(
    state: &AppState,
    auth: &AuthUser,
    id: HouseholdId,
    input: NewHouseholdAddress,
) -> Result<HouseholdAddressResult, ApiError> {
    let today = state.clock.today();
    let kind = shared::dates::DateKind::Scheduled;
    shared::dates::check("start_date", kind, input.start_date, today)?;
    let (h, _, _) = readable(state, auth, id).await?;
    let d = decide(
        state,
        auth,
        Some(h.provenance.org),
        "change household address",
    )
    .await?;
    let now = state.clock.now();
    let mut tx = crate::db::begin_write(&state.pool).await?;
    store::lock(&mut tx).await?;
    let (rows, _) = rows_in_tx(&mut tx, id, &[]).await?;
    let stored: Vec<AddressRow> = store::addresses(&mut tx, id)
        .await?
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    let head = note_profile(&rows, input.start_date, today)?;
    let plan = match address_plan(auth, head, &input, &stored) {
        Ok(plan) => plan,
        Err(ApiError::Forbidden(reason)) => {
            drop(tx);
            let refused = "refused: household address change";
            state
                .audit(AuditEntry::new(now, &auth.actor, refused, &reason))
                .await?;
            return Err(ApiError::Forbidden(reason));
        }
        Err(e) => return Err(e),
    };
    let (row, note) = write_address(&mut tx, auth, now, id, &plan, &stored).await?;
    let notified = if input.notify_owners {
        notify_owners(&mut tx, auth, now, head, &plan, note).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    let action = format!(
        "household #{id} address change: new row #{}, {} end-dated, note {}",
        row,
        plan.end_date.len(),
        note.map_or("declined".to_owned(), |n| format!("#{n}"))
    );
    let reason = format!("{}; {}", shared::Reason::ClientDirected, d.reason);
    audit_members(state, auth, id, &action, &reason).await?;
    let view = view_of(state, auth, id).await?;
    let address = view
        .addresses
        .into_iter()
        .find(|a| a.id == row)
        .ok_or(ApiError::NotFound)?;
    Ok(HouseholdAddressResult {
        address,
        end_dated: plan
            .end_date
            .iter()
            .map(|e| HouseholdAddressId(e.row.0))
            .collect(),
        left_current: plan
            .left_current
            .iter()
            .map(|r| HouseholdAddressId(r.0))
            .collect(),
        correction_note: note,
        may_notify: plan.may_notify,
        notified,
    })
}

/// The profile the correction note goes to: the head of household on the change's date,
/// else today's, else the latest member's.
fn note_profile(
    rows: &[Membership],
    start: NaiveDate,
    today: NaiveDate,
) -> Result<ClientId, ApiError> {
    rows.iter()
        .find(|r| r.is_head() && r.is_current(start))
        .or_else(|| rows.iter().find(|r| r.is_head() && r.is_current(today)))
        .or_else(|| rows.last())
        .map(|r| r.client)
        .ok_or_else(|| ApiError::validation("household", "has no members"))
}

/// The shared plan of the change (`plan_address_change`): refused (403, `Forbidden`), invalid
/// (422; the value's field is `value`) or stale (409: a replaced row ended meanwhile).
fn address_plan(
    auth: &AuthUser,
    head: ClientId,
    input: &NewHouseholdAddress,
    stored: &[AddressRow],
) -> Result<shared::resolution::ContactPlan, ApiError> {
    let change = rules::AddressChange {
        value: input.value.clone(),
        start: input.start_date,
        replaces: input.replaces.clone(),
        client_directed: input.client_directed,
        decline_note: input.decline_note,
    };
    let plan = match rules::plan_address_change(&auth.actor, head, &change, stored) {
        Ok(p) => p,
        Err(ContactPlanError::Refused(reason)) => return Err(ApiError::Forbidden(reason)),
        Err(ContactPlanError::Invalid(e)) => {
            let field = if e.field == "address" {
                "value".to_owned()
            } else {
                e.field
            };
            return Err(ApiError::validation(field, e.reason));
        }
    };
    if let Some(gone) = plan.already_ended.first() {
        return Err(ApiError::ChangedMeanwhile(format!(
            "the household's address rows changed meanwhile (row #{gone} has ended): reload \
             them and try again"
        )));
    }
    Ok(plan)
}

/// The address change's writes, in its transaction: the replaced rows end-dated (old values in
/// history first), the new row and the correction note; the new row's id and the note's.
async fn write_address(
    tx: &mut AnyConnection,
    auth: &AuthUser,
    now: NaiveDateTime,
    id: HouseholdId,
    plan: &shared::resolution::ContactPlan,
    stored: &[AddressRow],
) -> Result<(HouseholdAddressId, Option<RecordId>), ApiError> {
    for e in &plan.end_date {
        let Some(old) = stored.iter().find(|a| a.id.0 == e.row.0) else {
            continue;
        };
        let subject = Subject::Address(old.id);
        store::history(tx, id, subject, now, &auth.actor, "end", &json(old)).await?;
        store::end_address(tx, old.id, e.end).await?;
    }
    let (value, start) = (&plan.add.value, plan.add.start);
    let row = store::insert_address(tx, id, value, start, &auth.actor, now).await?;
    let subject = Subject::Address(row);
    store::history(tx, id, subject, now, &auth.actor, "create", "null").await?;
    let note = match &plan.correction_note {
        Some(draft) => Some(add_note(tx, auth, draft, now).await?),
        None => None,
    };
    Ok((row, note))
}

/// notifies the AgencyAdmins of the agencies whose rows the change replaced, naming the
/// head's HMIS number only; the agencies notified.
async fn notify_owners(
    tx: &mut AnyConnection,
    auth: &AuthUser,
    now: NaiveDateTime,
    head: ClientId,
    plan: &shared::resolution::ContactPlan,
    note: Option<RecordId>,
) -> Result<Vec<shared::OrgId>, ApiError> {
    let Some(c) = crate::db::client_by_id(&mut *tx, head).await? else {
        return Ok(Vec::new());
    };
    for org in &plan.may_notify {
        let n = shared::notify::Notification::new(
            shared::notify::Recipient::AgencyAdmins { org: *org },
            c.hmis_number.clone(),
            shared::notify::Message::ContactDataCorrected {
                kind: shared::records::ContactKind::Address,
                by: auth.actor.org,
                note,
            },
        );
        crate::services::notify::enqueue(tx, &n, now).await?;
    }
    Ok(plan.may_notify.clone())
}

/// The correction note: a ProfileNote of the caller's agency on the head's profile, with
/// its creation in the record history.
async fn add_note(
    conn: &mut AnyConnection,
    auth: &AuthUser,
    draft: &shared::records::NoteDraft,
    now: NaiveDateTime,
) -> Result<RecordId, ApiError> {
    use crate::db::records;
    let id = records::insert_record(
        conn,
        records::NewRow {
            client: draft.client,
            kind: RecordKind::ProfileNote,
            org: auth.actor.org,
            author: auth.actor.user,
            at: now,
            security: None,
            title: "Profile note",
            detail: &draft.text,
        },
    )
    .await?;
    records::history(conn, id, now, &auth.actor, "create", "null").await?;
    Ok(id)
}

/// `GET /households/{id}`: the household as the caller may read it, audited once per member
/// shown (P-4).
pub async fn get(
    state: &AppState,
    auth: &AuthUser,
    id: HouseholdId,
) -> Result<HouseholdView, ApiError> {
    let view = view_of(state, auth, id).await?;
    let mut out = Vec::new();
    for m in &view.members {
        if !out
            .iter()
            .any(|e: &AuditEntry| e.hmis_number.as_deref() == Some(m.hmis_number.as_str()))
        {
            out.push(
                AuditEntry::new(
                    state.clock.now(),
                    &auth.actor,
                    format!("read household #{id}"),
                    &view.reason,
                )
                .client(Some(&m.hmis_number)),
            );
        }
    }
    if out.is_empty() {
        out.push(AuditEntry::new(
            state.clock.now(),
            &auth.actor,
            format!("read household #{id}"),
            &view.reason,
        ));
    }
    state.audit_all(out).await?;
    Ok(view)
}

/// The household as the caller sees it: members whose client the caller may read (S-1; a
/// tombstoned client only for SystemAdmins, P-3), every address row, the head today.
async fn view_of(
    state: &AppState,
    auth: &AuthUser,
    id: HouseholdId,
) -> Result<HouseholdView, ApiError> {
    let (h, by, d) = readable(state, auth, id).await?;
    let mut conn = state.pool.acquire().await?;
    let rows = store::members(&mut conn, id).await?;
    let addresses = store::addresses(&mut conn, id).await?;
    drop(conn);
    let today = state.clock.today();
    let plain: Vec<Membership> = rows.iter().map(|(m, _)| *m).collect();
    let head_today = plain
        .iter()
        .find(|r| r.is_current(today))
        .map(|r| rules::head_of_household(r.client, &plain, today).head);
    let mut members = Vec::with_capacity(rows.len());
    for (m, entered_by) in rows {
        let Ok(c) = crate::services::access::readable_client(state, &auth.actor, m.client).await
        else {
            continue;
        };
        members.push(MemberView {
            id: m.id,
            client_id: m.client,
            hmis_number: c.hmis_number,
            name: format!("{} {}", c.first_name, c.last_name),
            relationship: m.relationship,
            start_date: m.start,
            end_date: m.end,
            current: m.is_current(today),
            org: m.provenance.org,
            author: m.provenance.author,
            entered_by,
        });
    }
    Ok(HouseholdView {
        id: h.id,
        family_name: h.family_name,
        org: h.provenance.org,
        author: h.provenance.author,
        entered_by: by,
        head_today,
        members,
        addresses: addresses
            .into_iter()
            .map(|(a, entered_by)| HouseholdAddressView {
                id: a.id,
                current: shared::records::is_within(a.start, a.end, today),
                value: a.value,
                start_date: a.start,
                end_date: a.end,
                org: a.provenance.org,
                author: a.provenance.author,
                entered_by,
            })
            .collect(),
        reason: d.reason,
    })
}

/// The reason the caller reads the client's intake (S-1), as the audit entry says it.
fn read_reason(state: &AppState, auth: &AuthUser, client: &ClientRow) -> shared::Reason {
    let ctx = shared::SharingContext {
        rois: &[],
        mous: &[],
    };
    shared::can_read(
        &auth.actor,
        &client.meta,
        &ctx,
        state.clock.today(),
        &state.policy,
    )
    .reason
}

/// `GET /clients/{id}/households`: the client's memberships, newest first, and their head of
/// household today, audited as a read of the client (P-4).
pub async fn of_client(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
) -> Result<ClientHouseholds, ApiError> {
    let client = crate::services::access::readable_client(state, &auth.actor, id).await?;
    let today = state.clock.today();
    let mut conn = state.pool.acquire().await?;
    let around = store::rows_around_client(&mut conn, client.id).await?;
    let mut mine: Vec<&Membership> = around.iter().filter(|r| r.client == client.id).collect();
    mine.sort_by(|a, b| b.start.cmp(&a.start).then(b.id.cmp(&a.id)));
    let mut ids: Vec<HouseholdId> = mine.iter().map(|r| r.household).collect();
    ids.sort();
    ids.dedup();
    let names = store::family_names(&mut conn, &ids).await?;
    drop(conn);
    let head = rules::head_of_household(client.id, &around, today);
    let memberships = mine
        .iter()
        .map(|r| ClientMembership {
            household_id: r.household,
            family_name: names
                .iter()
                .find(|(h, _)| *h == r.household)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            membership_id: r.id,
            relationship: r.relationship,
            start_date: r.start,
            end_date: r.end,
            current: r.is_current(today),
        })
        .collect();
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                "list household memberships",
                read_reason(state, auth, &client),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    Ok(ClientHouseholds {
        client_id: client.id,
        head_of_household: head,
        memberships,
    })
}
