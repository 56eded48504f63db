"""Service metrics computed from the raw records, per body, office or desk, quarter and year."""
from __future__ import annotations

import pandas as pd

from queries import sql

KINDS = ("tempi_ri", "soddisfazione", "itp")


def metrics(con, kind: str, anno: int, trimestre: int | None = None, ente: str | None = None) -> pd.DataFrame:
    if kind not in KINDS:
        raise ValueError(f"metrica «{kind}» sconosciuta: {', '.join(KINDS)}")
    df = con.execute(sql("metrics", kind), {"anno": anno, "trimestre": trimestre, "ente": ente}).df()
    for money in ("totale_pagato", "debito_scaduto"):  # DECIMAL cents: euro as float for charts and JSON
        if money in df:
            df[money] = df[money].astype(float)
    return df
