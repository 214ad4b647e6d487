-- ERP API orders (issue #13): an order created through the API remembers
-- its token (the UI marks it, the quote gets the ERP-origin discount), and
-- every write call's Idempotency-Key is kept for 24 hours with its answer.

-- One row per order an API token created. A table of its own rather than
-- orders.api_token_id: diesel's table! stops at 32 columns and orders has 32.
CREATE TABLE api_order_tokens (
    order_id BIGINT PRIMARY KEY REFERENCES orders (id),
    token_id BIGINT NOT NULL REFERENCES api_tokens (id)
);
CREATE INDEX api_order_tokens_token_idx ON api_order_tokens (token_id);

CREATE TABLE api_idempotency (
    id INTEGER PRIMARY KEY,
    token_id BIGINT NOT NULL REFERENCES api_tokens (id),
    idempotency_key TEXT NOT NULL,
    -- SHA-256 of method, path and body: the same key with another request is refused.
    request_sha256 TEXT NOT NULL,
    -- Both NULL while the first request holding the key is still running.
    status_code INTEGER,
    response_body TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (token_id, idempotency_key)
);
CREATE INDEX api_idempotency_created_idx ON api_idempotency (created_at);
