//! Queries of households (migration 0015): the household, its membership rows and address rows,
//! `household_history` (P-3) and the household write lock. No rule lives here: the services ask
//! `shared::household`, this stores.

use super::{get_date, get_opt_date, parse_stored, parse_ts, ts};
use chrono::{NaiveDate, NaiveDateTime};
use shared::api::EnteredBy;
use shared::household::{AddressRow, Household, Membership, NewMember};
use shared::ids::{HouseholdAddressId, HouseholdId, MembershipId};
use shared::{Actor, ClientId, OrgId, Provenance, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The entering user's and organization's names of a household table's row (S-2).
fn entered_by(table: &str) -> String {
    format!(
        "(SELECT display_name FROM users WHERE users.id = {table}.author_id) AS entered_by_user,
         (SELECT name FROM organizations WHERE organizations.id = {table}.org_id) AS entered_by_org"
    )
}

fn provenance(row: &AnyRow) -> sqlx::Result<Provenance> {
    Ok(Provenance {
        org: OrgId(row.try_get("org_id")?),
        author: UserId(row.try_get("author_id")?),
        created_at: parse_ts(&row.try_get::<String, _>("created_at")?)?,
    })
}

/// Takes the household write lock: the first statement of every household write transaction
/// (after `db::begin_write`), so that household writes are serialized on both backends and each
/// one decides on what the others committed.
pub async fn lock(conn: &mut AnyConnection) -> sqlx::Result<()> {
    sqlx::query("UPDATE household_write_lock SET n = n + 1 WHERE id = 1")
        .execute(conn)
        .await?;
    Ok(())
}

/// A household with its creator's names.
pub async fn household(
    conn: &mut AnyConnection,
    id: HouseholdId,
) -> sqlx::Result<Option<(Household, EnteredBy)>> {
    let sql = format!(
        "SELECT id, family_name, org_id, author_id, created_at, {} FROM households WHERE id = $1",
        entered_by("households")
    );
    let row = sqlx::query(&sql).bind(id.0).fetch_optional(conn).await?;
    row.map(|r| {
        Ok((
            Household {
                id: HouseholdId(r.try_get("id")?),
                family_name: r.try_get("family_name")?,
                provenance: provenance(&r)?,
            },
            super::entered_by_from(&r)?,
        ))
    })
    .transpose()
}

/// Inserts a household; its id.
pub async fn insert_household(
    conn: &mut AnyConnection,
    family_name: &str,
    actor: &Actor,
    at: NaiveDateTime,
) -> sqlx::Result<HouseholdId> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO households (family_name, org_id, author_id, created_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(family_name)
    .bind(actor.org.0)
    .bind(actor.user.0)
    .bind(ts(at))
    .fetch_one(conn)
    .await?;
    Ok(HouseholdId(id))
}

/// Sets a household's family name.
pub async fn rename(conn: &mut AnyConnection, id: HouseholdId, name: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE households SET family_name = $1 WHERE id = $2")
        .bind(name)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

const MEMBER_COLUMNS: &str =
    "id, household_id, client_id, relationship, start_date, end_date, org_id, author_id, created_at";

fn member_from_row(r: &AnyRow) -> sqlx::Result<Membership> {
    Ok(Membership {
        id: MembershipId(r.try_get("id")?),
        household: HouseholdId(r.try_get("household_id")?),
        client: ClientId(r.try_get("client_id")?),
        relationship: parse_stored("relationship", &r.try_get::<String, _>("relationship")?)?,
        start: get_date(r, "start_date")?,
        end: get_opt_date(r, "end_date")?,
        provenance: provenance(r)?,
    })
}

/// Every membership row of a household, oldest first, with the names of who entered each.
pub async fn members(
    conn: &mut AnyConnection,
    household: HouseholdId,
) -> sqlx::Result<Vec<(Membership, EnteredBy)>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS}, {} FROM household_members WHERE household_id = $1
         ORDER BY start_date, id",
        entered_by("household_members")
    );
    let rows = sqlx::query(&sql).bind(household.0).fetch_all(conn).await?;
    rows.iter()
        .map(|r| Ok((member_from_row(r)?, super::entered_by_from(r)?)))
        .collect()
}

/// Every row of the given clients, in every household.
pub async fn rows_of_clients(
    conn: &mut AnyConnection,
    clients: &[ClientId],
) -> sqlx::Result<Vec<Membership>> {
    let mut out = Vec::new();
    for c in clients {
        let sql = format!("SELECT {MEMBER_COLUMNS} FROM household_members WHERE client_id = $1");
        let rows = sqlx::query(&sql).bind(c.0).fetch_all(&mut *conn).await?;
        for r in &rows {
            out.push(member_from_row(r)?);
        }
    }
    Ok(out)
}

/// Every row of every household the client has ever belonged to (what `head_of_household`
/// reads), oldest first.
pub async fn rows_around_client(
    conn: &mut AnyConnection,
    client: ClientId,
) -> sqlx::Result<Vec<Membership>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM household_members WHERE household_id IN
             (SELECT household_id FROM household_members WHERE client_id = $1)
         ORDER BY start_date, id"
    );
    let rows = sqlx::query(&sql).bind(client.0).fetch_all(conn).await?;
    rows.iter().map(member_from_row).collect()
}

/// Every membership row of every household (the HUD import checks its new rows against them).
pub async fn all_rows(conn: &mut AnyConnection) -> sqlx::Result<Vec<Membership>> {
    let sql = format!("SELECT {MEMBER_COLUMNS} FROM household_members ORDER BY start_date, id");
    let rows = sqlx::query(&sql).fetch_all(conn).await?;
    rows.iter().map(member_from_row).collect()
}

/// One membership row.
pub async fn member(
    conn: &mut AnyConnection,
    id: MembershipId,
) -> sqlx::Result<Option<Membership>> {
    let sql = format!("SELECT {MEMBER_COLUMNS} FROM household_members WHERE id = $1");
    let row = sqlx::query(&sql).bind(id.0).fetch_optional(conn).await?;
    row.as_ref().map(member_from_row).transpose()
}

/// Inserts a membership row; its id.
pub async fn insert_member(
    conn: &mut AnyConnection,
    household: HouseholdId,
    m: &NewMember,
    actor: &Actor,
    at: NaiveDateTime,
) -> sqlx::Result<MembershipId> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO household_members (household_id, client_id, relationship, start_date,
                                        end_date, org_id, author_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(household.0)
    .bind(m.client.0)
    .bind(m.relationship.as_str())
    .bind(super::date(m.start))
    .bind(m.end.map(super::date))
    .bind(actor.org.0)
    .bind(actor.user.0)
    .bind(ts(at))
    .fetch_one(conn)
    .await?;
    Ok(MembershipId(id))
}

/// Sets a membership row's last day.
pub async fn end_member(
    conn: &mut AnyConnection,
    id: MembershipId,
    end: NaiveDate,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE household_members SET end_date = $1 WHERE id = $2")
        .bind(super::date(end))
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// The households' family names, by id.
pub async fn family_names(
    conn: &mut AnyConnection,
    ids: &[HouseholdId],
) -> sqlx::Result<Vec<(HouseholdId, String)>> {
    let mut out = Vec::new();
    for id in ids {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT family_name FROM households WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some((name,)) = row {
            out.push((*id, name));
        }
    }
    Ok(out)
}

/// Every address row of a household, oldest first, with the names of who entered each.
pub async fn addresses(
    conn: &mut AnyConnection,
    household: HouseholdId,
) -> sqlx::Result<Vec<(AddressRow, EnteredBy)>> {
    let sql = format!(
        "SELECT id, household_id, value, start_date, end_date, org_id, author_id, created_at, {}
         FROM household_addresses WHERE household_id = $1 ORDER BY start_date, id",
        entered_by("household_addresses")
    );
    let rows = sqlx::query(&sql).bind(household.0).fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            Ok((
                AddressRow {
                    id: HouseholdAddressId(r.try_get("id")?),
                    household: HouseholdId(r.try_get("household_id")?),
                    value: r.try_get("value")?,
                    start: get_date(r, "start_date")?,
                    end: get_opt_date(r, "end_date")?,
                    provenance: provenance(r)?,
                },
                super::entered_by_from(r)?,
            ))
        })
        .collect()
}

/// Inserts an address row; its id.
pub async fn insert_address(
    conn: &mut AnyConnection,
    household: HouseholdId,
    value: &str,
    start: NaiveDate,
    actor: &Actor,
    at: NaiveDateTime,
) -> sqlx::Result<HouseholdAddressId> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO household_addresses (household_id, value, start_date, org_id, author_id,
                                          created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(household.0)
    .bind(value)
    .bind(super::date(start))
    .bind(actor.org.0)
    .bind(actor.user.0)
    .bind(ts(at))
    .fetch_one(conn)
    .await?;
    Ok(HouseholdAddressId(id))
}

/// Sets an address row's last day.
pub async fn end_address(
    conn: &mut AnyConnection,
    id: HouseholdAddressId,
    end: NaiveDate,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE household_addresses SET end_date = $1 WHERE id = $2")
        .bind(super::date(end))
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// What a history entry is about: the household itself, a member row or an address row.
#[derive(Debug, Clone, Copy)]
pub enum Subject {
    Household(HouseholdId),
    Member(MembershipId),
    Address(HouseholdAddressId),
}

/// Appends the old value of `subject` (JSON; `null` for a creation) before a change (P-3).
pub async fn history(
    conn: &mut AnyConnection,
    household: HouseholdId,
    subject: Subject,
    at: NaiveDateTime,
    actor: &Actor,
    action: &str,
    old_value: &str,
) -> sqlx::Result<()> {
    let (kind, id) = match subject {
        Subject::Household(h) => ("household", h.0),
        Subject::Member(m) => ("member", m.0),
        Subject::Address(a) => ("address", a.0),
    };
    sqlx::query(
        "INSERT INTO household_history (household_id, subject, subject_id, changed_at,
                                        changed_by, changed_by_org, action, old_value)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(household.0)
    .bind(kind)
    .bind(id)
    .bind(ts(at))
    .bind(actor.user.0)
    .bind(actor.org.0)
    .bind(action)
    .bind(old_value)
    .execute(conn)
    .await?;
    Ok(())
}

/// A household's history entries as (subject, subject id, action, old value), oldest first.
pub async fn history_of(
    conn: &mut AnyConnection,
    household: HouseholdId,
) -> sqlx::Result<Vec<(String, i64, String, String)>> {
    sqlx::query_as(
        "SELECT subject, subject_id, action, old_value FROM household_history
         WHERE household_id = $1 ORDER BY id",
    )
    .bind(household.0)
    .fetch_all(conn)
    .await
}
