-- Uploads may now also be the bank-transfer receipt of a top-up request.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE uploads_new (
    id INTEGER PRIMARY KEY,
    company_id BIGINT REFERENCES companies (id),
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('licence', 'id_front', 'id_back', 'item_photo', 'order_document', 'topup_receipt')),
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
COMMIT;
PRAGMA foreign_keys = ON;
