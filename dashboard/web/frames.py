"""The tables pages show, built from the core's results (pandas only, so they are tested without Streamlit)."""
from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd

from dashboard.core import formats, labels
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


def threshold_lines(history: pd.DataFrame, unita: str = "") -> list[str]:
    """Every threshold the condition had, from which day and by which act, oldest first (repeats left out)."""
    lines, last = [], None
    for v in history.itertuples():
        # NaN (no year, no baseline) equals NaN here: a version that repeats the condition is no change.
        condition = tuple(None if pd.isna(x) else x for x in (v.anno, v.operatore, v.soglia, v.regola, v.valore_base))
        if last is not None and condition == last:
            continue
        day = formats.fmt_date(pd.Timestamp(v.in_vigore_dal)) if pd.notna(v.in_vigore_dal) else "–"
        year = f" per il {int(v.anno)}" if pd.notna(v.anno) else ""
        lines.append(f"dal {day}: {formats.fmt_condition(v.operatore, v.soglia, unita)}{year} — versione {v.versione}, "
                     f"{v.atto or 'atto non indicato'}")
        last = condition
    return lines


def threshold_changes(history: pd.DataFrame) -> list[str]:
    """The versions in which the condition changed, as Italian lines; empty when it never changed."""
    lines = threshold_lines(history)
    return lines if len(lines) > 1 else []


def target_values(q: pd.DataFrame, ytd: pd.DataFrame) -> pd.DataFrame:
    """An indicator's values behind a target's chart: each quarter's value as entered and the year-to-date
    value the chart plots and the target judges (the same numbers as the chart, so they cannot disagree).

    q: detail.quarters (current versions); ytd: charts.ytd_series of q.
    """
    progressive = {(int(a), int(t)): v for a, t, v in zip(ytd["anno"], ytd["trimestre"], ytd["valore"])}
    table = pd.DataFrame({
        "Anno": q["anno"].astype(int), "Trimestre": [formats.ROMAN[int(x)] for x in q["trimestre"]],
        "Valore del trimestre": [v if a == "trimestre" else None for v, a in zip(q["valore"], q["ambito"])],
        "Progressivo dall'inizio dell'anno (nel grafico)": [progressive.get((int(a), int(t)))
                                                              for a, t in zip(q["anno"], q["trimestre"])],
        "Numeratore": q["numeratore"], "Denominatore": q["denominatore"],
        "Dimostrativo": q["demo"].map({True: "sì", False: "no"}), "Inserito da": q["utente"],
        "Il": [formats.fmt_datetime(x) for x in q["registrato_il"]], "Versione": q["versione"].astype(int)})
    # Numerator and denominator only for indicators computed on cases: fewer columns, nothing off-screen.
    return table.drop(columns=[c for c in ("Numeratore", "Denominatore") if table[c].isna().all()])


# How the audit's keys read (the stored JSON keeps its codes); a key not listed reads as itself, with spaces.
AUDIT_KEYS = {
    "valore": "valore", "numeratore": "numeratore", "denominatore": "denominatore", "versione": "versione",
    "fonte": "fonte", "stato": "stato", "verdetto": "verdetto", "commento": "commento", "grado": "grado",
    "ruolo": "ruolo", "uffici": "uffici", "email": "e-mail", "soglia": "soglia", "operatore": "operatore",
    "peso": "peso", "sha256": "impronta SHA-256", "righe": "righe", "nuovo": "nuovi", "corretto": "corretti",
    "invariato": "invariati", "atto": "atto", "data_atto": "data dell'atto", "in_vigore_dal": "in vigore dal",
    "nuovo_ente": "nuovo ente", "origine": "origine", "bloccato_fino": "bloccato fino al", "lotto": "lotto",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_CODE_LABELS = {"stato": {**labels.STATUS_LABELS, "chiuso": "chiuso", "aperto": "aperto"},
                "verdetto": labels.VERDICT_LABELS, "ruolo": labels.ROLE_LABELS}


def _audit_value(key: str, v) -> str:
    if isinstance(v, bool):
        return "sì" if v else "no"
    if isinstance(v, (int, float)):
        return formats.fmt_num(v, 0 if float(v).is_integer() else 2)
    if isinstance(v, list):
        return ", ".join(_audit_value(key, x) for x in v) or "nessuno"
    if isinstance(v, dict):
        return ", ".join(f"{AUDIT_KEYS.get(k, k.replace('_', ' '))} {_audit_value(k, x)}" for k, x in v.items()
                         if x is not None)
    if isinstance(v, str):
        if key == "operatore":
            return formats.fmt_operator(v)
        if key in _CODE_LABELS:
            return _CODE_LABELS[key].get(v, v)
        if _ISO_DATE.match(v):
            when = dt.datetime.fromisoformat(v.replace(" ", "T"))
            return formats.fmt_date(when) if len(v) == 10 else formats.fmt_datetime(when)
    return str(v)


def audit_text(raw) -> str:
    """The audit's before/after (stored as JSON) as a person reads it: 'valore 3,50 · versione 2 · fonte
    file ri.csv'; empty values left out; text that is not JSON as it is."""
    if raw is None or (isinstance(raw, float) and pd.isna(raw)) or raw == "":
        return ""
    try:
        data = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return str(raw)
    if not isinstance(data, dict):
        return _audit_value("", data)
    return " · ".join(f"{AUDIT_KEYS.get(k, k.replace('_', ' '))} {_audit_value(k, v)}" for k, v in data.items()
                      if v is not None and v != "")
