-- 0012 idempotency keys, SQLite flavour (migrations/postgres/0012_idempotency_keys.sql holds the
-- same for the other backend).
--
-- A creating POST may carry an `Idempotency-Key` header (`shared::api::idempotency`): a retry
-- with the same key and the same request gets the first answer again and stores nothing new.
-- One row per key of a user, method and path. The row is inserted by `db::begin_write` inside
-- the very transaction that stores what the request creates (`db::idempotency::claim`), so the
-- claim and the write commit together or not at all; the primary key makes a second request with
-- the same key fail to claim (it waits for the first to commit on both backends, then sees the
-- row). The answer is stored right after the commit; a row without an answer therefore means the
-- first request was stored and its answer lost (a crash in between) or not yet written, and a
-- retry is answered 409 instead of storing again.
--
-- Conventions as in 0001: timestamps as TEXT (`db::ts`). Rows older than
-- `shared::api::idempotency::KEY_LIFETIME_HOURS` are deleted by the daily job.
CREATE TABLE idempotency_keys (
    user_id       INTEGER NOT NULL REFERENCES users(id),
    -- Upper-case method and the request's path under /api/v1 (ids filled in).
    method        TEXT NOT NULL,
    path          TEXT NOT NULL,
    -- The header's value (1 to 255 visible ASCII characters).
    idem_key      TEXT NOT NULL,
    -- SHA-256 (hex) of the method, path with query string, content type and body bytes: the same
    -- key with another request is refused (422).
    request_hash  TEXT NOT NULL,
    -- A random token of the request that claimed the key: its own later transactions recognise
    -- the claim as theirs.
    token         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    -- The first answer: NULL until stored (and never for a 5xx).
    status        INTEGER,
    content_type  TEXT,
    body          TEXT,
    -- The client the first request concerned (by HMIS number, as the audit log has it), so a
    -- replay is audited against the same client (P-4).
    hmis_number   TEXT,
    PRIMARY KEY (user_id, method, path, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
