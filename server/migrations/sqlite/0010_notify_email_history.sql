-- 0010 notification email history, SQLite flavour (migrations/postgres/0010_notify_email_history.sql
-- holds the same for PostgreSQL).
--
-- `users.notify_email` (migration 0005) is where a user's notifications are emailed; it is set by
-- `PUT /session/email` (the user) and `PATCH /users/{id}` (those who manage the user). P-3: every
-- change keeps the old value. Other account changes keep theirs in the audit log's action text
-- (`role Caseworker -> AgencyAdmin`), but an email address is personal data of a staff member and
-- stays out of the audit log (which says only "notification email set" / "cleared"), so the old
-- and new values are kept here instead. Nothing reads this table through the API yet; who may is
-- a decision for `shared::admin` when a screen needs it.
--
-- Conventions as in 0001: timestamps as TEXT (`db::ts`). Append-only, like `audit_log`.
--
-- Also in force since this change (no schema change needed): a `notifications` row whose
-- `hmis_number` is the empty string is an account notice (`shared::notify::AccountNotice`, e.g.
-- "Your Hearth notification address was changed"): it names no client, is emailed through the
-- same outbox, and is not listed in the client-notification inbox.
CREATE TABLE notify_email_history (
    id              INTEGER PRIMARY KEY,
    -- Whose address changed.
    user_id         INTEGER NOT NULL REFERENCES users(id),
    -- The address before and after the change; NULL: none (first set / cleared).
    old_email       TEXT,
    new_email       TEXT,
    changed_at      TEXT NOT NULL,
    -- Who changed it (the user themself or an administrator), and their organization then.
    changed_by      INTEGER NOT NULL REFERENCES users(id),
    changed_by_org  INTEGER NOT NULL REFERENCES organizations(id)
);
CREATE INDEX notify_email_history_user ON notify_email_history(user_id, id);
CREATE TRIGGER notify_email_history_no_update BEFORE UPDATE ON notify_email_history
BEGIN SELECT RAISE(ABORT, 'notify_email_history is append-only'); END;
CREATE TRIGGER notify_email_history_no_delete BEFORE DELETE ON notify_email_history
BEGIN SELECT RAISE(ABORT, 'notify_email_history is append-only'); END;
