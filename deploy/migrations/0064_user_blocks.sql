-- User blocks (issue 17): any signed-in user can block another. The blocked user's chat messages
-- are hidden for the blocker on both chat transports, and the blocked user cannot follow or
-- sponsor the blocker. Read whole when the blocker's grain activates (bounded by
-- Accounts:MaxBlockedUsers), and paged newest first for the settings page.
CREATE TABLE user_blocks
(
    user_id         uuid        NOT NULL,
    blocked_user_id uuid        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, blocked_user_id)
);

CREATE INDEX user_blocks_newest ON user_blocks (user_id, created_at DESC, blocked_user_id);
-- Account deletion removes the rows that name the deleted account on either side.
CREATE INDEX user_blocks_by_blocked ON user_blocks (blocked_user_id);
