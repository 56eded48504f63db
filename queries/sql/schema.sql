-- name: enti
-- Bodies (enti): every other table carries the body, so several can live side by side.
CREATE TABLE IF NOT EXISTS enti (
    codice      VARCHAR PRIMARY KEY,
    nome        VARCHAR NOT NULL,
    nome_breve  VARCHAR
);

-- name: smvp
-- The body's measurement system (SMVP): status bands are configuration, not code.
CREATE TABLE IF NOT EXISTS smvp (
    ente              VARCHAR PRIMARY KEY,
    soglia_raggiunto  DOUBLE NOT NULL DEFAULT 100,
    soglia_parziale   DOUBLE NOT NULL DEFAULT 60
);

-- name: smvp_fascia_zero
-- The bands of the 'fasce' rule, in % of the target (see grado_criterio): below fascia_zero a
-- condition scores 0, from fascia_piena 100. Added by ALTER so that files from before get them.
ALTER TABLE smvp ADD COLUMN IF NOT EXISTS fascia_zero DOUBLE DEFAULT 70;

-- name: smvp_fascia_zero_not_null
-- DuckDB cannot add a NOT NULL column with IF NOT EXISTS: added first, constrained after.
ALTER TABLE smvp ALTER COLUMN fascia_zero SET NOT NULL;

-- name: smvp_fascia_piena
-- Upgrade of older files: from this share of the threshold the fasce rule scores 100.
ALTER TABLE smvp ADD COLUMN IF NOT EXISTS fascia_piena DOUBLE DEFAULT 90;

-- name: smvp_fascia_piena_not_null
-- Upgrade of older files: the band is always set.
ALTER TABLE smvp ALTER COLUMN fascia_piena SET NOT NULL;

-- name: aree
-- The strategic areas of a body, with their roll-up weight.
CREATE TABLE IF NOT EXISTS aree (
    ente    VARCHAR NOT NULL,
    codice  VARCHAR NOT NULL,
    nome    VARCHAR NOT NULL,
    peso    DOUBLE NOT NULL DEFAULT 1,
    PRIMARY KEY (ente, codice)
);

-- name: obiettivi
-- The strategic objectives, each under one area, with their roll-up weight.
CREATE TABLE IF NOT EXISTS obiettivi (
    ente    VARCHAR NOT NULL,
    codice  VARCHAR NOT NULL,
    area    VARCHAR NOT NULL,
    titolo  VARCHAR NOT NULL,
    peso    DOUBLE NOT NULL DEFAULT 1,
    PRIMARY KEY (ente, codice)
);

-- name: eventi_obiettivi
-- The life of an objective: modified, proposed for elimination, eliminated, each with its act and date.
CREATE TABLE IF NOT EXISTS eventi_obiettivi (
    ente       VARCHAR NOT NULL,
    obiettivo  VARCHAR NOT NULL,
    tipo       VARCHAR NOT NULL CHECK (tipo IN ('creato', 'modificato', 'proposto_eliminazione',
                                              'eliminato', 'proposta_eliminazione_target')),
    data       DATE NOT NULL,
    atto       VARCHAR,
    nota       VARCHAR
);

-- name: cdc
-- The cost centres (centri di costo).
CREATE TABLE IF NOT EXISTS cdc (
    ente    VARCHAR NOT NULL,
    codice  VARCHAR NOT NULL,
    nome    VARCHAR NOT NULL,
    PRIMARY KEY (ente, codice)
);

-- name: uffici
-- The offices, each with its cost centre; indicators and staff belong to an office.
CREATE TABLE IF NOT EXISTS uffici (
    ente    VARCHAR NOT NULL,
    codice  VARCHAR NOT NULL,
    nome    VARCHAR NOT NULL,
    cdc     VARCHAR,
    PRIMARY KEY (ente, codice)
);

-- name: progetti
-- cdc_testo and area_testo keep the labels as printed, so inconsistencies stay visible.
CREATE TABLE IF NOT EXISTS progetti (
    ente        VARCHAR NOT NULL,
    codice      VARCHAR NOT NULL,
    obiettivo   VARCHAR NOT NULL,
    ufficio     VARCHAR,
    cdc         VARCHAR,
    cdc_testo   VARCHAR,
    area_testo  VARCHAR,
    titolo      VARCHAR NOT NULL,
    PRIMARY KEY (ente, codice)
);

-- name: target
-- The strategic targets of an objective, for the years anno_da..anno_a, with full text and weight.
CREATE TABLE IF NOT EXISTS target (
    ente       VARCHAR NOT NULL,
    codice     VARCHAR NOT NULL,
    obiettivo  VARCHAR NOT NULL,
    numero     INTEGER NOT NULL,
    anno_da    INTEGER NOT NULL,
    anno_a     INTEGER NOT NULL,
    peso       DOUBLE NOT NULL DEFAULT 1,
    testo      VARCHAR NOT NULL,
    PRIMARY KEY (ente, codice, anno_da)
);

-- name: indicatori
-- aggregazione says how quarters make a year: somma (counts), ultimo (stocks, progress),
-- casi (sum of numerators / sum of denominators x fattore: averages of cases).
CREATE TABLE IF NOT EXISTS indicatori (
    ente             VARCHAR NOT NULL,
    codice           VARCHAR NOT NULL,
    nome             VARCHAR NOT NULL,
    unita            VARCHAR NOT NULL,
    ufficio          VARCHAR NOT NULL,
    aggregazione     VARCHAR NOT NULL CHECK (aggregazione IN ('somma', 'ultimo', 'casi')),
    fattore          DOUBLE NOT NULL DEFAULT 1,
    proiezione       VARCHAR NOT NULL CHECK (proiezione IN ('lineare', 'costante')),
    scala_min        DOUBLE,
    scala_max        DOUBLE,
    target_contesto  VARCHAR,
    PRIMARY KEY (ente, codice)
);

-- name: criteri
-- How a target is judged: one row per condition on an indicator. A target is met when all are.
-- regola is the SMVP's scoring rule of the condition (see grado_criterio); valore_base is the
-- baseline that 'interpolazione' starts from. anno NULL: the threshold holds in every year of the
-- target; a year: this row's threshold holds in that year only (PIAO targets over three years).
-- Files from before get the last three columns from the ALTERs below (so they stay last here),
-- without the CHECK, which DuckDB cannot add by ALTER: the loader checks regola too (seed.criteri_non_validi).
CREATE TABLE IF NOT EXISTS criteri (
    ente         VARCHAR NOT NULL,
    target       VARCHAR NOT NULL,
    anno_da      INTEGER NOT NULL,
    indicatore   VARCHAR NOT NULL,
    tipo         VARCHAR NOT NULL CHECK (tipo IN ('soglia', 'rapporto_annuo', 'conteggio', 'percentuale', 'milestone')),
    operatore    VARCHAR NOT NULL CHECK (operatore IN ('<', '<=', '>', '>=')),
    soglia       DOUBLE NOT NULL,
    regola       VARCHAR NOT NULL DEFAULT 'rapporto'
                 CHECK (regola IN ('rapporto', 'interpolazione', 'fasce', 'binario')),
    valore_base  DOUBLE,
    anno         INTEGER
);

-- name: criteri_regola
-- Files created before the scoring rules: the columns are added, in the order above.
ALTER TABLE criteri ADD COLUMN IF NOT EXISTS regola VARCHAR DEFAULT 'rapporto';

-- name: criteri_regola_not_null
-- Upgrade of older files: every condition has its scoring rule.
ALTER TABLE criteri ALTER COLUMN regola SET NOT NULL;

-- name: criteri_valore_base
-- Upgrade of older files: the baseline the interpolazione rule starts from.
ALTER TABLE criteri ADD COLUMN IF NOT EXISTS valore_base DOUBLE;

-- name: criteri_anno
-- Upgrade of older files: the year a threshold applies to (NULL: every year of the target).
ALTER TABLE criteri ADD COLUMN IF NOT EXISTS anno INTEGER;

-- name: criteri_ordine
-- The row's place in the plan as loaded (the workbook's order, written by the plan import): the tie-break
-- between equally weak conditions. It was DuckDB's rowid, which a PostgreSQL table does not have.
ALTER TABLE criteri ADD COLUMN IF NOT EXISTS ordine BIGINT;

-- name: criteri_ordine_riempito
-- Upgrade of older files: their rows' place as DuckDB stored them (what the tie-break used before).
UPDATE criteri SET ordine = rowid WHERE ordine IS NULL;

-- name: budget
-- Oneri, ricavi, contributi, investimenti per objective and year; anno_testo is the year as printed.
CREATE TABLE IF NOT EXISTS budget (
    ente          VARCHAR NOT NULL,
    obiettivo     VARCHAR NOT NULL,
    anno          INTEGER NOT NULL,
    anno_testo    INTEGER,
    oneri         DECIMAL(14, 2) NOT NULL,
    ricavi        DECIMAL(14, 2) NOT NULL,
    contributi    DECIMAL(14, 2) NOT NULL,
    investimenti  DECIMAL(14, 2) NOT NULL,
    PRIMARY KEY (ente, obiettivo, anno)
);

-- name: budget_stampa
-- Totals as printed in the source document, to check the figures against.
CREATE TABLE IF NOT EXISTS budget_stampa (
    ente        VARCHAR NOT NULL,
    livello     VARCHAR NOT NULL,
    codice      VARCHAR NOT NULL,
    anno        INTEGER NOT NULL,
    anno_testo  INTEGER,
    voce        VARCHAR NOT NULL,
    importo     DECIMAL(14, 2) NOT NULL,
    testo       VARCHAR
);

-- name: seq_evidenze
-- Ids of the evidence rows.
CREATE SEQUENCE IF NOT EXISTS seq_evidenze;

-- name: evidenze
-- The narrative evidence of a target for a period, with who entered it and when.
CREATE TABLE IF NOT EXISTS evidenze (
    id            BIGINT PRIMARY KEY DEFAULT nextval('seq_evidenze'),
    ente          VARCHAR NOT NULL,
    target        VARCHAR NOT NULL,
    anno_da       INTEGER NOT NULL,
    anno          INTEGER NOT NULL,
    trimestre     INTEGER NOT NULL,
    testo         VARCHAR NOT NULL,
    fonte         VARCHAR,
    utente        VARCHAR NOT NULL,
    registrato_il TIMESTAMP NOT NULL
);

-- name: seq_misure
-- Ids of the measurement versions.
CREATE SEQUENCE IF NOT EXISTS seq_misure;

-- name: misure
-- Append-only: a correction is a new row with versione + 1; the old row stays, with who, when and why.
-- ambito: 'trimestre' (the value of that quarter) or 'progressivo' (year to date, as the seed reports).
CREATE TABLE IF NOT EXISTS misure (
    id            BIGINT PRIMARY KEY DEFAULT nextval('seq_misure'),
    ente          VARCHAR NOT NULL,
    indicatore    VARCHAR NOT NULL,
    anno          INTEGER NOT NULL,
    trimestre     INTEGER NOT NULL CHECK (trimestre BETWEEN 1 AND 4),
    ambito        VARCHAR NOT NULL DEFAULT 'trimestre' CHECK (ambito IN ('trimestre', 'progressivo')),
    valore        DOUBLE,
    numeratore    DOUBLE,
    denominatore  DOUBLE,
    note          VARCHAR,
    fonte         VARCHAR,
    demo          BOOLEAN NOT NULL DEFAULT false,
    versione      INTEGER NOT NULL,
    utente        VARCHAR NOT NULL,
    registrato_il TIMESTAMP NOT NULL,
    motivo        VARCHAR,
    UNIQUE (ente, indicatore, anno, trimestre, ambito, versione)
);

-- name: misure_da_approvare
-- Upgrade of older files: whether a version waits for the office head's approval (set when written, never
-- updated). Rows from before approval existed, the seed's and the demo's are approved by this default.
ALTER TABLE misure ADD COLUMN IF NOT EXISTS da_approvare BOOLEAN DEFAULT false;

-- name: misure_correnti
-- The value in force for each indicator and quarter: the latest version.
CREATE OR REPLACE VIEW misure_correnti AS
SELECT *
FROM misure
QUALIFY row_number() OVER (PARTITION BY ente, indicatore, anno, trimestre, ambito ORDER BY versione DESC) = 1;

-- name: utenti
-- The accounts: role, body, Argon2id hash.
CREATE TABLE IF NOT EXISTS utenti (
    username       VARCHAR PRIMARY KEY,
    ente           VARCHAR NOT NULL,
    ruolo          VARCHAR NOT NULL CHECK (ruolo IN ('segretario_generale', 'oiv', 'staff', 'pianificazione', 'responsabile', 'nazionale')),
    password_hash  VARCHAR,
    creato_il      TIMESTAMP NOT NULL
);

-- name: utenti_uffici
-- The offices whose values a staff account may write.
CREATE TABLE IF NOT EXISTS utenti_uffici (
    username  VARCHAR NOT NULL,
    ente      VARCHAR NOT NULL,
    ufficio   VARCHAR NOT NULL,
    PRIMARY KEY (username, ente, ufficio)
);

-- name: utenti_enti
-- The bodies an account belongs to (dashboard/core/body_access.py): it reads them, and writes them unless its
-- role is the national one (read-only). Its predecessors' data (successioni) it reads too.
CREATE TABLE IF NOT EXISTS utenti_enti (
    username  VARCHAR NOT NULL,
    ente      VARCHAR NOT NULL,
    PRIMARY KEY (username, ente)
);

-- name: utenti_enti_primario
-- Upgrade of older files, and an invariant: every account belongs to its own body (utenti.ente).
INSERT INTO utenti_enti (username, ente) SELECT username, ente FROM utenti ON CONFLICT DO NOTHING;

-- name: segnalazioni
-- Data-quality warnings: inconsistencies of the source document, shown to the planning office.
CREATE TABLE IF NOT EXISTS segnalazioni (
    ente         VARCHAR NOT NULL,
    origine      VARCHAR NOT NULL,
    oggetto      VARCHAR NOT NULL,
    descrizione  VARCHAR NOT NULL
);

-- name: meta
-- Facts about the database itself (e.g. when the plan was loaded).
CREATE TABLE IF NOT EXISTS meta (
    chiave  VARCHAR PRIMARY KEY,
    valore  VARCHAR
);

-- name: utenti_email
-- The identity a single sign-on provider gives (st.user.email) maps to a local account by e-mail.
ALTER TABLE utenti ADD COLUMN IF NOT EXISTS email VARCHAR;

-- name: utenti_tentativi
-- Upgrade of older files: failed login attempts on the account.
ALTER TABLE utenti ADD COLUMN IF NOT EXISTS tentativi_falliti INTEGER DEFAULT 0;

-- name: utenti_bloccato
-- Upgrade of older files: the end of the account's lock after too many failures.
ALTER TABLE utenti ADD COLUMN IF NOT EXISTS bloccato_fino TIMESTAMP;

-- name: utenti_stati
-- Accounts disabled and enabled again (core/accounts.py), append-only: who, when, why. An account without a
-- row is active; the latest row says whether it is. Nothing is deleted: a disabled account keeps its rows.
CREATE TABLE IF NOT EXISTS utenti_stati (
    username  VARCHAR NOT NULL,
    quando    TIMESTAMP NOT NULL,
    attivo    BOOLEAN NOT NULL,
    da        VARCHAR NOT NULL,
    motivo    VARCHAR NOT NULL,
    PRIMARY KEY (username, quando)
);

-- name: tentativi_accesso
-- Failed logins by account and source (the client's address), and by source alone (username '*'). A lock holds
-- for that account from that source only, so nobody can lock somebody else out from elsewhere (auth.py).
-- Unknown names get no row of their own: only their source's count grows.
CREATE TABLE IF NOT EXISTS tentativi_accesso (
    username       VARCHAR NOT NULL,
    origine        VARCHAR NOT NULL,
    tentativi      INTEGER NOT NULL,
    bloccato_fino  TIMESTAMP,
    PRIMARY KEY (username, origine)
);

-- name: seq_sessioni
-- Ids of the login sessions.
CREATE SEQUENCE IF NOT EXISTS seq_sessioni;

-- name: sessioni
-- A login that outlives a page reload (core/sessions.py): only SHA-256 hashes of its secrets are kept — the
-- one-time code the page hands to the browser right after the login, and the token the browser then holds in
-- an HttpOnly cookie. Ends after `ultimo_accesso` + the idle timeout, at `scade` (absolute), or when revoked
-- (logout). Identity is re-read from utenti at every restore, never from the cookie.
CREATE TABLE IF NOT EXISTS sessioni (
    id              BIGINT PRIMARY KEY DEFAULT nextval('seq_sessioni'),
    username        VARCHAR NOT NULL,
    ente            VARCHAR NOT NULL,
    hash_codice     VARCHAR NOT NULL,
    codice_scade    TIMESTAMP NOT NULL,
    codice_usato    BOOLEAN NOT NULL DEFAULT false,
    hash_token      VARCHAR,
    creata          TIMESTAMP NOT NULL,
    ultimo_accesso  TIMESTAMP NOT NULL,
    scade           TIMESTAMP NOT NULL,
    revocata        TIMESTAMP,
    motivo_revoca   VARCHAR
);

-- name: seq_audit
-- Ids of the audit rows (their order is the order of the writes).
CREATE SEQUENCE IF NOT EXISTS seq_audit;

-- name: audit
-- The audit trail: every write, append-only (no code path updates or deletes it).
-- prima / dopo are JSON texts of what changed; motivo is the reason given.
CREATE TABLE IF NOT EXISTS audit (
    id        BIGINT PRIMARY KEY DEFAULT nextval('seq_audit'),
    ente      VARCHAR,
    quando    TIMESTAMP NOT NULL,
    utente    VARCHAR NOT NULL,
    azione    VARCHAR NOT NULL,
    oggetto   VARCHAR,
    prima     VARCHAR,
    dopo      VARCHAR,
    motivo    VARCHAR
);

-- name: periodi
-- Closing and reopening of quarters, append-only: the latest row of a quarter is its state.
-- A quarter with no row is open.
CREATE TABLE IF NOT EXISTS periodi (
    ente       VARCHAR NOT NULL,
    anno       INTEGER NOT NULL,
    trimestre  INTEGER NOT NULL CHECK (trimestre BETWEEN 1 AND 4),
    stato      VARCHAR NOT NULL CHECK (stato IN ('aperto', 'chiuso')),
    utente     VARCHAR NOT NULL,
    quando     TIMESTAMP NOT NULL,
    motivo     VARCHAR
);

-- name: seq_verdetti
-- Ids of the OIV verdicts.
CREATE SEQUENCE IF NOT EXISTS seq_verdetti;

-- name: verdetti
-- The OIV's validation of each target's result, append-only: the latest is in force.
CREATE TABLE IF NOT EXISTS verdetti (
    id         BIGINT PRIMARY KEY DEFAULT nextval('seq_verdetti'),
    ente       VARCHAR NOT NULL,
    target     VARCHAR NOT NULL,
    anno_da    INTEGER NOT NULL,
    anno       INTEGER NOT NULL,
    verdetto   VARCHAR NOT NULL CHECK (verdetto IN ('validato', 'validato_con_riserva', 'non_validato')),
    commento   VARCHAR,
    utente     VARCHAR NOT NULL,
    quando     TIMESTAMP NOT NULL
);

-- name: verdetti_grado
-- Upgrade of older files: the grado the verdict was given on (a later change of plan or value shows as such).
ALTER TABLE verdetti ADD COLUMN IF NOT EXISTS grado DOUBLE;

-- name: verdetti_stato
-- Upgrade of older files: the status the verdict was given on.
ALTER TABLE verdetti ADD COLUMN IF NOT EXISTS stato VARCHAR;

-- name: seq_lotti
-- Batch numbers of the raw-records imports.
CREATE SEQUENCE IF NOT EXISTS seq_lotti;

-- name: lotti_record
-- One imported file of raw records: the source every computed metric points back to.
CREATE TABLE IF NOT EXISTS lotti_record (
    id       BIGINT PRIMARY KEY DEFAULT nextval('seq_lotti'),
    ente     VARCHAR NOT NULL,
    tipo     VARCHAR NOT NULL CHECK (tipo IN ('pratiche', 'questionari', 'fatture')),
    file     VARCHAR NOT NULL,
    sha256   VARCHAR NOT NULL,
    righe    BIGINT NOT NULL,
    utente   VARCHAR NOT NULL,
    quando   TIMESTAMP NOT NULL
);

-- name: pratiche
-- Registro Imprese practices; a practice belongs to the quarter of its completion.
CREATE TABLE IF NOT EXISTS pratiche (
    ente                VARCHAR NOT NULL,
    protocollo          VARCHAR NOT NULL,
    tipo                VARCHAR,
    ufficio             VARCHAR,
    data_arrivo         DATE NOT NULL,
    data_evasione       DATE NOT NULL,
    giorni_sospensione  INTEGER NOT NULL,
    lotto               BIGINT NOT NULL
);

-- name: questionari
-- Satisfaction questionnaires, one row each, scored on the scale they were given in.
CREATE TABLE IF NOT EXISTS questionari (
    ente       VARCHAR NOT NULL,
    data       DATE NOT NULL,
    sportello  VARCHAR NOT NULL,
    punteggio  DOUBLE NOT NULL,
    scala_max  INTEGER NOT NULL,
    lotto      BIGINT NOT NULL
);

-- name: fatture
-- Supplier invoices; a paid invoice belongs to the quarter of its payment (columns added below).
CREATE TABLE IF NOT EXISTS fatture (
    ente            VARCHAR NOT NULL,
    id_fattura      VARCHAR NOT NULL,
    fornitore       VARCHAR,
    data_fattura    DATE NOT NULL,
    data_scadenza   DATE NOT NULL,
    data_pagamento  DATE NOT NULL,
    importo_pagato  DECIMAL(18, 2) NOT NULL,
    lotto           BIGINT NOT NULL
);

-- name: fatture_non_pagate
-- Unpaid invoices (issue 15, art. 33 D.Lgs. 33/2013): a row without a payment date. Files from before keep
-- their NOT NULL until this runs; dropping it again is harmless.
ALTER TABLE fatture ALTER COLUMN data_pagamento DROP NOT NULL;

-- name: fatture_partita_iva
-- The supplier's VAT number: creditor firms are counted by it (by name where it is missing).
ALTER TABLE fatture ADD COLUMN IF NOT EXISTS partita_iva VARCHAR;

-- name: fatture_split_payment
-- Split payment (art. 17-ter DPR 633/1972): the VAT goes to the Treasury and leaves the ITP's amount
-- (RGS circolare 22/2015).
ALTER TABLE fatture ADD COLUMN IF NOT EXISTS split_payment BOOLEAN DEFAULT false;

-- name: fatture_importo_iva
-- The invoice's VAT, in euro.
ALTER TABLE fatture ADD COLUMN IF NOT EXISTS importo_iva DECIMAL(18, 2);

-- name: fatture_contestazione_dal
-- The dispute (DPCM 22/9/2014 art. 9 c. 5): from this date the sum was not due...
ALTER TABLE fatture ADD COLUMN IF NOT EXISTS contestazione_dal DATE;

-- name: fatture_contestazione_al
-- ...until this one (NULL: still disputed).
ALTER TABLE fatture ADD COLUMN IF NOT EXISTS contestazione_al DATE;

-- name: fatture_stato
-- 'rifiutata' (rejected) or 'stornata' (cancelled whole by credit notes): out of the ITP and of the debt.
ALTER TABLE fatture ADD COLUMN IF NOT EXISTS stato VARCHAR;

-- name: fatture_sostituita_da
-- An unpaid invoice imported again by a later file (paid, or its dispute ended) is superseded, never
-- overwritten: the batch that superseded the row, NULL for the row in force.
ALTER TABLE fatture ADD COLUMN IF NOT EXISTS sostituita_da BIGINT;

-- name: regole_itp
-- How each body reads the rule on disputed invoices, which admits two readings: the sum is due again from
-- the dispute's end ('fine_contestazione', the default when a body has no row) or from its end plus the
-- invoice's payment term ('fine_piu_termine').
CREATE TABLE IF NOT EXISTS regole_itp (
    ente                         VARCHAR PRIMARY KEY,
    scadenza_dopo_contestazione  VARCHAR NOT NULL CHECK (scadenza_dopo_contestazione IN ('fine_contestazione', 'fine_piu_termine')),
    utente                       VARCHAR NOT NULL,
    quando                       TIMESTAMP NOT NULL
);

-- name: sportelli
-- Which indicator a service desk's questionnaires feed (configuration of the body).
CREATE TABLE IF NOT EXISTS sportelli (
    ente        VARCHAR NOT NULL,
    sportello   VARCHAR NOT NULL,
    indicatore  VARCHAR NOT NULL,
    PRIMARY KEY (ente, sportello, indicatore)
);

-- name: drop_staged_file_view
-- Earlier versions left behind a view of this name, over the temporary file of the last records import.
DROP VIEW IF EXISTS staged_file;

-- name: pubblicazioni_seq
-- Numbers of the published versions.
CREATE SEQUENCE IF NOT EXISTS seq_pubblicazioni;

-- name: pubblicazioni
-- What the planning office has published for Amministrazione trasparente, one row per figure set and version.
-- `trimestre` 0 is the year. Version 1 is the first publication; a later version is a restatement with its
-- reason, and every version is kept. `righe` holds only what the public page may show (no names of staff).
CREATE TABLE IF NOT EXISTS pubblicazioni (
    id         BIGINT PRIMARY KEY DEFAULT nextval('seq_pubblicazioni'),
    ente       VARCHAR NOT NULL,
    dato       VARCHAR NOT NULL CHECK (dato IN ('itp', 'tempi_ri', 'soddisfazione', 'obiettivi')),
    anno       INTEGER NOT NULL,
    trimestre  INTEGER NOT NULL CHECK (trimestre BETWEEN 0 AND 4),
    versione   INTEGER NOT NULL,
    righe      VARCHAR NOT NULL,
    origine    VARCHAR NOT NULL CHECK (origine IN ('calcolato', 'manuale')),
    avvisi     VARCHAR,
    utente     VARCHAR NOT NULL,
    quando     TIMESTAMP NOT NULL,
    motivo     VARCHAR,
    UNIQUE (ente, dato, anno, trimestre, versione)
);

-- name: successioni
-- Mergers: a body succeeds others from the date of the act (e.g. Toscana Nord-Ovest, 30/06/2022).
CREATE TABLE IF NOT EXISTS successioni (
    successore    VARCHAR NOT NULL,
    predecessore  VARCHAR NOT NULL,
    dal           DATE NOT NULL,
    atto          VARCHAR,
    PRIMARY KEY (successore, predecessore)
);
