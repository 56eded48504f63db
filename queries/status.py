"""Achievement per level: one SQL query per level over the whole plan."""
from __future__ import annotations

import duckdb
import pandas as pd

from queries import sql

LEVELS = ("target", "obiettivo", "area", "ente")
STATUSES = ("raggiunto", "parzialmente_raggiunto", "non_raggiunto", "in_linea", "a_rischio", "non_rilevato")
# The code column of each level, named "codice" in every output.
_CODE = {"target": "target", "obiettivo": "obiettivo", "area": "area", "ente": "ente"}


def status(con: duckdb.DuckDBPyConnection, anno: int, trimestre: int | None = None, livello: str = "target",
           ente: str | None = None) -> pd.DataFrame:
    """Status as of the end of `trimestre` of `anno` (the year end when None)."""
    if livello not in LEVELS:
        raise ValueError(f"livello «{livello}» sconosciuto: {', '.join(LEVELS)}")
    df = con.execute(sql("status", livello), {"anno": anno, "trimestre": trimestre or 4, "ente": ente}).df()
    df.insert(0, "codice", df[_CODE[livello]])
    return df


def latest_period_with_data(con: duckdb.DuckDBPyConnection, ente: str | None = None) -> tuple[int, int] | None:
    row = con.execute(sql("status", "latest_period"), {"ente": ente}).fetchone()
    return (row[0], row[1]) if row else None
