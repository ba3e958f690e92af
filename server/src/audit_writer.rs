//! Group commit for the audit log (P-4). Every request that reads or writes client records hands
//! its entry to one writer task and waits until that entry is committed before it answers, as
//! before; the writer stores whatever entries are waiting in one multi-row INSERT, so under load
//! one commit carries many entries instead of every request taking the database's write lock.

use crate::db::{self, AuditEntry, OwnedAuditEntry, Pool};
use crate::error::ApiError;
use tokio::sync::{mpsc, oneshot};

/// The most entries one INSERT carries (6 bound values each, far below either backend's limit).
const MAX_BATCH: usize = 256;

struct Job {
    entry: OwnedAuditEntry,
    done: oneshot::Sender<Result<(), String>>,
}

/// The handle requests use; cloning it is cheap.
#[derive(Clone)]
pub struct AuditWriter {
    jobs: mpsc::Sender<Job>,
}

impl AuditWriter {
    /// Starts the writer task on the current tokio runtime.
    pub fn start(pool: Pool) -> Self {
        let (jobs, rx) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(run(pool, rx));
        Self { jobs }
    }

    /// Appends `entry` and returns once it is committed (or the commit failed).
    pub async fn write(&self, entry: AuditEntry<'_>) -> Result<(), ApiError> {
        let (done, committed) = oneshot::channel();
        let job = Job {
            entry: entry.to_owned(),
            done,
        };
        let stopped = || ApiError::Internal("the audit writer has stopped".into());
        self.jobs.send(job).await.map_err(|_| stopped())?;
        committed
            .await
            .map_err(|_| stopped())?
            .map_err(ApiError::Internal)
    }
}

async fn run(pool: Pool, mut rx: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let entries: Vec<&OwnedAuditEntry> = batch.iter().map(|j| &j.entry).collect();
        // Every entry of a batch shares its statement's fate: all committed or none.
        let result = db::audit_batch(&pool, &entries)
            .await
            .map_err(|e| format!("audit batch of {}: {e}", entries.len()));
        for job in batch.drain(..) {
            // A request that has gone away no longer waits; its entry is stored all the same.
            let _ = job.done.send(result.clone());
        }
    }
}
