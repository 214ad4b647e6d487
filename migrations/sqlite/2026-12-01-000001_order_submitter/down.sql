ALTER TABLE orders DROP COLUMN content_changed_by;
ALTER TABLE orders DROP COLUMN submitted_by;
