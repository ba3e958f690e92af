-- 0015 households, SQLite flavour (migrations/postgres/0015_households.sql holds the same for
-- PostgreSQL).
--
-- Seed 1b's family information (S-1, tier 1: editable by every agency): a household groups
-- clients under a family name; each member is on effective-dated rows with their relationship
-- to the head of household (HUD 3.15, `shared::hud::RelationshipToHoH`, stored by its text);
-- the household's address is on effective-dated rows like a client's contact rows (R-4). Rows
-- are never overwritten: a change ends a row (`end_date`, the inclusive last day) and adds new
-- ones; every change first writes the old value to `household_history` (append-only, P-3).
-- The rules (one household per client at a time, one head at a time) are `shared::household`;
-- the two partial unique indexes below hold their open-ended cases in the database too.

CREATE TABLE households (
    id              INTEGER PRIMARY KEY,
    family_name     TEXT NOT NULL,
    org_id          INTEGER NOT NULL REFERENCES organizations(id),
    author_id       INTEGER NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL
);

CREATE TABLE household_members (
    id              INTEGER PRIMARY KEY,
    household_id    INTEGER NOT NULL REFERENCES households(id),
    client_id       INTEGER NOT NULL REFERENCES clients(id),
    relationship    TEXT NOT NULL CHECK (relationship IN ('self_head_of_household', 'child',
                        'spouse_or_partner', 'other_relative', 'unrelated_household_member',
                        'data_not_collected')),
    start_date      TEXT NOT NULL,
    end_date        TEXT,
    org_id          INTEGER NOT NULL REFERENCES organizations(id),
    author_id       INTEGER NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX household_members_household ON household_members(household_id);
CREATE INDEX household_members_client ON household_members(client_id);
-- A client is on at most one open-ended row (in any household), a household has at most one
-- open-ended head row.
CREATE UNIQUE INDEX household_members_one_open_per_client ON household_members(client_id)
    WHERE end_date IS NULL;
CREATE UNIQUE INDEX household_members_one_open_head ON household_members(household_id)
    WHERE end_date IS NULL AND relationship = 'self_head_of_household';

CREATE TABLE household_addresses (
    id              INTEGER PRIMARY KEY,
    household_id    INTEGER NOT NULL REFERENCES households(id),
    value           TEXT NOT NULL,
    start_date      TEXT NOT NULL,
    end_date        TEXT,
    org_id          INTEGER NOT NULL REFERENCES organizations(id),
    author_id       INTEGER NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX household_addresses_household ON household_addresses(household_id);

-- P-3: the old value before every change of a household, a member row or an address row
-- (`subject`: 'household', 'member', 'address'; `old_value`: JSON, `null` for a creation).
CREATE TABLE household_history (
    id              INTEGER PRIMARY KEY,
    household_id    INTEGER NOT NULL REFERENCES households(id),
    subject         TEXT NOT NULL CHECK (subject IN ('household', 'member', 'address')),
    subject_id      INTEGER NOT NULL,
    changed_at      TEXT NOT NULL,
    changed_by      INTEGER NOT NULL REFERENCES users(id),
    changed_by_org  INTEGER NOT NULL REFERENCES organizations(id),
    action          TEXT NOT NULL,
    old_value       TEXT NOT NULL
);
CREATE INDEX household_history_household ON household_history(household_id);
CREATE TRIGGER household_history_no_update BEFORE UPDATE ON household_history
BEGIN SELECT RAISE(ABORT, 'household_history is append-only'); END;
CREATE TRIGGER household_history_no_delete BEFORE DELETE ON household_history
BEGIN SELECT RAISE(ABORT, 'household_history is append-only'); END;
-- Nothing about households is deleted (P-3).
CREATE TRIGGER household_members_no_delete BEFORE DELETE ON household_members
BEGIN SELECT RAISE(ABORT, 'household rows are end-dated, never deleted'); END;
CREATE TRIGGER household_addresses_no_delete BEFORE DELETE ON household_addresses
BEGIN SELECT RAISE(ABORT, 'household rows are end-dated, never deleted'); END;

-- Every household write takes this one row's lock first (`db::households::lock`), so the rules
-- that span households (one household per client at a time) are checked on what is committed:
-- household writes are few, and this serializes them on both backends.
CREATE TABLE household_write_lock (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   INTEGER NOT NULL
);
INSERT INTO household_write_lock (id, n) VALUES (1, 0);
