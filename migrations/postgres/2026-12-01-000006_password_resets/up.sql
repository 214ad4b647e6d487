-- One-time links to choose a new password (issue #9). Only the SHA-256 of
-- the token is kept; a link works once, for 30 minutes; a newer request for
-- the same account replaces it (replaced_at). Rows stay a day, so the
-- mails per account and hour can be counted, then go.
CREATE TABLE password_resets (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    replaced_at TIMESTAMP
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id, created_at);

-- The forgot-password form gets its own per-address limit, 'password_forgot'
-- (the constraint keeps the name PostgreSQL gave the column's CHECK).
ALTER TABLE rate_limits DROP CONSTRAINT rate_limits_bucket_check;
ALTER TABLE rate_limits ADD CONSTRAINT rate_limits_bucket_check
    CHECK (bucket IN ('sign_in', 'register', 'invitation', 'recipient_link', 'password_change', 'password_forgot'));
