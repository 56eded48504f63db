-- name: table
-- For a year: every target with its conditions in force that year (threshold and scoring rule),
-- final value, grado, status, evidence, the corrections of its indicators' values in that year,
-- the explanation of its deviation in force (the latest of the year), whether a value counted is still
-- provisional, and the OIV verdict in force.
WITH t AS (SELECT * FROM stato_target($anno, 4) WHERE ente = $ente),
crit AS (
    SELECT c.target, c.anno_da,
        list({'indicatore': c.indicatore, 'nome': i.nome, 'operatore': c.operatore, 'soglia': c.soglia,
              'unita': i.unita, 'ufficio': i.ufficio, 'regola': c.regola, 'valore_base': c.valore_base}
             ORDER BY c.indicatore) AS condizioni
    FROM criteri_in_vigore($anno, 4) c JOIN indicatori i ON i.ente = c.ente AND i.codice = c.indicatore
    WHERE c.ente = $ente
    GROUP BY c.target, c.anno_da
),
corr AS (
    SELECT c.target, c.anno_da, count(*) AS n_correzioni,
        arg_max(m.utente, m.registrato_il) AS corretto_da, max(m.registrato_il) AS corretto_il,
        arg_max(m.motivo, m.registrato_il) AS motivo_correzione
    FROM criteri_in_vigore($anno, 4) c
    JOIN misure m ON m.ente = c.ente AND m.indicatore = c.indicatore AND m.anno = $anno AND m.versione > 1
    WHERE c.ente = $ente
    GROUP BY c.target, c.anno_da
),
ev AS (
    SELECT target, anno_da, string_agg(testo, '\n\n' ORDER BY trimestre) AS evidenza
    FROM evidenze WHERE ente = $ente AND anno = $anno GROUP BY target, anno_da
),
sp AS (
    SELECT target, anno_da, arg_max(causa, (trimestre, id)) AS causa, arg_max(azione, (trimestre, id)) AS azione
    FROM spiegazioni WHERE ente = $ente AND anno = $anno GROUP BY target, anno_da
),
v AS (
    SELECT target, anno_da, arg_max(verdetto, id) AS verdetto, arg_max(commento, id) AS commento,
        arg_max(utente, id) AS verdetto_da, max(quando) AS verdetto_il, count(*) AS n_verdetti,
        arg_max(grado, id) AS verdetto_grado, arg_max(stato, id) AS verdetto_stato
    FROM verdetti WHERE ente = $ente AND anno = $anno GROUP BY target, anno_da
)
SELECT t.target, t.anno_da, t.obiettivo, t.area, t.testo, crit.condizioni, t.valore, t.grado, t.status,
    t.motivo_non_rilevato, t.demo, ev.evidenza,
    coalesce(corr.n_correzioni, 0) AS n_correzioni, corr.corretto_da, corr.corretto_il, corr.motivo_correzione,
    v.verdetto, v.commento, v.verdetto_da, v.verdetto_il, coalesce(v.n_verdetti, 0) AS n_verdetti,
    v.verdetto_grado, v.verdetto_stato, sp.causa, sp.azione, t.provvisorio
FROM t
LEFT JOIN crit ON crit.target = t.target AND crit.anno_da = t.anno_da
LEFT JOIN corr ON corr.target = t.target AND corr.anno_da = t.anno_da
LEFT JOIN ev ON ev.target = t.target AND ev.anno_da = t.anno_da
LEFT JOIN v ON v.target = t.target AND v.anno_da = t.anno_da
LEFT JOIN sp ON sp.target = t.target AND sp.anno_da = t.anno_da
ORDER BY t.obiettivo, t.target;

-- name: insert_verdict
-- One OIV verdict on a target for a year (append-only: the latest is in force).
INSERT INTO verdetti (ente, target, anno_da, anno, verdetto, commento, utente, quando, grado, stato)
VALUES ($ente, $target, $anno_da, $anno, $verdetto, $commento, $utente, $quando, $grado, $stato);

-- name: verdict_history
-- Every verdict on a target for a year, newest first.
SELECT verdetto, commento, utente, quando, grado FROM verdetti
WHERE ente = $ente AND target = $target AND anno = $anno ORDER BY id;
