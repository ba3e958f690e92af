-- Accounts and audit queries (postgres flavour; migrations/sqlite/ holds the same).
--
-- Nothing is hard-deleted (P-3): organizations and programs are disabled, like users already
-- are. A disabled organization or program keeps its id, name and history; it only stops being
-- offered for new users and programs.
ALTER TABLE organizations ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE programs ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;

-- P-5 unique user ids: usernames are unique regardless of case (the application also stores
-- them lower-case). Organization names likewise, so "Bull City Shelter" cannot appear twice.
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
CREATE UNIQUE INDEX organizations_name_lower ON organizations (lower(name));

-- Lists of an organization's users.
CREATE INDEX users_org ON users (org_id);

-- GET /api/v1/audit (P-4): newest first, filtered by organization, user or client. The table
-- stays append-only: these are indexes only, the triggers of 0001 are untouched.
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_org_at ON audit_log (org_id, at);
CREATE INDEX audit_log_user_at ON audit_log (user_id, at);
CREATE INDEX audit_log_hmis ON audit_log (hmis_number);
