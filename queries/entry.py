"""Where data entry stands: per office and quarter, what is entered, missing, corrected late."""
from __future__ import annotations

import pandas as pd

from queries import sql

LATE_DAYS = 45  # a correction this long after the quarter's end counts as late


def status(con, ente: str, anno: int, giorni: int = LATE_DAYS) -> pd.DataFrame:
    return con.execute(sql("entry", "status"), {"ente": ente, "anno": anno, "giorni": giorni}).df()
