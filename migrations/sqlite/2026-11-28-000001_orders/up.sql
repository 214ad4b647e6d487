-- Sample orders (issue #4): one parcel each. Drafts hold what was typed,
-- empty where nothing was; submit validates and freezes the quote snapshot.

-- Whether an order must name a backup route (the owner sets it, issue #5).
ALTER TABLE companies ADD COLUMN require_backup_route BOOLEAN NOT NULL DEFAULT FALSE;

-- The last order number handed out per China-time day ("SP" + YYMMDD + seq).
CREATE TABLE order_counters (
    day TEXT PRIMARY KEY,
    last_seq BIGINT NOT NULL
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    order_no TEXT NOT NULL UNIQUE,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    created_by BIGINT NOT NULL REFERENCES users (id),
    -- The form's one-time token: a second POST of the same form finds this order.
    form_token TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('awaiting_address', 'draft', 'pending_approval',
        'approved', 'paid', 'received', 'on_hold', 'in_transit', 'customs',
        'out_for_delivery', 'delivered', 'exception', 'returned', 'lost', 'cancelled')),
    -- NULL: the company's own sender address from its verification.
    sender_address_id BIGINT REFERENCES addresses (id) ON DELETE SET NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('sample', 'influencer', 'buyer_evaluation', 'internal')),
    reference TEXT NOT NULL,
    weight_g BIGINT,
    length_mm BIGINT,
    width_mm BIGINT,
    height_mm BIGINT,
    battery TEXT NOT NULL CHECK (battery IN ('none', 'in_equipment', 'with_equipment', 'standalone')),
    liquid BOOLEAN NOT NULL,
    magnetic BOOLEAN NOT NULL,
    powder BOOLEAN NOT NULL,
    route_code TEXT,
    backup_route_code TEXT,
    signature BOOLEAN NOT NULL,
    insurance BOOLEAN NOT NULL,
    expedited BOOLEAN NOT NULL,
    ddp BOOLEAN NOT NULL,
    -- The recipient link: only the SHA-256 of the token is kept.
    recipient_token_sha256 TEXT UNIQUE,
    recipient_token_expires_at TIMESTAMP,
    submitted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX orders_company_idx ON orders (company_id, created_at);

-- The recipient as typed (Latin script once submitted); one row per order.
CREATE TABLE order_recipients (
    order_id BIGINT PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    company TEXT NOT NULL,
    line1 TEXT NOT NULL,
    line2 TEXT NOT NULL,
    city TEXT NOT NULL,
    state TEXT NOT NULL,
    postcode TEXT NOT NULL,
    country TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    tax_id TEXT NOT NULL
);
CREATE INDEX order_recipients_country_idx ON order_recipients (country, postcode);

-- The quote frozen at submit: the rate-sheet version it was priced on, the
-- total and its lines (JSON), for the chosen route.
CREATE TABLE order_quotes (
    order_id BIGINT PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    route_code TEXT NOT NULL,
    rate_sheet_id BIGINT NOT NULL REFERENCES rate_sheets (id),
    total_fen BIGINT NOT NULL,
    chargeable_weight_g BIGINT NOT NULL,
    lines TEXT NOT NULL,
    transit_min_days BIGINT NOT NULL,
    transit_max_days BIGINT NOT NULL,
    quoted_at TIMESTAMP NOT NULL
);

CREATE TABLE order_items (
    id INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    description_en TEXT NOT NULL,
    description_zh TEXT NOT NULL,
    quantity BIGINT,
    unit_value_cents BIGINT,
    hs_code TEXT NOT NULL,
    origin TEXT NOT NULL,
    photo_upload_id BIGINT REFERENCES uploads (id),
    UNIQUE (order_id, position)
);

-- The order's timeline: every change of state, and edits while a draft.
CREATE TABLE order_events (
    id INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    note TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX order_events_order_idx ON order_events (order_id, at);

-- Documents for sensitive goods (UN38.3, safety data sheet, ...).
CREATE TABLE order_documents (
    id INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    document TEXT NOT NULL,
    upload_id BIGINT NOT NULL REFERENCES uploads (id),
    created_at TIMESTAMP NOT NULL
);
