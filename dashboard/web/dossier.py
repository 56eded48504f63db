"""The OIV's dossier of one target, without Streamlit: the compact list of a year, the thresholds with the
act and day each applied from, every version of the quarterly values, the corrections and the sources."""
from __future__ import annotations

import pandas as pd

from dashboard.core import formats, reviews
from dashboard.core.labels import STATUS_LABELS, STATUS_SYMBOLS


def compact_list(raw: pd.DataFrame) -> pd.DataFrame:
    """The year's targets in four columns that fit beside the dossier: target, status (its symbol: the legend
    is under the list, the word in the dossier), grado, verdict."""
    return pd.DataFrame({
        "Target": raw["target"],
        "Stato": [STATUS_SYMBOLS[s] for s in raw["status"]],
        "Grado": [formats.fmt_pct(g) if pd.notna(g) else "–" for g in raw["grado"]],
        "Verdetto": [reviews.verdict_text(v, g, s, now, sn) or "—" for v, g, s, now, sn in
                     zip(raw["verdetto"], raw["verdetto_grado"], raw["verdetto_stato"], raw["grado"], raw["status"])],
    })


def versions_table(history: list[dict], anno: int) -> pd.DataFrame:
    """Every version of the year's values of one indicator: the one in force and the ones it replaced."""
    rows = [h for h in history if h["anno"] == anno]
    return pd.DataFrame({
        "Periodo": [formats.fmt_period(h["anno"], h["trimestre"]) + ("" if h["ambito"] == "trimestre" else " (progr.)")
                    for h in rows],
        "Versione": [int(h["versione"]) for h in rows],
        "Valore": [formats.fmt_num(h["valore"]) for h in rows],
        "In vigore": ["sì" if h["in_vigore"] else "sostituito" for h in rows],
        "Inserito da": [f"{h['utente']}, {formats.fmt_datetime(h['registrato_il'])}" for h in rows],
    }, columns=["Periodo", "Versione", "Valore", "In vigore", "Inserito da"])


def corrections(history: list[dict], anno: int) -> list[str]:
    """Each correction of the year as a sentence: which period, from what to what, who, when and why."""
    rows = [h for h in history if h["anno"] == anno]
    out = []
    for h in rows:
        if h["versione"] <= 1:
            continue
        before = next((p for p in rows if (p["trimestre"], p["ambito"], p["versione"])
                       == (h["trimestre"], h["ambito"], h["versione"] - 1)), None)
        was = formats.fmt_num(before["valore"]) if before else "–"
        out.append(f"{formats.fmt_period(h['anno'], h['trimestre'])}: da {was} a {formats.fmt_num(h['valore'])} — "
                   f"{h['utente']}, {formats.fmt_datetime(h['registrato_il'])}. Motivo: {h['motivo'] or 'non indicato'}")
    return out


def sources(history: list[dict], anno: int) -> list[str]:
    """The distinct sources of the year's values, in the order first used."""
    return list(dict.fromkeys(h["fonte"] for h in history if h["anno"] == anno and h["fonte"]))


def status_legend() -> str:
    """'✔ raggiunto · ◐ parzialmente raggiunto · …': what the list's symbols mean."""
    return " · ".join(f"{STATUS_SYMBOLS[s]} {STATUS_LABELS[s].lower()}" for s in STATUS_LABELS)
