-- name: quality_cdc_spelling
-- A cost centre printed in a project sheet with a name other than its register name.
SELECT p.ente, 'CdC ' || p.cdc AS oggetto,
    'Il CdC ' || p.cdc || ' è scritto «' || trim(regexp_replace(p.cdc_testo, '^\S+\s*(-\s*)?', '')) ||
    '» nel progetto ' || p.codice || ' e «' || c.nome || '» altrove.' AS descrizione
FROM progetti p JOIN cdc c ON c.ente = p.ente AND c.codice = p.cdc
WHERE trim(regexp_replace(p.cdc_testo, '^\S+\s*(-\s*)?', '')) <> c.nome
ORDER BY p.codice;

-- name: quality_cdc_same_name
-- Two cost centres with the same name (B001 and B003 are both "Oneri Comuni").
SELECT ente, 'CdC ' || string_agg(codice, ', ' ORDER BY codice) AS oggetto,
    'I CdC ' || string_agg(codice, ' e ' ORDER BY codice) || ' hanno lo stesso nome «' || nome || '».' AS descrizione
FROM cdc GROUP BY ente, nome HAVING count(*) > 1;

-- name: quality_project_area
-- A project sheet that names an area other than its objective's.
SELECT p.ente, 'progetto ' || p.codice AS oggetto,
    'La scheda del progetto ' || p.codice || ' (obiettivo ' || p.obiettivo || ') indica l''area «' || p.area_testo ||
    '», ma l''obiettivo appartiene all''area ' || a.codice || ' «' || a.nome || '».' AS descrizione
FROM progetti p
JOIN obiettivi o ON o.ente = p.ente AND o.codice = p.obiettivo
JOIN aree a ON a.ente = o.ente AND a.codice = o.area
WHERE replace(upper(strip_accents(p.area_testo)), '''', '') <> replace(upper(strip_accents(a.nome)), '''', '')
ORDER BY p.codice;

-- name: quality_budget_year_label
-- Budget figures the document states under another year than the plan's.
SELECT ente, 'budget obiettivo ' || obiettivo AS oggetto,
    'Il budget ' || anno || ' dell''obiettivo ' || obiettivo || ' è indicato nel documento come «anno ' || anno_testo || '».' AS descrizione
FROM budget WHERE anno_testo IS NOT NULL AND anno_testo <> anno
UNION ALL
SELECT DISTINCT ente, 'riepilogo area ' || codice,
    'Il riepilogo dell''area ' || codice || ' riporta cifre ' || anno || ' sotto l''anno ' || anno_testo || ': «' || testo || '».'
FROM budget_stampa WHERE livello = 'area' AND anno_testo <> anno
ORDER BY 2, 3;
