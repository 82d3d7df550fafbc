-- Discovery: thumbnails on the directory row, and indexes for recommendations, category pages and
-- the popular-channel fallback.

-- The owner's uploaded thumbnail (1280×720 WebP): what cards show while the channel is offline.
ALTER TABLE channels ADD COLUMN thumbnail_url text;
-- The newest frame of the live broadcast (640×360 WebP), set by the broadcast's grain through the
-- channel's grain and cleared when the channel goes offline. While live it wins over thumbnail_url.
ALTER TABLE channels ADD COLUMN live_thumbnail_url text;

-- The most watched live channels of one category, in order: the per-category pools of
-- recommendedChannels, and live counts per category (index-only). liveChannels(category:) reads only
-- that category's live rows through it too (it still sorts them: its tie-break is channel_id DESC).
CREATE INDEX channels_live_by_category ON channels (category_slug, viewer_count DESC, channel_id) WHERE is_live;
-- The most followed channels: recommendedChannels falls back to them when few channels are live.
CREATE INDEX channels_popular ON channels (follower_count DESC, channel_id);
