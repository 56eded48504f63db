"""Figures published for *Amministrazione trasparente* (D.Lgs. 33/2013), frozen when published.

The planning office publishes a figure set (the ITP with the art. 33 debt and creditor firms, the Registro
Imprese processing times, satisfaction per desk, the objectives' year-end status) for a quarter or a year.
What is published is a copy of the figures at that moment, with only what the public may see: never names
of staff, never demo values, never a year whose quarters are still open (for the objectives). Publishing
again is a restatement: it needs a reason, and the first publication is kept beside it (a chamber writes
"Dato rettificato in data 07/09/2023 per problema tecnico"). The public page reads only this table.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field

import duckdb
import pandas as pd

import queries
from dashboard.core import audit, db, formats, periods
from dashboard.core.errors import Refused
from dashboard.core.labels import STATUS_LABELS
from dashboard.core.roles import User, require
from queries import metrics as metrics_queries
from queries import status as status_queries

DATI = {
    "itp": "Indicatore di tempestività dei pagamenti e debito scaduto (art. 33 d.lgs. 33/2013)",
    "tempi_ri": "Registro Imprese: tempi medi di lavorazione delle pratiche",
    "soddisfazione": "Soddisfazione degli utenti per sportello",
    "obiettivi": "Obiettivi strategici: stato a fine anno",
}
# The public columns of each figure set, in order, with their Italian headers.
COLUMNS = {
    "itp": {"periodo": "Periodo", "itp": "ITP (giorni)", "fatture": "Fatture pagate",
            "importo_pagato": "Importo pagato (€)", "debito_scaduto": "Debito scaduto (€)",
            "imprese_creditrici": "Imprese creditrici"},
    "tempi_ri": {"periodo": "Periodo", "pratiche": "Pratiche evase", "tempo_medio_netto": "Tempo medio netto (giorni)",
                 "quota_entro_5_giorni": "Evase entro 5 giorni (%)", "termine_legale": "Termine di legge (giorni)"},
    "soddisfazione": {"periodo": "Periodo", "sportello": "Sportello", "questionari": "Questionari",
                      "media": "Punteggio medio", "scala_max": "Scala (massimo)"},
    "obiettivi": {"codice": "Obiettivo", "titolo": "Titolo", "grado": "Grado di raggiungimento (%)",
                  "stato": "Stato"},
}
TERMINE_RI = 5  # days: the Registro Imprese's legal term (art. 2189 c.c., DPR 581/1995)


class NotPublishable(Refused):
    """These figures cannot be published as they are."""


@dataclass
class Candidate:
    """The figures that would be published now, and why they might be wrong."""
    ente: str
    dato: str
    anno: int
    trimestre: int  # 0 = the year
    righe: list[dict]
    origine: str  # 'calcolato' from raw records or the engine, 'manuale' as entered
    avvisi: list[str] = field(default_factory=list)

    @property
    def periodo(self) -> str:
        return periodo(self.anno, self.trimestre)


def periodo(anno: int, trimestre: int) -> str:
    return f"Anno {anno}" if trimestre == 0 else f"{formats.ROMAN[trimestre]} trimestre {anno}"


def _num(v, digits: int = 2):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else round(float(v), digits)


def candidate(con: duckdb.DuckDBPyConnection, ente: str, dato: str, anno: int, trimestre: int) -> Candidate:
    """The figure set as it would be published now; refused (NotPublishable) when there is nothing to publish."""
    if dato not in DATI:
        raise NotPublishable(f"Dato «{dato}» sconosciuto: {', '.join(DATI)}.")
    if trimestre not in (0, 1, 2, 3, 4):
        raise NotPublishable("Il trimestre va da 1 a 4 (0 per l'anno).")
    return {"itp": _itp, "tempi_ri": _tempi_ri, "soddisfazione": _soddisfazione, "obiettivi": _obiettivi}[dato](
        con, ente, anno, trimestre)


def _metrics_row(con, kind, ente, anno, trimestre) -> pd.DataFrame:
    # On PostgreSQL from the process's copy of the records, brought up to the batches committed at this moment.
    with db.local_records(con) as reader:
        df = metrics_queries.metrics(reader, kind, anno, trimestre or None, ente)
    return df[df["trimestre"].isna()] if trimestre == 0 else df[df["trimestre"] == trimestre]


def _itp(con, ente, anno, trimestre) -> Candidate:
    df = _metrics_row(con, "itp", ente, anno, trimestre)
    if not df.empty:
        r = df.iloc[0]
        row = {"periodo": periodo(anno, trimestre), "itp": _num(r["itp"]), "fatture": int(r["fatture"]),
               "importo_pagato": _num(r["totale_pagato"]), "debito_scaduto": _num(r["debito_scaduto"]),
               "imprese_creditrici": int(r["imprese_creditrici"])}
        return Candidate(ente, "itp", anno, trimestre, [row], "calcolato")
    # No invoices: the ITP as entered by hand (from the published documents), without the art. 33 figures.
    entered = {int(t): (v, demo) for t, v, demo in con.execute(
        queries.sql("publication", "itp_manual"), {"ente": ente, "anno": anno}).fetchall()}
    if trimestre in entered and entered[trimestre][1]:
        raise NotPublishable(f"L'ITP del periodo «{periodo(anno, trimestre)}» è un valore dimostrativo: non si pubblica.")
    if trimestre not in entered:
        raise NotPublishable(f"Nessun ITP da pubblicare per il periodo «{periodo(anno, trimestre)}»: importare le "
                             "fatture del periodo (o inserire il valore: per l'anno, il progressivo al IV trimestre).")
    manual = {t: v for t, (v, _) in entered.items()}
    row = {"periodo": periodo(anno, trimestre), "itp": _num(manual[trimestre]), "fatture": None,
           "importo_pagato": None, "debito_scaduto": None, "imprese_creditrici": None}
    return Candidate(ente, "itp", anno, trimestre, [row], "manuale",
                     ["Valore inserito a mano, non calcolato dalle fatture: debito scaduto e imprese creditrici "
                      "non disponibili."])


def _tempi_ri(con, ente, anno, trimestre) -> Candidate:
    df = _metrics_row(con, "tempi_ri", ente, anno, trimestre)
    df = df[df["ufficio"].isna()]  # the body as a whole
    if df.empty:
        raise NotPublishable(f"Nessuna pratica del Registro Imprese evasa nel periodo «{periodo(anno, trimestre)}».")
    r = df.iloc[0]
    return Candidate(ente, "tempi_ri", anno, trimestre, [{
        "periodo": periodo(anno, trimestre), "pratiche": int(r["pratiche"]),
        "tempo_medio_netto": _num(r["tempo_medio_netto"]), "quota_entro_5_giorni": _num(r["quota_entro_5_giorni"], 1),
        "termine_legale": TERMINE_RI}], "calcolato")


def _soddisfazione(con, ente, anno, trimestre) -> Candidate:
    df = _metrics_row(con, "soddisfazione", ente, anno, trimestre)
    df = df[df["sportello"].notna()]
    if df.empty:
        raise NotPublishable(f"Nessun questionario nel periodo «{periodo(anno, trimestre)}».")
    rows = [{"periodo": periodo(anno, trimestre), "sportello": r["sportello"], "questionari": int(r["questionari"]),
             "media": _num(r["media"]), "scala_max": int(r["scala_max"])} for _, r in df.iterrows()]
    return Candidate(ente, "soddisfazione", anno, trimestre, rows, "calcolato")


def _obiettivi(con, ente, anno, trimestre) -> Candidate:
    if trimestre != 0:
        raise NotPublishable("Lo stato degli obiettivi si pubblica per l'anno, a consuntivo.")
    aperti = [q for q in range(1, 5) if (anno, q) not in periods.closed_quarters(con, ente)]
    if aperti:
        raise NotPublishable(f"Il {anno} non è chiuso (trimestri aperti: "
                             + ", ".join(formats.ROMAN[q] for q in aperti)
                             + "): lo stato degli obiettivi si pubblica a consuntivo, dopo la chiusura dell'anno.")
    df = status_queries.status(con, anno, 4, "obiettivo", ente)
    if df.empty:
        raise NotPublishable(f"Nessun obiettivo in vigore nel {anno}.")
    if df["demo"].fillna(False).any():
        raise NotPublishable(f"Lo stato degli obiettivi {anno} è calcolato anche da valori dimostrativi: non si "
                             "pubblica.")
    rows = [{"codice": r["codice"], "titolo": r["titolo"], "grado": _num(r["grado"], 1),
             "stato": STATUS_LABELS.get(r["status"], r["status"])} for _, r in df.iterrows()]
    return Candidate(ente, "obiettivi", anno, 0, rows, "calcolato")


def consistency_warnings(con: duckdb.DuckDBPyConnection, c: Candidate) -> list[str]:
    """An annual ITP outside the range of its quarters cannot come from the same invoices: flag it (a published
    series shows quarters 12,12 / 9,52 / 8,96 / 9,50 and an annual 0,87)."""
    if c.dato != "itp" or c.trimestre != 0 or c.righe[0]["itp"] is None:
        return []
    quarters = [r["itp"] for v in (_latest(con, c.ente, "itp", c.anno, q) for q in range(1, 5)) if v for r in v[1]]
    quarters = [q for q in quarters if q is not None]
    annual = c.righe[0]["itp"]
    if quarters and not min(quarters) - 0.005 <= annual <= max(quarters) + 0.005:
        return [f"L'ITP annuale ({formats.fmt_num(annual, 2)}) è fuori dall'intervallo dei trimestri pubblicati "
                f"({formats.fmt_num(min(quarters), 2)} – {formats.fmt_num(max(quarters), 2)}): calcolato dalle stesse "
                "fatture non può esserlo. Verificare i dati prima di pubblicare."]
    return []


def preview(con: duckdb.DuckDBPyConnection, ente: str, dato: str, anno: int, trimestre: int) -> Candidate:
    c = candidate(con, ente, dato, anno, trimestre)
    c.avvisi += consistency_warnings(con, c)
    return c


def _latest(con, ente, dato, anno, trimestre) -> tuple[int, list[dict]] | None:
    rows = con.execute(queries.sql("publication", "versions"),
                       {"ente": ente, "dato": dato, "anno": anno, "trimestre": trimestre}).fetchall()
    return (rows[-1][0], json.loads(rows[-1][1])) if rows else None


def publish(con: duckdb.DuckDBPyConnection, user: User, ente: str, dato: str, anno: int, trimestre: int,
            motivo: str | None = None, quando: dt.datetime | None = None) -> Candidate:
    """Publish the figure set as computed now (planning office). Publishing it again is a restatement and needs
    the reason; the same figures again are refused (nothing to restate)."""
    require(user, "modificare_piano", ente)
    motivo = formats.clean_text(motivo).strip() if motivo else None
    quando = quando or dt.datetime.now()
    with db.transaction(con, lock=True):
        c = preview(con, ente, dato, anno, trimestre)
        before = _latest(con, ente, dato, anno, trimestre)
        if before and before[1] == c.righe:
            raise NotPublishable(f"{DATI[dato]}, {c.periodo}: le cifre sono già pubblicate così "
                                 f"(versione {before[0]}); nulla da rettificare.")
        if before and not motivo:
            raise NotPublishable(f"{DATI[dato]}, {c.periodo}: già pubblicato (versione {before[0]}). Per "
                                 "rettificarlo indicare il motivo, che sarà pubblicato con il dato.")
        versione = before[0] + 1 if before else 1
        con.execute(queries.sql("publication", "insert"), {
            "ente": ente, "dato": dato, "anno": anno, "trimestre": trimestre, "versione": versione,
            "righe": json.dumps(c.righe, ensure_ascii=False), "origine": c.origine,
            "avvisi": "\n".join(c.avvisi) or None, "utente": user.username, "quando": quando,
            "motivo": motivo if before else None})
        audit.record(con, user.username, "dato_rettificato" if before else "dato_pubblicato",
                     f"{dato} {c.periodo}", ente=ente, prima={"versione": before[0], "righe": before[1]} if before else None,
                     dopo={"versione": versione, "righe": c.righe, "origine": c.origine}, motivo=motivo, quando=quando)
    return c


@dataclass(frozen=True)
class Published:
    """One published figure set as the public sees it: its latest version, and the first if restated."""
    dato: str
    anno: int
    trimestre: int
    versione: int
    righe: list[dict]
    origine: str
    avvisi: str | None
    quando: dt.datetime
    motivo: str | None
    righe_prima: list[dict]
    quando_prima: dt.datetime

    @property
    def periodo(self) -> str:
        return periodo(self.anno, self.trimestre)

    @property
    def rettificato(self) -> bool:
        return self.versione > 1


def published(con: duckdb.DuckDBPyConnection, ente: str) -> list[Published]:
    """Everything published for the body (no login needed to read it; nothing else is read for the public)."""
    return [Published(dato, anno, trim, ver, json.loads(righe), origine, avvisi, quando, motivo, json.loads(prima), q1)
            for dato, anno, trim, ver, righe, origine, avvisi, quando, motivo, prima, q1 in
            con.execute(queries.sql("publication", "published"), {"ente": ente}).fetchall()]


def bodies(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return [tuple(r) for r in con.execute(queries.sql("publication", "bodies")).fetchall()]


def frame(dato: str, righe: list[dict]) -> pd.DataFrame:
    """The published rows as a table with Italian headers (open data downloads use the raw keys)."""
    return pd.DataFrame(righe, columns=list(COLUMNS[dato])).rename(columns=COLUMNS[dato])
