-- Issue 15 / P-4: the index behind the typo-tolerant client search (server/src/db/search.rs,
-- `shared::matching`). Each client has its keys here: every folded name word (`n:smith`, found
-- by prefix ranges), the Soundex of each word and of its nickname's full form (`p:S530`), the
-- date of birth (`b:1984-03-07`) and the SSN's last four (`s:4321`), so that a search reads a
-- bounded number of candidates at any size and ranks them with the shared function. Derived
-- data, rewritten with the names on every intake write (`db::refresh_search_keys`); not client
-- data of its own. Rows written before this migration get their keys when the server next starts
-- (clearing `first_key` makes `db::connect` backfill every client).
CREATE TABLE client_search_keys (
    key         TEXT NOT NULL,
    client_id   INTEGER NOT NULL REFERENCES clients(id),
    PRIMARY KEY (key, client_id)
) WITHOUT ROWID;
CREATE INDEX client_search_keys_client ON client_search_keys(client_id);
UPDATE clients SET first_key = NULL;
