-- name: quarterly
-- Each quarter's own value of the given indicators, for a year and the year before.
SELECT m.indicatore, i.nome, i.unita, m.anno, m.trimestre, m.ambito, m.valore, m.numeratore, m.denominatore, m.demo
FROM misure_correnti m
JOIN indicatori i ON i.ente = m.ente AND i.codice = m.indicatore
WHERE m.ente = $ente AND list_contains($codici, m.indicatore) AND m.anno IN ($anno, $anno - 1)
ORDER BY m.indicatore, m.anno, m.trimestre;
