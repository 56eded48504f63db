"""Tables as downloads: Italian CSV (opens in Italian Excel) and real XLSX, safe against formula injection."""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboard.core import formats
from dashboard.files.spreadsheet_safety import neutralise


def text(value: str) -> str:
    """What a spreadsheet cell can hold: line breaks kept, the control characters openpyxl refuses
    (NUL, Word's \\x0b, ...) replaced or dropped; formulas neutralised."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", formats.clean_text(value)))


def _cell_csv(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".").replace(".", ",")
    return text(str(value))


def csv_bytes(df: pd.DataFrame) -> bytes:
    """';' separated, decimal comma, UTF-8 with BOM: what Excel in Italian opens directly."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([text(str(c)) for c in df.columns])
    for row in df.itertuples(index=False):
        w.writerow([_cell_csv(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# Excel shows these the Italian way (1.234,56; 30/09/2019) on an Italian PC: the codes are locale-neutral.
NUMBER_FORMAT, INTEGER_FORMAT = "#,##0.00", "#,##0"
DATE_FORMAT, DATETIME_FORMAT = "DD/MM/YYYY", "DD/MM/YYYY HH:MM"
DECIMALS = 4  # enough for any ratio people read; not the 15 digits of a float
_IT_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})(?: (\d{2}):(\d{2}))?$")


def _xlsx_value(v):
    """A cell's value: numbers as numbers (rounded), '30/09/2019' and datetimes as real dates, text made safe."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    elif hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, bool):
        return "sì" if v else "no"
    if isinstance(v, float):
        return round(v, DECIMALS)
    if isinstance(v, str):
        m = _IT_DATE.match(v)
        if m:
            try:
                day, month, year = int(m[1]), int(m[2]), int(m[3])
                return (dt.datetime(year, month, day, int(m[4]), int(m[5])) if m[4]
                        else dt.date(year, month, day))
            except ValueError:
                pass
        return text(v)
    return v


def xlsx_bytes(df: pd.DataFrame, sheet: str = "Dati") -> bytes:
    """A sheet people attach to reports: bold frozen header, numbers with thousands and two decimals (whole
    columns without), real dates, columns as wide as their content (long text wraps), a filter on the header."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([text(str(c)) for c in df.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in df.itertuples(index=False):
        ws.append([_xlsx_value(v) for v in row])
    for i, col in enumerate(ws.iter_cols(min_row=2), start=1):
        values = [c.value for c in col if c.value is not None]
        whole = all(isinstance(v, int) or (isinstance(v, float) and v.is_integer()) for v in values
                    if isinstance(v, (int, float)) and not isinstance(v, bool))
        for c in col:
            if isinstance(c.value, dt.datetime):
                c.number_format = DATETIME_FORMAT
            elif isinstance(c.value, dt.date):
                c.number_format = DATE_FORMAT
            elif isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                c.number_format = INTEGER_FORMAT if whole else NUMBER_FORMAT
            elif isinstance(c.value, str) and len(c.value) > 60:
                c.alignment = Alignment(wrap_text=True, vertical="top")
        longest = max([len(str(ws.cell(1, i).value or ""))] + [_shown_width(v) for v in values])
        ws.column_dimensions[get_column_letter(i)].width = max(8, min(longest + 2, 60))
    ws.freeze_panes = "A2"
    if df.shape[0] and df.shape[1]:
        ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _shown_width(v) -> int:
    if isinstance(v, dt.datetime):
        return 16
    if isinstance(v, dt.date):
        return 10
    if isinstance(v, (int, float)):
        return len(formats.fmt_num(v))
    return max((len(line) for line in str(v).splitlines()), default=0)
