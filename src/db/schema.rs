//! Diesel table definitions, written by hand to match both migration folders.

diesel::table! {
    companies (id) {
        id -> BigInt,
        name -> Text,
        status -> Text,
        reject_reason -> Nullable<Text>,
        name_zh -> Text,
        name_en -> Text,
        uscc -> Text,
        legal_rep_name -> Text,
        legal_rep_id -> Text,
        contact_phone -> Text,
        sender_name -> Text,
        sender_phone -> Text,
        sender_province -> Text,
        sender_city -> Text,
        sender_address -> Text,
        sender_postcode -> Text,
        licence_upload_id -> Nullable<BigInt>,
        id_front_upload_id -> Nullable<BigInt>,
        id_back_upload_id -> Nullable<BigInt>,
        module_status -> Text,
        submitted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        display_name -> Text,
        role -> Text,
        company_id -> Nullable<BigInt>,
        disabled -> Bool,
        session_epoch -> BigInt,
        must_change_password -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    uploads (id) {
        id -> BigInt,
        company_id -> Nullable<BigInt>,
        uploaded_by -> BigInt,
        kind -> Text,
        sha256 -> Text,
        mime -> Text,
        size_bytes -> BigInt,
        original_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> BigInt,
        email -> Text,
        ip -> Text,
        outcome -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    module_applications (id) {
        id -> BigInt,
        company_id -> BigInt,
        status -> Text,
        expected_monthly_parcels -> BigInt,
        destinations -> Text,
        categories -> Text,
        agreement_version -> Text,
        accepted_by -> BigInt,
        accepted_at -> Timestamp,
        accepted_ip -> Text,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        decision_reason -> Nullable<Text>,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        detail -> Text,
        link -> Text,
        read_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor_email -> Text,
        company_id -> Nullable<BigInt>,
        action -> Text,
        target_type -> Text,
        target_id -> Text,
        detail -> Text,
        ip -> Text,
    }
}

diesel::joinable!(users -> companies (company_id));
diesel::joinable!(module_applications -> companies (company_id));
diesel::joinable!(notifications -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    companies,
    users,
    uploads,
    login_attempts,
    module_applications,
    notifications,
    audit_log,
);
