-- name: years
SELECT DISTINCT y.anno FROM target t, LATERAL (SELECT unnest(range(t.anno_da, t.anno_a + 1)) AS anno) y
WHERE t.ente = $ente ORDER BY y.anno DESC;
