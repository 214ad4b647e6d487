DROP TABLE recipient_confirmations;
DELETE FROM uploads WHERE kind = 'recipient_photo';
ALTER TABLE uploads DROP CONSTRAINT uploads_kind_check;
ALTER TABLE uploads ADD CONSTRAINT uploads_kind_check
    CHECK (kind IN ('licence', 'id_front', 'id_back', 'item_photo', 'order_document', 'topup_receipt', 'parcel_photo', 'ticket_attachment'));
