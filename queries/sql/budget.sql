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
-- The years with a budget for the body, newest first.
SELECT DISTINCT anno FROM budget WHERE ente = $ente ORDER BY anno DESC;

-- name: printed_check
-- Printed totals next to the totals recomputed from the objectives' budget lines.
-- costi_esterni in the area summaries counts investments inside external costs.
WITH per_obj AS (
    SELECT b.ente, b.anno, b.obiettivo, o.area, b.oneri, b.investimenti, b.ricavi + b.contributi AS ricavi_contributi
    FROM budget b JOIN obiettivi o ON o.ente = b.ente AND o.codice = b.obiettivo
    WHERE $ente IS NULL OR b.ente = $ente  -- one body's check need not recompute every body's totals
),
computed AS (
    SELECT ente, anno, 'obiettivo' AS livello, obiettivo AS codice, v.voce, v.importo
    FROM per_obj, LATERAL (VALUES ('oneri', oneri), ('investimenti', investimenti),
        ('ricavi_contributi', ricavi_contributi), ('costi_esterni', oneri + investimenti)) v(voce, importo)
    UNION ALL
    SELECT ente, anno, 'area', area, v.voce, v.importo
    FROM (SELECT ente, anno, area, sum(oneri) oneri, sum(investimenti) investimenti, sum(ricavi_contributi) ricavi_contributi
          FROM per_obj GROUP BY ALL),
        LATERAL (VALUES ('oneri', oneri), ('investimenti', investimenti),
        ('ricavi_contributi', ricavi_contributi), ('costi_esterni', oneri + investimenti)) v(voce, importo)
    UNION ALL
    SELECT ente, anno, 'ente', ente, v.voce, v.importo
    FROM (SELECT ente, anno, sum(oneri) oneri, sum(investimenti) investimenti, sum(ricavi_contributi) ricavi_contributi
          FROM per_obj GROUP BY ALL),
        LATERAL (VALUES ('oneri', oneri), ('investimenti', investimenti),
        ('ricavi_contributi', ricavi_contributi), ('costi_esterni', oneri + investimenti)) v(voce, importo)
)
SELECT s.ente, s.livello, s.codice, s.anno, s.voce, s.testo, s.importo AS stampato, c.importo AS calcolato,
    c.importo IS NOT DISTINCT FROM s.importo AS coincide
FROM budget_stampa s
LEFT JOIN computed c ON c.ente = s.ente AND c.anno = s.anno AND c.livello = s.livello
    AND c.codice = s.codice AND c.voce = s.voce
WHERE $ente IS NULL OR s.ente = $ente
ORDER BY s.livello, s.codice, s.voce;
