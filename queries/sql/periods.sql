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

-- name: insert
-- A quarter closed or reopened (append-only: the latest row is the state).
INSERT INTO periodi (ente, anno, trimestre, stato, utente, quando, motivo)
VALUES ($ente, $anno, $trimestre, $stato, $utente, $quando, $motivo);
