-- name: attach
-- The database file, attached to an in-memory host with 16.384-row row groups (see dashboard/core/db.py).
ATTACH $path AS cruscotto (ROW_GROUP_SIZE 16384);

-- name: use
-- Work in the attached file: every cursor starts on the host's empty catalog.
USE cruscotto;

-- name: attached
-- Whether this connection has the file attached (a private in-memory database has not).
SELECT count(*) > 0 FROM duckdb_databases() WHERE database_name = 'cruscotto';

-- name: checkpoint_threshold
-- Checkpoint when the write-ahead log reaches 256 MB rather than 16 MB: a bulk import of raw records
-- otherwise checkpoints every few files, each time rewriting the tables' last row groups. The log is as
-- durable; only a restart after a crash replays more of it.
SET checkpoint_threshold = '256MB';
