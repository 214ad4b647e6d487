-- Uploads may now also be the bank-transfer receipt of a top-up request.
ALTER TABLE uploads DROP CONSTRAINT uploads_kind_check;
ALTER TABLE uploads ADD CONSTRAINT uploads_kind_check
    CHECK (kind IN ('licence', 'id_front', 'id_back', 'item_photo', 'order_document', 'topup_receipt'));
