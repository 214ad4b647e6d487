ALTER TABLE uploads DROP CONSTRAINT uploads_kind_check;
ALTER TABLE uploads ADD CONSTRAINT uploads_kind_check
    CHECK (kind IN ('licence', 'id_front', 'id_back', 'item_photo', 'order_document', 'topup_receipt'));
DROP INDEX ledger_entries_reweigh_once;
DROP INDEX ledger_entries_return_fee_once;
DROP INDEX ledger_entries_order_idx;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_reference_check;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_order_check;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_debit_check;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
    CHECK (kind IN ('topup', 'payment', 'reweigh', 'refund', 'adjustment'));
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_check1
    CHECK (kind NOT IN ('payment', 'reweigh') OR amount_fen < 0);
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_check3
    CHECK (kind NOT IN ('payment', 'reweigh', 'refund') OR order_id IS NOT NULL);
ALTER TABLE ledger_entries DROP COLUMN reference;
ALTER TABLE order_quotes DROP COLUMN basis;
ALTER TABLE pricing_rules DROP COLUMN return_fee_fen;
ALTER TABLE pricing_rules DROP COLUMN reweigh_tolerance_bp;
ALTER TABLE pricing_rules DROP COLUMN reweigh_tolerance_g;
DROP TABLE parcel_checks;
DROP TABLE order_shipments;
DROP TABLE pickups;
DROP TABLE carriers;
DROP TABLE warehouses;
