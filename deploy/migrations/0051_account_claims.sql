-- Drift between the account registry and user grains (issue 15). Registration claims the username
-- and e-mail here and then writes the user grain's state; a silo that stopped between the two left
-- both names claimed for good by an account that never existed. A claim is now pending until the
-- grain's state is written (confirmed_at). Someone who claims a name held by a pending claim older
-- than Accounts:PendingClaimTimeout asks that user grain: with no state, the claim is released.
ALTER TABLE accounts ADD COLUMN confirmed_at timestamptz;
-- Every account made before this has its user grain: their claims are confirmed.
UPDATE accounts SET confirmed_at = created_at;
CREATE INDEX accounts_pending ON accounts (created_at) WHERE confirmed_at IS NULL;
