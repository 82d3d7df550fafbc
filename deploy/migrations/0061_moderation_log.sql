-- Every moderator action in a channel (issue 17): who, when, what and why. Appended by the room
-- grain once the action itself is durable; read newest first, paged by id.
CREATE TABLE moderation_actions
(
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel_id        uuid         NOT NULL,
    actor_id          uuid         NOT NULL,
    action            varchar(40)  NOT NULL,
    target_user_id    uuid,
    target_message_id uuid,
    reason            varchar(200),
    details           varchar(600),
    at                timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX moderation_actions_by_channel ON moderation_actions (channel_id, id DESC);
