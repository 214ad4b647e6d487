-- The review reminders' round looks for orders that reached their final
-- state in the last 90 days: by the event that moved them there.
CREATE INDEX order_events_final_idx ON order_events (to_status, at);
