-- 0018 HUD CSV import (issue #16), SQLite flavour (migrations/postgres/0018_hud_import.sql holds
-- the same for the other backend).
--
-- Which Hearth row each imported HUD CSV row became, per source (Export.csv's SourceID: every
-- export of one HMIS names the same source, whatever its ExportID), so that importing the same
-- export again changes nothing, a later export updates the rows whose DateUpdated is newer and
-- tombstones the rows it marks DateDeleted (P-3: nothing is hard-deleted).
--
-- `hud_file` is the file's name without `.csv` (`Client`, `Enrollment`, ...; `HealthAndDV:Health`
-- for the health form a HealthAndDV row may also give). `hearth_id` is the id in the table that
-- file maps to (organizations, users, programs, clients, or records; an Exit row's is its
-- enrollment's record). `org_id` and `client_id` are the owning organization and the client where
-- the row has them, so later files of the same source resolve their foreign keys without a join.
-- `date_updated` is the source row's DateUpdated as last imported; `deleted` is 1 once the
-- source deleted it. Rows here are updated (never deleted) as later exports arrive.
CREATE TABLE hud_import_map (
    source          TEXT NOT NULL,
    hud_file        TEXT NOT NULL,
    hud_id          TEXT NOT NULL,
    hearth_id       INTEGER NOT NULL,
    org_id          INTEGER,
    client_id       INTEGER,
    export_id       TEXT NOT NULL,
    date_updated    TEXT NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0,
    imported_at     TEXT NOT NULL,
    PRIMARY KEY (source, hud_file, hud_id)
);
CREATE TRIGGER hud_import_map_no_delete BEFORE DELETE ON hud_import_map
BEGIN SELECT RAISE(ABORT, 'hud_import_map is never deleted from'); END;
