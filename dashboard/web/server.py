"""The server: `streamlit run dashboard/web/server.py` (scripts/run.sh) serves the dashboard (app.py) with
the two routes of the session cookie (web/session_cookie.py) beside Streamlit's own.

Streamlit finds `app` below (an st.App) and runs it with uvicorn; everything else — port, address, the
settings of .streamlit/config.toml — is as for `streamlit run dashboard/web/app.py`, which still works but
without the routes, so a reload would log the user out.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # streamlit imports this file as the top-level module `server`
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard.web import session_cookie  # noqa: E402

app = st.App(Path(__file__).with_name("app.py"), routes=session_cookie.ROUTES)
