-- name: export
-- The whole file (tables, sequences with their next value, constraints) as Parquet files plus schema.sql and
-- load.sql, run by duckdb 2.0 on the old file. DuckDB parses no parameter here: run through Query.inline.
EXPORT DATABASE $folder (FORMAT parquet);

-- name: import
-- The exported folder into the new file, run by the product's duckdb (1.5.5) on a file with no tables yet.
-- Through Query.inline, as export.
IMPORT DATABASE $folder;

-- name: tables
-- The tables of the open file, in name order (their row counts are compared before and after).
SELECT table_name FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name;

-- name: row_count
-- The rows of one table, named as a value (query_table), not written into the SQL.
SELECT count(*) FROM query_table($tabella);

-- name: checkpoint
-- The imported rows written into the file itself before it is closed (no write-ahead log left beside it).
CHECKPOINT;
