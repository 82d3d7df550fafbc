-- Chat messages, durable before they are acknowledged. The room grain assigns seq (per channel,
-- increasing), so history pages by (channel_id, seq) and every viewer sees one order.
CREATE TABLE chat_messages
(
    channel_id  uuid         NOT NULL,
    seq         bigint       NOT NULL,
    message_id  uuid         NOT NULL UNIQUE,
    sender_id   uuid         NOT NULL,
    username    varchar(25)  NOT NULL,
    color       varchar(7)   NOT NULL,
    badges      text[]       NOT NULL,
    body        varchar(500) NOT NULL,
    fragments   jsonb        NOT NULL,
    sent_at     timestamptz  NOT NULL,
    deleted_at  timestamptz,
    PRIMARY KEY (channel_id, seq)
);

CREATE INDEX chat_messages_by_sender ON chat_messages (channel_id, sender_id, seq) WHERE deleted_at IS NULL;
