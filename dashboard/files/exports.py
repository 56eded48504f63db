"""Tables as downloads: Italian CSV (opens in Italian Excel) and real XLSX, safe against formula injection."""
from __future__ import annotations

import csv
import io
import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

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
        return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")
    return text(str(value))


def csv_bytes(df: pd.DataFrame) -> bytes:
    """';' separated, decimal comma, UTF-8 with BOM: what Excel in Italian opens directly."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([text(str(c)) for c in df.columns])
    for row in df.itertuples(index=False):
        w.writerow([_cell_csv(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(df: pd.DataFrame, sheet: str = "Dati") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([text(str(c)) for c in df.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in df.itertuples(index=False):
        out = []
        for v in row:
            if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
                out.append(None)
            elif hasattr(v, "item"):
                out.append(v.item())
            elif isinstance(v, str):
                out.append(text(v))
            else:
                out.append(v)
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
