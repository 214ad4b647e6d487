-- One-time links to choose a new password (issue #9). Only the SHA-256 of
-- the token is kept; a link works once, for 30 minutes; a newer request for
-- the same account replaces it (replaced_at). Rows stay a day, so the
-- mails per account and hour can be counted, then go.
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    replaced_at TIMESTAMP
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id, created_at);

-- The forgot-password form gets its own per-address limit, 'password_forgot'.
-- SQLite cannot change a CHECK in place, so rate_limits is rebuilt: it holds
-- only counters and no table refers to it, so no foreign keys are involved.
CREATE TABLE rate_limits_new (
    bucket TEXT NOT NULL CHECK (bucket IN ('sign_in', 'register', 'invitation', 'recipient_link', 'password_change', 'password_forgot')),
    ip TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (bucket, ip, window_start)
);
INSERT INTO rate_limits_new (bucket, ip, window_start, hits)
    SELECT bucket, ip, window_start, hits FROM rate_limits;
DROP TABLE rate_limits;
ALTER TABLE rate_limits_new RENAME TO rate_limits;
CREATE INDEX rate_limits_window_idx ON rate_limits (window_start);
