-- name: current_versions
-- The version in force of each (indicator, quarter) of a body, for the rows about to be written.
SELECT indicatore, anno, trimestre, versione, valore, numeratore, denominatore, note, utente, registrato_il
FROM misure_correnti
WHERE ente = $ente AND ambito = 'trimestre';

-- name: insert_versions
-- Append many versions in one statement ($rows: a list of structs with the columns below).
INSERT INTO misure (ente, indicatore, anno, trimestre, ambito, valore, numeratore, denominatore,
                    note, fonte, demo, versione, utente, registrato_il, motivo, da_approvare)
SELECT r.ente, r.indicatore, r.anno, r.trimestre, 'trimestre', r.valore, r.numeratore, r.denominatore,
    r.note, r.fonte, r.demo, r.versione, r.utente, r.registrato_il, r.motivo, r.da_approvare
FROM (SELECT unnest($rows) AS r);

-- name: history
-- Every version of every value of an indicator, oldest first within each period.
SELECT m.anno, m.trimestre, m.ambito, m.versione, m.valore, m.numeratore, m.denominatore, m.note,
    m.fonte, m.demo, m.utente, m.registrato_il, m.motivo,
    m.versione = max(m.versione) OVER (PARTITION BY m.anno, m.trimestre, m.ambito) AS in_vigore
FROM misure m
WHERE m.ente = $ente AND m.indicatore = $indicatore
ORDER BY m.anno, m.trimestre, m.ambito, m.versione;

-- name: indicators_of_body
-- Every indicator of a body with the rule that makes its year, its factor, projection and scale.
SELECT codice, nome, unita, ufficio, aggregazione, fattore, proiezione, scala_min, scala_max
FROM indicatori WHERE ente = $ente ORDER BY codice;
