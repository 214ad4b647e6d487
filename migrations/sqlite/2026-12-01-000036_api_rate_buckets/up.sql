-- The API's per-token rate limit, shared by every instance (issue #14):
-- one token bucket per token, updated in one UPSERT per call.
CREATE TABLE api_rate_buckets (
    token_id BIGINT PRIMARY KEY NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    tokens DOUBLE PRECISION NOT NULL,
    -- Milliseconds since 1970: the same arithmetic on both backends.
    updated_ms BIGINT NOT NULL,
    granted BOOLEAN NOT NULL
);
