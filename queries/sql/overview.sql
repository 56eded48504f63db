-- name: target_offices
-- Per target in force in $anno as of quarter $trimestre: the offices responsible for its indicators, by name
-- (code when the office has no name), joined with ", " in code order; and its conditions as "op soglia unità".
SELECT c.target, c.anno_da,
    string_agg(DISTINCT coalesce(u.nome, i.ufficio), ', ' ORDER BY coalesce(u.nome, i.ufficio)) AS uffici
FROM criteri_in_vigore($anno, $trimestre) c
JOIN indicatori i ON i.ente = c.ente AND i.codice = c.indicatore
LEFT JOIN uffici u ON u.ente = i.ente AND u.codice = i.ufficio
WHERE c.ente = $ente
GROUP BY c.target, c.anno_da
ORDER BY c.target;

-- name: late_offices
-- Offices that have not entered every indicator due in the quarter, with the missing indicators by name
-- (the Cruscotto's list of who is late; names, because the Segretario does not read indicator codes).
WITH due AS (
    SELECT i.ufficio, i.codice, i.nome FROM indicatori i
    WHERE i.ente = $ente AND i.codice IN (SELECT codice FROM indicatori_in_vigore($ente, $anno))
),
entered AS (
    SELECT DISTINCT indicatore FROM misure_correnti
    WHERE ente = $ente AND anno = $anno AND trimestre = $trimestre AND ambito = 'trimestre'
)
SELECT d.ufficio, coalesce(u.nome, d.ufficio) AS nome, count(*) AS indicatori,
    count(*) FILTER (WHERE e.indicatore IS NULL) AS mancanti,
    string_agg(d.nome, '; ' ORDER BY d.codice) FILTER (WHERE e.indicatore IS NULL) AS indicatori_mancanti
FROM due d
LEFT JOIN entered e ON e.indicatore = d.codice
LEFT JOIN uffici u ON u.ente = $ente AND u.codice = d.ufficio
GROUP BY d.ufficio, u.nome
HAVING count(*) FILTER (WHERE e.indicatore IS NULL) > 0
ORDER BY mancanti DESC, nome;
