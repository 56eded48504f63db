-- name: plan_loaded
-- Whether init has loaded the seed already (a second init changes nothing).
SELECT count(*) FROM meta WHERE chiave = 'piano_caricato';

-- name: results
-- The results the document reports, as measurements of their period (version 1, not demo).
INSERT INTO misure (ente, indicatore, anno, trimestre, ambito, valore, numeratore, denominatore,
                    note, fonte, demo, versione, utente, registrato_il)
SELECT ente, indicatore, anno::INT, trimestre::INT, ambito, valore::DOUBLE, numeratore::DOUBLE,
       denominatore::DOUBLE, note, fonte, false, 1, $utente, $quando
FROM read_csv($path, header = true, all_varchar = true);

-- name: evidence
-- The narrative results of the 2018-2019 targets, as evidence.
INSERT INTO evidenze (ente, target, anno_da, anno, trimestre, testo, fonte, utente, registrato_il)
SELECT ente, target, anno_da::INT, anno::INT, trimestre::INT, testo, fonte, $utente, $quando
FROM read_csv($path, header = true, all_varchar = true);

-- name: document_warnings
-- The document's inconsistencies that no check can compute.
INSERT INTO segnalazioni SELECT ente, 'documento', oggetto, descrizione
FROM read_csv($path, header = true, all_varchar = true);

-- name: mark_loaded
-- init has loaded the seed.
INSERT INTO meta VALUES ('piano_caricato', $quando);
