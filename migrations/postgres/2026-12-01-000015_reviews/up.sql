-- Route reviews (issue #12, DESIGN.md §6): one per order that reached
-- delivered, returned or lost, written by a member of the ordering company.
-- The route, destination, company and weight band are copied from the order
-- when the review is written, so the board never joins back to orders.
CREATE TABLE reviews (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL UNIQUE REFERENCES orders (id),
    route_code TEXT NOT NULL,
    country TEXT NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    overall BIGINT NOT NULL CHECK (overall BETWEEN 1 AND 5),
    timeliness BIGINT NOT NULL CHECK (timeliness BETWEEN 1 AND 5),
    service BIGINT NOT NULL CHECK (service BETWEEN 1 AND 5),
    customs BIGINT NOT NULL CHECK (customs BETWEEN 1 AND 5),
    tracking BIGINT NOT NULL CHECK (tracking BETWEEN 1 AND 5),
    packaging BIGINT NOT NULL CHECK (packaging BETWEEN 1 AND 5),
    body TEXT NOT NULL,
    -- Comma-separated `domain::review::Tag` values.
    tags TEXT NOT NULL,
    has_text BOOLEAN NOT NULL,
    photo_count BIGINT NOT NULL DEFAULT 0,
    -- The pseudonym's parts ("深圳 · 3C 电子卖家"), frozen when written: the
    -- company's sender city and its first product category's code; never
    -- the company's name.
    reviewer_city TEXT NOT NULL,
    reviewer_category TEXT NOT NULL,
    weight_band TEXT NOT NULL,
    -- The review's recency weight at the scale of `domain::rating::epoch`.
    weight DOUBLE PRECISION NOT NULL,
    status TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden')),
    hide_reason TEXT CHECK (hide_reason IN ('abuse', 'personal_data', 'not_about_service')),
    hidden_by BIGINT REFERENCES users (id),
    hidden_at TIMESTAMP,
    open_reports BIGINT NOT NULL DEFAULT 0,
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- Keyset pagination of a route's reviews, newest first, with or without the
-- usual filters.
CREATE INDEX reviews_route_idx ON reviews (route_code, id);
CREATE INDEX reviews_route_country_idx ON reviews (route_code, country, id);
CREATE INDEX reviews_route_stars_idx ON reviews (route_code, overall, id);
CREATE INDEX reviews_company_idx ON reviews (company_id, id);
CREATE INDEX reviews_reported_idx ON reviews (open_reports, id);

-- Every earlier wording of an edited review (edits keep their history).
CREATE TABLE review_versions (
    id BIGSERIAL PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES reviews (id),
    overall BIGINT NOT NULL,
    timeliness BIGINT NOT NULL,
    service BIGINT NOT NULL,
    customs BIGINT NOT NULL,
    tracking BIGINT NOT NULL,
    packaging BIGINT NOT NULL,
    body TEXT NOT NULL,
    tags TEXT NOT NULL,
    written_at TIMESTAMP NOT NULL,
    replaced_at TIMESTAMP NOT NULL
);
CREATE INDEX review_versions_review_idx ON review_versions (review_id, id);

CREATE TABLE review_photos (
    id BIGSERIAL PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES reviews (id),
    upload_id BIGINT NOT NULL REFERENCES uploads (id),
    position BIGINT NOT NULL,
    UNIQUE (review_id, position)
);

CREATE TABLE review_reports (
    id BIGSERIAL PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES reviews (id),
    reporter_id BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL CHECK (reason IN ('abuse', 'personal_data', 'not_about_service', 'false', 'other')),
    note TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'upheld')),
    handled_by BIGINT REFERENCES users (id),
    handled_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (review_id, reporter_id)
);
CREATE INDEX review_reports_status_idx ON review_reports (status, id);

-- The platform's one public reply to a review.
CREATE TABLE review_replies (
    review_id BIGINT PRIMARY KEY REFERENCES reviews (id),
    body TEXT NOT NULL,
    author_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Reminders to review (2 and 7 days after the order finished), each once.
CREATE TABLE review_reminders (
    order_id BIGINT NOT NULL REFERENCES orders (id),
    nth BIGINT NOT NULL CHECK (nth IN (1, 2)),
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (order_id, nth)
);

-- What was measured of one finished order (dispatched, then delivered,
-- returned or lost): recomputed from its events whenever they change, and
-- added into the aggregates below in the same transaction.
CREATE TABLE order_facts (
    order_id BIGINT PRIMARY KEY REFERENCES orders (id),
    route_code TEXT NOT NULL,
    country TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'returned', 'lost')),
    -- Month the parcel was dispatched, 'YYYY-MM' (the trend charts).
    month TEXT NOT NULL,
    transit_days BIGINT,
    on_time BOOLEAN NOT NULL,
    customs_held BOOLEAN NOT NULL,
    customs_cleared BOOLEAN NOT NULL,
    had_exception BOOLEAN NOT NULL,
    longest_silence_hours BIGINT NOT NULL,
    parcel_condition BIGINT,
    quote_accurate BOOLEAN,
    first_response_minutes BIGINT
);
CREATE INDEX order_facts_route_idx ON order_facts (route_code, country);

-- Review aggregates per route and destination. country = '' is the route
-- over all destinations; route_code = '' is the whole board (its mean is the
-- prior). Counts are exact; weights are sums at the epoch scale.
CREATE TABLE route_stats (
    route_code TEXT NOT NULL,
    country TEXT NOT NULL,
    reviews BIGINT NOT NULL DEFAULT 0,
    stars_1 BIGINT NOT NULL DEFAULT 0,
    stars_2 BIGINT NOT NULL DEFAULT 0,
    stars_3 BIGINT NOT NULL DEFAULT 0,
    stars_4 BIGINT NOT NULL DEFAULT 0,
    stars_5 BIGINT NOT NULL DEFAULT 0,
    sum_overall BIGINT NOT NULL DEFAULT 0,
    sum_timeliness BIGINT NOT NULL DEFAULT 0,
    sum_service BIGINT NOT NULL DEFAULT 0,
    sum_customs BIGINT NOT NULL DEFAULT 0,
    sum_tracking BIGINT NOT NULL DEFAULT 0,
    sum_packaging BIGINT NOT NULL DEFAULT 0,
    -- Σw and Σw·overall of every visible review (uncapped).
    weight DOUBLE PRECISION NOT NULL DEFAULT 0,
    weighted_score DOUBLE PRECISION NOT NULL DEFAULT 0,
    -- The same after the 20 % company cap, plus the filler at the board mean.
    capped_weight DOUBLE PRECISION NOT NULL DEFAULT 0,
    capped_weighted_score DOUBLE PRECISION NOT NULL DEFAULT 0,
    filler_weight DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (route_code, country)
);

-- Measured facts per route and destination (same scopes as route_stats),
-- summed over order_facts.
CREATE TABLE route_facts (
    route_code TEXT NOT NULL,
    country TEXT NOT NULL,
    finished BIGINT NOT NULL DEFAULT 0,
    delivered BIGINT NOT NULL DEFAULT 0,
    on_time BIGINT NOT NULL DEFAULT 0,
    customs_held BIGINT NOT NULL DEFAULT 0,
    customs_cleared BIGINT NOT NULL DEFAULT 0,
    exceptions BIGINT NOT NULL DEFAULT 0,
    conditions BIGINT NOT NULL DEFAULT 0,
    sum_condition BIGINT NOT NULL DEFAULT 0,
    reweighed BIGINT NOT NULL DEFAULT 0,
    quote_accurate BIGINT NOT NULL DEFAULT 0,
    responses BIGINT NOT NULL DEFAULT 0,
    -- Medians and p90 read off the histograms when they change.
    transit_median BIGINT,
    transit_p90 BIGINT,
    silence_median_hours BIGINT,
    response_median_minutes BIGINT,
    PRIMARY KEY (route_code, country)
);

-- One company's visible reviews of a route (and destination): the input of
-- the 20 % cap.
CREATE TABLE route_company_weights (
    route_code TEXT NOT NULL,
    country TEXT NOT NULL,
    company_id BIGINT NOT NULL,
    reviews BIGINT NOT NULL,
    weight DOUBLE PRECISION NOT NULL,
    weighted_score DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (route_code, country, company_id)
);

-- Distributions behind the medians and charts: kind 'transit_days',
-- 'silence_hours' or 'response_minutes'; month '' is all time, 'YYYY-MM'
-- one month (kept for transit days over all destinations).
CREATE TABLE route_histograms (
    route_code TEXT NOT NULL,
    country TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('transit_days', 'silence_hours', 'response_minutes')),
    month TEXT NOT NULL,
    value BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (route_code, country, kind, month, value)
);

-- A route's reviews per month (the rating trend), over all destinations.
CREATE TABLE route_months (
    route_code TEXT NOT NULL,
    month TEXT NOT NULL,
    reviews BIGINT NOT NULL,
    sum_overall BIGINT NOT NULL,
    PRIMARY KEY (route_code, month)
);

-- Set by `samplepost demo`: every public page then says the data is a demo.
CREATE TABLE app_flags (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

ALTER TABLE uploads DROP CONSTRAINT uploads_kind_check;
ALTER TABLE uploads ADD CONSTRAINT uploads_kind_check
    CHECK (kind IN ('licence', 'id_front', 'id_back', 'item_photo', 'order_document', 'topup_receipt', 'parcel_photo', 'ticket_attachment', 'recipient_photo', 'review_photo'));
