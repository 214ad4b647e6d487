-- Timeline events carry typed parameters (warnings acknowledged at submit,
-- the document attached) as JSON, rendered in the reader's language; `note`
-- keeps only what a person wrote (issue #9).
ALTER TABLE order_events ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
