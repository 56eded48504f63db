-- name: current_versions
-- The version in force of each (indicator, quarter) of a body, for the rows about to be written.
SELECT indicatore, anno, trimestre, versione, valore, numeratore, denominatore, note, utente, registrato_il
FROM misure_correnti
WHERE ente = $ente AND ambito = 'trimestre';

-- name: insert_version
-- Append one version of a quarterly value; earlier versions are never touched.
INSERT INTO misure (ente, indicatore, anno, trimestre, ambito, valore, numeratore, denominatore,
                    note, fonte, demo, versione, utente, registrato_il, motivo)
VALUES ($ente, $indicatore, $anno, $trimestre, 'trimestre', $valore, $numeratore, $denominatore,
        $note, $fonte, $demo, $versione, $utente, $registrato_il, $motivo);

-- name: insert_versions
-- Append many versions in one statement ($rows: a list of structs with the columns below).
INSERT INTO misure (ente, indicatore, anno, trimestre, ambito, valore, numeratore, denominatore,
                    note, fonte, demo, versione, utente, registrato_il, motivo)
SELECT r.ente, r.indicatore, r.anno, r.trimestre, 'trimestre', r.valore, r.numeratore, r.denominatore,
    r.note, r.fonte, r.demo, r.versione, r.utente, r.registrato_il, r.motivo
FROM (SELECT unnest($rows) AS r);

-- name: history
-- Every version of every value of an indicator, oldest first within each period.
SELECT m.anno, m.trimestre, m.ambito, m.versione, m.valore, m.numeratore, m.denominatore, m.note,
    m.fonte, m.demo, m.utente, m.registrato_il, m.motivo,
    m.versione = max(m.versione) OVER (PARTITION BY m.anno, m.trimestre, m.ambito) AS in_vigore
FROM misure m
WHERE m.ente = $ente AND m.indicatore = $indicatore
ORDER BY m.anno, m.trimestre, m.ambito, m.versione;

-- name: indicator
SELECT codice, nome, unita, ufficio, aggregazione, fattore, proiezione, scala_min, scala_max
FROM indicatori WHERE ente = $ente AND codice = $codice;

-- name: indicators_of_body
SELECT codice, nome, unita, ufficio, aggregazione, fattore, proiezione, scala_min, scala_max
FROM indicatori WHERE ente = $ente ORDER BY codice;

-- name: template_rows
-- The office's indicators with the last value entered, as a guide for the person filling the template.
WITH last AS (
    SELECT indicatore, arg_max(valore, anno * 10 + trimestre) AS ultimo_valore,
        max(anno * 10 + trimestre) AS ultimo_periodo
    FROM misure_correnti WHERE ente = $ente
    GROUP BY indicatore
)
SELECT i.codice, i.nome, i.unita, i.aggregazione, l.ultimo_valore,
    l.ultimo_periodo // 10 AS ultimo_anno, l.ultimo_periodo % 10 AS ultimo_trimestre
FROM indicatori i LEFT JOIN last l ON l.indicatore = i.codice
WHERE i.ente = $ente AND i.ufficio = $ufficio
    AND i.codice IN (SELECT codice FROM indicatori_in_vigore($ente, $anno))
ORDER BY i.codice;

-- name: in_force
-- The indicators measured in a year: those of targets in force, plus the context indicators.
SELECT codice FROM indicatori_in_vigore($ente, $anno) ORDER BY codice;
