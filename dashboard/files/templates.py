"""The measurement template an office fills for a quarter (.xlsx or .csv).

One row per indicator of the office, with the columns the importer reads and
the last value entered as a guide. CSV is written the way Italian Excel opens
it directly: ';' separated, UTF-8 with BOM, decimal comma.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

import queries
from dashboard.core import formats
from dashboard.core.errors import Refused
from dashboard.files.spreadsheet_safety import neutralise
from queries import plan as plan_queries

COLUMNS = ["indicatore", "descrizione", "unita", "periodo", "valore", "numeratore", "denominatore", "note",
           "ultimo_valore", "ultimo_periodo"]
GUIDE = "Compilare «valore», oppure «numeratore» e «denominatore» per gli indicatori calcolati sui casi; «note» è obbligatoria per correggere un valore già inserito."


class TemplateError(Refused):
    pass


def template_rows(con: duckdb.DuckDBPyConnection, ente: str, ufficio: str, anno: int, trimestre: int) -> list[dict]:
    if not plan_queries.office_exists(con, ente, ufficio):
        raise TemplateError(f"Ufficio «{ufficio}» sconosciuto per l'ente {ente}.")
    rows = con.execute(queries.sql("templates", "template_rows"), {"ente": ente, "ufficio": ufficio, "anno": anno}).fetchall()
    if not rows:
        raise TemplateError(f"L'ufficio «{ufficio}» non ha indicatori da rilevare nel {anno}.")
    out = []
    for codice, nome, unita, aggregazione, ultimo_valore, ultimo_anno, ultimo_trim in rows:
        descr = nome + (" — compilare numeratore e denominatore" if aggregazione == "casi" else "")
        out.append({
            "indicatore": codice, "descrizione": descr, "unita": unita, "periodo": formats.period_code(anno, trimestre),
            "valore": None, "numeratore": None, "denominatore": None, "note": None,
            "ultimo_valore": ultimo_valore,
            "ultimo_periodo": formats.fmt_period(ultimo_anno, ultimo_trim) if ultimo_anno else None,
        })
    return out


def write_template(rows: list[dict], out: Path) -> None:
    out = Path(out)
    out.write_bytes(template_bytes(rows, out.suffix.lower()))


def template_bytes(rows: list[dict], suffix: str) -> bytes:
    if suffix == ".xlsx":
        buf = io.BytesIO()
        _write_xlsx(rows, buf)
        return buf.getvalue()
    if suffix == ".csv":
        return _csv_text(rows).encode("utf-8-sig")
    raise TemplateError(f"Estensione «{suffix}» non supportata: usare .xlsx o .csv.")


def _csv_text(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([formats.fmt_num(r[c]).replace(".", "") if c == "ultimo_valore" and r[c] is not None
                    else neutralise(r[c]) if r[c] is not None else "" for c in COLUMNS])
    return buf.getvalue()


def _write_xlsx(rows: list[dict], out) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Misure"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")  # the cells a person fills
    for r in rows:
        ws.append([neutralise(r[c]) for c in COLUMNS])
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=8):
        for cell in row:
            cell.fill = fill
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=7):
        for cell in row:
            cell.number_format = "#,##0.00"
    check = DataValidation(type="decimal", operator="between", formula1="-1E12", formula2="1E12", allow_blank=True,
                           error="Inserire un numero", errorTitle="Valore non numerico")
    ws.add_data_validation(check)
    check.add(f"E2:G{len(rows) + 1}")
    widths = {"A": 26, "B": 70, "C": 8, "D": 10, "E": 12, "F": 12, "G": 12, "H": 40, "I": 14, "J": 14}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "B2"
    info = wb.create_sheet("Istruzioni")
    info.append([GUIDE])
    wb.save(out)
