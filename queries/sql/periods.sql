-- name: state
-- Each quarter's latest open/close record for a body.
SELECT anno, trimestre, arg_max(stato, quando) AS stato, arg_max(utente, quando) AS utente,
    max(quando) AS quando, arg_max(motivo, quando) AS motivo
FROM periodi WHERE ente = $ente
GROUP BY anno, trimestre
ORDER BY anno, trimestre;

-- name: insert
-- A quarter closed or reopened (append-only: the latest row is the state).
INSERT INTO periodi (ente, anno, trimestre, stato, utente, quando, motivo)
VALUES ($ente, $anno, $trimestre, $stato, $utente, $quando, $motivo);
