"""The OIV evaluation table of a year as XLSX, CSV or PDF (to attach to the Relazione sulla performance).

Text from users is neutralised in spreadsheets and escaped in the PDF (files/pdf_report.py).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.core import formats, reviews
from dashboard.core.errors import Refused
from dashboard.files import exports, pdf_report

PDF_COLUMNS = ["Target", "Indicatori e valore atteso", "Valore finale", "Grado (%)", "Stato",
               "Scostamento e azione correttiva", "Correzioni", "Verdetto OIV", "Commento OIV"]


def evaluation(con: duckdb.DuckDBPyConnection, ente: str, anno: int) -> pd.DataFrame:
    return reviews.evaluation_frame(reviews.table(con, ente, anno))


def pdf_bytes(df: pd.DataFrame, ente_nome: str, anno: int, generated: dt.datetime | None = None) -> bytes:
    generated = generated or dt.datetime.now()
    demo = (df["Dati dimostrativi"] == "sì").any()
    rows = []
    for r in df.to_dict("records"):
        # The target's own words, and its indicators by name: the PDF is read without the dashboard at hand.
        rows.append([
            f"{r['Target']} (obiettivo {r['Obiettivo']})\n{r['Testo']}",
            f"{r['Indicatori']}\nAtteso: {r['Valore atteso']}",
            (formats.fmt_num(r["Valore finale"]) if pd.notna(r["Valore finale"]) else "–")
            + ("\nprovvisorio" if r["Valori provvisori"] == "sì" else ""),
            formats.fmt_num(r["Grado (%)"], 1) if pd.notna(r["Grado (%)"]) else "–",
            r["Stato"],
            f"Causa: {r['Causa dello scostamento']}\nAzione: {r['Azione correttiva']}" if r["Causa dello scostamento"] else "",
            f"{r['Correzioni']}" + (f" — {r['Ultima correzione']}" if r["Ultima correzione"] else ""),
            r["Verdetto OIV"] or "da esprimere", r["Commento OIV"],
        ])
    counts = df["Stato"].value_counts()
    return pdf_report.table_pdf(
        f"Valutazione dei target strategici {anno} — {ente_nome}",
        [f"Tabella di valutazione per la Relazione sulla performance. Generata il {formats.fmt_datetime(generated)}."],
        PDF_COLUMNS, rows, [48, 42, 21, 13, 22, 44, 26, 22, 32],
        notes=["Riepilogo: " + ", ".join(f"{k} {v}" for k, v in counts.items())
               + f". Verdetti espressi: {(df['Verdetto OIV'] != '').sum()} su {len(df)}."],
        bold_lines=["Attenzione: la tabella contiene dati dimostrativi, non misure reali."] if demo else [])


def write(con: duckdb.DuckDBPyConnection, ente: str, ente_nome: str, anno: int, out: Path) -> int:
    """Write the evaluation table to out (.xlsx, .csv or .pdf by its ending); returns the number of targets."""
    df = evaluation(con, ente, anno)
    suffix = Path(out).suffix.lower()
    if suffix == ".xlsx":
        data = exports.xlsx_bytes(df, f"Valutazione {anno}")
    elif suffix == ".csv":
        data = exports.csv_bytes(df)
    elif suffix == ".pdf":
        data = pdf_bytes(df, ente_nome, anno)
    else:
        raise Refused(f"Estensione «{suffix}» non supportata: usare .xlsx, .csv o .pdf.")
    Path(out).write_bytes(data)
    return len(df)
