-- Clips (issue 18): a few seconds of a broadcast's recording copied into an MP4 of their own, so
-- they outlive the video they came from (hence no foreign key to videos).
CREATE TABLE clips
(
    clip_id       uuid        NOT NULL PRIMARY KEY,
    channel_id    uuid        NOT NULL,
    video_id      uuid        NOT NULL,
    creator_id    uuid        NOT NULL,
    title         text        NOT NULL,
    -- Made from the live broadcast (its last seconds) rather than from a position in a video.
    from_live     boolean     NOT NULL,
    -- Where in the video it starts (on the recording's clock) and how long it is.
    offset_ms     bigint      NOT NULL,
    duration_ms   integer     NOT NULL,
    -- 0 processing (not listed), 1 ready (its MP4 is in the media store), 2 failed (no files; failure says why).
    status        smallint    NOT NULL DEFAULT 0,
    failure       text,
    has_thumbnail boolean     NOT NULL DEFAULT false,
    bytes         bigint      NOT NULL DEFAULT 0,
    views         bigint      NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL
);

-- A channel's clips, newest first and most viewed first.
CREATE INDEX clips_by_channel ON clips (channel_id, created_at DESC, clip_id DESC) WHERE status = 1;
CREATE INDEX clips_by_channel_views ON clips (channel_id, views DESC, clip_id DESC) WHERE status = 1;
-- The deletion of a channel's account, and the sweep of failed and interrupted clips.
CREATE INDEX clips_of_channel ON clips (channel_id);
CREATE INDEX clips_unfinished ON clips (created_at) WHERE status <> 1;
