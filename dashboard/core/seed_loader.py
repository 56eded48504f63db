"""Load a body's plan from its CSV files in data/ into the database, and check it.

The CSV files are the plan as a person reads and diffs it (see data/README.md).
Loading is one transaction. Afterwards the checks compare the document's
printed totals with the recomputed ones and list its inconsistencies as
data-quality warnings (segnalazioni), never fixing them silently.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

import queries
from dashboard.core import config, db
from dashboard.core.errors import Refused
from queries import budget as budget_queries

SEED_USER = "seed:RPP2020"
# The RPP 2020 was approved on 7 November 2019: the date its figures entered the record.
SEED_DATE = dt.datetime(2019, 11, 7)

# (table, file) in dependency order. Column names in the files match the tables.
PLAN_FILES = [
    ("enti", "enti.csv"),
    ("aree", "aree.csv"),
    ("obiettivi", "obiettivi.csv"),
    ("eventi_obiettivi", "eventi_obiettivi.csv"),
    ("cdc", "cdc.csv"),
    ("uffici", "uffici.csv"),
    ("progetti", "progetti.csv"),
    ("target", "target.csv"),
    ("indicatori", "indicatori.csv"),
    ("criteri", "criteri.csv"),
    ("budget", "budget.csv"),
    ("budget_stampa", "budget_stampa.csv"),
    ("sportelli", "sportelli.csv"),
]
QUALITY_CHECKS = ["quality_cdc_spelling", "quality_cdc_same_name", "quality_project_area", "quality_budget_year_label"]


class PlanError(Refused):
    """The plan files cannot be judged as they are; nothing is loaded."""


def plan_loaded(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM meta WHERE chiave = 'piano_caricato'").fetchone()[0] > 0


def _insert_csv(con, table: str, path: Path) -> None:
    # Table names come from PLAN_FILES above, never from input.
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_csv($path, header = true, all_varchar = true)",
                {"path": str(path)})


def load_seed(con: duckdb.DuckDBPyConnection, seed_dir: Path = config.SEED_DIR) -> None:
    """Load every plan file, the seed's measured results and evidence, then run the checks."""
    with db.transaction(con):
        for table, name in PLAN_FILES:
            _insert_csv(con, table, seed_dir / name)
        con.execute("INSERT INTO smvp (ente) SELECT codice FROM enti WHERE codice NOT IN (SELECT ente FROM smvp)")
        check_scoring_rules(con)
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


def check_scoring_rules(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse conditions whose scoring rule cannot be applied (the engine would judge them wrongly)."""
    problems = [r[0] for r in con.execute(queries.sql("seed_loader", "criteri_non_validi")).fetchall()]
    if problems:
        raise PlanError("Il piano non è valido:\n" + "\n".join(f"- {p}" for p in problems))


def run_quality_checks(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the computed warnings (origine 'controllo')."""
    con.execute("DELETE FROM segnalazioni WHERE origine = 'controllo'")
    for name in QUALITY_CHECKS:
        rows = con.execute(queries.sql("seed_loader", name)).fetchall()
        con.executemany("INSERT INTO segnalazioni VALUES (?, 'controllo', ?, ?)", rows)
    for ente, livello, codice, anno, voce, testo, stampato, calcolato, coincide in budget_queries.printed_rows(con):
        if not coincide:
            con.execute(
                "INSERT INTO segnalazioni VALUES (?, 'controllo', ?, ?)",
                [ente, f"totale {livello} {codice}",
                 f"«{testo}»: stampato {stampato}, ricalcolato dai budget degli obiettivi {calcolato}."])
