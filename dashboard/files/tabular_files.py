"""Read a table from a real .csv or .xlsx file as Italian offices produce them.

CSV: ';' or ',' or tab separated, UTF-8 with or without BOM or Windows-1252.
XLSX: written by Excel or LibreOffice, read with openpyxl; a formula where a
value belongs is refused (we store values, not what a formula computed on
somebody's machine). Problems are reported as Problem(file, row, column, text).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dashboard.core import config
from dashboard.files import xlsx_limits
from dashboard.files.problems import FileRefused, Problem


@dataclass
class Table:
    name: str
    header: list[str]            # normalised column names (lower case, trimmed)
    rows: list[tuple[int, dict]]  # (row number in the file, {column: raw cell})
    letters: dict[str, str]      # column -> spreadsheet letter, for messages


def _refuse(name: str, message: str, row=None, column=None):
    raise FileRefused([Problem(name, row, column, message)])


def _norm(col) -> str:
    return str(col or "").strip().lower().replace(" ", "_")


def read_table(path: Path, display_name: str | None = None, max_rows: int = config.MAX_IMPORT_ROWS,
               max_bytes: int = config.MAX_IMPORT_BYTES) -> Table:
    path = Path(path)
    name = display_name or path.name
    size = path.stat().st_size
    if size > max_bytes:
        _refuse(name, f"il file pesa {size / 1024 / 1024:.1f} MB e supera il limite di "
                      f"{max_bytes / 1024 / 1024:.0f} MB".replace(".", ","))
    if size == 0:
        _refuse(name, "il file è vuoto")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path.read_bytes(), name)
    elif suffix == ".xlsx":
        table = _read_xlsx(path, name)
    else:
        _refuse(name, f"formato «{suffix or 'senza estensione'}» non supportato: usare .xlsx o .csv")
    for column, positions in duplicated_columns(table.header).items():
        _refuse(name, f"la colonna «{column}» compare più volte nell'intestazione (colonne "
                      + " e ".join(get_column_letter(i + 1) for i in positions) + "): lasciarne una sola", 1)
    if not table.rows:
        _refuse(name, "il file non contiene righe di dati sotto l'intestazione")
    if len(table.rows) > max_rows:
        _refuse(name, f"il file ha {len(table.rows)} righe e supera il limite di {max_rows} righe")
    return table


def duplicated_columns(header: list[str]) -> dict[str, list[int]]:
    """{name: positions (0-based)} of the column names the header has more than once (empty names aside):
    which one holds the values would be a guess."""
    positions: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        if h:
            positions.setdefault(h, []).append(i)
    return {h: at for h, at in positions.items() if len(at) > 1}


BOM_NOT_UTF8 = ("il file inizia con il segno dei file UTF-8 (BOM) ma contiene caratteri in un'altra codifica "
                "(al byte {pos}): salvarlo di nuovo come «CSV UTF-8»")
FIELD_TOO_LONG = f"una cella supera {csv.field_size_limit():,} caratteri".replace(",", ".") + " (limite dei file CSV)"


def _read_csv(data: bytes, name: str) -> Table:
    if data.startswith(b"PK\x03\x04"):
        _refuse(name, "il file ha estensione .csv ma è un file Excel (.xlsx): salvarlo come .xlsx o esportarlo in CSV")
    if b"\x00" in data[:4096]:
        _refuse(name, "il file ha estensione .csv ma non è un file di testo")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            _refuse(name, BOM_NOT_UTF8.format(pos=exc.start + 3))
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    first = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max([";", ",", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = list(reader)
    except csv.Error as exc:
        _refuse(name, FIELD_TOO_LONG if "field limit" in str(exc) else f"il file non è un CSV leggibile ({exc})",
                reader.line_num)
    while lines and not any(c.strip() for c in lines[0]):
        lines.pop(0)
    if not lines:
        _refuse(name, "il file è vuoto")
    header = [_norm(c) for c in lines[0]]
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append((number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}))
    return Table(name, header, rows, {})


def _read_xlsx(path: Path, name: str) -> Table:
    xlsx_limits.check(path, name, xlsx_limits.TEMPLATE)
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip
        _refuse(name, "il file ha estensione .xlsx ma non è un file Excel leggibile")
    try:
        return _xlsx_table(workbook.worksheets[0], name)
    finally:
        workbook.close()


def _xlsx_table(sheet, name: str) -> Table:
    header, letters, problems, rows = None, {}, [], []
    for number, cells in enumerate(xlsx_limits.open_rows(sheet), start=1):
        if header is None:
            if all(c.value in (None, "") for c in cells):
                continue  # blank rows above the header
            header = [_norm(c.value) for c in cells]
            letters = {h: get_column_letter(i + 1) for i, h in enumerate(header) if h}
            continue
        values = {}
        for i, cell in enumerate(cells):
            if i >= len(header) or not header[i]:
                continue
            if cell.data_type == "f":
                problems.append(Problem(name, number, f"{header[i]} ({letters[header[i]]})",
                                        f"contiene una formula ({cell.value}): incollare il valore, non la formula"))
            values[header[i]] = cell.value
        if all(v in (None, "") for v in values.values()):
            continue
        rows.append((number, values))
    if header is None:
        _refuse(name, "il file è vuoto")
    if problems:
        raise FileRefused(problems)
    return Table(name, header, rows, letters)
