-- Tickets the platform opened have no opener, which the old tables cannot
-- hold: restore a backup taken before this migration instead.
SELECT RAISE(ABORT, 'restore a backup taken before this migration');
