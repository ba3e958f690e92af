-- 0018 HUD CSV import (issue #16), PostgreSQL flavour (migrations/sqlite/0018_hud_import.sql holds
-- the same for SQLite, with the comments on each column).
CREATE TABLE hud_import_map (
    source          TEXT NOT NULL,
    hud_file        TEXT NOT NULL,
    hud_id          TEXT NOT NULL,
    hearth_id       BIGINT NOT NULL,
    org_id          BIGINT,
    client_id       BIGINT,
    export_id       TEXT NOT NULL,
    date_updated    TEXT NOT NULL,
    deleted         BIGINT NOT NULL DEFAULT 0,
    imported_at     TEXT NOT NULL,
    PRIMARY KEY (source, hud_file, hud_id)
);
CREATE FUNCTION hud_import_map_no_delete() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'hud_import_map is never deleted from'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER hud_import_map_no_delete BEFORE DELETE ON hud_import_map
FOR EACH ROW EXECUTE FUNCTION hud_import_map_no_delete();
