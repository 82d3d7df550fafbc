-- Discovery: thumbnails on the directory row, and indexes for recommendations, category pages,
-- random samples and the popular-channel fallback. After 0030 (channels.hidden).

-- The owner's uploaded thumbnail (1280×720 WebP): what cards show while the channel is offline.
ALTER TABLE channels ADD COLUMN thumbnail_url text;
-- The newest frame of the live broadcast (640×360 WebP), set by the broadcast's grain through the
-- channel's grain and cleared when the channel goes offline. While live it wins over thumbnail_url.
ALTER TABLE channels ADD COLUMN live_thumbnail_url text;

-- What the directory lists is live and not hidden (0030): with both in the predicate, counting and
-- sampling the listed live channels (randomLiveStreams) and the overall pool of recommendedChannels
-- are index-only scans. liveChannels, which asks for both, uses it as before.
DROP INDEX channels_live;
CREATE INDEX channels_live ON channels (viewer_count DESC, channel_id) WHERE is_live AND NOT hidden;

-- The most watched listed live channels of one category, in order: the per-category pools of
-- recommendedChannels, and live counts per category (index-only). liveChannels(category:) reads only
-- that category's live rows through it too (it still sorts them: its tie-break is channel_id DESC).
CREATE INDEX channels_live_by_category ON channels (category_slug, viewer_count DESC, channel_id) WHERE is_live AND NOT hidden;

-- The most followed channels: recommendedChannels falls back to them when few channels are live.
CREATE INDEX channels_popular ON channels (follower_count DESC, channel_id);
