DELETE FROM rate_limits WHERE bucket = 'password_forgot';
ALTER TABLE rate_limits DROP CONSTRAINT rate_limits_bucket_check;
ALTER TABLE rate_limits ADD CONSTRAINT rate_limits_bucket_check
    CHECK (bucket IN ('sign_in', 'register', 'invitation', 'recipient_link', 'password_change'));

DROP TABLE password_resets;
