-- The last sequence number each room gave out, messages or not (deletions, bans, settings changes
-- take numbers too). Written in the same transaction as each batch, so a room that reactivates on
-- another silo never hands out a number it used before.
CREATE TABLE chat_rooms
(
    channel_id uuid   NOT NULL PRIMARY KEY,
    last_seq   bigint NOT NULL
);
