"""What the drill-down shows about one target, one objective, and who is late with data."""
from __future__ import annotations

import duckdb
import pandas as pd

from queries import sql


def _df(con, name, **params) -> pd.DataFrame:
    return con.execute(sql("detail", name), params).df()


def target(con: duckdb.DuckDBPyConnection, ente: str, codice: str, anno: int) -> dict | None:
    df = _df(con, "target", ente=ente, codice=codice, anno=anno)
    return None if df.empty else df.iloc[0].to_dict()


def target_criteria(con, ente: str, codice: str, anno_da: int, anno: int, trimestre: int = 4) -> pd.DataFrame:
    """The target's conditions as they judge the end of quarter `trimestre` of `anno`: thresholds may differ by
    year, and a plan revision adopted during the year applies from the quarter it is in force."""
    return _df(con, "criteria", ente=ente, codice=codice, anno_da=anno_da, anno=anno, trimestre=trimestre)


def threshold_history(con, ente: str, codice: str, anno_da: int, indicatore: str) -> pd.DataFrame:
    """The condition in each adopted plan version, with its act and the day it is in force from."""
    return _df(con, "threshold_history", ente=ente, codice=codice, anno_da=anno_da, indicatore=indicatore)


def quarters(con, ente: str, indicatore: str, anno: int, trimestre: int = 4) -> pd.DataFrame:
    return _df(con, "quarters", ente=ente, indicatore=indicatore, anno=anno, trimestre=trimestre)


def evidence(con, ente: str, codice: str, anno_da: int) -> pd.DataFrame:
    return _df(con, "evidence", ente=ente, codice=codice, anno_da=anno_da)


def projects(con, ente: str, obiettivo: str) -> pd.DataFrame:
    return _df(con, "projects", ente=ente, obiettivo=obiettivo)


def budget(con, ente: str, obiettivo: str) -> pd.DataFrame:
    return _df(con, "budget", ente=ente, obiettivo=obiettivo)


def events(con, ente: str, obiettivo: str) -> pd.DataFrame:
    return _df(con, "events", ente=ente, obiettivo=obiettivo)


def late_offices(con, ente: str, anno: int, trimestre: int) -> pd.DataFrame:
    return _df(con, "late_offices", ente=ente, anno=anno, trimestre=trimestre)

