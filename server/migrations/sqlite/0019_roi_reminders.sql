-- 0019 ROI reminders (issue #14, P-2 `roi_reminder_days`, R-13), SQLite flavour
-- (migrations/postgres/0019_roi_reminders.sql holds the same for the other backend).
--
-- One row per ROI whose "ending soon" reminder was sent by the background job
-- (`services::jobs::run_due_jobs`), so that however often the job runs each ROI raises its
-- reminder ONCE. The primary key is the guard: the job inserts the row and sends the
-- notifications in the same transaction, and a second insert for the same ROI does nothing.
-- `sent_on` is the day (the job's clock) the reminder went out; `end_date` the ROI's end date it
-- announced. Rows are never updated or deleted: they are the record that the reminder was sent.
CREATE TABLE roi_reminders (
    roi_id          INTEGER PRIMARY KEY REFERENCES rois(id),
    end_date        TEXT NOT NULL,
    sent_on         TEXT NOT NULL,
    sent_at         TEXT NOT NULL
);
CREATE TRIGGER roi_reminders_never_edited BEFORE UPDATE ON roi_reminders
BEGIN SELECT RAISE(ABORT, 'roi_reminders are never edited'); END;
CREATE TRIGGER roi_reminders_no_delete BEFORE DELETE ON roi_reminders
BEGIN SELECT RAISE(ABORT, 'roi_reminders are never deleted'); END;
