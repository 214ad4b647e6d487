DROP TABLE order_silences;
DROP TABLE job_leases;
ALTER TABLE routes DROP COLUMN silence_days;
-- Tickets the platform opened have no opener; they go with their threads.
DELETE FROM ticket_messages WHERE ticket_id IN (SELECT id FROM tickets WHERE opened_by IS NULL);
DELETE FROM tickets WHERE opened_by IS NULL;
DELETE FROM ticket_messages WHERE author_id IS NULL;
ALTER TABLE ticket_messages ALTER COLUMN author_id SET NOT NULL;
ALTER TABLE tickets ALTER COLUMN opened_by SET NOT NULL;
