-- name: tempi_ri
-- Registro Imprese, per body, office and quarter (trimestre NULL = the year; ufficio NULL = all offices):
-- practices, average processing time net of suspension (calendar days), share suspended,
-- average suspension of the suspended ones, share completed within 5 days net.
WITH p AS (
    SELECT ente, coalesce(ufficio, '') AS ufficio, trimestre_di(data_evasione) AS trimestre,
        (data_evasione - data_arrivo) - giorni_sospensione AS netti, giorni_sospensione
    FROM pratiche
    -- The year as a range of dates, not year(data_evasione) = $anno: a range is sent to PostgreSQL (through the
    -- attach a function of the column was not: every year of every body was fetched) and skips row groups.
    WHERE data_evasione BETWEEN make_date($anno, 1, 1) AND make_date($anno, 12, 31) AND ($trimestre IS NULL OR trimestre_di(data_evasione) = $trimestre)
      AND ($ente IS NULL OR ente = $ente)
)
SELECT ente, ufficio, trimestre, count(*) AS pratiche,
    avg(netti) AS tempo_medio_netto,
    count(*) FILTER (WHERE giorni_sospensione > 0) * 100.0 / count(*) AS quota_sospese,
    avg(giorni_sospensione) FILTER (WHERE giorni_sospensione > 0) AS sospensione_media,
    count(*) FILTER (WHERE netti <= 5) * 100.0 / count(*) AS quota_entro_5_giorni
FROM p
GROUP BY GROUPING SETS ((ente, ufficio, trimestre), (ente, trimestre), (ente, ufficio), (ente))
ORDER BY ente, ufficio NULLS FIRST, trimestre NULLS FIRST;

-- name: soddisfazione
-- Questionnaires per body, desk and quarter, on the scale they were given in (sportello NULL = all desks).
SELECT ente, sportello, scala_max, trimestre_di(data) AS trimestre, count(*) AS questionari, avg(punteggio) AS media
FROM questionari
WHERE data BETWEEN make_date($anno, 1, 1) AND make_date($anno, 12, 31)  -- a range: see tempi_ri
  AND ($trimestre IS NULL OR trimestre_di(data) = $trimestre) AND ($ente IS NULL OR ente = $ente)
GROUP BY GROUPING SETS ((ente, sportello, scala_max, trimestre_di(data)), (ente, scala_max, trimestre_di(data)),
                        (ente, sportello, scala_max), (ente, scala_max))
ORDER BY ente, scala_max, sportello NULLS FIRST, trimestre NULLS FIRST;

-- name: itp
-- The payment-timeliness indicator (DPCM 22/9/2014) per body and quarter and for the year (trimestre NULL):
-- sum((payment date - due date) x amount) / sum(amount), over the invoices paid in the period, read as the
-- law reads them (fatture_itp: split payment net of VAT, disputes, rejected and credited invoices out).
-- Beside it the art. 33 D.Lgs. 33/2013 figures at the period's end: the debt past due and unpaid
-- (`debito_scaduto`, the amounts due VAT included, disputed invoices out while disputed) and the creditor
-- firms (`imprese_creditrici`: distinct VAT numbers, the supplier's name where there is none).
WITH f AS (SELECT * FROM fatture_itp() WHERE $ente IS NULL OR ente = $ente),
pagate AS (
    SELECT ente, trimestre_di(data_pagamento) AS trimestre, count(*) AS fatture,
        sum((data_pagamento - scadenza_itp) * importo_itp) / sum(importo_itp) AS itp,
        sum(importo_itp) AS totale_pagato
    FROM f
    WHERE year(data_pagamento) = $anno AND ($trimestre IS NULL OR trimestre_di(data_pagamento) = $trimestre)
    GROUP BY GROUPING SETS ((ente, trimestre_di(data_pagamento)), (ente))
),
fine AS (  -- each quarter's last day; the year's figures are those at the end of its fourth quarter
    SELECT q AS trimestre, last_day(make_date($anno, q * 3, 1)) AS fine FROM range(1, 5) t(q)
    WHERE $trimestre IS NULL OR q = $trimestre
    UNION ALL SELECT NULL, make_date($anno, 12, 31) WHERE $trimestre IS NULL
),
debito AS (
    SELECT f.ente, fine.trimestre, sum(f.importo_pagato) AS debito_scaduto,
        count(DISTINCT coalesce(f.partita_iva, 'nome:' || f.fornitore)) AS imprese_creditrici
    FROM f, fine
    WHERE f.data_fattura <= fine.fine AND f.scadenza_itp < fine.fine
      AND (f.data_pagamento IS NULL OR f.data_pagamento > fine.fine)
      AND NOT coalesce(f.contestazione_dal <= fine.fine AND coalesce(f.contestazione_al, DATE '9999-12-31') >= fine.fine, false)
    GROUP BY f.ente, fine.trimestre
),
righe AS (
    SELECT ente, trimestre FROM pagate
    UNION SELECT ente, trimestre FROM debito
)
SELECT r.ente, r.trimestre, coalesce(p.fatture, 0) AS fatture, p.itp, p.totale_pagato,
    coalesce(d.debito_scaduto, 0) AS debito_scaduto, coalesce(d.imprese_creditrici, 0) AS imprese_creditrici,
    coalesce((SELECT scadenza_dopo_contestazione FROM regole_itp g WHERE g.ente = r.ente), 'fine_contestazione')
        AS regola_contestazione
FROM righe r
LEFT JOIN pagate p ON p.ente = r.ente AND p.trimestre IS NOT DISTINCT FROM r.trimestre
LEFT JOIN debito d ON d.ente = r.ente AND d.trimestre IS NOT DISTINCT FROM r.trimestre
WHERE $trimestre IS NULL OR r.trimestre IS NOT NULL  -- one quarter asked: its row, not a "year" of it
ORDER BY r.ente, r.trimestre NULLS FIRST;
