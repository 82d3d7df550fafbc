-- Moderation log entries carry the id the room grain gave them (issue 17: nothing a moderator does
-- is lost if a silo dies mid-action). An entry is written in the same transaction as its action, or
-- kept in the room's state with the action until written; writing it twice stores it once.
ALTER TABLE moderation_actions ADD COLUMN entry_id uuid;
CREATE UNIQUE INDEX moderation_actions_entry ON moderation_actions (entry_id);
