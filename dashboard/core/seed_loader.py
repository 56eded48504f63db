"""Load a body's plan from its CSV files in data/ into the database, and check it.

The CSV files are the plan as a person reads and diffs it (see data/README.md).
The plan files are loaded as a plan workbook (a folder of CSV files) through the
same import as any plan (core/plan_versions.py), adopted as version 1 with the
RPP's act; the results and evidence follow. Loading is one transaction. Afterwards the checks compare the document's
printed totals with the recomputed ones and list its inconsistencies as
data-quality warnings (segnalazioni), never fixing them silently.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

import queries
from dashboard.core import config, db, plan_versions
from dashboard.core.roles import User

SEED_USER = "seed:RPP2020"
# The RPP 2020 was approved on 7 November 2019: the date its figures entered the record.
SEED_DATE = dt.datetime(2019, 11, 7)
SEED_ACT = "Delibera di Consiglio n. 15 del 7/11/2019"
# The plan is loaded as the planning office would load it, by a user with that role.
SEED_PLANNER = User(SEED_USER, "CCIAA-LU", "pianificazione", ())

QUALITY_CHECKS = ["quality_cdc_spelling", "quality_cdc_same_name", "quality_project_area", "quality_budget_year_label"]


def plan_loaded(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM meta WHERE chiave = 'piano_caricato'").fetchone()[0] > 0


def load_seed(con: duckdb.DuckDBPyConnection, seed_dir: Path = config.SEED_DIR) -> None:
    """Load the plan through the plan import (adopted as version 1 with its act), then the seed's measured
    results and evidence, then run the checks; all in one transaction."""
    with db.transaction(con, lock=True):
        plan_versions.import_in_transaction(con, SEED_PLANNER, seed_dir, atto=SEED_ACT, adopt=True, quando=SEED_DATE)
        con.execute(
            """INSERT INTO misure (ente, indicatore, anno, trimestre, ambito, valore, numeratore, denominatore,
                                   note, fonte, demo, versione, utente, registrato_il)
               SELECT ente, indicatore, anno::INT, trimestre::INT, ambito, valore::DOUBLE, numeratore::DOUBLE,
                      denominatore::DOUBLE, note, fonte, false, 1, $utente, $quando
               FROM read_csv($path, header = true, all_varchar = true)""",
            {"path": str(seed_dir / "misure_seed.csv"), "utente": SEED_USER, "quando": SEED_DATE})
        con.execute(
            """INSERT INTO evidenze (ente, target, anno_da, anno, trimestre, testo, fonte, utente, registrato_il)
               SELECT ente, target, anno_da::INT, anno::INT, trimestre::INT, testo, fonte, $utente, $quando
               FROM read_csv($path, header = true, all_varchar = true)""",
            {"path": str(seed_dir / "evidenze.csv"), "utente": SEED_USER, "quando": SEED_DATE})
        con.execute(
            """INSERT INTO segnalazioni SELECT ente, 'documento', oggetto, descrizione
               FROM read_csv($path, header = true, all_varchar = true)""",
            {"path": str(seed_dir / "segnalazioni_documento.csv")})
        run_quality_checks(con)
        con.execute("INSERT INTO meta VALUES ('piano_caricato', $quando)", {"quando": dt.datetime.now().isoformat()})


def run_quality_checks(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the computed warnings (origine 'controllo')."""
    con.execute("DELETE FROM segnalazioni WHERE origine = 'controllo'")
    for name in QUALITY_CHECKS:
        rows = con.execute(queries.sql("seed", name)).fetchall()
        con.executemany("INSERT INTO segnalazioni VALUES (?, 'controllo', ?, ?)", rows)
    mismatches = con.execute(queries.sql("seed", "budget_check"), {"ente": None}).fetchall()
    for ente, livello, codice, anno, voce, testo, stampato, calcolato, coincide in mismatches:
        if not coincide:
            con.execute(
                "INSERT INTO segnalazioni VALUES (?, 'controllo', ?, ?)",
                [ente, f"totale {livello} {codice}",
                 f"«{testo}»: stampato {stampato}, ricalcolato dai budget degli obiettivi {calcolato}."])
