-- name: quality_cdc_spelling
-- A cost centre printed in a project sheet with a name other than its register name.
SELECT p.ente, 'CdC ' || p.cdc AS oggetto,
    'Il CdC ' || p.cdc || ' è scritto «' || trim(regexp_replace(p.cdc_testo, '^\S+\s*(-\s*)?', '')) ||
    '» nel progetto ' || p.codice || ' e «' || c.nome || '» altrove.' AS descrizione
FROM progetti p JOIN cdc c ON c.ente = p.ente AND c.codice = p.cdc
WHERE p.ente = $ente AND trim(regexp_replace(p.cdc_testo, '^\S+\s*(-\s*)?', '')) <> c.nome
ORDER BY p.codice;

-- name: quality_cdc_same_name
-- Two cost centres with the same name (B001 and B003 are both "Oneri Comuni").
SELECT ente, 'CdC ' || string_agg(codice, ', ' ORDER BY codice) AS oggetto,
    'I CdC ' || string_agg(codice, ' e ' ORDER BY codice) || ' hanno lo stesso nome «' || nome || '».' AS descrizione
FROM cdc WHERE ente = $ente GROUP BY ente, nome HAVING count(*) > 1;

-- name: quality_project_area
-- A project sheet that names an area other than its objective's.
SELECT p.ente, 'progetto ' || p.codice AS oggetto,
    'La scheda del progetto ' || p.codice || ' (obiettivo ' || p.obiettivo || ') indica l''area «' || p.area_testo ||
    '», ma l''obiettivo appartiene all''area ' || a.codice || ' «' || a.nome || '».' AS descrizione
FROM progetti p
JOIN obiettivi o ON o.ente = p.ente AND o.codice = p.obiettivo
JOIN aree a ON a.ente = o.ente AND a.codice = o.area
WHERE p.ente = $ente AND replace(upper(strip_accents(p.area_testo)), '''', '') <> replace(upper(strip_accents(a.nome)), '''', '')
ORDER BY p.codice;

-- name: quality_budget_year_label
-- Budget figures the document states under another year than the plan's.
SELECT ente, 'budget obiettivo ' || obiettivo AS oggetto,
    'Il budget ' || anno || ' dell''obiettivo ' || obiettivo || ' è indicato nel documento come «anno ' || anno_testo || '».' AS descrizione
FROM budget WHERE ente = $ente AND anno_testo IS NOT NULL AND anno_testo <> anno
UNION ALL
SELECT DISTINCT ente, 'riepilogo area ' || codice,
    'Il riepilogo dell''area ' || codice || ' riporta cifre ' || anno || ' sotto l''anno ' || anno_testo || ': «' || testo || '».'
FROM budget_stampa WHERE ente = $ente AND livello = 'area' AND anno_testo <> anno
ORDER BY 2, 3;

-- name: criteri_non_validi
-- Scoring rules the engine cannot apply in one body's plan, one Italian message each (the loader refuses the plan).
-- Files from before the rules have no CHECK on regola (DuckDB cannot add one by ALTER): checked here.
-- The baseline of 'interpolazione' must lie on the missed side of the threshold, or the line runs backwards.
WITH c AS (
    SELECT c.*, t.anno_a, 'target ' || c.target || ' (' || c.anno_da || '), indicatore ' || c.indicatore AS chi
    FROM criteri c LEFT JOIN target t ON t.ente = c.ente AND t.codice = c.target AND t.anno_da = c.anno_da
    WHERE c.ente = $ente
),
per_anno AS (
    SELECT ente, target, anno_da, indicatore, any_value(chi) AS chi, any_value(anno_a) AS anno_a,
        count(DISTINCT anno) AS n_anni, bool_or(anno IS NULL) AS ha_generale
    FROM c GROUP BY ALL
)
SELECT chi || ': regola «' || regola || '» sconosciuta (rapporto, interpolazione, fasce, binario).'
FROM c WHERE regola NOT IN ('rapporto', 'interpolazione', 'fasce', 'binario')
UNION ALL
SELECT chi || ': la regola interpolazione richiede un valore base.'
FROM c WHERE regola = 'interpolazione' AND valore_base IS NULL
UNION ALL
SELECT chi || ': il valore base ' || valore_base || ' deve stare dalla parte non raggiunta della soglia '
    || operatore || ' ' || soglia || '.'
FROM c WHERE regola = 'interpolazione'
    AND CASE WHEN operatore IN ('>', '>=') THEN valore_base >= soglia ELSE valore_base <= soglia END
UNION ALL
SELECT chi || ': l''anno ' || anno || ' è fuori dagli anni del target.'
FROM c WHERE anno IS NOT NULL AND (anno < anno_da OR anno > anno_a)
UNION ALL
SELECT any_value(chi) || ': più soglie per ' || coalesce(anno::VARCHAR, 'tutti gli anni') || '.'
FROM c GROUP BY ente, target, anno_da, indicatore, anno HAVING count(*) > 1
UNION ALL
-- Thresholds per year without a general row must cover every year of the target.
SELECT chi || ': soglie per anno senza una soglia per ciascun anno del target né una generale.'
FROM per_anno WHERE NOT ha_generale AND n_anni < anno_a - anno_da + 1
UNION ALL
SELECT 'SMVP ' || ente || ': le fasce richiedono 0 <= fascia_zero < fascia_piena <= 100.'
FROM smvp WHERE ente = $ente AND NOT (0 <= fascia_zero AND fascia_zero < fascia_piena AND fascia_piena <= 100)
ORDER BY 1;


-- name: clear_warnings
-- A body's computed warnings are recomputed whole after each load of its plan (other bodies' are left alone).
DELETE FROM segnalazioni WHERE origine = 'controllo' AND ente = $ente;

-- name: insert_warning
-- One computed warning: body, object, description.
INSERT INTO segnalazioni VALUES (?, 'controllo', ?, ?);
