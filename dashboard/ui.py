"""Shared UI pieces: status labels readable without colour, period choice, demo banner."""
from __future__ import annotations

import pandas as pd

from dashboard import formats
from queries.status import STATUS_LABELS

# Colour plus a symbol and a word, so status reads in print and for colour-blind users.
STATUS_SYMBOLS = {
    "raggiunto": "✔", "parzialmente_raggiunto": "◐", "non_raggiunto": "✖",
    "in_linea": "▲", "a_rischio": "⚠", "non_rilevato": "○",
}


def status_text(status: str) -> str:
    return f"{STATUS_SYMBOLS[status]} {STATUS_LABELS[status]}"


def period_options(latest: tuple[int, int] | None, first_year: int = 2018) -> list[tuple[int, int]]:
    """Quarters from first_year Q1 to the latest with data, newest first."""
    last_year, last_q = latest or (first_year, 4)
    out = [(y, q) for y in range(first_year, last_year + 1) for q in range(1, 5) if (y, q) <= (last_year, last_q)]
    return list(reversed(out))


def status_counts(df: pd.DataFrame) -> dict[str, int]:
    return {s: int((df["status"] == s).sum()) for s in STATUS_LABELS}


def target_table(df: pd.DataFrame) -> pd.DataFrame:
    """The target rows as a person reads them: Italian numbers, status in words."""
    return pd.DataFrame({
        "Target": df["target"],
        "Obiettivo": df["obiettivo"],
        "Condizione": [f"{op} {formats.fmt_num(s, 2 if s % 1 else 0)}" for op, s in zip(df["operatore"], df["soglia"])],
        "Valore": [formats.fmt_num(v) if pd.notna(v) else "–" for v in df["valore"]],
        "Grado": [formats.fmt_pct(g) if pd.notna(g) else "–" for g in df["grado"]],
        "Stato": [status_text(s) for s in df["status"]],
    })
