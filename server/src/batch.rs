//! Batching of small database statements that many requests make at once. Each request hands its
//! question to one task and waits for its own answer; the task takes every question waiting, runs
//! one statement for all of them, and answers each. Under load one round trip to the database
//! serves many requests (through sqlx's SQLite driver a round trip costs more CPU than the
//! statement itself); with one request at a time it is one round trip, as before.
//!
//! Two batchers run in every server (`AppState`): the audit log's group commit (each entry is
//! committed before its request answers, P-4) and the reading of the cache numbers (`cache`:
//! read after the request arrived, so never older than a query of its own would be).

use crate::db::{self, OwnedAuditEntry, Pool};
use crate::error::ApiError;
use shared::ClientId;
use std::collections::BTreeSet;
use std::future::Future;
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

/// The most audit entries one INSERT carries (6 bound values each, far below either backend's
/// limit on bound values).
const AUDIT_BATCH: usize = 256;

/// The audit log's group commit: `ask(entry)` returns once the entry is committed. Every entry of
/// a batch is stored by one INSERT: all or none.
pub fn audit_writer(pool: Pool) -> Batcher<OwnedAuditEntry, ()> {
    Batcher::start(AUDIT_BATCH, move |entries: Vec<OwnedAuditEntry>| {
        let pool = pool.clone();
        async move {
            let refs: Vec<&OwnedAuditEntry> = entries.iter().collect();
            db::audit_batch(&pool, &refs)
                .await
                .map(|()| vec![(); entries.len()])
                .map_err(|e| format!("audit batch of {}: {e}", entries.len()))
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
pub fn version_reader(pool: Pool) -> Batcher<Option<ClientId>, Versions> {
    Batcher::start(VERSIONS_BATCH, move |asked: Vec<Option<ClientId>>| {
        let pool = pool.clone();
        async move {
            let ids: BTreeSet<ClientId> = asked.iter().flatten().copied().collect();
            let (epoch, versions) = db::versions_of(&pool, &ids)
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
