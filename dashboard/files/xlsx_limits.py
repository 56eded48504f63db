"""Check an .xlsx upload against limits before any spreadsheet library reads it.

A workbook is a zip of XML parts, and a few kilobytes can declare or expand into gigabytes: one cell at
XFD1048576 makes a reader build a million rows of 16.384 cells; a zip bomb expands 4 MB into 1,4 GB of
XML; a shared-strings table of millions of entries sits whole in memory. So, before openpyxl opens the
file, `check` looks at the zip's directory (number of parts, uncompressed size, compression ratio) and
streams every XML part once through expat, counting as it goes: the declared `<dimension>`, each row's and
cell's position, the number of shared strings and the length of every text. It stops at the first limit
passed (it never trusts the declared dimension alone) and refuses the file in Italian, naming the sheet and
the cell. Memory stays constant; time is proportional to the XML actually there, which the limits bound.

The readers then open the workbook with openpyxl in read-only mode, with the declared dimensions reset, so
rows stream one at a time and a wrong `<dimension>` can neither pad nor truncate them (`rows`).
"""
from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from openpyxl.utils import column_index_from_string, get_column_letter

from dashboard.core import config
from dashboard.files.problems import FileRefused, Problem

EXCEL_MAX_ROWS, EXCEL_MAX_COLUMNS, EXCEL_MAX_TEXT = 1_048_576, 16_384, 32_767
RATIO_FLOOR = 10 * 1024 * 1024  # parts smaller than this uncompressed are not judged by their ratio
CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """What one kind of upload may hold. `rows` is the last row number a sheet may reach (header included)."""
    what: str                 # in messages: "il modello", "il file di record", "il piano"
    rows: int
    uncompressed: int         # bytes of all parts together, decompressed
    shared_strings: int       # entries of the shared-strings table (kept in memory by the reader)
    columns: int = 256
    members: int = 500
    ratio: int = 100          # decompressed ÷ compressed, for parts over RATIO_FLOOR
    text: int = EXCEL_MAX_TEXT


MB = 1024 * 1024
TEMPLATE = Limits("il modello", config.MAX_IMPORT_ROWS + 1, 64 * MB, 200_000)
PLAN = Limits("il piano", config.MAX_IMPORT_ROWS + 1, 64 * MB, 200_000)
# Records: Excel's own row limit (larger files are exported as CSV); the shared strings of a million records.
RECORDS = Limits("il file di record", EXCEL_MAX_ROWS, 512 * MB, 2_500_000)

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
_MAIN = {_NS + t: t for t in ("c", "row", "dimension", "si")}
_ENDS = {_NS + "c", _NS + "si"}
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _mb(value: int) -> str:
    return f"{value / MB:,.1f} MB".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


class _Stop(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def check(path: Path, name: str, limits: Limits) -> None:
    """Refuse (FileRefused) an .xlsx that is not a readable zip or passes one of `limits`; else return."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused([Problem(name, None, None, "il file ha estensione .xlsx ma non è un file Excel valido")]) from None
    with archive:
        try:
            _check(archive, name, limits)
        except _Stop as stop:
            raise FileRefused([stop.problem]) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError):
            # damaged, encrypted, a part longer than its declared size (the CRC fails), an unknown compression
            raise FileRefused([Problem(name, None, None, "il file ha estensione .xlsx ma non è un file Excel leggibile")]) from None


def _check(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    def stop(message):
        raise _Stop(Problem(name, None, None, message))

    infos = archive.infolist()
    if len(infos) > limits.members:
        stop(f"il file Excel contiene {_n(len(infos))} parti, oltre il limite di {_n(limits.members)}: "
             "non sembra un file salvato da Excel o LibreOffice")
    total = sum(i.file_size for i in infos)
    if total > limits.uncompressed:
        stop(f"il file Excel, decompresso, occupa {_mb(total)}: oltre il limite di {_mb(limits.uncompressed)} "
             f"per {limits.what}")
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(info.compress_size, 1):
            stop(f"il file Excel è compresso in modo anomalo (una sua parte si espande "
                 f"{_n(info.file_size // max(info.compress_size, 1))} volte, da {_mb(info.compress_size)} "
                 f"a {_mb(info.file_size)}): non sembra un file salvato da Excel o LibreOffice")
    sheet_names = _sheet_names(archive, name, limits)
    # Everything XML is streamed (a sheet may live at any path the workbook's relations name); the rest
    # (images) is not read by the readers as XML.
    for info in infos:
        if not info.is_dir() and not info.filename.lower().endswith((".png", ".jpeg", ".jpg", ".gif", ".emf",
                                                                       ".wmf", ".bin", ".tif", ".tiff")):
            _stream(archive, info, name, sheet_names.get(info.filename), limits)


def _sheet_names(archive: zipfile.ZipFile, name: str, limits: Limits) -> dict[str, str]:
    """{part path: sheet name} from xl/workbook.xml and its relations, for the messages (best effort)."""
    sheets, targets = {}, {}

    def on_start(tag, attrs):
        local = tag.rsplit(" ", 1)[-1]
        if local == "sheet":
            rid = next((v for k, v in attrs.items() if k.endswith(" id")), None)
            sheets[rid] = attrs.get("name", "")
        elif local == "Relationship":
            targets[attrs.get("Id")] = attrs.get("Target", "")

    for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        try:
            info = archive.getinfo(part)
        except KeyError:
            continue
        if info.file_size > 4 * MB:  # a list of sheets is a few kilobytes
            raise _Stop(Problem(name, None, None, "il file Excel ha un elenco dei fogli anomalo (oltre 4 MB)"))
        parser = _parser(name, limits)
        parser.StartElementHandler = on_start
        try:
            parser.Parse(archive.read(part), True)
        except expat.ExpatError:
            return {}
    out = {}
    for rid, sheet in sheets.items():
        target = targets.get(rid)
        if target:
            out[target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)] = sheet
    return out


def _parser(name: str, limits: Limits):
    parser = expat.ParserCreate(namespace_separator=" ")

    def no_dtd(*_):  # an .xlsx never has one; entity expansion is how XML bombs work
        raise _Stop(Problem(name, None, None, "il file Excel contiene una dichiarazione DTD, che Excel non scrive: "
                                              "salvarlo di nuovo da Excel o LibreOffice"))

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    return parser


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, sheet: str | None, limits: Limits) -> None:
    """Stream one part through expat, stopping at the first limit passed."""
    where = f"foglio «{sheet}»: " if sheet else ""
    state = {"row": 0, "col": 0, "strings": 0, "text": None, "cell": None}

    def stop(message):
        raise _Stop(Problem(name, None, None, where + message))

    def too_far(row, col=None):
        cell = f"la cella {get_column_letter(min(col, EXCEL_MAX_COLUMNS))}{row}" if col else f"la riga {_n(row)}"
        if row > limits.rows:
            stop(f"{cell} è oltre il limite di {_n(limits.rows)} righe per {limits.what}: cancellare le righe in fondo "
                 "al foglio o copiare i dati in un file nuovo")
        stop(f"{cell} è oltre il limite di {_n(limits.columns)} colonne per {limits.what}: cancellare le colonne "
             "in fondo al foglio o copiare i dati in un file nuovo")

    def on_start(tag, attrs):
        local = _MAIN.get(tag)  # the elements openpyxl reads are those of the main namespace
        if local is None:
            return
        if local == "c":
            ref = _CELL.match(attrs.get("r", ""))
            if ref:
                col, row = column_index_from_string(ref.group(1).upper()), int(ref.group(2))
                if row != state["row"] and row > limits.rows:
                    too_far(row, col)
            else:
                col, row = state["col"] + 1, state["row"]
            state["col"] = col
            if col > limits.columns or row > limits.rows:
                too_far(row, col)
            state["cell"], state["text"] = (row, col), 0
        elif local == "row":
            r = attrs.get("r")
            try:
                state["row"] = int(float(r)) if r is not None else state["row"] + 1
            except ValueError:
                stop(f"numero di riga «{r[:20]}» non valido")
            state["col"] = 0
            if state["row"] > limits.rows:
                too_far(state["row"])
        elif local == "dimension":
            last = attrs.get("ref", "").split(":")[-1]
            ref = _CELL.match(last)
            if ref:
                col, row = column_index_from_string(ref.group(1).upper()), int(ref.group(2))
                if row > limits.rows or col > limits.columns:
                    stop(f"l'area dichiarata arriva alla cella {ref.group(1).upper()}{row}, oltre il limite di "
                         f"{_n(limits.rows)} righe e {_n(limits.columns)} colonne per {limits.what}: cancellare righe "
                         "e colonne vuote in fondo al foglio o copiare i dati in un file nuovo")
        elif local == "si":
            state["strings"] += 1
            state["text"] = 0
            if state["strings"] > limits.shared_strings:
                stop(f"il file Excel contiene più di {_n(limits.shared_strings)} testi diversi, oltre il limite per "
                     f"{limits.what}")

    def on_end(tag):
        # The text of a cell (value, inline string, formula) or of a shared string (all its runs) is counted whole.
        if tag in _ENDS:
            state["cell"], state["text"] = None, None

    def on_text(data):
        if state["text"] is not None:
            state["text"] += len(data)
            if state["text"] > limits.text:
                if state["cell"]:
                    row, col = state["cell"]
                    stop(f"la cella {get_column_letter(col)}{row} contiene un testo di oltre {_n(limits.text)} "
                         "caratteri, il massimo di Excel")
                stop(f"il file Excel contiene un testo di oltre {_n(limits.text)} caratteri, il massimo di Excel")

    parser = _parser(name, limits)
    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_text
    with archive.open(info) as part:
        try:
            for block in iter(lambda: part.read(CHUNK), b""):
                parser.Parse(block, False)
            parser.Parse(b"", True)
        except expat.ExpatError:
            return  # not XML, or broken: the reader refuses it if it is a part it needs


def open_rows(worksheet):
    """Rows of a read-only worksheet as they are in the file: its declared dimension is ignored, so a wrong
    one can neither pad every row to it nor cut rows off (`check` has bounded the rows and columns)."""
    worksheet.reset_dimensions()
    return worksheet.iter_rows()
