"""Checks of a plan once it is in the database: scoring rules the engine cannot apply (refused), and the
document's inconsistencies (kept as data-quality warnings, never fixed silently)."""
from __future__ import annotations

import duckdb

import queries
from dashboard.core.errors import Refused
from queries import budget as budget_queries

QUALITY_CHECKS = ["quality_cdc_spelling", "quality_cdc_same_name", "quality_project_area", "quality_budget_year_label"]


class PlanError(Refused):
    """The plan cannot be judged as it is; nothing is loaded."""


def check_scoring_rules(con: duckdb.DuckDBPyConnection, ente: str) -> None:
    """Refuse conditions of the body's plan whose scoring rule cannot be applied (the engine would judge them
    wrongly). Scoped to one body: adopting a plan must not cost more as other bodies' plans accumulate."""
    problems = [r[0] for r in con.execute(queries.sql("plan_quality", "criteri_non_validi"), {"ente": ente}).fetchall()]
    if problems:
        raise PlanError("Il piano non è valido:\n" + "\n".join(f"- {p}" for p in problems))


def run_quality_checks(con: duckdb.DuckDBPyConnection, ente: str) -> None:
    """Recompute one body's computed warnings (origine 'controllo')."""
    con.execute(queries.sql("plan_quality", "clear_warnings"), {"ente": ente})
    for name in QUALITY_CHECKS:
        rows = con.execute(queries.sql("plan_quality", name), {"ente": ente}).fetchall()
        if rows:
            con.executemany(queries.sql("plan_quality", "insert_warning"), rows)
    for ente, livello, codice, anno, voce, testo, stampato, calcolato, coincide in budget_queries.printed_rows(con, ente):
        if not coincide:
            con.execute(queries.sql("plan_quality", "insert_warning"), [
                ente, f"totale {livello} {codice}",
                f"«{testo}»: stampato {stampato}, ricalcolato dai budget degli obiettivi {calcolato}."])
