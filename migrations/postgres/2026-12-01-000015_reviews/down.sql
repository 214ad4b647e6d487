DROP TABLE app_flags;
DROP TABLE route_months;
DROP TABLE route_histograms;
DROP TABLE route_company_weights;
DROP TABLE route_facts;
DROP TABLE route_stats;
DROP TABLE order_facts;
DROP TABLE review_reminders;
DROP TABLE review_replies;
DROP TABLE review_reports;
DROP TABLE review_photos;
DROP TABLE review_versions;
DROP TABLE reviews;
DELETE FROM uploads WHERE kind = 'review_photo';
ALTER TABLE uploads DROP CONSTRAINT uploads_kind_check;
ALTER TABLE uploads ADD CONSTRAINT uploads_kind_check
    CHECK (kind IN ('licence', 'id_front', 'id_back', 'item_photo', 'order_document', 'topup_receipt', 'parcel_photo', 'ticket_attachment', 'recipient_photo'));
