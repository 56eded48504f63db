"""Entering measured values from a filled template, all or nothing.

`preview` reads and checks a file and says what would change; `import_file` does
the same and, only if there is no problem at all, writes every value and its
audit rows in one transaction. Every problem names the file, the row and the
column; the rules (roles, offices, closed quarters, scales) are checked here, for
the pages and the command line alike. One value at a time: core/corrections.py.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb

from dashboard.core import approvals, audit, db, formats, measurements, periods, users
from dashboard.core.errors import NotAllowed
from dashboard.core.roles import User, can_write_indicator, require
from dashboard.files.tabular_files import FileRefused, Problem, Table, read_table

REQUIRED_COLUMNS = ["indicatore", "periodo", "valore", "numeratore", "denominatore", "note"]


@dataclass
class Preview:
    file: str
    values: list[measurements.NewValue] = field(default_factory=list)
    changes: list[measurements.Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)  # template rows left blank
    checksum: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _col(table: Table, column: str) -> str:
    letter = table.letters.get(column)
    return f"{column} ({letter})" if letter else column


def _needed(cache: dict[int, set[str]], con, ente: str, anno: int) -> set[str]:
    if anno not in cache:
        cache[anno] = periods.needed_indicators(con, ente, anno)
    return cache[anno]


def _ranges(numbers: list[int]) -> str:
    """[2, 3, 4, 7] -> '2-4, 7'."""
    out, start = [], None
    for i, n in enumerate(numbers):
        start = n if start is None else start
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            out.append(str(n) if start == n else f"{start}-{n}")
            start = None
    return ", ".join(out)


def preview(con: duckdb.DuckDBPyConnection, path: Path, username: "str | User", display_name: str | None = None,
            today: dt.date | None = None, progress: Callable[[float], None] | None = None) -> Preview:
    """Check a file as `username` would import it; nothing is written. `progress(0..1)` is told as rows are read.
    `username` is a name (acting in its own body) or a User acting in a body (body_access.as_body), checked again."""
    name = display_name or Path(path).name
    result = Preview(name)
    try:
        user = users.acting(con, username)
        require(user, "inserire_misure")
    except NotAllowed as exc:
        result.problems.append(Problem(name, None, None, str(exc).rstrip(".")))
        return result
    try:
        table = read_table(Path(path), name)
    except FileRefused as exc:
        result.problems.extend(exc.problems)
        return result
    result.checksum = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    missing = [c for c in REQUIRED_COLUMNS if c not in table.header]
    if missing:
        result.problems.append(Problem(name, 1, None, "mancano le colonne " + ", ".join(f"«{c}»" for c in missing)
                                       + " (usare il modello scaricato dal cruscotto)"))
        return result
    inds = measurements.indicators(con, user.ente)
    current = measurements.current_versions(con, user.ente)
    closed = periods.closed_quarters(con, user.ente)
    years = periods.plan_years(con, user.ente)
    today = today or dt.date.today()
    seen: dict[tuple[str, int, int], int] = {}
    needed: dict[int, set[str]] = {}
    closed_rows: dict[tuple[int, int], list[int]] = {}
    total = len(table.rows)
    for i, (number, cells) in enumerate(table.rows):
        if progress and (i % 200 == 0 or i == total - 1):
            progress((i + 1) / total)
        row_problems = []

        def bad(column, message):
            row_problems.append(Problem(name, number, _col(table, column) if column else None, message))

        raw = {c: cells.get(c) for c in ("valore", "numeratore", "denominatore")}
        if all(v in (None, "") or (isinstance(v, str) and not v.strip()) for v in raw.values()):
            result.skipped_rows.append(number)
            continue
        code = str(cells.get("indicatore") or "").strip()
        ind = inds.get(code)
        if not code:
            bad("indicatore", "codice indicatore mancante")
        elif ind is None:
            bad("indicatore", f"indicatore «{code}» sconosciuto per l'ente {user.ente}")
        elif not can_write_indicator(user, ind.ufficio):
            bad("indicatore", f"l'indicatore «{code}» è dell'ufficio {ind.ufficio}: l'utente {user.username} "
                              f"non può inserirne i valori")
        period = None
        try:
            period = formats.parse_period(cells.get("periodo"))
            if not periods.ended(*period, today):
                bad("periodo", f"il {formats.fmt_period(*period)} non è ancora finito: i valori si inseriscono "
                               "a trimestre concluso")
                period = None
            elif period[0] not in years:
                bad("periodo", f"il periodo {formats.fmt_period(*period)} è fuori dagli anni del piano "
                               f"({min(years)}–{max(years)})" if years else "l'ente non ha un piano con target")
                period = None
            elif period in closed:
                # Said once for the file (below), not once per row.
                closed_rows.setdefault(period, []).append(number)
                period = None
            elif ind is not None and code not in _needed(needed, con, user.ente, period[0]):
                bad("periodo", periods.upload_problem(code, *period, needed[period[0]], today))
                period = None
        except formats.FormatError as exc:
            bad("periodo", str(exc))
        nums = {}
        for column, value in raw.items():
            try:
                nums[column] = formats.parse_number(value)
            except formats.FormatError as exc:
                bad(column, str(exc))
        note = formats.clean_text(str(cells.get("note") or "")).strip() or None
        valore = n = d = None
        if ind is not None and len(nums) == 3:
            valore, n, d, problems = measurements.check_numbers(ind, nums["valore"], nums["numeratore"], nums["denominatore"])
            for column, message in problems:
                bad(column, message)
        if ind is not None and period is not None:
            key = (code, *period)
            if key in seen:
                bad("indicatore", f"riga duplicata: {code} {formats.fmt_period(*period)} compare già alla riga {seen[key]}")
            else:
                seen[key] = number
        if not row_problems and ind is not None and period is not None:
            new = measurements.NewValue(code, period[0], period[1], valore, n, d, note, f"file {name}")
            change = measurements.plan_changes(current, [new])[0]
            if change.azione == "corretto" and not note:
                bad("note", f"{code} {formats.fmt_period(*period)} ha già il valore "
                            f"{formats.fmt_num(change.valore_prima)}: per correggerlo scrivere il motivo in «note»")
            else:
                result.values.append(new)
                result.changes.append(change)
        result.problems.extend(row_problems)
    for period, rows in closed_rows.items():
        rows_said = "" if len(rows) == 1 else f" (righe {_ranges(rows)})"
        result.problems.append(Problem(name, rows[0] if len(rows) == 1 else None, _col(table, "periodo"),
                                       f"il {formats.fmt_period(*period)} è chiuso{rows_said}: chiederne la "
                                       "riapertura a Programmazione e controllo"))
    if not result.problems and not result.values:
        result.problems.append(Problem(name, None, None, "nessun valore compilato: il file non contiene misure"))
    return result


def import_file(con: duckdb.DuckDBPyConnection, path: Path, username: "str | User", display_name: str | None = None,
                when: dt.datetime | None = None, today: dt.date | None = None,
                progress: Callable[[float], None] | None = None) -> Preview:
    """Validate and, only if the whole file is valid, write it with its audit rows in one transaction."""
    with db.write_lock:
        result = preview(con, path, username, display_name, today, progress)
        if not result.ok:
            return result
        user = users.acting(con, username)
        when = when or dt.datetime.now()
        with db.transaction(con):
            measurements.write(con, user.ente, result.values, result.changes, user.username, when,
                               da_approvare=approvals.needs_approval(user))
            counts = {a: sum(c.azione == a for c in result.changes) for a in ("nuovo", "corretto", "invariato")}
            audit.record(con, user.username, "importazione", result.file, ente=user.ente,
                         dopo={"sha256": result.checksum, "righe": len(result.values), **counts}, quando=when)
            audit.record_many(con, measurements.change_entries(user, result.values, result.changes, when))
    return result
