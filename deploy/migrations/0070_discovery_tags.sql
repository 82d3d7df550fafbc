-- Discovery (issue 18 item 6): tags, stream language and the mature flag on the directory row,
-- and indexes for title search and the directory's filters. ChannelGrain owns these facts and
-- writes them with the rest of the row (listing_version, 0050).

-- Up to 10 tags as the owner typed them (shown), and the same lower-cased (matched): filters and
-- search compare tag_keys, so "SpeedRun" and "speedrun" are one tag.
ALTER TABLE channels ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
ALTER TABLE channels ADD COLUMN tag_keys text[] NOT NULL DEFAULT '{}';
-- ISO 639-1 code of the language the channel streams in (StreamLanguages); null when not set.
ALTER TABLE channels ADD COLUMN language varchar(8);
-- The owner marks the channel as intended for mature audiences: viewers confirm before the player loads.
ALTER TABLE channels ADD COLUMN mature boolean NOT NULL DEFAULT false;

-- "Has all of these tags" (tag_keys @> ARRAY[...]) for the live directory and search filters.
CREATE INDEX channels_tag_keys ON channels USING gin (tag_keys) WHERE NOT hidden;

-- The most watched listed live channels of one language, in order (liveChannels(language:)).
CREATE INDEX channels_live_by_language ON channels (language, viewer_count DESC, channel_id) WHERE is_live AND NOT hidden;

-- Title search: stream_title is set only while live, so this holds the live channels' titles.
CREATE INDEX channels_stream_title_trgm ON channels USING gin (lower(stream_title) gin_trgm_ops);
