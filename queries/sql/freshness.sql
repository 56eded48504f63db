-- name: data_version
-- Changes whenever anything is written: the key of the page caches. Every write of the product is
-- audited in its own transaction (a value, a plan edit in place, a verdict, a quarter), so the last
-- audit row moves with it; the counts catch the loads that bring their own rows (plan, evidence).
-- One aggregate per table under UNION ALL, not ten scalar subqueries: DuckDB planned those as a chain of
-- cross products, 100-200 ms on a loaded machine where this takes 10-30 ms, and every page run asks it.
SELECT string_agg(coalesce(v, -1)::VARCHAR, '/' ORDER BY k) FROM (
    SELECT 1 AS k, max(id) AS v FROM audit
    UNION ALL SELECT 2, max(id) FROM misure
    UNION ALL SELECT 3, count(*) FROM target
    UNION ALL SELECT 4, count(*) FROM criteri
    UNION ALL SELECT 5, count(*) FROM evidenze
    UNION ALL SELECT 6, count(*) FROM segnalazioni
    UNION ALL SELECT 7, count(*) FROM budget
    UNION ALL SELECT 8, count(*) FROM eventi_obiettivi
    UNION ALL SELECT 9, count(*) FROM periodi
    UNION ALL SELECT 10, count(*) FROM verdetti
    -- Every raw-records batch, counted: on PostgreSQL ids come from sequences, drawn before commit, so a batch
    -- (and its audit row) committed after a later-drawn id moves no max(id); the count always moves.
    UNION ALL SELECT 11, count(*) FROM lotti_record
    -- On PostgreSQL an audit row or a value whose id was drawn before a later one's but committed after it
    -- moves no max(id): the rows of the last 10.000 ids, counted, move when it lands (a late commit's id is
    -- recent; an index range on PostgreSQL, a few zones of the file).
    UNION ALL SELECT 12, count(*) FROM audit WHERE id > (SELECT max(id) FROM audit) - 10000
    UNION ALL SELECT 13, count(*) FROM misure WHERE id > (SELECT max(id) FROM misure) - 10000
);

-- name: data_version_postgres
-- The same version on the shared store, computed inside PostgreSQL: through the attach DuckDB scanned the
-- audit trail's and the values' ids to find their max (0,77 s per page run with 500.000 audit rows and
-- 200.000 values, on a loaded machine), where PostgreSQL reads it from the primary key's index (a few ms).
-- The same aggregates, in PostgreSQL's SQL (the only query written twice: it runs on every page run).
SELECT * FROM postgres_query('cruscotto', '
    SELECT string_agg(coalesce(v, -1)::text, ''/'' ORDER BY k) FROM (
        SELECT 1 AS k, max(id) AS v FROM audit
        UNION ALL SELECT 2, max(id) FROM misure
        UNION ALL SELECT 3, count(*) FROM target
        UNION ALL SELECT 4, count(*) FROM criteri
        UNION ALL SELECT 5, count(*) FROM evidenze
        UNION ALL SELECT 6, count(*) FROM segnalazioni
        UNION ALL SELECT 7, count(*) FROM budget
        UNION ALL SELECT 8, count(*) FROM eventi_obiettivi
        UNION ALL SELECT 9, count(*) FROM periodi
        UNION ALL SELECT 10, count(*) FROM verdetti
        UNION ALL SELECT 11, count(*) FROM lotti_record
        UNION ALL SELECT 12, count(*) FROM audit WHERE id > (SELECT max(id) FROM audit) - 10000
        UNION ALL SELECT 13, count(*) FROM misure WHERE id > (SELECT max(id) FROM misure) - 10000
    ) versioni');
