"""Import raw records (Registro Imprese practices, satisfaction questionnaires, supplier invoices) and feed
the service indicators from them.

The file goes straight into DuckDB (read_csv) and is checked in SQL, set-wise,
so millions of rows are validated in seconds. Everything happens in one
transaction: the records, the metrics they change, the audit rows and the
batch's source (file name, SHA-256, number of records). A file in the standard
layout is inserted as the CSV reader types it and checked in place; if the
reader cannot take it, or the check finds anything, the transaction is rolled
back and the file read again as text the Italian way, with row numbers, so
every problem names file, row, column and reason. Only a file with no problem
is committed.

Imports of different bodies or kinds run side by side (`import_many`, one cursor
per thread); two imports of the same body and kind take turns, so the duplicate
check and the recomputed quarters always see each other.
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import hashlib
import os
import re
import tempfile
import threading
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

import queries
from dashboard.core import approvals, audit, db, formats, measurements, periods, users
from dashboard.core.errors import NotAllowed, Refused
from dashboard.core.roles import User, can_write_indicator, require
from dashboard.files import tabular_files, xlsx_limits
from dashboard.files.tabular_files import Problem

KINDS = {
    "pratiche": ["protocollo", "tipo", "ufficio", "data_arrivo", "data_evasione", "giorni_sospensione"],
    "questionari": ["data", "sportello", "punteggio", "scala_max"],
    "fatture": ["id_fattura", "fornitore", "data_fattura", "data_scadenza", "data_pagamento", "importo_pagato"],
}
# Columns a file may have besides those of KINDS: a file from before them still imports.
OPTIONAL = {"fatture": ["partita_iva", "split_payment", "importo_iva", "contestazione_dal", "contestazione_al", "stato"]}
# The indicators each kind feeds (questionnaires: through the body's desk table, see `sportelli`).
FEEDS = {"pratiche": ["RI_TEMPO_LAV", "RI_SOSP_QUOTA", "RI_SOSP_GIORNI"], "fatture": ["ITP"]}
# What each column holds (the documented layout; also the template's instructions sheet).
LAYOUT = {
    "protocollo": "numero di protocollo della pratica, unico",
    "tipo": "tipo di pratica (iscrizione, modifica, deposito bilancio…)",
    "ufficio": "ufficio o sede che ha lavorato la pratica",
    "data_arrivo": "data di arrivo, gg/mm/aaaa",
    "data_evasione": "data di evasione, gg/mm/aaaa (la pratica conta nel trimestre di evasione)",
    "giorni_sospensione": "giorni di sospensione addebitabili all'utente, intero ≥ 0",
    "data": "data del questionario, gg/mm/aaaa",
    "sportello": "sportello valutato (es. Marchi e Brevetti, Nuova Impresa, Mediazione)",
    "punteggio": "voto dato, da 1 a scala_max",
    "scala_max": "massimo della scala del questionario (es. 5 o 10)",
    "id_fattura": "numero della fattura",
    "fornitore": "fornitore (con il numero identifica la fattura)",
    "data_fattura": "data della fattura, gg/mm/aaaa",
    "data_scadenza": "data di scadenza del pagamento, gg/mm/aaaa",
    "data_pagamento": "data del pagamento, gg/mm/aaaa (la fattura conta nel trimestre di pagamento); vuota se la "
                      "fattura non è pagata: entra nel debito scaduto (art. 33 d.lgs. 33/2013) dalla scadenza",
    "importo_pagato": "importo della fattura in euro, IVA compresa, es. 1.234,56 (maggiore di zero); per una fattura "
                      "non pagata l'importo dovuto",
    "partita_iva": "facoltativa: partita IVA del fornitore (le imprese creditrici si contano per partita IVA)",
    "split_payment": "facoltativa: sì se la fattura è in split payment (l'ITP pesa l'importo senza IVA), no o vuoto "
                     "altrimenti",
    "importo_iva": "facoltativa: IVA della fattura in euro, es. 220,00 (obbligatoria con lo split payment)",
    "contestazione_dal": "facoltativa: inizio della contestazione o del contenzioso, gg/mm/aaaa (la somma non è "
                         "dovuta finché dura)",
    "contestazione_al": "facoltativa: fine della contestazione, gg/mm/aaaa (obbligatoria se la fattura è pagata; "
                        "da lì riparte la scadenza, secondo la regola dell'ente)",
    "stato": "facoltativa: rifiutata o stornata (stornata per intero da note di credito): la fattura non entra "
             "nell'ITP né nel debito; vuoto per le altre",
}
MAX_BYTES = 2 * 1024 ** 3
MAX_PROBLEMS = 1000  # listed; the total is always given


@dataclass
class RecordsResult:
    file: str
    kind: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    total_problems: int = 0
    changes: list[measurements.Change] = field(default_factory=list)
    lotto: int | None = None
    sha256: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Source:
    """The CSV to read (possibly a converted copy of the upload) and how: bound as values into read_csv."""
    path: str
    sep: str
    columns: tuple[str, ...]

    def params(self, typed: bool = False) -> dict:
        return {"path": self.path, "sep": self.sep,
                "columns": {c: TYPED.get(c, "VARCHAR") if typed else "VARCHAR" for c in self.columns}}


# The columns the fast path has the CSV reader type (see insert_typed_* in queries/sql/records_import.sql). Numbers
# are read as text there and taken only in their plain forms: DuckDB's reader would take "1,234" as 1,234 where
# the one rule for numbers (formats.parse_number, the macro it_numero) refuses it as ambiguous.
TYPED = dict.fromkeys(["data_arrivo", "data_evasione", "data", "data_fattura", "data_scadenza", "data_pagamento"], "DATE")

# One lock per (body, kind): see the module's docstring.
_locks_guard = threading.Lock()
_import_locks: dict[tuple[str, str], threading.Lock] = {}


def _import_lock(ente: str, kind: str) -> threading.Lock:
    with _locks_guard:
        return _import_locks.setdefault((ente, kind), threading.Lock())


class _Refused(Refused):
    """The file is refused, with its problems by row (the first MAX_PROBLEMS of `total`)."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems, self.total = problems, total or len(problems)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _csv_dialect(path: Path, name: str) -> tuple[str, str]:
    """(delimiter, encoding) from the first bytes; refuses what is not a text CSV."""
    with open(path, "rb") as f:
        head = f.read(65536)
    if head.startswith(b"PK\x03\x04"):
        raise _Refused([Problem(name, None, None, "il file ha estensione .csv ma è un file Excel (.xlsx)")])
    if b"\x00" in head:
        raise _Refused([Problem(name, None, None, "il file ha estensione .csv ma non è un file di testo")])
    bom = head.startswith(b"\xef\xbb\xbf")
    sample = head[3:] if bom else head
    try:
        text = sample.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a character cut at the end of the sample
            text, encoding = sample[:exc.start].decode("utf-8"), "utf-8"
        elif bom:
            raise _Refused([Problem(name, None, None, tabular_files.BOM_NOT_UTF8.format(pos=exc.start + 3))])
        else:
            text, encoding = sample.decode("cp1252", errors="replace"), "cp1252"
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise _Refused([Problem(name, None, None, "il file è vuoto")])
    return max([";", ",", "\t"], key=first.count), encoding


def _header(path: Path, delimiter: str, encoding: str, name: str) -> list[str]:
    with open(path, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="") as f:
        try:
            row = next(csv.reader(f, delimiter=delimiter), [])
        except (csv.Error, UnicodeDecodeError) as exc:
            message = (tabular_files.FIELD_TOO_LONG if "field limit" in str(exc)
                       else f"l'intestazione non è leggibile ({str(exc).splitlines()[0]})")
            raise _Refused([Problem(name, 1, None, message)]) from None
    return [c.strip().lower().replace(" ", "_") for c in row]


def _unique(names: list[str]) -> list[str]:
    """Column names as read (lower case, trimmed), made unique so extra columns never clash."""
    seen, out = set(), []
    for i, n in enumerate(names):
        n = n or f"colonna_{i + 1}"
        while n in seen:
            n += "_"
        seen.add(n)
        out.append(n)
    return out


def _xlsx_to_csv(path: Path, name: str, out: Path, columns: list[str]) -> None:
    """The first sheet as a ';' CSV, row for row (row numbers are kept for the messages). The workbook is
    checked against its limits first (xlsx_limits) and streamed; the copy may not grow past twice the
    workbook's decompressed size, which stops a few shared texts repeated in a million cells."""
    try:
        xlsx_limits.check(path, name, xlsx_limits.RECORDS)
    except tabular_files.FileRefused as exc:
        raise _Refused(exc.problems) from None
    with zipfile.ZipFile(path) as archive:
        budget = max(64 * 1024 ** 2, 2 * sum(i.file_size for i in archive.infolist()))
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception:
        raise _Refused([Problem(name, None, None, "il file ha estensione .xlsx ma non è un file Excel leggibile")])
    problems, written = [], 0
    try:
        with open(out, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter=";")
            header = None
            for number, row in enumerate(xlsx_limits.open_rows(wb.worksheets[0]), start=1):
                values = []
                for i, cell in enumerate(row):
                    if cell.data_type == "f" and len(problems) < MAX_PROBLEMS:
                        col = header[i] if header and i < len(header) else str(i + 1)
                        problems.append(Problem(name, number, col, f"contiene una formula ({cell.value}): incollare il valore"))
                    v = cell.value
                    values.append(v.strftime("%d/%m/%Y") if isinstance(v, (dt.date, dt.datetime)) else
                                  str(v).replace(".", ",") if isinstance(v, float) else "" if v is None else str(v))
                if header is None:
                    header = [str(v).strip().lower() for v in values]
                    # Refused before the rest is read: a sheet of another layout can be long.
                    if missing := [c for c in columns if c not in [h.replace(" ", "_") for h in header]]:
                        raise _Refused([Problem(name, 1, None, "mancano le colonne " + ", ".join(f"«{c}»" for c in missing))])
                w.writerow(values)
                written += sum(len(v) + 1 for v in values) + 1
                if written > budget:
                    raise _Refused([Problem(name, number, None, f"il foglio, letto fino alla riga {number}, supera già "
                                                                f"{budget // 1024 ** 2} MB di testo: contiene testi ripetuti in modo "
                                                                "anomalo; esportare i record in CSV")])
    finally:
        wb.close()
    if problems:
        raise _Refused(problems)


def import_records(con: duckdb.DuckDBPyConnection, kind: str, path: Path, username: "str | User",
                   display_name: str | None = None, today: dt.date | None = None,
                   when: dt.datetime | None = None) -> RecordsResult:
    path = Path(path)
    name = display_name or path.name
    result = RecordsResult(name, kind)
    try:
        if kind not in KINDS:
            raise _Refused([Problem(name, None, None, f"tipo di record «{kind}» sconosciuto: {', '.join(KINDS)}")])
        user = users.acting(con, username)  # a name, or a User acting in a body: checked again
        require(user, "inserire_misure")
        with _import_lock(user.ente, kind), tempfile.TemporaryDirectory() as tmp:
            try:
                # The checksum is read on a thread of its own while DuckDB reads the file (hashlib lets go of the GIL).
                with ThreadPoolExecutor(1) as pool:
                    digest = pool.submit(_sha256, path) if path.is_file() else None
                    source = _source(kind, path, name, Path(tmp))
                    job = _Job(kind, user, name, source, today or dt.date.today(), when or dt.datetime.now(), digest)
                    # On the shared store another process's import may take the same batch number or write the
                    # same indicators: the whole import runs again (a refused one left nothing), with the next number.
                    shared = db.is_postgres(con)
                    if shared:
                        con.execute(queries.sql("records_import", "one_scan_per_query"))
                    try:
                        db.retrying(_attempt, con, job, result)
                    finally:
                        if shared:
                            con.execute(queries.sql("records_import", "scans_as_before"))
            finally:
                con.execute(queries.sql("records_import", "drop_staged"))
    except NotAllowed as exc:
        result.problems, result.total_problems = [Problem(name, None, None, str(exc).rstrip("."))], 1
    except _Refused as exc:
        result.problems, result.total_problems = exc.problems, exc.total
    return result


def _attempt(con, job: _Job, result: RecordsResult) -> None:
    try:
        _import(con, job, result, db.write_lock)
    except (duckdb.ConstraintException, duckdb.TransactionException) as exc:
        if db.is_conflict(exc) and db.is_postgres(con):  # another process: its write is not under our lock
            raise
        # A correction of a fed indicator was committed after this transaction began, so the
        # versions it read were stale: do it again, this time wholly under the writers' lock.
        with db.write_lock:
            _import(con, job, result, None)


def import_many(con: duckdb.DuckDBPyConnection, files: list[tuple], username: "str | User | None" = None,
                workers: int | None = None, today: dt.date | None = None) -> list[RecordsResult]:
    """Import several files, each on its own (all or nothing per file), `workers` at a time.

    `files` holds (kind, path) for `username`, or (kind, path, username). Each worker thread has its own
    cursor; results come back in the order of `files`. Two workers per core by default: an import spends
    part of its time waiting for the disk (the commit) or holding Python's lock, when the other can run."""
    workers = max(1, min(workers or 2 * (os.cpu_count() or 1), len(files) or 1))
    local = threading.local()
    cursors = []

    def one(item):
        cur = getattr(local, "cur", None)
        if cur is None:
            cur = local.cur = db.new_cursor(con)
            cursors.append(cur)
        kind, path, user = item if len(item) == 3 else (*item, username)
        return import_records(cur, kind, Path(path), user, today=today)

    try:
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(one, files))
    finally:
        for cur in cursors:
            cur.close()


def _source(kind: str, path: Path, name: str, tmp: Path) -> _Source:
    """The CSV to read and how (converted from Excel or Windows-1252 first); refuses what cannot be a records file."""
    if not path.exists():
        raise _Refused([Problem(name, None, None, "file non trovato")])
    size = path.stat().st_size
    if size == 0:
        raise _Refused([Problem(name, None, None, "il file è vuoto")])
    if size > MAX_BYTES:
        raise _Refused([Problem(name, None, None, f"il file supera il limite di {MAX_BYTES // 1024 ** 3} GB")])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        csv_path = tmp / "records.csv"
        _xlsx_to_csv(path, name, csv_path, KINDS[kind])
    elif suffix == ".csv":
        csv_path = path
    else:
        raise _Refused([Problem(name, None, None, f"formato «{suffix or 'senza estensione'}» non supportato: usare .csv o .xlsx")])
    delimiter, encoding = _csv_dialect(csv_path, name)
    if encoding != "utf-8":
        # Windows-1252 exports: transcode once to UTF-8 for DuckDB's reader (which wants UTF-8).
        utf8 = tmp / "records-utf8.csv"
        with open(csv_path, encoding="cp1252", errors="replace", newline="") as src, \
                open(utf8, "w", encoding="utf-8", newline="") as dst:
            for block in iter(lambda: src.read(1 << 24), ""):
                dst.write(block)
        csv_path, encoding = utf8, "utf-8"
    header = _header(csv_path, delimiter, encoding, name)
    twice = {c: at for c, at in tabular_files.duplicated_columns(header).items() if c in KINDS[kind]}
    if twice:
        raise _Refused([Problem(name, 1, None, f"la colonna «{c}» compare più volte nell'intestazione (colonne "
                                                + " e ".join(get_column_letter(i + 1) for i in at) + "): lasciarne una sola")
                        for c, at in twice.items()])
    missing = [c for c in KINDS[kind] if c not in header]
    if missing:
        raise _Refused([Problem(name, 1, None, "mancano le colonne " + ", ".join(f"«{c}»" for c in missing))])
    # All columns by the names read from the header (no sniffing: auto_detect off costs less on small files);
    # path, separator and columns are bound as values, never spliced into the SQL.
    return _Source(str(csv_path), delimiter, tuple(_unique(header)))


@dataclass(frozen=True)
class _Job:
    """One file to import, as checked so far."""
    kind: str
    user: User
    name: str
    source: _Source
    today: dt.date
    when: dt.datetime
    digest: Future | None  # the SHA-256, being computed on a thread


# What DuckDB raises for what a file holds (a value its reader cannot type, a missing value, a number out
# of range): the file is then read the slow way, which names the problem. Anything else is a bug in our SQL
# and is raised as such, never taken for bad input.
DATA_ERRORS = (duckdb.InvalidInputException, duckdb.ConversionException, duckdb.ConstraintException,
               duckdb.OutOfRangeException, duckdb.TypeMismatchException)


class _NotStandard(Exception):
    """The fast path could not take the file as it is: read it again the slow way."""


def _import(con, job: _Job, result: RecordsResult, tail_lock) -> None:
    """The whole import, in one transaction: records, checks, batch, recomputed indicators, audit, commit.

    A standard file goes straight into its table and is checked there; anything else (or any problem) rolls
    that back, and the file is read again as text with its rows numbered, which also names every problem."""
    with _batch_number(con) as lotto:
        try:
            with contextlib.ExitStack() as held, db.transaction(con):
                result.lotto, result.rows = lotto, _insert_typed(con, job, lotto)
                _finish(con, job, result, tail_lock, held)
            return
        except _NotStandard:
            pass
        _refuse_same_file(con, job, _digest(job))
        rows = _stage_slow(con, job)
        with contextlib.ExitStack() as held, db.transaction(con):
            con.execute(queries.sql("records_import", f"insert_{job.kind}"), {"ente": job.user.ente, "lotto": lotto})
            result.lotto, result.rows = lotto, rows
            _finish(con, job, result, tail_lock, held)


# Batch numbers: see _batch_number.
_numbers_guard = threading.Lock()
_in_flight: set[int] = set()


@contextlib.contextmanager
def _batch_number(con):
    """The number of one import's batch, given back unless the import commits, so refused imports use none up
    (a database sequence would be). It follows the highest stored batch, read outside any transaction so
    that every committed batch is seen, and the numbers that imports running side by side hold."""
    with _numbers_guard:
        stored = con.execute(queries.sql("records_import", "last_lotto")).fetchall()[0][0]
        number = max(stored, *_in_flight, 0) + 1
        _in_flight.add(number)
    try:
        yield number
    finally:
        with _numbers_guard:
            _in_flight.discard(number)


def _digest(job: _Job) -> str:
    return job.digest.result() if job.digest else _sha256(Path(job.source.path))


def _refuse_same_file(con, job: _Job, sha256: str) -> None:
    """The same file (same SHA-256) already imported for this body and kind is refused, naming that batch.
    Imports of one body and kind run one at a time (_import_lock): the same file twice in one import_many
    call is refused the second time."""
    earlier = con.execute(queries.sql("records_import", "same_file"),
                          {"ente": job.user.ente, "tipo": job.kind, "sha256": sha256}).fetchall()
    if earlier:
        lotto, file, utente, quando = earlier[0]
        raise _Refused([Problem(job.name, None, None,
                                f"lo stesso file (stessa impronta SHA-256) è già stato importato come lotto {lotto} "
                                f"(«{file}») il {formats.fmt_datetime(quando)} da {utente}: nessun record è stato "
                                "scritto di nuovo")])


def _finish(con, job: _Job, result: RecordsResult, tail_lock, held: contextlib.ExitStack) -> None:
    result.sha256 = _digest(job)
    _refuse_same_file(con, job, result.sha256)
    quarters, inds = _check(con, job, result.lotto)
    if job.kind == "fatture":
        con.execute(queries.sql("records_import", "supersede_fatture"), {"ente": job.user.ente, "lotto": result.lotto})
    result.changes = _write(con, job, result, quarters, inds, tail_lock, held)


def _insert_typed(con, job: _Job, lotto: int) -> int:
    """Inside the open transaction, put the file's records in as DuckDB's reader types them, as batch `lotto`,
    and check them in place: the number of rows. Raises _NotStandard if the reader or a check refuses anything."""
    kind, ente = job.kind, job.user.ente
    if set(OPTIONAL.get(kind, ())) & set(job.source.columns):
        raise _NotStandard  # the fast path takes the base layout only; the slow one reads the optional columns
    try:
        rows = con.execute(queries.sql("records_import", f"insert_typed_{kind}"),
                           {**job.source.params(typed=True), "ente": ente, "lotto": lotto}).fetchall()[0][0]
        check = queries.sql("records_import", f"any_problem_{kind}")
        problem, first, last = con.execute(check, {"ente": ente, "lotto": lotto, "oggi": job.today}).fetchall()[0]
        clean = problem is False
        if clean and kind in DUPLICATES:  # the bounds as values: see duplicates_pratiche
            clean = con.execute(queries.sql("records_import", f"duplicates_{kind}"),
                                {"ente": ente, "primo": first, "ultimo": last}).fetchall()[0][0] is False
    except DATA_ERRORS:
        clean = False
    except duckdb.Error as exc:
        # On the shared store PostgreSQL checks the constraints inside its COPY and DuckDB reports a plain Error.
        if not _POSTGRES_REFUSED_ROW.search(str(exc)):
            raise
        clean = False
    if not clean:
        raise _NotStandard
    return rows


# The kinds whose records have a number that may not repeat (protocol; supplier and invoice number).
DUPLICATES = ("pratiche", "fatture")
_POSTGRES_REFUSED_ROW = re.compile(r"violates (not-null|check) constraint|invalid input syntax")


def _stage_slow(con, job: _Job) -> int:
    """Read the file as text the Italian way, with the rows numbered, into the working table `parsed`:
    its number of rows. Refuses the file with every problem by row."""
    kind, ente = job.kind, job.user.ente
    try:
        con.execute(queries.sql("records_import", "stage_numbered"), job.source.params())
    except (*DATA_ERRORS, duckdb.IOException) as exc:
        why = _why_unreadable(Path(job.source.path), job.name, job.source.sep)
        raise _Refused([why or Problem(job.name, None, None, f"il file non è un CSV leggibile ({str(exc).splitlines()[0]})")])
    if kind in OPTIONAL:
        con.execute(queries.sql("records_import", f"complete_staged_{kind}"))
    con.execute(queries.sql("records_import", f"parse_{kind}"))
    rows = con.execute(queries.sql("records_import", "parsed_rows")).fetchall()[0][0]
    if rows == 0:
        raise _Refused([Problem(job.name, None, None, "il file non contiene righe di dati sotto l'intestazione")])
    check = queries.query("records_import", f"problems_{kind}")
    problems = con.execute(check.sql, check.bind({"ente": ente, "oggi": job.today, "limite": MAX_PROBLEMS})).fetchall()
    if problems:
        raise _Refused([Problem(job.name, r[0], r[1], r[2]) for r in problems], problems[0][3])
    return rows


UTF8_THEN_OTHER = ("il file è in UTF-8 ma qui contiene caratteri in un'altra codifica (al byte {pos}): salvarlo di nuovo "
                   "come «CSV UTF-8»")


def _why_unreadable(path: Path, name: str, delimiter: str) -> Problem | None:
    """Why DuckDB's reader stopped, said so that a person can act on it, with the row: a byte in another
    encoding after the first 64 KB (the sample _csv_dialect judged the encoding by), a cell over the CSV limit."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        bom = f.read(3) == b"\xef\xbb\xbf"
        f.seek(0)
        line, offset = 1, 0
        for block in iter(lambda: f.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                start = max(exc.start - len(decoder.getstate()[0]), 0)
                message = (tabular_files.BOM_NOT_UTF8 if bom else UTF8_THEN_OTHER).format(pos=formats.fmt_num(offset + start, 0))
                return Problem(name, line + block.count(b"\n", 0, start), None, message)
            line, offset = line + block.count(b"\n"), offset + len(block)
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        try:
            for _ in reader:
                pass
        except csv.Error as exc:
            if "field limit" in str(exc):
                return Problem(name, reader.line_num, None, tabular_files.FIELD_TOO_LONG)
    return None


def _check(con, job: _Job, lotto: int) -> tuple[list, dict]:
    """Refuse the file if its user may not feed its indicators or a quarter it touches is closed; else its
    quarters (year, quarter) and the body's indicators."""
    kind, user, batch = job.kind, job.user, {"ente": job.user.ente, "lotto": lotto}
    fed = FEEDS.get(kind) or [r[1] for r in con.execute(queries.sql("records_import", "desks_in_file"), batch).fetchall() if r[1]]
    inds = measurements.indicators(con, user.ente)
    offices = {c: o.ufficio for c, o in inds.items()}
    refused = sorted({offices[i] for i in fed if i in offices and not can_write_indicator(user, offices[i])})
    if refused:
        raise _Refused([Problem(job.name, None, None, f"i record alimentano indicatori dell'ufficio {', '.join(refused)}: "
                                                      f"l'utente {user.username} non può caricarli")])
    closed = periods.closed_quarters(con, user.ente)
    touched = [tuple(r) for r in con.execute(queries.sql("records_import", f"quarters_{kind}"), batch).fetchall()]
    shut = [q for q in touched if q in closed]
    if shut:
        raise _Refused([Problem(job.name, None, None, "i record cadono in trimestri chiusi ("
                                + ", ".join(formats.fmt_period(*q) for q in shut)
                                + "): chiederne la riapertura a Programmazione e controllo")])
    return touched, inds


def _write(con, job: _Job, result: RecordsResult, quarters: list, inds: dict, tail_lock,
           held: contextlib.ExitStack) -> list:
    """Write the batch, the recomputed indicators and the audit rows (the records are in).

    The recomputation runs alongside other imports; `tail_lock` (the lock every writer of measurements
    takes) is taken when reading the current versions and put in `held`, which lets go of it only after
    the commit, unless the caller holds it already."""
    kind, user, name, when, lotto = job.kind, job.user, job.name, job.when, result.lotto
    con.execute(queries.sql("records_import", "insert_lotto"), {
        "id": lotto, "ente": user.ente, "tipo": kind, "file": name, "sha256": result.sha256, "righe": result.rows,
        "utente": user.username, "quando": when})
    feed = []
    if quarters:  # a file of unpaid invoices only falls in no quarter and feeds nothing
        first, last = min(quarters), max(quarters)
        window = {"dal": dt.date(first[0], first[1] * 3 - 2, 1), "al": periods.quarter_end(*last)}
        feed = con.execute(queries.sql("records_import", f"feed_{kind}"),
                           {"ente": user.ente, "trimestri": [a * 10 + t for a, t in quarters], **window}).fetchall()
    lot_ids = sorted({i for r in feed for i in r[6]})
    lots = {r[0]: r for r in con.execute(queries.sql("records_import", "lotti"), {"ids": lot_ids}).fetchall()}
    values = []
    for anno, trimestre, indicatore, num, den, n, lotti in feed:
        ind = inds.get(indicatore)
        if ind is None:
            continue
        files = "; ".join(f"{lots[i][1]} (sha256 {lots[i][2][:16]}…, {formats.fmt_num(lots[i][3], 0)} righe)"
                          for i in sorted(lotti))
        values.append(measurements.NewValue(
            indicatore, anno, trimestre, num / den * ind.fattore if den else None, num, den,
            f"ricalcolo dai record del file {name}", f"calcolato da {formats.fmt_num(n, 0)} record {kind}: {files}"))
    if tail_lock is not None:
        held.enter_context(tail_lock)
    current = measurements.current_versions(con, user.ente)
    changes = measurements.plan_changes(current, values)
    measurements.write(con, user.ente, values, changes, user.username, when, da_approvare=approvals.needs_approval(user))
    entries = [{"utente": user.username, "azione": "record_importati", "oggetto": f"{kind}: {name}",
                "ente": user.ente, "dopo": {"lotto": lotto, "righe": result.rows, "sha256": result.sha256},
                "quando": when}]
    entries += measurements.change_entries(user, values, changes, when)
    audit.record_many(con, entries)
    return changes


def template_bytes(kind: str, suffix: str) -> bytes:
    """An empty file with the kind's header, optional columns included (CSV: ';', UTF-8 with BOM; XLSX: plus an
    instructions sheet)."""
    columns = KINDS[kind] + OPTIONAL.get(kind, [])
    if suffix == ".csv":
        return ("\ufeff" + ";".join(columns) + "\r\n").encode("utf-8")
    if suffix == ".xlsx":
        import io

        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = kind
        ws.append(columns)
        info = wb.create_sheet("Istruzioni")
        info.append(["colonna", "contenuto"])
        for c in columns:
            info.append([c, LAYOUT[c]])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    raise Refused(f"Estensione «{suffix}» non supportata: usare .xlsx o .csv.")
