"""Cached reads of the Cruscotto's own queries (queries/overview.py), keyed like cached.py by the data version."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.core import db
from queries import overview


@st.cache_data(show_spinner=False, max_entries=128)
def target_offices(db_path: str, data_version: str, ente: str, anno: int, trimestre: int) -> pd.DataFrame:
    return overview.target_offices(db.cursor(db_path), ente, anno, trimestre)


@st.cache_data(show_spinner=False, max_entries=128)
def late_offices(db_path: str, data_version: str, ente: str, anno: int, trimestre: int) -> pd.DataFrame:
    return overview.late_offices(db.cursor(db_path), ente, anno, trimestre)
