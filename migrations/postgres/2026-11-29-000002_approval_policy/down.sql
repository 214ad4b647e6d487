ALTER TABLE orders DROP COLUMN approval_reasons;
ALTER TABLE orders DROP COLUMN approval_level;
ALTER TABLE users DROP COLUMN monthly_budget_fen;
DROP TABLE approval_policies;
