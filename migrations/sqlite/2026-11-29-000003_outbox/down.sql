DROP TABLE email_opt_outs;
DROP TABLE outbox;
