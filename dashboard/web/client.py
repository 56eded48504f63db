"""Where a request comes from, for throttling logins by source (core/auth.py).

The address is the TCP peer Streamlit sees, which a client cannot forge. Behind a reverse proxy every
client has the proxy's address: set KPI_CLIENT_IP_HEADER (e.g. X-Forwarded-For) and the last address of
that header is used — the one the proxy itself added (earlier ones are whatever the client sent). Only set
it behind a proxy that adds the header; otherwise a client could name any address it likes.
"""
from __future__ import annotations

import streamlit as st

from dashboard.core import config


def source() -> str:
    header = config.client_ip_header()
    if header:
        value = st.context.headers.get(header)
        if value and value.split(",")[-1].strip():
            return value.split(",")[-1].strip()
    return st.context.ip_address or "locale"  # None when the browser is on the server itself
