-- The audit viewer (P-4) pages by keyset (postgres flavour; migrations/sqlite/ holds the same):
-- `before` / `after` name an entry, and a page is the entries just past its (at, id) in the
-- newest-first order, read as a range of an index on `at` whatever the filter. The action
-- filter had no index; organization and user get the id as a last column, as SQLite's indexes
-- have implicitly, so the tie-break within one instant is read from the index too.
CREATE INDEX audit_log_action_at ON audit_log (action, at, id);
CREATE INDEX audit_log_org_at_id ON audit_log (org_id, at, id);
DROP INDEX audit_log_org_at;
CREATE INDEX audit_log_user_at_id ON audit_log (user_id, at, id);
DROP INDEX audit_log_user_at;
