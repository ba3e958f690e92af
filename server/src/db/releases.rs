//! Queries of ROIs (S-3), MOUs (S-6) and their uploaded documents. The shared rules decide; these
//! only load and record. Filling a revocation, a termination, a signature or a document happens
//! once: the `WHERE ... IS NULL` guards here and the triggers of migration 0003 both refuse a rewrite.

use super::{get_date, get_opt_date, ts, Pool};
use chrono::{NaiveDate, NaiveDateTime};
use shared::documents::DocumentFormat;
use shared::model::{Attestation, Revocation, Signature};
use shared::{Mou, MouId, OrgId, Roi, RoiId, UserId};
use sqlx::any::AnyRow;
use sqlx::Row;

pub(crate) fn roi_from_row(row: &AnyRow) -> Result<Roi, sqlx::Error> {
    let orgs: String = row.try_get("orgs")?;
    let orgs: Vec<OrgId> =
        serde_json::from_str(&orgs).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let revoked_by: Option<i64> = row.try_get("revoked_by")?;
    let revoked_on = get_opt_date(row, "revoked_on")?;
    Ok(Roi {
        id: RoiId(row.try_get("id")?),
        client: shared::ClientId(row.try_get("client_id")?),
        orgs,
        start: get_date(row, "start_date")?,
        end: get_date(row, "end_date")?,
        attestation: Attestation {
            by: UserId(row.try_get("attested_by")?),
            org: OrgId(row.try_get("attested_org")?),
            on: get_date(row, "attested_on")?,
        },
        document: row.try_get("document")?,
        revoked: revoked_by
            .zip(revoked_on)
            .map(|(by, on)| Revocation { by: UserId(by), on }),
    })
}

pub async fn roi_by_id(pool: &Pool, id: RoiId) -> sqlx::Result<Option<Roi>> {
    let row = sqlx::query(
        "SELECT id, client_id, orgs, start_date, end_date, attested_by, attested_org, attested_on,
                document, revoked_by, revoked_on
         FROM rois WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(roi_from_row).transpose()
}

/// An ROI with its client's HMIS number and names (tier 1), for the list of releases ending
/// soon.
#[derive(Debug, Clone)]
pub struct RoiWithClient {
    pub roi: Roi,
    pub hmis_number: String,
    pub first_name: String,
    pub last_name: String,
}

/// The unrevoked ROIs of clients not deleted that are in force on `today` (started) and end
/// between `today` and `until` (inclusive), soonest end first. Which of them a user sees is the
/// shared `roi_ending_soon`'s to say.
pub async fn rois_ending_between(
    pool: &Pool,
    today: NaiveDate,
    until: NaiveDate,
) -> sqlx::Result<Vec<RoiWithClient>> {
    let rows = sqlx::query(
        "SELECT r.id, r.client_id, r.orgs, r.start_date, r.end_date, r.attested_by,
                r.attested_org, r.attested_on, r.document, r.revoked_by, r.revoked_on,
                c.hmis_number, c.first_name, c.last_name
         FROM rois r JOIN clients c ON c.id = r.client_id
         WHERE r.end_date >= $1 AND r.end_date <= $2 AND r.start_date <= $1
           AND r.revoked_on IS NULL AND c.deleted = 0
         ORDER BY r.end_date, r.id",
    )
    .bind(super::date(today))
    .bind(super::date(until))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RoiWithClient {
                roi: roi_from_row(row)?,
                hmis_number: row.try_get("hmis_number")?,
                first_name: row.try_get("first_name")?,
                last_name: row.try_get("last_name")?,
            })
        })
        .collect()
}

/// Stores a new ROI (built by `shared::actions::new_roi`) and returns its id.
pub async fn insert_roi(pool: &Pool, roi: &Roi) -> sqlx::Result<RoiId> {
    let mut tx = super::begin_write(pool).await?;
    let orgs = serde_json::to_string(&roi.orgs).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO rois (client_id, orgs, start_date, end_date, attested_by, attested_org,
                           attested_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(roi.client.0)
    .bind(orgs)
    .bind(super::date(roi.start))
    .bind(super::date(roi.end))
    .bind(roi.attestation.by.0)
    .bind(roi.attestation.org.0)
    .bind(super::date(roi.attestation.on))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(RoiId(id))
}

/// Records a revocation; false if the ROI was already revoked.
pub async fn revoke_roi(pool: &Pool, id: RoiId, by: UserId, on: NaiveDate) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE rois SET revoked_by = $1, revoked_on = $2 WHERE id = $3 AND revoked_on IS NULL",
    )
    .bind(by.0)
    .bind(super::date(on))
    .bind(id.0)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whose document: an ROI's scan or an MOU's signed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentOwner {
    Roi(RoiId),
    Mou(MouId),
}

impl DocumentOwner {
    fn parts(self) -> (&'static str, i64, &'static str) {
        match self {
            DocumentOwner::Roi(id) => ("roi", id.0, "rois"),
            DocumentOwner::Mou(id) => ("mou", id.0, "mous"),
        }
    }
}

/// A stored document's bytes and type.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    pub id: i64,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// The reference an ROI or MOU keeps to its document: `documents/ID`.
pub fn document_ref(id: i64) -> String {
    format!("documents/{id}")
}

/// Stores `content` as the document of `owner` and points the ROI or MOU at it, in one
/// transaction. Returns the document id, or `None` when the owner already has a document.
pub async fn attach_document(
    pool: &Pool,
    owner: DocumentOwner,
    format: DocumentFormat,
    content: &[u8],
    by: UserId,
    org: OrgId,
    at: NaiveDateTime,
) -> sqlx::Result<Option<i64>> {
    let (kind, owner_id, table) = owner.parts();
    let mut tx = super::begin_write(pool).await?;
    let sha = crate::digest::sha256_hex(content);
    let inserted: Result<(i64,), sqlx::Error> = sqlx::query_as(
        "INSERT INTO documents (owner_kind, owner_id, content_type, size, sha256, content,
                                uploaded_by, uploaded_org, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(kind)
    .bind(owner_id)
    .bind(format.content_type())
    .bind(i64::try_from(content.len()).unwrap_or(i64::MAX))
    .bind(sha)
    .bind(content.to_vec())
    .bind(by.0)
    .bind(org.0)
    .bind(ts(at))
    .fetch_one(&mut *tx)
    .await;
    let doc = match inserted {
        Ok((doc,)) => doc,
        // A concurrent upload for the same owner won (one document per ROI or MOU).
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            tx.rollback().await?;
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let sql = format!("UPDATE {table} SET document = $1 WHERE id = $2 AND document IS NULL");
    let done = sqlx::query(&sql)
        .bind(document_ref(doc))
        .bind(owner_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        // Already has a document: nothing of this upload is kept.
        tx.rollback().await?;
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some(doc))
}

/// The document a `documents/ID` reference points to, if it belongs to `owner`.
pub async fn document_of(
    pool: &Pool,
    owner: DocumentOwner,
    reference: &str,
) -> sqlx::Result<Option<StoredDocument>> {
    let Some(id) = reference
        .strip_prefix("documents/")
        .and_then(|n| n.parse::<i64>().ok())
    else {
        return Ok(None);
    };
    let (kind, owner_id, _) = owner.parts();
    let row = sqlx::query(
        "SELECT id, content_type, content FROM documents
         WHERE id = $1 AND owner_kind = $2 AND owner_id = $3",
    )
    .bind(id)
    .bind(kind)
    .bind(owner_id)
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(StoredDocument {
            id: r.try_get("id")?,
            content_type: r.try_get("content_type")?,
            content: r.try_get("content")?,
        })
    })
    .transpose()
}

/// How many documents are stored (tests check that refused uploads store nothing).
pub async fn document_count(pool: &Pool) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM documents")
        .fetch_one(pool)
        .await?;
    Ok(n)
}

pub async fn mou_by_id(pool: &Pool, id: MouId) -> sqlx::Result<Option<Mou>> {
    Ok(super::all_mous(pool)
        .await?
        .into_iter()
        .find(|m| m.id == id))
}

/// Stores a new MOU (validated by `shared::actions::validate_mou`), its parties unsigned.
pub async fn insert_mou(pool: &Pool, mou: &Mou) -> sqlx::Result<MouId> {
    let mut tx = super::begin_write(pool).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO mous (name, start_date, end_date) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(mou.name.trim().to_owned())
    .bind(super::date(mou.start))
    .bind(super::date(mou.end))
    .fetch_one(&mut *tx)
    .await?;
    for p in &mou.parties {
        sqlx::query("INSERT INTO mou_parties (mou_id, org_id) VALUES ($1, $2)")
            .bind(id)
            .bind(p.org.0)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(MouId(id))
}

/// Records `org`'s signature on `mou`; false if it was already signed.
pub async fn sign_mou(pool: &Pool, mou: MouId, org: OrgId, sig: &Signature) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE mou_parties SET signer_name = $1, signer_title = $2, signed_on = $3
         WHERE mou_id = $4 AND org_id = $5 AND signed_on IS NULL",
    )
    .bind(sig.name.trim().to_owned())
    .bind(sig.title.trim().to_owned())
    .bind(super::date(sig.date))
    .bind(mou.0)
    .bind(org.0)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a termination effective `on`; false if the MOU was already terminated.
pub async fn terminate_mou(
    pool: &Pool,
    mou: MouId,
    by: UserId,
    on: NaiveDate,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE mous SET terminated_by = $1, terminated_on = $2
         WHERE id = $3 AND terminated_on IS NULL",
    )
    .bind(by.0)
    .bind(super::date(on))
    .bind(mou.0)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// P-2: the unrevoked ROIs of clients not deleted, in force on `today` and ending by `until`,
/// whose reminder was not sent yet (migration 0019), oldest id first. Whether each is due is
/// the shared `roi_reminder_due`'s to say.
pub async fn rois_to_remind(
    conn: &mut sqlx::AnyConnection,
    today: NaiveDate,
    until: NaiveDate,
) -> sqlx::Result<Vec<RoiWithClient>> {
    let rows = sqlx::query(
        "SELECT r.id, r.client_id, r.orgs, r.start_date, r.end_date, r.attested_by,
                r.attested_org, r.attested_on, r.document, r.revoked_by, r.revoked_on,
                c.hmis_number, c.first_name, c.last_name
         FROM rois r JOIN clients c ON c.id = r.client_id
         LEFT JOIN roi_reminders s ON s.roi_id = r.id
         WHERE r.end_date >= $1 AND r.end_date <= $2 AND r.start_date <= $1
           AND r.revoked_on IS NULL AND c.deleted = 0 AND s.roi_id IS NULL
         ORDER BY r.id",
    )
    .bind(super::date(today))
    .bind(super::date(until))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RoiWithClient {
                roi: roi_from_row(row)?,
                hmis_number: row.try_get("hmis_number")?,
                first_name: row.try_get("first_name")?,
                last_name: row.try_get("last_name")?,
            })
        })
        .collect()
}

/// P-2: records that `roi`'s reminder is being sent (inside the transaction that stores its
/// notifications); false when it already was (the primary key refuses a second row).
pub async fn claim_roi_reminder(
    conn: &mut sqlx::AnyConnection,
    roi: &Roi,
    today: NaiveDate,
    now: NaiveDateTime,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO roi_reminders (roi_id, end_date, sent_on, sent_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (roi_id) DO NOTHING",
    )
    .bind(roi.id.0)
    .bind(super::date(roi.end))
    .bind(super::date(today))
    .bind(ts(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// S-3: every ROI of a client not deleted, with its client's HMIS number and names, soonest end
/// first: the agency ROI list, which the shared `roi_in_agency_list` filters.
pub async fn all_rois_with_clients(pool: &Pool) -> sqlx::Result<Vec<RoiWithClient>> {
    let rows = sqlx::query(
        "SELECT r.id, r.client_id, r.orgs, r.start_date, r.end_date, r.attested_by,
                r.attested_org, r.attested_on, r.document, r.revoked_by, r.revoked_on,
                c.hmis_number, c.first_name, c.last_name
         FROM rois r JOIN clients c ON c.id = r.client_id
         WHERE c.deleted = 0
         ORDER BY r.end_date, r.id",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RoiWithClient {
                roi: roi_from_row(row)?,
                hmis_number: row.try_get("hmis_number")?,
                first_name: row.try_get("first_name")?,
                last_name: row.try_get("last_name")?,
            })
        })
        .collect()
}
