-- Hearth's first schema, SQLite flavour (migrations/postgres/ holds the same for PostgreSQL).
-- Portable conventions: dates and timestamps are ISO-8601 TEXT (they sort), flags are 0/1 integers.
-- Nothing here is ever hard-deleted by the application (P-3):
-- records carry a `deleted` tombstone flag, and the audit log refuses UPDATE and DELETE (P-4).

CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

-- One organization per user; role is one of Caseworker, AgencyAdmin, SystemAdmin.
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES organizations(id),
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('Caseworker', 'AgencyAdmin', 'SystemAdmin')),
    password_hash   TEXT NOT NULL,
    disabled        INTEGER NOT NULL DEFAULT 0,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL
);

-- Server-side sessions, shared by every server instance. Only a SHA-256 of the token is stored,
-- so a copy of the database does not hand out live sessions.
CREATE TABLE sessions (
    token_hash      TEXT PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Programs (HUD projects); hud_project_type is HUD's ProjectType code (1 = ES, 13 = RRH, ...).
CREATE TABLE programs (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES organizations(id),
    name                TEXT NOT NULL,
    hud_project_type    INTEGER NOT NULL
);

-- A client and its tier-1 intake (S-1). The intake's provenance is the row's org/author/created_at.
CREATE TABLE clients (
    id              INTEGER PRIMARY KEY,
    hmis_number     TEXT NOT NULL UNIQUE,
    first_name      TEXT NOT NULL,
    middle_name     TEXT,
    last_name       TEXT NOT NULL,
    date_of_birth   TEXT,
    ssn             TEXT,
    gender          TEXT,
    org_id          INTEGER NOT NULL REFERENCES organizations(id),
    author_id       INTEGER NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX clients_last_name ON clients(lower(last_name));
CREATE INDEX clients_first_name ON clients(lower(first_name));

-- Every other client record (enrollments, services, notes, forms, attachments, ...), with its
-- provenance and, for forms and attachments, its security setting. `data` holds the kind's fields
-- as JSON; `title` and `detail` are what the profile shows.
CREATE TABLE records (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients(id),
    kind        TEXT NOT NULL,
    org_id      INTEGER NOT NULL REFERENCES organizations(id),
    author_id   INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    security    TEXT CHECK (security IS NULL OR security IN
                    ('SharedWithAll', 'ShareWithRoiMou', 'RestrictToOrganization')),
    title       TEXT NOT NULL,
    detail      TEXT NOT NULL,
    data        TEXT NOT NULL DEFAULT '{}',
    deleted     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX records_client ON records(client_id);

-- Releases of information (S-3). `orgs` is a JSON array of organization ids.
CREATE TABLE rois (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients(id),
    orgs            TEXT NOT NULL,
    start_date      TEXT NOT NULL,
    end_date        TEXT NOT NULL,
    attested_by     INTEGER NOT NULL REFERENCES users(id),
    attested_org    INTEGER NOT NULL REFERENCES organizations(id),
    attested_on     TEXT NOT NULL,
    document        TEXT,
    revoked_by      INTEGER REFERENCES users(id),
    revoked_on      TEXT
);
CREATE INDEX rois_client ON rois(client_id);

-- Memoranda of understanding (S-4, S-6) and their signatures, one row per party.
CREATE TABLE mous (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    start_date      TEXT NOT NULL,
    end_date        TEXT NOT NULL,
    document        TEXT,
    terminated_by   INTEGER REFERENCES users(id),
    terminated_on   TEXT
);
CREATE TABLE mou_parties (
    mou_id          INTEGER NOT NULL REFERENCES mous(id),
    org_id          INTEGER NOT NULL REFERENCES organizations(id),
    signer_name     TEXT,
    signer_title    TEXT,
    signed_on       TEXT,
    PRIMARY KEY (mou_id, org_id)
);

-- P-4: append-only audit of every read of a client's records and every write.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     INTEGER NOT NULL,
    org_id      INTEGER NOT NULL,
    hmis_number TEXT,
    action      TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
