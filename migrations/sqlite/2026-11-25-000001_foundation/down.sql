DROP TABLE audit_log;
DROP TABLE notifications;
DROP TABLE module_applications;
DROP TABLE login_attempts;
DROP TABLE users;
DROP TABLE companies;
DROP TABLE uploads;
