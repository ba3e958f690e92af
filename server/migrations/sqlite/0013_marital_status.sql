-- 0013 marital status, SQLite flavour (migrations/postgres/0013_marital_status.sql holds the
-- same for the other backend).
--
-- Marital status is a tier-1 intake field (seed 1a, S-1), editable by every agency like gender
-- (not a single-answer field of R-1). The value is `shared::intake::MaritalStatus`'s stored text
-- (`shared::stored`, e.g. 'never_married', 'married'); NULL when not recorded. Its changes go
-- through `PATCH /clients/{id}/intake` like every intake field: the old value is kept in
-- intake_history (P-3) and who set the new one in intake_field_provenance (0005).
ALTER TABLE clients ADD COLUMN marital_status TEXT;
