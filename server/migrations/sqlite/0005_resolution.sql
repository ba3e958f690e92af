-- 0005 data resolution, SQLite flavour (migrations/postgres/0005_resolution.sql holds the same for
-- PostgreSQL): data conflicts (R-1..R-3), entry/exit conflicts (R-6..R-8) and notifications (R-13).
--
-- Conventions as in 0001: dates `YYYY-MM-DD` and timestamps as TEXT, flags 0/1 integers. Nothing
-- here is hard-deleted (P-3); the history tables refuse UPDATE and DELETE.

-- R-1: who last set each single-answer intake field. A field without a row here was set by the
-- intake's creator (clients.org_id / clients.author_id) if it has a value, and is empty otherwise.
-- `field` is the `shared::Field` name (e.g. 'LegalFirstName').
CREATE TABLE intake_field_provenance (
    client_id   INTEGER NOT NULL REFERENCES clients(id),
    field       TEXT NOT NULL,
    org_id      INTEGER NOT NULL REFERENCES organizations(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    set_at      TEXT NOT NULL,
    PRIMARY KEY (client_id, field)
);

-- P-3: the old value of an intake field before every change, with who entered it, who changed
-- it, the R-1 decision and the documentation offered (type and optional attachment record id).
CREATE TABLE intake_history (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients(id),
    field           TEXT NOT NULL,
    old_value       TEXT,
    old_org_id      INTEGER REFERENCES organizations(id),
    old_user_id     INTEGER REFERENCES users(id),
    changed_at      TEXT NOT NULL,
    changed_by      INTEGER NOT NULL REFERENCES users(id),
    changed_by_org  INTEGER NOT NULL REFERENCES organizations(id),
    decision        TEXT NOT NULL,
    documentation   TEXT,
    attachment_id   INTEGER REFERENCES records(id)
);
CREATE INDEX intake_history_client ON intake_history(client_id, field);
CREATE TRIGGER intake_history_no_update BEFORE UPDATE ON intake_history
BEGIN SELECT RAISE(ABORT, 'intake_history is append-only'); END;
CREATE TRIGGER intake_history_no_delete BEFORE DELETE ON intake_history
BEGIN SELECT RAISE(ABORT, 'intake_history is append-only'); END;

-- R-2, R-3, R-7, R-8: a conflict, addressed to the organization (and user) that entered the data.
-- `subject` and `state` are the JSON of `shared::resolution::ConflictSubject` / `ConflictState`;
-- `kind`, `field`, `enrollment_id` and `state_name` repeat what the JSON says so lists can filter.
-- The stored client value is never changed by a conflict (R-2).
CREATE TABLE conflicts (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients(id),
    kind            TEXT NOT NULL CHECK (kind IN ('field', 'entry_exit')),
    field           TEXT,
    enrollment_id   INTEGER REFERENCES records(id),
    detection_id    INTEGER,
    subject         TEXT NOT NULL,
    state           TEXT NOT NULL,
    state_name      TEXT NOT NULL CHECK (state_name IN
                        ('pending', 'open', 'agreed', 'escalated', 'data_center', 'resolved')),
    reporter_org    INTEGER NOT NULL REFERENCES organizations(id),
    reporter_user   INTEGER NOT NULL REFERENCES users(id),
    addressed_org   INTEGER NOT NULL REFERENCES organizations(id),
    addressed_user  INTEGER REFERENCES users(id),
    opened_on       TEXT NOT NULL,
    -- The ProfileNote (records.id) added on escalation (R-3).
    note_id         INTEGER REFERENCES records(id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX conflicts_reporter ON conflicts(reporter_org, state_name);
CREATE INDEX conflicts_addressed ON conflicts(addressed_org, state_name);
CREATE INDEX conflicts_client ON conflicts(client_id, field);

-- R-3: contact attempts: when, how, by whom, outcome (`outcome` is the user's wording:
-- no_answer, left_message, reached). Append-only.
CREATE TABLE conflict_attempts (
    id              INTEGER PRIMARY KEY,
    conflict_id     INTEGER NOT NULL REFERENCES conflicts(id),
    attempted_on    TEXT NOT NULL,
    method          TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('no_answer', 'left_message', 'reached')),
    by_user         INTEGER NOT NULL REFERENCES users(id),
    by_org          INTEGER NOT NULL REFERENCES organizations(id),
    logged_at       TEXT NOT NULL
);
CREATE INDEX conflict_attempts_conflict ON conflict_attempts(conflict_id);
CREATE TRIGGER conflict_attempts_no_update BEFORE UPDATE ON conflict_attempts
BEGIN SELECT RAISE(ABORT, 'conflict_attempts is append-only'); END;
CREATE TRIGGER conflict_attempts_no_delete BEFORE DELETE ON conflict_attempts
BEGIN SELECT RAISE(ABORT, 'conflict_attempts is append-only'); END;

-- P-3: every state change of a conflict with the state before and after (JSON). `by_user` is the
-- acting user; the background job acts as the conflict's reporting user. Append-only.
CREATE TABLE conflict_events (
    id              INTEGER PRIMARY KEY,
    conflict_id     INTEGER NOT NULL REFERENCES conflicts(id),
    at              TEXT NOT NULL,
    by_user         INTEGER NOT NULL REFERENCES users(id),
    by_org          INTEGER NOT NULL REFERENCES organizations(id),
    step            TEXT NOT NULL,
    old_state       TEXT NOT NULL,
    new_state       TEXT NOT NULL
);
CREATE INDEX conflict_events_conflict ON conflict_events(conflict_id);
CREATE TRIGGER conflict_events_no_update BEFORE UPDATE ON conflict_events
BEGIN SELECT RAISE(ABORT, 'conflict_events is append-only'); END;
CREATE TRIGGER conflict_events_no_delete BEFORE DELETE ON conflict_events
BEGIN SELECT RAISE(ABORT, 'conflict_events is append-only'); END;

-- R-7: entry/exit conflicts found by `shared::resolution::detect_entry_exit_conflicts`, on every
-- enrollment write and by the daily scan. A detection no longer found is kept with `cleared_at`
-- set (the dates were corrected); one found again later is a new row.
CREATE TABLE entry_exit_detections (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients(id),
    issue           TEXT NOT NULL,
    first_record    INTEGER NOT NULL REFERENCES records(id),
    first_org       INTEGER NOT NULL REFERENCES organizations(id),
    second_record   INTEGER REFERENCES records(id),
    second_org      INTEGER REFERENCES organizations(id),
    from_date       TEXT NOT NULL,
    detected_at     TEXT NOT NULL,
    cleared_at      TEXT
);
CREATE INDEX entry_exit_detections_client ON entry_exit_detections(client_id, cleared_at);
CREATE INDEX entry_exit_detections_first_org ON entry_exit_detections(first_org, cleared_at);
CREATE INDEX entry_exit_detections_second_org ON entry_exit_detections(second_org, cleared_at);

-- Where a user's notification email goes (NULL: in-app only).
ALTER TABLE users ADD COLUMN notify_email TEXT;

-- R-13: one notification per recipient user: the in-app inbox and the email outbox in one row.
-- `payload` is the JSON of `shared::notify::Notification` (HMIS number, template, ids);
-- `subject`/`body` its rendering. email_status: pending (to send), sent, failed (gave up after
-- repeated failures), no_address (the user has no notify_email). Notifications are not client
-- records; only read_at and the email columns ever change.
CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    hmis_number     TEXT NOT NULL,
    payload         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    read_at         TEXT,
    email_status    TEXT NOT NULL CHECK (email_status IN ('pending', 'sent', 'failed', 'no_address')),
    email_attempts  INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    sent_at         TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_outbox ON notifications(email_status, next_attempt_at);

-- The background jobs' bookkeeping: the last day each daily job ran.
CREATE TABLE job_runs (
    job             TEXT PRIMARY KEY,
    last_run_on     TEXT NOT NULL
);
