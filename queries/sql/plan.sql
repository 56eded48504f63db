-- name: enti
-- The bodies in the database.
SELECT codice, nome FROM enti ORDER BY codice;

-- name: aree
-- The strategic areas of every body, with their roll-up weight.
SELECT ente, codice, nome, peso FROM aree ORDER BY ente, codice;

-- name: obiettivi
-- Objectives with their status, read from their latest life event (attivo without events).
WITH last_event AS (
    SELECT ente, obiettivo, arg_max(tipo, data) AS tipo
    FROM eventi_obiettivi
    WHERE tipo IN ('modificato', 'proposto_eliminazione', 'eliminato')
    GROUP BY ente, obiettivo
)
SELECT o.ente, o.area, o.codice, o.titolo, o.peso, coalesce(e.tipo, 'attivo') AS status
FROM obiettivi o LEFT JOIN last_event e ON e.ente = o.ente AND e.obiettivo = o.codice
ORDER BY o.ente, o.codice;

-- name: eventi
-- The events in the life of every objective, by date.
SELECT ente, obiettivo, tipo, data, atto, nota FROM eventi_obiettivi ORDER BY ente, obiettivo, data;

-- name: target
-- Targets with their first condition (kind, operator, threshold, unit) and all conditions, with
-- their scoring rule and, for thresholds that differ by year, the year (NULL: every year).
SELECT t.ente, t.obiettivo, t.codice, t.testo, t.anno_da, t.anno_a, t.peso,
    list({'indicatore': c.indicatore, 'tipo': c.tipo, 'operatore': c.operatore, 'soglia': c.soglia,
          'unita': i.unita, 'ufficio': i.ufficio, 'regola': c.regola, 'valore_base': c.valore_base,
          'anno': c.anno} ORDER BY c.indicatore, c.anno NULLS FIRST) AS criteri
FROM target t
JOIN criteri c ON c.ente = t.ente AND c.target = t.codice AND c.anno_da = t.anno_da
JOIN indicatori i ON i.ente = c.ente AND i.codice = c.indicatore
GROUP BY ALL
ORDER BY t.ente, t.obiettivo, t.anno_da DESC, t.codice;

-- name: progetti
-- Every project with its objective, office (name and code) and cost centre (as registered and as printed).
SELECT p.ente, p.obiettivo, p.codice, p.titolo, u.nome AS ufficio, p.ufficio AS codice_ufficio,
    p.cdc || ' ' || c.nome AS cdc, p.cdc AS codice_cdc, p.cdc_testo
FROM progetti p
LEFT JOIN uffici u ON u.ente = p.ente AND u.codice = p.ufficio
LEFT JOIN cdc c ON c.ente = p.ente AND c.codice = p.cdc
ORDER BY p.ente, p.codice;

-- name: budget
-- The budget lines of every objective.
SELECT ente, obiettivo, anno, oneri, ricavi, contributi, investimenti FROM budget ORDER BY ente, obiettivo, anno;

-- name: uffici
-- The offices of every body with their cost centre.
SELECT u.ente, u.codice, u.nome, u.cdc || ' ' || c.nome AS cdc
FROM uffici u LEFT JOIN cdc c ON c.ente = u.ente AND c.codice = u.cdc
ORDER BY u.ente, u.codice;

-- name: indicatori_uffici
-- Each indicator with the target(s) it measures in their latest plan year.
SELECT i.ente, i.ufficio, i.codice, i.nome, i.unita,
    string_agg(DISTINCT c.target || ' ' || c.operatore || ' ' || c.soglia, '; ') AS target
FROM indicatori i
LEFT JOIN criteri c ON c.ente = i.ente AND c.indicatore = i.codice
    AND c.anno_da = (SELECT max(anno_da) FROM criteri c2 WHERE c2.ente = i.ente AND c2.indicatore = i.codice)
GROUP BY ALL
ORDER BY i.ente, i.ufficio, i.codice;

-- name: segnalazioni
-- The data-quality warnings of a body (all bodies when $ente is NULL).
SELECT ente, origine, oggetto, descrizione FROM segnalazioni
WHERE $ente IS NULL OR ente = $ente ORDER BY ente, origine DESC, oggetto;

-- name: indicator_exists
-- 1 if the body has the indicator, else 0.
SELECT count(*) FROM indicatori WHERE ente = $ente AND codice = $codice;

-- name: office_exists
-- 1 if the body has the office, else 0.
SELECT count(*) FROM uffici WHERE ente = $ente AND codice = $ufficio;
