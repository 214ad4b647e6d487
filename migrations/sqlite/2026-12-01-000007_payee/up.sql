-- Where sellers send their top-ups (issue #9): one row, set by the admin.
CREATE TABLE payee (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    bank TEXT NOT NULL,
    account TEXT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);
