-- Undoing would lose every review and SQLite cannot narrow the uploads CHECK
-- in place: restore a backup instead.
SELECT RAISE(ABORT, 'restore a backup taken before this migration');
