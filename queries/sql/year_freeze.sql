-- name: insert
-- A year closed for validation, under the snapshot's id drawn first (db.next_id).
INSERT INTO congelamenti (id, ente, anno, utente, quando, nota) VALUES ($id, $ente, $anno, $utente, $quando, $nota);

-- name: freeze_targets
-- Snapshot: every target's judged figure at the year end.
INSERT INTO congelati_target
SELECT $id, ente, $anno, area, obiettivo, target, anno_da, testo, indicatore, operatore, soglia, valore, grado,
    status, motivo_non_rilevato, demo
FROM stato_target($anno, 4) WHERE ente = $ente;

-- name: freeze_levels
-- Snapshot: the objectives', areas' and the body's grado and status at the year end.
INSERT INTO congelati_livelli
SELECT $id, ente, $anno, 'obiettivo', obiettivo, titolo, grado, status FROM stato_obiettivi($anno, 4) WHERE ente = $ente
UNION ALL
SELECT $id, ente, $anno, 'area', area, nome, grado, status FROM stato_aree($anno, 4) WHERE ente = $ente
UNION ALL
SELECT $id, ente, $anno, 'ente', ente, nome, grado, status FROM stato_enti($anno, 4) WHERE ente = $ente;

-- name: freeze_values
-- Snapshot: every value in force of the year and of the year before (year-on-year targets divide by it).
INSERT INTO congelati_misure
SELECT $id, ente, indicatore, anno, trimestre, ambito, versione, valore, numeratore, denominatore, utente,
    registrato_il, stato_approvazione
FROM misure_stato WHERE ente = $ente AND anno IN ($anno, $anno - 1)
QUALIFY row_number() OVER (PARTITION BY indicatore, anno, trimestre, ambito ORDER BY versione DESC) = 1;

-- name: freeze_explanations
-- Snapshot: the year-end explanations in force.
INSERT INTO congelati_spiegazioni
SELECT $id, ente, target, anno_da, causa, azione, utente, quando FROM spiegazioni
WHERE ente = $ente AND anno = $anno AND trimestre = 4
QUALIFY row_number() OVER (PARTITION BY target, anno_da ORDER BY id DESC) = 1;

-- name: freeze_evidence
-- Snapshot: the evidence files of the year in force (attached and not withdrawn).
INSERT INTO congelati_evidenze
SELECT $id, e.ente, e.target, e.anno_da, e.id, e.trimestre, e.nome_file, e.tipo, e.sha256, e.descrizione, e.utente, e.quando
FROM evidenze_file e
WHERE e.ente = $ente AND e.anno = $anno AND e.azione = 'allegato'
  AND NOT EXISTS (SELECT 1 FROM evidenze_file w WHERE w.azione = 'ritirato' AND w.ritira = e.id);

-- name: latest
-- The latest freeze of a body's year, if any.
SELECT id, anno, utente, quando, nota FROM congelamenti WHERE ente = $ente AND anno = $anno ORDER BY id DESC LIMIT 1;

-- name: frozen_targets
-- The targets as frozen, with their explanation, the evidence names and the OIV verdict in force.
WITH ev AS (
    SELECT target, anno_da, string_agg(nome_file || ' (' || descrizione || ')', '; ' ORDER BY trimestre, evidenza) AS evidenze,
        count(*) AS n_evidenze
    FROM congelati_evidenze WHERE congelamento = $id GROUP BY target, anno_da
),
v AS (
    SELECT target, anno_da, verdetto, commento, utente, quando FROM verdetti WHERE ente = $ente AND anno = $anno
    QUALIFY row_number() OVER (PARTITION BY target, anno_da ORDER BY id DESC) = 1
)
SELECT t.area, a.nome AS area_nome, t.obiettivo, o.titolo AS obiettivo_titolo, t.target, t.anno_da, t.testo,
    t.indicatore, i.unita, t.operatore, t.soglia, t.valore, t.grado, t.status, t.motivo_non_rilevato, t.demo,
    s.causa, s.azione, ev.evidenze, coalesce(ev.n_evidenze, 0) AS n_evidenze,
    v.verdetto, v.commento, v.utente AS verdetto_da, v.quando AS verdetto_il
FROM congelati_target t
LEFT JOIN aree a ON a.ente = t.ente AND a.codice = t.area
LEFT JOIN obiettivi o ON o.ente = t.ente AND o.codice = t.obiettivo
LEFT JOIN indicatori i ON i.ente = t.ente AND i.codice = t.indicatore
LEFT JOIN congelati_spiegazioni s ON s.congelamento = t.congelamento AND s.target = t.target AND s.anno_da = t.anno_da
LEFT JOIN ev ON ev.target = t.target AND ev.anno_da = t.anno_da
LEFT JOIN v ON v.target = t.target AND v.anno_da = t.anno_da
WHERE t.congelamento = $id
ORDER BY t.area, t.obiettivo, t.target;

-- name: frozen_levels
-- The objectives', areas' and the body's figures as frozen.
SELECT livello, codice, nome, grado, status FROM congelati_livelli WHERE congelamento = $id ORDER BY livello, codice;

-- name: frozen_evidence
-- The evidence files as frozen (ids to download them).
SELECT target, anno_da, evidenza, trimestre, nome_file, tipo, sha256, descrizione, utente, quando
FROM congelati_evidenze WHERE congelamento = $id ORDER BY target, trimestre, evidenza;

-- name: compare
-- Each frozen target next to its figure now, with the values corrected after the freeze (who, when, why).
WITH now AS (SELECT * FROM stato_target($anno, 4) WHERE ente = $ente),
fz AS (SELECT quando FROM congelamenti WHERE id = $id),
later AS (
    SELECT c.target, c.anno_da,
        string_agg(m.indicatore || ' ' || m.anno || '-Q' || m.trimestre || ' v' || m.versione || ': '
                   || coalesce(m.motivo, '') || ' (' || m.utente || ')', '; ' ORDER BY m.registrato_il) AS correzioni
    FROM misure m
    JOIN criteri c ON c.ente = m.ente AND c.indicatore = m.indicatore
    WHERE m.ente = $ente AND m.anno IN ($anno, $anno - 1) AND m.registrato_il > (SELECT quando FROM fz)
    GROUP BY c.target, c.anno_da
)
SELECT t.target, t.anno_da, t.valore AS valore_congelato, t.grado AS grado_congelato, t.status AS status_congelato,
    n.valore AS valore_attuale, n.grado AS grado_attuale, n.status AS status_attuale,
    -- Sums in DOUBLE may differ in the last bit between two runs (parallel aggregation): compare with a tolerance.
    (coalesce(abs(t.valore - n.valore) > 1e-9, (t.valore IS NULL) <> (n.valore IS NULL))
     OR coalesce(abs(t.grado - n.grado) > 1e-9, (t.grado IS NULL) <> (n.grado IS NULL))
     OR t.status IS DISTINCT FROM n.status OR l.correzioni IS NOT NULL) AS modificato,
    l.correzioni
FROM congelati_target t
LEFT JOIN now n ON n.target = t.target AND n.anno_da = t.anno_da
LEFT JOIN later l ON l.target = t.target AND l.anno_da = t.anno_da
WHERE t.congelamento = $id
ORDER BY t.area, t.obiettivo, t.target;

-- name: count_targets
-- How many targets a snapshot holds (for the audit row).
SELECT count(*) FROM congelati_target WHERE congelamento = $id;
