-- name: seq_approvazioni
-- Ids of the office heads' decisions on values.
CREATE SEQUENCE IF NOT EXISTS seq_approvazioni;

-- name: approvazioni
-- Append-only: the office head's (or the planning office's) decision on one version of a value:
-- approvato, or restituito with the reason. The latest decision on a version is in force.
CREATE TABLE IF NOT EXISTS approvazioni (
    id          BIGINT PRIMARY KEY DEFAULT nextval('seq_approvazioni'),
    ente        VARCHAR NOT NULL,
    indicatore  VARCHAR NOT NULL,
    anno        INTEGER NOT NULL,
    trimestre   INTEGER NOT NULL,
    ambito      VARCHAR NOT NULL,
    versione    INTEGER NOT NULL,
    esito       VARCHAR NOT NULL CHECK (esito IN ('approvato', 'restituito')),
    motivo      VARCHAR,
    utente      VARCHAR NOT NULL,
    quando      TIMESTAMP NOT NULL
);

-- name: misure_stato
-- Every version of every value with its approval state: 'approvato' when it never needed approval
-- (planning office, seed, demo, rows from before) or its latest decision approved it; 'restituito' when
-- returned; otherwise 'provvisorio'.
CREATE OR REPLACE VIEW misure_stato AS
SELECT m.*,
    CASE WHEN NOT m.da_approvare THEN 'approvato' ELSE coalesce(d.esito, 'provvisorio') END AS stato_approvazione,
    d.motivo AS motivo_decisione, d.utente AS deciso_da, d.quando AS deciso_il
FROM misure m
LEFT JOIN (
    SELECT * FROM approvazioni
    QUALIFY row_number() OVER (PARTITION BY ente, indicatore, anno, trimestre, ambito, versione ORDER BY id DESC) = 1
) d ON d.ente = m.ente AND d.indicatore = m.indicatore AND d.anno = m.anno AND d.trimestre = m.trimestre
   AND d.ambito = m.ambito AND d.versione = m.versione;

-- name: seq_spiegazioni
-- Ids of the explanations of deviations.
CREATE SEQUENCE IF NOT EXISTS seq_spiegazioni;

-- name: spiegazioni
-- Append-only: why a target is at risk or missed (causa) and what is done about it (azione), per
-- target and quarter (4 = the year end); the latest is in force, the earlier ones are its history.
CREATE TABLE IF NOT EXISTS spiegazioni (
    id          BIGINT PRIMARY KEY DEFAULT nextval('seq_spiegazioni'),
    ente        VARCHAR NOT NULL,
    target      VARCHAR NOT NULL,
    anno_da     INTEGER NOT NULL,
    anno        INTEGER NOT NULL,
    trimestre   INTEGER NOT NULL CHECK (trimestre BETWEEN 1 AND 4),
    causa       VARCHAR NOT NULL,
    azione      VARCHAR NOT NULL,
    utente      VARCHAR NOT NULL,
    quando      TIMESTAMP NOT NULL
);

-- name: file_blob
-- The content of evidence files, once per SHA-256 (the same file attached twice is stored once). In the
-- database file itself, so that copying that one file backs up everything.
CREATE TABLE IF NOT EXISTS file_blob (
    sha256     VARCHAR PRIMARY KEY,
    tipo       VARCHAR NOT NULL,
    byte       BIGINT NOT NULL,
    contenuto  BLOB NOT NULL,
    creato_il  TIMESTAMP NOT NULL
);

-- name: seq_evidenze_file
-- Ids of the evidence-file records.
CREATE SEQUENCE IF NOT EXISTS seq_evidenze_file;

-- name: evidenze_file
-- Append-only: a file attached to a target and period as evidence (azione 'allegato', with what it proves),
-- or the withdrawal of an earlier attachment (azione 'ritirato', ritira = its id, with the reason).
CREATE TABLE IF NOT EXISTS evidenze_file (
    id           BIGINT PRIMARY KEY DEFAULT nextval('seq_evidenze_file'),
    ente         VARCHAR NOT NULL,
    target       VARCHAR NOT NULL,
    anno_da      INTEGER NOT NULL,
    anno         INTEGER NOT NULL,
    trimestre    INTEGER NOT NULL CHECK (trimestre BETWEEN 1 AND 4),
    azione       VARCHAR NOT NULL CHECK (azione IN ('allegato', 'ritirato')),
    ritira       BIGINT,
    sha256       VARCHAR,
    nome_file    VARCHAR,
    tipo         VARCHAR,
    descrizione  VARCHAR NOT NULL,
    utente       VARCHAR NOT NULL,
    quando       TIMESTAMP NOT NULL
);

-- name: seq_congelamenti
-- Ids of the year's freezes.
CREATE SEQUENCE IF NOT EXISTS seq_congelamenti;

-- name: congelamenti
-- The planning office closed a year for validation: the snapshot's id, who and when.
CREATE TABLE IF NOT EXISTS congelamenti (
    id      BIGINT PRIMARY KEY DEFAULT nextval('seq_congelamenti'),
    ente    VARCHAR NOT NULL,
    anno    INTEGER NOT NULL,
    utente  VARCHAR NOT NULL,
    quando  TIMESTAMP NOT NULL,
    nota    VARCHAR
);

-- name: congelati_target
-- Each target's judged figure at year end as of the freeze.
CREATE TABLE IF NOT EXISTS congelati_target (
    congelamento  BIGINT NOT NULL,
    ente          VARCHAR NOT NULL,
    anno          INTEGER NOT NULL,
    area          VARCHAR,
    obiettivo     VARCHAR,
    target        VARCHAR NOT NULL,
    anno_da       INTEGER NOT NULL,
    testo         VARCHAR,
    indicatore    VARCHAR,
    operatore     VARCHAR,
    soglia        DOUBLE,
    valore        DOUBLE,
    grado         DOUBLE,
    status        VARCHAR,
    motivo_non_rilevato VARCHAR,
    demo          BOOLEAN,
    PRIMARY KEY (congelamento, target, anno_da)
);

-- name: congelati_livelli
-- Each objective's, area's and the body's grado and status at year end as of the freeze.
CREATE TABLE IF NOT EXISTS congelati_livelli (
    congelamento  BIGINT NOT NULL,
    ente          VARCHAR NOT NULL,
    anno          INTEGER NOT NULL,
    livello       VARCHAR NOT NULL,
    codice        VARCHAR NOT NULL,
    nome          VARCHAR,
    grado         DOUBLE,
    status        VARCHAR
);

-- name: congelati_misure
-- Every value in force of the year (and the year before, for year-on-year targets) as of the freeze.
CREATE TABLE IF NOT EXISTS congelati_misure (
    congelamento  BIGINT NOT NULL,
    ente          VARCHAR NOT NULL,
    indicatore    VARCHAR NOT NULL,
    anno          INTEGER NOT NULL,
    trimestre     INTEGER NOT NULL,
    ambito        VARCHAR NOT NULL,
    versione      INTEGER NOT NULL,
    valore        DOUBLE,
    numeratore    DOUBLE,
    denominatore  DOUBLE,
    utente        VARCHAR,
    registrato_il TIMESTAMP,
    stato_approvazione VARCHAR
);

-- name: congelati_spiegazioni
-- The explanations in force at year end as of the freeze.
CREATE TABLE IF NOT EXISTS congelati_spiegazioni (
    congelamento  BIGINT NOT NULL,
    ente          VARCHAR NOT NULL,
    target        VARCHAR NOT NULL,
    anno_da       INTEGER NOT NULL,
    causa         VARCHAR,
    azione        VARCHAR,
    utente        VARCHAR,
    quando        TIMESTAMP
);

-- name: congelati_evidenze
-- The evidence files in force for the year as of the freeze (the content stays in file_blob).
CREATE TABLE IF NOT EXISTS congelati_evidenze (
    congelamento  BIGINT NOT NULL,
    ente          VARCHAR NOT NULL,
    target        VARCHAR NOT NULL,
    anno_da       INTEGER NOT NULL,
    evidenza      BIGINT NOT NULL,
    trimestre     INTEGER,
    nome_file     VARCHAR,
    tipo          VARCHAR,
    sha256        VARCHAR,
    descrizione   VARCHAR,
    utente        VARCHAR,
    quando        TIMESTAMP
);

-- name: promemoria_config
-- The body's reminder rules: days after a quarter's end by which data is due, days more before the
-- Segretario gets the list. Without a row: 20 and 10.
CREATE TABLE IF NOT EXISTS promemoria_config (
    ente               VARCHAR PRIMARY KEY,
    giorni_scadenza    INTEGER NOT NULL DEFAULT 20,
    giorni_sollecito   INTEGER NOT NULL DEFAULT 10
);

-- name: seq_posta
-- Ids of the outbox's messages.
CREATE SEQUENCE IF NOT EXISTS seq_posta;

-- name: posta_in_uscita
-- The outbox: every reminder composed, once per (chiave, destinatario), with its delivery state
-- ('da_inviare', 'inviato', 'errore'), attempts and the last error.
CREATE TABLE IF NOT EXISTS posta_in_uscita (
    id            BIGINT PRIMARY KEY DEFAULT nextval('seq_posta'),
    ente          VARCHAR NOT NULL,
    chiave        VARCHAR NOT NULL,
    destinatario  VARCHAR NOT NULL,
    oggetto       VARCHAR NOT NULL,
    corpo         VARCHAR NOT NULL,
    creato_il     TIMESTAMP NOT NULL,
    stato         VARCHAR NOT NULL CHECK (stato IN ('da_inviare', 'inviato', 'errore')),
    tentativi     INTEGER NOT NULL DEFAULT 0,
    inviato_il    TIMESTAMP,
    errore        VARCHAR,
    UNIQUE (chiave, destinatario)
);
