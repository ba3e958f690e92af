//! `AppState`: what every handler shares: the database, the policy, the configuration, the clock.

use crate::batch::{self, Batcher, Versions};
use crate::cache::Caches;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::{AuditEntry, Pool};
use crate::error::ApiError;
use shared::api::hud_import::{HudImportJob, HudImportState};
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
    /// The admin screen's HUD CSV import job (`services::hud_import::job`).
    pub hud_import: HudImportJobs,
}

impl AppState {
    /// Must be called within a tokio runtime: it starts the batching tasks (`batch`).
    pub fn new(pool: Pool, config: Config, clock: Arc<dyn Clock>) -> Self {
        let kept = batch::Kept::new(pool.clone());
        Self(Arc::new(App {
            audit: batch::audit_writer(kept.clone()),
            versions: batch::version_reader(kept),
            cache: Caches::new(config.cache_clients),
            hud_import: Default::default(),
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

/// The admin screen's HUD CSV import (`services::hud_import::job`): the latest job (one at a
/// time) and the number of jobs started, kept in memory for the page to poll.
#[derive(Default)]
pub struct HudImportJobs(std::sync::Mutex<(u64, Option<HudImportJob>)>);

impl HudImportJobs {
    fn slot(&self) -> std::sync::MutexGuard<'_, (u64, Option<HudImportJob>)> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new running job, or `None` while one runs.
    pub fn begin(&self, dry_run: bool) -> Option<HudImportJob> {
        let mut slot = self.slot();
        if slot
            .1
            .as_ref()
            .is_some_and(|j| j.state == HudImportState::Running)
        {
            return None;
        }
        slot.0 += 1;
        let job = HudImportJob {
            id: slot.0,
            state: HudImportState::Running,
            dry_run,
            file: String::new(),
            done: 0,
            total: 0,
            elapsed_ms: 0,
            report: None,
            error: None,
        };
        slot.1 = Some(job.clone());
        Some(job)
    }

    /// Changes job `id` (if it is still the latest).
    pub fn update(&self, id: u64, f: impl FnOnce(&mut HudImportJob)) {
        if let Some(job) = self.slot().1.as_mut().filter(|j| j.id == id) {
            f(job);
        }
    }

    pub fn latest(&self) -> Option<HudImportJob> {
        self.slot().1.clone()
    }
}
