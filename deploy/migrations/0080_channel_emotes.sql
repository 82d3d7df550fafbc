-- Channel emotes (issue 18 item 2): each channel's emote prefix, unique across the platform, and
-- the emotes its owner uploaded, typed as :{prefix}{suffix}:. ChannelEmotesGrain is the only
-- writer (one channel at a time); the prefix index (EmotePrefixIndexGrain) reads every prefix once
-- when it activates, so resolving a code never reads this table on the chat path.

CREATE TABLE emote_prefixes
(
    channel_id uuid        NOT NULL PRIMARY KEY,
    -- 3-10 lower-case letters or digits. Suffixes start with an upper-case letter, so a code splits
    -- into prefix and suffix one way only, and no two channels can make the same code.
    prefix     varchar(10) NOT NULL UNIQUE CHECK (prefix ~ '^[a-z0-9]{3,10}$'),
    set_at     timestamptz NOT NULL
);

CREATE TABLE channel_emotes
(
    emote_id     uuid        NOT NULL PRIMARY KEY,
    channel_id   uuid        NOT NULL,
    suffix       varchar(20) NOT NULL CHECK (suffix ~ '^[A-Z][A-Za-z0-9]{1,19}$'),
    animated     boolean     NOT NULL,
    -- Usable only by the channel's active sponsors (and its owner), in any chat.
    sponsor_only boolean     NOT NULL,
    -- [{"size": 28, "url": "..."}, ...]: the three square WebP sizes, 28, 56 and 112 pixels.
    images       jsonb       NOT NULL,
    -- The media store keys of those files, deleted with the emote.
    storage_keys text[]      NOT NULL,
    created_at   timestamptz NOT NULL
);

-- One name per channel ignoring case (aliceHype and aliceHYPE would be the same to a reader); codes
-- still match case-sensitively. Also the channel's list, read when its grain activates.
CREATE UNIQUE INDEX channel_emotes_suffix ON channel_emotes (channel_id, lower(suffix));
