"""Cached reads for the pages (st.cache_data).

Every cached function takes the database path and its data version: any write
(a value, a plan row, a warning) changes the version, so a page never shows a
stale figure. Writers in the app also call `clear()`.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.core import config, db, periods, publication
from dashboard.files import plan_versions
from dashboard.files import plan_workbook as plan_workbook_file
from queries import budget as budget_queries
from queries import detail, freshness, services
from queries import metrics as metrics_queries
from queries import plan as plan_queries
from queries import status as status_queries


def path() -> str:
    # db_target, not db_path: a postgresql:// address as given (a Path would fold its "//" into a file name).
    return str(config.db_target())


def version() -> str:
    """Cheap (one small query): decides whether the cached figures are still good."""
    return freshness.data_version(db.cursor(path()), shared=config.is_postgres(path()))


def clear() -> None:
    st.cache_data.clear()


@st.cache_data(show_spinner=False, max_entries=512)
def status(db_path: str, data_version: str, anno: int, trimestre: int, livello: str, ente: str | None) -> pd.DataFrame:
    return status_queries.status(db.cursor(db_path), anno, trimestre, livello, ente)


@st.cache_data(show_spinner=False, max_entries=64)
def latest_period(db_path: str, data_version: str, ente: str | None):
    return status_queries.latest_period_with_data(db.cursor(db_path), ente)


@st.cache_data(show_spinner=False, max_entries=64)
def default_period(db_path: str, data_version: str, ente: str, today: dt.date | None = None):
    """Keyed by the day too: the default moves when a deadline passes, not only when data change."""
    return periods.default_period(db.cursor(db_path), ente, today or dt.date.today())


@st.cache_data(show_spinner=False, max_entries=64)
def enti(db_path: str, data_version: str) -> pd.DataFrame:
    return pd.DataFrame(plan_queries.enti(db.cursor(db_path)), columns=["codice", "nome"])


@st.cache_data(show_spinner=False, max_entries=256)
def late_offices(db_path: str, data_version: str, ente: str, anno: int, trimestre: int) -> pd.DataFrame:
    return detail.late_offices(db.cursor(db_path), ente, anno, trimestre)


@st.cache_data(show_spinner=False, max_entries=64)
def plan_tree(db_path: str, data_version: str) -> dict:
    return plan_queries.plan_tree(db.cursor(db_path))


@st.cache_data(show_spinner=False, max_entries=64)
def warnings(db_path: str, data_version: str, ente: str) -> pd.DataFrame:
    return pd.DataFrame(plan_queries.warnings(db.cursor(db_path), ente))


@st.cache_data(show_spinner=False, max_entries=256)
def services_quarterly(db_path: str, data_version: str, ente: str, codici: tuple[str, ...], anno: int) -> pd.DataFrame:
    return services.quarterly(db.cursor(db_path), ente, list(codici), anno)


@st.cache_data(show_spinner=False, max_entries=64)
def itp_art33(db_path: str, data_version: str, ente: str, anno: int) -> pd.DataFrame:
    with db.local_records(db.cursor(db_path)) as reader:  # on PostgreSQL, the process's copy of the records
        return metrics_queries.metrics(reader, "itp", anno, ente=ente)


@st.cache_data(show_spinner=False, max_entries=64)
def published(db_path: str, data_version: str, ente: str) -> list:
    return publication.published(db.cursor(db_path), ente)


@st.cache_data(show_spinner=False, max_entries=8)
def published_bodies(db_path: str, data_version: str) -> list:
    return publication.bodies(db.cursor(db_path))


@st.cache_data(show_spinner=False, max_entries=64)
def budget_by_objective(db_path: str, data_version: str, ente: str, anno: int) -> pd.DataFrame:
    return budget_queries.by_objective(db.cursor(db_path), ente, anno)


@st.cache_data(show_spinner=False, max_entries=64)
def budget_years(db_path: str, data_version: str, ente: str) -> list[int]:
    return budget_queries.years(db.cursor(db_path), ente)


@st.cache_data(show_spinner=False, max_entries=64)
def budget_check(db_path: str, data_version: str, ente: str) -> pd.DataFrame:
    return budget_queries.printed_check(db.cursor(db_path), ente)


@st.cache_data(show_spinner=False, max_entries=16)
def plan_workbook(db_path: str, data_version: str, ente: str) -> bytes:
    """The plan in force as a workbook (a quarter of a second to build: not on every rerun of the page)."""
    return plan_versions.export_bytes(db.cursor(db_path), ente)


@st.cache_data(show_spinner=False, max_entries=1)
def plan_template() -> bytes:
    return plan_workbook_file.template_bytes()


@st.cache_data(show_spinner=False, max_entries=64)
def plan_offices(db_path: str, data_version: str, ente: str) -> list[dict]:
    return [o for o in plan_queries.offices(db.cursor(db_path)) if o["ente"] == ente]
