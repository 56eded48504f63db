"""What the pages of the validation chain show (approval, explanations, evidence, the year's freeze),
reshaped for people, without Streamlit: tables with Italian headings and formats."""
from __future__ import annotations

import pandas as pd

from dashboard.core import formats, labels


def _when(x) -> str:
    return "" if x is None or pd.isna(x) else pd.Timestamp(x).strftime("%d/%m/%Y %H:%M")


def _text(x) -> str:
    return "" if x is None or (isinstance(x, float) and pd.isna(x)) else str(x)


def _num(x) -> str:
    return "" if x is None or pd.isna(x) else formats.fmt_num(x)


def pending_table(df: pd.DataFrame) -> pd.DataFrame:
    """The values waiting for a decision, or returned, as the approval page lists them."""
    return pd.DataFrame({
        "Ufficio": df["ufficio"], "Indicatore": [f"{c} — {n}" for c, n in zip(df["indicatore"], df["nome"])],
        "Periodo": [formats.fmt_period(a, t) for a, t in zip(df["anno"], df["trimestre"])],
        "Versione": df["versione"], "Valore": [_num(v) for v in df["valore"]], "Unità": df["unita"],
        "Inserito da": df["utente"], "Il": [_when(x) for x in df["registrato_il"]],
        "Stato": [labels.APPROVAL_LABELS[s] for s in df["stato_approvazione"]],
        "Motivo della restituzione": [_text(m) for m in df["motivo_decisione"]],
    })


def pending_label(row) -> str:
    """One value in a selection list: code, period, value, version."""
    return (f"{row['indicatore']} · {formats.fmt_period(row['anno'], row['trimestre'])} · {_num(row['valore'])} "
            f"{row['unita']} (versione {row['versione']}, {labels.APPROVAL_LABELS[row['stato_approvazione']].lower()})")


def returned_text(row) -> str:
    """A returned value as a sentence: what, by whom, why, and what to do."""
    return (f"{row['indicatore']} {formats.fmt_period(row['anno'], row['trimestre'])} (versione {row['versione']}, "
            f"{_num(row['valore'])}) restituito da {row['deciso_da']} il {_when(row['deciso_il'])}: "
            f"«{_text(row['motivo_decisione'])}». Correggerlo in «Carica misure».")


def approval_history_table(df: pd.DataFrame) -> pd.DataFrame:
    """Every version with every decision on it: the OIV's view of who vouched for each value."""
    state = ["approvato (senza attesa)" if not need else (labels.APPROVAL_LABELS[e].lower() if isinstance(e, str)
             else "in attesa") for need, e in zip(df["da_approvare"], df["esito"])]
    return pd.DataFrame({
        "Periodo": [formats.fmt_period(a, t) for a, t in zip(df["anno"], df["trimestre"])],
        "Versione": df["versione"], "Valore": [_num(v) for v in df["valore"]], "Inserito da": df["utente"],
        "Il": [_when(x) for x in df["registrato_il"]], "Motivo della correzione": [_text(m) for m in df["motivo"]],
        "Decisione": state, "Deciso da": [_text(x) for x in df["deciso_da"]],
        "Deciso il": [_when(x) for x in df["deciso_il"]],
        "Motivo della decisione": [_text(m) for m in df["motivo_decisione"]],
    })


def explanations_table(df: pd.DataFrame) -> pd.DataFrame:
    """The targets needing an explanation, with the one in force (or what is missing)."""
    return pd.DataFrame({
        "Target": df["target"], "Testo": df["testo"],
        "Stato": [f"{labels.STATUS_SYMBOLS[s]} {labels.STATUS_LABELS[s]}" for s in df["status"]],
        "Grado": ["" if pd.isna(g) else f"{formats.fmt_num(g, 1)} %" for g in df["grado"]],
        "Causa dello scostamento": [_text(c) or "— mancante —" for c in df["causa"]],
        "Azione correttiva": [_text(a) for a in df["azione"]],
        "Da": [_text(u) for u in df["utente"]], "Il": [_when(x) for x in df["quando"]],
    })


def evidence_table(df: pd.DataFrame) -> pd.DataFrame:
    """The evidence files in force: name, kind, size, what they prove, who and when."""
    return pd.DataFrame({
        "Target": df["target"], "Periodo": [formats.fmt_period(a, t) for a, t in zip(df["anno"], df["trimestre"])],
        "File": df["nome_file"], "Tipo": [str(t).upper() for t in df["tipo"]],
        "Dimensione": [f"{formats.fmt_num(b, 0)} byte" if b < 1024 else f"{formats.fmt_num(b / 1024, 0)} KB"
                       for b in df["byte"]],
        "Che cosa documenta": df["descrizione"], "Allegato da": df["utente"], "Il": [_when(x) for x in df["quando"]],
        "SHA-256": [str(s)[:12] + "…" for s in df["sha256"]],
    })


def freeze_table(df: pd.DataFrame) -> pd.DataFrame:
    """Each target's frozen figure next to its figure now (year_freeze.compare)."""
    def st(s):
        return f"{labels.STATUS_SYMBOLS[s]} {labels.STATUS_LABELS[s]}" if isinstance(s, str) and s in labels.STATUS_LABELS else "–"

    def g(x):
        return "–" if x is None or pd.isna(x) else f"{formats.fmt_num(x, 1)} %"
    return pd.DataFrame({
        "Target": df["target"], "Valore congelato": [_num(v) for v in df["valore_congelato"]],
        "Grado congelato": [g(x) for x in df["grado_congelato"]], "Stato congelato": [st(s) for s in df["status_congelato"]],
        "Modificato dopo la validazione": ["sì" if m else "" for m in df["modificato"]],
        "Valore attuale": [_num(v) for v in df["valore_attuale"]], "Grado attuale": [g(x) for x in df["grado_attuale"]],
        "Stato attuale": [st(s) for s in df["status_attuale"]], "Correzioni dopo la chiusura": [_text(c) for c in df["correzioni"]],
    })
