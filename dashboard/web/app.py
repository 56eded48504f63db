"""Streamlit entry point: `streamlit run dashboard/web/app.py`.

Pages live in pages/ (one file each, layout only); dashboard/web/navigation.py lists
them and who sees which. Anonymous sessions see only the login page; the rules
themselves are enforced where data is written (dashboard/core/roles.py).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # streamlit runs this file as a script
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard.core.labels import ROLE_LABELS  # noqa: E402
from dashboard.web import navigation, session  # noqa: E402

st.set_page_config(page_title="Cruscotto Performance", page_icon=":material/dashboard:", layout="wide")
user = session.current_user()
if user is not None:
    with st.sidebar:
        st.caption(f"{user.username} — {ROLE_LABELS[user.ruolo]}" + (f" ({', '.join(user.uffici)})" if user.uffici else ""))
        if st.button("Esci", icon=":material/logout:"):
            session.logout()
            st.rerun()
session.show_done()
st.navigation(navigation.pages_for(user.ruolo if user else None), position="sidebar" if user else "hidden").run()
