"""Which indicators the Servizi page shows, grouped as a person reads them, with their reference lines."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.core import formats
from dashboard.core.itp_rules import READINGS


@dataclass(frozen=True)
class Metric:
    code: str
    title: str
    reference: float | None = None
    reference_label: str = ""


SECTIONS = [
    ("Registro Imprese: tempi di lavorazione", "Tempo medio dalla data di arrivo alla data di evasione, al netto della "
     "sospensione addebitabile all'utente.", [
        Metric("RI_TEMPO_LAV", "Tempo medio di lavorazione (giorni)", 5, "Target: meno di 5 giorni")]),
    ("Registro Imprese: sospensioni", "Quota di pratiche sospese e durata media della sospensione.", [
        Metric("RI_SOSP_QUOTA", "Pratiche sospese (%)"),
        Metric("RI_SOSP_GIORNI", "Durata media della sospensione (giorni)", 3, "Target: non più di 3 giorni")]),
    ("Soddisfazione per sportello (scala 1-10)", "Punteggio medio dei questionari per sportello.", [
        Metric("CS_SPORTELLI", "Sportelli nel complesso"),
        Metric("CS_MARCHI", "Marchi e Brevetti"),
        Metric("CS_FIN_NI", "Finanziamenti e Nuova Impresa"),
        Metric("CS_FORMAZIONE", "Seminari e corsi")]),
    ("Soddisfazione per la mediazione (scala 1-5)", "Questionari sui procedimenti di mediazione conclusi; "
     "target 1D.2: non inferiore a 3.", [
        Metric("ADR_CS_SERVIZIO", "Organismo di mediazione", 3, "Target: almeno 3"),
        Metric("ADR_CS_MEDIATORE", "Attività del mediatore", 3, "Target: almeno 3")]),
    ("Tempestività dei pagamenti", "Indicatore di tempestività dei pagamenti (DPCM 22/9/2014): giorni medi di "
     "pagamento oltre la scadenza, ponderati per importo. Negativo = pagato in anticipo.", [
        # ITP 0 is a payment on the due date (the days are counted from it, not from the invoice).
        Metric("ITP", "ITP trimestrale (giorni)", 0, "0 = pagamento alla scadenza (sotto lo zero: in anticipo)")]),
]


# Sections drawn as one chart with a panel per metric (same unit and scale).
PANELLED = {"Soddisfazione per sportello (scala 1-10)", "Soddisfazione per la mediazione (scala 1-5)"}


def previous_year_note(section: pd.DataFrame, anno: int) -> str | None:
    """What to say under a section with nothing of the previous year: the page promises a comparison, and a chart
    of this year's bars alone would leave the reader looking for the other year's."""
    if (section["anno"] == anno - 1).any():
        return None
    return f"Nessun dato del {anno - 1} da confrontare: solo il {anno}."


def all_codes() -> tuple[str, ...]:
    return tuple(m.code for _, _, metrics in SECTIONS for m in metrics)


def art33_table(df: pd.DataFrame, fino_a: int) -> pd.DataFrame:
    """The ITP computed from the invoices with the art. 33 D.Lgs. 33/2013 figures at each quarter's end and the
    year's, as published: quarters up to `fino_a`, then the year once it is complete."""
    df = df[df["trimestre"].isna() & (fino_a == 4) | (df["trimestre"] <= fino_a)]
    return pd.DataFrame({
        "Periodo": [f"{formats.ROMAN[int(t)]} trimestre" if pd.notna(t) else "Anno" for t in df["trimestre"]],
        "ITP (giorni)": [formats.fmt_num(v, 2) if pd.notna(v) else "—" for v in df["itp"]],
        "Fatture pagate": [formats.fmt_num(v, 0) for v in df["fatture"]],
        "Importo pagato (€)": [formats.fmt_num(v, 2) if pd.notna(v) else "—" for v in df["totale_pagato"]],
        "Debito scaduto a fine periodo (€)": [formats.fmt_num(v, 2) for v in df["debito_scaduto"]],
        "Imprese creditrici": [formats.fmt_num(v, 0) for v in df["imprese_creditrici"]],
    })


def art33_note(df: pd.DataFrame) -> str:
    regola = df["regola_contestazione"].iloc[0] if not df.empty else "fine_contestazione"
    return ("Calcolati dalle fatture importate (DPCM 22/9/2014; art. 33 d.lgs. 33/2013): con lo split payment l'importo "
            "è al netto dell'IVA; le fatture rifiutate o stornate sono escluse; per le fatture contestate "
            f"{READINGS[regola]}. Il debito scaduto è l'importo, IVA compresa, delle fatture scadute e non pagate alla "
            "fine del periodo (escluse quelle in contestazione); le imprese creditrici si contano per partita IVA.")
