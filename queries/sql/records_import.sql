-- name: insert_typed_pratiche
-- Fast path, for files in the standard layout: the file goes straight into the table, the CSV reader itself
-- parsing the dd/mm/yyyy dates and the decimal-comma numbers (reading as text costs twice as much). Values are
-- taken as they are. Anything the reader cannot take ("1.000", "€ 5", "2019-09-30"), a missing value (NOT NULL)
-- or days with decimals fails the statement: the transaction is rolled back and the file read the slow way
-- (stage_numbered, parse_*, problems_*). So does what the problem check (any_problem_*) finds, including what
-- the slow way reads otherwise: a year read as 19 from "01/02/19" (2019), values with spaces around (trimmed).
-- Numbers are read as text and taken only in the forms no rule can read otherwise (the one rule for numbers,
-- it_numero): digits, and for amounts and scores a decimal comma with one or two decimals. Anything else
-- ("1,000" or "5,000", ambiguous; "1,234.5", English; "0,001", under a cent) is left NULL, which the NOT NULL
-- columns refuse, so the slow way reads it and names the problem. (DuckDB's own DOUBLE reader with
-- decimal_separator = ',' takes "1,234" as 1,234 and "1e3" as a thousand.)
INSERT INTO pratiche
SELECT $ente, protocollo, tipo, ufficio, data_arrivo, data_evasione,
    CASE WHEN regexp_full_match(giorni_sospensione, '\d+') THEN giorni_sospensione::INTEGER END, $lotto
FROM read_csv($path, header = true, sep = $sep, quote = '"', auto_detect = false, dateformat = '%d/%m/%Y',
              decimal_separator = ',', columns = $columns, null_padding = true);

-- name: insert_typed_questionari
-- Fast path: a standard questionnaires file straight into its table, dates typed by DuckDB's CSV reader, numbers
-- taken only in their plain forms (see insert_typed_pratiche).
INSERT INTO questionari
SELECT $ente, data, sportello,
    CASE WHEN regexp_full_match(punteggio, '\d+(,\d{1,2})?') THEN replace(punteggio, ',', '.')::DOUBLE END,
    CASE WHEN regexp_full_match(scala_max, '\d+') THEN scala_max::INTEGER END, $lotto
FROM read_csv($path, header = true, sep = $sep, quote = '"', auto_detect = false, dateformat = '%d/%m/%Y',
              decimal_separator = ',', columns = $columns, null_padding = true);

-- name: insert_typed_fatture
-- Fast path: a standard invoices file (the six columns, every invoice paid) straight into its table, dates typed by DuckDB's CSV reader. The amount is
-- read as text and taken only as digits with at most two decimals after a comma ("1234", "1234,5", "1234,56"),
-- exactly, as DECIMAL; anything else ("1,234": ambiguous; "0,001": under a cent; "1.234,56", "€ 5") is NULL,
-- refused by the NOT NULL column, and the file is read the slow way (see insert_typed_pratiche).
INSERT INTO fatture (ente, id_fattura, fornitore, data_fattura, data_scadenza, data_pagamento, importo_pagato, lotto)
SELECT $ente, id_fattura, fornitore, data_fattura, data_scadenza, data_pagamento,
    CASE WHEN regexp_full_match(importo_pagato, '\d+(,\d{1,2})?') THEN replace(importo_pagato, ',', '.')::DECIMAL(18, 2) END, $lotto
FROM read_csv($path, header = true, sep = $sep, quote = '"', auto_detect = false, dateformat = '%d/%m/%Y',
              decimal_separator = ',', columns = $columns, null_padding = true);

-- name: stage_numbered
-- Slow path: the file's rows, all text, numbered as a spreadsheet shows them (the header is row 1), to be read
-- the Italian way in every format (parse_*) and to report problems by row.
CREATE OR REPLACE TEMP TABLE staged AS
SELECT row_number() OVER () + 1 AS riga, *
FROM read_csv($path, header = true, sep = $sep, quote = '"', auto_detect = false, columns = $columns, null_padding = true);

-- name: drop_staged
-- The slow path's working tables, dropped when it ends so a session does not keep a file's rows in memory.
DROP TABLE IF EXISTS parsed;
DROP TABLE IF EXISTS staged;

-- name: parse_pratiche
-- The staged file (all text, with its row numbers) read the Italian way.
CREATE OR REPLACE TEMP TABLE parsed AS
SELECT s.riga, trim(s.protocollo) AS protocollo, trim(s.tipo) AS tipo, trim(s.ufficio) AS ufficio,
    s.data_arrivo AS t_arrivo, s.data_evasione AS t_evasione, s.giorni_sospensione AS t_sosp,
    it_data(s.data_arrivo) AS data_arrivo, it_data(s.data_evasione) AS data_evasione,
    it_numero(s.giorni_sospensione) AS giorni_sospensione
FROM staged s;

-- name: problems_pratiche
-- Every problem of the staged practices: (row, column, message), the first $limite by row.
WITH dup AS (
    -- k > 1 marks every repeat, also in the fast check where rows are not numbered yet.
    SELECT riga, protocollo, min(riga) OVER w AS prima, row_number() OVER (w ORDER BY riga) AS k
    FROM parsed WHERE protocollo <> '' WINDOW w AS (PARTITION BY protocollo)
),
p AS (
    SELECT riga, 'protocollo' AS colonna, 'protocollo mancante' AS messaggio FROM parsed WHERE coalesce(protocollo, '') = ''
    UNION ALL SELECT riga, 'data_arrivo', '«' || coalesce(t_arrivo, '') || '» non è una data valida (formato atteso: 30/09/2019)'
        FROM parsed WHERE data_arrivo IS NULL
    UNION ALL SELECT riga, 'data_evasione', '«' || coalesce(t_evasione, '') || '» non è una data valida (formato atteso: 30/09/2019)'
        FROM parsed WHERE data_evasione IS NULL
    UNION ALL SELECT riga, 'giorni_sospensione', coalesce(it_numero_errore(t_sosp), '«' || coalesce(t_sosp, '') || '» non è un numero intero di giorni maggiore o uguale a zero')
        FROM parsed WHERE giorni_sospensione IS NULL OR giorni_sospensione < 0 OR giorni_sospensione <> floor(giorni_sospensione)
    UNION ALL SELECT riga, 'data_evasione', 'evasa il ' || strftime(data_evasione, '%d/%m/%Y') || ', prima dell''arrivo (' || strftime(data_arrivo, '%d/%m/%Y') || ')'
        FROM parsed WHERE data_evasione < data_arrivo
    UNION ALL SELECT riga, 'data_evasione', 'data di evasione futura (' || strftime(data_evasione, '%d/%m/%Y') || ')'
        FROM parsed WHERE data_evasione > $oggi
    UNION ALL SELECT riga, 'giorni_sospensione', 'sospensione di ' || giorni_sospensione::BIGINT || ' giorni, più lunga della pratica (' || (data_evasione - data_arrivo) || ' giorni)'
        FROM parsed WHERE data_evasione >= data_arrivo AND giorni_sospensione > data_evasione - data_arrivo AND giorni_sospensione <= 100000
    -- Plausible values only (as for measurements): a number of days past any practice's life, a date before 1990.
    UNION ALL SELECT riga, 'giorni_sospensione', 'sospensione fuori misura («' || trim(t_sosp) || '» giorni, oltre 100.000)'
        FROM parsed WHERE giorni_sospensione > 100000
    UNION ALL SELECT riga, c.colonna, 'una cella supera 131.072 caratteri (limite dei file CSV)'
        FROM parsed, (VALUES ('protocollo', protocollo), ('tipo', tipo), ('ufficio', ufficio)) c(colonna, testo) WHERE length(c.testo) > 131072
    UNION ALL SELECT riga, 'data_arrivo', 'data implausibile (' || strftime(data_arrivo, '%d/%m/%Y') || ', prima del 1990)' FROM parsed WHERE data_arrivo < DATE '1990-01-01'
    UNION ALL SELECT riga, 'data_evasione', 'data implausibile (' || strftime(data_evasione, '%d/%m/%Y') || ', prima del 1990)' FROM parsed WHERE data_evasione < DATE '1990-01-01'
    UNION ALL SELECT riga, 'protocollo', 'protocollo ' || protocollo || ' duplicato: compare già alla riga ' || prima
        FROM dup WHERE k > 1
    -- Records already imported: one line for all of them (a file imported again would give one per row).
    UNION ALL SELECT min(p.riga), 'protocollo', CASE WHEN count(*) = 1
            THEN 'protocollo ' || min(p.protocollo) || ' già importato (file ' || min(l.file) || ')'
            ELSE format('{:t.}', count(*)) || ' protocolli già importati (file ' || array_to_string(list(DISTINCT l.file)[1:3], ', ')
                || CASE WHEN count(DISTINCT l.file) > 3 THEN '…' ELSE '' END || '), alle righe ' || array_to_string(list(p.riga ORDER BY p.riga)[1:5], ', ') || CASE WHEN count(*) > 5 THEN '…' ELSE '' END END
        FROM parsed p JOIN pratiche x ON x.ente = $ente AND x.protocollo = p.protocollo JOIN lotti_record l ON l.id = x.lotto
        HAVING count(*) > 0
)
SELECT riga, colonna, messaggio, count(*) OVER () AS totale FROM p ORDER BY riga, colonna LIMIT $limite;

-- name: insert_pratiche
-- Slow path: the parsed practices (all checked) into their table as batch $lotto.
INSERT INTO pratiche
SELECT $ente, protocollo, tipo, ufficio, data_arrivo, data_evasione, giorni_sospensione::INTEGER, $lotto FROM parsed;

-- name: parse_questionari
-- Slow path: the staged questionnaires read the Italian way, with their row numbers.
CREATE OR REPLACE TEMP TABLE parsed AS
SELECT s.riga, s.data AS t_data, s.punteggio AS t_punteggio, s.scala_max AS t_scala, it_data(s.data) AS data,
    trim(s.sportello) AS sportello, it_numero(s.punteggio) AS punteggio, it_numero(s.scala_max) AS scala_max
FROM staged s;

-- name: problems_questionari
-- Slow path: every problem of a questionnaires file by row and column, the first $limite of them.
WITH p AS (
    SELECT riga, 'data' AS colonna, '«' || coalesce(t_data, '') || '» non è una data valida (formato atteso: 30/09/2019)' AS messaggio
        FROM parsed WHERE data IS NULL
    UNION ALL SELECT riga, 'data', 'data futura (' || strftime(data, '%d/%m/%Y') || ')' FROM parsed WHERE data > $oggi
    UNION ALL SELECT riga, 'sportello', 'sportello mancante' FROM parsed WHERE coalesce(sportello, '') = ''
    -- A desk the body has not configured feeds no indicator: refused, one line per desk with its rows.
    UNION ALL SELECT min(p.riga), 'sportello', 'sportello «' || p.sportello || '» non configurato per l''ente ('
            || CASE WHEN count(*) = 1 THEN 'riga ' || min(p.riga) ELSE format('{:t.}', count(*)) || ' questionari, alle righe ' || array_to_string(list(p.riga ORDER BY p.riga)[1:5], ', ') || CASE WHEN count(*) > 5 THEN '…' ELSE '' END END
            || '): sportelli configurati: ' || coalesce((SELECT string_agg(DISTINCT sportello, ', ' ORDER BY sportello) FROM sportelli WHERE ente = $ente), 'nessuno')
        FROM parsed p WHERE p.sportello <> '' AND NOT EXISTS (SELECT 1 FROM sportelli s WHERE s.ente = $ente AND s.sportello = p.sportello)
        GROUP BY p.sportello
    UNION ALL SELECT riga, 'scala_max', coalesce(it_numero_errore(t_scala), '«' || coalesce(t_scala, '') || '» non è una scala valida (un intero maggiore di 1, es. 5 o 10)')
        FROM parsed WHERE scala_max IS NULL OR scala_max <= 1 OR scala_max <> floor(scala_max)
    UNION ALL SELECT riga, 'punteggio', coalesce(it_numero_errore(t_punteggio), '«' || coalesce(t_punteggio, '') || '» non è un numero') FROM parsed WHERE punteggio IS NULL
    UNION ALL SELECT riga, 'punteggio', 'punteggio ' || replace(punteggio::VARCHAR, '.', ',') || ' fuori dalla scala 1–' || scala_max::BIGINT
        FROM parsed WHERE scala_max > 1 AND scala_max <= 100 AND (punteggio < 1 OR punteggio > scala_max)
    UNION ALL SELECT riga, 'scala_max', 'scala fuori misura («' || trim(t_scala) || '», oltre 100)' FROM parsed WHERE scala_max > 100
    UNION ALL SELECT riga, 'sportello', 'una cella supera 131.072 caratteri (limite dei file CSV)' FROM parsed WHERE length(sportello) > 131072
    UNION ALL SELECT riga, 'data', 'data implausibile (' || strftime(data, '%d/%m/%Y') || ', prima del 1990)' FROM parsed WHERE data < DATE '1990-01-01'
)
SELECT riga, colonna, messaggio, count(*) OVER () AS totale FROM p ORDER BY riga, colonna LIMIT $limite;

-- name: insert_questionari
-- Slow path: the parsed questionnaires into their table as batch $lotto.
INSERT INTO questionari SELECT $ente, data, sportello, punteggio, scala_max::INTEGER, $lotto FROM parsed;

-- name: complete_staged_fatture
-- The optional columns of an invoices file (issue 15) that the file does not have, as empty text, so one parse
-- reads every layout: a file from before them still imports.
ALTER TABLE staged ADD COLUMN IF NOT EXISTS partita_iva VARCHAR;
ALTER TABLE staged ADD COLUMN IF NOT EXISTS split_payment VARCHAR;
ALTER TABLE staged ADD COLUMN IF NOT EXISTS importo_iva VARCHAR;
ALTER TABLE staged ADD COLUMN IF NOT EXISTS contestazione_dal VARCHAR;
ALTER TABLE staged ADD COLUMN IF NOT EXISTS contestazione_al VARCHAR;
ALTER TABLE staged ADD COLUMN IF NOT EXISTS stato VARCHAR;

-- name: parse_fatture
-- Slow path: the staged invoices read the Italian way, with their row numbers. An empty payment date is an
-- unpaid invoice; split payment is sì/si/no (empty: no); the VAT number without spaces, in capitals.
CREATE OR REPLACE TEMP TABLE parsed AS
SELECT s.riga, trim(s.id_fattura) AS id_fattura, trim(s.fornitore) AS fornitore,
    s.data_fattura AS t_fattura, s.data_scadenza AS t_scadenza, s.data_pagamento AS t_pagamento, s.importo_pagato AS t_importo,
    s.importo_iva AS t_iva, s.split_payment AS t_split, s.contestazione_dal AS t_cdal, s.contestazione_al AS t_cal,
    s.stato AS t_stato,
    it_data(s.data_fattura) AS data_fattura, it_data(s.data_scadenza) AS data_scadenza,
    it_data(s.data_pagamento) AS data_pagamento, it_numero(s.importo_pagato) AS importo_pagato,
    nullif(upper(regexp_replace(coalesce(s.partita_iva, ''), '\s', '', 'g')), '') AS partita_iva,
    CASE lower(trim(coalesce(s.split_payment, ''))) WHEN 'sì' THEN true WHEN 'si' THEN true
        WHEN 'no' THEN false WHEN '' THEN false END AS split_payment,
    it_numero(s.importo_iva) AS importo_iva,
    it_data(s.contestazione_dal) AS contestazione_dal, it_data(s.contestazione_al) AS contestazione_al,
    nullif(lower(trim(coalesce(s.stato, ''))), '') AS stato
FROM staged s;

-- name: problems_fatture
-- Slow path: every problem of an invoices file by row and column, the first $limite of them. An invoice
-- already stored may come again only while it is unpaid there (a later file brings its payment): that row is
-- superseded (supersede_fatture), never changed.
WITH dup AS (
    SELECT riga, id_fattura, fornitore, min(riga) OVER w AS prima, row_number() OVER (w ORDER BY riga) AS k
    FROM parsed WHERE id_fattura <> '' WINDOW w AS (PARTITION BY fornitore, id_fattura)
),
p AS (
    SELECT riga, 'id_fattura' AS colonna, 'identificativo della fattura mancante' AS messaggio FROM parsed WHERE coalesce(id_fattura, '') = ''
    UNION ALL SELECT riga, 'data_fattura', '«' || coalesce(t_fattura, '') || '» non è una data valida (formato atteso: 30/09/2019)' FROM parsed WHERE data_fattura IS NULL
    UNION ALL SELECT riga, 'data_scadenza', '«' || coalesce(t_scadenza, '') || '» non è una data valida (formato atteso: 30/09/2019)' FROM parsed WHERE data_scadenza IS NULL
    UNION ALL SELECT riga, 'data_pagamento', '«' || t_pagamento || '» non è una data valida (formato atteso: 30/09/2019; vuota se la fattura non è pagata)'
        FROM parsed WHERE data_pagamento IS NULL AND trim(coalesce(t_pagamento, '')) <> ''
    UNION ALL SELECT riga, 'importo_pagato', coalesce(it_numero_errore(t_importo), '«' || coalesce(t_importo, '') || '» non è un importo (formato atteso: 1.234,56)') FROM parsed WHERE t_importo IS NOT NULL AND importo_pagato IS NULL OR t_importo IS NULL
    UNION ALL SELECT riga, 'importo_pagato', 'importo negativo o zero (' || replace(importo_pagato::VARCHAR, '.', ',') || ')' FROM parsed WHERE importo_pagato <= 0
    -- Stored in cents: an amount that rounds to zero cents would be stored as 0,00.
    UNION ALL SELECT riga, 'importo_pagato', 'importo inferiore a un centesimo («' || trim(t_importo) || '»)' FROM parsed
        WHERE importo_pagato > 0 AND importo_pagato < 0.005
    UNION ALL SELECT riga, 'importo_pagato', 'importo fuori misura («' || trim(t_importo) || '», oltre 1.000.000.000.000 €)'
        FROM parsed WHERE importo_pagato > 1e12
    UNION ALL SELECT riga, c.colonna, 'una cella supera 131.072 caratteri (limite dei file CSV)'
        FROM parsed, (VALUES ('id_fattura', id_fattura), ('fornitore', fornitore)) c(colonna, testo) WHERE length(c.testo) > 131072
    UNION ALL SELECT riga, c.colonna, 'data implausibile (' || strftime(c.data, '%d/%m/%Y') || ', prima del 1990)'
        FROM parsed, (VALUES ('data_fattura', data_fattura), ('data_scadenza', data_scadenza), ('data_pagamento', data_pagamento)) c(colonna, data)
        WHERE c.data < DATE '1990-01-01'
    UNION ALL SELECT riga, 'data_pagamento', 'pagamento il ' || strftime(data_pagamento, '%d/%m/%Y') || ', prima della data della fattura (' || strftime(data_fattura, '%d/%m/%Y') || ')'
        FROM parsed WHERE data_pagamento < data_fattura
    UNION ALL SELECT riga, 'data_scadenza', 'scadenza il ' || strftime(data_scadenza, '%d/%m/%Y') || ', prima della data della fattura (' || strftime(data_fattura, '%d/%m/%Y') || ')'
        FROM parsed WHERE data_scadenza < data_fattura
    UNION ALL SELECT riga, 'data_pagamento', 'data di pagamento futura (' || strftime(data_pagamento, '%d/%m/%Y') || ')' FROM parsed WHERE data_pagamento > $oggi
    UNION ALL SELECT riga, 'data_fattura', 'data della fattura futura (' || strftime(data_fattura, '%d/%m/%Y') || ')' FROM parsed WHERE data_fattura > $oggi
    UNION ALL SELECT riga, 'split_payment', '«' || trim(t_split) || '» non è un valore ammesso: sì o no (vuoto: no)' FROM parsed WHERE split_payment IS NULL
    UNION ALL SELECT riga, 'importo_iva', coalesce(it_numero_errore(t_iva), '«' || trim(t_iva) || '» non è un importo (formato atteso: 1.234,56)')
        FROM parsed WHERE importo_iva IS NULL AND trim(coalesce(t_iva, '')) <> ''
    UNION ALL SELECT riga, 'importo_iva', 'con lo split payment indicare l''IVA della fattura (esclusa dall''importo dell''ITP)'
        FROM parsed WHERE split_payment AND importo_iva IS NULL AND trim(coalesce(t_iva, '')) = ''
    UNION ALL SELECT riga, 'importo_iva', 'IVA di ' || replace(importo_iva::VARCHAR, '.', ',') || ' euro: deve essere almeno zero e minore dell''importo della fattura ('
            || replace(importo_pagato::VARCHAR, '.', ',') || ')'
        FROM parsed WHERE importo_iva < 0 OR importo_iva >= importo_pagato
    UNION ALL SELECT riga, 'contestazione_dal', '«' || trim(t_cdal) || '» non è una data valida (formato atteso: 30/09/2019)'
        FROM parsed WHERE contestazione_dal IS NULL AND trim(coalesce(t_cdal, '')) <> ''
    UNION ALL SELECT riga, 'contestazione_al', '«' || trim(t_cal) || '» non è una data valida (formato atteso: 30/09/2019)'
        FROM parsed WHERE contestazione_al IS NULL AND trim(coalesce(t_cal, '')) <> ''
    UNION ALL SELECT riga, 'contestazione_dal', 'la fine della contestazione è indicata ma non il suo inizio'
        FROM parsed WHERE contestazione_al IS NOT NULL AND contestazione_dal IS NULL AND trim(coalesce(t_cdal, '')) = ''
    UNION ALL SELECT riga, 'contestazione_dal', 'contestazione dal ' || strftime(contestazione_dal, '%d/%m/%Y') || ', prima della data della fattura (' || strftime(data_fattura, '%d/%m/%Y') || ')'
        FROM parsed WHERE contestazione_dal < data_fattura
    UNION ALL SELECT riga, 'contestazione_al', 'contestazione chiusa il ' || strftime(contestazione_al, '%d/%m/%Y') || ', prima del suo inizio (' || strftime(contestazione_dal, '%d/%m/%Y') || ')'
        FROM parsed WHERE contestazione_al < contestazione_dal
    UNION ALL SELECT riga, 'contestazione_dal', 'contestazione iniziata il ' || strftime(contestazione_dal, '%d/%m/%Y') || ', dopo il pagamento (' || strftime(data_pagamento, '%d/%m/%Y') || ')'
        FROM parsed WHERE contestazione_dal > data_pagamento
    UNION ALL SELECT riga, 'contestazione_al', 'fattura pagata: indicare quando è finita la contestazione (al più tardi la data di pagamento)'
        FROM parsed WHERE data_pagamento IS NOT NULL AND contestazione_dal IS NOT NULL AND contestazione_al IS NULL AND trim(coalesce(t_cal, '')) = ''
    UNION ALL SELECT riga, 'stato', '«' || trim(t_stato) || '» non è uno stato ammesso: rifiutata, stornata (vuoto per le altre fatture)'
        FROM parsed WHERE stato NOT IN ('rifiutata', 'stornata')
    UNION ALL SELECT riga, 'partita_iva', 'partita IVA di ' || length(partita_iva) || ' caratteri (al massimo 30)' FROM parsed WHERE length(partita_iva) > 30
    UNION ALL SELECT riga, 'id_fattura', 'fattura ' || id_fattura || ' di ' || coalesce(fornitore, '') || ' duplicata: compare già alla riga ' || prima
        FROM dup WHERE k > 1
    -- Invoices already imported as paid: one line for all of them (a file imported again would give one per row).
    UNION ALL SELECT min(p.riga), 'id_fattura', CASE WHEN count(*) = 1
            THEN 'fattura ' || min(p.id_fattura) || ' di ' || coalesce(min(p.fornitore), '') || ' già importata come pagata (file ' || min(l.file) || ')'
            ELSE format('{:t.}', count(*)) || ' fatture già importate come pagate (file ' || array_to_string(list(DISTINCT l.file)[1:3], ', ')
                || CASE WHEN count(DISTINCT l.file) > 3 THEN '…' ELSE '' END || '), alle righe ' || array_to_string(list(p.riga ORDER BY p.riga)[1:5], ', ') || CASE WHEN count(*) > 5 THEN '…' ELSE '' END END
        FROM parsed p JOIN fatture x ON x.ente = $ente AND x.id_fattura = p.id_fattura AND x.fornitore IS NOT DISTINCT FROM p.fornitore
            AND x.sostituita_da IS NULL AND x.data_pagamento IS NOT NULL
        JOIN lotti_record l ON l.id = x.lotto
        HAVING count(*) > 0
)
SELECT riga, colonna, messaggio, count(*) OVER () AS totale FROM p ORDER BY riga, colonna LIMIT $limite;

-- name: insert_fatture
-- Slow path: the parsed invoices into their table as batch $lotto.
INSERT INTO fatture (ente, id_fattura, fornitore, data_fattura, data_scadenza, data_pagamento, importo_pagato, lotto,
                     partita_iva, split_payment, importo_iva, contestazione_dal, contestazione_al, stato)
SELECT $ente, id_fattura, fornitore, data_fattura, data_scadenza, data_pagamento, importo_pagato::DECIMAL(18, 2), $lotto,
    partita_iva, split_payment, importo_iva::DECIMAL(18, 2), contestazione_dal, contestazione_al, stato
FROM parsed;

-- name: supersede_fatture
-- The stored unpaid rows of the invoices batch $lotto brings again: superseded by it (kept, with the batch).
UPDATE fatture AS x SET sostituita_da = $lotto
FROM (SELECT DISTINCT fornitore, id_fattura FROM fatture WHERE ente = $ente AND lotto = $lotto) n
WHERE x.ente = $ente AND x.lotto <> $lotto AND x.sostituita_da IS NULL AND x.data_pagamento IS NULL
  AND x.id_fattura = n.id_fattura AND x.fornitore IS NOT DISTINCT FROM n.fornitore;

-- name: quarters_pratiche
-- The quarters a batch's records fall in (its rows are in the table, not yet committed).
SELECT DISTINCT year(data_evasione) AS anno, trimestre_di(data_evasione) AS trimestre
FROM pratiche WHERE ente = $ente AND lotto = $lotto ORDER BY 1, 2;

-- name: quarters_questionari
-- The quarters a batch of questionnaires falls in (a questionnaire belongs to the quarter of its date).
SELECT DISTINCT year(data) AS anno, trimestre_di(data) AS trimestre FROM questionari WHERE ente = $ente AND lotto = $lotto ORDER BY 1, 2;

-- name: quarters_fatture
-- The quarters a batch of invoices falls in (a paid invoice belongs to the quarter of its payment; an unpaid
-- one to none, it feeds no indicator).
SELECT DISTINCT year(data_pagamento) AS anno, trimestre_di(data_pagamento) AS trimestre
FROM fatture WHERE ente = $ente AND lotto = $lotto AND data_pagamento IS NOT NULL ORDER BY 1, 2;

-- name: desks_in_file
-- The desks of a batch of questionnaires and the indicator each one feeds.
SELECT DISTINCT q.sportello, s.indicatore FROM questionari q
LEFT JOIN sportelli s ON s.ente = q.ente AND s.sportello = q.sportello
WHERE q.ente = $ente AND q.lotto = $lotto ORDER BY 1;

-- name: insert_lotto
-- The batch: file name, SHA-256, rows, who and when.
INSERT INTO lotti_record (id, ente, tipo, file, sha256, righe, utente, quando)
VALUES ($id, $ente, $tipo, $file, $sha256, $righe, $utente, $quando);

-- name: same_file
-- The earlier batch of this body and kind with the same SHA-256 (the same file imported again), if any.
SELECT id, file, utente, quando FROM lotti_record
WHERE ente = $ente AND tipo = $tipo AND sha256 = $sha256 ORDER BY id LIMIT 1;

-- name: last_lotto
-- The highest batch number stored (records_import._batch_number takes the next one, only for imports that commit).
SELECT coalesce(max(id), 0) FROM lotti_record;

-- name: feed_pratiche
-- Cases per quarter for the practices' indicators (net days, suspended share, suspension length),
-- over every stored practice of the body in the given quarters, with the files they came from.
WITH p AS (
    SELECT year(data_evasione) AS anno, trimestre_di(data_evasione) AS trimestre,
        (data_evasione - data_arrivo) - giorni_sospensione AS netti, giorni_sospensione, lotto
    FROM pratiche WHERE ente = $ente AND data_evasione BETWEEN $dal AND $al
      AND list_contains($trimestri, year(data_evasione) * 10 + trimestre_di(data_evasione))
),
agg AS (
    SELECT anno, trimestre, count(*) AS n, sum(netti) AS giorni_netti, count(*) FILTER (WHERE giorni_sospensione > 0) AS sospese,
        sum(giorni_sospensione) AS giorni_sospensione, list(DISTINCT lotto) AS lotti
    FROM p GROUP BY anno, trimestre
)
SELECT anno, trimestre, 'RI_TEMPO_LAV' AS indicatore, giorni_netti::DOUBLE AS numeratore, n::DOUBLE AS denominatore, n AS record, lotti FROM agg
UNION ALL SELECT anno, trimestre, 'RI_SOSP_QUOTA', sospese::DOUBLE, n::DOUBLE, n, lotti FROM agg
UNION ALL SELECT anno, trimestre, 'RI_SOSP_GIORNI', giorni_sospensione::DOUBLE, sospese::DOUBLE, n, lotti FROM agg
ORDER BY 1, 2, 3;

-- name: feed_questionari
-- Sum of scores and count per quarter for each indicator a desk feeds, on that indicator's scale only.
SELECT year(q.data) AS anno, trimestre_di(q.data) AS trimestre, s.indicatore,
    sum(q.punteggio) AS numeratore, count(*)::DOUBLE AS denominatore, count(*) AS record, list(DISTINCT q.lotto) AS lotti
FROM questionari q
JOIN sportelli s ON s.ente = q.ente AND s.sportello = q.sportello
JOIN indicatori i ON i.ente = s.ente AND i.codice = s.indicatore AND i.scala_max = q.scala_max
WHERE q.ente = $ente AND q.data BETWEEN $dal AND $al AND list_contains($trimestri, year(q.data) * 10 + trimestre_di(q.data))
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3;

-- name: feed_fatture
-- The ITP of each quarter: sum of (payment - due date, days) x amount over sum of amounts, over the invoices
-- paid in it, read as the law reads them (fatture_itp; the same figures as metrics.itp).
SELECT year(data_pagamento) AS anno, trimestre_di(data_pagamento) AS trimestre, 'ITP' AS indicatore,
    sum((data_pagamento - scadenza_itp) * importo_itp)::DOUBLE AS numeratore, sum(importo_itp)::DOUBLE AS denominatore,
    count(*) AS record, list(DISTINCT lotto) AS lotti
FROM fatture_itp()
WHERE ente = $ente AND data_pagamento BETWEEN $dal AND $al
  AND list_contains($trimestri, year(data_pagamento) * 10 + trimestre_di(data_pagamento))
GROUP BY 1, 2
ORDER BY 1, 2;

-- name: lotti
-- The batches named by $ids: the files an indicator value was computed from.
SELECT id, file, sha256, righe FROM lotti_record WHERE list_contains($ids, id) ORDER BY id;

-- name: any_problem_pratiche
-- One scan of the batch's stored rows: is there any problem at all, or anything the slow way reads otherwise?
-- (If so the file is read again the slow way, which lists every problem by row.) With it the batch's lowest and
-- highest protocol, which bound the duplicates' check (duplicates_pratiche).
SELECT bool_or(protocollo = '' OR giorni_sospensione < 0 OR giorni_sospensione > 100000
        OR data_arrivo < DATE '1990-01-01' OR data_evasione < DATE '1990-01-01'
        OR greatest(length(protocollo), length(tipo), length(ufficio)) > 131072
        OR data_evasione < data_arrivo OR data_evasione > $oggi OR giorni_sospensione > data_evasione - data_arrivo
        OR it_anno_corto(data_arrivo) OR it_anno_corto(data_evasione)
        OR it_spazi(protocollo) OR it_spazi(tipo) OR it_spazi(ufficio)),
    min(protocollo), max(protocollo)
FROM pratiche WHERE ente = $ente AND lotto = $lotto;

-- name: duplicates_pratiche
-- Fast path: any protocol twice, within the file or with the body's stored practices, in one count (stored
-- protocols are unique). Only the batch's range of protocols is read, given as values: the file's zone maps skip
-- the rest of the table, and on PostgreSQL the range is sent with the query (a bound taken from a subquery is not:
-- DuckDB fetched every protocol of the body, all years, at every import).
SELECT count(*) <> count(DISTINCT protocollo) FROM pratiche
WHERE ente = $ente AND protocollo BETWEEN $primo AND $ultimo;

-- name: any_problem_questionari
-- Fast path: true if any questionnaire of the batch breaks a rule (then the slow path names it).
SELECT bool_or(data > $oggi OR sportello = '' OR scala_max <= 1 OR scala_max > 100 OR punteggio < 1 OR punteggio > scala_max
            OR data < DATE '1990-01-01' OR length(sportello) > 131072
            OR NOT EXISTS (SELECT 1 FROM sportelli s WHERE s.ente = $ente AND s.sportello = questionari.sportello)
            OR it_anno_corto(data) OR it_spazi(sportello)), NULL, NULL
FROM questionari WHERE ente = $ente AND lotto = $lotto;

-- name: any_problem_fatture
-- Fast path: true if any invoice of the batch breaks a rule; with the batch's lowest and highest invoice number,
-- which bound the check of repeats (duplicates_fatture).
SELECT bool_or(id_fattura = '' OR importo_pagato <= 0 OR importo_pagato > 1e12 OR data_pagamento IS NULL
        OR least(data_fattura, data_scadenza, data_pagamento) < DATE '1990-01-01'
        OR greatest(length(id_fattura), length(fornitore)) > 131072
        OR data_pagamento < data_fattura OR data_scadenza < data_fattura
        OR data_pagamento > $oggi
        OR it_anno_corto(data_fattura) OR it_anno_corto(data_scadenza) OR it_anno_corto(data_pagamento)
        OR it_spazi(id_fattura) OR it_spazi(fornitore)),
    min(id_fattura), max(id_fattura)
FROM fatture WHERE ente = $ente AND lotto = $lotto;

-- name: duplicates_fatture
-- Fast path: an invoice twice, within the file or with one already stored and in force, in the batch's range of
-- invoice numbers given as values (see duplicates_pratiche).
SELECT count(*) <> count(DISTINCT (fornitore, id_fattura)) FROM fatture
WHERE ente = $ente AND sostituita_da IS NULL AND id_fattura BETWEEN $primo AND $ultimo;

-- name: parsed_rows
-- Slow path: how many data rows the staged file has.
SELECT count(*) FROM parsed;

-- name: one_scan_per_query
-- On the shared store, for the import's own cursor: each read of PostgreSQL as one query, which can use the
-- batch's index (postgres_record_indexes). By default DuckDB splits a scan into ranges of 1.000 pages (ctid), one
-- query each, every one of which PostgreSQL answered by reading its pages (or the whole index) again.
SET pg_use_ctid_scan = false;

-- name: scans_as_before
-- After the import: the cursor's scans split again (the reads of a national year, through the attach, want it).
RESET pg_use_ctid_scan;
