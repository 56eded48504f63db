"""The query modules. SQL lives in queries/sql/*.sql as named queries.

Each file holds one or more queries introduced by a line `-- name: <name>`;
the comment lines right after it are the query's docstring (as in aiosql).
Parameters are DuckDB named parameters (`$anno`), never string formatting.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).parent / "sql"
_NAME_RE = re.compile(r"^--\s*name:\s*(\S+)\s*$", re.M)


@dataclass(frozen=True)
class Query:
    name: str
    doc: str
    sql: str


@cache
def load(module: str) -> dict[str, Query]:
    """Parse queries/sql/<module>.sql into {name: Query}."""
    text = (SQL_DIR / f"{module}.sql").read_text(encoding="utf-8")
    parts = _NAME_RE.split(text)
    queries = {}
    for name, body in zip(parts[1::2], parts[2::2]):
        lines = body.strip("\n").splitlines()
        doc = []
        while lines and lines[0].startswith("--"):
            doc.append(lines.pop(0).lstrip("-").strip())
        queries[name] = Query(name, " ".join(doc).strip(), "\n".join(lines).strip())
    return queries


def sql(module: str, name: str) -> str:
    return load(module)[name].sql


def script(module: str) -> list[str]:
    """All statements of a module, in file order (schema and macro definitions)."""
    return [q.sql for q in load(module).values()]
