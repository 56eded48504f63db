"""Check a plan workbook whole: every problem at once, each by sheet, row and column, in Italian.

The checks need only the workbook (the database is not asked): empty required
cells, values outside their closed lists, duplicate codes, references to codes
the workbook does not define (a target under an unknown objective, an indicator
of an unknown office, a condition on an unknown target or indicator), weights
not above zero, years out of order, a condition with the «interpolazione» rule
and no baseline. A workbook with any problem is refused whole.
"""
from __future__ import annotations

from dashboard.files import plan_workbook as pw
from dashboard.files.tabular_files import FileRefused, Problem

# (sheet, columns, referenced sheet, its columns, what it is): every value (all columns non-empty) must exist there.
REFERENCES = [
    ("obiettivi", ("area",), "aree", ("codice",), "area"),
    ("eventi_obiettivi", ("obiettivo",), "obiettivi", ("codice",), "obiettivo"),
    ("uffici", ("cdc",), "cdc", ("codice",), "centro di costo"),
    ("progetti", ("obiettivo",), "obiettivi", ("codice",), "obiettivo"),
    ("progetti", ("ufficio",), "uffici", ("codice",), "ufficio"),
    ("progetti", ("cdc",), "cdc", ("codice",), "centro di costo"),
    ("target", ("obiettivo",), "obiettivi", ("codice",), "obiettivo"),
    ("indicatori", ("ufficio",), "uffici", ("codice",), "ufficio"),
    ("criteri", ("target", "anno_da"), "target", ("codice", "anno_da"), "target"),
    ("criteri", ("indicatore",), "indicatori", ("codice",), "indicatore"),
    ("budget", ("obiettivo",), "obiettivi", ("codice",), "obiettivo"),
    ("sportelli", ("indicatore",), "indicatori", ("codice",), "indicatore"),
]


class PlanRefused(FileRefused):
    """The plan workbook is refused whole; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem], name: str = "piano"):
        super().__init__(problems)
        n = len(problems)
        self.args = (f"Piano rifiutato ({name}): nessuna modifica, {n} {'problema' if n == 1 else 'problemi'}.\n"
                     + "\n".join(f"  {p}" for p in problems),)


def _fmt(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check(tables: pw.PlanTables) -> list[Problem]:
    """Every problem of the workbook beyond those of reading it (see plan_workbook.read_workbook)."""
    problems: list[Problem] = []
    present = [s for s in pw.sheets() if s.name in tables]

    def at(sheet, i):
        return tables.righe.get(sheet, [None] * (i + 1))[i]

    enti = tables.get("enti", [])
    if "enti" in tables and len(enti) != 1:
        problems.append(Problem("enti", None, "codice", f"il foglio deve avere una sola riga (l'ente del piano), "
                                                        f"ne ha {len(enti)}"))
    ente = tables.ente
    for s in present:
        seen = {}
        for i, row in enumerate(tables[s.name]):
            n = at(s.name, i)
            for c in s.columns:
                v = row.get(c.name)
                if v is None:
                    if c.required:
                        problems.append(Problem(s.name, n, c.name, f"manca il valore ({c.name} è obbligatorio)"))
                    continue
                allowed = pw.ALLOWED.get((s.name, c.name))
                if allowed and v not in allowed:
                    problems.append(Problem(s.name, n, c.name, f"valore «{_fmt(v)}» non ammesso: valori ammessi "
                                                               + ", ".join(allowed)))
                if c.name == "peso" and v <= 0:
                    problems.append(Problem(s.name, n, c.name, f"il peso deve essere maggiore di zero (è {_fmt(v)})"))
            if s.name != "enti" and ente is not None and row.get("ente") not in (None, ente):
                problems.append(Problem(s.name, n, "ente", f"ente «{row['ente']}» diverso da quello del foglio "
                                                           f"«enti» ({ente})"))
            if s.key:
                key = tuple(row.get(k) for k in s.key)
                named = [k for k in s.key if k != "anno"]  # criteri's anno may be empty: all years
                if all(row.get(k) is not None for k in named):
                    if key in seen:
                        shown = ", ".join(f"{k} {_fmt(row[k])}" for k in s.key if k != "ente" and row.get(k) is not None)
                        problems.append(Problem(s.name, n, named[-1], f"duplicato ({shown}): è già alla riga {seen[key]}"))
                    else:
                        seen[key] = n
    for i, row in enumerate(tables.get("target", [])):
        if row.get("anno_da") is not None and row.get("anno_a") is not None and row["anno_a"] < row["anno_da"]:
            problems.append(Problem("target", at("target", i), "anno_a",
                                    f"anni in ordine inverso: anno_a {row['anno_a']} precede anno_da {row['anno_da']}"))
    for i, row in enumerate(tables.get("criteri", [])):
        if row.get("regola") == "interpolazione" and row.get("valore_base") is None:
            problems.append(Problem("criteri", at("criteri", i), "valore_base",
                                    "la regola «interpolazione» richiede il valore_base (il valore di partenza)"))
    for sheet, cols, ref, ref_cols, what in REFERENCES:
        if sheet not in tables or ref not in tables:
            continue
        known = {tuple(r.get(c) for c in ref_cols) for r in tables[ref]}
        for i, row in enumerate(tables[sheet]):
            value = tuple(row.get(c) for c in cols)
            if any(v is None for v in value) or value in known:
                continue
            shown = f"«{_fmt(value[0])}»" + (f" ({', '.join(f'{c} {_fmt(v)}' for c, v in zip(cols[1:], value[1:]))})"
                                                if len(cols) > 1 else "")
            if what == "area":
                message = f"area {shown} sconosciuta"
            else:
                message = f"{what} {shown} sconosciuto"
            problems.append(Problem(sheet, at(sheet, i), cols[0], message))
    return problems
