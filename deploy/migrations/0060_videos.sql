-- Past broadcasts (issue 16). A video's id is its broadcast's stream id, so its title and category
-- stay where the broadcast keeps them (streams); this table holds what only the recording knows.
CREATE TABLE videos
(
    video_id      uuid        NOT NULL PRIMARY KEY REFERENCES streams (stream_id) ON DELETE CASCADE,
    channel_id    uuid        NOT NULL,
    -- 0 recording (not listed), 1 ready (its VOD playlist is in the media store).
    status        smallint    NOT NULL DEFAULT 0,
    -- The wall-clock time of the first recorded frame: chat replay measures offsets from it.
    started_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    duration_ms   bigint      NOT NULL DEFAULT 0,
    bytes         bigint      NOT NULL DEFAULT 0,
    has_thumbnail boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- A channel's past broadcasts, newest first.
CREATE INDEX videos_by_channel ON videos (channel_id, started_at DESC, video_id DESC) WHERE status = 1;
-- The retention sweep: oldest first, and recordings left open by an Api node that went away.
CREATE INDEX videos_by_age ON videos (started_at);

-- The recorded segments, in order; the VOD playlist is written from these.
CREATE TABLE video_segments
(
    video_id          uuid        NOT NULL REFERENCES videos (video_id) ON DELETE CASCADE,
    seq               integer     NOT NULL,
    duration_ms       integer     NOT NULL,
    program_date_time timestamptz,
    discontinuity     boolean     NOT NULL,
    bytes             bigint      NOT NULL,
    PRIMARY KEY (video_id, seq)
);

-- Chat replay reads a room's messages over a broadcast's time range.
CREATE INDEX chat_messages_by_time ON chat_messages (channel_id, sent_at, seq);
