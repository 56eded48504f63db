"""The plan workbook: the whole plan of one body as the planning office keeps it.

One sheet per plan table, named and laid out as the files in data/lucca/ (same
column names, same order), plus «Istruzioni». The columns are derived from the
tables themselves (the schema in queries/sql/schema.sql, in the order of the
CSV headers, then any column the CSV files do not have yet), so a column added
to a table appears in the workbook without touching this module.

A folder of CSV files named as the sheets (data/lucca/ itself) reads the same way.
Values are read into canonical Python values (str, int, float, date, None): the
version store, the checks and the export all work on those, which is what makes
export → import → export give the same workbook.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dashboard.core import config, db, formats
from dashboard.files import xlsx_limits
from dashboard.files.problems import FileRefused, Problem
from dashboard.files.spreadsheet_safety import _TRIGGERS, neutralise

# Plan tables in dependency order: the sheets of the workbook and the files of data/lucca/.
SHEETS = ("enti", "aree", "obiettivi", "eventi_obiettivi", "cdc", "uffici", "progetti", "target", "indicatori",
          "criteri", "budget", "budget_stampa", "sportelli")
INSTRUCTIONS = "Istruzioni"

# Closed lists of values (the tables' CHECK constraints and the SMVP rules), for checks and drop-downs.
# A column listed here that a table does not have is simply ignored.
ALLOWED = {
    ("criteri", "operatore"): ("<", "<=", ">", ">="),
    ("criteri", "tipo"): ("soglia", "rapporto_annuo", "conteggio", "percentuale", "milestone"),
    ("criteri", "regola"): ("rapporto", "interpolazione", "fasce", "binario"),
    ("indicatori", "aggregazione"): ("somma", "ultimo", "casi"),
    ("indicatori", "proiezione"): ("lineare", "costante"),
    ("eventi_obiettivi", "tipo"): ("creato", "modificato", "proposto_eliminazione", "eliminato",
                                   "proposta_eliminazione_target"),
    ("budget_stampa", "livello"): ("obiettivo", "area", "ente"),
}

SHEET_DOCS = {
    "enti": "L'ente a cui appartiene il piano: una sola riga. Ogni altro foglio ripete il suo codice nella colonna «ente».",
    "aree": "Le aree strategiche, con il peso nel calcolo del grado dell'ente.",
    "obiettivi": "Gli obiettivi strategici: area di appartenenza, peso nel grado dell'area, titolo.",
    "eventi_obiettivi": "La vita degli obiettivi: creati, modificati, proposti per l'eliminazione, eliminati, con atto e data.",
    "cdc": "I centri di costo.",
    "uffici": "Gli uffici, responsabili degli indicatori e dei progetti, con il loro centro di costo.",
    "progetti": "I progetti operativi: obiettivo, ufficio responsabile, centro di costo (anche come stampati).",
    "target": "I target di ogni obiettivo: anni di validità (da, a), peso nel grado dell'obiettivo, testo integrale.",
    "indicatori": "Gli indicatori: unità, ufficio responsabile, come i trimestri formano l'anno, proiezione, scala.",
    "criteri": "Come si giudica ogni target: una riga per condizione su un indicatore; il target è raggiunto "
               "quando lo sono tutte.",
    "budget": "Oneri, ricavi, contributi e investimenti per obiettivo e anno (in euro).",
    "budget_stampa": "I totali come stampati nel documento, confrontati con quelli ricalcolati.",
    "sportelli": "Quale indicatore alimentano i questionari di ogni sportello.",
}
COLUMN_DOCS = {
    "ente": "codice dell'ente (lo stesso del foglio «enti»)",
    "codice": "codice, unico nel foglio",
    "nome": "nome per esteso", "nome_breve": "nome breve", "titolo": "titolo", "testo": "testo integrale",
    "peso": "peso nella media ponderata del livello superiore: maggiore di zero",
    "area": "codice dell'area strategica (foglio «aree»)",
    "obiettivo": "codice dell'obiettivo strategico (foglio «obiettivi»)",
    "ufficio": "codice dell'ufficio (foglio «uffici»)",
    "cdc": "codice del centro di costo (foglio «cdc»)",
    "cdc_testo": "centro di costo come stampato nel documento",
    "area_testo": "area come stampata nel documento",
    "numero": "numero progressivo del target nell'obiettivo",
    "anno_da": "primo anno di validità", "anno_a": "ultimo anno di validità (non prima di anno_da)",
    "target": "codice del target (foglio «target», con lo stesso anno_da)",
    "indicatore": "codice dell'indicatore (foglio «indicatori»)",
    "tipo": "tipo", "operatore": "operatore della condizione, come formulata: < strettamente minore, <= non superiore, "
                                  "> strettamente maggiore, >= non inferiore",
    "soglia": "valore atteso della condizione (obbligatorio)",
    "regola": "come si calcola il grado quando la condizione non è soddisfatta",
    "valore_base": "valore di partenza (baseline), obbligatorio con la regola «interpolazione»",
    "anno": "anno", "anno_testo": "anno come stampato nel documento",
    "unita": "unità di misura", "aggregazione": "come i trimestri formano l'anno: somma (conteggi), ultimo (stock, "
                                                 "avanzamento), casi (somma numeratori ÷ somma denominatori)",
    "fattore": "fattore moltiplicativo del rapporto dei casi (es. 100 per una percentuale)",
    "proiezione": "proiezione a fine anno: lineare (conteggi, avanzamento) o costante (medie, stock)",
    "scala_min": "minimo della scala", "scala_max": "massimo della scala (tetto della proiezione)",
    "target_contesto": "target di contesto (indicatori che non giudicano un target)",
    "data": "data (gg/mm/aaaa)", "atto": "atto (es. Delibera di Giunta n. 4 del 28/01/2020)", "nota": "nota",
    "oneri": "oneri (costi esterni), euro", "ricavi": "ricavi, euro", "contributi": "contributi, euro",
    "investimenti": "investimenti, euro", "livello": "livello del totale", "voce": "voce del totale",
    "importo": "importo, euro", "sportello": "nome dello sportello",
}
_TYPE_LABELS = {"text": "testo", "int": "numero intero", "num": "numero (1.234,56)", "date": "data (gg/mm/aaaa)"}

MAX_BYTES = 20 * 1024 * 1024  # a national body's plan is a few hundred kilobytes


@dataclass(frozen=True)
class Column:
    name: str
    kind: str            # text | int | num | date
    required: bool       # NOT NULL without a default: the header must have it and no cell may be empty
    default: object      # value of an empty cell, from the table's DEFAULT


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # columns identifying a row (primary key), empty when the whole row is the identity

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


class PlanTables(dict):
    """{sheet: [row dict]} in canonical values; `righe[sheet]` holds each row's number in the sheet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.righe: dict[str, list[int]] = {}

    @property
    def ente(self) -> str | None:
        rows = self.get("enti") or []
        return rows[0].get("codice") if len(rows) == 1 else None


def _kind(data_type: str) -> str:
    t = data_type.upper()
    if t.startswith(("VARCHAR", "TEXT")):
        return "text"
    if t in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT"):
        return "int"
    if t == "DATE":
        return "date"
    return "num"  # DOUBLE, FLOAT, DECIMAL(p, s)


def _default(expr, kind):
    if expr is None:
        return None
    text = re.sub(r"^CAST\((.*) AS \w+\)$", r"\1", str(expr)).strip().strip("'")
    try:
        return parse_value(text, kind)
    except formats.FormatError:
        return None


# Columns the product fills itself, never a workbook's: a condition's place in the plan (plan_versions._insert).
INTERNAL_COLUMNS = {("criteri", "ordine")}


@cache
def sheets() -> tuple[Sheet, ...]:
    """The sheets as the schema defines the tables (read once from an empty in-memory database)."""
    con = db.memory()
    try:
        out = []
        for name in SHEETS:
            cols = con.execute("SELECT column_name, data_type, is_nullable, column_default FROM duckdb_columns() "
                               "WHERE table_name = $t AND schema_name = 'main' ORDER BY column_index",
                               {"t": name}).fetchall()
            by_name = {c[0]: c for c in cols}
            csv_path = config.SEED_DIR / f"{name}.csv"
            header = next(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8")))) if csv_path.exists() else []
            order = [c for c in header if c in by_name] + [c for c in by_name if c not in header
                                                           and (name, c) not in INTERNAL_COLUMNS]
            columns = []
            for c in order:
                _, data_type, nullable, default = by_name[c]
                kind = _kind(data_type)
                columns.append(Column(c, kind, not nullable and default is None, _default(default, kind)))
            pk = con.execute("SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = $t "
                             "AND constraint_type = 'PRIMARY KEY'", {"t": name}).fetchone()
            key = tuple(pk[0]) if pk else ()
            if name == "criteri":  # no primary key in the table; a condition is one per target, year and indicator
                key = tuple(c for c in ("ente", "target", "anno_da", "indicatore", "anno") if c in by_name)
            out.append(Sheet(name, tuple(columns), key))
        return tuple(out)
    finally:
        con.close()


def sheet(name: str) -> Sheet:
    return next(s for s in sheets() if s.name == name)


def parse_value(raw, kind: str):
    """A cell (from openpyxl or CSV text) as the canonical value of its column's kind; FormatError if it is not."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if kind == "text":
        text = raw if isinstance(raw, str) else _text_of(raw)
        # Undo neutralise(): the apostrophe our export put before a leading =, +, -, @.
        return text[1:] if text.startswith("'") and text[1:].startswith(_TRIGGERS) else text
    if kind == "date":
        return formats.parse_date(raw)
    if isinstance(raw, (dt.date, dt.datetime)):
        raise formats.FormatError(f"atteso un numero, trovata la data {formats.fmt_date(raw)}")
    value = formats.parse_number(raw)
    if kind == "int":
        if value != int(value):
            raise formats.FormatError(f"«{raw}» non è un numero intero")
        return int(value)
    return value


def _text_of(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------- reading

def read_workbook(path) -> tuple[PlanTables, list[Problem]]:
    """Read a plan workbook (.xlsx) or a folder of CSV files: (tables, problems). Nothing is checked against
    the database here; problems are those of the file: missing sheets or columns, formulas, bad numbers
    and dates, empty required cells. The cross-sheet checks are in plan_checks."""
    path = Path(path)
    if not path.exists():
        return PlanTables(), [Problem(path.name, None, None, "file non trovato")]
    if path.is_dir():
        raw, problems = _raw_from_folder(path)
    elif path.suffix.lower() == ".xlsx":
        raw, problems = _raw_from_xlsx(path)
    else:
        return PlanTables(), [Problem(path.name, None, None,
                                      "formato non supportato: usare il piano in .xlsx o una cartella di file CSV")]
    tables = PlanTables()
    for s in sheets():
        if s.name not in raw:
            continue
        header, rows = raw[s.name]
        tables[s.name], tables.righe[s.name] = [], []
        for c in s.columns:
            if c.name not in header and c.required:
                problems.append(Problem(s.name, 1, c.name, "colonna mancante"))
        for h in header:
            if h and h not in s.names:
                problems.append(Problem(s.name, 1, h, "colonna sconosciuta: le colonne ammesse sono "
                                                      + ", ".join(s.names)))
        for number, cells in rows:
            row = {}
            for c in s.columns:
                try:
                    value = parse_value(cells.get(c.name), c.kind)
                except formats.FormatError as exc:
                    problems.append(Problem(s.name, number, c.name, str(exc)))
                    value = None
                row[c.name] = c.default if value is None else value
            tables[s.name].append(row)
            tables.righe[s.name].append(number)
    return tables, problems


def _raw_from_folder(folder: Path):
    raw, problems = {}, []
    for name in SHEETS:
        f = folder / f"{name}.csv"
        if not f.exists():
            problems.append(Problem(name, None, None, f"foglio mancante (file {name}.csv non trovato in {folder.name})"))
            continue
        data = f.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        first = text.split("\n", 1)[0]
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=max([";", ",", "\t"], key=first.count))
        header, rows, line = None, [], 0
        for cells in reader:
            number, line = line + 1, reader.line_num  # a quoted text across lines: the row's first line
            if header is None:
                header = [str(h).strip().lower() for h in cells]
            elif any(c.strip() for c in cells):
                rows.append((number, {h: (cells[i] if i < len(cells) else None) for i, h in enumerate(header)}))
        if header is None:
            problems.append(Problem(name, None, None, "foglio vuoto: manca la riga di intestazione"))
            continue
        raw[name] = (header, rows)
    return raw, problems


def _raw_from_xlsx(path: Path):
    if path.stat().st_size > MAX_BYTES:
        return {}, [Problem(path.name, None, None, f"il file pesa più di {MAX_BYTES // 1024 ** 2} MB, il limite per il piano")]
    try:
        xlsx_limits.check(path, path.name, xlsx_limits.PLAN)
    except FileRefused as exc:
        return {}, exc.problems
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip
        return {}, [Problem(path.name, None, None, "il file non è un file Excel leggibile")]
    raw, problems = {}, []
    try:
        for name in SHEETS:
            if name not in wb.sheetnames:
                problems.append(Problem(name, None, None, "foglio mancante"))
                continue
            header, rows = None, []
            for number, cells in enumerate(xlsx_limits.open_rows(wb[name]), start=1):
                if header is None:
                    header = [str(c.value).strip().lower() if c.value is not None else "" for c in cells]
                    continue
                values = {}
                for i, cell in enumerate(cells):
                    if i >= len(header) or not header[i]:
                        continue
                    if cell.data_type == "f":
                        problems.append(Problem(name, number, header[i], f"contiene una formula ({cell.value}): "
                                                                         "scrivere il valore, non la formula"))
                        continue
                    values[header[i]] = cell.value
                if any(v not in (None, "") for v in values.values()):
                    rows.append((number, values))
            if header is None:
                problems.append(Problem(name, None, None, "foglio vuoto: manca la riga di intestazione"))
                continue
            raw[name] = (header, rows)
    finally:
        wb.close()
    return raw, problems


# ---------------------------------------------------------------- writing

def current_tables(con, ente: str) -> PlanTables:
    """The plan in force of `ente`, from the plan tables, in canonical values, in the order loaded.

    Rows keep the workbook's order (DuckDB preserves insertion order): the order of a target's criteria
    decides which value stato_target shows when two conditions tie, so it is part of the plan."""
    tables = PlanTables()
    for s in sheets():
        column = "codice" if s.name == "enti" else "ente"
        # Table and column names come from SHEETS and the schema, never from input.
        cols = ", ".join(f'"{c}"' for c in s.names)
        rows = con.execute(f'SELECT {cols} FROM {s.name} WHERE "{column}" = $ente', {"ente": ente}).fetchall()
        tables[s.name] = [_canonical_row(s, r) for r in rows]
    return tables


def _canonical_row(s: Sheet, values) -> dict:
    row = {}
    for c, v in zip(s.columns, values):
        if v is None:
            row[c.name] = None
        elif c.kind == "num":
            row[c.name] = float(v)
        elif c.kind == "int":
            row[c.name] = int(v)
        elif c.kind == "date":
            row[c.name] = v.date() if isinstance(v, dt.datetime) else v
        else:
            row[c.name] = str(v)
    return row


def template_bytes() -> bytes:
    """The empty plan workbook: instructions, headers and drop-down lists."""
    return workbook_bytes(PlanTables({s.name: [] for s in sheets()}))


def workbook_bytes(tables: dict[str, list[dict]]) -> bytes:
    wb = Workbook()
    _write_instructions(wb.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for s in sheets():
        ws = wb.create_sheet(s.name)
        ws.append(s.names)
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
        ws.freeze_panes = "A2"
        rows = tables.get(s.name, [])
        for r in rows:
            ws.append([neutralise(r.get(c)) if isinstance(r.get(c), str) else r.get(c) for c in s.names])
        last = max(len(rows) + 500, 1000)
        for i, c in enumerate(s.columns, start=1):
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = 40 if c.name in ("titolo", "testo", "nome", "nota", "atto") else 14
            if c.kind == "date":
                for cell in ws[letter][1:]:
                    cell.number_format = "DD/MM/YYYY"
            allowed = ALLOWED.get((s.name, c.name))
            if allowed:
                # The list is quoted text; the operators contain no comma or quote to escape.
                dv = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=not c.required,
                                    showErrorMessage=True, errorTitle="Valore non ammesso",
                                    error="Valori ammessi: " + ", ".join(allowed))
                dv.add(f"{letter}2:{letter}{last}")
                ws.add_data_validation(dv)
            elif c.kind in ("int", "num"):
                dv = DataValidation(type="whole" if c.kind == "int" else "decimal", operator="between",
                                    formula1="-1E12", formula2="1E12", allow_blank=True, showErrorMessage=True,
                                    errorTitle="Numero non valido", error="Scrivere un numero.")
                dv.add(f"{letter}2:{letter}{last}")
                ws.add_data_validation(dv)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_instructions(ws) -> None:
    ws.title = INSTRUCTIONS
    ws.append(["Piano della performance — cartella di lavoro"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in (
        "Un foglio per tabella del piano, con i nomi di colonna della prima riga: non rinominarli né spostarli.",
        "Numeri all'italiana (1.234,56) o come celle numeriche; date gg/mm/aaaa; niente formule, solo valori.",
        "Il piano si carica intero: ogni problema è segnalato con foglio, riga e colonna e, se ce n'è uno, "
        "non si scrive nulla.",
        "Caricato, il piano è una bozza; entra in vigore quando è adottato con il suo atto (numero e data).",
    ):
        ws.append([line])
    ws.append([])
    ws.append(["foglio", "colonna", "significato", "tipo", "obbligatoria", "valori ammessi"])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for s in sheets():
        ws.append([s.name, "", SHEET_DOCS.get(s.name, ""), "", "", ""])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for c in s.columns:
            allowed = ALLOWED.get((s.name, c.name))
            doc = COLUMN_DOCS.get(c.name, c.name.replace("_", " "))
            if c.default is not None:
                doc += f" (se vuota: {c.default})"
            ws.append(["", c.name, doc, _TYPE_LABELS[c.kind], "sì" if c.required else "no",
                       ", ".join(allowed) if allowed else ""])
    for letter, width in zip("ABCDEF", (18, 18, 90, 20, 12, 40)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=header_row + 1):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
