-- name: next_version
-- The number the body's next plan version takes.
SELECT coalesce(max(versione), 0) + 1 FROM piano_versioni WHERE ente = $ente;

-- name: ente_exists
-- A body is known when the plan tables hold it or a version (even a draft) was loaded for it.
SELECT EXISTS (SELECT 1 FROM enti WHERE codice = $ente) OR EXISTS (SELECT 1 FROM piano_versioni WHERE ente = $ente);

-- name: insert_version
-- A new version of a body's plan, a draft unless adopted in the same transaction.
INSERT INTO piano_versioni (ente, versione, stato, atto, data_atto, in_vigore_dal, caricato_da, caricato_il, sha256, origine)
VALUES ($ente, $versione, 'bozza', $atto, $data_atto, $in_vigore_dal, $utente, $quando, $sha256, $origine);

-- name: insert_content
-- One sheet of a version, as a JSON array of its rows.
INSERT INTO piano_contenuti VALUES ($ente, $versione, $foglio, $righe);

-- name: content
-- Every sheet of a version.
SELECT foglio, righe FROM piano_contenuti WHERE ente = $ente AND versione = $versione;

-- name: version
-- One version with its act, dates and who loaded and adopted it.
SELECT ente, versione, stato, atto, data_atto, in_vigore_dal, caricato_da, caricato_il, adottato_da, adottato_il,
       sha256, origine
FROM piano_versioni WHERE ente = $ente AND versione = $versione;

-- name: versions
-- Every version of a body (every body when $ente is NULL), with whether it is the one the plan tables hold.
WITH corrente AS (
    SELECT ente, arg_max(versione, strftime(in_vigore_dal, '%Y-%m-%d') || lpad(versione::VARCHAR, 9, '0')) AS versione
    FROM piano_versioni WHERE stato = 'adottato' GROUP BY ente
)
SELECT v.ente, v.versione, v.stato, v.atto, v.data_atto, v.in_vigore_dal, v.caricato_da, v.caricato_il,
       v.adottato_da, v.adottato_il, v.sha256, v.origine, (c.versione IS NOT NULL) AS in_vigore
FROM piano_versioni v LEFT JOIN corrente c ON c.ente = v.ente AND c.versione = v.versione
WHERE $ente IS NULL OR v.ente = $ente
ORDER BY v.ente, v.versione;

-- name: current_version
-- The adopted version the plan tables hold: the latest in force (ties: the later version).
SELECT arg_max(versione, strftime(in_vigore_dal, '%Y-%m-%d') || lpad(versione::VARCHAR, 9, '0'))
FROM piano_versioni WHERE ente = $ente AND stato = 'adottato';

-- name: adopt
-- A draft becomes the adopted version, with its act and the date it is in force from.
UPDATE piano_versioni
SET stato = 'adottato', atto = $atto, data_atto = $data_atto, in_vigore_dal = $in_vigore_dal,
    adottato_da = $utente, adottato_il = $quando
WHERE ente = $ente AND versione = $versione;

-- name: smvp_default
-- A new body gets the default SMVP bands, until it sets its own.
INSERT INTO smvp (ente) SELECT $ente WHERE $ente NOT IN (SELECT ente FROM smvp);
