"""The query modules. SQL lives in queries/sql/*.sql as named queries.

Each file holds queries introduced by a line `-- name: <name>`; the comment lines right after
it are the query's docstring (as in aiosql) and every query has one. Parameters are DuckDB named
parameters (`$anno`), never string formatting; each query knows the parameters it takes.

Who uses a file: `queries/sql/<x>.sql` belongs to `queries/<x>.py` or to the domain module of the
same name (`dashboard/core/<x>.py`, `dashboard/files/<x>.py`); `schema.sql`, `*_schema.sql` and `*_macros.sql`
are run whole by `dashboard/core/db.py` when a database is opened.

Every file is read and checked when this package is imported: a duplicate or empty name, a query
without its doc comment or without a statement fails at once, naming the file and line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SQL_DIR = Path(__file__).parent / "sql"
_NAME_RE = re.compile(r"^--\s*name:\s*(\S*)\s*$")
# `$name` outside quoted strings and comments: the DuckDB named parameters a statement takes.
_PARAM_RE = re.compile(r"'(?:[^']|'')*'|--[^\n]*|\$([A-Za-z_][A-Za-z0-9_]*)")


class QueryFileError(Exception):
    """A .sql file breaks the rules above (a programming error, found at import)."""


@dataclass(frozen=True)
class Query:
    name: str
    doc: str
    sql: str
    params: tuple[str, ...]
    where: str  # file:line, for messages

    def bind(self, values: dict) -> dict:
        """The parameters this query takes, from `values` (which may hold more); a missing one is a bug."""
        missing = [p for p in self.params if p not in values]
        if missing:
            raise KeyError(f"{self.where}: la query «{self.name}» richiede i parametri {', '.join(missing)}")
        return {p: values[p] for p in self.params}

    def inline(self, values: dict) -> str:
        """The statement with each `$name` written as a SQL string literal (`sql_literal`), for the few
        statements DuckDB 1.5 parses without parameters (ATTACH, EXPORT/IMPORT DATABASE). One pass: a value
        that itself contains `$name` or a quote is never read again as SQL."""
        bound = self.bind(values)
        return _PARAM_RE.sub(lambda m: sql_literal(bound[m.group(1)]) if m.group(1) else m.group(0), self.sql)


def sql_literal(value) -> str:
    """`value` as a DuckDB string literal: quoted, each ' doubled (a plain '…' string has no other escape:
    a backslash is an ordinary character). A NUL byte cannot be in a path or in the literal: refused."""
    text = str(value)
    if "\0" in text:
        raise ValueError("un valore con il carattere NUL non può essere scritto come testo SQL")
    return "'" + text.replace("'", "''") + "'"


def _parse(path: Path) -> dict[str, Query]:
    queries: dict[str, Query] = {}
    current: tuple[str, int] | None = None
    body: list[str] = []

    def close():
        if current is None:
            return
        name, line = current
        lines = list(body)
        while lines and not lines[0].strip():
            lines.pop(0)
        doc = []
        while lines and lines[0].startswith("--"):
            doc.append(lines.pop(0).lstrip("-").strip())
        text = "\n".join(lines).strip()
        where = f"{path.name}:{line}"
        if not doc or not " ".join(doc).strip():
            raise QueryFileError(f"{where}: la query «{name}» non ha il commento che la descrive")
        if not text:
            raise QueryFileError(f"{where}: la query «{name}» è vuota")
        params = tuple(dict.fromkeys(m.group(1) for m in _PARAM_RE.finditer(text) if m.group(1)))
        queries[name] = Query(name, " ".join(doc).strip(), text, params, where)

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = _NAME_RE.match(line)
        if not m:
            if current is None and line.strip() and not line.startswith("--"):
                raise QueryFileError(f"{path.name}:{number}: SQL prima della prima riga «-- name:»")
            body.append(line)
            continue
        close()
        name = m.group(1)
        if not name:
            raise QueryFileError(f"{path.name}:{number}: riga «-- name:» senza nome")
        if name in queries or (current and current[0] == name):
            raise QueryFileError(f"{path.name}:{number}: la query «{name}» è già definita "
                                 f"({queries[name].where if name in queries else path.name})")
        current, body = (name, number), []
    close()
    return queries


def _load_all() -> dict[str, dict[str, Query]]:
    return {path.stem: _parse(path) for path in sorted(SQL_DIR.glob("*.sql"))}


_MODULES = _load_all()


def load(module: str) -> dict[str, Query]:
    """queries/sql/<module>.sql as {name: Query}, in file order."""
    try:
        return _MODULES[module]
    except KeyError:
        raise KeyError(f"nessun file queries/sql/{module}.sql (esistono: {', '.join(_MODULES)})") from None


def query(module: str, name: str) -> Query:
    found = load(module)
    try:
        return found[name]
    except KeyError:
        raise KeyError(f"nessuna query «{name}» in queries/sql/{module}.sql (esistono: {', '.join(found)})") from None


def sql(module: str, name: str) -> str:
    return query(module, name).sql


def script(module: str) -> list[str]:
    """All statements of a module, in file order (schema and macro definitions)."""
    return [q.sql for q in load(module).values()]
