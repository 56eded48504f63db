-- name: tempi_ri
-- Registro Imprese, per body, office and quarter (trimestre NULL = the year; ufficio NULL = all offices):
-- practices, average processing time net of suspension (calendar days), share suspended,
-- average suspension of the suspended ones, share completed within 5 days net.
WITH p AS (
    SELECT ente, coalesce(ufficio, '') AS ufficio, trimestre_di(data_evasione) AS trimestre,
        (data_evasione - data_arrivo) - giorni_sospensione AS netti, giorni_sospensione
    FROM pratiche
    WHERE year(data_evasione) = $anno AND ($trimestre IS NULL OR trimestre_di(data_evasione) = $trimestre)
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
WHERE year(data) = $anno AND ($trimestre IS NULL OR trimestre_di(data) = $trimestre) AND ($ente IS NULL OR ente = $ente)
GROUP BY GROUPING SETS ((ente, sportello, scala_max, trimestre_di(data)), (ente, scala_max, trimestre_di(data)),
                        (ente, sportello, scala_max), (ente, scala_max))
ORDER BY ente, scala_max, sportello NULLS FIRST, trimestre NULLS FIRST;

-- name: itp
-- The payment-timeliness indicator (DPCM 22/9/2014) per body and quarter and for the year:
-- sum((payment date - due date) x amount) / sum(amount), over the invoices paid in the period.
SELECT ente, trimestre_di(data_pagamento) AS trimestre, count(*) AS fatture,
    sum((data_pagamento - data_scadenza) * importo_pagato) / sum(importo_pagato) AS itp,
    sum(importo_pagato) AS totale_pagato
FROM fatture
WHERE year(data_pagamento) = $anno AND ($trimestre IS NULL OR trimestre_di(data_pagamento) = $trimestre)
  AND ($ente IS NULL OR ente = $ente)
GROUP BY GROUPING SETS ((ente, trimestre_di(data_pagamento)), (ente))
ORDER BY ente, trimestre NULLS FIRST;
