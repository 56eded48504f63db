-- name: versions
-- Every published version of one figure set, oldest first.
SELECT versione, righe, origine, avvisi, quando, motivo FROM pubblicazioni
WHERE ente = $ente AND dato = $dato AND anno = $anno AND trimestre = $trimestre ORDER BY versione;

-- name: insert
-- One published version.
INSERT INTO pubblicazioni (ente, dato, anno, trimestre, versione, righe, origine, avvisi, utente, quando, motivo)
VALUES ($ente, $dato, $anno, $trimestre, $versione, $righe, $origine, $avvisi, $utente, $quando, $motivo);

-- name: published
-- What is published for a body, each figure set with its latest version, its first publication and how many
-- versions it has: the public page reads this and nothing else.
WITH v AS (
    SELECT *, row_number() OVER (w ORDER BY versione DESC) AS dall_ultimo,
        first_value(righe) OVER (w ORDER BY versione) AS righe_prima, first_value(quando) OVER (w ORDER BY versione) AS quando_prima
    FROM pubblicazioni WHERE ente = $ente
    WINDOW w AS (PARTITION BY dato, anno, trimestre)
)
SELECT dato, anno, trimestre, versione, righe, origine, avvisi, quando, motivo, righe_prima, quando_prima
FROM v WHERE dall_ultimo = 1 ORDER BY dato, anno, trimestre;

-- name: bodies
-- The bodies with anything published, with their public names.
SELECT DISTINCT p.ente, coalesce(e.nome, p.ente) AS nome FROM pubblicazioni p LEFT JOIN enti e ON e.codice = p.ente ORDER BY 2;

-- name: itp_manual
-- The ITP indicator's values entered by hand (no raw invoices behind them) for a year: quarter (0 = the year,
-- entered as the year to date at the fourth quarter), value, demo.
SELECT CASE ambito WHEN 'progressivo' THEN 0 ELSE trimestre END AS trimestre, valore, demo FROM misure_correnti
WHERE ente = $ente AND indicatore = 'ITP' AND anno = $anno AND valore IS NOT NULL
  AND (ambito = 'trimestre' OR (ambito = 'progressivo' AND trimestre = 4))
ORDER BY 1;
