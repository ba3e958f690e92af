-- Issue 15: two client records of one person, linked, never merged (`shared::links`,
-- server/src/services/links.rs). A link row is never deleted or changed but once: unlinking
-- sets `ended_at` / `ended_by` (the history is the rows). Both records stay as they were, so
-- undoing a link loses nothing (P-3). A record is in at most one live link: the service decides
-- it (`can_link`) under the link write lock; the two partial unique indexes hold the simplest
-- cases in the database too.
CREATE TABLE client_links (
    id          INTEGER PRIMARY KEY,
    client_lo   INTEGER NOT NULL REFERENCES clients(id),
    client_hi   INTEGER NOT NULL REFERENCES clients(id),
    org_id      INTEGER NOT NULL REFERENCES organizations(id),
    linked_by   INTEGER NOT NULL REFERENCES users(id),
    linked_at   TEXT NOT NULL,
    ended_at    TEXT,
    ended_by    INTEGER REFERENCES users(id),
    CHECK (client_lo < client_hi),
    CHECK ((ended_at IS NULL) = (ended_by IS NULL))
);
CREATE INDEX client_links_lo ON client_links(client_lo);
CREATE INDEX client_links_hi ON client_links(client_hi);
CREATE UNIQUE INDEX client_links_one_live_lo ON client_links(client_lo) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX client_links_one_live_hi ON client_links(client_hi) WHERE ended_at IS NULL;
CREATE TRIGGER client_links_no_delete BEFORE DELETE ON client_links
BEGIN SELECT RAISE(ABORT, 'client links are never deleted'); END;
CREATE TRIGGER client_links_end_only BEFORE UPDATE ON client_links
WHEN OLD.ended_at IS NOT NULL OR NEW.client_lo <> OLD.client_lo OR NEW.client_hi <> OLD.client_hi
    OR NEW.org_id <> OLD.org_id OR NEW.linked_by <> OLD.linked_by OR NEW.linked_at <> OLD.linked_at
BEGIN SELECT RAISE(ABORT, 'a client link is only ended, once'); END;
-- Link writes take this lock first (after `db::begin_write`), so they are serialized on both
-- backends and each decides on what the others committed.
CREATE TABLE client_link_write_lock (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO client_link_write_lock (id, n) VALUES (1, 0);
