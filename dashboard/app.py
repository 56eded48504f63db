"""Streamlit entry point: `streamlit run dashboard/app.py`.

Pages live in pages/ (one file each, layout only); this file wires them.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # streamlit runs this file as a script
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

st.set_page_config(page_title="Cruscotto Performance", page_icon="📊", layout="wide")

navigation = st.navigation([
    st.Page(str(ROOT / "pages" / "cruscotto.py"), title="Cruscotto", icon="📊", default=True),
])
navigation.run()
