-- Outgoing webhooks (issue #13): a company's endpoints, and one delivery row
-- per event and endpoint, written in the transaction of the change and sent
-- by the webhook worker with retries.
CREATE TABLE webhook_endpoints (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    url TEXT NOT NULL,
    -- Comma-separated event types (`order.status_changed,tracking.event`).
    events TEXT NOT NULL,
    -- The HMAC-SHA256 key, shown to the owner once; needed in clear to sign.
    secret TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    disabled_at TIMESTAMP
);
CREATE INDEX webhook_endpoints_company_idx ON webhook_endpoints (company_id, active);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints (id),
    event_type TEXT NOT NULL,
    -- The event's id (`evt_…`), the same for every endpoint that gets it.
    event_id TEXT NOT NULL,
    -- The exact body sent (and signed) on every attempt.
    payload TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    -- Set while one instance is sending it; another leaves it alone until then.
    leased_until TIMESTAMP,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    last_status_code BIGINT,
    last_error TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_attempt_at TIMESTAMP,
    delivered_at TIMESTAMP
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id);

-- Every attempt of a delivery, so the log shows each answer (500, 500, 200).
CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id),
    attempted_at TIMESTAMP NOT NULL,
    status_code BIGINT,
    error TEXT NOT NULL,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);
