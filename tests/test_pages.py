"""Every page through Streamlit's AppTest, on a real DuckDB file with the seed and the demo data."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import db
from queries import status as status_queries

PAGES = Path(__file__).resolve().parents[1] / "pages"


def test_cruscotto_shows_what_the_core_computes(db_file):
    at = AppTest.from_file(str(PAGES / "cruscotto.py"), default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "Cruscotto della performance"
    assert "Dati dimostrativi" in at.warning[0].value
    assert at.sidebar.selectbox[0].value == (2020, 4)  # the latest quarter with data
    con = db.connect(db_file)
    expected = status_queries.status(con, 2020, 4, "target")
    ente = status_queries.status(con, 2020, 4, "ente").iloc[0]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Grado complessivo"] == f"{ente['grado']:.1f} %".replace(".", ",")
    assert metrics["✔ Raggiunto"] == str((expected["status"] == "raggiunto").sum())
    assert metrics["✖ Non raggiunto"] == str((expected["status"] == "non_raggiunto").sum())
    targets = at.dataframe[1].value
    assert len(targets) == 31
    assert targets.set_index("Target").loc["1E.2", "Stato"] == "✖ Non raggiunto"


def test_cruscotto_in_year_quarter(db_file):
    at = AppTest.from_file(str(PAGES / "cruscotto.py"), default_timeout=30).run()
    at.sidebar.selectbox[0].select((2020, 2)).run()
    assert not at.exception
    con = db.connect(db_file)
    expected = status_queries.status(con, 2020, 2, "target")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["⚠ A rischio"] == str((expected["status"] == "a_rischio").sum())
    assert "situazione al II trim. 2020" in at.caption[0].value


def test_app_entry_point_runs(db_file):
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "Cruscotto della performance"
