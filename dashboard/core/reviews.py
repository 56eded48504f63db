"""The OIV's review: the evaluation table of a year and the validation verdicts (append-only, audited)."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

import queries
from dashboard.core import audit, db, formats
from dashboard.core.errors import Refused
from dashboard.core.labels import STATUS_LABELS, rule_text
from dashboard.core.labels import VERDICT_LABELS as VERDICTS
from dashboard.core.roles import User, require


class VerdictError(Refused):
    pass


def verdict_history(con: duckdb.DuckDBPyConnection, ente: str, target: str, anno: int) -> pd.DataFrame:
    return con.execute(queries.sql("reviews", "verdict_history"), {"ente": ente, "target": target, "anno": anno}).df()


def table(con: duckdb.DuckDBPyConnection, ente: str, anno: int) -> pd.DataFrame:
    return con.execute(queries.sql("reviews", "table"), {"ente": ente, "anno": anno}).df()


def _items(condizioni) -> list:
    return [] if condizioni is None else list(condizioni)


def expected_text(condizioni) -> str:
    """'≤ 10 €' for one condition; 'Name of the indicator ≥ 3 punti; …' for several (the indicator by name, as
    people read it); the scoring rule in brackets when it is not the default rapporto."""
    parts = []
    items = _items(condizioni)
    for c in items:
        text = formats.fmt_condition(c['operatore'], c['soglia'], c['unita'])
        if len(items) > 1:
            text = f"{c.get('nome') or c['indicatore']} {text}"
        rule = rule_text(c.get("regola"), c.get("valore_base"), c["unita"])
        parts.append(f"{text} ({rule})" if rule else text)
    return "; ".join(parts)


def verdict_text(verdetto, grado_allora, stato_allora, grado_ora, stato_ora) -> str:
    """The verdict in force; if the figures changed since it was given (a corrected value, a revised plan),
    it says so, with the grado then and now: the OIV validated the earlier figures, not these."""
    if not isinstance(verdetto, str):
        return ""
    text = VERDICTS[verdetto]
    if isinstance(stato_allora, str):
        def g(x):
            return "–" if x is None or pd.isna(x) else formats.fmt_num(x, 1)
        changed = stato_allora != stato_ora or (pd.isna(grado_allora) != pd.isna(grado_ora)) or (
            not pd.isna(grado_allora) and not pd.isna(grado_ora) and abs(float(grado_allora) - float(grado_ora)) > 0.005)
        if changed:
            text += f" — dato su cifre precedenti (grado {g(grado_allora)} allora, {g(grado_ora)} ora)"
    return text


def evaluation_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The evaluation table as it is exported and shown: one row per target, Italian labels."""
    def when(x):
        return formats.fmt_datetime(x) if pd.notna(x) else ""

    return pd.DataFrame({
        "Target": df["target"], "Obiettivo": df["obiettivo"], "Area": df["area"], "Testo": df["testo"],
        "Indicatori": ["; ".join(f"{c.get('nome') or c['indicatore']} ({c['indicatore']})" for c in _items(cs))
                       for cs in df["condizioni"]],
        "Valore atteso": [expected_text(cs) for cs in df["condizioni"]],
        "Valore finale": [round(float(v), 4) if pd.notna(v) else None for v in df["valore"]],
        "Grado (%)": [round(float(g), 2) if pd.notna(g) else None for g in df["grado"]],
        "Stato": [STATUS_LABELS[s] for s in df["status"]],
        "Dati dimostrativi": ["sì" if d else "no" for d in df["demo"]],
        # Issue 14: a value the office head has not approved yet, and why a target deviates.
        "Valori provvisori": ["sì" if p else "no" for p in df["provvisorio"]],
        "Causa dello scostamento": [c if isinstance(c, str) else "" for c in df["causa"]],
        "Azione correttiva": [a if isinstance(a, str) else "" for a in df["azione"]],
        "Evidenze": [e if isinstance(e, str) else "" for e in df["evidenza"]],
        "Correzioni": df["n_correzioni"].astype(int),
        "Ultima correzione": [f"{u}, {when(w)}: {m}" if isinstance(u, str) else ""
                              for u, w, m in zip(df["corretto_da"], df["corretto_il"], df["motivo_correzione"])],
        "Verdetto OIV": [verdict_text(v, g, s, now, sn) for v, g, s, now, sn in
                         zip(df["verdetto"], df["verdetto_grado"], df["verdetto_stato"], df["grado"], df["status"])],
        "Commento OIV": [c if isinstance(c, str) else "" for c in df["commento"]],
        "Verdetto del": [when(w) for w in df["verdetto_il"]],
    })


def record_verdict(con: duckdb.DuckDBPyConnection, user: User, target: str, anno: int, verdetto: str,
                   commento: str | None = None, when: dt.datetime | None = None) -> None:
    require(user, "registrare_verdetti")
    if verdetto not in VERDICTS:
        raise VerdictError(f"Verdetto «{verdetto}» sconosciuto: {', '.join(VERDICTS)}.")
    commento = (formats.clean_text(commento) or "").strip() or None
    if verdetto != "validato" and not commento:
        raise VerdictError("Un verdetto con riserva o negativo richiede un commento.")
    rows = table(con, user.ente, anno)
    match = rows[rows["target"] == target]
    if match.empty:
        raise VerdictError(f"Il target {target} non è in vigore nel {anno}.")
    row = match.iloc[0]
    when = when or dt.datetime.now()
    with db.transaction(con):
        con.execute(queries.sql("reviews", "insert_verdict"), {
            "ente": user.ente, "target": target, "anno_da": int(row["anno_da"]), "anno": anno, "verdetto": verdetto,
            "commento": commento, "utente": user.username, "quando": when,
            "grado": None if pd.isna(row["grado"]) else float(row["grado"]), "stato": row["status"]})
        audit.record(con, user.username, "verdetto", f"target {target} {anno}", ente=user.ente,
                     prima={"verdetto": row["verdetto"], "commento": row["commento"]} if isinstance(row["verdetto"], str) else None,
                     dopo={"verdetto": verdetto, "commento": commento, "grado": row["grado"], "stato": row["status"]},
                     quando=when)
