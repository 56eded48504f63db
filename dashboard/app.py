"""Streamlit entry point: `streamlit run dashboard/app.py`.

Pages live in pages/ (one file each, layout only); dashboard/navigation.py lists them.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # streamlit runs this file as a script
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import navigation  # noqa: E402

st.set_page_config(page_title="Cruscotto Performance", page_icon=":material/dashboard:", layout="wide")
st.navigation(navigation.all_pages()).run()
