"""The tables pages show, built from the core's results (pandas only, so they are tested without Streamlit)."""
from __future__ import annotations

import pandas as pd

from dashboard.core import formats
from dashboard.core.measurements import Change

CHANGE_LABELS = {"nuovo": "nuovo", "corretto": "correzione", "invariato": "invariato"}


def changes_frame(changes: list[Change], names: dict[str, str] | None = None) -> pd.DataFrame:
    """What an import does or did, one row per value: the indicator by name (its code beside it), from what
    to what, the version, the outcome."""
    names = names or {}
    return pd.DataFrame({
        "Indicatore": [names.get(c.indicatore, c.indicatore) for c in changes],
        "Codice": [c.indicatore for c in changes],
        "Periodo": [formats.fmt_period(c.anno, c.trimestre) for c in changes],
        "Da": [formats.fmt_num(c.valore_prima) if c.valore_prima is not None else "–" for c in changes],
        "A": [formats.fmt_num(c.valore_dopo) if c.valore_dopo is not None else "–" for c in changes],
        "Versione": [c.versione for c in changes],
        "Esito": [CHANGE_LABELS[c.azione] for c in changes],
    }, columns=["Indicatore", "Codice", "Periodo", "Da", "A", "Versione", "Esito"])


def versions_frame(rows: list[dict]) -> pd.DataFrame:
    """The versions of a body's plan as a person reads them: number, state, act, dates, who."""
    def day(x):
        return formats.fmt_date(pd.Timestamp(x)) if x is not None and not pd.isna(x) else ""

    def when(x):
        return formats.fmt_datetime(pd.Timestamp(x)) if x is not None and not pd.isna(x) else ""

    return pd.DataFrame({
        "Versione": [r["versione"] for r in rows],
        "Stato": [("adottata, in vigore" if r["in_vigore"] else "adottata") if r["stato"] == "adottato" else "bozza"
                  for r in rows],
        "Atto": [r["atto"] or "" for r in rows],
        "Data dell'atto": [day(r["data_atto"]) for r in rows],
        "In vigore dal": [day(r["in_vigore_dal"]) for r in rows],
        "Caricata da": [f"{r['caricato_da']}, {when(r['caricato_il'])}" for r in rows],
        "Adottata da": [f"{r['adottato_da']}, {when(r['adottato_il'])}" if r["adottato_da"] else "" for r in rows],
    }, columns=["Versione", "Stato", "Atto", "Data dell'atto", "In vigore dal", "Caricata da", "Adottata da"])


def threshold_changes(history: pd.DataFrame) -> list[str]:
    """The versions in which the condition changed, as Italian lines; empty when it never changed."""
    lines, last = [], None
    for v in history.itertuples():
        # NaN (no year, no baseline) equals NaN here: a version that repeats the condition is no change.
        condition = tuple(None if pd.isna(x) else x for x in (v.anno, v.operatore, v.soglia, v.regola, v.valore_base))
        if last is not None and condition == last:
            continue
        day = formats.fmt_date(pd.Timestamp(v.in_vigore_dal)) if pd.notna(v.in_vigore_dal) else "–"
        year = f" per il {int(v.anno)}" if pd.notna(v.anno) else ""
        lines.append(f"dal {day}: {formats.fmt_condition(v.operatore, v.soglia)}{year} — versione {v.versione}, "
                     f"{v.atto or 'atto non indicato'}")
        last = condition
    return lines if len(lines) > 1 else []
