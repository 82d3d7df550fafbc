-- Monetization: sponsorship plans, payments (transactions) with their history, the Stripe events
-- already applied, and who sponsors whom until when. Money is always integer minor units (cents,
-- kopiykas) in bigint columns, with a lower-case ISO 4217 currency beside it.

CREATE TABLE sponsorship_plans
(
    plan_id             uuid         NOT NULL PRIMARY KEY,
    seq                 bigserial    NOT NULL UNIQUE,
    channel_id          uuid         NOT NULL,
    title               varchar(60)  NOT NULL,
    description         varchar(500) NOT NULL,
    price               bigint       NOT NULL CHECK (price > 0),
    currency            varchar(3)   NOT NULL,
    -- Stripe prices are immutable: a new price or currency bumps the version and a new Stripe
    -- price is created (lazily, at the next checkout) under an idempotency key naming the version.
    price_version       integer      NOT NULL DEFAULT 1,
    stripe_product_id   text,
    stripe_product_name text,
    stripe_price_id     text,
    archived_at         timestamptz,
    created_at          timestamptz  NOT NULL,
    updated_at          timestamptz  NOT NULL
);

CREATE INDEX sponsorship_plans_by_channel ON sponsorship_plans (channel_id, seq);

-- One row per payment: the checkout (PENDING until Stripe says otherwise) and each renewal invoice.
CREATE TABLE transactions
(
    transaction_id             uuid        NOT NULL PRIMARY KEY,
    seq                        bigserial   NOT NULL UNIQUE,
    payer_id                   uuid        NOT NULL,
    channel_id                 uuid        NOT NULL,
    plan_id                    uuid        NOT NULL REFERENCES sponsorship_plans (plan_id),
    amount                     bigint      NOT NULL CHECK (amount >= 0),
    currency                   varchar(3)  NOT NULL,
    status                     varchar(10) NOT NULL CHECK (status IN ('PENDING', 'SUCCESS', 'FAILED', 'EXPIRED', 'REFUNDED')),
    stripe_checkout_session_id text        UNIQUE,
    checkout_url               text,
    checkout_expires_at        timestamptz,
    stripe_subscription_id     text,
    stripe_invoice_id          text        UNIQUE,
    stripe_payment_intent_id   text        UNIQUE,
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL
);

CREATE INDEX transactions_by_payer ON transactions (payer_id, seq);
CREATE INDEX transactions_by_channel ON transactions (channel_id, seq);
CREATE INDEX transactions_open_checkouts ON transactions (payer_id, plan_id) WHERE status = 'PENDING';

-- Every status change of a transaction, with the Stripe event that caused it (null for our own).
CREATE TABLE transaction_events
(
    id              bigserial   NOT NULL PRIMARY KEY,
    transaction_id  uuid        NOT NULL REFERENCES transactions (transaction_id),
    stripe_event_id text,
    event_type      text        NOT NULL,
    from_status     varchar(10),
    to_status       varchar(10) NOT NULL,
    created_at      timestamptz NOT NULL
);

CREATE INDEX transaction_events_by_transaction ON transaction_events (transaction_id, id);

-- Stripe events applied, inserted in the same database transaction as the change they made: a
-- second delivery (or a concurrent one on another node, which waits on the first's row lock)
-- finds the id and changes nothing. The channel and payer let a redelivery redo the in-memory
-- follow-ups (sponsor cache, expiry reminder) that a crash may have cut short.
CREATE TABLE stripe_events
(
    event_id    text        NOT NULL PRIMARY KEY,
    event_type  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    channel_id  uuid,
    payer_id    uuid
);

-- Who sponsors which channel: one row per pair, extended by each paid period. The paid period
-- runs to paid_until (the anchor plus whole periods, so monthly ends follow Stripe's billing
-- days); expires_at adds a grace while the subscription renews, so a renewal paid an hour after
-- the period end does not flicker the sponsor badge off.
CREATE TABLE sponsorships
(
    channel_id             uuid        NOT NULL,
    payer_id               uuid        NOT NULL,
    seq                    bigserial   NOT NULL UNIQUE,
    plan_id                uuid        NOT NULL REFERENCES sponsorship_plans (plan_id),
    status                 varchar(10) NOT NULL CHECK (status IN ('ACTIVE', 'EXPIRED', 'ENDED')),
    started_at             timestamptz NOT NULL,
    anchor_at              timestamptz NOT NULL,
    periods                integer     NOT NULL CHECK (periods > 0),
    paid_until             timestamptz NOT NULL,
    expires_at             timestamptz NOT NULL,
    auto_renew             boolean     NOT NULL,
    stripe_subscription_id text,
    ended_at               timestamptz,
    updated_at             timestamptz NOT NULL,
    PRIMARY KEY (channel_id, payer_id)
);

CREATE INDEX sponsorships_active_by_channel ON sponsorships (channel_id, seq) WHERE status = 'ACTIVE';
CREATE INDEX sponsorships_by_payer ON sponsorships (payer_id, seq);
CREATE INDEX sponsorships_by_subscription ON sponsorships (stripe_subscription_id);
