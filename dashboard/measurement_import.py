"""Import a filled measurement template: validate every row, then write all or nothing.

`preview` reads and checks the file and says what would change; `import_file`
does the same and, only if there is no problem at all, writes every value in
one transaction. Every problem names the file, the row and the column.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

import queries
from dashboard import formats, measurements, users
from dashboard.tabular_files import FileRefused, Problem, Table, read_table

REQUIRED_COLUMNS = ["indicatore", "periodo", "valore", "numeratore", "denominatore", "note"]


@dataclass
class Preview:
    file: str
    values: list[measurements.NewValue] = field(default_factory=list)
    changes: list[measurements.Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)  # template rows left blank

    @property
    def ok(self) -> bool:
        return not self.problems


def _col(table: Table, column: str) -> str:
    letter = table.letters.get(column)
    return f"{column} ({letter})" if letter else column


def preview(con: duckdb.DuckDBPyConnection, path: Path, username: str, display_name: str | None = None,
            today: dt.date | None = None) -> Preview:
    """Check a file as `username` would import it; nothing is written."""
    name = display_name or Path(path).name
    result = Preview(name)
    try:
        user = users.require_user(con, username)
    except users.NotAllowed as exc:
        result.problems.append(Problem(name, None, None, str(exc)))
        return result
    if user.ruolo not in ("staff", "pianificazione"):
        result.problems.append(Problem(name, None, None,
                                       f"il ruolo {users.ROLE_LABELS[user.ruolo]} non può inserire misure"))
        return result
    try:
        table = read_table(Path(path), name)
    except FileRefused as exc:
        result.problems.extend(exc.problems)
        return result
    missing = [c for c in REQUIRED_COLUMNS if c not in table.header]
    if missing:
        result.problems.append(Problem(name, 1, None, "mancano le colonne " + ", ".join(f"«{c}»" for c in missing)
                                       + " (usare il modello scaricato dal cruscotto)"))
        return result
    indicators = {r[0]: r for r in con.execute(queries.sql("measurements", "indicators_of_body"),
                                               {"ente": user.ente}).fetchall()}
    current = measurements.current_versions(con, user.ente)
    today = today or dt.date.today()
    seen: dict[tuple[str, int, int], int] = {}
    for number, cells in table.rows:
        row_problems = []

        def bad(column, message):
            row_problems.append(Problem(name, number, _col(table, column) if column else None, message))

        raw_values = {c: cells.get(c) for c in ("valore", "numeratore", "denominatore")}
        if all(v in (None, "") or (isinstance(v, str) and not v.strip()) for v in raw_values.values()):
            result.skipped_rows.append(number)
            continue
        code = str(cells.get("indicatore") or "").strip()
        ind = indicators.get(code)
        if not code:
            bad("indicatore", "codice indicatore mancante")
        elif ind is None:
            bad("indicatore", f"indicatore «{code}» sconosciuto per l'ente {user.ente}")
        elif not users.can_write_indicator(user, ind[3]):
            bad("indicatore", f"l'indicatore «{code}» è dell'ufficio {ind[3]}: l'utente {user.username} "
                              f"non può inserirne i valori")
        period = None
        try:
            period = formats.parse_period(cells.get("periodo"))
            if dt.date(period[0], period[1] * 3 - 2, 1) > today:
                bad("periodo", f"il periodo {formats.fmt_period(*period)} non è ancora iniziato")
                period = None
        except formats.FormatError as exc:
            bad("periodo", str(exc))
        nums = {}
        for column, raw in raw_values.items():
            try:
                nums[column] = formats.parse_number(raw)
            except formats.FormatError as exc:
                bad(column, str(exc))
        note = str(cells.get("note") or "").strip() or None
        valore = None
        if ind is not None and len(nums) == 3:
            _, _, unita, _, aggregazione, fattore, _, scala_min, scala_max = ind
            v, n, d = nums["valore"], nums["numeratore"], nums["denominatore"]
            if aggregazione == "casi":
                if n is None or d is None:
                    bad("numeratore" if n is None else "denominatore",
                        "per questo indicatore, calcolato sui casi, servono numeratore e denominatore")
                elif d < 0:
                    bad("denominatore", "il denominatore non può essere negativo")
                elif d == 0 and n != 0:
                    bad("denominatore", "denominatore zero con numeratore diverso da zero")
                else:
                    valore = n / d * fattore if d > 0 else None
                    if v is not None and valore is not None and abs(round(valore, 2) - round(v, 2)) > 0.011:
                        bad("valore", f"il valore {formats.fmt_num(v)} non corrisponde a numeratore/denominatore "
                                      f"({formats.fmt_num(valore)}): lasciare vuoto «valore» o correggerlo")
            else:
                if n is not None or d is not None:
                    bad("numeratore" if n is not None else "denominatore",
                        "per questo indicatore si compila solo «valore»")
                elif v is None:
                    bad("valore", "valore mancante")
                else:
                    valore = v
            if valore is not None:
                if scala_min is not None and valore < scala_min or scala_max is not None and valore > scala_max:
                    scale = f"{formats.fmt_num(scala_min, 0) if scala_min is not None else '−∞'}–" \
                            f"{formats.fmt_num(scala_max, 0) if scala_max is not None else '∞'}"
                    bad("valore" if aggregazione != "casi" else "numeratore",
                        f"il valore {formats.fmt_num(valore)} è fuori dalla scala dell'indicatore ({scale} {unita})")
        if ind is not None and period is not None:
            key = (code, *period)
            if key in seen:
                bad("indicatore", f"riga duplicata: {code} {formats.fmt_period(*period)} compare già alla riga {seen[key]}")
            else:
                seen[key] = number
        if not row_problems and ind is not None and period is not None:
            new = measurements.NewValue(code, period[0], period[1], valore,
                                        nums.get("numeratore") if ind[4] == "casi" else None,
                                        nums.get("denominatore") if ind[4] == "casi" else None,
                                        note, f"file {name}")
            change = measurements.plan_changes(current, [new])[0]
            if change.azione == "corretto" and not note:
                bad("note", f"{code} {formats.fmt_period(*period)} ha già il valore "
                            f"{formats.fmt_num(change.valore_prima)}: per correggerlo scrivere il motivo in «note»")
            else:
                result.values.append(new)
                result.changes.append(change)
        result.problems.extend(row_problems)
    if not result.problems and not result.values:
        result.problems.append(Problem(name, None, None, "nessun valore compilato: il file non contiene misure"))
    return result


def import_file(con: duckdb.DuckDBPyConnection, path: Path, username: str, display_name: str | None = None,
                when: dt.datetime | None = None, today: dt.date | None = None) -> Preview:
    """Validate and, only if the whole file is valid, write it in one transaction."""
    result = preview(con, path, username, display_name, today)
    if not result.ok:
        return result
    user = users.require_user(con, username)
    con.execute("BEGIN TRANSACTION")
    try:
        # Re-read the versions inside the transaction: another upload may have landed since the preview.
        current = measurements.current_versions(con, user.ente)
        result.changes = measurements.plan_changes(current, result.values)
        measurements.write(con, user.ente, result.values, result.changes, username, when)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return result
