"""What the Cruscotto shows, without Streamlit: the change of the grado and of the counts per status against
the previous quarter and the same quarter of last year, the status of areas or objectives quarter by quarter
(the heat map), and the targets at risk with office, value, threshold, trend and the address of their detail."""
from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd

from dashboard.core import formats
from dashboard.core.labels import STATUS_LABELS, STATUS_SYMBOLS

# Worst first: what the Segretario must look at before the rest.
STATUS_ORDER = ["non_raggiunto", "a_rischio", "parzialmente_raggiunto", "non_rilevato", "in_linea", "raggiunto"]
_NOTATION = {">=": "≥", "<=": "≤"}


def previous_quarter(anno: int, trimestre: int) -> tuple[int, int]:
    return (anno, trimestre - 1) if trimestre > 1 else (anno - 1, 4)


def quarters_shown(anno: int, trimestre: int, n: int = 8) -> list[tuple[int, int]]:
    """The `n` quarters up to (anno, trimestre), oldest first: the heat map's columns."""
    out = [(anno, trimestre)]
    while len(out) < n:
        out.append(previous_quarter(*out[-1]))
    return list(reversed(out))


def threshold_text(operatore, soglia, unita: str = "") -> str:
    """'≤ 3 giorni': the condition with the ≥/≤ signs used in print."""
    text = formats.fmt_condition(operatore, None if soglia is None or pd.isna(soglia) else soglia, unita)
    return " ".join(_NOTATION.get(part, part) for part in text.split(" "))


def points(delta: float | None) -> str | None:
    """A change of grado in percentage points, signed ('+3,2 punti'); None when either side is unmeasured."""
    if delta is None or pd.isna(delta):
        return None
    # ASCII minus: Streamlit colours a metric's delta red (and turns its arrow down) by a leading "-".
    return f"{'+' if delta >= 0 else '-'}{formats.fmt_num(abs(delta), 1)} punti"


def grado_change(now: pd.DataFrame, then: pd.DataFrame) -> float | None:
    """Body grado now minus then (ente-level status frames); None when either is missing or unmeasured."""
    if now.empty or then.empty:
        return None
    a, b = now.iloc[0]["grado"], then.iloc[0]["grado"]
    return None if pd.isna(a) or pd.isna(b) else float(a) - float(b)


def coverage_text(ente_row) -> str:
    """'misurati 25 di 31 target'."""
    return f"misurati {int(ente_row['n_rilevati'])} di {formats.plural(int(ente_row['n_target']), 'target', 'target')}"


def heat_frame(by_quarter: dict[tuple[int, int], pd.DataFrame], code_col: str, name_col: str) -> pd.DataFrame:
    """One row per (area or objective, quarter): the long frame the heat map draws and its table shows.

    by_quarter: {(anno, trimestre): status frame of the level}; rows appear in the order of their code."""
    rows = []
    for (anno, trimestre), df in by_quarter.items():
        for r in df.itertuples():
            code, status, grado = getattr(r, code_col), r.status, r.grado
            rows.append({
                "codice": code, "area": getattr(r, "area", code), "riga": f"{code} {getattr(r, name_col)}", "anno": anno, "trimestre": trimestre,
                "periodo": formats.fmt_period(anno, trimestre), "status": status,
                "stato": STATUS_LABELS[status], "grado": None if pd.isna(grado) else float(grado),
                "etichetta": STATUS_SYMBOLS[status] + (f" {formats.fmt_num(grado, 0)}" if pd.notna(grado) else ""),
            })
    out = pd.DataFrame(rows, columns=["codice", "area", "riga", "anno", "trimestre", "periodo", "status", "stato", "grado",
                                      "etichetta"])
    return out.sort_values(["codice", "anno", "trimestre"], kind="stable").reset_index(drop=True)


def heat_table(heat: pd.DataFrame) -> pd.DataFrame:
    """The heat map as a person reads it in a table: one row per area/objective, one column per quarter."""
    if heat.empty:
        return pd.DataFrame()
    cells = heat.assign(cella=[f"{STATUS_SYMBOLS[s]} {STATUS_LABELS[s]}" + (f" {formats.fmt_pct(g)}" if g is not None
                                                                             and pd.notna(g) else "")
                               for s, g in zip(heat["status"], heat["grado"])])
    order = list(dict.fromkeys(cells["periodo"]))
    wide = cells.pivot_table(index="riga", columns="periodo", values="cella", aggfunc="first", sort=False)
    wide = wide.reindex(columns=order).fillna("—").reset_index().rename(columns={"riga": ""})
    wide.columns.name = None
    return wide


def target_link(ente: str, anno: int, trimestre: int, target: str) -> str:
    """The stable address of a target's detail, relative to the app (opens the same view for anyone)."""
    return "aree?" + urlencode({"ente": ente, "anno": anno, "trimestre": trimestre, "target": target})


def risky_targets(targets: pd.DataFrame, in_year: bool) -> pd.DataFrame:
    """The targets to worry about, worst first: at risk during the year; not fully met at year end."""
    worry = ["a_rischio"] if in_year else ["non_raggiunto", "parzialmente_raggiunto"]
    risky = targets[targets["status"].isin(worry)].copy()
    risky["_rank"] = risky["status"].map(STATUS_ORDER.index)
    return risky.sort_values(["grado", "_rank", "target"], na_position="first").drop(columns="_rank")


def risky_frame(risky: pd.DataFrame, offices: pd.DataFrame, trends: dict[str, list[float]], ente: str, anno: int,
                trimestre: int) -> pd.DataFrame:
    """The at-risk table: link, text, office (names), value, threshold, grado, status, grado per quarter."""
    names = {(r.target, int(r.anno_da)): r.uffici for r in offices.itertuples()}
    return pd.DataFrame({
        "Target": [target_link(ente, anno, trimestre, t) for t in risky["target"]],
        "Testo": list(risky["testo"]),
        "Ufficio": [names.get((t, int(a)), "–") for t, a in zip(risky["target"], risky["anno_da"])],
        "Valore": [formats.fmt_num(v) if pd.notna(v) else "–" for v in risky["valore"]],
        "Soglia": [threshold_text(op, s) for op, s in zip(risky["operatore"], risky["soglia"])],
        "Grado": [f"{STATUS_SYMBOLS[s]} " + (formats.fmt_pct(g) if pd.notna(g) else "–")
                  for s, g in zip(risky["status"], risky["grado"])],
        "Stato": [STATUS_LABELS[s] for s in risky["status"]],
        "Andamento": [trends.get(t, []) for t in risky["target"]],
    })


def grado_trends(by_quarter: dict[tuple[int, int], pd.DataFrame]) -> dict[str, list[float]]:
    """Each target's grado quarter by quarter (oldest first; an unmeasured quarter is left out)."""
    out: dict[str, list[float]] = {}
    for _, df in sorted(by_quarter.items()):
        for t, g in zip(df["target"], df["grado"]):
            if pd.notna(g):
                out.setdefault(t, []).append(round(float(g), 1))
    return out


def status_changes(now: pd.DataFrame, then: pd.DataFrame) -> dict[str, int]:
    """Per status: how many targets more (or fewer) than in the quarter compared."""
    return {s: int((now["status"] == s).sum()) - int((then["status"] == s).sum()) for s in STATUS_LABELS}
