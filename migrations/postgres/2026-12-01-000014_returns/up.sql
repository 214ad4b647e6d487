-- Returns (issue #11): a return shipment is an order of its own (its quote,
-- charge, tracking) linked to the order it brings back. The orders table is
-- at diesel's 32-column limit, so the link lives here. One return per
-- original. A return the seller asked for carries the recipient's link
-- (`/return/{token}`): only the token's SHA-256 is kept, with its expiry.
CREATE TABLE order_returns (
    return_order_id BIGINT PRIMARY KEY REFERENCES orders (id),
    original_order_id BIGINT NOT NULL REFERENCES orders (id),
    reason TEXT NOT NULL CHECK (reason IN ('refused', 'undeliverable', 'requested')),
    token_sha256 TEXT,
    token_expires_at TIMESTAMP,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK ((token_sha256 IS NULL) = (token_expires_at IS NULL)),
    CHECK (return_order_id <> original_order_id)
);
CREATE UNIQUE INDEX order_returns_original_idx ON order_returns (original_order_id);
CREATE UNIQUE INDEX order_returns_token_idx ON order_returns (token_sha256);
