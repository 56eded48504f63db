-- name: state
-- The approval state of the version in force of one value (quarterly), with the latest decision.
SELECT versione, valore, numeratore, denominatore, utente, registrato_il, da_approvare, stato_approvazione,
    motivo_decisione, deciso_da, deciso_il
FROM misure_stato
WHERE ente = $ente AND indicatore = $indicatore AND anno = $anno AND trimestre = $trimestre AND ambito = 'trimestre'
ORDER BY versione DESC
LIMIT 1;

-- name: insert
-- A decision on one version: approvato, or restituito with the reason (append-only).
INSERT INTO approvazioni (ente, indicatore, anno, trimestre, ambito, versione, esito, motivo, utente, quando)
VALUES ($ente, $indicatore, $anno, $trimestre, 'trimestre', $versione, $esito, $motivo, $utente, $quando);

-- name: pending
-- The values in force that are not approved (provvisorio or restituito), with their office; $anno NULL: every year.
-- The version in force is found first, then its state tested (an older returned version under an approved
-- correction is history, not pending).
WITH cur AS (
    SELECT * FROM misure_stato
    WHERE ente = $ente AND ambito = 'trimestre' AND ($anno IS NULL OR anno = $anno)
    QUALIFY row_number() OVER (PARTITION BY indicatore, anno, trimestre ORDER BY versione DESC) = 1
)
SELECT s.indicatore, i.nome, i.unita, i.ufficio, s.anno, s.trimestre, s.versione, s.valore, s.numeratore,
    s.denominatore, s.note, s.motivo, s.utente, s.registrato_il, s.stato_approvazione, s.motivo_decisione,
    s.deciso_da, s.deciso_il
FROM cur s
JOIN indicatori i ON i.ente = s.ente AND i.codice = s.indicatore
WHERE s.stato_approvazione <> 'approvato'
ORDER BY i.ufficio, s.indicatore, s.anno, s.trimestre;

-- name: history
-- Every version of every quarterly value of an indicator with every decision on it, oldest first (the OIV's view).
SELECT m.anno, m.trimestre, m.versione, m.valore, m.utente, m.registrato_il, m.motivo, m.da_approvare,
    a.esito, a.motivo AS motivo_decisione, a.utente AS deciso_da, a.quando AS deciso_il
FROM misure m
LEFT JOIN approvazioni a ON a.ente = m.ente AND a.indicatore = m.indicatore AND a.anno = m.anno
    AND a.trimestre = m.trimestre AND a.ambito = m.ambito AND a.versione = m.versione
WHERE m.ente = $ente AND m.indicatore = $indicatore AND m.ambito = 'trimestre'
ORDER BY m.anno, m.trimestre, m.versione, a.id;

-- name: provisional_count
-- How many values in force of a year are not approved (closing the year for validation needs none).
SELECT count(*) FROM (
    SELECT stato_approvazione FROM misure_stato
    WHERE ente = $ente AND anno = $anno AND ambito = 'trimestre'
    QUALIFY row_number() OVER (PARTITION BY indicatore, trimestre ORDER BY versione DESC) = 1
) WHERE stato_approvazione <> 'approvato';
