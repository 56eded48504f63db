"""The plan tree reshaped for the Piano page: search and project filters (no Streamlit here)."""
from __future__ import annotations

import pandas as pd


def search(plan: dict, query: str) -> list[tuple[dict, list[tuple[dict, list[dict]]]]]:
    """[(area, [(objective, targets)])] matching the query in codes, titles and texts (case-insensitive).

    An objective that matches shows all its targets; otherwise only its matching targets.
    """
    needle = (query or "").strip().lower()

    def hit(*texts) -> bool:
        return not needle or any(needle in (t or "").lower() for t in texts)

    out = []
    for area in plan["areas"]:
        objectives = []
        for o in area["objectives"]:
            if hit(o["code"], o["title"], area["name"]):
                objectives.append((o, o["targets"]))
                continue
            targets = [t for t in o["targets"] if hit(t["code"], t["text"])]
            if targets:
                objectives.append((o, targets))
        if objectives:
            out.append((area, objectives))
    return out


def projects_frame(plan: dict) -> pd.DataFrame:
    return pd.DataFrame([{"Progetto": p["code"], "Obiettivo": o["code"], "Titolo": p["title"], "Ufficio": p["office"],
                          "CdC": p["cdc"]} for a in plan["areas"] for o in a["objectives"] for p in o["projects"]],
                        columns=["Progetto", "Obiettivo", "Titolo", "Ufficio", "CdC"])


def filter_projects(df: pd.DataFrame, offices: list[str], cdcs: list[str]) -> pd.DataFrame:
    mask = pd.Series(True, index=df.index)
    if offices:
        mask &= df["Ufficio"].isin(offices)
    if cdcs:
        mask &= df["CdC"].isin(cdcs)
    return df[mask]


def objectives_overview(objectives: list[dict], status: pd.DataFrame) -> pd.DataFrame:
    """Every objective of an area from the plan (eliminated ones too) with its grado and status for the period.

    status: the engine's objective level (obiettivo, grado, status, n_target); objectives without
    targets in the period get status 'non_rilevato' and 0 targets.
    """
    by_code = status.set_index("obiettivo") if not status.empty else None
    rows = []
    for o in objectives:
        s = by_code.loc[o["code"]] if by_code is not None and o["code"] in by_code.index else None
        rows.append({"codice": o["code"], "titolo": o["title"], "stato_piano": o["status"],
                     "grado": float(s["grado"]) if s is not None and pd.notna(s["grado"]) else None,
                     "status": s["status"] if s is not None else "non_rilevato",
                     "n_target": int(s["n_target"]) if s is not None else 0})
    return pd.DataFrame(rows, columns=["codice", "titolo", "stato_piano", "grado", "status", "n_target"])
