//! The client search index (migration 0020, issue 15 / P-4): each client's keys
//! (`shared::matching::index_keys`) and the bounded candidate lookup a search ranks.

use super::get_opt_date;
use shared::matching::{index_keys, Candidate, KeyQuery};
use shared::ClientId;
use sqlx::{AnyConnection, Row};

/// Rewrites the index keys of one client from its stored intake (names, date of birth, SSN).
/// Called by `db::refresh_search_keys`, so every write of those fields keeps the index current.
pub async fn refresh_keys(conn: &mut AnyConnection, client: ClientId) -> sqlx::Result<()> {
    let row = sqlx::query(
        "SELECT first_name, middle_name, last_name, date_of_birth, ssn FROM clients WHERE id = $1",
    )
    .bind(client.0)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(());
    };
    let (first, middle, last): (String, Option<String>, String) = (
        row.try_get("first_name")?,
        row.try_get("middle_name")?,
        row.try_get("last_name")?,
    );
    let ssn: Option<String> = row.try_get("ssn")?;
    let keys = index_keys(&Candidate {
        first: &first,
        middle: middle.as_deref(),
        last: &last,
        dob: get_opt_date(&row, "date_of_birth")?,
        ssn: ssn.as_deref(),
    });
    // Derived data (the index), not a client record: replaced, not kept in history.
    sqlx::query("DELETE FROM client_search_keys WHERE client_id = $1")
        .bind(client.0)
        .execute(&mut *conn)
        .await?;
    if keys.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..keys.len())
        .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
        .collect();
    let sql = format!(
        "INSERT INTO client_search_keys (key, client_id) VALUES {}",
        values.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for k in keys {
        q = q.bind(k).bind(client.0);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// One candidate of a search: what the ranking reads.
#[derive(Debug, Clone)]
pub struct CandidateRow {
    pub id: ClientId,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub date_of_birth: Option<chrono::NaiveDate>,
    pub ssn: Option<String>,
}

impl CandidateRow {
    pub fn candidate(&self) -> Candidate<'_> {
        Candidate {
            first: &self.first_name,
            middle: self.middle_name.as_deref(),
            last: &self.last_name,
            dob: self.date_of_birth,
            ssn: self.ssn.as_deref(),
        }
    }
}

/// The live (not tombstoned) clients that answer the search's index lookups, at most `cap` per
/// lookup, in the order of their names (last, first, id). A client must answer a lookup of every
/// name word (`per_word`: the first word's lookups find them, each within `cap`; the others
/// must hold too), or one of `alone` (the date of birth, the SSN's last four). Each lookup is a
/// range or an equality on the keys' primary index, so the rows read do not grow with the
/// table beyond `cap` per lookup.
pub async fn candidates(
    pool: &super::Pool,
    per_word: &[Vec<KeyQuery>],
    alone: &[KeyQuery],
    cap: i64,
) -> sqlx::Result<Vec<CandidateRow>> {
    let mut binds: Vec<String> = Vec::new();
    let param = |v: String, binds: &mut Vec<String>| {
        binds.push(v);
        format!("${}", binds.len())
    };
    let cond = |alias: &str, q: &KeyQuery, binds: &mut Vec<String>| match q {
        KeyQuery::Exact(k) => format!("{alias}.key = {}", param(k.clone(), binds)),
        KeyQuery::Prefix(p) => {
            let from = param(p.clone(), binds);
            let to = param(format!("{p}\u{10FFFF}"), binds);
            format!("{alias}.key >= {from} AND {alias}.key < {to}")
        }
    };
    let mut parts: Vec<String> = Vec::new();
    // The longest word first: usually the most selective.
    let mut words: Vec<&Vec<KeyQuery>> = per_word.iter().collect();
    words.sort_by_key(|qs| {
        std::cmp::Reverse(match qs.first() {
            Some(KeyQuery::Prefix(p)) => p.len(),
            _ => 0,
        })
    });
    if let Some((first, rest)) = words.split_first() {
        for q in first.iter() {
            let mut sql = format!(
                "SELECT k0.client_id FROM client_search_keys k0 WHERE {}",
                cond("k0", q, &mut binds)
            );
            for (i, other) in rest.iter().enumerate() {
                let alias = format!("k{}", i + 1);
                let ors: Vec<String> = other
                    .iter()
                    .map(|q| format!("({})", cond(&alias, q, &mut binds)))
                    .collect();
                sql.push_str(&format!(
                    " AND EXISTS (SELECT 1 FROM client_search_keys {alias} \
                     WHERE {alias}.client_id = k0.client_id AND ({}))",
                    ors.join(" OR ")
                ));
            }
            parts.push(format!("{sql} ORDER BY k0.key, k0.client_id LIMIT {cap}"));
        }
    }
    for q in alone {
        parts.push(format!(
            "SELECT k0.client_id FROM client_search_keys k0 WHERE {} LIMIT {cap}",
            cond("k0", q, &mut binds)
        ));
    }
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    let union: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| format!("SELECT client_id FROM ({p}) AS s{i}"))
        .collect();
    let sql = format!(
        "SELECT id, first_name, middle_name, last_name, date_of_birth, ssn FROM clients
         WHERE deleted = 0 AND id IN ({})",
        union.join(" UNION ")
    );
    let mut query = sqlx::query(&sql);
    for b in binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(pool).await?;
    // Sorted here, not by the statement: an ORDER BY on the name keys lets the planner walk a
    // name index over the whole table instead of looking the few candidates up by id.
    let mut out: Vec<CandidateRow> = rows
        .iter()
        .map(|row| {
            Ok(CandidateRow {
                id: ClientId(row.try_get("id")?),
                first_name: row.try_get("first_name")?,
                middle_name: row.try_get("middle_name")?,
                last_name: row.try_get("last_name")?,
                date_of_birth: get_opt_date(row, "date_of_birth")?,
                ssn: row.try_get("ssn")?,
            })
        })
        .collect::<sqlx::Result<_>>()?;
    out.sort_by_cached_key(|c| {
        (
            super::name_key(&c.last_name),
            super::name_key(&c.first_name),
            c.id,
        )
    });
    Ok(out)
}

/// The full rows of `ids` (tombstoned ones left out), in no particular order.
pub async fn clients_by_ids(
    pool: &super::Pool,
    ids: &[ClientId],
) -> sqlx::Result<Vec<super::ClientRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "{} WHERE deleted = 0 AND id IN ({})",
        super::CLIENT_SELECT,
        marks.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(id.0);
    }
    let rows = q.fetch_all(pool).await?;
    rows.iter().map(super::client_from_row).collect()
}
