//! Queries of organizations, programs and user accounts. Nothing here deletes a row (P-3): each
//! is disabled instead. Callers decide who may do what (shared::admin) before calling.

use super::{ts, Pool};
use chrono::NaiveDateTime;
use shared::api::accounts::{Organization, Program};
use shared::{OrgId, ProgramId, Role, UserId};
use sqlx::any::AnyRow;
use sqlx::Row;

fn org_from_row(r: &AnyRow) -> sqlx::Result<Organization> {
    Ok(Organization {
        id: OrgId(r.try_get("id")?),
        name: r.try_get("name")?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
    })
}

pub async fn organizations(pool: &Pool) -> sqlx::Result<Vec<Organization>> {
    let rows = sqlx::query("SELECT id, name, disabled FROM organizations ORDER BY lower(name), id")
        .fetch_all(pool)
        .await?;
    rows.iter().map(org_from_row).collect()
}

pub async fn organization(pool: &Pool, id: OrgId) -> sqlx::Result<Option<Organization>> {
    let row = sqlx::query("SELECT id, name, disabled FROM organizations WHERE id = $1")
        .bind(id.0)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(org_from_row).transpose()
}

/// The organization with this name, ignoring case.
pub async fn organization_named(pool: &Pool, name: &str) -> sqlx::Result<Option<Organization>> {
    let row =
        sqlx::query("SELECT id, name, disabled FROM organizations WHERE lower(name) = lower($1)")
            .bind(name)
            .fetch_optional(pool)
            .await?;
    row.as_ref().map(org_from_row).transpose()
}

pub async fn insert_organization(
    pool: &Pool,
    name: &str,
    now: NaiveDateTime,
) -> sqlx::Result<OrgId> {
    let mut tx = super::begin_write(pool).await?;
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO organizations (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(ts(now))
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(OrgId(id))
}

pub async fn update_organization(pool: &Pool, org: &Organization) -> sqlx::Result<()> {
    sqlx::query("UPDATE organizations SET name = $1, disabled = $2 WHERE id = $3")
        .bind(&org.name)
        .bind(i64::from(org.disabled))
        .bind(org.id.0)
        .execute(pool)
        .await?;
    Ok(())
}

fn program_from_row(r: &AnyRow) -> sqlx::Result<Program> {
    let code: i64 = r.try_get("hud_project_type")?;
    Ok(Program {
        id: ProgramId(r.try_get("id")?),
        org: OrgId(r.try_get("org_id")?),
        name: r.try_get("name")?,
        hud_project_type: code,
        project_type: super::records::project_type(code)?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
    })
}

const PROGRAM_SELECT: &str = "SELECT id, org_id, name, hud_project_type, disabled FROM programs";

pub async fn programs(pool: &Pool, org: Option<OrgId>) -> sqlx::Result<Vec<Program>> {
    let rows = match org {
        Some(org) => {
            let sql = format!("{PROGRAM_SELECT} WHERE org_id = $1 ORDER BY lower(name), id");
            sqlx::query(&sql).bind(org.0).fetch_all(pool).await?
        }
        None => {
            let sql = format!("{PROGRAM_SELECT} ORDER BY org_id, lower(name), id");
            sqlx::query(&sql).fetch_all(pool).await?
        }
    };
    rows.iter().map(program_from_row).collect()
}

pub async fn program(pool: &Pool, id: ProgramId) -> sqlx::Result<Option<Program>> {
    let sql = format!("{PROGRAM_SELECT} WHERE id = $1");
    let row = sqlx::query(&sql).bind(id.0).fetch_optional(pool).await?;
    row.as_ref().map(program_from_row).transpose()
}

pub async fn insert_program(
    pool: &Pool,
    org: OrgId,
    name: &str,
    hud_project_type: i64,
) -> sqlx::Result<ProgramId> {
    let mut tx = super::begin_write(pool).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO programs (org_id, name, hud_project_type) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(org.0)
    .bind(name)
    .bind(hud_project_type)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(ProgramId(id))
}

pub async fn update_program(pool: &Pool, p: &Program) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE programs SET name = $1, hud_project_type = $2, disabled = $3 WHERE id = $4",
    )
    .bind(&p.name)
    .bind(p.hud_project_type)
    .bind(i64::from(p.disabled))
    .bind(p.id.0)
    .execute(pool)
    .await?;
    Ok(())
}

/// Every user, or those of one organization, by username.
pub async fn user_ids(pool: &Pool, org: Option<OrgId>) -> sqlx::Result<Vec<UserId>> {
    let rows: Vec<(i64,)> = match org {
        Some(org) => {
            sqlx::query_as("SELECT id FROM users WHERE org_id = $1 ORDER BY username")
                .bind(org.0)
                .fetch_all(pool)
                .await?
        }
        None => {
            sqlx::query_as("SELECT id FROM users ORDER BY username")
                .fetch_all(pool)
                .await?
        }
    };
    Ok(rows.into_iter().map(|(id,)| UserId(id)).collect())
}

/// Whether a username is taken, ignoring case.
pub async fn username_taken(pool: &Pool, username: &str) -> sqlx::Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM users WHERE lower(username) = lower($1)")
            .bind(username)
            .fetch_optional(pool)
            .await?;
    Ok(row.is_some())
}

/// Whether any SystemAdmin account exists (enabled or not).
pub async fn system_admin_exists(pool: &Pool) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE role = $1 LIMIT 1")
        .bind("SystemAdmin")
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some())
}

pub struct NewUserRow<'a> {
    pub org: OrgId,
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub now: NaiveDateTime,
}

pub async fn insert_user(pool: &Pool, u: NewUserRow<'_>) -> sqlx::Result<UserId> {
    let mut tx = super::begin_write(pool).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (org_id, username, display_name, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(u.org.0)
    .bind(u.username)
    .bind(u.display_name)
    .bind(u.role.as_str())
    .bind(u.password_hash)
    .bind(ts(u.now))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(UserId(id))
}

pub async fn update_user(
    pool: &Pool,
    id: UserId,
    display_name: &str,
    role: Role,
    disabled: bool,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET display_name = $1, role = $2, disabled = $3 WHERE id = $4")
        .bind(display_name)
        .bind(role.as_str())
        .bind(i64::from(disabled))
        .bind(id.0)
        .execute(pool)
        .await?;
    Ok(())
}

/// Sets a new password hash and clears any lockout.
pub async fn set_password(pool: &Pool, id: UserId, hash: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2",
    )
    .bind(hash)
    .bind(id.0)
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether a database error is a unique-constraint violation (a race lost to a concurrent insert).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.is_unique_violation()
                || d.message().contains("UNIQUE constraint failed")
                || d.message().contains("duplicate key value")
        }
        _ => false,
    }
}
