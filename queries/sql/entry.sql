-- name: coverage
-- Data entry per office and quarter of a year: indicators due, entered, missing, and values
-- corrected late (a new version registered more than $giorni days after the quarter ended).
WITH due AS (
    SELECT i.ufficio, i.codice FROM indicatori i
    WHERE i.ente = $ente AND i.codice IN (SELECT codice FROM indicatori_in_vigore($ente, $anno))
),
q AS (SELECT unnest([1, 2, 3, 4]) AS trimestre),
cur AS (
    SELECT indicatore, trimestre FROM misure_correnti
    WHERE ente = $ente AND anno = $anno AND ambito = 'trimestre'
),
late AS (
    SELECT indicatore, trimestre, count(*) AS n
    FROM misure
    WHERE ente = $ente AND anno = $anno AND ambito = 'trimestre' AND versione > 1
      AND registrato_il > last_day(make_date($anno, trimestre * 3, 1)) + to_days($giorni)
    GROUP BY indicatore, trimestre
)
SELECT d.ufficio, u.nome, q.trimestre, count(*) AS dovuti, count(c.indicatore) AS inseriti,
    count(*) - count(c.indicatore) AS mancanti, coalesce(sum(l.n), 0) AS correzioni_tardive,
    string_agg(d.codice, ', ' ORDER BY d.codice) FILTER (WHERE c.indicatore IS NULL) AS quali_mancano
FROM due d CROSS JOIN q
LEFT JOIN cur c ON c.indicatore = d.codice AND c.trimestre = q.trimestre
LEFT JOIN late l ON l.indicatore = d.codice AND l.trimestre = q.trimestre
LEFT JOIN uffici u ON u.ente = $ente AND u.codice = d.ufficio
GROUP BY d.ufficio, u.nome, q.trimestre
ORDER BY d.ufficio, q.trimestre;
