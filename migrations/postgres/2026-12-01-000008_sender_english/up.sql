-- The shipper block of a proforma invoice is read abroad: the sender's name
-- and address in Latin letters, collected at verification (issue #9).
ALTER TABLE companies ADD COLUMN sender_name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN sender_address_en TEXT NOT NULL DEFAULT '';
