DROP INDEX order_events_final_idx;
