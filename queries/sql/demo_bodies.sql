-- name: next_lotto
-- The next batch number (init runs alone: no import runs beside it).
SELECT coalesce(max(id), 0) + 1 FROM lotti_record;

-- name: insert_lotto
-- The demo batch: its "file" names the generator, so every demo record points back to a labelled batch.
INSERT INTO lotti_record (id, ente, tipo, file, sha256, righe, utente, quando)
VALUES ($id, $ente, $tipo, $file, sha256($file), $righe, $utente, $quando);

-- name: demo_pratiche
-- Deterministic demo Registro Imprese practices of one body between $dal and $al (hashes of the row number):
-- $lav the spread of the working days (0 .. $lav-1), $quota_sosp the % suspended (1-9 days of suspension).
INSERT INTO pratiche (ente, protocollo, tipo, ufficio, data_arrivo, data_evasione, giorni_sospensione, lotto)
SELECT $ente, printf('%s-DEMO-%07d', $ente, i),
    ['iscrizione', 'modifica', 'deposito bilancio', 'cessazione'][(1 + h1 % 4)::BIGINT], 'RI',
    arrivo, arrivo + (lav + sosp)::INTEGER, sosp, $lotto
FROM (SELECT i, h1, ($dal::DATE + (h3 % (($al::DATE - $dal::DATE) - 20))::INTEGER) AS arrivo,
             (h1 // 7) % $lav AS lav, CASE WHEN h2 % 100 < $quota_sosp THEN (h3 // 11) % 9 + 1 ELSE 0 END AS sosp
      FROM (SELECT i, hash(i, $ente, 1) AS h1, hash(i, $ente, 2) AS h2, hash(i, $ente, 3) AS h3 FROM range($n) t(i)));

-- name: demo_questionari
-- Deterministic demo satisfaction questionnaires (scale 10) of one body: score $base .. $base + $ampiezza - 1.
INSERT INTO questionari (ente, data, sportello, punteggio, scala_max, lotto)
SELECT $ente, $dal::DATE + (h1 % ($al::DATE - $dal::DATE + 1))::INTEGER,
    $sportelli[(1 + h2 % len($sportelli))::BIGINT], $base + h3 % $ampiezza, 10, $lotto
FROM (SELECT hash(i, $ente, 4) AS h1, hash(i, $ente, 5) AS h2, hash(i, $ente, 6) AS h3 FROM range($n) t(i));

-- name: demo_fatture
-- Deterministic demo paid invoices of one body: due 30 days after the invoice, paid $min_giorni to
-- $min_giorni + $ampiezza - 1 days after it (so the ITP differs between bodies).
INSERT INTO fatture (ente, id_fattura, fornitore, data_fattura, data_scadenza, data_pagamento, importo_pagato, lotto)
SELECT $ente, printf('%s-FT-DEMO-%06d', $ente, i), printf('Fornitore dimostrativo %03d', h1 % 200),
    df, df + 30, df + ($min_giorni + h2 % $ampiezza)::INTEGER, 100 + (h3 % 2000000) / 100.0, $lotto
FROM (SELECT i, h2, h3, h1, $dal::DATE + (h1 % (($al::DATE - $dal::DATE) - 90))::INTEGER AS df
      FROM (SELECT i, hash(i, $ente, 7) AS h1, hash(i, $ente, 8) AS h2, hash(i, $ente, 9) AS h3 FROM range($n) t(i)));

-- name: insert_succession
-- A predecessor of a body, from the date of the act.
INSERT INTO successioni VALUES ($successore, $predecessore, $dal, $atto);

-- name: link_indicators
-- The successor's indicators linked to the predecessor's of the same code (the same definition in the demo plans).
INSERT INTO indicatori_successione
SELECT s.ente, s.codice, p.ente, p.codice
FROM indicatori s JOIN indicatori p ON p.codice = s.codice AND p.ente = $predecessore
WHERE s.ente = $successore;

-- name: has_body
-- Whether the body is already in the database (the demo bodies are loaded once).
SELECT count(*) > 0 FROM enti WHERE codice = $ente;
