"""Which indicators the Servizi page shows, grouped as a person reads them, with their reference lines."""
from __future__ import annotations

from dataclasses import dataclass


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


def all_codes() -> tuple[str, ...]:
    return tuple(m.code for _, _, metrics in SECTIONS for m in metrics)
