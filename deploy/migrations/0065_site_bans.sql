-- Site-wide bans (issue 17, item 7): operators ban an account from the whole platform.
-- One row per account ever banned; the ban is in force while lifted_at is null. The row is the
-- durable fact, written before any effect (sessions revoked, chat refused, stream ended);
-- effects_applied says whether every effect of the row's current state has run, so a ban or
-- unban cut short by a silo that died is finished by the sweep (SiteBanSweep) on any silo.
CREATE TABLE site_bans
(
    user_id         uuid         NOT NULL PRIMARY KEY,
    reason          varchar(500) NOT NULL,
    banned_by       uuid         NOT NULL,
    banned_at       timestamptz  NOT NULL,
    lifted_by       uuid,
    lifted_at       timestamptz,
    effects_applied boolean      NOT NULL DEFAULT false,
    -- Changes with every ban and unban: marking the effects applied names the change they were for.
    changed_at      timestamptz  NOT NULL
);

-- The operators' list (newest first) and each silo's set of banned accounts.
CREATE INDEX site_bans_in_force ON site_bans (banned_at DESC, user_id DESC) WHERE lifted_at IS NULL;
-- What the sweep looks for: nearly always empty.
CREATE INDEX site_bans_pending ON site_bans (changed_at) WHERE NOT effects_applied;

-- Who banned or unbanned whom, when and why; never updated or deleted.
CREATE TABLE site_ban_audit
(
    id       bigserial    NOT NULL PRIMARY KEY,
    user_id  uuid         NOT NULL,
    action   varchar(10)  NOT NULL CHECK (action IN ('BAN', 'UNBAN')),
    actor_id uuid         NOT NULL,
    reason   varchar(500),
    at       timestamptz  NOT NULL
);

CREATE INDEX site_ban_audit_by_user ON site_ban_audit (user_id, id DESC);
