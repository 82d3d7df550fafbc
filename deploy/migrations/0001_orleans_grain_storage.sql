-- Grain state for Microsoft.Orleans.Persistence.AdoNet.
--
-- The provider knows nothing of our tables: at start-up it reads the rows of OrleansQuery and runs
-- the SQL found under three keys, binding these parameters by name:
--   @GrainIdHash int, @GrainIdN0 bigint, @GrainIdN1 bigint, @GrainTypeHash int,
--   @GrainTypeString text, @GrainIdExtensionString text (null for plain keys), @ServiceId text,
--   @GrainStateVersion int (null when the grain never read a stored row), @PayloadBinary bytea.
-- ReadFromStorageKey must return columns named PayloadBinary and Version;
-- WriteToStorageKey returns NewGrainStateVersion, which must differ from @GrainStateVersion on
-- success (returning it unchanged tells Orleans the write lost an optimistic-concurrency race);
-- ClearStorageKey returns the new version in its first column.

CREATE TABLE orleans_query
(
    query_key  varchar(64)   NOT NULL PRIMARY KEY,
    query_text varchar(8000) NOT NULL
);

-- The provider queries "OrleansQuery" with columns "QueryKey"/"QueryText"; unquoted identifiers
-- fold to lower case in PostgreSQL, so a view gives it those names over our snake_case table.
CREATE VIEW orleansquery AS SELECT query_key AS querykey, query_text AS querytext FROM orleans_query;

CREATE TABLE orleans_storage
(
    service_id                varchar(150) NOT NULL,
    grain_type_string         varchar(512) NOT NULL,
    grain_type_hash           integer      NOT NULL,
    grain_id_hash             integer      NOT NULL,
    grain_id_n0               bigint       NOT NULL,
    grain_id_n1               bigint       NOT NULL,
    -- '' rather than NULL for keys without a string part, so the unique index covers every grain.
    grain_id_extension_string varchar(512) NOT NULL DEFAULT '',
    payload_binary            bytea,
    modified_on               timestamptz  NOT NULL DEFAULT now(),
    version                   integer      NOT NULL,
    CONSTRAINT orleans_storage_pk PRIMARY KEY
        (grain_id_hash, grain_type_hash, service_id, grain_type_string, grain_id_n0, grain_id_n1, grain_id_extension_string)
);

CREATE FUNCTION orleans_write_state(
    _grain_id_hash integer, _grain_id_n0 bigint, _grain_id_n1 bigint, _grain_type_hash integer,
    _grain_type_string varchar, _grain_id_extension_string varchar, _service_id varchar,
    _expected_version integer, _payload bytea)
    RETURNS integer
    LANGUAGE plpgsql
AS $$
DECLARE
    _new_version integer;
BEGIN
    IF _expected_version IS NULL THEN
        -- First write of this grain: exactly one concurrent activation may create the row.
        INSERT INTO orleans_storage (service_id, grain_type_string, grain_type_hash, grain_id_hash,
                                     grain_id_n0, grain_id_n1, grain_id_extension_string,
                                     payload_binary, version)
        VALUES (_service_id, _grain_type_string, _grain_type_hash, _grain_id_hash,
                _grain_id_n0, _grain_id_n1, coalesce(_grain_id_extension_string, ''), _payload, 1)
        ON CONFLICT DO NOTHING
        RETURNING version INTO _new_version;
    ELSE
        UPDATE orleans_storage
           SET payload_binary = _payload, version = version + 1, modified_on = now()
         WHERE grain_id_hash = _grain_id_hash AND grain_type_hash = _grain_type_hash
           AND service_id = _service_id AND grain_type_string = _grain_type_string
           AND grain_id_n0 = _grain_id_n0 AND grain_id_n1 = _grain_id_n1
           AND grain_id_extension_string = coalesce(_grain_id_extension_string, '')
           AND version = _expected_version
        RETURNING version INTO _new_version;
    END IF;
    -- Unchanged version = conflict; Orleans raises InconsistentStateException and the grain re-reads.
    RETURN coalesce(_new_version, _expected_version);
END
$$;

INSERT INTO orleans_query (query_key, query_text) VALUES
('WriteToStorageKey', '
SELECT orleans_write_state(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                           @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary)
       AS NewGrainStateVersion'),
('ReadFromStorageKey', '
SELECT payload_binary AS PayloadBinary, version AS Version
  FROM orleans_storage
 WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
   AND service_id = @ServiceId AND grain_type_string = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_extension_string = coalesce(@GrainIdExtensionString, '''')'),
('ClearStorageKey', '
UPDATE orleans_storage
   SET payload_binary = NULL, version = version + 1, modified_on = now()
 WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
   AND service_id = @ServiceId AND grain_type_string = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_extension_string = coalesce(@GrainIdExtensionString, '''')
   AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion');
