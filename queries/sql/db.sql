-- name: attach
-- The database file, attached to an in-memory host with 16.384-row row groups (DuckDB's default: 122.880).
-- A bulk insert of at least one row group is written straight into the file by its own thread; a smaller one
-- goes through the write-ahead log, whose commit holds DuckDB's transaction lock (so every other import waits)
-- and whose rows the checkpoint writes a second time. At 16.384 a typical raw-records file takes the direct
-- road: this alone took the national import of benchmarks/bench_records.py from ~0,70 to ~0,88 M rows/s.
-- DuckDB 1.5 parses no parameter here: run it through Query.inline (the path as a quoted string literal).
ATTACH $path AS cruscotto (ROW_GROUP_SIZE 16384);

-- name: load_postgres
-- DuckDB's postgres extension, from the file its wheel installs (never downloaded; autoload is off). LOAD takes
-- no parameter: run with Query.inline.
LOAD $path;

-- name: attach_postgres
-- The shared store: a PostgreSQL database attached as `cruscotto` (run with Query.inline, like attach).
ATTACH $url AS cruscotto (TYPE postgres);

-- name: detach
-- The shared store let go of by the DuckDB instance kept for the next store (db.close; the anchor never USEs it).
DETACH cruscotto;

-- name: detach_copy
-- The store's copy of the raw records let go of with it (db.close): the instance kept for the next store must not
-- offer that store this one's copy (batch ids start at 1 in every store, so the check could not tell them apart).
DETACH DATABASE IF EXISTS copia;

-- name: use
-- Work in the attached file: every cursor starts on the host's empty catalog.
USE cruscotto;

-- name: use_memory
-- The shared store's views and macros are created in the host's in-memory catalog (db._shared_objects).
USE memory;

-- name: search_memory_first
-- While creating them: new objects go to memory.main, and their bodies bind against the store's tables
-- (PostgreSQL's default schema, public, which the attach always uses).
SET search_path = 'memory.main,cruscotto.public';

-- name: search_store_first
-- A cursor of the shared store: the store's tables first, then the host's views and macros (memory.main).
SET search_path = 'cruscotto.public,memory.main';

-- name: attached
-- Whether this connection has the file attached (a private in-memory database has not).
SELECT count(*) > 0 FROM duckdb_databases() WHERE database_name = 'cruscotto';

-- name: checkpoint_threshold
-- Checkpoint when the write-ahead log reaches 256 MB rather than 16 MB: a bulk import of raw records
-- otherwise checkpoints every few files, each time rewriting the tables' last row groups. The log is as
-- durable; only a restart after a crash replays more of it.
SET checkpoint_threshold = '256MB';

-- name: columns_of
-- The columns of one of our tables, with type and default (to give a version table its source's new columns).
SELECT column_name, data_type, column_default FROM duckdb_columns()
WHERE table_name = $t AND database_name = current_database() ORDER BY column_index;

-- name: roles_check
-- The CHECK on utenti.ruolo of this file (files from before the office head's role do not allow it).
SELECT string_agg(constraint_text, ' ') FROM duckdb_constraints()
WHERE table_name = 'utenti' AND constraint_type = 'CHECK' AND database_name = current_database();

-- name: criteri_versioni_ordine
-- Upgrade of older files: the versions' conditions get their place as DuckDB stored them (criteri_ordine).
UPDATE criteri_versioni SET ordine = rowid WHERE ordine IS NULL;

-- name: users_keep
-- Upgrade: the accounts, kept aside while utenti is rebuilt with the wider CHECK (DuckDB cannot alter one).
CREATE TEMP TABLE utenti_prima AS SELECT * FROM utenti;

-- name: users_drop
-- Upgrade: the old utenti table, after its rows were kept aside.
DROP TABLE utenti;

-- name: users_restore
-- Upgrade: the accounts back into the rebuilt utenti, column by name.
INSERT INTO utenti BY NAME SELECT * FROM utenti_prima;

-- name: users_kept_drop
-- Upgrade: the copy is no longer needed.
DROP TABLE utenti_prima;

-- name: store_type
-- The kind of database this connection works on: 'postgres' for the shared store, else DuckDB's own.
SELECT coalesce((SELECT type FROM duckdb_databases() WHERE database_name = 'cruscotto'), 'duckdb');

-- name: next_id
-- A new id from one of the schema's sequences (a DuckDB file or an in-memory database).
SELECT nextval($seq);

-- name: next_id_postgres
-- A new id from the schema's sequence inside PostgreSQL (DuckDB cannot reach PostgreSQL's sequences itself).
SELECT * FROM postgres_query('cruscotto', 'SELECT nextval(''' || $seq || ''')');

-- name: postgres_execute
-- A statement run inside PostgreSQL as it is (the schema's sequences and the ids' defaults, which DuckDB's
-- CREATE TABLE cannot express there).
CALL postgres_execute('cruscotto', $sql);

-- name: schema_lock
-- The schema step's lock on the shared store (a PostgreSQL advisory lock, any fixed key, held until the end of
-- the transaction that takes it): two processes starting at once on a new database run the DDL one at a time.
CALL postgres_execute('cruscotto', 'SELECT pg_advisory_xact_lock(17017017)');

-- name: postgres_record_indexes
-- The shared store only: an index on each record table's batch, which every import reads back inside its
-- transaction (the fast path's checks, the quarters it touches, the desks, the invoices it supersedes). Without it
-- each of those was a scan of the whole table inside PostgreSQL, at every import, growing with the store. On
-- `ente COLLATE "C"` because DuckDB sends the body's filter with that collation. None on the file: DuckDB's zone maps
-- find a batch there, and its ART indexes would cost every insert (benchmarks/bench_records.py, README).
CALL postgres_execute('cruscotto', 'CREATE INDEX IF NOT EXISTS pratiche_ente_lotto ON pratiche (ente COLLATE "C", lotto); CREATE INDEX IF NOT EXISTS questionari_ente_lotto ON questionari (ente COLLATE "C", lotto); CREATE INDEX IF NOT EXISTS fatture_ente_lotto ON fatture (ente COLLATE "C", lotto)');

-- name: postgres_clear_cache
-- After DDL run inside PostgreSQL: DuckDB reads the tables' columns again.
CALL pg_clear_cache();

-- name: postgres_schema_hash
-- The schema's hash the shared store was last brought to (NULL on a new database).
SELECT * FROM postgres_query('cruscotto', 'SELECT max(hash) FROM versione_schema');

-- name: store_path
-- The address (or file) attached as cruscotto: the key of this store's local copy of the raw records.
SELECT path FROM duckdb_databases() WHERE database_name = 'cruscotto';

-- name: records_batches
-- The raw records' batches (id, body, kind): what db.local_records' copy is of. Every import adds one in the
-- transaction that writes its records (and, for invoices, marks the body's older unpaid rows it supersedes); a
-- refused import adds none; batches are never deleted.
SELECT id, ente, tipo FROM cruscotto.lotti_record;

-- name: attach_copy
-- The process's copy of the raw records (db.local_records): an in-memory database of the host, so every cursor
-- of the process reads it, each in a transaction of its own (DuckDB's MVCC: a refresh never changes a running read).
-- COMPRESS: DuckDB keeps an in-memory database uncompressed unless told; compressed, the copy of a national year
-- is scanned faster (tempi_ri 0,73 s -> 0,57-0,70 s).
ATTACH IF NOT EXISTS ':memory:' AS copia (COMPRESS);

-- name: search_copy_first
-- A reader of the copy: the copied record tables first, then the store's tables, then the host's views and macros
-- (whose bodies resolve `pratiche` & co. on this path when the query runs).
SET search_path = 'copia.main,cruscotto.public,memory.main';

-- name: rules_for_copy_read
-- The bodies' ITP rules for one read of the copy: into the reader's temporary schema, which DuckDB searches first,
-- in the read's PostgreSQL snapshot. Joined through the attach with the copy's invoices (fatture_itp), this table
-- of a few rows made DuckDB materialize every invoice first: a national year's ITP took 1,31 s, 0,77 s with it local.
CREATE OR REPLACE TEMP TABLE regole_itp AS SELECT * FROM cruscotto.regole_itp;

-- name: copied_batches
-- The batches the copy holds, as the reader's transaction sees it (written with the copy, in one transaction).
SELECT id FROM copia.main.lotti_copiati;

-- name: copy_made
-- Whether the copy exists yet in the reader's transaction (the first refresh creates its tables).
SELECT count(*) > 0 FROM duckdb_tables() WHERE database_name = 'copia' AND table_name = 'lotti_copiati';

-- name: copy_batches_clear
-- The copy's list of batches, emptied before it is written again (same transaction as the copy).
CREATE OR REPLACE TABLE copia.main.lotti_copiati (id BIGINT);

-- name: copy_batches_write
-- The batches the copy now holds (the ids listed in the refresh's own PostgreSQL snapshot).
INSERT INTO copia.main.lotti_copiati SELECT unnest($ids::BIGINT[]);

-- name: copy_checkpoint
-- After a refresh: the copy's deleted rows dropped and its row groups compressed (an in-memory database is never
-- checkpointed by itself: without this every body copied again stays in memory twice).
CHECKPOINT copia;

-- name: copy_pratiche
-- The shared store's practices copied whole into the process's copy (db.local_records).
CREATE OR REPLACE TABLE copia.main.pratiche AS SELECT * FROM cruscotto.pratiche;

-- name: copy_questionari
-- The shared store's questionnaires, copied the same way.
CREATE OR REPLACE TABLE copia.main.questionari AS SELECT * FROM cruscotto.questionari;

-- name: copy_fatture
-- The shared store's invoices, copied the same way.
CREATE OR REPLACE TABLE copia.main.fatture AS SELECT * FROM cruscotto.fatture;

-- name: drop_body_pratiche
-- One body's pratiche out of the copy, to be copied again (a new batch of that body and kind).
DELETE FROM copia.main.pratiche WHERE ente = $ente;

-- name: copy_body_pratiche
-- One body's pratiche copied again into the copy (the filter on the body runs inside PostgreSQL).
INSERT INTO copia.main.pratiche SELECT * FROM cruscotto.pratiche WHERE ente = $ente;

-- name: drop_body_questionari
-- One body's questionari out of the copy, to be copied again (a new batch of that body and kind).
DELETE FROM copia.main.questionari WHERE ente = $ente;

-- name: copy_body_questionari
-- One body's questionari copied again into the copy (the filter on the body runs inside PostgreSQL).
INSERT INTO copia.main.questionari SELECT * FROM cruscotto.questionari WHERE ente = $ente;

-- name: drop_body_fatture
-- One body's fatture out of the copy, to be copied again (a new batch of that body and kind).
DELETE FROM copia.main.fatture WHERE ente = $ente;

-- name: copy_body_fatture
-- One body's fatture copied again into the copy (the filter on the body runs inside PostgreSQL).
INSERT INTO copia.main.fatture SELECT * FROM cruscotto.fatture WHERE ente = $ente;
