-- 0019 ROI reminders (issue #14, P-2 `roi_reminder_days`, R-13), PostgreSQL flavour
-- (migrations/sqlite/0019_roi_reminders.sql holds the same for SQLite, with the comments).
CREATE TABLE roi_reminders (
    roi_id          BIGINT PRIMARY KEY REFERENCES rois(id),
    end_date        TEXT NOT NULL,
    sent_on         TEXT NOT NULL,
    sent_at         TEXT NOT NULL
);
CREATE FUNCTION roi_reminders_frozen() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'roi_reminders are never edited or deleted'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER roi_reminders_frozen BEFORE UPDATE OR DELETE ON roi_reminders
FOR EACH ROW EXECUTE FUNCTION roi_reminders_frozen();
