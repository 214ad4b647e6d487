DELETE FROM rate_limits WHERE bucket = 'tracking';
ALTER TABLE rate_limits DROP CONSTRAINT rate_limits_bucket_check;
ALTER TABLE rate_limits ADD CONSTRAINT rate_limits_bucket_check
    CHECK (bucket IN ('sign_in', 'register', 'invitation', 'recipient_link', 'password_change', 'password_forgot'));

DROP TABLE carrier_secrets;
DROP TABLE tracking_events;
