DROP TABLE order_documents;
DROP TABLE order_events;
DROP TABLE order_items;
DROP TABLE order_quotes;
DROP TABLE order_recipients;
DROP TABLE orders;
DROP TABLE order_counters;
ALTER TABLE companies DROP COLUMN require_backup_route;
