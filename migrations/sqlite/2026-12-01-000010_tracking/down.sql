DELETE FROM rate_limits WHERE bucket = 'tracking';
CREATE TABLE rate_limits_old (
    bucket TEXT NOT NULL CHECK (bucket IN ('sign_in', 'register', 'invitation', 'recipient_link', 'password_change', 'password_forgot')),
    ip TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (bucket, ip, window_start)
);
INSERT INTO rate_limits_old (bucket, ip, window_start, hits)
    SELECT bucket, ip, window_start, hits FROM rate_limits;
DROP TABLE rate_limits;
ALTER TABLE rate_limits_old RENAME TO rate_limits;
CREATE INDEX rate_limits_window_idx ON rate_limits (window_start);

DROP TABLE carrier_secrets;
DROP TABLE tracking_events;
