-- name: state
-- Each quarter's latest open/close record for a body.
SELECT anno, trimestre, arg_max(stato, quando) AS stato, arg_max(utente, quando) AS utente,
    max(quando) AS quando, arg_max(motivo, quando) AS motivo
FROM periodi WHERE ente = $ente
GROUP BY anno, trimestre
ORDER BY anno, trimestre;

-- name: plan_years
-- The years with targets in force for the body, oldest first.
SELECT DISTINCT y.anno FROM target t, LATERAL (SELECT unnest(range(t.anno_da, t.anno_a + 1)) AS anno) y
WHERE t.ente = $ente ORDER BY y.anno;

-- name: collection
-- Per quarter of the body's plan years: how many indicators were due (those in force that year,
-- as the late-offices list counts them) and how many have a quarterly value, and whether the quarter
-- is closed. The default period is chosen from these (periods.default_period).
WITH q AS (
    SELECT y.anno, tr.trimestre
    FROM (SELECT DISTINCT unnest(range(t.anno_da, t.anno_a + 1)) AS anno FROM target t WHERE t.ente = $ente) y,
        (SELECT unnest(range(1, 5)) AS trimestre) tr
),
due AS (
    SELECT q.anno, count(*) AS dovuti FROM (SELECT DISTINCT anno FROM q) q, indicatori_in_vigore($ente, q.anno) i
    GROUP BY q.anno
),
entered AS (
    SELECT m.anno, m.trimestre, count(DISTINCT m.indicatore) AS inseriti
    FROM misure_correnti m
    WHERE m.ente = $ente AND m.ambito = 'trimestre'
        AND m.indicatore IN (SELECT codice FROM indicatori_in_vigore($ente, m.anno))
    GROUP BY m.anno, m.trimestre
),
state AS (
    SELECT anno, trimestre, arg_max(stato, quando) AS stato FROM periodi WHERE ente = $ente GROUP BY anno, trimestre
)
SELECT q.anno, q.trimestre, coalesce(due.dovuti, 0) AS dovuti, coalesce(e.inseriti, 0) AS inseriti,
    coalesce(s.stato = 'chiuso', false) AS chiuso
FROM q
LEFT JOIN due ON due.anno = q.anno
LEFT JOIN entered e ON e.anno = q.anno AND e.trimestre = q.trimestre
LEFT JOIN state s ON s.anno = q.anno AND s.trimestre = q.trimestre
ORDER BY q.anno, q.trimestre;

-- name: insert
-- A quarter closed or reopened (append-only: the latest row is the state).
INSERT INTO periodi (ente, anno, trimestre, stato, utente, quando, motivo)
VALUES ($ente, $anno, $trimestre, $stato, $utente, $quando, $motivo);

-- name: office_years
-- The years in which some target in force is judged by an indicator of one of the offices (what they
-- must measure), or, with no offices given, by any indicator of the body; oldest first.
SELECT DISTINCT y.anno
FROM target t
JOIN criteri c ON c.ente = t.ente AND c.target = t.codice AND c.anno_da = t.anno_da
JOIN indicatori i ON i.ente = c.ente AND i.codice = c.indicatore,
    LATERAL (SELECT unnest(range(t.anno_da, t.anno_a + 1)) AS anno) y
WHERE t.ente = $ente AND (len($uffici) = 0 OR list_contains($uffici, i.ufficio))
ORDER BY y.anno;

-- name: needed_indicators
-- The indicators measured in year $anno: those judging a target in force that year, and the context
-- indicators judging no target (indicatori_in_vigore).
SELECT codice FROM indicatori_in_vigore($ente, $anno);

-- name: deadline_days
-- The body's data deadline: days after a quarter's end (promemoria_config.giorni_scadenza; default 20).
SELECT coalesce(max(giorni_scadenza), 20) FROM promemoria_config WHERE ente = $ente;

-- name: set_deadline_days
-- The body's data deadline changed (the reminders' other setting keeps its value, or its default, 10, named here:
-- DuckDB's upsert through the PostgreSQL attach sends NULL for a column left out, not the column's default).
INSERT INTO promemoria_config (ente, giorni_scadenza, giorni_sollecito) VALUES ($ente, $giorni, 10)
ON CONFLICT (ente) DO UPDATE SET giorni_scadenza = excluded.giorni_scadenza;
