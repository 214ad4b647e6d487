-- Prepaid balance (issue #5): top-up requests and the append-only ledger.
-- A company's balance is the sum of its ledger entries and is stored nowhere else.

-- A seller's request to credit the balance, with the bank-transfer receipt;
-- the platform admin confirms (which writes the ledger entry) or rejects it.
CREATE TABLE topups (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    receipt_upload_id BIGINT NOT NULL REFERENCES uploads (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected')),
    requested_by BIGINT NOT NULL REFERENCES users (id),
    requested_at TIMESTAMP NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    decided_at TIMESTAMP,
    reason TEXT,
    CHECK ((status = 'pending') = (decided_at IS NULL)),
    CHECK (status <> 'rejected' OR reason IS NOT NULL)
);
CREATE INDEX topups_company_idx ON topups (company_id, requested_at);
CREATE INDEX topups_status_idx ON topups (status, requested_at);

-- Credits are positive, debits negative; the sign must suit the kind, and
-- every entry names what it is for.
CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    kind TEXT NOT NULL CHECK (kind IN ('topup', 'payment', 'reweigh', 'refund', 'adjustment')),
    amount_fen BIGINT NOT NULL CHECK (amount_fen <> 0),
    order_id BIGINT REFERENCES orders (id),
    topup_id BIGINT REFERENCES topups (id),
    created_by BIGINT REFERENCES users (id),
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (kind NOT IN ('topup', 'refund') OR amount_fen > 0),
    CHECK (kind NOT IN ('payment', 'reweigh') OR amount_fen < 0),
    CHECK (kind <> 'topup' OR topup_id IS NOT NULL),
    CHECK (kind NOT IN ('payment', 'reweigh', 'refund') OR order_id IS NOT NULL)
);
CREATE INDEX ledger_entries_company_idx ON ledger_entries (company_id, created_at);
-- A top-up is credited once; an order is paid once and refunded once.
CREATE UNIQUE INDEX ledger_entries_topup_once ON ledger_entries (topup_id) WHERE kind = 'topup';
CREATE UNIQUE INDEX ledger_entries_payment_once ON ledger_entries (order_id) WHERE kind = 'payment';
CREATE UNIQUE INDEX ledger_entries_refund_once ON ledger_entries (order_id) WHERE kind = 'refund';

-- Append-only: a mistake is corrected by a new entry, never by an edit.
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;
