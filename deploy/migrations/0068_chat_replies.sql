-- Replies (issue 18): a message may answer another; the quote of the parent (its id, sender,
-- username and the start of its text, as they were) is kept with the reply.
ALTER TABLE chat_messages ADD COLUMN reply jsonb;
ALTER TABLE chat_held_messages ADD COLUMN reply jsonb;
