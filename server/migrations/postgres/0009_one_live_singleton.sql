-- 0009: at most one live (not tombstoned) demographics set and one live photo per client (S-1),
-- PostgreSQL flavour (migrations/sqlite/0009_one_live_singleton.sql holds the same SQL).
--
-- `PUT /clients/{id}/demographics` and `PUT /clients/{id}/photo` create the record when the
-- client has none and update it otherwise. Two first PUTs at the same moment could both see
-- "none" and both create one. Every other race of the records API is settled by a conditional
-- UPDATE of the row the change read (compare-and-set, see `db::records::claim`), but a row
-- that does not exist yet cannot be compared: the database has to refuse the second one. The
-- losing insert fails on this index and the API answers 409 ("reload and try again").

-- Only that race can have stored two live sets of one client. Should a database hold some, the
-- older ones are tombstoned first, exactly as a later PUT would have replaced them: the API
-- already shows the newest as the current one (newest created_at, then highest id). The rows are
-- kept (P-3) and SystemAdmins still see them.
UPDATE records SET deleted = 1
WHERE deleted = 0
  AND kind IN ('Demographics', 'Photo')
  AND EXISTS (
      SELECT 1 FROM records newer
      WHERE newer.client_id = records.client_id
        AND newer.kind = records.kind
        AND newer.deleted = 0
        AND (newer.created_at > records.created_at
             OR (newer.created_at = records.created_at AND newer.id > records.id)));

-- Partial unique index (both backends support the WHERE clause; tombstoned sets do not count).
CREATE UNIQUE INDEX records_one_live_singleton
    ON records (client_id, kind)
    WHERE deleted = 0 AND kind IN ('Demographics', 'Photo');
