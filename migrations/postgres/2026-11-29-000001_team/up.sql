-- Invitations to join a seller company as manager or seller (issue #5).
-- Only the SHA-256 of the link's token is kept; a link works once, for 7 days.
CREATE TABLE invitations (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('manager', 'seller')),
    token_sha256 TEXT NOT NULL UNIQUE,
    invited_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    accepted_user_id BIGINT REFERENCES users (id),
    revoked_at TIMESTAMP
);
CREATE INDEX invitations_company_idx ON invitations (company_id, created_at);
