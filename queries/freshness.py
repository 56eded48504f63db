"""Whether what a page has cached is still good: one cheap query over the whole database."""
from __future__ import annotations

import duckdb

from queries import sql


def data_version(con: duckdb.DuckDBPyConnection, shared: bool = False) -> str:
    """`shared`: `con` works on the shared PostgreSQL store, where the same aggregates run inside PostgreSQL
    (which finds the max ids in their indexes instead of DuckDB scanning them through the attach)."""
    return con.execute(sql("freshness", "data_version_postgres" if shared else "data_version")).fetchone()[0]
