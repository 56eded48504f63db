"""Versions of a body's plan: load a workbook as a draft, adopt it with its act, compare, roll over.

Every loaded workbook is stored whole as a numbered version (piano_versioni, piano_contenuti). A version is
a draft (bozza) until adopted with its act (number and date); drafts are never judged. Adoption, in one
transaction with its audit row, copies the version's criteria into criteri_versioni (so a period is judged
by the thresholds in force at its end, see queries/sql/plan_versions_schema.sql) and, when the version is the
latest in force, replaces the body's rows in the plan tables (the plan in force). Measurements, evidence,
verdicts and users are never touched: they refer to codes, not to rows.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

import queries
from dashboard.core import audit, body_access, db, formats, periods, plan_quality
from dashboard.core.errors import Refused
from dashboard.core.roles import User, allowed, require
from dashboard.files import plan_checks
from dashboard.files import plan_workbook as pw
from dashboard.files.tabular_files import Problem

_MONTHS = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_WORDED_DATE = re.compile(r"\b(\d{1,2})(?:°)?\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.I)


@dataclass
class ImportResult:
    ente: str
    versione: int
    stato: str
    nuovo_ente: bool
    sha256: str
    righe: dict[str, int]
    diff: dict | None = None


@dataclass
class Preview:
    """What loading a workbook would do: its problems, or the differences from the plan in force."""
    ente: str | None
    nome: str | None
    nuovo_ente: bool
    problems: list[Problem]
    diff: dict | None
    versione_in_vigore: int | None
    tables: pw.PlanTables = field(repr=False, default_factory=pw.PlanTables)

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_act_date(atto: str | None) -> dt.date | None:
    """The date in an act's text: «Delibera di Giunta n. 4 del 28/01/2020», «… del 7 novembre 2019»."""
    if not atto:
        return None
    m = _NUMERIC_DATE.search(atto)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = _WORDED_DATE.search(atto)
        if m:
            return dt.date(int(m.group(3)), _MONTHS.index(m.group(2).lower()) + 1, int(m.group(1)))
    except ValueError:
        raise Refused(f"La data nell'atto «{atto}» non esiste.") from None
    return None


# ---------------------------------------------------------------- reading and checking

def read(source) -> tuple[pw.PlanTables, list[Problem], str]:
    """(tables, every problem, origin) of a workbook path, a CSV folder or tables already read."""
    if isinstance(source, pw.PlanTables):
        return source, plan_checks.check(source), "tabelle"
    tables, problems = pw.read_workbook(source)
    reported = {(p.file, p.row, p.column) for p in problems}  # a cell that could not be read is not also "empty"
    problems += [p for p in plan_checks.check(tables) if (p.file, p.row, p.column) not in reported]
    return tables, problems, Path(source).name


def _ente_exists(con, ente: str) -> bool:
    return bool(con.execute(queries.sql("plan_versions", "ente_exists"), {"ente": ente}).fetchone()[0])


def _require(con, user: User, ente: str) -> None:
    # A new body may be loaded by a planning officer; an existing body's plan only by its own.
    require(user, "modificare_piano", ente if _ente_exists(con, ente) else None)


def current_version(con, ente: str) -> int | None:
    return con.execute(queries.sql("plan_versions", "current_version"), {"ente": ente}).fetchone()[0]


def preview(con: duckdb.DuckDBPyConnection, user: User, path) -> Preview:
    """Read and check a workbook without writing: its problems, or its differences from the plan in force."""
    tables, problems, _ = read(path)
    ente = tables.ente
    if ente is not None and not problems:
        try:
            _require(con, user, ente)
        except Refused as exc:
            problems.append(Problem("enti", 2, "codice", str(exc)))
    else:
        require(user, "modificare_piano")
    nuovo = ente is None or not _ente_exists(con, ente)
    nome = (tables.get("enti") or [{}])[0].get("nome") if tables.get("enti") else None
    d = None if problems or ente is None else diff_tables(pw.current_tables(con, ente), tables)
    return Preview(ente, nome, nuovo, problems, d, None if ente is None else current_version(con, ente), tables)


# ---------------------------------------------------------------- storing and adopting

def _canonical_json(tables: pw.PlanTables) -> dict[str, str]:
    out = {}
    for s in pw.sheets():
        rows = tables.get(s.name, [])
        out[s.name] = json.dumps([{c: _jsonable(r.get(c)) for c in s.names} for r in rows], ensure_ascii=False,
                                 separators=(",", ":"))
    return out


def _jsonable(v):
    return v.isoformat() if isinstance(v, dt.date) else v


def content(con: duckdb.DuckDBPyConnection, ente: str, versione: int) -> pw.PlanTables:
    """The rows of a stored version, in canonical values."""
    rows = dict(con.execute(queries.sql("plan_versions", "content"), {"ente": ente, "versione": versione}).fetchall())
    if not rows:
        raise Refused(f"La versione {versione} del piano dell'ente {ente} non esiste.")
    tables = pw.PlanTables()
    for s in pw.sheets():
        kinds = {c.name: c.kind for c in s.columns}
        tables[s.name] = [{c: (dt.date.fromisoformat(v) if kinds.get(c) == "date" and v is not None else v)
                           for c, v in r.items() if c in kinds}
                          for r in json.loads(rows.get(s.name, "[]"))]
        for r in tables[s.name]:  # a column added to the table since the version was stored: its default
            for c in s.columns:
                r.setdefault(c.name, c.default)
    return tables


def import_version(con: duckdb.DuckDBPyConnection, user: User, source, *, atto: str | None = None,
                   adopt: bool = False, data_atto: dt.date | None = None, in_vigore_dal: dt.date | None = None,
                   quando: dt.datetime | None = None) -> ImportResult:
    """Load a workbook (path, CSV folder or PlanTables) as the next version of its body's plan (a new body if
    its code is unknown): a draft, or adopted at once with `adopt`. Checked whole; refused whole
    (plan_checks.PlanRefused, every problem by sheet, row and column)."""
    with db.transaction(con, lock=True):
        return import_in_transaction(con, user, source, atto=atto, adopt=adopt, data_atto=data_atto,
                                     in_vigore_dal=in_vigore_dal, quando=quando)


def import_in_transaction(con, user: User, source, *, atto=None, adopt=False, data_atto=None, in_vigore_dal=None,
                          quando=None) -> ImportResult:
    """import_version inside the caller's transaction (init loads the seed's plan and results in one)."""
    tables, problems, origine = read(source)
    if problems:
        raise plan_checks.PlanRefused(problems, origine)
    ente = tables.ente
    _require(con, user, ente)
    nuovo = not _ente_exists(con, ente)
    quando = quando or dt.datetime.now()
    if adopt:  # refuse a missing act or date before anything is written
        data_atto, in_vigore_dal = _act_dates(atto, data_atto, in_vigore_dal)
    payload = _canonical_json(tables)
    sha = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    versione = con.execute(queries.sql("plan_versions", "next_version"), {"ente": ente}).fetchone()[0]
    d = None if nuovo else diff_tables(pw.current_tables(con, ente), tables)
    con.execute(queries.sql("plan_versions", "insert_version"), {
        "ente": ente, "versione": versione, "atto": atto, "data_atto": data_atto if adopt else parse_act_date(atto),
        "in_vigore_dal": in_vigore_dal if adopt else None, "utente": user.username, "quando": quando,
        "sha256": sha, "origine": origine})
    for foglio, righe in payload.items():
        con.execute(queries.sql("plan_versions", "insert_content"),
                    {"ente": ente, "versione": versione, "foglio": foglio, "righe": righe})
    righe = {s: len(tables.get(s, [])) for s in pw.SHEETS}
    audit.record(con, user.username, "piano_caricato", f"piano {ente} versione {versione}", ente=ente,
                 dopo={"versione": versione, "sha256": sha, "origine": origine, "righe": righe, "nuovo_ente": nuovo},
                 motivo=atto, quando=quando)
    if adopt:
        _adopt(con, user, ente, versione, atto, data_atto, in_vigore_dal, quando)
    return ImportResult(ente, versione, "adottato" if adopt else "bozza", nuovo, sha, righe, d)


def _act_dates(atto, data_atto, in_vigore_dal):
    if not (atto or "").strip():
        raise Refused("Per adottare il piano indicare l'atto (es. «Delibera di Giunta n. 4 del 28/01/2020»).")
    data_atto = data_atto or parse_act_date(atto)
    if data_atto is None:
        raise Refused(f"Nell'atto «{atto}» non c'è una data: indicarla (--date gg/mm/aaaa).")
    return data_atto, in_vigore_dal or data_atto


def adopt(con: duckdb.DuckDBPyConnection, user: User, ente: str, versione: int, atto: str,
          data_atto: dt.date | None = None, in_vigore_dal: dt.date | None = None,
          quando: dt.datetime | None = None) -> None:
    """Adopt a draft with its act: from in_vigore_dal (default: the act's date) it judges the body's periods."""
    _require(con, user, ente)
    data_atto, in_vigore_dal = _act_dates(atto, data_atto, in_vigore_dal)
    with db.transaction(con, lock=True):
        _adopt(con, user, ente, versione, atto, data_atto, in_vigore_dal, quando or dt.datetime.now())


def _adopt(con, user: User, ente, versione, atto, data_atto, in_vigore_dal, quando) -> None:
    row = con.execute(queries.sql("plan_versions", "version"), {"ente": ente, "versione": versione}).fetchone()
    if row is None:
        raise Refused(f"La versione {versione} del piano dell'ente {ente} non esiste.")
    if row[2] == "adottato":
        raise Refused(f"La versione {versione} del piano dell'ente {ente} è già adottata ({row[3]}).")
    if shut := periods.closed_quarters_from(con, ente, in_vigore_dal):
        # A closed quarter's judgement is what the OIV validates: a revision may not reach back into it.
        raise Refused(f"La versione {versione} entrerebbe in vigore il {in_vigore_dal:%d/%m/%Y} e giudicherebbe di "
                      "nuovo trimestri chiusi (" + ", ".join(formats.fmt_period(*q) for q in shut) + "): riaprirli "
                      "prima, con il motivo, o indicare una data di entrata in vigore successiva.")
    con.execute(queries.sql("plan_versions", "adopt"), {
        "ente": ente, "versione": versione, "atto": atto, "data_atto": data_atto, "in_vigore_dal": in_vigore_dal,
        "utente": user.username, "quando": quando})
    tables = content(con, ente, versione)
    for name in ("criteri", "target"):  # what judges a period: kept per version (criteri_del_periodo, target_del_periodo)
        s = pw.sheet(name)
        _insert(con, f"{name}_versioni", [("versione", "int")] + [(c.name, c.kind) for c in s.columns],
                [{**r, "versione": versione} for r in tables[name]])
    if current_version(con, ente) == versione:  # the latest in force: it becomes the plan tables
        for s in reversed(pw.sheets()):
            column = "codice" if s.name == "enti" else "ente"
            con.execute(f'DELETE FROM {s.name} WHERE "{column}" = $ente', {"ente": ente})  # names from SHEETS
        for s in pw.sheets():
            _insert(con, s.name, [(c.name, c.kind) for c in s.columns], tables[s.name])
        con.execute(queries.sql("plan_versions", "smvp_default"), {"ente": ente})
        plan_quality.check_scoring_rules(con, ente)
        plan_quality.run_quality_checks(con, ente)
    audit.record(con, user.username, "piano_adottato", f"piano {ente} versione {versione}", ente=ente,
                 dopo={"versione": versione, "atto": atto, "data_atto": data_atto, "in_vigore_dal": in_vigore_dal,
                       "sha256": row[10]}, motivo=atto, quando=quando)


_DTYPES = {"int": "Int64", "num": "Float64", "text": object, "date": object}


def _insert(con, table: str, columns: list[tuple[str, str]], rows: list[dict]) -> None:
    if not rows:
        return
    if table.startswith("criteri"):  # each condition's place in the plan: the tie-break (criteri_del_periodo)
        columns = [*columns, ("ordine", "int")]
        rows = [{**r, "ordine": n} for n, r in enumerate(rows, start=1)]
    frame = pd.DataFrame({name: pd.array([r.get(name) for r in rows], dtype=_DTYPES[kind]) for name, kind in columns})
    con.register("piano_righe", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM piano_righe")  # table from SHEETS or our own
    finally:
        con.unregister("piano_righe")


# ---------------------------------------------------------------- reading versions

def versions(con: duckdb.DuckDBPyConnection, ente: str | None = None) -> list[dict]:
    """The versions of a body (of every body when None), oldest first, with `in_vigore` for the one in force."""
    cur = con.execute(queries.sql("plan_versions", "versions"), {"ente": ente})
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def versions_for(con: duckdb.DuckDBPyConnection, user: User, ente: str) -> list[dict]:
    """The versions `user` may see (of a body it reads: body_access): drafts are the planning office's work until
    adopted, so only it sees them."""
    body_access.require_read(con, user, ente)
    rows = versions(con, ente)
    return rows if allowed(user, "modificare_piano") else [v for v in rows if v["stato"] == "adottato"]


def diff(con: duckdb.DuckDBPyConnection, ente: str, a: int, b: int) -> dict:
    """What changed from version a to version b of a body's plan."""
    out = diff_tables(content(con, ente, a), content(con, ente, b))
    return {"ente": ente, "from": a, "to": b, **out}


def _key_columns(s: pw.Sheet) -> list[str]:
    return [k for k in s.key if k != "ente"] or [c for c in s.names if c != "ente"]


def diff_tables(a: dict, b: dict) -> dict:
    """Rows added, removed and changed per sheet, by each sheet's key; and in short the targets added and
    removed and the thresholds and weights changed."""
    fogli, summary = {}, {"target_aggiunti": [], "target_rimossi": [], "soglie_cambiate": [], "pesi_cambiati": []}
    for s in pw.sheets():
        key = _key_columns(s)
        ra = {tuple(r.get(k) for k in key): r for r in a.get(s.name, [])}
        rb = {tuple(r.get(k) for k in key): r for r in b.get(s.name, [])}
        added = [dict(zip(key, k)) for k in rb if k not in ra]
        removed = [dict(zip(key, k)) for k in ra if k not in rb]
        changed = []
        for k in ra:
            if k in rb:
                fields = {c: [ra[k].get(c), rb[k].get(c)] for c in s.names if ra[k].get(c) != rb[k].get(c)}
                if fields:
                    changed.append({"chiave": dict(zip(key, k)), "campi": fields})
        if added or removed or changed:
            fogli[s.name] = {"aggiunte": added, "rimosse": removed, "modificate": changed}
        if s.name == "target":
            summary["target_aggiunti"] = added
            summary["target_rimossi"] = removed
            summary["pesi_cambiati"] = [{**c["chiave"], "prima": c["campi"]["peso"][0], "dopo": c["campi"]["peso"][1]}
                                        for c in changed if "peso" in c["campi"]]
        if s.name == "criteri":
            summary["soglie_cambiate"] = [
                {**c["chiave"], **{f: {"prima": v[0], "dopo": v[1]} for f, v in c["campi"].items()}}
                for c in changed]
    return {**summary, "fogli": fogli}


def _v(value) -> str:
    if value is None:
        return "(vuoto)"
    if isinstance(value, float):
        return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".").rstrip("0").rstrip(",")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _k(key: dict) -> str:
    return ", ".join(f"{c} {_v(v)}" for c, v in key.items())


def diff_text(d: dict) -> str:
    """A diff as readable Italian text."""
    lines = []
    if "from" in d:
        lines.append(f"Piano dell'ente {d['ente']}: dalla versione {d['from']} alla versione {d['to']}.")
    if not d["fogli"]:
        lines.append("Nessuna differenza.")
        return "\n".join(lines)
    for t in d["target_aggiunti"]:
        lines.append(f"Target aggiunto: {t['codice']} ({t['anno_da']}).")
    for t in d["target_rimossi"]:
        lines.append(f"Target rimosso: {t['codice']} ({t['anno_da']}).")
    for c in d["soglie_cambiate"]:
        what = "; ".join(f"{f} {_v(v['prima'])} → {_v(v['dopo'])}" for f, v in c.items() if isinstance(v, dict))
        lines.append(f"Criterio cambiato: target {c['target']} ({c['anno_da']}), indicatore {c['indicatore']}: {what}.")
    for p in d["pesi_cambiati"]:
        lines.append(f"Peso cambiato: target {p['codice']} ({p['anno_da']}): {_v(p['prima'])} → {_v(p['dopo'])}.")
    lines.append("In dettaglio, per foglio:")
    for foglio, f in d["fogli"].items():
        lines.append(f"  {foglio}: {len(f['aggiunte'])} righe aggiunte, {len(f['rimosse'])} rimosse, "
                     f"{len(f['modificate'])} modificate")
        lines += [f"    + {_k(k)}" for k in f["aggiunte"]]
        lines += [f"    − {_k(k)}" for k in f["rimosse"]]
        for c in f["modificate"]:
            lines.append(f"    ~ {_k(c['chiave'])}: "
                         + "; ".join(f"{col} {_v(v[0])} → {_v(v[1])}" for col, v in c["campi"].items()))
    return "\n".join(lines)


# ---------------------------------------------------------------- next year's plan

def rollover(con: duckdb.DuckDBPyConnection, user: User, ente: str, anno: int, atto: str | None = None) -> ImportResult:
    """A draft of the `anno` plan from the plan in force.

    Choice: targets concluded before `anno` (anno_a < anno) leave the draft with their criteria (they stay in
    the earlier versions, which still judge their years); targets running into `anno` or later stay as they
    are, years unchanged (a multi-year target keeps its own span). The budget of the latest year becomes the
    budget of `anno` (amounts as a starting point to revise); printed totals (budget_stampa) belong to the old
    document and are left out; criteri limited to a past year (column anno, if present) are left out.
    """
    _require(con, user, ente)
    tables = pw.current_tables(con, ente)
    if not tables.get("enti"):
        raise Refused(f"L'ente {ente} non ha un piano in vigore da cui partire.")
    kept = [t for t in tables["target"] if t["anno_a"] >= anno]
    if not kept:
        raise Refused(f"Nel piano in vigore dell'ente {ente} nessun target arriva al {anno}: niente da riportare.")
    keys = {(t["codice"], t["anno_da"]) for t in kept}
    tables["target"] = kept
    tables["criteri"] = [c for c in tables["criteri"] if (c["target"], c["anno_da"]) in keys
                         and (c.get("anno") is None or c["anno"] >= anno)]
    if tables["budget"]:
        last = max(b["anno"] for b in tables["budget"])
        tables["budget"] = [{**b, "anno": anno, "anno_testo": anno} for b in tables["budget"] if b["anno"] == last]
    tables["budget_stampa"] = []
    tables.righe = {s: list(range(2, len(rows) + 2)) for s, rows in tables.items()}
    return import_version(con, user, tables, atto=atto)


def export_bytes(con, ente: str, version: int | None = None) -> bytes:
    """The plan in force of `ente` (or its stored version `version`) as the plan workbook."""
    tables = pw.current_tables(con, ente) if version is None else content(con, ente, version)
    return pw.workbook_bytes(tables)
