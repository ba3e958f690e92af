-- The audit viewer (P-4) pages by keyset: `before` / `after` name an entry, and a page is the
-- entries just past its (at, id) in the newest-first order, read as a range of an index on
-- `at` whatever the filter: audit_log_at (at, id) for none, audit_log_org_at and
-- audit_log_user_at (migration 0002; SQLite's indexes end with the rowid, the id) for
-- organization and user, the client register (0011) for an HMIS number, and this one for the
-- action filter, the one filter without an index until now.
CREATE INDEX audit_log_action_at ON audit_log (action, at, id);
