-- name: cases
-- The indicators every chamber shares, from the raw records, as summed numerators and denominators per body
-- and quarter, and for the year (trimestre NULL): tempo_ri (net processing days / practices), quota_sospese
-- (suspended practices x 100 / practices), soddisfazione (scores in tenths / questionnaires), itp (days late x
-- amount / amount, as fatture_itp reads the invoices). Bodies: $enti; or, with $successore, the successor's
-- predecessors pooled under the successor's code: the consolidated figure is the sum of their numerators over
-- the sum of their denominators, never an average of their averages.
WITH scelti AS (
    SELECT e AS ente, e AS gruppo FROM unnest($enti::VARCHAR[]) t(e) WHERE $successore::VARCHAR IS NULL
    UNION ALL
    SELECT predecessore, successore FROM successioni WHERE successore = $successore::VARCHAR
),
pr AS (
    SELECT s.gruppo AS ente, trimestre_di(p.data_evasione) AS trimestre, count(*) AS n,
        sum((p.data_evasione - p.data_arrivo) - p.giorni_sospensione) AS netti,
        count(*) FILTER (WHERE p.giorni_sospensione > 0) AS sospese
    FROM pratiche p JOIN scelti s ON s.ente = p.ente
    WHERE p.data_evasione BETWEEN make_date($anno, 1, 1) AND make_date($anno, 12, 31)
    GROUP BY ALL
),
qu AS (
    SELECT s.gruppo AS ente, trimestre_di(q.data) AS trimestre, count(*) AS n, sum(q.punteggio * 10.0 / q.scala_max) AS punti
    FROM questionari q JOIN scelti s ON s.ente = q.ente
    WHERE q.data BETWEEN make_date($anno, 1, 1) AND make_date($anno, 12, 31)
    GROUP BY ALL
),
fa AS (
    SELECT s.gruppo AS ente, trimestre_di(f.data_pagamento) AS trimestre,
        sum((f.data_pagamento - f.scadenza_itp) * f.importo_itp)::DOUBLE AS giorni_importo,
        sum(f.importo_itp)::DOUBLE AS importo
    FROM fatture_itp() f JOIN scelti s ON s.ente = f.ente
    WHERE f.data_pagamento BETWEEN make_date($anno, 1, 1) AND make_date($anno, 12, 31)
    GROUP BY ALL
),
righe AS (
    SELECT ente, trimestre, 'tempo_ri' AS indicatore, netti::DOUBLE AS numeratore, n::DOUBLE AS denominatore FROM pr
    UNION ALL SELECT ente, trimestre, 'quota_sospese', sospese * 100.0, n::DOUBLE FROM pr
    UNION ALL SELECT ente, trimestre, 'soddisfazione', punti, n::DOUBLE FROM qu
    UNION ALL SELECT ente, trimestre, 'itp', giorni_importo, importo FROM fa
)
SELECT ente, indicatore, trimestre, sum(numeratore) AS numeratore, sum(denominatore) AS denominatore,
    sum(numeratore) / nullif(sum(denominatore), 0) AS valore
FROM righe
GROUP BY GROUPING SETS ((ente, indicatore, trimestre), (ente, indicatore))
ORDER BY ente, indicatore, trimestre NULLS FIRST;

-- name: successions
-- Every merger: the successor, its predecessors, from when and by which act.
SELECT s.successore, s.predecessore, s.dal, s.atto, e.nome AS nome_predecessore
FROM successioni s LEFT JOIN enti e ON e.codice = s.predecessore
ORDER BY s.successore, s.predecessore;

-- name: budget
-- Budget of the successor's predecessors for a year, each body's totals and, as the consolidated row
-- (ente = the successor), their sum: amounts consolidate by sum.
WITH b AS (
    SELECT b.ente, sum(b.oneri) AS oneri, sum(b.ricavi) AS ricavi, sum(b.contributi) AS contributi,
        sum(b.investimenti) AS investimenti
    FROM budget b JOIN successioni s ON s.predecessore = b.ente AND s.successore = $successore
    WHERE b.anno = $anno
    GROUP BY b.ente
)
SELECT ente, false AS consolidato, oneri, ricavi, contributi, investimenti FROM b
UNION ALL
SELECT $successore, true, sum(oneri), sum(ricavi), sum(contributi), sum(investimenti) FROM b HAVING count(*) > 0
ORDER BY consolidato, ente;

-- name: linked_series
-- A successor's plan indicator and the predecessors' indicators linked to it (indicatori_successione): every
-- body's quarterly values in force, with numerator and denominator where the indicator is computed from cases,
-- and how many predecessors are linked (a quarter is consolidated only when all of them have it).
SELECT m.ente, m.indicatore, m.anno, m.trimestre, m.valore, m.numeratore, m.denominatore, m.demo, i.fattore,
    (SELECT count(*) FROM indicatori_successione l WHERE l.successore = $successore AND l.indicatore = $indicatore)
        AS predecessori
FROM misure_correnti m
JOIN indicatori i ON i.ente = m.ente AND i.codice = m.indicatore
WHERE (m.ente = $successore AND m.indicatore = $indicatore)
   OR EXISTS (SELECT 1 FROM indicatori_successione l WHERE l.successore = $successore AND l.indicatore = $indicatore
              AND l.predecessore = m.ente AND l.indicatore_predecessore = m.indicatore)
ORDER BY m.anno, m.trimestre, m.ente;

-- name: demo_bodies
-- The bodies whose raw records include generated demo batches (lotti of the demo user), among $enti.
SELECT DISTINCT ente FROM lotti_record WHERE utente = $utente AND list_contains($enti::VARCHAR[], ente) ORDER BY ente;

-- name: body_names
-- Code and name of the bodies among $enti.
SELECT codice, coalesce(nome_breve, nome) AS nome_breve, nome FROM enti WHERE list_contains($enti::VARCHAR[], codice) ORDER BY codice;

-- name: years
-- The years with raw records (practices completed, questionnaires, invoices paid) of any of $enti, latest first,
-- each with how many of $enti have records in it (the page opens on the latest year with two or more).
WITH anni AS (
    SELECT DISTINCT ente, year(data_evasione) AS anno FROM pratiche WHERE list_contains($enti::VARCHAR[], ente)
    UNION SELECT DISTINCT ente, year(data) FROM questionari WHERE list_contains($enti::VARCHAR[], ente)
    UNION SELECT DISTINCT ente, year(data_pagamento) FROM fatture
          WHERE list_contains($enti::VARCHAR[], ente) AND data_pagamento IS NOT NULL
)
SELECT anno, count(*) AS enti FROM anni GROUP BY anno ORDER BY anno DESC;

-- name: linked_indicators
-- The successor's plan indicators linked to a predecessor's (the series that continue across the merger), by name.
SELECT DISTINCT i.codice, i.nome, i.unita
FROM indicatori_successione l JOIN indicatori i ON i.ente = l.successore AND i.codice = l.indicatore
WHERE l.successore = $successore
ORDER BY i.codice;
