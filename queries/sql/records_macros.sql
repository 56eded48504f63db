-- name: it_pulisci
-- Strip what surrounds a number in Italian exports: €, %, spaces (also € read as Latin-1, U+0080).
CREATE OR REPLACE MACRO it_pulisci(x) AS regexp_replace(trim(x), '[€%\s\x{80}\x{a0}]', '', 'g');

-- name: it_numero
-- '1.234,56' / '26,22%' / '€ 1.234,56' / '2.5' / '1.234' (thousands) -> DOUBLE; NULL when not a number.
CREATE OR REPLACE MACRO it_numero(x) AS
    CASE
        WHEN x IS NULL OR trim(x) = '' THEN NULL
        -- Fast path for the common case, plain digits: no cleaning needed.
        WHEN strpos(x, '.') = 0 AND strpos(x, ',') = 0 AND try_cast(x AS DOUBLE) IS NOT NULL THEN try_cast(x AS DOUBLE)
        -- "1234,56", the common amount: only the comma to change (same result as the branch below).
        WHEN strpos(x, '.') = 0 AND try_cast(replace(x, ',', '.') AS DOUBLE) IS NOT NULL THEN try_cast(replace(x, ',', '.') AS DOUBLE)
        WHEN contains(it_pulisci(x), ',') THEN try_cast(replace(replace(it_pulisci(x), '.', ''), ',', '.') AS DOUBLE)
        WHEN regexp_full_match(it_pulisci(x), '[+-]?\d{1,3}(\.\d{3})+') THEN try_cast(replace(it_pulisci(x), '.', '') AS DOUBLE)
        ELSE try_cast(it_pulisci(x) AS DOUBLE)
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
