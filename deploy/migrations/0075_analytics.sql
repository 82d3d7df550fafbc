-- Creator analytics (docs/analytics.md). While a broadcast is live its StreamGrain takes a sample
-- every Analytics:SampleInterval (60 s), on a grid aligned to the epoch, from the grains that own
-- each fact (viewers: the stream grain; chat: the room; follows: the channel; sponsors and revenue:
-- the ledger), and each silo writes the samples in batches.

-- One row per broadcast per interval: append-only, read by broadcast (the primary key) and by time
-- (the BRIN index, for the operators' overview). Partitioned by month so that retention
-- (Analytics:RetentionMonths) drops whole partitions instead of deleting rows.
CREATE TABLE broadcast_samples
(
    stream_id           uuid        NOT NULL,
    channel_id          uuid        NOT NULL,
    -- The span's start: a grid point, or the broadcast's start (or the sampler's restart) for the
    -- first span; it ends duration_ms later, at the next grid point or the broadcast's end.
    at                  timestamptz NOT NULL,
    duration_ms         integer     NOT NULL CHECK (duration_ms > 0),
    -- Concurrent viewers at the span's end, the most during it, and their integral over it
    -- (viewer-milliseconds: minutes watched and average viewers come from this, not from snapshots).
    viewers             integer     NOT NULL,
    peak_viewers        integer     NOT NULL,
    viewer_ms           bigint      NOT NULL,
    chat_messages       integer     NOT NULL,
    -- Distinct senders within the span.
    chatters            integer     NOT NULL,
    follows             integer     NOT NULL,
    sponsors            integer     NOT NULL,
    -- Minor units by currency ({"usd": 500}); null when nothing was paid in the span.
    revenue             jsonb,
    -- How long before the sample nginx-rtmp last said the encoder is publishing (null: LiveKit, or
    -- the span that the end closed), and whether the HLS ladder had fallen back to passthrough.
    heartbeat_age_ms    integer,
    transcode_fell_back boolean     NOT NULL,
    PRIMARY KEY (stream_id, at)
) PARTITION BY RANGE (at);

CREATE INDEX broadcast_samples_by_time ON broadcast_samples USING brin (at);

-- Creates the month's partition of broadcast_samples unless it exists (under a transaction-level
-- advisory lock, so two silos creating it at once do not collide); returns its name.
CREATE FUNCTION broadcast_samples_partition(month date) RETURNS text
    LANGUAGE plpgsql AS
$$
DECLARE
    first_day date := date_trunc('month', month)::date;
    name      text := 'broadcast_samples_' || to_char(first_day, 'YYYY_MM');
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('broadcast_samples_partition'));
    IF to_regclass(name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF broadcast_samples FOR VALUES FROM (%L) TO (%L)',
                       name,
                       first_day::timestamp AT TIME ZONE 'UTC',
                       (first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC');
    END IF;
    RETURN name;
END
$$;

SELECT broadcast_samples_partition(current_date);
SELECT broadcast_samples_partition((current_date + interval '1 month')::date);

-- A broadcast's totals (its summary with the streams row: title, start, end, peak). The samples'
-- counts are added in the same statement that inserts them (only rows actually inserted, so a
-- retried batch adds nothing twice); chatters, chat messages, sponsors and revenue are set exactly
-- once the broadcast has ended (finalized_at), from the chat table and the ledger.
CREATE TABLE broadcast_stats
(
    stream_id     uuid        NOT NULL PRIMARY KEY,
    channel_id    uuid        NOT NULL,
    samples       integer     NOT NULL DEFAULT 0,
    duration_ms   bigint      NOT NULL DEFAULT 0,
    viewer_ms     bigint      NOT NULL DEFAULT 0,
    peak_viewers  integer     NOT NULL DEFAULT 0,
    chat_messages bigint      NOT NULL DEFAULT 0,
    follows       integer     NOT NULL DEFAULT 0,
    chatters      integer,
    sponsors      integer,
    revenue       jsonb,
    finalized_at  timestamptz
);

-- Ended broadcasts still to finalize (a silo stopped between the end and its finalization).
CREATE INDEX broadcast_stats_unfinalized ON broadcast_stats (stream_id) WHERE finalized_at IS NULL;

-- The whole platform per interval, for the operators' overview: added to by the same statement
-- that inserts the samples, so it is exact, cluster-wide and a few rows an hour to read.
CREATE TABLE platform_activity
(
    bucket          timestamptz NOT NULL PRIMARY KEY,
    broadcasts      integer     NOT NULL,
    viewer_ms       bigint      NOT NULL,
    chat_messages   bigint      NOT NULL,
    late_heartbeats integer     NOT NULL,
    fell_back       integer     NOT NULL
);

-- Sales of a channel in a time range (a sample's span, a broadcast): successful payments by when
-- they succeeded, a handful per minute platform-wide, so the range is short whatever the channel.
CREATE INDEX transaction_events_successes ON transaction_events (created_at) WHERE to_status = 'SUCCESS';
