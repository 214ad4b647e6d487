-- Approval policy of a company (issue #5); no row means "never".
CREATE TABLE approval_policies (
    company_id BIGINT PRIMARY KEY REFERENCES companies (id),
    always BOOLEAN NOT NULL,
    above_fen BIGINT,
    sensitive_goods BOOLEAN NOT NULL,
    new_destination BOOLEAN NOT NULL,
    monthly_budget_fen BIGINT,
    updated_by BIGINT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);

-- A member's own monthly budget; over it, the owner approves.
ALTER TABLE users ADD COLUMN monthly_budget_fen BIGINT;

-- Who must approve a pending order (manager or owner) and why (reasons, ';'-separated).
ALTER TABLE orders ADD COLUMN approval_level TEXT CHECK (approval_level IN ('manager', 'owner'));
ALTER TABLE orders ADD COLUMN approval_reasons TEXT;
