"""Bodies side by side on the indicators every chamber shares, from the raw records, and the consolidated
figure of a successor's predecessors (summed numerators and denominators, never an average of averages).

Every function takes the bodies the caller may see (`enti`); none reads a body outside it, except the
consolidation, which reads the predecessors of a successor the caller may see."""
from __future__ import annotations

import pandas as pd

from queries import sql

# The shared indicators, in the order the page shows them; lower is better for all but satisfaction.
INDICATORS = ("tempo_ri", "quota_sospese", "soddisfazione", "itp")
HIGHER_IS_BETTER = {"soddisfazione"}


def cases(con, anno: int, enti: list[str]) -> pd.DataFrame:
    """Per body, indicator and quarter (trimestre NA = the year): numeratore, denominatore, valore."""
    if not enti:
        return pd.DataFrame(columns=["ente", "indicatore", "trimestre", "numeratore", "denominatore", "valore"])
    return con.execute(sql("comparison", "cases"), {"anno": anno, "enti": list(enti), "successore": None}).df()


def consolidated(con, successore: str, anno: int) -> pd.DataFrame:
    """The successor's predecessors pooled under the successor's code, per indicator and quarter and for the year."""
    return con.execute(sql("comparison", "cases"), {"anno": anno, "enti": [], "successore": successore}).df()


def ranked(frame: pd.DataFrame) -> pd.DataFrame:
    """Each body's value with the median of all the bodies in `frame` and its rank (1 = best: the lowest time,
    share suspended and ITP, the highest satisfaction; ties share the better rank), per indicator and quarter
    (trimestre 0 = the year). Bodies without a value for a quarter are not counted in it."""
    d = frame.dropna(subset=["valore"]).copy()
    if d.empty:
        return d.assign(trimestre=pd.Series(dtype="int64"), mediana=pd.Series(dtype="float64"),
                        posizione=pd.Series(dtype="int64"), su=pd.Series(dtype="int64"))
    d["trimestre"] = d["trimestre"].fillna(0).astype("int64")
    keys = ["indicatore", "trimestre"]
    d["mediana"] = d.groupby(keys)["valore"].transform("median")
    d["su"] = d.groupby(keys)["valore"].transform("size")
    d["segno"] = [-1.0 if i in HIGHER_IS_BETTER else 1.0 for i in d["indicatore"]]
    d["chiave"] = d["valore"] * d["segno"]
    d["posizione"] = d.groupby(keys)["chiave"].rank(method="min").astype("int64")
    return d.drop(columns=["segno", "chiave"])


def successions(con) -> pd.DataFrame:
    return con.execute(sql("comparison", "successions")).df()


def budget(con, successore: str, anno: int) -> pd.DataFrame:
    """Each predecessor's budget totals for the year and their sum (consolidato = True, ente = the successor)."""
    return con.execute(sql("comparison", "budget"), {"successore": successore, "anno": anno}).df()


def linked_series(con, successore: str, indicatore: str) -> pd.DataFrame:
    """A successor's plan indicator with its predecessors' linked indicators, quarter by quarter, plus for each
    quarter the predecessors consolidated (ente = 'consolidato'): the sum of their numerators over the sum of
    their denominators, times the indicator's factor, where every linked predecessor has both."""
    d = con.execute(sql("comparison", "linked_series"), {"successore": successore, "indicatore": indicatore}).df()
    pred = d[d["ente"] != successore]
    rows = []
    for (anno, trimestre), g in pred.groupby(["anno", "trimestre"]):
        complete = len(g) == g["predecessori"].iloc[0] and g["numeratore"].notna().all() and g["denominatore"].notna().all()
        if complete and g["denominatore"].sum():
            rows.append({"ente": "consolidato", "indicatore": indicatore, "anno": anno, "trimestre": trimestre,
                         "numeratore": g["numeratore"].sum(), "denominatore": g["denominatore"].sum(),
                         "valore": g["numeratore"].sum() / g["denominatore"].sum() * g["fattore"].iloc[0],
                         "demo": bool(g["demo"].any()), "fattore": g["fattore"].iloc[0],
                         "predecessori": g["predecessori"].iloc[0]})
    return pd.concat([d, pd.DataFrame(rows, columns=d.columns)], ignore_index=True) if rows else d


def demo_bodies(con, enti: list[str], utente: str) -> list[str]:
    """The bodies among `enti` with generated (demo) raw records: batches of the demo user `utente`."""
    return [r[0] for r in con.execute(sql("comparison", "demo_bodies"), {"enti": list(enti), "utente": utente}).fetchall()]


def body_names(con, enti: list[str]) -> pd.DataFrame:
    return con.execute(sql("comparison", "body_names"), {"enti": list(enti)}).df()


def bodies_per_year(con, enti: list[str]) -> dict[int, int]:
    """Year -> how many of `enti` have raw records (practices, questionnaires or paid invoices) in it, latest first."""
    return dict(con.execute(sql("comparison", "years"), {"enti": list(enti)}).fetchall())


def years(con, enti: list[str]) -> list[int]:
    """The years with raw records of any of `enti`, latest first."""
    return list(bodies_per_year(con, enti))


def linked_indicators(con, successore: str) -> pd.DataFrame:
    return con.execute(sql("comparison", "linked_indicators"), {"successore": successore}).df()
