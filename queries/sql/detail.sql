-- name: target
-- One target with its objective and area, for the detail view.
SELECT t.ente, t.codice, t.anno_da, t.anno_a, t.testo, t.peso, t.obiettivo, o.titolo AS obiettivo_titolo,
    o.area, a.nome AS area_nome
FROM target t
JOIN obiettivi o ON o.ente = t.ente AND o.codice = t.obiettivo
JOIN aree a ON a.ente = o.ente AND a.codice = o.area
WHERE t.ente = $ente AND t.codice = $codice AND $anno BETWEEN t.anno_da AND t.anno_a;

-- name: criteria
-- The conditions of a target in force in year $anno (threshold and scoring rule) with their
-- indicator, unit and responsible office.
SELECT c.indicatore, i.nome AS indicatore_nome, i.unita, i.aggregazione, i.fattore, c.tipo, c.operatore, c.soglia,
    c.regola, c.valore_base, i.ufficio, u.nome AS ufficio_nome
FROM criteri_in_vigore($anno, $trimestre) c
JOIN indicatori i ON i.ente = c.ente AND i.codice = c.indicatore
LEFT JOIN uffici u ON u.ente = i.ente AND u.codice = i.ufficio
WHERE c.ente = $ente AND c.target = $codice AND c.anno_da = $anno_da
ORDER BY c.indicatore;

-- name: quarters
-- Values in force of an indicator for a year up to a quarter, and for the whole year before (for the chart).
SELECT anno, trimestre, ambito, valore, numeratore, denominatore, demo, utente, registrato_il, versione
FROM misure_correnti
WHERE ente = $ente AND indicatore = $indicatore AND anno IN ($anno, $anno - 1)
    AND (anno < $anno OR trimestre <= $trimestre)
ORDER BY anno, trimestre;

-- name: evidence
-- The narrative evidence of a target, by period.
SELECT anno, trimestre, testo, fonte, utente, registrato_il
FROM evidenze WHERE ente = $ente AND target = $codice AND anno_da = $anno_da
ORDER BY anno, trimestre;

-- name: projects
-- The projects of an objective with their office and cost centre names.
SELECT p.codice, p.titolo, u.nome AS ufficio, p.cdc || ' ' || c.nome AS cdc
FROM progetti p
LEFT JOIN uffici u ON u.ente = p.ente AND u.codice = p.ufficio
LEFT JOIN cdc c ON c.ente = p.ente AND c.codice = p.cdc
WHERE p.ente = $ente AND p.obiettivo = $obiettivo
ORDER BY p.codice;

-- name: budget
-- The budget lines of an objective, by year.
SELECT anno, oneri, ricavi, contributi, investimenti
FROM budget WHERE ente = $ente AND obiettivo = $obiettivo ORDER BY anno;

-- name: events
-- The life of an objective (modified, proposed for elimination, eliminated) with act and date.
SELECT tipo, data, atto, nota FROM eventi_obiettivi
WHERE ente = $ente AND obiettivo = $obiettivo ORDER BY data;

-- name: late_offices
-- Offices that have not entered every indicator they are responsible for in the quarter.
WITH due AS (
    SELECT i.ufficio, i.codice FROM indicatori i
    WHERE i.ente = $ente AND i.codice IN (SELECT codice FROM indicatori_in_vigore($ente, $anno))
),
entered AS (
    SELECT DISTINCT indicatore FROM misure_correnti
    WHERE ente = $ente AND anno = $anno AND trimestre = $trimestre AND ambito = 'trimestre'
)
SELECT d.ufficio, u.nome, count(*) AS indicatori, count(*) FILTER (WHERE e.indicatore IS NULL) AS mancanti,
    string_agg(d.codice, ', ' ORDER BY d.codice) FILTER (WHERE e.indicatore IS NULL) AS indicatori_mancanti
FROM due d
LEFT JOIN entered e ON e.indicatore = d.codice
LEFT JOIN uffici u ON u.ente = $ente AND u.codice = d.ufficio
GROUP BY d.ufficio, u.nome
HAVING count(*) FILTER (WHERE e.indicatore IS NULL) > 0
ORDER BY mancanti DESC, d.ufficio;

-- name: threshold_history
-- The condition of a target on one indicator in each adopted plan version, with the act and the day it is in
-- force from, oldest first: which threshold applied when, and why it changed (for the target detail and the OIV).
SELECT v.versione, v.atto, v.in_vigore_dal, c.anno, c.operatore, c.soglia, c.regola, c.valore_base
FROM criteri_versioni c
JOIN piano_versioni v ON v.ente = c.ente AND v.versione = c.versione AND v.stato = 'adottato'
WHERE c.ente = $ente AND c.target = $codice AND c.anno_da = $anno_da AND c.indicatore = $indicatore
ORDER BY v.in_vigore_dal, v.versione, c.anno NULLS FIRST;
