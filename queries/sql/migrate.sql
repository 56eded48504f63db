-- name: attach_source
-- The DuckDB file to copy, beside the shared store, read only (run with Query.inline: ATTACH takes no parameter).
ATTACH $path AS sorgente (READ_ONLY);

-- name: detach_source
-- The file let go of once copied and checked.
DETACH sorgente;

-- name: source_tables
-- The tables of the file, in name order (the store's own bookkeeping table is not among them).
SELECT table_name FROM duckdb_tables() WHERE database_name = 'sorgente' AND NOT temporary ORDER BY table_name;

-- name: target_tables
-- The tables the shared store has.
SELECT table_name FROM duckdb_tables() WHERE database_name = 'cruscotto';

-- name: source_columns
-- A table's columns in the file, in their order (the content hash reads them in this order on both sides).
SELECT column_name FROM duckdb_columns() WHERE database_name = 'sorgente' AND table_name = $t ORDER BY column_index;
