"""The PIAO's section 2.2 "Performance" as XLSX and PDF, for publication in Amministrazione trasparente.

Since 2022 the plan is section 2.2 of the PIAO (DL 80/2021, DM 132/2022), with the targets of each of
three years: for each strategic objective its targets, indicators, expected value per year and the
responsible office. Built from the plan in force, so it is what the dashboard judges.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

import queries
from dashboard.core import formats
from dashboard.core.errors import Refused
from dashboard.files import exports, pdf_report

SYMBOLS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def table(con: duckdb.DuckDBPyConnection, ente: str, anno: int) -> pd.DataFrame:
    """One row per target and indicator, the expected value in each of the years anno, anno+1, anno+2."""
    raw = con.execute(queries.sql("piao_export", "rows"), {"ente": ente, "anno": anno}).df()
    if raw.empty:
        raise Refused(f"Nessun target in vigore nel triennio {anno}-{anno + 2} per l'ente {ente}.")
    out = pd.DataFrame({
        "Area strategica": raw["area"] + " — " + raw["area_nome"],
        "Obiettivo strategico": raw["obiettivo"] + " — " + raw["obiettivo_titolo"],
        "Target": raw["target"], "Descrizione del target": raw["testo"],
        "Indicatore": raw["indicatore_nome"], "Unità di misura": raw["unita"],
        "Ufficio responsabile": raw["ufficio_nome"].fillna(raw["ufficio"]),
    })
    for i, year in enumerate((anno, anno + 1, anno + 2), start=1):
        out[f"Valore atteso {year}"] = [
            formats.fmt_condition(SYMBOLS[op], s, u) if isinstance(op, str) else ""
            for op, s, u in zip(raw[f"operatore_{i}"], raw[f"soglia_{i}"], raw["unita"])]
    return out


def pdf_bytes(df: pd.DataFrame, ente_nome: str, anno: int, generated: dt.datetime | None = None) -> bytes:
    generated = generated or dt.datetime.now()
    years = [c for c in df.columns if c.startswith("Valore atteso")]
    header = ["Obiettivo strategico", "Target", "Indicatore", "Ufficio responsabile"] + years
    rows = [[r["Obiettivo strategico"], f"{r['Target']} — {r['Descrizione del target']}",
             f"{r['Indicatore']} ({r['Unità di misura']})", r["Ufficio responsabile"]] + [r[y] for y in years]
            for r in df.to_dict("records")]
    return pdf_report.table_pdf(
        f"PIAO {anno}-{anno + 2} — Sezione 2.2 Performance — {ente_nome}",
        ["Obiettivi strategici, target, indicatori, valori attesi per anno e uffici responsabili, dal piano in "
         f"vigore. Generato il {formats.fmt_datetime(generated)}."],
        header, rows, [55, 75, 50, 35, 19, 19, 19])


def write(con: duckdb.DuckDBPyConnection, ente: str, ente_nome: str, anno: int, out: Path) -> int:
    """Write section 2.2 for the three years from `anno` to out (.xlsx or .pdf); returns the number of rows."""
    suffix = Path(out).suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise Refused(f"Estensione «{suffix}» non supportata per il PIAO: usare .xlsx o .pdf.")
    df = table(con, ente, anno)
    data = exports.xlsx_bytes(df, f"PIAO {anno}-{anno + 2}") if suffix == ".xlsx" else pdf_bytes(df, ente_nome, anno)
    Path(out).write_bytes(data)
    return len(df)
