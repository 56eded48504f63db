-- name: piano_versioni
-- Every version of a body's plan as loaded: a draft (bozza) until adopted with its act. The plan tables
-- (enti … sportelli) hold the adopted version in force now; a version's own rows are in piano_contenuti.
-- sha256 is of the version's content (canonical JSON), the same whether it came as .xlsx or as CSV files.
CREATE TABLE IF NOT EXISTS piano_versioni (
    ente           VARCHAR NOT NULL,
    versione       INTEGER NOT NULL,
    stato          VARCHAR NOT NULL CHECK (stato IN ('bozza', 'adottato')),
    atto           VARCHAR,
    data_atto      DATE,
    in_vigore_dal  DATE,
    caricato_da    VARCHAR NOT NULL,
    caricato_il    TIMESTAMP NOT NULL,
    adottato_da    VARCHAR,
    adottato_il    TIMESTAMP,
    sha256         VARCHAR NOT NULL,
    origine        VARCHAR,
    PRIMARY KEY (ente, versione)
);

-- name: piano_contenuti
-- A version's rows, one JSON array of row objects per sheet (dates as ISO text).
CREATE TABLE IF NOT EXISTS piano_contenuti (
    ente      VARCHAR NOT NULL,
    versione  INTEGER NOT NULL,
    foglio    VARCHAR NOT NULL,
    righe     VARCHAR NOT NULL,
    PRIMARY KEY (ente, versione, foglio)
);

-- name: criteri_versioni
-- The criteria of every adopted version (criteri's columns + versione), so a period is judged by the
-- thresholds in force at its end. Columns added to criteri later are added here by db.ensure_schema.
CREATE TABLE IF NOT EXISTS criteri_versioni AS SELECT 0::INTEGER AS versione, * FROM criteri LIMIT 0;

-- name: target_versioni
-- The targets of every adopted version (target's columns + versione): which targets a period judges, and
-- with what weight, is the version in force at its end, as for the criteria.
CREATE TABLE IF NOT EXISTS target_versioni AS SELECT 0::INTEGER AS versione, * FROM target LIMIT 0;

-- name: versione_del_periodo
-- Per body, the adopted plan version in force on the last day of quarter p_trim of p_anno (the latest
-- in_vigore_dal on or before it; before the first version, the first), and the version in force today.
CREATE OR REPLACE MACRO versione_del_periodo(p_anno, p_trim) AS TABLE
WITH fine AS (
    SELECT (make_date(p_anno::BIGINT, p_trim::BIGINT * 3, 1) + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS giorno
),
adottate AS (
    SELECT ente, versione, in_vigore_dal,
        strftime(in_vigore_dal, '%Y-%m-%d') || lpad(versione::VARCHAR, 9, '0') AS ordine
    FROM piano_versioni WHERE stato = 'adottato'
)
SELECT ente,
    coalesce(arg_max(versione, ordine) FILTER (WHERE in_vigore_dal <= (SELECT giorno FROM fine)),
             arg_min(versione, ordine)) AS versione,
    arg_max(versione, ordine) AS corrente
FROM adottate GROUP BY ente;

-- name: criteri_del_periodo
-- The criteria rows (every year's) that judge quarter p_trim of p_anno, per body: those of the version in force
-- at the period's end (versione_del_periodo). The version in force today is read from the live criteri table,
-- so a threshold changed there since counts; bodies with no adopted version use the live table too.
-- ordine is the row's place in the plan as loaded: the tie-break between equally weak conditions.
CREATE OR REPLACE MACRO criteri_del_periodo(p_anno, p_trim) AS TABLE
WITH scelta AS (SELECT * FROM versione_del_periodo(p_anno, p_trim))
SELECT c.* FROM criteri c
WHERE c.ente NOT IN (SELECT ente FROM scelta WHERE versione <> corrente)
UNION ALL BY NAME
SELECT cv.* EXCLUDE (versione)
FROM criteri_versioni cv JOIN scelta s ON s.ente = cv.ente AND s.versione = cv.versione
WHERE s.versione <> s.corrente;

-- name: target_del_periodo
-- The targets that quarter p_trim of p_anno is judged on, with their weights: those of the version in force at
-- the period's end, as criteri_del_periodo (a target added in June is not judged in the first quarter, and a
-- weight changed in June does not rewrite the first quarter's roll-up).
CREATE OR REPLACE MACRO target_del_periodo(p_anno, p_trim) AS TABLE
WITH scelta AS (SELECT * FROM versione_del_periodo(p_anno, p_trim))
SELECT t.* FROM target t
WHERE t.ente NOT IN (SELECT ente FROM scelta WHERE versione <> corrente)
UNION ALL BY NAME
SELECT tv.* EXCLUDE (versione)
FROM target_versioni tv JOIN scelta s ON s.ente = tv.ente AND s.versione = tv.versione
WHERE s.versione <> s.corrente;
