-- Foundation: companies, users, sign-in attempts, uploads, module applications,
-- notifications and the audit log. Status columns are TEXT with CHECK so the
-- same enum conversion works on SQLite and PostgreSQL.
CREATE TABLE companies (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'unverified'
        CHECK (status IN ('unverified', 'submitted', 'verified', 'rejected')),
    reject_reason TEXT,
    name_zh TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT '',
    uscc TEXT NOT NULL DEFAULT '',
    legal_rep_name TEXT NOT NULL DEFAULT '',
    legal_rep_id TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    sender_name TEXT NOT NULL DEFAULT '',
    sender_phone TEXT NOT NULL DEFAULT '',
    sender_province TEXT NOT NULL DEFAULT '',
    sender_city TEXT NOT NULL DEFAULT '',
    sender_address TEXT NOT NULL DEFAULT '',
    sender_postcode TEXT NOT NULL DEFAULT '',
    licence_upload_id BIGINT,
    id_front_upload_id BIGINT,
    id_back_upload_id BIGINT,
    module_status TEXT NOT NULL DEFAULT 'none'
        CHECK (module_status IN ('none', 'applied', 'active', 'declined', 'suspended')),
    submitted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'seller', 'operator', 'admin')),
    company_id BIGINT REFERENCES companies (id),
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    session_epoch BIGINT NOT NULL DEFAULT 0,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    CHECK ((role IN ('operator', 'admin')) = (company_id IS NULL))
);
CREATE INDEX users_company_idx ON users (company_id);

CREATE TABLE uploads (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT REFERENCES companies (id),
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('licence', 'id_front', 'id_back')),
    sha256 TEXT NOT NULL,
    mime TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    original_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX uploads_company_idx ON uploads (company_id);

CREATE TABLE login_attempts (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'throttled')),
    at TIMESTAMP NOT NULL
);
CREATE INDEX login_attempts_email_at_idx ON login_attempts (email, at);

CREATE TABLE module_applications (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    status TEXT NOT NULL CHECK (status IN ('applied', 'active', 'declined')),
    expected_monthly_parcels BIGINT NOT NULL,
    destinations TEXT NOT NULL,
    categories TEXT NOT NULL,
    agreement_version TEXT NOT NULL,
    accepted_by BIGINT NOT NULL REFERENCES users (id),
    accepted_at TIMESTAMP NOT NULL,
    accepted_ip TEXT NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    decided_at TIMESTAMP,
    decision_reason TEXT
);
CREATE INDEX module_applications_company_idx ON module_applications (company_id);

CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    read_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX notifications_user_idx ON notifications (user_id, read_at);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    actor_email TEXT NOT NULL DEFAULT '',
    company_id BIGINT REFERENCES companies (id),
    action TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_company_idx ON audit_log (company_id, at);

ALTER TABLE companies
    ADD FOREIGN KEY (licence_upload_id) REFERENCES uploads (id),
    ADD FOREIGN KEY (id_front_upload_id) REFERENCES uploads (id),
    ADD FOREIGN KEY (id_back_upload_id) REFERENCES uploads (id);
