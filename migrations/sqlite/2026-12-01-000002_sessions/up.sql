-- Server-side sessions (issue #8): the cookie carries a random token, the
-- row (keyed by the token's SHA-256) says whether it is still alive, so a
-- copied cookie dies at sign-out, after 12 idle hours or 30 days at most.
-- Ending every row of a user replaces the old users.session_epoch check
-- (the column stays until a later migration drops it).
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_sha256 TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    user_agent TEXT NOT NULL,
    ip TEXT NOT NULL,
    ended_at TIMESTAMP
);
CREATE INDEX sessions_user_idx ON sessions (user_id, ended_at);
