-- Approval looks at who submitted an order and who changed its content,
-- not at who created it (issue #8): a draft made by the owner and submitted
-- by a seller is the seller's request.
ALTER TABLE orders ADD COLUMN submitted_by BIGINT REFERENCES users (id);
ALTER TABLE orders ADD COLUMN content_changed_by BIGINT REFERENCES users (id);
UPDATE orders SET submitted_by = created_by WHERE submitted_at IS NOT NULL;
UPDATE orders SET content_changed_by = created_by;
