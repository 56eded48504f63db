"""A download button's data made on click (the Relazione PDF/DOCX, the OIV's validation sheet): Streamlit calls it
after the page run, in a thread of its own, when the dashboard has let go of the file. The page's cursor is closed
by then: the download never came (the evidence journey's Relazione, "Connection already closed")."""
from __future__ import annotations

import threading

import duckdb
import pytest

from dashboard.core import db
from dashboard.web import ui


@pytest.mark.file_store("the dashboard lets go of the file between page runs (db.hold)")
def test_a_download_made_on_click_reads_the_database_after_the_page_run_let_go_of_it(db_file):
    with db.hold():  # the page run
        page_con = db.cursor()
        data = ui.on_click(lambda con: con.execute("SELECT count(*) FROM enti").fetchone()[0])
    db.close()  # what hold() does RELEASE_AFTER seconds after the last run
    with pytest.raises(duckdb.ConnectionException):
        page_con.execute("SELECT 1")  # what the old lambda used
    got = []
    clicked = threading.Thread(target=lambda: got.append(data()))  # Streamlit's executor thread
    clicked.start()
    clicked.join(60)
    assert got and got[0] >= 1
