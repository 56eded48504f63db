"""Load a body's plan from its CSV files in data/ into the database, and check it.

The CSV files are the plan as a person reads and diffs it (see data/README.md).
The plan files are loaded as a plan workbook (a folder of CSV files) through the
same import as any plan (files/plan_versions.py), adopted as version 1 with the
RPP's act; the results and evidence follow. Loading is one transaction. Afterwards the checks compare the document's
printed totals with the recomputed ones and list its inconsistencies as
data-quality warnings (segnalazioni), never fixing them silently.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

import queries
from dashboard.core import config, db, plan_quality
from dashboard.core.roles import User
from dashboard.files import plan_versions

SEED_USER = "seed:RPP2020"
# The RPP 2020 was approved on 7 November 2019: the date its figures entered the record.
SEED_DATE = dt.datetime(2019, 11, 7)
SEED_ACT = "Delibera di Consiglio n. 15 del 7/11/2019"
# The plan is loaded as the planning office would load it, by a user with that role.
SEED_PLANNER = User(SEED_USER, "CCIAA-LU", "pianificazione", ())

def plan_loaded(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute(queries.sql("seed_loader", "plan_loaded")).fetchone()[0] > 0


def load_seed(con: duckdb.DuckDBPyConnection, seed_dir: Path = config.SEED_DIR) -> None:
    """Load the plan through the plan import (adopted as version 1 with its act), then the seed's measured
    results and evidence, then run the checks; all in one transaction."""
    with db.transaction(con, lock=True):
        loaded = plan_versions.import_in_transaction(con, SEED_PLANNER, seed_dir, atto=SEED_ACT, adopt=True, quando=SEED_DATE)
        con.execute(queries.sql("seed_loader", "results"),
                    {"path": str(seed_dir / "misure_seed.csv"), "utente": SEED_USER, "quando": SEED_DATE})
        con.execute(queries.sql("seed_loader", "evidence"),
                    {"path": str(seed_dir / "evidenze.csv"), "utente": SEED_USER, "quando": SEED_DATE})
        con.execute(queries.sql("seed_loader", "document_warnings"), {"path": str(seed_dir / "segnalazioni_documento.csv")})
        plan_quality.run_quality_checks(con, loaded.ente)
        con.execute(queries.sql("seed_loader", "mark_loaded"), {"quando": dt.datetime.now().isoformat()})
