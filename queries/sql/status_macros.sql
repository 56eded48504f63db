-- name: soddisfa
-- True when value v meets the condition "v <op> t", exactly as worded (strict or not).
CREATE OR REPLACE MACRO soddisfa(v, op, t) AS
    CASE op WHEN '<' THEN v < t WHEN '<=' THEN v <= t WHEN '>' THEN v > t WHEN '>=' THEN v >= t END;

-- name: grado_rapporto
-- The 'rapporto' rule, 0-100: 100 when the condition holds; otherwise the ratio of value to
-- threshold (threshold to value when lower is better), kept below 100 so that a strict
-- condition missed by a hair never reads as achieved.
CREATE OR REPLACE MACRO grado_rapporto(v, op, t) AS
    CASE
        WHEN v IS NULL THEN NULL
        WHEN soddisfa(v, op, t) THEN 100.0
        WHEN op IN ('>', '>=') THEN LEAST(GREATEST(CASE WHEN t > 0 THEN v / t * 100 ELSE 0 END, 0), 99.99)
        ELSE LEAST(GREATEST(CASE WHEN v > 0 THEN t / v * 100 ELSE 0 END, 0), 99.99)
    END;

-- name: grado_criterio
-- Grado di raggiungimento, 0-100, by the condition's SMVP rule (criteri.regola); 100 whenever the
-- condition holds, except that 'fasce' may also give 100 to a near miss. Otherwise:
-- rapporto: as grado_rapporto. interpolazione: 0 at the baseline b, 100 at the threshold, linear
-- between ((v - b) / (t - b) * 100 serves both directions), kept in [0, 99.99]. binario: 0.
-- fasce: the rapporto grado r, but 0 below fascia_zero and 100 from fascia_piena (smvp).
-- Guideline DFP 2/2017: b 20 EUR/certificate, t <= 10, v 15 give 66,67 / 50 / 0 (binario).
CREATE OR REPLACE MACRO grado_criterio(v, op, t, regola, b, fascia_zero, fascia_piena) AS
    CASE
        WHEN v IS NULL THEN NULL
        WHEN regola = 'rapporto' THEN grado_rapporto(v, op, t)
        WHEN regola = 'fasce' THEN
            CASE
                WHEN grado_rapporto(v, op, t) >= fascia_piena THEN 100.0
                WHEN grado_rapporto(v, op, t) < fascia_zero THEN 0.0
                ELSE grado_rapporto(v, op, t)
            END
        -- Without a baseline (or with one equal to the threshold) there is no line: not judged.
        WHEN regola = 'interpolazione' AND (b IS NULL OR b = t) THEN NULL
        WHEN soddisfa(v, op, t) THEN 100.0
        WHEN regola = 'binario' THEN 0.0
        WHEN regola = 'interpolazione' THEN LEAST(GREATEST((v - b) / (t - b) * 100, 0), 99.99)
    END;

-- name: media_pesata
-- Weighted mean of the measured children's grado (g NULL: left out), for use inside GROUP BY.
-- Kept within the children's min and max: a mean can never leave them, but DOUBLE sums can by one
-- ulp (three targets at 100 weighted 1/3 give 99.99999999999999, which would not be raggiunto).
CREATE OR REPLACE MACRO media_pesata(g, w) AS
    LEAST(GREATEST(sum(w * g) / nullif(sum(w) FILTER (WHERE g IS NOT NULL), 0), min(g)), max(g));

-- name: stato_da_grado
-- Status from a grado by the SMVP bands: in-year (p_trim < 4) in_linea / a_rischio, at year end
-- raggiunto / parzialmente_raggiunto / non_raggiunto; no grado means non_rilevato.
CREATE OR REPLACE MACRO stato_da_grado(g, p_trim, soglia_raggiunto, soglia_parziale) AS
    CASE
        WHEN g IS NULL THEN 'non_rilevato'
        WHEN p_trim < 4 THEN CASE WHEN g >= soglia_raggiunto THEN 'in_linea' ELSE 'a_rischio' END
        WHEN g >= soglia_raggiunto THEN 'raggiunto'
        WHEN g >= soglia_parziale THEN 'parzialmente_raggiunto'
        ELSE 'non_raggiunto'
    END;

-- name: indicatori_in_vigore
-- Indicators measured in p_anno: those judging a target in force that year, and the context
-- indicators that judge no target (service metrics such as the ITP).
CREATE OR REPLACE MACRO indicatori_in_vigore(p_ente, p_anno) AS TABLE
SELECT i.codice FROM indicatori i
WHERE i.ente = p_ente AND (
    EXISTS (SELECT 1 FROM criteri c JOIN target t ON t.ente = c.ente AND t.codice = c.target AND t.anno_da = c.anno_da
            WHERE c.ente = i.ente AND c.indicatore = i.codice AND p_anno BETWEEN t.anno_da AND t.anno_a)
    OR NOT EXISTS (SELECT 1 FROM criteri c WHERE c.ente = i.ente AND c.indicatore = i.codice));

-- name: criteri_in_vigore
-- The conditions that judge targets at the end of quarter p_trim of p_anno: of the plan version in force
-- then (criteri_del_periodo), per target and indicator, the row stated for p_anno when there is one, else
-- the row for every year (anno NULL). Pages and exports read these too.
CREATE OR REPLACE MACRO criteri_in_vigore(p_anno, p_trim) AS TABLE
SELECT * FROM criteri_del_periodo(p_anno, p_trim)
WHERE anno = p_anno OR anno IS NULL
QUALIFY row_number() OVER (PARTITION BY ente, target, anno_da, indicatore ORDER BY anno NULLS LAST) = 1;

-- name: valori_indicatori
-- Each indicator's value for years p_anno and p_anno - 1, up to the end of quarter p_trim of
-- p_anno (the whole of p_anno - 1). Quarterly rows are combined by the indicator's rule:
-- somma adds them, ultimo takes the latest, casi divides summed numerators by summed
-- denominators (never an average of averages: without cases, more than one quarter gives no
-- value). A year with no quarterly rows falls back to its latest year-to-date ('progressivo') row.
-- provvisorio: some value counted is not approved yet by the office head (or was returned): the figure
-- counts the latest version, as entered, and says so; closing the year for validation needs none.
CREATE OR REPLACE MACRO valori_indicatori(p_anno, p_trim) AS TABLE
WITH m AS (
    -- The version in force (as in the view misure_correnti), filtered first so only two years are ranked.
    SELECT ente, indicatore, anno, trimestre, ambito, valore, numeratore, denominatore, demo,
        stato_approvazione <> 'approvato' AS provvisorio
    FROM misure_stato
    WHERE anno IN (p_anno, p_anno - 1) AND (anno < p_anno OR trimestre <= p_trim)
    QUALIFY row_number() OVER (PARTITION BY ente, indicatore, anno, trimestre, ambito ORDER BY versione DESC) = 1
),
agg AS (
    SELECT ente, indicatore, anno,
        count(*) FILTER (WHERE ambito = 'trimestre') AS n_trim,
        max(trimestre) FILTER (WHERE ambito = 'trimestre') AS ultimo_trim,
        sum(valore) FILTER (WHERE ambito = 'trimestre') AS somma,
        arg_max(valore, trimestre) FILTER (WHERE ambito = 'trimestre') AS ultimo,
        sum(numeratore) FILTER (WHERE ambito = 'trimestre') AS num,
        sum(denominatore) FILTER (WHERE ambito = 'trimestre') AS den,
        count(*) FILTER (WHERE ambito = 'trimestre' AND (numeratore IS NULL OR denominatore IS NULL)) AS n_senza_casi,
        arg_max(valore, trimestre) FILTER (WHERE ambito = 'progressivo') AS progressivo,
        max(trimestre) FILTER (WHERE ambito = 'progressivo') AS trim_progressivo,
        bool_or(demo) AS demo,
        bool_or(provvisorio) AS provvisorio
    FROM m
    GROUP BY ente, indicatore, anno
)
SELECT a.ente, a.indicatore, a.anno, i.aggregazione, i.proiezione, i.scala_max,
    CASE
        WHEN a.n_trim = 0 THEN a.progressivo
        WHEN i.aggregazione = 'somma' THEN a.somma
        WHEN i.aggregazione = 'ultimo' THEN a.ultimo
        WHEN a.n_senza_casi = 0 THEN CASE WHEN a.den > 0 THEN a.num / a.den * i.fattore END
        WHEN a.n_trim = 1 THEN a.ultimo
    END AS valore,
    CASE WHEN a.n_trim = 0 THEN a.trim_progressivo ELSE a.ultimo_trim END AS trimestre_dato,
    (i.aggregazione = 'casi' AND a.n_trim > 0 AND a.n_senza_casi = 0 AND NOT a.den > 0) AS denominatore_zero,
    a.demo, a.provvisorio
FROM agg a
JOIN indicatori i ON i.ente = a.ente AND i.codice = a.indicatore;

-- name: stato_criteri
-- Every condition of every target in force in p_anno (its threshold for p_anno when it varies by
-- year), judged as of the end of quarter p_trim by its SMVP rule (grado_criterio):
-- the measured value (a ratio to the previous year for year-on-year targets), the projection
-- to year end (linear for counts and progress, constant for averages and stocks) and the grado.
CREATE OR REPLACE MACRO stato_criteri(p_anno, p_trim) AS TABLE
WITH v AS MATERIALIZED (SELECT * FROM valori_indicatori(p_anno, p_trim)),
base AS (
    SELECT t.ente, t.codice AS target, t.anno_da, t.obiettivo, c.indicatore, c.tipo, c.operatore, c.soglia,
        c.regola, c.valore_base, c.anno AS anno_soglia, c.ordine, s.fascia_zero, s.fascia_piena,
        i.proiezione, i.scala_max,
        cur.valore AS valore_anno, cur.trimestre_dato, cur.denominatore_zero, cur.demo,
        prev.valore AS valore_anno_prec,
        coalesce(cur.provvisorio, false) OR (c.tipo = 'rapporto_annuo' AND coalesce(prev.provvisorio, false)) AS provvisorio
    FROM target_del_periodo(p_anno, p_trim) t
    JOIN criteri_in_vigore(p_anno, p_trim) c ON c.ente = t.ente AND c.target = t.codice AND c.anno_da = t.anno_da
    JOIN indicatori i ON i.ente = c.ente AND i.codice = c.indicatore
    JOIN smvp s ON s.ente = t.ente
    LEFT JOIN v cur ON cur.ente = c.ente AND cur.indicatore = c.indicatore AND cur.anno = p_anno
    LEFT JOIN v prev ON prev.ente = c.ente AND prev.indicatore = c.indicatore AND prev.anno = p_anno - 1
    WHERE p_anno BETWEEN t.anno_da AND t.anno_a
),
proj AS (
    SELECT *,
        CASE
            WHEN valore_anno IS NULL THEN NULL
            WHEN p_trim >= 4 OR proiezione = 'costante' OR trimestre_dato >= 4 THEN valore_anno
            ELSE LEAST(valore_anno * 4.0 / trimestre_dato, coalesce(scala_max, 'infinity'::DOUBLE))
        END AS anno_proiettato
    FROM base
),
judged AS (
    SELECT *,
        CASE WHEN tipo = 'rapporto_annuo'
             THEN CASE WHEN valore_anno_prec > 0 THEN valore_anno / valore_anno_prec END
             ELSE valore_anno END AS valore,
        CASE WHEN tipo = 'rapporto_annuo'
             THEN CASE WHEN valore_anno_prec > 0 THEN anno_proiettato / valore_anno_prec END
             ELSE anno_proiettato END AS valore_proiettato,
        CASE
            WHEN valore_anno IS NULL AND denominatore_zero THEN 'denominatore zero'
            WHEN valore_anno IS NULL THEN 'nessun dato'
            WHEN tipo = 'rapporto_annuo' AND valore_anno_prec IS NULL THEN 'manca l''anno precedente'
            WHEN tipo = 'rapporto_annuo' AND NOT valore_anno_prec > 0 THEN 'anno precedente pari a zero'
            WHEN regola = 'interpolazione' AND (valore_base IS NULL OR valore_base = soglia)
                THEN 'manca un valore base diverso dalla soglia'
            WHEN regola NOT IN ('rapporto', 'interpolazione', 'fasce', 'binario') THEN 'regola sconosciuta'
        END AS motivo_non_rilevato
    FROM proj
)
SELECT *,
    grado_criterio(CASE WHEN p_trim >= 4 THEN valore ELSE valore_proiettato END, operatore, soglia,
                   regola, valore_base, fascia_zero, fascia_piena) AS grado
FROM judged;

-- name: stato_target
-- Each target in force in p_anno: met only when every condition is; grado is the weakest
-- condition's, whose value, threshold and rule are shown (on a tie, the first in the plan); with
-- any condition unmeasured the target is non_rilevato. Status by the body's SMVP bands at year
-- end (p_trim = 4), in_linea / a_rischio from the projection before.
CREATE OR REPLACE MACRO stato_target(p_anno, p_trim) AS TABLE
WITH c AS (SELECT * FROM stato_criteri(p_anno, p_trim)),
t AS (
    SELECT ente, target, anno_da, obiettivo,
        count(*) AS n_criteri,
        count(grado) AS n_misurati,
        min(grado) AS grado_min,
        arg_min(valore, (coalesce(grado, -1), ordine)) AS valore,
        arg_min(valore_proiettato, (coalesce(grado, -1), ordine)) AS valore_proiettato,
        arg_min(indicatore, (coalesce(grado, -1), ordine)) AS indicatore,
        arg_min(tipo, (coalesce(grado, -1), ordine)) AS tipo,
        arg_min(operatore, (coalesce(grado, -1), ordine)) AS operatore,
        arg_min(soglia, (coalesce(grado, -1), ordine)) AS soglia,
        arg_min(regola, (coalesce(grado, -1), ordine)) AS regola,
        arg_min(valore_base, (coalesce(grado, -1), ordine)) AS valore_base,
        max(trimestre_dato) AS trimestre_dato,
        string_agg(DISTINCT motivo_non_rilevato, '; ') AS motivo_non_rilevato,
        bool_or(demo) AS demo,
        bool_or(provvisorio) AS provvisorio
    FROM c
    GROUP BY ente, target, anno_da, obiettivo
)
SELECT t.ente, t.target, t.anno_da, t.obiettivo, o.area, tg.peso, tg.testo,
    t.indicatore, t.tipo, t.operatore, t.soglia, t.regola, t.valore_base, t.n_criteri,
    CASE WHEN t.n_misurati = t.n_criteri THEN t.valore END AS valore,
    CASE WHEN t.n_misurati = t.n_criteri THEN t.valore_proiettato END AS valore_proiettato,
    CASE WHEN t.n_misurati = t.n_criteri THEN t.grado_min END AS grado,
    stato_da_grado(CASE WHEN t.n_misurati = t.n_criteri THEN t.grado_min END, p_trim,
                   s.soglia_raggiunto, s.soglia_parziale) AS status,
    t.trimestre_dato, t.motivo_non_rilevato, coalesce(t.demo, false) AS demo,
    coalesce(t.provvisorio, false) AS provvisorio
FROM t
JOIN target_del_periodo(p_anno, p_trim) tg ON tg.ente = t.ente AND tg.codice = t.target AND tg.anno_da = t.anno_da
JOIN obiettivi o ON o.ente = t.ente AND o.codice = t.obiettivo
JOIN smvp s ON s.ente = t.ente;

-- name: stato_obiettivi
-- Objectives with targets in p_anno: weighted average of the measured targets' grado.
CREATE OR REPLACE MACRO stato_obiettivi(p_anno, p_trim) AS TABLE
WITH t AS (SELECT * FROM stato_target(p_anno, p_trim)),
o AS (
    SELECT ente, obiettivo, area,
        count(*) AS n_target,
        count(grado) AS n_rilevati,
        media_pesata(grado, peso) AS grado,
        count(*) FILTER (WHERE status = 'raggiunto') AS n_raggiunto,
        count(*) FILTER (WHERE status = 'parzialmente_raggiunto') AS n_parzialmente_raggiunto,
        count(*) FILTER (WHERE status = 'non_raggiunto') AS n_non_raggiunto,
        count(*) FILTER (WHERE status = 'in_linea') AS n_in_linea,
        count(*) FILTER (WHERE status = 'a_rischio') AS n_a_rischio,
        count(*) FILTER (WHERE status = 'non_rilevato') AS n_non_rilevato,
        bool_or(demo) AS demo, bool_or(provvisorio) AS provvisorio
    FROM t GROUP BY ente, obiettivo, area
)
SELECT o.*, ob.peso, ob.titolo,
    stato_da_grado(o.grado, p_trim, s.soglia_raggiunto, s.soglia_parziale) AS status
FROM o
JOIN obiettivi ob ON ob.ente = o.ente AND ob.codice = o.obiettivo
JOIN smvp s ON s.ente = o.ente;

-- name: stato_aree
-- Areas: weighted average of their measured objectives' grado; target counts summed.
CREATE OR REPLACE MACRO stato_aree(p_anno, p_trim) AS TABLE
WITH o AS (SELECT * FROM stato_obiettivi(p_anno, p_trim)),
a AS (
    SELECT ente, area,
        sum(n_target) AS n_target, sum(n_rilevati) AS n_rilevati,
        media_pesata(grado, peso) AS grado,
        sum(n_raggiunto) AS n_raggiunto, sum(n_parzialmente_raggiunto) AS n_parzialmente_raggiunto,
        sum(n_non_raggiunto) AS n_non_raggiunto, sum(n_in_linea) AS n_in_linea,
        sum(n_a_rischio) AS n_a_rischio, sum(n_non_rilevato) AS n_non_rilevato,
        bool_or(demo) AS demo, bool_or(provvisorio) AS provvisorio
    FROM o GROUP BY ente, area
)
SELECT a.*, ar.peso, ar.nome,
    stato_da_grado(a.grado, p_trim, s.soglia_raggiunto, s.soglia_parziale) AS status
FROM a
JOIN aree ar ON ar.ente = a.ente AND ar.codice = a.area
JOIN smvp s ON s.ente = a.ente;

-- name: stato_enti
-- The whole body: weighted average of its measured areas' grado.
CREATE OR REPLACE MACRO stato_enti(p_anno, p_trim) AS TABLE
WITH a AS (SELECT * FROM stato_aree(p_anno, p_trim)),
e AS (
    SELECT ente,
        sum(n_target) AS n_target, sum(n_rilevati) AS n_rilevati,
        media_pesata(grado, peso) AS grado,
        sum(n_raggiunto) AS n_raggiunto, sum(n_parzialmente_raggiunto) AS n_parzialmente_raggiunto,
        sum(n_non_raggiunto) AS n_non_raggiunto, sum(n_in_linea) AS n_in_linea,
        sum(n_a_rischio) AS n_a_rischio, sum(n_non_rilevato) AS n_non_rilevato,
        bool_or(demo) AS demo, bool_or(provvisorio) AS provvisorio
    FROM a GROUP BY ente
)
SELECT e.*, en.nome,
    stato_da_grado(e.grado, p_trim, s.soglia_raggiunto, s.soglia_parziale) AS status
FROM e
JOIN enti en ON en.codice = e.ente
JOIN smvp s ON s.ente = e.ente;
