"""Italian number, money, date and period formats: parsing what offices type, printing what people read."""
from __future__ import annotations

import datetime as dt
import math
import re

from dashboard.core.errors import Refused

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ROMAN_IN = {"I": 1, "II": 2, "III": 3, "IV": 4}


class FormatError(Refused):
    """A cell that cannot be read; the message is Italian and names what was expected."""


def fmt_num(value, decimals: int = 2) -> str:
    """1234.5 -> '1.234,50'. None/NaN -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_euro(value) -> str:
    """134800 -> '€ 134.800,00'."""
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"€ {fmt_num(value, 2)}"


def fmt_pct(value, decimals: int = 1) -> str:
    return "–" if value is None else f"{fmt_num(value, decimals)} %"


def plural(n: int, one: str, many: str) -> str:
    """'1 problema', '3 problemi'."""
    return f"{n} {one if n == 1 else many}"


def shorten(text: str, limit: int) -> str:
    """`text` cut at the last whole word within `limit` characters, with "…"; unchanged when it fits."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


def fmt_date(value) -> str:
    """date or datetime -> '30/09/2019'."""
    if value is None:
        return "–"
    return value.strftime("%d/%m/%Y")


def fmt_datetime(value) -> str:
    return "–" if value is None else value.strftime("%d/%m/%Y %H:%M")


def fmt_period(year: int, quarter: int | None) -> str:
    """(2020, 1) -> 'I trim. 2020'; (2020, None) -> '2020'."""
    return str(year) if not quarter else f"{ROMAN[int(quarter)]} trim. {year}"


_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def clean_text(text: str | None) -> str | None:
    """Text as a person typed it, without what no file can hold: Word's line break (\\x0b), form feed
    and carriage returns become a newline; NUL and the other C0 controls (but tab and newline) go."""
    if text is None:
        return None
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", str(text)))


# The one rule for numbers, shared by the template importer (parse_number) and the raw-records import (the
# SQL macros it_numero and it_numero_errore in queries/sql/records_macros.sql; README, "How a file is read").
# After dropping €, %, spaces and accounting parentheses:
# - digits, with an optional decimal comma: 1234, 1234,56, 2,5 (but see "ambiguous");
# - dot groups of exactly three digits after a first group of 1-3 digits not starting with 0 are thousands
#   (Italian), with an optional decimal comma: 1.234 = 1234, 1.234,56;
# - otherwise a single dot is a decimal point, as spreadsheets export it: 1234.56, 2.5, 0.500, 1234.567;
# - ambiguous, refused: one comma followed by exactly three digits and nothing else, after 1-3 digits not
#   starting with 0 (1,234 or 5,000: thousands in English, decimals in Italian); 0,001 and 1234,567 are decimals;
# - English, refused: comma groups of three digits, then maybe a decimal point (1,234.5, 1,234,567);
# - anything else is not a number.
_NUM_RE = re.compile(r"^[+-]?(\d+|[1-9]\d{0,2}(\.\d{3})+)(,\d+)?$")
_DOT_DECIMAL_RE = re.compile(r"^[+-]?\d+\.\d+$")
_AMBIGUOUS_RE = re.compile(r"^[+-]?[1-9]\d{0,2},\d{3}$")
_ENGLISH_RE = re.compile(r"^[+-]?\d{1,3}((,\d{3})+\.\d+|(,\d{3}){2,})$")


def number_problem(text: str) -> str | None:
    """Why a cleaned number text is refused as ambiguous or English, worded as the SQL macro it_numero_errore."""
    if _AMBIGUOUS_RE.match(text):
        whole, decimals = text.split(",")
        return (f"«{text}» è ambiguo (virgola seguita da tre cifre: migliaia o decimali?): scrivere "
                f"{whole}{decimals}, {whole}.{decimals} o {whole}{decimals},00 se sono migliaia, "
                f"{whole},{decimals[:2]} se sono decimali")
    if _ENGLISH_RE.match(text):
        return (f"«{text}» è scritto all'inglese (virgola per le migliaia, punto per i decimali): "
                f"scrivere {text.translate(str.maketrans(',.', '.,'))}")
    return None


def parse_number(raw) -> float | None:
    """Read a number as Italian offices write it (the rule is written above _NUM_RE).

    Accepts '1.234,56', '26,22%', '€ 1.234,56', '-4,48', '2,1', numbers from
    spreadsheets, and '2.5' (a dot with no comma and not in groups of three is
    a decimal point, as Excel exports it). '1.234' is one thousand two hundred
    thirty-four: in Italian the dot groups thousands. Refuses '1,234' (ambiguous)
    and '1,234.5' (English), saying how to write them. Empty -> None.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise FormatError("atteso un numero, trovato un valore vero/falso")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and math.isnan(raw):
            return None
        return float(raw)
    text = str(raw).strip().replace("\u00a0", " ")
    if not text:
        return None
    text = text.replace("€", "").replace("%", "").replace(" ", "")
    if text.startswith("(") and text.endswith(")"):  # accounting negative
        text = "-" + text[1:-1]
    if _NUM_RE.match(text) and not _AMBIGUOUS_RE.match(text):
        return float(text.replace(".", "").replace(",", "."))
    if _DOT_DECIMAL_RE.match(text):
        return float(text)
    problem = number_problem(text)
    if problem:
        raise FormatError(problem)
    raise FormatError(f"«{raw}» non è un numero (formato atteso: 1.234,56)")


def parse_date(raw) -> dt.date | None:
    """'30/09/2019', '30-09-2019', '2019-09-30' or a spreadsheet date -> date."""
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise FormatError(f"«{raw}» non è una data valida (formato atteso: 30/09/2019)")


_PERIOD_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})\s*[-/ ]\s*[QqTt](?P<q>[1-4])$"),          # 2020-Q1, 2020-T1
    re.compile(r"^[QqTt](?P<q>[1-4])\s*[-/ ]?\s*(?P<y>\d{4})$"),          # Q1 2020, T1-2020
    re.compile(r"^(?P<r>IV|III|II|I)\s*trim(?:\.|estre)?\s*(?P<y>\d{4})$", re.I),  # I trim. 2020
    re.compile(r"^(?P<q>[1-4])\s*°?\s*trim(?:\.|estre)?\s*(?P<y>\d{4})$", re.I),   # 1° trimestre 2020
]


def parse_period(raw) -> tuple[int, int]:
    """'2020-Q1', 'Q1 2020', '2020-T1', 'I trim. 2020', '1° trimestre 2020' -> (2020, 1)."""
    text = "" if raw is None else str(raw).strip()
    for pattern in _PERIOD_PATTERNS:
        m = pattern.match(text)
        if m:
            groups = m.groupdict()
            quarter = _ROMAN_IN[groups["r"].upper()] if groups.get("r") else int(groups["q"])
            return int(groups["y"]), quarter
    raise FormatError(f"«{text}» non è un periodo valido (formato atteso: 2020-Q1 oppure I trim. 2020)")


def period_code(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def italian_frame(df, decimals: int = 2, missing: str | None = None):
    """A copy of a table for display: floats as '1.234,56', dates as '30/09/2019'. Downloads keep the raw numbers.
    An empty cell is blank; with `missing` (e.g. "–") every empty cell reads that, also None in a text column
    (Streamlit would print "None")."""
    import pandas as pd

    out = df.copy()
    blank = "" if missing is None else missing
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_float_dtype(series):
            # A whole number has no decimals, also in a column of several indicators (a count reads "402",
            # not "402,00", next to an average of "3,68").
            out[col] = [fmt_num(v, 0 if float(v).is_integer() else decimals) if pd.notna(v) else blank for v in series]
        elif pd.api.types.is_datetime64_any_dtype(series):
            out[col] = [fmt_datetime(v) if pd.notna(v) else blank for v in series]
        elif missing is not None and series.dtype == object:
            out[col] = [_cell(v, decimals, missing) for v in series]
    return out


def _cell(v, decimals: int, missing: str):
    """A cell of a mixed column: empty -> `missing`, a float the Italian way, anything else as it is."""
    import pandas as pd

    if v is None or (not isinstance(v, (str, list, tuple, dict)) and pd.isna(v)):
        return missing
    if isinstance(v, float):
        return fmt_num(v, 0 if v.is_integer() else decimals)
    return v


# The plan stores operators as typed (">=", "<="); people read the signs (tables, charts, PDF alike).
OPERATOR_SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=", "==": "="}


def fmt_operator(operatore) -> str:
    """'>=' -> '≥', '<=' -> '≤'."""
    return OPERATOR_SIGNS.get(str(operatore).strip(), str(operatore)) if operatore is not None else ""


def fmt_condition(operatore, soglia, unita: str | None = "") -> str:
    """'≥ 3 punti', '< 5 giorni', '≥ 80 %': a condition as worded, whole thresholds without decimals."""
    if soglia is None or (isinstance(soglia, float) and math.isnan(soglia)):
        return "–"
    decimals = 0 if float(soglia).is_integer() else 2
    return f"{fmt_operator(operatore)} {fmt_num(soglia, decimals)} {unita or ''}".strip()
