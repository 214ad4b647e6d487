DROP TABLE ledger_entries;
DROP FUNCTION ledger_entries_append_only();
DROP TABLE topups;
