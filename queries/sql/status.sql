-- name: target
-- Status of every target in force in $anno as of quarter $trimestre (4 = year end).
SELECT * FROM stato_target($anno, $trimestre)
WHERE $ente IS NULL OR ente = $ente
ORDER BY ente, obiettivo, target;

-- name: obiettivo
-- Status of every objective with targets in $anno.
SELECT * FROM stato_obiettivi($anno, $trimestre)
WHERE $ente IS NULL OR ente = $ente
ORDER BY ente, obiettivo;

-- name: area
-- Status of every strategic area.
SELECT * FROM stato_aree($anno, $trimestre)
WHERE $ente IS NULL OR ente = $ente
ORDER BY ente, area;

-- name: ente
-- Status of every body.
SELECT * FROM stato_enti($anno, $trimestre)
WHERE $ente IS NULL OR ente = $ente
ORDER BY ente;

-- name: latest_period
-- The latest quarter with any quarterly value: the dashboard's default period.
SELECT anno, trimestre FROM misure_correnti
WHERE ambito = 'trimestre' AND ($ente IS NULL OR ente = $ente)
ORDER BY anno DESC, trimestre DESC
LIMIT 1;
