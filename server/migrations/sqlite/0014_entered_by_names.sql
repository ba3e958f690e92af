-- 0013 the entering user's and organization's names in record views (S-2), SQLite flavour
-- (migrations/postgres/0013_entered_by_names.sql holds the same for the other backend).
--
-- A client's file kept in memory (server/src/cache.rs) carries the names of whoever entered its
-- intake and records, read with the rows. Renaming a user or an organization changes those
-- names, so it moves the version of every client whose intake or records they entered: no copy
-- keeps a stale name. Renames are rare; the scan of `records` is their whole cost.

CREATE TRIGGER users_display_name_client_versions AFTER UPDATE OF display_name ON users
WHEN NEW.display_name IS NOT OLD.display_name
BEGIN
    UPDATE clients SET version = version + 1
    WHERE author_id = NEW.id OR id IN (SELECT client_id FROM records WHERE author_id = NEW.id);
END;

CREATE TRIGGER organizations_name_client_versions AFTER UPDATE OF name ON organizations
WHEN NEW.name IS NOT OLD.name
BEGIN
    UPDATE clients SET version = version + 1
    WHERE org_id = NEW.id OR id IN (SELECT client_id FROM records WHERE org_id = NEW.id);
END;
