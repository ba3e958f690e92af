//! Queries of client intake (S-1): possible duplicates and inserting a client with the next HMIS
//! number.

use super::{ts, Pool};
use chrono::NaiveDateTime;
use shared::intake::NewClient;
use shared::{ClientId, HmisNumber, OrgId, UserId};

/// Live clients with the same first and last name (case-insensitive) and date of birth.
/// Without a date of birth there is nothing precise enough to compare: no candidates.
pub async fn possible_duplicates(pool: &Pool, new: &NewClient) -> sqlx::Result<Vec<HmisNumber>> {
    let Some(dob) = new.date_of_birth else {
        return Ok(Vec::new());
    };
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT hmis_number FROM clients
         WHERE deleted = 0 AND lower(last_name) = lower($1) AND lower(first_name) = lower($2)
           AND date_of_birth = $3
         ORDER BY hmis_number",
    )
    .bind(new.last_name.as_str().to_owned())
    .bind(new.first_name.as_str().to_owned())
    .bind(super::date(dob.date()))
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(h,)| HmisNumber::parse(&h).map_err(|e| sqlx::Error::Decode(Box::new(e))))
        .collect()
}

/// Inserts the client with the next free HMIS number (one more than the highest), retrying if a
/// concurrent intake took the same number (the column is UNIQUE); `None` when five tries lost.
pub async fn insert_client(
    pool: &Pool,
    new: &NewClient,
    org: OrgId,
    author: UserId,
    at: NaiveDateTime,
) -> sqlx::Result<Option<(ClientId, HmisNumber)>> {
    for _ in 0..5 {
        // One transaction per try (a unique violation ends a PostgreSQL transaction): the row
        // and its search keys commit together, with the request's idempotency claim if any.
        let mut tx = super::begin_write(pool).await?;
        let (max,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(CAST(substr(hmis_number, 2) AS BIGINT)), 0) FROM clients",
        )
        .fetch_one(&mut *tx)
        .await?;
        let next = u32::try_from(max + 1).unwrap_or(u32::MAX);
        let hmis = HmisNumber::from_sequence(next).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        let inserted: Result<(i64,), sqlx::Error> = sqlx::query_as(
            "INSERT INTO clients (hmis_number, first_name, middle_name, last_name, date_of_birth,
                                  dob_data_quality, ssn, ssn_data_quality, gender,
                                  marital_status, org_id, author_id, created_at,
                                  name_data_quality, sex, veteran_status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
             RETURNING id",
        )
        .bind(hmis.as_str().to_owned())
        .bind(new.first_name.as_str().to_owned())
        .bind(new.middle_name.as_ref().map(|m| m.as_str().to_owned()))
        .bind(new.last_name.as_str().to_owned())
        .bind(new.date_of_birth.map(|d| super::date(d.date())))
        .bind(new.dob_data_quality.as_str())
        .bind(new.ssn.as_ref().map(|s| s.stored()))
        .bind(new.ssn_data_quality.as_str())
        .bind(new.gender.clone())
        .bind(new.marital_status.map(|m| m.as_str()))
        .bind(org.0)
        .bind(author.0)
        .bind(ts(at))
        .bind(new.name_data_quality.as_str())
        .bind(new.sex.as_str())
        .bind(new.veteran_status.as_str())
        .fetch_one(&mut *tx)
        .await;
        match inserted {
            Ok((id,)) => {
                super::refresh_search_keys(&mut tx, ClientId(id)).await?;
                tx.commit().await?;
                return Ok(Some((ClientId(id), hmis)));
            }
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                tx.rollback().await?;
                continue;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}
