-- The account registry: the one place where usernames and e-mail addresses are claimed, so that
-- uniqueness holds across silos. Everything else about an account lives in its UserGrain.
CREATE TABLE accounts
(
    user_id    uuid        NOT NULL PRIMARY KEY,
    username   varchar(25) NOT NULL,
    email      varchar(254) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Case-insensitive uniqueness: "Alice" and "alice" are the same name, as are e-mail addresses.
CREATE UNIQUE INDEX accounts_username_key ON accounts (lower(username));
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));
