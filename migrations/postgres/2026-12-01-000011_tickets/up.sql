-- Support tickets (issue #11): a member's question about an order or in
-- general, the thread both ways, and the times the board's customer-service
-- facts are measured from. `parcel_check_id` marks a re-weigh dispute: one
-- ticket per disputed measurement.
CREATE TABLE tickets (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    order_id BIGINT REFERENCES orders (id),
    parcel_check_id BIGINT REFERENCES parcel_checks (id),
    category TEXT NOT NULL CHECK (category IN ('lost', 'damaged', 'delay', 'customs', 'address_change', 'return_request', 'billing', 'other')),
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'waiting_on_customer', 'resolved', 'closed')),
    opened_by BIGINT NOT NULL REFERENCES users (id),
    assignee_id BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    first_response_at TIMESTAMP,
    resolved_at TIMESTAMP,
    closed_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    CHECK (parcel_check_id IS NULL OR (category = 'billing' AND order_id IS NOT NULL)),
    CHECK (status NOT IN ('resolved', 'closed') OR resolved_at IS NOT NULL)
);
CREATE INDEX tickets_company_idx ON tickets (company_id, updated_at);
CREATE INDEX tickets_queue_idx ON tickets (status, created_at);
CREATE INDEX tickets_order_idx ON tickets (order_id);
CREATE UNIQUE INDEX tickets_dispute_once ON tickets (parcel_check_id);

CREATE TABLE ticket_messages (
    id BIGSERIAL PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    from_staff BOOLEAN NOT NULL,
    body TEXT NOT NULL,
    attachment_upload_id BIGINT REFERENCES uploads (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ticket_messages_ticket_idx ON ticket_messages (ticket_id, id);

-- Files in a ticket's thread are uploads of their own kind.
ALTER TABLE uploads DROP CONSTRAINT uploads_kind_check;
ALTER TABLE uploads ADD CONSTRAINT uploads_kind_check
    CHECK (kind IN ('licence', 'id_front', 'id_back', 'item_photo', 'order_document', 'topup_receipt', 'parcel_photo', 'ticket_attachment'));
