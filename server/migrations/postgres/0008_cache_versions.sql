-- Versions that let a server instance keep copies of data in memory and still answer exactly as
-- the database would (see server/src/cache.rs). Each request reads the current numbers (one
-- small query) and uses a copy only when it was loaded at the same numbers; the triggers below
-- move the numbers on every change, whichever server instance or tool makes it.

-- One counter for what every request may need: sessions and their users, organizations, MOUs.
CREATE TABLE cache_epoch (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    value   BIGINT NOT NULL
);
INSERT INTO cache_epoch (id, value) VALUES (1, 0);

-- One counter per client for its file: the intake row, its ROIs and its records registry.
ALTER TABLE clients ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION cache_epoch_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cache_epoch SET value = value + 1;
    RETURN NULL;
END;
$$;

-- Sessions: ending one (sign-out, timeout, disabled user, changed password) or changing whose it
-- is. The idle timer (last_seen_at) moves often and is not cached as a decision: not counted.
CREATE TRIGGER sessions_epoch_delete AFTER DELETE ON sessions
FOR EACH STATEMENT EXECUTE FUNCTION cache_epoch_bump();
CREATE TRIGGER sessions_epoch_update AFTER UPDATE OF token_hash, user_id, created_at ON sessions
FOR EACH STATEMENT EXECUTE FUNCTION cache_epoch_bump();

-- Users (role, organization, disabled, password, lockout), organizations (names), MOUs and their
-- parties (signatures, termination): any change.
CREATE TRIGGER users_epoch AFTER INSERT OR UPDATE OR DELETE ON users
FOR EACH STATEMENT EXECUTE FUNCTION cache_epoch_bump();
CREATE TRIGGER organizations_epoch AFTER INSERT OR UPDATE OR DELETE ON organizations
FOR EACH STATEMENT EXECUTE FUNCTION cache_epoch_bump();
CREATE TRIGGER mous_epoch AFTER INSERT OR UPDATE OR DELETE ON mous
FOR EACH STATEMENT EXECUTE FUNCTION cache_epoch_bump();
CREATE TRIGGER mou_parties_epoch AFTER INSERT OR UPDATE OR DELETE ON mou_parties
FOR EACH STATEMENT EXECUTE FUNCTION cache_epoch_bump();

-- A client's own row: every update moves its version.
CREATE FUNCTION clients_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END;
$$;
CREATE TRIGGER clients_version_update BEFORE UPDATE ON clients
FOR EACH ROW EXECUTE FUNCTION clients_version_bump();

-- The client's records registry and ROIs: any change moves the client's version (both clients'
-- when a row moved between clients).
CREATE FUNCTION client_file_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE clients SET version = version + 1 WHERE id = NEW.client_id;
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.client_id <> NEW.client_id) THEN
        UPDATE clients SET version = version + 1 WHERE id = OLD.client_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER records_version AFTER INSERT OR UPDATE OR DELETE ON records
FOR EACH ROW EXECUTE FUNCTION client_file_version_bump();
CREATE TRIGGER rois_version AFTER INSERT OR UPDATE OR DELETE ON rois
FOR EACH ROW EXECUTE FUNCTION client_file_version_bump();
