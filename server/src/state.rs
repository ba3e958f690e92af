//! `AppState`: what every handler shares: the database, the policy, the configuration, the clock.

use crate::batch::{self, Batcher, Versions};
use crate::cache::Caches;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::{AuditEntry, Pool};
use crate::error::ApiError;
use shared::PolicyConfig;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState(Arc<App>);

pub struct App {
    pub pool: Pool,
    pub policy: PolicyConfig,
    pub config: Config,
    pub clock: Arc<dyn Clock>,
    audit: Batcher<Vec<AuditEntry>, ()>,
    versions: Batcher<Option<shared::ClientId>, Versions>,
    /// Exact in-memory copies of hot data (`cache`).
    pub cache: Caches,
}

impl AppState {
    /// Must be called within a tokio runtime: it starts the batching tasks (`batch`).
    pub fn new(pool: Pool, config: Config, clock: Arc<dyn Clock>) -> Self {
        let kept = batch::Kept::new(pool.clone());
        Self(Arc::new(App {
            audit: batch::audit_writer(kept.clone()),
            versions: batch::version_reader(kept),
            cache: Caches::new(config.cache_clients),
            pool,
            policy: config.policy.clone(),
            config,
            clock,
        }))
    }
}

impl App {
    /// Appends an audit entry (P-4) and returns once it is committed: callers answer only after.
    pub async fn audit(&self, entry: AuditEntry) -> Result<(), ApiError> {
        self.audit_all(vec![entry]).await
    }

    /// Appends a request's audit entries (P-4: a search has one per returned client) and returns
    /// once they are committed. An empty list stores nothing.
    pub async fn audit_all(&self, entries: Vec<AuditEntry>) -> Result<(), ApiError> {
        if entries.is_empty() {
            return Ok(());
        }
        // A request with an Idempotency-Key keeps the client it audited, so that a replay of its
        // answer is audited against the same client (P-4).
        for entry in &entries {
            crate::db::idempotency::note_client(entry.hmis_number.as_deref());
        }
        self.audit.ask(entries).await
    }

    /// The cache numbers as the database has them now (read after this call began): the epoch,
    /// and `client`'s version if one is asked about and exists (`cache`).
    pub async fn versions(&self, client: Option<shared::ClientId>) -> Result<Versions, ApiError> {
        self.versions.ask(client).await
    }
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}
