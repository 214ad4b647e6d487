ALTER TABLE companies DROP COLUMN sender_address_en;
ALTER TABLE companies DROP COLUMN sender_name_en;
