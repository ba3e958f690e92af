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
    user_id     BIGINT NOT NULL,
    PRIMARY KEY (hmis_number, day, user_id)
);

INSERT INTO audit_client_days (hmis_number, day, next_day, user_id)
SELECT DISTINCT hmis_number, substr(at, 1, 10),
       to_char(substr(at, 1, 10)::date + 1, 'YYYY-MM-DD'), user_id
FROM audit_log WHERE hmis_number IS NOT NULL
ON CONFLICT DO NOTHING;

-- Kept by the database on every audit entry, whoever writes it.
CREATE FUNCTION audit_client_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_client_days (hmis_number, day, next_day, user_id)
    VALUES (NEW.hmis_number, substr(NEW.at, 1, 10),
            to_char(substr(NEW.at, 1, 10)::date + 1, 'YYYY-MM-DD'), NEW.user_id)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER audit_log_client_day AFTER INSERT ON audit_log
FOR EACH ROW WHEN (NEW.hmis_number IS NOT NULL) EXECUTE FUNCTION audit_client_day();

-- Append-only, like the log it indexes.
CREATE FUNCTION audit_client_days_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_client_days is append-only'; END;
$$;
CREATE TRIGGER audit_client_days_no_update BEFORE UPDATE OR DELETE ON audit_client_days
FOR EACH ROW EXECUTE FUNCTION audit_client_days_append_only();
CREATE TRIGGER audit_client_days_no_truncate BEFORE TRUNCATE ON audit_client_days
FOR EACH STATEMENT EXECUTE FUNCTION audit_client_days_append_only();

DROP INDEX audit_log_hmis;
