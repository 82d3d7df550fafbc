-- Streams: stream keys (encrypted for the owner's dashboard, hashed for the ingest lookup) and the
-- history of broadcasts. The live state itself is on the channel (channels.is_live and friends).
CREATE TABLE stream_keys
(
    channel_id     uuid        NOT NULL PRIMARY KEY,
    -- SHA-256 (hex) of the key: what on_publish looks up; never the key itself.
    key_hash       char(64)    NOT NULL,
    -- AES-256-GCM: version byte, 12-byte nonce, ciphertext, 16-byte tag; the channel id is the
    -- associated data, so a ciphertext copied to another row does not decrypt.
    key_ciphertext bytea       NOT NULL,
    rotated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX stream_keys_key_hash ON stream_keys (key_hash);

-- One row per broadcast, written by its StreamGrain (which loads itself from here).
CREATE TABLE streams
(
    stream_id     uuid         NOT NULL PRIMARY KEY,
    channel_id    uuid         NOT NULL,
    title         varchar(140) NOT NULL,
    category_slug varchar(40) REFERENCES categories (slug),
    started_at    timestamptz  NOT NULL,
    ended_at      timestamptz,
    end_reason    varchar(40),
    peak_viewers  integer      NOT NULL DEFAULT 0,
    ingest        varchar(20)  NOT NULL,
    thumbnail_url text
);

CREATE INDEX streams_by_channel ON streams (channel_id, started_at DESC);
-- The streams still open: what a restarted silo must watch (or end) again.
CREATE INDEX streams_open ON streams (started_at) WHERE ended_at IS NULL;
