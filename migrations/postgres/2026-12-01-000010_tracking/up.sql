-- Tracking events of a parcel after hand-over (issue #11): one normalised
-- milestone each, whoever reported it (staff form, CSV upload, carrier
-- webhook). Times are UTC with the offset of the place, to show local time.
-- The same event is stored once: by the carrier's own id, or by order,
-- time and milestone when the source has no id.
CREATE TABLE tracking_events (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id),
    milestone TEXT NOT NULL CHECK (milestone IN ('info_received', 'received', 'departed_origin', 'in_transit', 'arrived_destination', 'customs_clearance', 'customs_held', 'customs_released', 'out_for_delivery', 'delivered', 'delivery_failed', 'returned_to_sender', 'lost', 'exception')),
    reason TEXT CHECK (reason IN ('address_problem', 'recipient_refused', 'missing_documents', 'prohibited_item', 'damaged')),
    event_at TIMESTAMP NOT NULL,
    utc_offset_minutes BIGINT NOT NULL CHECK (utc_offset_minutes BETWEEN -720 AND 840),
    city TEXT NOT NULL,
    country TEXT NOT NULL,
    carrier_text TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('staff', 'csv', 'carrier', 'recipient')),
    carrier TEXT REFERENCES carriers (code),
    carrier_event_id TEXT,
    raw_payload TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    moved BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (reason IS NULL OR milestone = 'exception'),
    CHECK (carrier_event_id IS NULL OR carrier IS NOT NULL)
);
CREATE UNIQUE INDEX tracking_events_carrier_id_idx ON tracking_events (carrier, carrier_event_id);
CREATE UNIQUE INDEX tracking_events_order_time_idx ON tracking_events (order_id, event_at, milestone);

-- One webhook secret per carrier. A rotation keeps the previous secret valid
-- until previous_until (24 hours), so the carrier can switch without a gap.
CREATE TABLE carrier_secrets (
    carrier TEXT PRIMARY KEY REFERENCES carriers (code),
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_until TIMESTAMP,
    rotated_by BIGINT NOT NULL REFERENCES users (id),
    rotated_at TIMESTAMP NOT NULL
);

-- The public tracking page gets its own per-address limit, 'tracking'.
ALTER TABLE rate_limits DROP CONSTRAINT rate_limits_bucket_check;
ALTER TABLE rate_limits ADD CONSTRAINT rate_limits_bucket_check
    CHECK (bucket IN ('sign_in', 'register', 'invitation', 'recipient_link', 'password_change', 'password_forgot', 'tracking'));
