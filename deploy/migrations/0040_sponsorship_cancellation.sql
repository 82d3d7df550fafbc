-- Sponsors turn renewal off (and on again) themselves, and a deleted account's subscriptions end.

-- Stripe subscriptions that will never charge again: Stripe reported them deleted
-- (customer.subscription.deleted, or a cancel that found them gone), or we cancelled them at once
-- because the payer's or the channel's account was deleted. Account deletion skips the ones listed
-- here when it runs again, a resume is refused for them, and a payment of one of them that arrives
-- late (webhooks come in any order) adds no renewal grace, or, for ACCOUNT_DELETED, no period at all.
CREATE TABLE ended_subscriptions
(
    subscription_id text        NOT NULL PRIMARY KEY,
    reason          varchar(20) NOT NULL CHECK (reason IN ('STRIPE', 'ACCOUNT_DELETED')),
    ended_at        timestamptz NOT NULL
);

-- Every subscription an account pays or is paid by, found through its payments.
CREATE INDEX transactions_by_subscription ON transactions (stripe_subscription_id) WHERE stripe_subscription_id IS NOT NULL;
