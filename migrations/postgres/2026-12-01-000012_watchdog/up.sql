-- The silence watchdog (issue #11). A ticket the platform opens by itself
-- has no opener and its first message no author: NULL means "Samplepost
-- (automatic)".
ALTER TABLE tickets ALTER COLUMN opened_by DROP NOT NULL;
ALTER TABLE ticket_messages ALTER COLUMN author_id DROP NOT NULL;

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
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id),
    kind TEXT NOT NULL CHECK (kind IN ('silence', 'customs')),
    since_event_id BIGINT NOT NULL,
    since_at TIMESTAMP NOT NULL,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX order_silences_once ON order_silences (order_id, kind, since_event_id);
CREATE INDEX order_silences_created_idx ON order_silences (created_at);
