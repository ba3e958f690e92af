-- 0003: releases of information (S-3), MOUs (S-4, S-6) and client intake (S-1), SQLite flavour
-- (migrations/postgres/0003_releases.sql is the same for PostgreSQL).

-- S-1 intake: HUD data quality of the date of birth and of the SSN (HMIS Data Standards 3.02,
-- 3.03). NULL for clients entered before this migration (quality unknown).
ALTER TABLE clients ADD COLUMN dob_data_quality TEXT CHECK (dob_data_quality IS NULL OR
    dob_data_quality IN ('full', 'partial', 'client_doesnt_know', 'client_refused', 'data_not_collected'));
ALTER TABLE clients ADD COLUMN ssn_data_quality TEXT CHECK (ssn_data_quality IS NULL OR
    ssn_data_quality IN ('full', 'partial', 'client_doesnt_know', 'client_refused', 'data_not_collected'));

-- Duplicate detection at intake compares lower(first_name), lower(last_name) and date_of_birth.
CREATE INDEX clients_name_dob ON clients(lower(last_name), lower(first_name), date_of_birth);

-- Uploaded documents: the scan of a client's signed release (an ROI's) or an MOU's signed
-- document. Stored in the database, not on disk: one backup holds everything, the upload and the
-- pointer to it commit in one transaction, and both backends store bytes the same way.
-- `content_type` is what the server recognised from the first bytes (never only what the browser
-- said); `sha256` (hex) lets anyone check a copy. One document per ROI or MOU, never replaced,
-- updated or deleted (P-3): the triggers below refuse it.
CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    owner_kind      TEXT NOT NULL CHECK (owner_kind IN ('roi', 'mou')),
    owner_id        INTEGER NOT NULL,
    content_type    TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size            INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    content         BLOB NOT NULL,
    uploaded_by     INTEGER NOT NULL REFERENCES users(id),
    uploaded_org    INTEGER NOT NULL REFERENCES organizations(id),
    uploaded_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX documents_owner ON documents(owner_kind, owner_id);
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are never changed'); END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;

-- S-3: an ROI is never edited in place: to change one, revoke it and set a new one. The only
-- updates allowed fill an empty value once: `document` (the scan's reference, `documents/ID`) and
-- the revocation (`revoked_by`, `revoked_on`). ROIs are never deleted.
CREATE TRIGGER rois_never_edited BEFORE UPDATE ON rois
WHEN NEW.client_id IS NOT OLD.client_id OR NEW.orgs IS NOT OLD.orgs
  OR NEW.start_date IS NOT OLD.start_date OR NEW.end_date IS NOT OLD.end_date
  OR NEW.attested_by IS NOT OLD.attested_by OR NEW.attested_org IS NOT OLD.attested_org
  OR NEW.attested_on IS NOT OLD.attested_on
  OR (OLD.document IS NOT NULL AND NEW.document IS NOT OLD.document)
  OR (OLD.revoked_on IS NOT NULL AND NEW.revoked_on IS NOT OLD.revoked_on)
  OR (OLD.revoked_by IS NOT NULL AND NEW.revoked_by IS NOT OLD.revoked_by)
BEGIN SELECT RAISE(ABORT, 'an ROI is never edited: revoke it and set a new one'); END;
CREATE TRIGGER rois_no_delete BEFORE DELETE ON rois
BEGIN SELECT RAISE(ABORT, 'ROIs are never deleted: revoke instead'); END;

-- S-6: an MOU's signed document and its termination are recorded once, never rewritten; a
-- party's signature likewise. MOUs and their parties are never deleted (terminate instead).
CREATE TRIGGER mous_recorded_once BEFORE UPDATE ON mous
WHEN (OLD.document IS NOT NULL AND NEW.document IS NOT OLD.document)
  OR (OLD.terminated_on IS NOT NULL AND NEW.terminated_on IS NOT OLD.terminated_on)
  OR (OLD.terminated_by IS NOT NULL AND NEW.terminated_by IS NOT OLD.terminated_by)
BEGIN SELECT RAISE(ABORT, 'an MOU document or termination is recorded once'); END;
CREATE TRIGGER mous_no_delete BEFORE DELETE ON mous
BEGIN SELECT RAISE(ABORT, 'MOUs are never deleted: terminate instead'); END;
CREATE TRIGGER mou_parties_signed_once BEFORE UPDATE ON mou_parties
WHEN NEW.mou_id IS NOT OLD.mou_id OR NEW.org_id IS NOT OLD.org_id
  OR (OLD.signed_on IS NOT NULL AND (NEW.signed_on IS NOT OLD.signed_on
      OR NEW.signer_name IS NOT OLD.signer_name OR NEW.signer_title IS NOT OLD.signer_title))
BEGIN SELECT RAISE(ABORT, 'a recorded MOU signature is never rewritten'); END;
CREATE TRIGGER mou_parties_no_delete BEFORE DELETE ON mou_parties
BEGIN SELECT RAISE(ABORT, 'MOU parties are never deleted'); END;
