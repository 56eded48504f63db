"""The Streamlit script, served by dashboard/web/server.py (`streamlit run dashboard/web/server.py`),
which adds the session cookie's routes.

Pages live in pages/ (one file each, layout only); dashboard/web/navigation.py lists
them and who sees which. Anonymous sessions see only the login page; the rules
themselves are enforced where data is written (dashboard/core/roles.py).
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # streamlit runs this file as a script
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException  # noqa: E402

from dashboard.core import db  # noqa: E402
from dashboard.core.errors import DatabaseBusy  # noqa: E402
from dashboard.core.labels import ROLE_LABELS  # noqa: E402
from dashboard.web import navigation, session, ui  # noqa: E402

log = logging.getLogger("dashboard.web")
INTERNAL_ERROR = ("Si è verificato un errore interno: è stato registrato. "
                  "Riprovare o segnalarlo a Programmazione e controllo.")

# A local file: an emoji or :material: icon would be fetched from the internet, which fails offline.
st.set_page_config(page_title="Cruscotto Performance", page_icon=Path(__file__).parent / "static" / "favicon.png",
                   layout="wide")
ui.italian_chrome()


def run() -> None:
    user = session.current_user()
    if user is not None:
        with st.sidebar:
            session.hand_over_cookie()  # first: after a login, nothing says «logged in» before the cookie is set
            st.caption(ui.plain(f"{user.username} — {ROLE_LABELS[user.ruolo]}"
                                + (f" ({', '.join(user.uffici)})" if user.uffici else "")))
            if st.button("Esci", icon=":material/logout:"):
                session.logout()
                st.rerun()
    session.show_done()
    # expanded=True: every page in the menu (Streamlit otherwise folds all but ten under an English "View more").
    page = st.navigation(navigation.pages_for(user.ruolo if user else None),
                         position="sidebar" if user else "hidden", expanded=True)
    try:
        page.run()
    except (StopException, RerunException, DatabaseBusy):  # Streamlit's own control flow; the notice below
        raise
    except Exception:  # noqa: BLE001 - the guard: the traceback goes to the log, never to the person
        log.exception("Errore non previsto nella pagina %s", getattr(page, "url_path", "?"))
        st.error(INTERNAL_ERROR, icon=":material/error:")


try:
    # The file is held for this run only: between runs a CLI command or another dashboard process may use it.
    with db.hold():
        run()
except DatabaseBusy as exc:
    # The menu hidden but every address kept, so «Riprova» reruns the same view once the file is free.
    st.navigation(navigation.pages_for(None), position="hidden")
    session.busy(exc)
