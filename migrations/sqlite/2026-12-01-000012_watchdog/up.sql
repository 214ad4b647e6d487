-- The silence watchdog (issue #11). A ticket the platform opens by itself
-- has no opener and its first message no author: NULL means "Samplepost
-- (automatic)". SQLite cannot drop NOT NULL in place, so both tables are
-- rebuilt with foreign keys off.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE tickets_new (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    order_id BIGINT REFERENCES orders (id),
    parcel_check_id BIGINT REFERENCES parcel_checks (id),
    category TEXT NOT NULL CHECK (category IN ('lost', 'damaged', 'delay', 'customs', 'address_change', 'return_request', 'billing', 'other')),
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'waiting_on_customer', 'resolved', 'closed')),
    opened_by BIGINT REFERENCES users (id),
    assignee_id BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    first_response_at TIMESTAMP,
    resolved_at TIMESTAMP,
    closed_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    CHECK (parcel_check_id IS NULL OR (category = 'billing' AND order_id IS NOT NULL)),
    CHECK (status NOT IN ('resolved', 'closed') OR resolved_at IS NOT NULL)
);
INSERT INTO tickets_new SELECT * FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_new RENAME TO tickets;
CREATE INDEX tickets_company_idx ON tickets (company_id, updated_at);
CREATE INDEX tickets_queue_idx ON tickets (status, created_at);
CREATE INDEX tickets_order_idx ON tickets (order_id);
CREATE UNIQUE INDEX tickets_dispute_once ON tickets (parcel_check_id);

CREATE TABLE ticket_messages_new (
    id INTEGER PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    author_id BIGINT REFERENCES users (id),
    from_staff BOOLEAN NOT NULL,
    body TEXT NOT NULL,
    attachment_upload_id BIGINT REFERENCES uploads (id),
    created_at TIMESTAMP NOT NULL
);
INSERT INTO ticket_messages_new SELECT * FROM ticket_messages;
DROP TABLE ticket_messages;
ALTER TABLE ticket_messages_new RENAME TO ticket_messages;
CREATE INDEX ticket_messages_ticket_idx ON ticket_messages (ticket_id, id);

-- How many days without news a parcel on this route may go before the
-- watchdog opens a ticket.
ALTER TABLE routes ADD COLUMN silence_days BIGINT NOT NULL DEFAULT 5 CHECK (silence_days BETWEEN 1 AND 60);

-- One row per background job shared by every instance: whoever holds the
-- lease runs the round; the last round's time and result are kept for staff.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    leased_until TIMESTAMP NOT NULL,
    last_round_at TIMESTAMP,
    last_round_count BIGINT NOT NULL DEFAULT 0
);

-- One row per silence the watchdog opened a ticket for. A silence is named
-- by its order, its kind and the event it started from (0: the hand-over,
-- before any event), so two rounds racing cannot open two tickets for it,
-- while a later silence (after a new event) gets a row of its own.
CREATE TABLE order_silences (
    id INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id),
    kind TEXT NOT NULL CHECK (kind IN ('silence', 'customs')),
    since_event_id BIGINT NOT NULL,
    since_at TIMESTAMP NOT NULL,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX order_silences_once ON order_silences (order_id, kind, since_event_id);
CREATE INDEX order_silences_created_idx ON order_silences (created_at);
COMMIT;
PRAGMA foreign_keys = ON;
