-- name: it_pulisci
-- Strip what surrounds a number in Italian exports: €, %, spaces (also € read as Latin-1, U+0080).
CREATE OR REPLACE MACRO it_pulisci(x) AS regexp_replace(trim(x), '[€%\s\x{80}\x{a0}]', '', 'g');

-- name: it_numero_testo
-- The text of a number as the rule reads it: it_pulisci, and an accounting negative "(1.000,00)" as "-1.000,00".
CREATE OR REPLACE MACRO it_numero_testo(x) AS regexp_replace(it_pulisci(x), '^\((.*)\)$', '-\1');

-- name: it_numero_pulito
-- it_numero on a cleaned text (it_numero_testo).
CREATE OR REPLACE MACRO it_numero_pulito(c) AS
    CASE
        WHEN regexp_full_match(c, '[+-]?(\d+|[1-9]\d{0,2}(\.\d{3})+)(,\d+)?') AND NOT regexp_full_match(c, '[+-]?[1-9]\d{0,2},\d{3}')
            THEN replace(replace(c, '.', ''), ',', '.')::DOUBLE
        WHEN regexp_full_match(c, '[+-]?\d+\.\d+') THEN c::DOUBLE
    END;

-- name: it_numero
-- The one rule for numbers, the same as formats.parse_number's (README, "How a file is read"):
-- '1234' / '1234,56' / '2,5' / '1.234' (dot groups of three: thousands) / '1.234,56' / '€ 1.234,56' / '26,22%'
-- / '1234.56' and '2.5' (a single dot that cannot be a thousands group is a decimal point) -> DOUBLE.
-- NULL when not a number, and for what the rule refuses: '1,234' or '5,000' (one comma followed by exactly
-- three digits after 1-3 digits not starting with 0: ambiguous, thousands in English) and English numbers
-- ('1,234.5', '1,234,567'); it_numero_errore says why. '0,001' and '1234,567' are decimals.
CREATE OR REPLACE MACRO it_numero(x) AS
    CASE
        WHEN x IS NULL OR trim(x) = '' THEN NULL
        -- Fast path for the common case, plain digits: no cleaning needed.
        WHEN regexp_full_match(x, '[+-]?\d+') THEN x::DOUBLE
        -- "1234,56", the common amount: only the comma to change (not "1,234": ambiguous).
        WHEN regexp_full_match(x, '[+-]?\d+,\d+') THEN
            CASE WHEN NOT regexp_full_match(x, '[+-]?[1-9]\d{0,2},\d{3}') THEN replace(x, ',', '.')::DOUBLE END
        ELSE it_numero_pulito(it_numero_testo(x))
    END;

-- name: it_numero_errore
-- Why it_numero refuses a value the rule names (ambiguous or English), worded as formats.number_problem; else NULL.
CREATE OR REPLACE MACRO it_numero_errore(x) AS
    CASE
        WHEN regexp_full_match(it_numero_testo(x), '[+-]?[1-9]\d{0,2},\d{3}') THEN
            '«' || it_numero_testo(x) || '» è ambiguo (virgola seguita da tre cifre: migliaia o decimali?): scrivere '
            || replace(it_numero_testo(x), ',', '') || ', ' || replace(it_numero_testo(x), ',', '.') || ' o '
            || replace(it_numero_testo(x), ',', '') || ',00 se sono migliaia, '
            || left(it_numero_testo(x), length(it_numero_testo(x)) - 1) || ' se sono decimali'
        WHEN regexp_full_match(it_numero_testo(x), '[+-]?\d{1,3}((,\d{3})+\.\d+|(,\d{3}){2,})') THEN
            '«' || it_numero_testo(x) || '» è scritto all''inglese (virgola per le migliaia, punto per i decimali): scrivere '
            || translate(it_numero_testo(x), ',.', '.,')
    END;

-- name: it_data
-- '30/09/2019', '2019-09-30', '30-09-2019', '30/09/19' -> DATE; NULL when not a date.
-- The common dd/mm/yyyy is tried alone first (CASE evaluates the other formats only where needed); a
-- two-digit year is read as such before %Y, which would take "19" as the year 19.
CREATE OR REPLACE MACRO it_data(x) AS
    CASE
        WHEN length(x) = 10 AND x[3] = '/' THEN try_strptime(x, '%d/%m/%Y')
        WHEN regexp_full_match(trim(x), '\d{1,2}[/-]\d{1,2}[/-]\d{2}') THEN try_strptime(replace(trim(x), '-', '/'), '%d/%m/%y')
        ELSE coalesce(try_strptime(trim(x), '%d/%m/%Y'), try_strptime(trim(x), '%Y-%m-%d'), try_strptime(trim(x), '%d-%m-%Y'))
    END::DATE;

-- name: it_spazi
-- A text value with spaces around it: the fast read keeps them, the text path trims them.
CREATE OR REPLACE MACRO it_spazi(x) AS coalesce(x LIKE ' %' OR x LIKE '% ', false);

-- name: it_anno_corto
-- A date read with %Y from a two-digit year ("01/02/19" read as the year 19; the text path reads 2019).
CREATE OR REPLACE MACRO it_anno_corto(d) AS coalesce(d < DATE '1000-01-01', false);

-- name: trimestre_di
-- The quarter (1-4) of a date.
CREATE OR REPLACE MACRO trimestre_di(d) AS (month(d) - 1) // 3 + 1;

-- name: fatture_itp
-- The invoices the ITP and the art. 33 debt are computed from, as the law reads them: the row in force of
-- each invoice (not superseded), neither rejected nor cancelled by credit notes; the amount that counts
-- (`importo_itp`: net of VAT under split payment) and the due date that counts (`scadenza_itp`: a dispute
-- moves it to the dispute's end, or to its end plus the payment term, by the body's rule in regole_itp;
-- never before the invoice's own due date).
CREATE OR REPLACE MACRO fatture_itp() AS TABLE
SELECT f.*,
    CASE WHEN f.split_payment THEN f.importo_pagato - coalesce(f.importo_iva, 0) ELSE f.importo_pagato END AS importo_itp,
    CASE
        WHEN f.contestazione_al IS NULL THEN f.data_scadenza
        WHEN r.scadenza_dopo_contestazione = 'fine_piu_termine'
            THEN f.contestazione_al + (f.data_scadenza - f.data_fattura)::INTEGER
        ELSE greatest(f.data_scadenza, f.contestazione_al)
    END AS scadenza_itp
FROM fatture f LEFT JOIN regole_itp r ON r.ente = f.ente
WHERE f.sostituita_da IS NULL AND f.stato IS NULL;

-- name: in_debito_al
-- An invoice (a row of fatture_itp()) is in the art. 33 debt on the day `fine`: received by then, past the due
-- date that counts, not paid by then, and not under dispute on that day.
CREATE OR REPLACE MACRO in_debito_al(data_fattura, scadenza_itp, data_pagamento, contestazione_dal, contestazione_al,
                                     fine) AS
    data_fattura <= fine AND scadenza_itp < fine AND coalesce(data_pagamento, DATE '9999-12-31') > fine
    AND NOT coalesce(contestazione_dal <= fine AND coalesce(contestazione_al, DATE '9999-12-31') >= fine, false);
