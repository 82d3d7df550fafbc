-- Messages AutoMod holds for a moderator (issue 17): the rows are the rooms' hold queues. Approval
-- deletes the row and inserts the chat_messages row (same message id) in one transaction, so a silo
-- dying mid-approval either posted the message or left it held; denial and expiry delete the row.
CREATE TABLE chat_held_messages
(
    message_id  uuid PRIMARY KEY,
    channel_id  uuid         NOT NULL,
    sender_id   uuid         NOT NULL,
    username    varchar(40)  NOT NULL,
    color       varchar(9)   NOT NULL,
    badges      text[]       NOT NULL,
    body        text         NOT NULL,
    fragments   jsonb        NOT NULL,
    sent_at     timestamptz  NOT NULL,
    category    varchar(20)  NOT NULL,
    expires_at  timestamptz  NOT NULL
);

CREATE INDEX chat_held_messages_by_channel ON chat_held_messages (channel_id, sent_at);
