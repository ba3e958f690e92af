//! `AppState`: what every handler shares: the database, the policy, the configuration, the clock.

use crate::audit_writer::AuditWriter;
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
    audit: AuditWriter,
    /// Exact in-memory copies of hot data (`cache`).
    pub cache: Caches,
}

impl AppState {
    /// Must be called within a tokio runtime: it starts the audit writer task.
    pub fn new(pool: Pool, config: Config, clock: Arc<dyn Clock>) -> Self {
        Self(Arc::new(App {
            audit: AuditWriter::start(pool.clone()),
            cache: Caches::new(config.cache_clients),
            pool,
            policy: PolicyConfig::default(),
            config,
            clock,
        }))
    }
}

impl App {
    /// Appends an audit entry (P-4) and returns once it is committed: callers answer only after.
    pub async fn audit(&self, entry: AuditEntry<'_>) -> Result<(), ApiError> {
        self.audit.write(entry).await
    }
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}
