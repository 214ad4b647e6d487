-- ERP API tokens (issue #13): a company's owner makes them with a name and
-- scopes; the secret is shown once and only its SHA-256 is kept.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    created_by BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    -- Comma-separated `domain::api_scope::ApiScope` values.
    scopes TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    -- The first characters of the secret, so the owner can tell tokens apart.
    prefix TEXT NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    revoked_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX api_tokens_company_idx ON api_tokens (company_id, id);
