-- 0004 records, PostgreSQL flavour (migrations/sqlite/0004_records.sql holds the same for SQLite).
--
-- The `records` table of 0001 stays the registry of every non-intake client record: kind,
-- owning organization, author, created_at, security setting, `deleted` tombstone, and the
-- `title` / `detail` the profile shows. Each kind with fields of its own gets a detail table
-- here, keyed by `record_id` (one detail row per record). Kinds without one: ProfileNote (its
-- text is `records.detail`). Records entered before this migration (the demo data) may have
-- no detail row; the API shows them with their title and detail only.
--
-- Nothing is hard-deleted (P-3): every change writes the old value to `record_history`, which
-- refuses UPDATE and DELETE; services can never be deleted or tombstoned (R-11), and the
-- database itself refuses it, whatever the application does.

-- R-6: an entry/exit of a client in a program. The owning organization is `records.org_id`
-- (the program's organization).
CREATE TABLE enrollments (
    record_id           BIGINT PRIMARY KEY REFERENCES records(id),
    program_id          BIGINT NOT NULL REFERENCES programs(id),
    case_name           TEXT NOT NULL,
    entry_date          TEXT NOT NULL,
    exit_date           TEXT,
    move_in_date        TEXT,
    -- 0/1: the client is the head of the household for this enrollment (R-9 checklist, R-10).
    head_of_household   BIGINT NOT NULL DEFAULT 0
);

-- R-11: a need, service transaction or referral, optionally on an enrollment, with optional
-- case-management minutes and note; the note follows its own security setting (S-5).
CREATE TABLE services (
    record_id               BIGINT PRIMARY KEY REFERENCES records(id),
    enrollment_id           BIGINT REFERENCES records(id),
    service_kind            TEXT NOT NULL CHECK (service_kind IN ('Need', 'Transaction', 'Referral')),
    service_date            TEXT NOT NULL,
    description             TEXT NOT NULL,
    case_management_minutes BIGINT,
    case_management_note    TEXT,
    note_security           TEXT NOT NULL CHECK (note_security IN
                                ('ShareWithRoiMou', 'RestrictToOrganization'))
);

-- R-4: effective-dated contact rows, never overwritten in place. The organization that entered
-- the row (R-5) is `records.org_id`. `end_date` is the inclusive last day (NULL while current).
CREATE TABLE contact_rows (
    record_id       BIGINT PRIMARY KEY REFERENCES records(id),
    contact_kind    TEXT NOT NULL CHECK (contact_kind IN
                        ('Address', 'Phone', 'Email', 'EmergencyContact')),
    value           TEXT NOT NULL,
    start_date      TEXT NOT NULL,
    end_date        TEXT
);

-- S-1: demographics (tier 1, editable by every agency). Free text, NULL when not collected.
CREATE TABLE demographics (
    record_id               BIGINT PRIMARY KEY REFERENCES records(id),
    ethnicity               TEXT,
    race                    TEXT,
    religious_preference    TEXT,
    citizenship_status      TEXT
);

-- R-10: the case manager of a head of household per agency/program. The assigning agency is
-- `records.org_id`; `head_of_household_id` is the client the record belongs to.
CREATE TABLE case_managers (
    record_id               BIGINT PRIMARY KEY REFERENCES records(id),
    head_of_household_id    BIGINT NOT NULL REFERENCES clients(id),
    program_id              BIGINT NOT NULL REFERENCES programs(id),
    case_manager_id         BIGINT NOT NULL REFERENCES users(id),
    start_date              TEXT NOT NULL,
    end_date                TEXT
);

-- S-5: assessments and other forms. The security setting is `records.security`; the answers
-- are a JSON object.
CREATE TABLE forms (
    record_id   BIGINT PRIMARY KEY REFERENCES records(id),
    form_type   TEXT NOT NULL,
    answers     TEXT NOT NULL DEFAULT '{}'
);

-- R-9: an uploaded file's metadata. The bytes live under HEARTH_FILES_DIR at `storage_key` (a
-- random name: nothing about the client or the file name is on disk). `service_id` is NULL
-- when the attachment is on the client profile. The security setting is `records.security`.
CREATE TABLE attachments (
    record_id       BIGINT PRIMARY KEY REFERENCES records(id),
    document_type   TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    content_type    TEXT NOT NULL CHECK (content_type IN
                        ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes      BIGINT NOT NULL,
    sha256          TEXT NOT NULL,
    storage_key     TEXT NOT NULL UNIQUE,
    service_id      BIGINT REFERENCES records(id)
);
CREATE INDEX attachments_service ON attachments(service_id);

-- S-1: the client photo (tier 1). Replacing it updates this row; the old file stays on disk and
-- the old row is kept in `record_history` (P-3).
CREATE TABLE photos (
    record_id       BIGINT PRIMARY KEY REFERENCES records(id),
    content_type    TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    size_bytes      BIGINT NOT NULL,
    sha256          TEXT NOT NULL,
    storage_key     TEXT NOT NULL UNIQUE
);

-- P-3: the old value of a record before every change (JSON of what the API showed: the record's
-- meta, title, detail and details; `null` for a creation). Append-only, like the audit log.
CREATE TABLE record_history (
    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    record_id       BIGINT NOT NULL REFERENCES records(id),
    changed_at      TEXT NOT NULL,
    changed_by      BIGINT NOT NULL REFERENCES users(id),
    changed_by_org  BIGINT NOT NULL REFERENCES organizations(id),
    action          TEXT NOT NULL,
    old_value       TEXT NOT NULL
);
CREATE INDEX record_history_record ON record_history(record_id);
CREATE FUNCTION record_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'record_history is append-only'; END;
$$;
CREATE TRIGGER record_history_no_update BEFORE UPDATE OR DELETE ON record_history
FOR EACH ROW EXECUTE FUNCTION record_history_append_only();
CREATE TRIGGER record_history_no_truncate BEFORE TRUNCATE ON record_history
FOR EACH STATEMENT EXECUTE FUNCTION record_history_append_only();

-- R-11: services are never deleted, by anyone, through any path: no DELETE of a service's detail
-- row or registry row, no tombstone, and no turning a service into another kind to delete it.
CREATE FUNCTION services_never_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'services are never deleted (R-11)'; END;
$$;
CREATE TRIGGER services_no_delete BEFORE DELETE ON services
FOR EACH ROW EXECUTE FUNCTION services_never_deleted();
CREATE TRIGGER services_no_truncate BEFORE TRUNCATE ON services
FOR EACH STATEMENT EXECUTE FUNCTION services_never_deleted();
CREATE TRIGGER records_service_no_delete BEFORE DELETE ON records
FOR EACH ROW WHEN (OLD.kind = 'Service') EXECUTE FUNCTION services_never_deleted();
CREATE TRIGGER records_service_no_tombstone BEFORE UPDATE ON records
FOR EACH ROW WHEN (OLD.kind = 'Service' AND (NEW.deleted <> 0 OR NEW.kind <> 'Service'))
EXECUTE FUNCTION services_never_deleted();
