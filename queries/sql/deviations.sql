-- name: required
-- The targets of a body that need an explanation at the end of quarter $trimestre of $anno (a_rischio in
-- the year; at year end, $trimestre = 4, parzialmente or non raggiunto), with the explanation in force.
WITH s AS (SELECT * FROM stato_target($anno, $trimestre) WHERE ente = $ente
           AND status IN ('a_rischio', 'parzialmente_raggiunto', 'non_raggiunto')),
e AS (
    SELECT * FROM spiegazioni WHERE ente = $ente AND anno = $anno AND trimestre = $trimestre
    QUALIFY row_number() OVER (PARTITION BY target, anno_da ORDER BY id DESC) = 1
)
SELECT s.area, s.obiettivo, s.target, s.anno_da, s.testo, s.indicatore, s.operatore, s.soglia, s.valore,
    s.grado, s.status, e.causa, e.azione, e.utente, e.quando
FROM s LEFT JOIN e ON e.target = s.target AND e.anno_da = s.anno_da
ORDER BY s.grado NULLS FIRST, s.target;

-- name: target_in_year
-- A target in force in $anno: its anno_da (NULL when it is not in force that year).
SELECT anno_da FROM target WHERE ente = $ente AND codice = $target AND $anno BETWEEN anno_da AND anno_a
ORDER BY anno_da DESC LIMIT 1;

-- name: target_offices
-- The offices whose indicators judge a target: who may explain it and attach its evidence.
SELECT DISTINCT i.ufficio FROM criteri c JOIN indicatori i ON i.ente = c.ente AND i.codice = c.indicatore
WHERE c.ente = $ente AND c.target = $target AND c.anno_da = $anno_da ORDER BY 1;

-- name: insert
-- An explanation of a deviation (append-only: the latest is in force).
INSERT INTO spiegazioni (ente, target, anno_da, anno, trimestre, causa, azione, utente, quando)
VALUES ($ente, $target, $anno_da, $anno, $trimestre, $causa, $azione, $utente, $quando);

-- name: history
-- Every explanation of a target in a year, latest first, with the quarter it refers to.
SELECT trimestre, causa, azione, utente, quando FROM spiegazioni
WHERE ente = $ente AND target = $target AND anno = $anno
ORDER BY id DESC;
