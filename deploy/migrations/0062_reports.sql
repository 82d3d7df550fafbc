-- Reports (issue 17): a signed-in user reports a message or a user in a channel; the channel's
-- moderators (and the operators) resolve each with an action that is recorded here.
CREATE TABLE reports
(
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel_id     uuid          NOT NULL,
    reporter_id    uuid          NOT NULL,
    target_user_id uuid          NOT NULL,
    message_id     uuid,
    -- The message as it was reported: a moderator may delete it before the report is read.
    message_text   varchar(500),
    reason         varchar(500)  NOT NULL,
    created_at     timestamptz   NOT NULL DEFAULT now(),
    resolved_at    timestamptz,
    resolved_by    uuid,
    action         varchar(20),
    note           varchar(500)
);

-- One report per reporter and message: reporting it again returns the first.
CREATE UNIQUE INDEX reports_once_per_message ON reports (reporter_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX reports_by_channel ON reports (channel_id, id DESC);
CREATE INDEX reports_open ON reports (id DESC) WHERE resolved_at IS NULL;
CREATE INDEX reports_by_reporter ON reports (reporter_id, created_at);
