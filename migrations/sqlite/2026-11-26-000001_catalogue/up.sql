-- Catalogue: countries, routes, versioned rate sheets, pricing rules, promotions.
CREATE TABLE countries (
    code TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    calling_code TEXT,
    postcode_regex TEXT,
    postcode_example TEXT,
    -- Keywords of goods the destination refuses, separated by ';'.
    prohibited TEXT NOT NULL DEFAULT ''
);

CREATE TABLE rate_sheets (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    route_codes TEXT NOT NULL,
    imported_by BIGINT REFERENCES users (id),
    imported_by_name TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL
);

CREATE TABLE routes (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    transport TEXT NOT NULL CHECK (transport IN ('air_parcel', 'special_line', 'express')),
    transit_min_days BIGINT NOT NULL,
    transit_max_days BIGINT NOT NULL,
    volumetric_divisor BIGINT NOT NULL,
    accepts TEXT NOT NULL DEFAULT '',
    max_weight_g BIGINT NOT NULL,
    max_longest_side_mm BIGINT,
    ddp_offered BOOLEAN NOT NULL DEFAULT FALSE,
    returns_offered BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    notice TEXT NOT NULL DEFAULT '',
    current_sheet_id BIGINT REFERENCES rate_sheets (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- One row per route × country per sheet version, exactly as imported.
CREATE TABLE rate_rows (
    id INTEGER PRIMARY KEY,
    sheet_id BIGINT NOT NULL REFERENCES rate_sheets (id),
    line_no BIGINT NOT NULL,
    route_code TEXT NOT NULL,
    route_name_zh TEXT NOT NULL,
    route_name_en TEXT NOT NULL,
    transport TEXT NOT NULL,
    transit_min_days BIGINT NOT NULL,
    transit_max_days BIGINT NOT NULL,
    volumetric_divisor BIGINT NOT NULL,
    accepts TEXT NOT NULL,
    max_weight_g BIGINT NOT NULL,
    country TEXT NOT NULL,
    min_weight_g BIGINT NOT NULL,
    step_g BIGINT NOT NULL,
    first_weight_g BIGINT NOT NULL,
    first_price BIGINT NOT NULL,
    step_price BIGINT NOT NULL,
    per_kg_price BIGINT NOT NULL,
    registration_fee BIGINT NOT NULL,
    fuel_bp BIGINT NOT NULL,
    battery_fee BIGINT NOT NULL,
    liquid_fee BIGINT NOT NULL,
    magnetic_fee BIGINT NOT NULL,
    powder_fee BIGINT NOT NULL,
    remote_postcodes TEXT NOT NULL,
    remote_fee BIGINT NOT NULL,
    UNIQUE (sheet_id, route_code, country)
);
CREATE INDEX rate_rows_lookup_idx ON rate_rows (route_code, country, sheet_id);

-- The admin's pricing rules: exactly one row, id = 1.
CREATE TABLE pricing_rules (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    usd_cny_rate BIGINT NOT NULL,
    signature_fee BIGINT NOT NULL,
    insurance_bp BIGINT NOT NULL,
    insurance_min BIGINT NOT NULL,
    expedited_fee BIGINT NOT NULL,
    ddp_bp BIGINT NOT NULL,
    ddp_min BIGINT NOT NULL,
    erp_discount_bp BIGINT NOT NULL,
    -- Volume tiers as 'parcels:basis_points' pairs separated by ';', e.g. '100:500;500:1000'.
    volume_tiers TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE promotions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('fixed', 'percent')),
    amount BIGINT NOT NULL,
    valid_from DATE NOT NULL,
    valid_until DATE NOT NULL,
    route_codes TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);
