-- Notifications (issue 7): producers record events as jobs; a background processor expands each job
-- into per-recipient notifications (in-app rows) and outbox rows (e-mail, Telegram) in one
-- transaction per batch; a dispatcher delivers the outbox. All state lives here, so nothing is lost
-- on a restart, and several silos share the work through SELECT ... FOR UPDATE SKIP LOCKED.

CREATE TABLE notification_jobs
(
    id              bigserial   NOT NULL PRIMARY KEY,
    kind            varchar(32) NOT NULL,
    payload         jsonb       NOT NULL,           -- the event as published
    content         jsonb,                          -- names resolved once, when expansion starts
    at              timestamptz NOT NULL,           -- when the event happened
    created_at      timestamptz NOT NULL DEFAULT now(),
    cursor          bigint      NOT NULL DEFAULT 0, -- fan-out: the last follows.seq expanded
    batches         integer     NOT NULL DEFAULT 0,
    recipients      integer     NOT NULL DEFAULT 0,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    done_at         timestamptz,
    failed          boolean     NOT NULL DEFAULT false
);

CREATE INDEX notification_jobs_due ON notification_jobs (next_attempt_at, id) WHERE done_at IS NULL;

-- One row per recipient of a job who wants it over any medium; in_app says whether the inbox shows it.
CREATE TABLE notifications
(
    id         bigserial   NOT NULL PRIMARY KEY,
    user_id    uuid        NOT NULL,
    job_id     bigint      NOT NULL REFERENCES notification_jobs (id) ON DELETE CASCADE,
    kind       varchar(32) NOT NULL,
    in_app     boolean     NOT NULL,
    created_at timestamptz NOT NULL,
    read_at    timestamptz,
    UNIQUE (job_id, user_id)
);

CREATE INDEX notifications_inbox ON notifications (user_id, id DESC) WHERE in_app;
CREATE INDEX notifications_unread ON notifications (user_id) WHERE in_app AND read_at IS NULL;

-- What to deliver outside the app. (notification_id, medium) is unique, so a notification is
-- queued at most once per medium however often its job is retried.
CREATE TABLE notification_outbox
(
    id              bigserial   NOT NULL PRIMARY KEY,
    notification_id bigint      NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    medium          varchar(16) NOT NULL CHECK (medium IN ('email', 'telegram')),
    user_id         uuid        NOT NULL,
    status          varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'skipped')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    UNIQUE (notification_id, medium)
);

CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at, id) WHERE status = 'pending';

-- Per user and kind; no row means the defaults (NotificationDefaults in the code), which the
-- fan-out passes into its SQL.
CREATE TABLE notification_settings
(
    user_id    uuid        NOT NULL,
    kind       varchar(32) NOT NULL,
    in_app     boolean     NOT NULL,
    email      boolean     NOT NULL,
    telegram   boolean     NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, kind)
);

-- One Telegram chat per account and one account per chat.
CREATE TABLE telegram_links
(
    user_id           uuid        NOT NULL PRIMARY KEY,
    chat_id           bigint      NOT NULL UNIQUE,
    telegram_username varchar(64),
    linked_at         timestamptz NOT NULL DEFAULT now()
);

-- One-time deep-link tokens, stored as SHA-256 only.
CREATE TABLE telegram_link_tokens
(
    token_hash char(64)    NOT NULL PRIMARY KEY,
    user_id    uuid        NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE INDEX telegram_link_tokens_user ON telegram_link_tokens (user_id);
