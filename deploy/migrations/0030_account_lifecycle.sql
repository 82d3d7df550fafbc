-- Account lifecycle: username changes, deactivation and deletion.

-- A name an account gave up (by a rename or its deletion) stays reserved until reserved_until, so
-- nobody else can take it at once and pose as its previous owner; the account that gave it up
-- may take it back. Registrations and renames check it under an advisory lock on the name.
CREATE TABLE username_reservations
(
    username       varchar(25) NOT NULL,
    user_id        uuid        NOT NULL,
    reserved_until timestamptz NOT NULL
);

CREATE UNIQUE INDEX username_reservations_key ON username_reservations (lower(username));

-- A deactivated account's channel is left out of search and the live directory until its owner
-- signs in again (or the account is deleted, with the row).
ALTER TABLE channels ADD COLUMN hidden boolean NOT NULL DEFAULT false;
