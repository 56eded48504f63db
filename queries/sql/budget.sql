-- name: by_objective
-- The year's budget lines per objective, with the objective's area and status.
SELECT o.area, a.nome AS area_nome, b.obiettivo, o.titolo, b.oneri, b.ricavi, b.contributi, b.investimenti,
    b.anno_testo
FROM budget b
JOIN obiettivi o ON o.ente = b.ente AND o.codice = b.obiettivo
JOIN aree a ON a.ente = o.ente AND a.codice = o.area
WHERE b.ente = $ente AND b.anno = $anno
ORDER BY b.obiettivo;

-- name: years
SELECT DISTINCT anno FROM budget WHERE ente = $ente ORDER BY anno DESC;
