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
        require_backup_route -> Bool,
        sender_name_en -> Text,
        sender_address_en -> Text,
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
        monthly_budget_fen -> Nullable<BigInt>,
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

diesel::table! {
    countries (code) {
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        calling_code -> Nullable<Text>,
        postcode_regex -> Nullable<Text>,
        postcode_example -> Nullable<Text>,
        prohibited -> Text,
    }
}

diesel::table! {
    rate_sheets (id) {
        id -> BigInt,
        file_name -> Text,
        file_sha256 -> Text,
        row_count -> BigInt,
        route_codes -> Text,
        imported_by -> Nullable<BigInt>,
        imported_by_name -> Text,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    routes (id) {
        id -> BigInt,
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        transport -> Text,
        transit_min_days -> BigInt,
        transit_max_days -> BigInt,
        volumetric_divisor -> BigInt,
        accepts -> Text,
        max_weight_g -> BigInt,
        max_longest_side_mm -> Nullable<BigInt>,
        ddp_offered -> Bool,
        returns_offered -> Bool,
        status -> Text,
        notice -> Text,
        current_sheet_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        silence_days -> BigInt,
    }
}

diesel::table! {
    rate_rows (id) {
        id -> BigInt,
        sheet_id -> BigInt,
        line_no -> BigInt,
        route_code -> Text,
        route_name_zh -> Text,
        route_name_en -> Text,
        transport -> Text,
        transit_min_days -> BigInt,
        transit_max_days -> BigInt,
        volumetric_divisor -> BigInt,
        accepts -> Text,
        max_weight_g -> BigInt,
        country -> Text,
        min_weight_g -> BigInt,
        step_g -> BigInt,
        first_weight_g -> BigInt,
        first_price -> BigInt,
        step_price -> BigInt,
        per_kg_price -> BigInt,
        registration_fee -> BigInt,
        fuel_bp -> BigInt,
        battery_fee -> BigInt,
        liquid_fee -> BigInt,
        magnetic_fee -> BigInt,
        powder_fee -> BigInt,
        remote_postcodes -> Text,
        remote_fee -> BigInt,
    }
}

diesel::table! {
    pricing_rules (id) {
        id -> BigInt,
        usd_cny_rate -> BigInt,
        signature_fee -> BigInt,
        insurance_bp -> BigInt,
        insurance_min -> BigInt,
        expedited_fee -> BigInt,
        ddp_bp -> BigInt,
        ddp_min -> BigInt,
        erp_discount_bp -> BigInt,
        volume_tiers -> Text,
        updated_at -> Timestamp,
        reweigh_tolerance_g -> BigInt,
        reweigh_tolerance_bp -> BigInt,
        return_fee_fen -> BigInt,
    }
}

diesel::table! {
    promotions (id) {
        id -> BigInt,
        code -> Text,
        kind -> Text,
        amount -> BigInt,
        valid_from -> Date,
        valid_until -> Date,
        route_codes -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    addresses (id) {
        id -> BigInt,
        company_id -> BigInt,
        name -> Text,
        company -> Nullable<Text>,
        line1 -> Text,
        line2 -> Nullable<Text>,
        city -> Text,
        state -> Nullable<Text>,
        postcode -> Text,
        country -> Text,
        phone -> Text,
        email -> Nullable<Text>,
        tax_id -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    order_counters (day) {
        day -> Text,
        last_seq -> BigInt,
    }
}

diesel::table! {
    orders (id) {
        id -> BigInt,
        order_no -> Text,
        company_id -> BigInt,
        created_by -> BigInt,
        form_token -> Text,
        status -> Text,
        sender_address_id -> Nullable<BigInt>,
        purpose -> Text,
        reference -> Text,
        weight_g -> Nullable<BigInt>,
        length_mm -> Nullable<BigInt>,
        width_mm -> Nullable<BigInt>,
        height_mm -> Nullable<BigInt>,
        battery -> Text,
        liquid -> Bool,
        magnetic -> Bool,
        powder -> Bool,
        route_code -> Nullable<Text>,
        backup_route_code -> Nullable<Text>,
        signature -> Bool,
        insurance -> Bool,
        expedited -> Bool,
        ddp -> Bool,
        recipient_token_sha256 -> Nullable<Text>,
        recipient_token_expires_at -> Nullable<Timestamp>,
        submitted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        approval_level -> Nullable<Text>,
        approval_reasons -> Nullable<Text>,
        submitted_by -> Nullable<BigInt>,
        content_changed_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    payee (id) {
        id -> BigInt,
        name -> Text,
        bank -> Text,
        account -> Text,
        updated_by -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    approval_policies (company_id) {
        company_id -> BigInt,
        always -> Bool,
        above_fen -> Nullable<BigInt>,
        sensitive_goods -> Bool,
        new_destination -> Bool,
        monthly_budget_fen -> Nullable<BigInt>,
        updated_by -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    order_recipients (order_id) {
        order_id -> BigInt,
        name -> Text,
        company -> Text,
        line1 -> Text,
        line2 -> Text,
        city -> Text,
        state -> Text,
        postcode -> Text,
        country -> Text,
        phone -> Text,
        email -> Text,
        tax_id -> Text,
    }
}

diesel::table! {
    order_quotes (order_id) {
        order_id -> BigInt,
        route_code -> Text,
        rate_sheet_id -> BigInt,
        total_fen -> BigInt,
        chargeable_weight_g -> BigInt,
        lines -> Text,
        transit_min_days -> BigInt,
        transit_max_days -> BigInt,
        quoted_at -> Timestamp,
        basis -> Text,
    }
}

diesel::table! {
    order_items (id) {
        id -> BigInt,
        order_id -> BigInt,
        position -> BigInt,
        description_en -> Text,
        description_zh -> Text,
        quantity -> Nullable<BigInt>,
        unit_value_cents -> Nullable<BigInt>,
        hs_code -> Text,
        origin -> Text,
        photo_upload_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    order_events (id) {
        id -> BigInt,
        order_id -> BigInt,
        kind -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor_id -> Nullable<BigInt>,
        note -> Text,
        at -> Timestamp,
        params -> Text,
    }
}

diesel::table! {
    order_documents (id) {
        id -> BigInt,
        order_id -> BigInt,
        document -> Text,
        upload_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        company_id -> BigInt,
        email -> Text,
        role -> Text,
        token_sha256 -> Text,
        invited_by -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        accepted_user_id -> Nullable<BigInt>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        recipient -> Text,
        kind -> Text,
        detail -> Text,
        link -> Text,
        status -> Text,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        last_error -> Text,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    email_opt_outs (user_id, kind) {
        user_id -> BigInt,
        kind -> Text,
    }
}

diesel::table! {
    topups (id) {
        id -> BigInt,
        company_id -> BigInt,
        amount_fen -> BigInt,
        receipt_upload_id -> BigInt,
        status -> Text,
        requested_by -> BigInt,
        requested_at -> Timestamp,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    ledger_entries (id) {
        id -> BigInt,
        company_id -> BigInt,
        kind -> Text,
        amount_fen -> BigInt,
        order_id -> Nullable<BigInt>,
        topup_id -> Nullable<BigInt>,
        created_by -> Nullable<BigInt>,
        note -> Text,
        created_at -> Timestamp,
        reference -> Text,
    }
}

diesel::joinable!(users -> companies (company_id));
diesel::joinable!(invitations -> companies (company_id));
diesel::joinable!(orders -> companies (company_id));
diesel::joinable!(orders -> users (created_by));
diesel::joinable!(order_items -> orders (order_id));
diesel::joinable!(order_recipients -> orders (order_id));
diesel::joinable!(order_quotes -> orders (order_id));
diesel::joinable!(order_events -> orders (order_id));
diesel::joinable!(order_documents -> orders (order_id));
diesel::joinable!(module_applications -> companies (company_id));
diesel::joinable!(notifications -> users (user_id));
diesel::joinable!(rate_rows -> rate_sheets (sheet_id));
diesel::joinable!(topups -> companies (company_id));
diesel::joinable!(ledger_entries -> orders (order_id));
diesel::joinable!(ledger_entries -> topups (topup_id));

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_sha256 -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        user_agent -> Text,
        ip -> Text,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    rate_limits (bucket, ip, window_start) {
        bucket -> Text,
        ip -> Text,
        window_start -> Timestamp,
        hits -> BigInt,
    }
}

diesel::table! {
    password_resets (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_sha256 -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        replaced_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    payee,
    companies,
    users,
    uploads,
    login_attempts,
    module_applications,
    notifications,
    audit_log,
    countries,
    rate_sheets,
    routes,
    rate_rows,
    pricing_rules,
    promotions,
    addresses,
    order_counters,
    orders,
    order_recipients,
    order_quotes,
    order_items,
    order_events,
    order_documents,
    invitations,
    approval_policies,
    outbox,
    email_opt_outs,
    topups,
    ledger_entries,
    sessions,
    rate_limits,
    password_resets,
    warehouses,
    carriers,
    pickups,
    parcel_checks,
    order_shipments,
    tickets,
    ticket_messages,
    tracking_events,
    carrier_secrets,
    order_returns,
    job_leases,
    order_silences,
    recipient_confirmations,
    reviews,
    review_versions,
    review_photos,
    review_reports,
    review_replies,
    review_reminders,
    order_facts,
    route_stats,
    route_facts,
    route_company_weights,
    route_histograms,
    route_months,
    app_flags,
    api_tokens,
    api_idempotency,
    api_order_tokens,
);

diesel::joinable!(order_shipments -> orders (order_id));
diesel::joinable!(tracking_events -> orders (order_id));
diesel::joinable!(recipient_confirmations -> orders (order_id));
diesel::joinable!(recipient_confirmations -> uploads (photo_upload_id));
diesel::joinable!(carrier_secrets -> carriers (carrier));
diesel::joinable!(order_shipments -> warehouses (warehouse_id));
diesel::joinable!(order_shipments -> pickups (pickup_id));
diesel::joinable!(order_shipments -> carriers (carrier));
diesel::joinable!(parcel_checks -> orders (order_id));
diesel::joinable!(pickups -> companies (company_id));

diesel::table! {
    warehouses (id) {
        id -> BigInt,
        name -> Text,
        address_zh -> Text,
        opening_hours -> Text,
        map_note -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    carriers (code) {
        code -> Text,
        name -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    pickups (id) {
        id -> BigInt,
        company_id -> BigInt,
        address -> Text,
        contact -> Text,
        phone -> Text,
        pickup_date -> Date,
        time_window -> Text,
        parcels -> BigInt,
        status -> Text,
        proposed_date -> Nullable<Date>,
        proposed_window -> Nullable<Text>,
        staff_note -> Text,
        requested_by -> BigInt,
        decided_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    parcel_checks (id) {
        id -> BigInt,
        order_id -> BigInt,
        outcome -> Text,
        weight_g -> BigInt,
        length_mm -> BigInt,
        width_mm -> BigInt,
        height_mm -> BigInt,
        contents_match -> Bool,
        photo_upload_id -> Nullable<BigInt>,
        refusal_reason -> Nullable<Text>,
        note -> Text,
        chargeable_weight_g -> Nullable<BigInt>,
        bill_lines -> Text,
        bill_total_fen -> Nullable<BigInt>,
        charged_before_fen -> BigInt,
        within_tolerance -> Bool,
        checked_by -> BigInt,
        checked_at -> Timestamp,
    }
}

diesel::table! {
    order_shipments (order_id) {
        order_id -> BigInt,
        handover -> Nullable<Text>,
        warehouse_id -> Nullable<BigInt>,
        pickup_id -> Nullable<BigInt>,
        received_at -> Nullable<Timestamp>,
        carrier -> Nullable<Text>,
        waybill -> Nullable<Text>,
        handed_over_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tickets (id) {
        id -> BigInt,
        company_id -> BigInt,
        order_id -> Nullable<BigInt>,
        parcel_check_id -> Nullable<BigInt>,
        category -> Text,
        subject -> Text,
        status -> Text,
        opened_by -> Nullable<BigInt>,
        assignee_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        first_response_at -> Nullable<Timestamp>,
        resolved_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    ticket_messages (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        author_id -> Nullable<BigInt>,
        from_staff -> Bool,
        body -> Text,
        attachment_upload_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tracking_events (id) {
        id -> BigInt,
        order_id -> BigInt,
        milestone -> Text,
        reason -> Nullable<Text>,
        event_at -> Timestamp,
        utc_offset_minutes -> BigInt,
        city -> Text,
        country -> Text,
        carrier_text -> Text,
        source -> Text,
        carrier -> Nullable<Text>,
        carrier_event_id -> Nullable<Text>,
        raw_payload -> Text,
        recorded_by -> Nullable<BigInt>,
        moved -> Bool,
        created_at -> Timestamp,
    }
}

diesel::joinable!(tickets -> companies (company_id));
diesel::joinable!(tickets -> orders (order_id));
diesel::joinable!(ticket_messages -> tickets (ticket_id));

diesel::table! {
    carrier_secrets (carrier) {
        carrier -> Text,
        secret -> Text,
        previous_secret -> Nullable<Text>,
        previous_until -> Nullable<Timestamp>,
        rotated_by -> BigInt,
        rotated_at -> Timestamp,
    }
}

diesel::table! {
    recipient_confirmations (id) {
        id -> BigInt,
        order_id -> BigInt,
        parcel_condition -> BigInt,
        comment -> Text,
        photo_upload_id -> Nullable<BigInt>,
        recorded_delivery -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// A return shipment (an order of its own) and the order it brings back.
    order_returns (return_order_id) {
        return_order_id -> BigInt,
        original_order_id -> BigInt,
        reason -> Text,
        token_sha256 -> Nullable<Text>,
        token_expires_at -> Nullable<Timestamp>,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    job_leases (name) {
        name -> Text,
        holder -> Text,
        leased_until -> Timestamp,
        last_round_at -> Nullable<Timestamp>,
        last_round_count -> BigInt,
    }
}

diesel::table! {
    order_silences (id) {
        id -> BigInt,
        order_id -> BigInt,
        kind -> Text,
        since_event_id -> BigInt,
        since_at -> Timestamp,
        ticket_id -> BigInt,
        created_at -> Timestamp,
    }
}

// The original is joined with an explicit `on` (two keys point at orders).
diesel::joinable!(order_returns -> orders (return_order_id));
diesel::joinable!(order_silences -> orders (order_id));
diesel::joinable!(order_silences -> tickets (ticket_id));

diesel::table! {
    /// A route review (issue #12): one per finished order.
    reviews (id) {
        id -> BigInt,
        order_id -> BigInt,
        route_code -> Text,
        country -> Text,
        company_id -> BigInt,
        author_id -> BigInt,
        overall -> BigInt,
        timeliness -> BigInt,
        service -> BigInt,
        customs -> BigInt,
        tracking -> BigInt,
        packaging -> BigInt,
        body -> Text,
        tags -> Text,
        has_text -> Bool,
        photo_count -> BigInt,
        reviewer_city -> Text,
        reviewer_category -> Text,
        weight_band -> Text,
        weight -> Double,
        status -> Text,
        hide_reason -> Nullable<Text>,
        hidden_by -> Nullable<BigInt>,
        hidden_at -> Nullable<Timestamp>,
        open_reports -> BigInt,
        demo -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    review_versions (id) {
        id -> BigInt,
        review_id -> BigInt,
        overall -> BigInt,
        timeliness -> BigInt,
        service -> BigInt,
        customs -> BigInt,
        tracking -> BigInt,
        packaging -> BigInt,
        body -> Text,
        tags -> Text,
        written_at -> Timestamp,
        replaced_at -> Timestamp,
    }
}

diesel::table! {
    review_photos (id) {
        id -> BigInt,
        review_id -> BigInt,
        upload_id -> BigInt,
        position -> BigInt,
    }
}

diesel::table! {
    review_reports (id) {
        id -> BigInt,
        review_id -> BigInt,
        reporter_id -> BigInt,
        reason -> Text,
        note -> Text,
        status -> Text,
        handled_by -> Nullable<BigInt>,
        handled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    review_replies (review_id) {
        review_id -> BigInt,
        body -> Text,
        author_id -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    review_reminders (order_id, nth) {
        order_id -> BigInt,
        nth -> BigInt,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    /// What was measured of one finished order (the board's facts).
    order_facts (order_id) {
        order_id -> BigInt,
        route_code -> Text,
        country -> Text,
        outcome -> Text,
        month -> Text,
        transit_days -> Nullable<BigInt>,
        on_time -> Bool,
        customs_held -> Bool,
        customs_cleared -> Bool,
        had_exception -> Bool,
        longest_silence_hours -> BigInt,
        parcel_condition -> Nullable<BigInt>,
        quote_accurate -> Nullable<Bool>,
        first_response_minutes -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// Aggregates per route ('' = board) and destination ('' = all).
    route_stats (route_code, country) {
        route_code -> Text,
        country -> Text,
        reviews -> BigInt,
        stars_1 -> BigInt,
        stars_2 -> BigInt,
        stars_3 -> BigInt,
        stars_4 -> BigInt,
        stars_5 -> BigInt,
        sum_overall -> BigInt,
        sum_timeliness -> BigInt,
        sum_service -> BigInt,
        sum_customs -> BigInt,
        sum_tracking -> BigInt,
        sum_packaging -> BigInt,
        weight -> Double,
        weighted_score -> Double,
        capped_weight -> Double,
        capped_weighted_score -> Double,
        filler_weight -> Double,
    }
}

diesel::table! {
    /// Measured facts per route ('' = board) and destination ('' = all).
    route_facts (route_code, country) {
        route_code -> Text,
        country -> Text,
        finished -> BigInt,
        delivered -> BigInt,
        on_time -> BigInt,
        customs_held -> BigInt,
        customs_cleared -> BigInt,
        exceptions -> BigInt,
        conditions -> BigInt,
        sum_condition -> BigInt,
        reweighed -> BigInt,
        quote_accurate -> BigInt,
        responses -> BigInt,
        transit_median -> Nullable<BigInt>,
        transit_p90 -> Nullable<BigInt>,
        silence_median_hours -> Nullable<BigInt>,
        response_median_minutes -> Nullable<BigInt>,
    }
}

diesel::table! {
    route_company_weights (route_code, country, company_id) {
        route_code -> Text,
        country -> Text,
        company_id -> BigInt,
        reviews -> BigInt,
        weight -> Double,
        weighted_score -> Double,
    }
}

diesel::table! {
    route_histograms (route_code, country, kind, month, value) {
        route_code -> Text,
        country -> Text,
        kind -> Text,
        month -> Text,
        value -> BigInt,
        count -> BigInt,
    }
}

diesel::table! {
    route_months (route_code, month) {
        route_code -> Text,
        month -> Text,
        reviews -> BigInt,
        sum_overall -> BigInt,
    }
}

diesel::table! {
    app_flags (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::joinable!(review_versions -> reviews (review_id));
diesel::joinable!(review_photos -> reviews (review_id));
diesel::joinable!(review_reports -> reviews (review_id));
diesel::joinable!(review_replies -> reviews (review_id));
diesel::joinable!(reviews -> orders (order_id));
diesel::joinable!(order_facts -> orders (order_id));

diesel::table! {
    /// An ERP API token of a company (issue #13).
    api_tokens (id) {
        id -> BigInt,
        company_id -> BigInt,
        created_by -> BigInt,
        name -> Text,
        scopes -> Text,
        token_sha256 -> Text,
        prefix -> Text,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(api_tokens -> companies (company_id));

diesel::table! {
    /// An `Idempotency-Key` of an API token and the first answer to it (issue #13).
    api_idempotency (id) {
        id -> BigInt,
        token_id -> BigInt,
        idempotency_key -> Text,
        request_sha256 -> Text,
        status_code -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(api_idempotency -> api_tokens (token_id));

diesel::table! {
    /// The API token that created an order (issue #13); no row for the seller UI's
    /// orders. A table of its own: `orders` is at diesel's 32-column limit.
    api_order_tokens (order_id) {
        order_id -> BigInt,
        token_id -> BigInt,
    }
}

diesel::joinable!(api_order_tokens -> orders (order_id));
diesel::joinable!(api_order_tokens -> api_tokens (token_id));

diesel::table! {
    /// A company's outgoing webhook endpoint (issue #13).
    webhook_endpoints (id) {
        id -> BigInt,
        company_id -> BigInt,
        url -> Text,
        events -> Text,
        secret -> Text,
        active -> Bool,
        created_by -> BigInt,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// One event for one endpoint, sent by `jobs::webhooks` (issue #13).
    webhook_deliveries (id) {
        id -> BigInt,
        endpoint_id -> BigInt,
        event_type -> Text,
        event_id -> Text,
        payload -> Text,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        leased_until -> Nullable<Timestamp>,
        status -> Text,
        last_status_code -> Nullable<BigInt>,
        last_error -> Text,
        created_at -> Timestamp,
        last_attempt_at -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// One try of a webhook delivery and what the receiver answered.
    webhook_attempts (id) {
        id -> BigInt,
        delivery_id -> BigInt,
        attempted_at -> Timestamp,
        status_code -> Nullable<BigInt>,
        error -> Text,
        duration_ms -> BigInt,
    }
}

diesel::joinable!(webhook_endpoints -> companies (company_id));
diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::allow_tables_to_appear_in_same_query!(
    webhook_endpoints,
    webhook_deliveries,
    webhook_attempts,
    companies,
);
