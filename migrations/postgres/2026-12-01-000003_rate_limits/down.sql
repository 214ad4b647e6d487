DROP INDEX login_attempts_email_ip_at_idx;
DROP TABLE rate_limits;
