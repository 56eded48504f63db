-- name: data_version
-- Changes whenever anything is written: the key of the page caches. Every write of the product is
-- audited in its own transaction (a value, a plan edit in place, a verdict, a quarter), so the last
-- audit row moves with it; the counts catch the loads that bring their own rows (plan, evidence).
SELECT concat_ws('/', (SELECT max(id) FROM audit), (SELECT max(id) FROM misure), (SELECT count(*) FROM target),
    (SELECT count(*) FROM criteri), (SELECT count(*) FROM evidenze), (SELECT count(*) FROM segnalazioni),
    (SELECT count(*) FROM budget), (SELECT count(*) FROM eventi_obiettivi), (SELECT count(*) FROM periodi),
    (SELECT count(*) FROM verdetti));
