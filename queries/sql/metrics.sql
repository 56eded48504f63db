-- name: tempi_ri
-- Registro Imprese, per body, office and quarter (trimestre NULL = the year; ufficio NULL = all offices):
-- practices, average processing time net of suspension (calendar days), share suspended,
-- average suspension of the suspended ones, share completed within 5 days net. One pass over the records per
-- body, office and month, then the quarters and the year from those sums: DuckDB runs each grouping set as a
-- pass of its own, four over millions of rows. The year as a range of dates, not year(data_evasione) = $anno: a
-- range is sent to PostgreSQL through the attach (a function of the column was not: every year of every body was
-- fetched) and skips other years' row groups in DuckDB.
WITH mesi AS (  -- one pass over the records, per body, office and month: the sums every figure is made of
    SELECT ente, coalesce(ufficio, '') AS ufficio, month(data_evasione) AS mese, count(*) AS pratiche,
        sum(netti) AS netti, count(*) FILTER (WHERE giorni_sospensione > 0) AS sospese,
        sum(giorni_sospensione) FILTER (WHERE giorni_sospensione > 0) AS giorni_sospesi,
        count(*) FILTER (WHERE netti <= 5) AS entro_5_giorni
    FROM (SELECT ente, ufficio, data_evasione, giorni_sospensione,
                 (data_evasione - data_arrivo) - giorni_sospensione AS netti
          FROM pratiche
          WHERE data_evasione >= make_date($anno, 1, 1) AND data_evasione < make_date($anno + 1, 1, 1)
            AND ($trimestre IS NULL OR trimestre_di(data_evasione) = $trimestre) AND ($ente IS NULL OR ente = $ente))
    GROUP BY ente, coalesce(ufficio, ''), month(data_evasione)
),
p AS (SELECT *, (mese - 1) // 3 + 1 AS trimestre FROM mesi)
SELECT ente, ufficio, trimestre, sum(pratiche)::BIGINT AS pratiche,
    sum(netti) / sum(pratiche) AS tempo_medio_netto,
    sum(sospese)::BIGINT * 100.0 / sum(pratiche)::BIGINT AS quota_sospese,
    sum(giorni_sospesi) / nullif(sum(sospese), 0) AS sospensione_media,
    sum(entro_5_giorni)::BIGINT * 100.0 / sum(pratiche)::BIGINT AS quota_entro_5_giorni
FROM p
GROUP BY GROUPING SETS ((ente, ufficio, trimestre), (ente, trimestre), (ente, ufficio), (ente))
ORDER BY ente, ufficio NULLS FIRST, trimestre NULLS FIRST;

-- name: soddisfazione
-- Questionnaires per body, desk and quarter, on the scale they were given in (sportello NULL = all desks).
SELECT ente, sportello, scala_max, trimestre_di(data) AS trimestre, count(*) AS questionari, avg(punteggio) AS media
FROM questionari
WHERE data >= make_date($anno, 1, 1) AND data < make_date($anno + 1, 1, 1)  -- a range: see tempi_ri
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
-- Each quarter's debt is a filter over the invoices open in the year, not a join of every invoice with every
-- quarter's end (in_debito_al says when an invoice is in the debt).
-- f is read twice: NOT MATERIALIZED, so each read scans only its columns and rows instead of DuckDB first copying
-- every invoice into a temporary result.
WITH f AS NOT MATERIALIZED (
    SELECT ente, data_fattura, data_pagamento, scadenza_itp, importo_itp, importo_pagato, contestazione_dal,
        contestazione_al, coalesce(partita_iva, 'nome:' || fornitore) AS impresa
    FROM fatture_itp() WHERE $ente IS NULL OR ente = $ente
),
mesi AS (  -- one pass over the invoices paid in the year, per body and month: the sums the indicator is made of
    SELECT ente, month(data_pagamento) AS mese, count(*) AS fatture,
        -- days x euros in DOUBLE (exact DECIMAL products are 128-bit, the slowest step): the indicator is a ratio
        -- read to two decimals; the money summed (totale_pagato) stays DECIMAL.
        sum((data_pagamento - scadenza_itp) * importo_itp::DOUBLE) AS ritardo_per_importo, sum(importo_itp) AS totale_pagato
    FROM f
    WHERE data_pagamento >= make_date($anno, 1, 1) AND data_pagamento < make_date($anno + 1, 1, 1)
      AND ($trimestre IS NULL OR trimestre_di(data_pagamento) = $trimestre)
    GROUP BY ente, month(data_pagamento)
),
pagate AS (
    SELECT ente, (mese - 1) // 3 + 1 AS trimestre, sum(fatture)::BIGINT AS fatture,
        sum(ritardo_per_importo) / sum(totale_pagato) AS itp, sum(totale_pagato) AS totale_pagato
    FROM mesi
    GROUP BY GROUPING SETS ((ente, (mese - 1) // 3 + 1), (ente))
),
aperte AS (  -- the invoices that can be in the debt at one of the year's quarter ends: the rest never counts
    SELECT * FROM f
    WHERE data_fattura <= last_day(make_date($anno, 3 * coalesce($trimestre, 4), 1))
      AND scadenza_itp < last_day(make_date($anno, 3 * coalesce($trimestre, 4), 1))
      AND coalesce(data_pagamento, DATE '9999-12-31') > last_day(make_date($anno, 3 * coalesce($trimestre, 1), 1))
),
per_ente AS (  -- one pass: each quarter's end as a filter, not a join of every invoice with every end
    SELECT ente,
        count(*) FILTER (WHERE coalesce($trimestre, 1) = 1 AND in_debito_al(data_fattura, scadenza_itp, data_pagamento, contestazione_dal, contestazione_al, make_date($anno, 3, 31))) AS n1,
        sum(importo_pagato) FILTER (WHERE coalesce($trimestre, 1) = 1 AND in_debito_al(data_fattura, scadenza_itp, data_pagamento, contestazione_dal, contestazione_al, make_date($anno, 3, 31))) AS d1,
        count(DISTINCT impresa) FILTER (WHERE coalesce($trimestre, 1) = 1 AND in_debito_al(data_fattura, scadenza_itp, data_pagamento, contestazione_dal, contestazione_al, make_date($anno, 3, 31))) AS i1,
        count(*) FILTER (WHERE coalesce($trimestre, 2) = 2 AND in_debito_al(data_fattura, scadenza_itp, data_pagamento, contestazione_dal, contestazione_al, make_date($anno, 6, 30))) AS n2,
        sum(importo_pagato) FILTER (WHERE coalesce($trimestre, 2) = 2 AND in_debito_al(data_fattura, scadenza_itp, data_pagamento, contestazione_dal, contestazione_al, make_date($anno, 6, 30))) AS d2,
        count(DISTINCT impresa) FILTER (WHERE coalesce($trimestre, 2) = 2 AND in_debito_al(data_fattura, scadenza_itp, data_pagamento, contestazione_dal, contestazione_al, make_date($anno, 6, 30))) AS i2,
        count(*) FILTER (WHERE coalesce($trimestre, 3) = 3 AND in_debito_al(data_fattura, scadenza_itp, data_pagamento, contestazione_dal, contestazione_al, make_date($anno, 9, 30))) AS n3,
        sum(importo_pagato) FILTER (WHERE coalesce($trimestre, 3) = 3 AND in_debito_al(data_fattura, scadenza_itp, data_pagamento, contestazione_dal, contestazione_al, make_date($anno, 9, 30))) AS d3,
        count(DISTINCT impresa) FILTER (WHERE coalesce($trimestre, 3) = 3 AND in_debito_al(data_fattura, scadenza_itp, data_pagamento, contestazione_dal, contestazione_al, make_date($anno, 9, 30))) AS i3,
        count(*) FILTER (WHERE coalesce($trimestre, 4) = 4 AND in_debito_al(data_fattura, scadenza_itp, data_pagamento, contestazione_dal, contestazione_al, make_date($anno, 12, 31))) AS n4,
        sum(importo_pagato) FILTER (WHERE coalesce($trimestre, 4) = 4 AND in_debito_al(data_fattura, scadenza_itp, data_pagamento, contestazione_dal, contestazione_al, make_date($anno, 12, 31))) AS d4,
        count(DISTINCT impresa) FILTER (WHERE coalesce($trimestre, 4) = 4 AND in_debito_al(data_fattura, scadenza_itp, data_pagamento, contestazione_dal, contestazione_al, make_date($anno, 12, 31))) AS i4
    FROM aperte GROUP BY ente
),
debito AS (  -- a row per quarter with debt at its end; the year's (trimestre NULL) is the fourth quarter's
    SELECT ente, t.trimestre, t.debito_scaduto, t.imprese_creditrici
    FROM (SELECT ente, unnest([{'trimestre': 1, 'n': n1, 'debito_scaduto': d1, 'imprese_creditrici': i1},
                               {'trimestre': 2, 'n': n2, 'debito_scaduto': d2, 'imprese_creditrici': i2},
                               {'trimestre': 3, 'n': n3, 'debito_scaduto': d3, 'imprese_creditrici': i3},
                               {'trimestre': 4, 'n': n4, 'debito_scaduto': d4, 'imprese_creditrici': i4},
                               {'trimestre': NULL, 'n': n4, 'debito_scaduto': d4, 'imprese_creditrici': i4}]) AS t
          FROM per_ente)
    WHERE t.n > 0 AND ($trimestre IS NULL OR t.trimestre = $trimestre)
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
