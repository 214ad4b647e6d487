-- E-mails waiting to be sent (issue #5), written in the same transaction as
-- the notification they carry; a background worker sends them with retries.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT REFERENCES users (id),
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    link TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
    attempts BIGINT NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at);

-- Notification kinds a user does not want by e-mail (in-app ones always show).
CREATE TABLE email_opt_outs (
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
