-- name: rows
-- The PIAO's section 2.2 "Performance": for each target in force in the three years from $anno, its area,
-- objective, indicator, responsible office and the expected value in each of the three years (blank in a
-- year the target does not cover). Eliminated objectives are left out: they are not programmed.
WITH anni AS (SELECT unnest([$anno, $anno + 1, $anno + 2]) AS anno),
righe AS (
    SELECT t.ente, a.codice AS area, a.nome AS area_nome, o.codice AS obiettivo, o.titolo AS obiettivo_titolo,
        t.codice AS target, t.testo, t.anno_da, c.indicatore, i.nome AS indicatore_nome, i.unita,
        i.ufficio, u.nome AS ufficio_nome, y.anno, c.operatore, c.soglia
    FROM target t
    JOIN obiettivi o ON o.ente = t.ente AND o.codice = t.obiettivo
    JOIN aree a ON a.ente = o.ente AND a.codice = o.area
    JOIN criteri c ON c.ente = t.ente AND c.target = t.codice AND c.anno_da = t.anno_da
    JOIN indicatori i ON i.ente = c.ente AND i.codice = c.indicatore
    LEFT JOIN uffici u ON u.ente = i.ente AND u.codice = i.ufficio
    JOIN anni y ON y.anno BETWEEN t.anno_da AND t.anno_a
    WHERE t.ente = $ente
      AND NOT EXISTS (SELECT 1 FROM eventi_obiettivi e
                      WHERE e.ente = o.ente AND e.obiettivo = o.codice AND e.tipo = 'eliminato' AND year(e.data) <= $anno)
)
SELECT area, area_nome, obiettivo, obiettivo_titolo, target, testo, indicatore, indicatore_nome, unita, ufficio,
    ufficio_nome,
    max(CASE WHEN anno = $anno THEN operatore END) AS operatore_1, max(CASE WHEN anno = $anno THEN soglia END) AS soglia_1,
    max(CASE WHEN anno = $anno + 1 THEN operatore END) AS operatore_2, max(CASE WHEN anno = $anno + 1 THEN soglia END) AS soglia_2,
    max(CASE WHEN anno = $anno + 2 THEN operatore END) AS operatore_3, max(CASE WHEN anno = $anno + 2 THEN soglia END) AS soglia_3
FROM righe
GROUP BY ALL
ORDER BY area, obiettivo, target, indicatore;
