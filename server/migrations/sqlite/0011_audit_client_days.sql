-- "Who read this client's file?" (the audit query by HMIS number, P-4) without an index of
-- every audit entry by client. That index (audit_log_hmis) took each entry at a scattered
-- place, and under load it was the largest cost of a profile read (see docs/decisions.md).
-- Instead, this register keeps one row per client, day and user that has an entry: written once,
-- the first time that user touches that client that day, and ignored after. The audit query finds
-- the client's (user, day) pairs here and reads those users' entries of those days through
-- audit_log_user_at, keeping only the client's.

CREATE TABLE audit_client_days (
    hmis_number TEXT NOT NULL,
    day         TEXT NOT NULL,  -- YYYY-MM-DD of the entries' `at`
    next_day    TEXT NOT NULL,  -- the day after: entries of `day` have day <= at < next_day
    user_id     INTEGER NOT NULL,
    PRIMARY KEY (hmis_number, day, user_id)
) WITHOUT ROWID;

INSERT OR IGNORE INTO audit_client_days (hmis_number, day, next_day, user_id)
SELECT hmis_number, substr(at, 1, 10), date(substr(at, 1, 10), '+1 day'), user_id
FROM audit_log WHERE hmis_number IS NOT NULL;

-- Kept by the database on every audit entry, whoever writes it.
CREATE TRIGGER audit_log_client_day AFTER INSERT ON audit_log
WHEN NEW.hmis_number IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO audit_client_days (hmis_number, day, next_day, user_id)
    VALUES (NEW.hmis_number, substr(NEW.at, 1, 10), date(substr(NEW.at, 1, 10), '+1 day'),
            NEW.user_id);
END;

-- Append-only, like the log it indexes.
CREATE TRIGGER audit_client_days_no_update BEFORE UPDATE ON audit_client_days
BEGIN SELECT RAISE(ABORT, 'audit_client_days is append-only'); END;
CREATE TRIGGER audit_client_days_no_delete BEFORE DELETE ON audit_client_days
BEGIN SELECT RAISE(ABORT, 'audit_client_days is append-only'); END;

DROP INDEX audit_log_hmis;
