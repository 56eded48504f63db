"""Cached reads of the Cruscotto: its own queries (queries/overview.py) and its charts' specs, keyed like cached.py
by the data version."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.core import db
from dashboard.web import cached, overview_charts
from dashboard.web import overview as overview_frames
from queries import overview


@st.cache_data(show_spinner=False, max_entries=128)
def target_offices(db_path: str, data_version: str, ente: str, anno: int, trimestre: int) -> pd.DataFrame:
    return overview.target_offices(db.cursor(db_path), ente, anno, trimestre)


@st.cache_data(show_spinner=False, max_entries=128)
def late_offices(db_path: str, data_version: str, ente: str, anno: int, trimestre: int) -> pd.DataFrame:
    return overview.late_offices(db.cursor(db_path), ente, anno, trimestre)


@st.cache_data(show_spinner=False, max_entries=128)
def heat_map(db_path: str, data_version: str, ente: str, anno: int, trimestre: int, livello: str):
    """The heat map's long frame, its table and its Vega-Lite spec, built once per data version: building
    and validating an Altair chart costs more than the queries behind it once these are cached."""
    code_col, name_col = ("area", "nome") if livello == "area" else ("obiettivo", "titolo")
    quarters = overview_frames.quarters_shown(anno, trimestre)
    heat = overview_frames.heat_frame({q: cached.status(db_path, data_version, *q, livello, ente) for q in quarters},
                               code_col, name_col)
    return heat, overview_frames.heat_table(heat), overview_charts.status_heatmap(heat).to_dict()


@st.cache_data(show_spinner=False, max_entries=128)
def area_bars(db_path: str, data_version: str, ente: str, anno: int, trimestre: int):
    """The areas' table and the spec of their clickable bars (built once per data version, as heat_map)."""
    areas = cached.status(db_path, data_version, anno, trimestre, "area", ente)
    areas = areas.assign(Area=areas["area"] + " " + areas["nome"])
    return areas, overview_charts.area_bars(areas).to_dict()


@st.cache_data(show_spinner=False, max_entries=128)
def risky_table(db_path: str, data_version: str, ente: str, anno: int, trimestre: int) -> pd.DataFrame:
    """The at-risk table of overview_frames.risky_frame, with the grado of each quarter of the year as trend."""
    targets = cached.status(db_path, data_version, anno, trimestre, "target", ente)
    risky = overview_frames.risky_targets(targets, trimestre < 4)
    trends = overview_frames.grado_trends({(anno, q): cached.status(db_path, data_version, anno, q, "target", ente)
                                           for q in range(1, trimestre + 1)})
    offices = target_offices(db_path, data_version, ente, anno, trimestre)
    return overview_frames.risky_frame(risky, offices, trends, ente, anno, trimestre)
