"""What the Cruscotto adds to the status figures: the offices behind each target, and who is late, by name."""
from __future__ import annotations

import duckdb
import pandas as pd

from queries import sql


def target_offices(con: duckdb.DuckDBPyConnection, ente: str, anno: int, trimestre: int) -> pd.DataFrame:
    """target, anno_da, uffici (names of the offices responsible for its indicators)."""
    return con.execute(sql("overview", "target_offices"), {"ente": ente, "anno": anno, "trimestre": trimestre}).df()


def late_offices(con: duckdb.DuckDBPyConnection, ente: str, anno: int, trimestre: int) -> pd.DataFrame:
    """ufficio, nome, indicatori, mancanti, indicatori_mancanti (names, "; "-separated)."""
    return con.execute(sql("overview", "late_offices"), {"ente": ente, "anno": anno, "trimestre": trimestre}).df()
