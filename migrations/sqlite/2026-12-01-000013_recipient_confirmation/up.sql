-- The recipient's photo is an upload of its own kind: SQLite cannot change
-- a CHECK in place, so the table is rebuilt with foreign keys off.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE uploads_new (
    id INTEGER PRIMARY KEY,
    company_id BIGINT REFERENCES companies (id),
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('licence', 'id_front', 'id_back', 'item_photo', 'order_document', 'topup_receipt', 'parcel_photo', 'ticket_attachment', 'recipient_photo')),
    sha256 TEXT NOT NULL,
    mime TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    original_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO uploads_new SELECT * FROM uploads;
DROP TABLE uploads;
ALTER TABLE uploads_new RENAME TO uploads;
CREATE INDEX uploads_company_idx ON uploads (company_id);

-- The recipient's confirmation of receipt (issue #11): once per order, with
-- the parcel's condition (1–5), a comment and an optional photo.
CREATE TABLE recipient_confirmations (
    id INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL UNIQUE REFERENCES orders (id),
    parcel_condition BIGINT NOT NULL CHECK (parcel_condition BETWEEN 1 AND 5),
    comment TEXT NOT NULL,
    photo_upload_id BIGINT REFERENCES uploads (id),
    -- The confirmation recorded the delivery (no carrier had reported it).
    recorded_delivery BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
COMMIT;
PRAGMA foreign_keys = ON;
