-- Undoing the warehouse would lose every measurement and re-weigh entry and
-- SQLite cannot drop referencing columns in place: restore a backup instead.
SELECT RAISE(ABORT, 'restore a backup taken before this migration');
