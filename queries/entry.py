"""Where data entry stands: per office and quarter, what is entered, missing, corrected late."""
from __future__ import annotations

import pandas as pd

from queries import sql

LATE_DAYS = 45  # a correction this long after the quarter's end counts as late


def coverage(con, ente: str, anno: int, giorni: int = LATE_DAYS) -> pd.DataFrame:
    """Per office and quarter: values due, entered, and corrected late."""
    return con.execute(sql("entry", "coverage"), {"ente": ente, "anno": anno, "giorni": giorni}).df()
