"""The tables pages show, built from the core's results (pandas only, so they are tested without Streamlit)."""
from __future__ import annotations

import pandas as pd

from dashboard.core import formats
from dashboard.core.measurements import Change

CHANGE_LABELS = {"nuovo": "nuovo", "corretto": "correzione", "invariato": "invariato"}


def changes_frame(changes: list[Change]) -> pd.DataFrame:
    """What an import does or did, one row per value: from what to what, the version, the outcome."""
    return pd.DataFrame({
        "Indicatore": [c.indicatore for c in changes],
        "Periodo": [formats.fmt_period(c.anno, c.trimestre) for c in changes],
        "Da": [formats.fmt_num(c.valore_prima) if c.valore_prima is not None else "–" for c in changes],
        "A": [formats.fmt_num(c.valore_dopo) if c.valore_dopo is not None else "–" for c in changes],
        "Versione": [c.versione for c in changes],
        "Esito": [CHANGE_LABELS[c.azione] for c in changes],
    }, columns=["Indicatore", "Periodo", "Da", "A", "Versione", "Esito"])
