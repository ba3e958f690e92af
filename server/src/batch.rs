//! Batching of small database statements that many requests make at once. Each request hands its
//! question to one task and waits for its own answer; the task takes every question waiting, runs
//! one statement for all of them, and answers each. Under load one round trip to the database
//! serves many requests (through sqlx's SQLite driver a round trip costs more CPU than the
//! statement itself); with one request at a time it is one round trip, as before.
//!
//! Two batchers run in every server (`AppState`): the audit log's group commit (each entry is
//! committed before its request answers, P-4) and the reading of the cache numbers (`cache`:
//! read after the request arrived, so never older than a query of its own would be).

use crate::db::{self, AuditEntry, Pool};
use crate::error::ApiError;
use shared::ClientId;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};
use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

type Job<Q, A> = (Q, oneshot::Sender<Result<A, String>>);

/// The handle requests use; cloning it is cheap.
pub struct Batcher<Q, A> {
    jobs: mpsc::Sender<Job<Q, A>>,
}

impl<Q, A> Clone for Batcher<Q, A> {
    fn clone(&self) -> Self {
        Self {
            jobs: self.jobs.clone(),
        }
    }
}

impl<Q: Send + 'static, A: Send + 'static> Batcher<Q, A> {
    /// Starts the task on the current tokio runtime. `work` answers a batch of at most `max`
    /// questions, one answer per question in order (or one error for all of them).
    pub fn start<F, Fut>(max: usize, mut work: F) -> Self
    where
        F: FnMut(Vec<Q>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Vec<A>, String>> + Send,
    {
        let (jobs, mut rx) = mpsc::channel::<Job<Q, A>>(4 * max);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(max);
            while rx.recv_many(&mut batch, max).await > 0 {
                let (questions, waiting): (Vec<Q>, Vec<_>) = batch.drain(..).unzip();
                let n = questions.len();
                match work(questions).await {
                    Ok(answers) if answers.len() == n => {
                        for (done, answer) in waiting.into_iter().zip(answers) {
                            // A request that has gone away no longer waits.
                            let _ = done.send(Ok(answer));
                        }
                    }
                    Ok(answers) => {
                        let e = format!("{} answers to {n} questions", answers.len());
                        for done in waiting {
                            let _ = done.send(Err(e.clone()));
                        }
                    }
                    Err(e) => {
                        for done in waiting {
                            let _ = done.send(Err(e.clone()));
                        }
                    }
                }
            }
        });
        Self { jobs }
    }

    /// Asks `question` and waits for its answer.
    pub async fn ask(&self, question: Q) -> Result<A, ApiError> {
        let (done, answer) = oneshot::channel();
        let stopped = || ApiError::Internal("a batching task has stopped".into());
        self.jobs
            .send((question, done))
            .await
            .map_err(|_| stopped())?;
        answer
            .await
            .map_err(|_| stopped())?
            .map_err(ApiError::Internal)
    }
}

/// One database connection kept for the batching tasks, taken from the pool on first use and
/// kept between batches: no pool round trip (sqlx checks every connection it takes back), and on
/// SQLite a page cache that stays valid, because the audit entries that change the database are
/// written by this same connection (SQLite empties a connection's cache when another one wrote).
///
/// After an error the connection is closed, and the next batch takes a fresh one. When the error
/// says the connection itself was lost (a PostgreSQL restart, an administrator ending sessions),
/// the batch is run once more on a fresh connection, so that no request fails for it. For the
/// audit INSERT this can store a batch twice if the connection was lost after its commit and
/// before the answer: an entry too many, never one too few (P-4).
#[derive(Clone)]
pub struct Kept {
    pool: Pool,
    conn: Arc<tokio::sync::Mutex<Option<PoolConnection<Any>>>>,
}

type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

impl Kept {
    pub fn new(pool: Pool) -> Self {
        Self {
            pool,
            conn: Arc::new(tokio::sync::Mutex::new(None)),
        }
    }

    /// Runs `statement(connection, arg)` on the kept connection, one batch at a time.
    async fn run<A: ?Sized + Sync, T>(
        &self,
        arg: &A,
        statement: impl for<'c> Fn(&'c mut AnyConnection, &'c A) -> BoxFuture<'c, sqlx::Result<T>>,
    ) -> sqlx::Result<T> {
        let mut retried = false;
        loop {
            let mut kept = self.conn.lock().await;
            let conn = match kept.as_mut() {
                Some(conn) => conn,
                None => kept.insert(self.pool.acquire().await?),
            };
            match statement(conn, arg).await {
                Ok(answer) => return Ok(answer),
                Err(e) => {
                    if let Some(mut conn) = kept.take() {
                        conn.close_on_drop();
                    }
                    if retried || !connection_lost(&e) {
                        return Err(e);
                    }
                    retried = true;
                }
            }
        }
    }
}

/// The connection itself failed (rather than the statement): I/O, protocol, or PostgreSQL's
/// classes 08 (connection exception) and 57 (operator intervention, e.g. `pg_terminate_backend`).
fn connection_lost(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(d) => d
            .code()
            .is_some_and(|c| c.starts_with("08") || c.starts_with("57")),
        _ => false,
    }
}

/// The most audit entries one INSERT carries (6 bound values each, far below either backend's
/// limit on bound values), and the most requests one batch answers.
const AUDIT_BATCH: usize = 256;

/// The audit log's group commit: `ask(entries)` returns once the request's entries are
/// committed. A request hands all its entries at once (a search: one per returned client, P-4);
/// a batch's entries are stored by one INSERT per `AUDIT_BATCH` of them, and the batch is
/// answered after the last: a failed INSERT fails every request of the batch, so a request may
/// find an entry too many stored, never one too few.
pub fn audit_writer(db: Kept) -> Batcher<Vec<AuditEntry>, ()> {
    Batcher::start(AUDIT_BATCH, move |asked: Vec<Vec<AuditEntry>>| {
        let db = db.clone();
        async move {
            let refs: Vec<&AuditEntry> = asked.iter().flatten().collect();
            for chunk in refs.chunks(AUDIT_BATCH) {
                db.run(chunk, |conn, chunk| Box::pin(db::audit_batch(conn, chunk)))
                    .await
                    .map_err(|e| format!("audit batch of {}: {e}", refs.len()))?;
            }
            Ok(vec![(); asked.len()])
        }
    })
}

/// The cache numbers a request checks its copies with (`cache`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Versions {
    /// `cache_epoch`: sessions, users, organizations, MOUs.
    pub epoch: i64,
    /// The asked client's `clients.version`; `None` when no client was asked or it does not exist.
    pub client: Option<i64>,
}

/// The most questions one read of the numbers answers.
const VERSIONS_BATCH: usize = 64;

/// Reads the cache epoch, and the version of the client asked about if any, for every waiting
/// request in one statement.
pub fn version_reader(db: Kept) -> Batcher<Option<ClientId>, Versions> {
    Batcher::start(VERSIONS_BATCH, move |asked: Vec<Option<ClientId>>| {
        let db = db.clone();
        async move {
            let ids: BTreeSet<ClientId> = asked.iter().flatten().copied().collect();
            let (epoch, versions) = db
                .run(&ids, |conn, ids| Box::pin(db::versions_of(conn, ids)))
                .await
                .map_err(|e| format!("cache numbers of {} clients: {e}", ids.len()))?;
            Ok(asked
                .iter()
                .map(|id| Versions {
                    epoch,
                    client: id.and_then(|id| versions.get(&id).copied()),
                })
                .collect())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_asker_gets_the_answer_to_its_own_question() {
        let squares = Batcher::start(8, |qs: Vec<u64>| async move {
            Ok(qs.into_iter().map(|q| q * q).collect())
        });
        let asks = (0..100u64).map(|q| {
            let b = squares.clone();
            tokio::spawn(async move { (q, b.ask(q).await.unwrap()) })
        });
        for a in asks {
            let (q, answer) = a.await.unwrap();
            assert_eq!(answer, q * q);
        }
    }

    #[tokio::test]
    async fn a_failed_batch_fails_every_asker_of_it() {
        let failing = Batcher::start(8, |_: Vec<u8>| async move {
            Err::<Vec<()>, _>("disk full".to_owned())
        });
        let e = failing.ask(1).await.unwrap_err();
        assert!(matches!(e, ApiError::Internal(m) if m == "disk full"));
    }

    #[tokio::test]
    async fn a_batch_answered_with_the_wrong_count_is_an_error_not_a_wrong_answer() {
        let short = Batcher::start(8, |_: Vec<u8>| async move { Ok(Vec::<u8>::new()) });
        assert!(short.ask(1).await.is_err());
    }
}
