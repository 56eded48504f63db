"""Budget per objective and area, and the document's printed totals next to the recomputed ones."""
from __future__ import annotations

import pandas as pd

from queries import sql


def by_objective(con, ente: str, anno: int) -> pd.DataFrame:
    df = con.execute(sql("budget", "by_objective"), {"ente": ente, "anno": anno}).df()
    for col in ("oneri", "ricavi", "contributi", "investimenti"):
        df[col] = df[col].astype(float)
    return df


def by_area(df: pd.DataFrame) -> pd.DataFrame:
    """Area totals from the objective lines: external costs include investments, as in the document's summaries."""
    out = df.groupby(["area", "area_nome"], as_index=False)[["oneri", "ricavi", "contributi", "investimenti"]].sum()
    out["ricavi_contributi"] = out["ricavi"] + out["contributi"]
    out["costi_esterni"] = out["oneri"] + out["investimenti"]
    return out


def years(con, ente: str) -> list[int]:
    return [r[0] for r in con.execute(sql("budget", "years"), {"ente": ente}).fetchall()]


def printed_rows(con, ente: str | None = None) -> list[tuple]:
    """Every printed total next to the recomputed one (amounts as stored, in euro cents exactly)."""
    return con.execute(sql("budget", "printed_check"), {"ente": ente}).fetchall()


def printed_check(con, ente: str) -> pd.DataFrame:
    df = con.execute(sql("budget", "printed_check"), {"ente": ente}).df()
    for col in ("stampato", "calcolato"):
        df[col] = df[col].astype(float)
    return df
