-- Drift between ChannelGrain state and its directory row (issue 15). The grain writes its state and
-- then the row; a failure between the two left the row stale until some later change happened to
-- rewrite it. Each grain write now numbers the row: the grain keeps the number in its state, writes
-- the whole row guarded by "listing_version < @v" (so a late write of an older version cannot undo
-- a newer one), and on activation rewrites a row whose number is behind its own.
ALTER TABLE channels ADD COLUMN listing_version bigint NOT NULL DEFAULT 0;
