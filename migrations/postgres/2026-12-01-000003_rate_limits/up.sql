-- Per-IP request counters in fixed windows (issue #8), shared by every
-- instance. One row per limit, address and window; rows of ended windows are
-- deleted when a new window starts.
CREATE TABLE rate_limits (
    bucket TEXT NOT NULL CHECK (bucket IN ('sign_in', 'register', 'invitation', 'recipient_link', 'password_change')),
    ip TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (bucket, ip, window_start)
);
CREATE INDEX rate_limits_window_idx ON rate_limits (window_start);

-- The sign-in lock is per account and address now.
CREATE INDEX login_attempts_email_ip_at_idx ON login_attempts (email, ip, at);
