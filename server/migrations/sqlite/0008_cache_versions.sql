-- Versions that let a server instance keep copies of data in memory and still answer exactly as
-- the database would (see server/src/cache.rs). Each request reads the current numbers (one
-- small query) and uses a copy only when it was loaded at the same numbers; the triggers below
-- move the numbers on every change, whichever server instance or tool makes it.

-- One counter for what every request may need: sessions and their users, organizations, MOUs.
CREATE TABLE cache_epoch (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    value   INTEGER NOT NULL
);
INSERT INTO cache_epoch (id, value) VALUES (1, 0);

-- One counter per client for its file: the intake row, its ROIs and its records registry.
ALTER TABLE clients ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- Sessions: ending one (sign-out, timeout, disabled user, changed password) or changing whose it
-- is. The idle timer (last_seen_at) moves often and is not cached as a decision: not counted.
CREATE TRIGGER sessions_epoch_delete AFTER DELETE ON sessions
BEGIN UPDATE cache_epoch SET value = value + 1; END;
CREATE TRIGGER sessions_epoch_update AFTER UPDATE OF token_hash, user_id, created_at ON sessions
BEGIN UPDATE cache_epoch SET value = value + 1; END;

-- Users (role, organization, disabled, password, lockout), organizations (names), MOUs and their
-- parties (signatures, termination): any change.
CREATE TRIGGER users_epoch_insert AFTER INSERT ON users
BEGIN UPDATE cache_epoch SET value = value + 1; END;
CREATE TRIGGER users_epoch_update AFTER UPDATE ON users
BEGIN UPDATE cache_epoch SET value = value + 1; END;
CREATE TRIGGER users_epoch_delete AFTER DELETE ON users
BEGIN UPDATE cache_epoch SET value = value + 1; END;
CREATE TRIGGER organizations_epoch_insert AFTER INSERT ON organizations
BEGIN UPDATE cache_epoch SET value = value + 1; END;
CREATE TRIGGER organizations_epoch_update AFTER UPDATE ON organizations
BEGIN UPDATE cache_epoch SET value = value + 1; END;
CREATE TRIGGER organizations_epoch_delete AFTER DELETE ON organizations
BEGIN UPDATE cache_epoch SET value = value + 1; END;
CREATE TRIGGER mous_epoch_insert AFTER INSERT ON mous
BEGIN UPDATE cache_epoch SET value = value + 1; END;
CREATE TRIGGER mous_epoch_update AFTER UPDATE ON mous
BEGIN UPDATE cache_epoch SET value = value + 1; END;
CREATE TRIGGER mous_epoch_delete AFTER DELETE ON mous
BEGIN UPDATE cache_epoch SET value = value + 1; END;
CREATE TRIGGER mou_parties_epoch_insert AFTER INSERT ON mou_parties
BEGIN UPDATE cache_epoch SET value = value + 1; END;
CREATE TRIGGER mou_parties_epoch_update AFTER UPDATE ON mou_parties
BEGIN UPDATE cache_epoch SET value = value + 1; END;
CREATE TRIGGER mou_parties_epoch_delete AFTER DELETE ON mou_parties
BEGIN UPDATE cache_epoch SET value = value + 1; END;

-- A client's own row: any update that did not itself move the version (recursive triggers are
-- off in SQLite, and the WHEN clause stops a loop if they were on).
CREATE TRIGGER clients_version_update AFTER UPDATE ON clients
WHEN NEW.version = OLD.version
BEGIN UPDATE clients SET version = OLD.version + 1 WHERE id = NEW.id; END;

-- The client's records registry and ROIs: any change moves the client's version (both clients'
-- when a row moved between clients).
CREATE TRIGGER records_version_insert AFTER INSERT ON records
BEGIN UPDATE clients SET version = version + 1 WHERE id = NEW.client_id; END;
CREATE TRIGGER records_version_update AFTER UPDATE ON records
BEGIN UPDATE clients SET version = version + 1 WHERE id IN (OLD.client_id, NEW.client_id); END;
CREATE TRIGGER records_version_delete AFTER DELETE ON records
BEGIN UPDATE clients SET version = version + 1 WHERE id = OLD.client_id; END;
CREATE TRIGGER rois_version_insert AFTER INSERT ON rois
BEGIN UPDATE clients SET version = version + 1 WHERE id = NEW.client_id; END;
CREATE TRIGGER rois_version_update AFTER UPDATE ON rois
BEGIN UPDATE clients SET version = version + 1 WHERE id IN (OLD.client_id, NEW.client_id); END;
CREATE TRIGGER rois_version_delete AFTER DELETE ON rois
BEGIN UPDATE clients SET version = version + 1 WHERE id = OLD.client_id; END;
