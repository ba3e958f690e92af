-- R-7: at most one current (not cleared) detection of the same issue between the same
-- enrollments of a client. Two enrollment writes for one client at the same moment could
-- otherwise both store the detection (the insert says ON CONFLICT DO NOTHING).
CREATE UNIQUE INDEX entry_exit_detections_current
    ON entry_exit_detections (client_id, issue, first_record, COALESCE(second_record, 0))
    WHERE cleared_at IS NULL;
