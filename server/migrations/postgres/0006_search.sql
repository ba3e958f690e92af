-- Client search by name prefix (server/src/db.rs `search_clients`). The server stores each
-- name's search key (trimmed, lower-cased with Unicode's rules, `db::name_key`) and searches
-- ranges of keys. The keys compare byte-wise (COLLATE "C") whatever the database's default
-- collation, so a range holds exactly the names starting with the typed word. Rows written before
-- this migration get their keys when the server next starts (`db::connect` backfills NULL keys).
ALTER TABLE clients ADD COLUMN first_key TEXT COLLATE "C";
ALTER TABLE clients ADD COLUMN middle_key TEXT COLLATE "C";
ALTER TABLE clients ADD COLUMN last_key TEXT COLLATE "C";
CREATE INDEX clients_first_key ON clients(first_key);
CREATE INDEX clients_middle_key ON clients(middle_key);
CREATE INDEX clients_last_key ON clients(last_key);
