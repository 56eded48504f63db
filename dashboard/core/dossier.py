"""The OIV's dossier of one target and year, from the validation chain: the frozen figure next to the current
one (and what was corrected after the freeze), the explanation in force with its history, the evidence
files, and who entered and approved each value of its indicators. Pages render it; nothing here writes."""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from dashboard.core import approvals, deviations, evidence, year_freeze


@dataclass
class Dossier:
    target: str
    anno: int
    freeze: dict | None          # the latest freeze of the year (id, who, when) or None
    frozen: dict | None          # the target as frozen: valore, grado, status, causa, azione, evidenze
    change: dict | None          # frozen vs now: *_congelato, *_attuale, modificato, correzioni
    explanations: pd.DataFrame   # every explanation of the year, latest first
    files: pd.DataFrame          # evidence in force (id, nome_file, descrizione, utente, quando, ...)
    approvals: dict              # indicator -> every version with every decision (that year)


def target_dossier(con: duckdb.DuckDBPyConnection, ente: str, target: str, anno: int,
                   indicatori: list[str] = ()) -> Dossier:
    fz = year_freeze.latest(con, ente, anno)
    frozen = change = None
    if fz is not None:
        ft = year_freeze.frozen_targets(con, ente, anno)
        ft = ft[ft["target"] == target]
        frozen = ft.iloc[0].to_dict() if not ft.empty else None
        cmp = year_freeze.compare(con, ente, anno)
        cmp = cmp[cmp["target"] == target]
        change = cmp.iloc[0].to_dict() if not cmp.empty else None
    hist = {}
    for code in indicatori:
        h = approvals.history(con, ente, code)
        hist[code] = h[h["anno"] == anno].reset_index(drop=True)
    return Dossier(target, anno, fz, frozen, change, deviations.history(con, ente, target, anno),
                   evidence.in_force(con, ente, anno, target), hist)
