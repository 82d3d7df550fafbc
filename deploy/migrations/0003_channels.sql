-- Channels: the directory projection that ChannelGrains write through on every change, so that
-- search, sorting and paging run in PostgreSQL while single-channel reads come from grain memory.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE categories
(
    slug       varchar(40)  NOT NULL PRIMARY KEY,
    name_en    varchar(60)  NOT NULL,
    name_uk    varchar(60)  NOT NULL,
    sort_order integer      NOT NULL
);

INSERT INTO categories (slug, name_en, name_uk, sort_order) VALUES
    ('just-chatting', 'Just Chatting', 'Просто спілкування', 10),
    ('games', 'Games', 'Ігри', 20),
    ('esports', 'Esports', 'Кіберспорт', 30),
    ('music', 'Music', 'Музика', 40),
    ('art', 'Art', 'Мистецтво', 50),
    ('irl', 'IRL', 'Реальне життя', 60),
    ('science-tech', 'Science & Technology', 'Наука і технології', 70),
    ('software-dev', 'Software Development', 'Розробка ПЗ', 80),
    ('education', 'Education', 'Освіта', 90),
    ('sports', 'Sports', 'Спорт', 100);

CREATE TABLE channels
(
    channel_id     uuid         NOT NULL PRIMARY KEY,
    username       varchar(25)  NOT NULL,
    display_name   varchar(40)  NOT NULL,
    avatar_url     text,
    follower_count integer      NOT NULL DEFAULT 0,
    verified       boolean      NOT NULL DEFAULT false,
    is_live        boolean      NOT NULL DEFAULT false,
    viewer_count   integer      NOT NULL DEFAULT 0,
    stream_title   varchar(140),
    category_slug  varchar(40) REFERENCES categories (slug),
    created_at     timestamptz  NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX channels_username_key ON channels (lower(username));
CREATE INDEX channels_username_trgm ON channels USING gin (lower(username) gin_trgm_ops);
CREATE INDEX channels_display_name_trgm ON channels USING gin (lower(display_name) gin_trgm_ops);
CREATE INDEX channels_live ON channels (viewer_count DESC, channel_id) WHERE is_live;

-- Who follows whom. The bigserial gives keyset pagination a strictly increasing key, so pages stay
-- stable while new follows arrive (they land before the first page, never inside a later one).
CREATE TABLE follows
(
    seq         bigserial   NOT NULL UNIQUE,
    channel_id  uuid        NOT NULL,
    follower_id uuid        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel_id, follower_id)
);

CREATE INDEX follows_by_follower ON follows (follower_id, seq);
CREATE INDEX follows_by_channel ON follows (channel_id, seq);
