-- The recipient's confirmation of receipt (issue #11): once per order, with
-- the parcel's condition (1–5), a comment and an optional photo. The photo
-- is an upload of its own kind, kept with the order's company.
ALTER TABLE uploads DROP CONSTRAINT uploads_kind_check;
ALTER TABLE uploads ADD CONSTRAINT uploads_kind_check
    CHECK (kind IN ('licence', 'id_front', 'id_back', 'item_photo', 'order_document', 'topup_receipt', 'parcel_photo', 'ticket_attachment', 'recipient_photo'));

CREATE TABLE recipient_confirmations (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL UNIQUE REFERENCES orders (id),
    parcel_condition BIGINT NOT NULL CHECK (parcel_condition BETWEEN 1 AND 5),
    comment TEXT NOT NULL,
    photo_upload_id BIGINT REFERENCES uploads (id),
    -- The confirmation recorded the delivery (no carrier had reported it).
    recorded_delivery BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
