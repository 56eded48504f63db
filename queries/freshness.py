"""Whether what a page has cached is still good: one cheap query over the whole database."""
from __future__ import annotations

import duckdb

from queries import sql


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute(sql("freshness", "data_version")).fetchone()[0]
