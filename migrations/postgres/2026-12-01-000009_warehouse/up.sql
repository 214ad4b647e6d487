-- Platform warehouses where sellers drop parcels off (issue #10), set by the admin.
CREATE TABLE warehouses (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    address_zh TEXT NOT NULL,
    opening_hours TEXT NOT NULL,
    map_note TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Carriers the warehouse hands parcels to; the order keeps the carrier's code.
CREATE TABLE carriers (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO carriers (code, name, active, created_at) VALUES
    ('DHL', 'DHL Express', TRUE, CURRENT_TIMESTAMP),
    ('UPS', 'UPS', TRUE, CURRENT_TIMESTAMP),
    ('FEDEX', 'FedEx', TRUE, CURRENT_TIMESTAMP),
    ('4PX', '4PX Worldwide Express', TRUE, CURRENT_TIMESTAMP),
    ('YUN', 'YunExpress', TRUE, CURRENT_TIMESTAMP);

-- A seller's request to have paid parcels collected; operators confirm the
-- slot or propose another one. Several orders may share one pickup.
CREATE TABLE pickups (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    address TEXT NOT NULL,
    contact TEXT NOT NULL,
    phone TEXT NOT NULL,
    pickup_date DATE NOT NULL,
    time_window TEXT NOT NULL,
    parcels BIGINT NOT NULL CHECK (parcels > 0),
    status TEXT NOT NULL CHECK (status IN ('requested', 'confirmed', 'proposed', 'cancelled', 'collected')),
    proposed_date DATE,
    proposed_window TEXT,
    staff_note TEXT NOT NULL,
    requested_by BIGINT NOT NULL REFERENCES users (id),
    decided_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (status <> 'proposed' OR (proposed_date IS NOT NULL AND proposed_window IS NOT NULL))
);
CREATE INDEX pickups_company_idx ON pickups (company_id, pickup_date);
CREATE INDEX pickups_date_idx ON pickups (pickup_date, status);

-- How a paid order reaches the warehouse and leaves it: one row per order
-- from payment on (the orders table is at diesel's 32-column limit, and
-- these facts belong to the parcel's journey rather than to the order form).
CREATE TABLE order_shipments (
    order_id BIGINT PRIMARY KEY REFERENCES orders (id),
    handover TEXT CHECK (handover IN ('drop_off', 'pickup')),
    warehouse_id BIGINT REFERENCES warehouses (id),
    pickup_id BIGINT REFERENCES pickups (id),
    received_at TIMESTAMP,
    carrier TEXT REFERENCES carriers (code),
    waybill TEXT,
    handed_over_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((carrier IS NULL) = (waybill IS NULL))
);
CREATE UNIQUE INDEX order_shipments_waybill_idx ON order_shipments (carrier, waybill);
CREATE INDEX order_shipments_pickup_idx ON order_shipments (pickup_id);
CREATE INDEX order_shipments_warehouse_idx ON order_shipments (warehouse_id, received_at);
INSERT INTO order_shipments (order_id, updated_at)
    SELECT id, updated_at FROM orders
    WHERE status NOT IN ('awaiting_address', 'draft', 'pending_approval', 'approved', 'cancelled');

-- Every time the warehouse measured (or refused) a parcel: the measurement,
-- the bill priced on the frozen quote's sheet and rules, and what it meant
-- for the money. The newest row is the one that counts.
CREATE TABLE parcel_checks (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'refused')),
    weight_g BIGINT NOT NULL CHECK (weight_g > 0),
    length_mm BIGINT NOT NULL CHECK (length_mm > 0),
    width_mm BIGINT NOT NULL CHECK (width_mm > 0),
    height_mm BIGINT NOT NULL CHECK (height_mm > 0),
    contents_match BOOLEAN NOT NULL,
    photo_upload_id BIGINT REFERENCES uploads (id),
    refusal_reason TEXT CHECK (refusal_reason IN ('undeclared_battery', 'prohibited_item', 'damaged', 'over_limits', 'mismatch')),
    note TEXT NOT NULL,
    chargeable_weight_g BIGINT,
    bill_lines TEXT NOT NULL,
    bill_total_fen BIGINT,
    charged_before_fen BIGINT NOT NULL,
    within_tolerance BOOLEAN NOT NULL,
    checked_by BIGINT NOT NULL REFERENCES users (id),
    checked_at TIMESTAMP NOT NULL,
    CHECK ((outcome = 'refused') = (refusal_reason IS NOT NULL)),
    CHECK (outcome <> 'accepted' OR bill_total_fen IS NOT NULL)
);
CREATE INDEX parcel_checks_order_idx ON parcel_checks (order_id, id);
CREATE INDEX parcel_checks_at_idx ON parcel_checks (checked_at);

-- The re-weigh tolerance and the return fee are the admin's settings.
ALTER TABLE pricing_rules ADD COLUMN reweigh_tolerance_g BIGINT NOT NULL DEFAULT 50;
ALTER TABLE pricing_rules ADD COLUMN reweigh_tolerance_bp BIGINT NOT NULL DEFAULT 300;
ALTER TABLE pricing_rules ADD COLUMN return_fee_fen BIGINT NOT NULL DEFAULT 3000;

-- The pricing rules and options a quote was made with, so the re-weigh
-- prices the measured parcel exactly as the quote was priced. Empty for
-- orders quoted before this column existed (today's rules apply to them).
ALTER TABLE order_quotes ADD COLUMN basis TEXT NOT NULL DEFAULT '';

-- Ledger: a re-weigh may debit or credit (one entry per parcel check, never
-- twice: `reference`), a return costs a fee; parcel photos are uploads.
ALTER TABLE ledger_entries ADD COLUMN reference TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_check1;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_check3;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
    CHECK (kind IN ('topup', 'payment', 'reweigh', 'refund', 'return_fee', 'adjustment'));
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_debit_check
    CHECK (kind NOT IN ('payment', 'return_fee') OR amount_fen < 0);
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_order_check
    CHECK (kind NOT IN ('payment', 'reweigh', 'refund', 'return_fee') OR order_id IS NOT NULL);
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_reference_check
    CHECK (kind <> 'reweigh' OR reference <> '');
CREATE INDEX ledger_entries_order_idx ON ledger_entries (order_id);
CREATE UNIQUE INDEX ledger_entries_return_fee_once ON ledger_entries (order_id) WHERE kind = 'return_fee';
CREATE UNIQUE INDEX ledger_entries_reweigh_once ON ledger_entries (order_id, reference) WHERE kind = 'reweigh';

ALTER TABLE uploads DROP CONSTRAINT uploads_kind_check;
ALTER TABLE uploads ADD CONSTRAINT uploads_kind_check
    CHECK (kind IN ('licence', 'id_front', 'id_back', 'item_photo', 'order_document', 'topup_receipt', 'parcel_photo'));
