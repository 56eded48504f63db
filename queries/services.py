"""Service metrics as quarterly series (Registro Imprese times, satisfaction, payment timeliness)."""
from __future__ import annotations

import pandas as pd

from queries import sql


def quarterly(con, ente: str, codici: list[str], anno: int) -> pd.DataFrame:
    return con.execute(sql("services", "quarterly"), {"ente": ente, "codici": codici, "anno": anno}).df()
