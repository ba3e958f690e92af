//! In-memory copies of what the hot paths read on every request: sessions with their users, the
//! organizations and MOUs, and each client's file (intake row, ROIs, records registry).
//!
//! A copy is used only when it is exact. Migration 0008 keeps two kinds of numbers in the
//! database, moved by triggers on every change whoever makes it (this instance, another instance
//! on the same PostgreSQL, a command-line tool): `cache_epoch` for sessions, users, organizations
//! and MOUs, and `clients.version` for each client's file. A request reads the current numbers
//! first (`AppState::versions`: one small statement, shared by the requests waiting at the same
//! moment, see `batch`), then uses a copy only if it was loaded at those same numbers, else
//! reloads it. Numbers are read *before* the data they tag, so a copy is never older than its
//! tag says. Only data is kept: every decision is made afresh by `shared` on each request.
//!
//! Each map is bounded; when full, an arbitrary entry makes room.

use crate::db::{self, ClientRow, RecordRow, UserRow};
use crate::state::AppState;
use chrono::NaiveDateTime;
use serde_json::value::RawValue;
use shared::api::OrgName;
use shared::{ClientId, Mou, Roi};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};

/// How many sessions are kept (far more than the users a CoC has signed in at once).
const SESSIONS: usize = 10_000;

/// A session as the database had it at `epoch`.
#[derive(Debug, Clone)]
pub struct Session {
    pub epoch: i64,
    pub user: UserRow,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

/// A client's file as the database had it at `version`.
#[derive(Debug)]
pub struct ClientFile {
    pub version: i64,
    pub client: ClientRow,
    /// The recorded source of each changed intake field (R-1, `db::resolution::field_sources`).
    pub sources: Vec<shared::intake::FieldSource>,
    /// S-2: the names of the intake's entering user and organization.
    pub intake_entered_by: shared::api::EnteredBy,
    pub rois: Vec<Roi>,
    pub records: Vec<CachedRecord>,
}

/// A record with its metadata already serialized: the same JSON as `RecordMeta`'s, written once
/// per loaded file instead of on every read (`shared::api::RecordView`).
#[derive(Debug)]
pub struct CachedRecord {
    pub row: RecordRow,
    pub meta_json: Box<RawValue>,
}

impl CachedRecord {
    fn new(row: RecordRow) -> serde_json::Result<Self> {
        Ok(Self {
            meta_json: serde_json::value::to_raw_value(&row.meta)?,
            row,
        })
    }
}

impl shared::records::HasMeta for CachedRecord {
    fn meta(&self) -> &shared::RecordMeta {
        &self.row.meta
    }
}

/// Organizations and MOUs as the database had them at `epoch`.
#[derive(Debug)]
pub struct Reference {
    pub epoch: i64,
    pub mous: Vec<Mou>,
    pub org_names: Vec<OrgName>,
}

pub struct Caches {
    sessions: Bounded<String, Session>,
    clients: Bounded<ClientId, Arc<ClientFile>>,
    reference: Mutex<Option<Arc<Reference>>>,
}

impl Caches {
    /// `clients`: how many client files to keep (0 keeps none).
    pub fn new(clients: usize) -> Self {
        Self {
            sessions: Bounded::new(SESSIONS),
            clients: Bounded::new(clients),
            reference: Mutex::new(None),
        }
    }

    /// The session whose token hashes to `hash`, if it was loaded at `epoch`.
    pub fn session(&self, hash: &str, epoch: i64) -> Option<Session> {
        self.sessions.get(hash).filter(|s| s.epoch == epoch)
    }

    pub fn put_session(&self, hash: String, session: Session) {
        self.sessions.put(hash, session);
    }

    /// Moves a kept session's idle timer after it was written back to the database.
    pub fn touch_session(&self, hash: &str, at: NaiveDateTime) {
        self.sessions.update(hash, |s| s.last_seen_at = at);
    }

    /// The client's file, if it was loaded at `version`.
    pub fn client(&self, id: ClientId, version: i64) -> Option<Arc<ClientFile>> {
        self.clients.get(&id).filter(|f| f.version == version)
    }

    pub fn put_client(&self, file: Arc<ClientFile>) {
        self.clients.put(file.client.id, file);
    }

    /// Organizations and MOUs, if they were loaded at `epoch`.
    pub fn reference(&self, epoch: i64) -> Option<Arc<Reference>> {
        lock(&self.reference)
            .as_ref()
            .filter(|r| r.epoch == epoch)
            .cloned()
    }

    pub fn put_reference(&self, reference: Arc<Reference>) {
        let mut kept = lock(&self.reference);
        // Never replace a copy with an older one (two requests may load at once).
        if kept.as_ref().is_none_or(|r| r.epoch <= reference.epoch) {
            *kept = Some(reference);
        }
    }
}

/// The client's file at `version` or newer: the kept copy, else loaded (and kept). `None`: no
/// such client.
pub async fn client_file(
    state: &AppState,
    id: ClientId,
    version: i64,
) -> sqlx::Result<Option<Arc<ClientFile>>> {
    if let Some(file) = state.cache.client(id, version) {
        return Ok(Some(file));
    }
    // The row carries the version it was read at; ROIs and records are read after it.
    let Some(client) = db::client_by_id(&state.pool, id).await? else {
        return Ok(None);
    };
    let p = client.meta.provenance;
    let file = Arc::new(ClientFile {
        version: client.version,
        sources: db::resolution::field_sources(&state.pool, id).await?,
        intake_entered_by: db::entered_by(&state.pool, p.author, p.org).await?,
        rois: db::rois_of_client(&state.pool, id).await?,
        records: db::records_of_client(&state.pool, id)
            .await?
            .into_iter()
            .map(CachedRecord::new)
            .collect::<serde_json::Result<_>>()
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        client,
    });
    state.cache.put_client(file.clone());
    Ok(Some(file))
}

/// Organizations and MOUs at `epoch` or later: the kept copy, else loaded (and kept).
pub async fn reference(state: &AppState, epoch: i64) -> sqlx::Result<Arc<Reference>> {
    if let Some(r) = state.cache.reference(epoch) {
        return Ok(r);
    }
    let r = Arc::new(Reference {
        epoch,
        mous: db::all_mous(&state.pool).await?,
        org_names: db::org_names(&state.pool).await?,
    });
    state.cache.put_reference(r.clone());
    Ok(r)
}

/// A map that holds at most `capacity` entries.
struct Bounded<K, V> {
    capacity: usize,
    map: Mutex<HashMap<K, V>>,
}

impl<K: Eq + Hash + Clone, V: Clone> Bounded<K, V> {
    fn new(capacity: usize) -> Self {
        Self {
            capacity,
            map: Mutex::new(HashMap::new()),
        }
    }

    fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        lock(&self.map).get(key).cloned()
    }

    fn put(&self, key: K, value: V) {
        if self.capacity == 0 {
            return;
        }
        let mut map = lock(&self.map);
        if map.len() >= self.capacity && !map.contains_key(&key) {
            if let Some(victim) = map.keys().next().cloned() {
                map.remove(&victim);
            }
        }
        map.insert(key, value);
    }

    fn update<Q>(&self, key: &Q, change: impl FnOnce(&mut V))
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        if let Some(v) = lock(&self.map).get_mut(key) {
            change(v);
        }
    }
}

/// A poisoned lock only means another request panicked while holding it; the maps stay usable
/// (every entry is replaced whole, never left half-written).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounded_map_never_holds_more_than_its_capacity() {
        let m = Bounded::new(3);
        for i in 0..10 {
            m.put(i, i * 10);
        }
        assert_eq!(lock(&m.map).len(), 3);
        // The newest entry is always kept.
        assert_eq!(m.get(&9), Some(90));
    }

    #[test]
    fn s9_a_record_with_its_metadata_serialized_once_reads_as_the_same_json() {
        use shared::api::RecordView;
        use shared::model::{Provenance, RecordMeta};
        use shared::{OrgId, RecordId, RecordKind, SecuritySetting, UserId};
        let created_at = chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_micro_opt(7, 17, 50, 120_000)
            .unwrap();
        for (kind, security, deleted) in [
            (
                RecordKind::Form,
                Some(SecuritySetting::ShareWithRoiMou),
                false,
            ),
            (RecordKind::ProfileNote, None, true),
        ] {
            let row = RecordRow {
                meta: RecordMeta {
                    id: RecordId(41),
                    client: ClientId(7),
                    kind,
                    provenance: Provenance {
                        org: OrgId(2),
                        author: UserId(3),
                        created_at,
                    },
                    security,
                    deleted,
                },
                title: "Intake \"form\" \u{e9}".into(),
                detail: "line 1\nline 2".into(),
                entered_by: shared::api::EnteredBy {
                    user_name: "Dana \"D\" Lee".into(),
                    org_name: "Bull City Shelter".into(),
                },
            };
            let cached = CachedRecord::new(row.clone()).unwrap();
            fn view<M>(meta: M, row: &RecordRow) -> RecordView<M> {
                RecordView {
                    meta,
                    entered_by: row.entered_by.clone(),
                    title: row.title.clone(),
                    detail: row.detail.clone(),
                    reason: shared::Reason::OwnOrganization,
                }
            }
            let ours = serde_json::to_string(&view(&*cached.meta_json, &row)).unwrap();
            let plain = view(row.meta, &row);
            assert_eq!(ours, serde_json::to_string(&plain).unwrap());
            // And the browser reads it back as the plain type.
            let back: RecordView = serde_json::from_str(&ours).unwrap();
            assert_eq!(back, plain);
        }
    }

    #[test]
    fn a_map_of_capacity_zero_keeps_nothing() {
        let m = Bounded::new(0);
        m.put(1, 1);
        assert_eq!(m.get(&1), None);
    }
}
