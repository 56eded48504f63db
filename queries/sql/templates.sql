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
