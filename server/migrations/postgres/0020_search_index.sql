-- 0020 search index, PostgreSQL flavour (migrations/sqlite/0020_search_index.sql explains it).
-- The keys compare byte-wise (COLLATE "C"), so a prefix range holds exactly the keys that start
-- with the typed word.
CREATE TABLE client_search_keys (
    key         TEXT COLLATE "C" NOT NULL,
    client_id   BIGINT NOT NULL REFERENCES clients(id),
    PRIMARY KEY (key, client_id)
);
CREATE INDEX client_search_keys_client ON client_search_keys(client_id);
UPDATE clients SET first_key = NULL;
