"""Explanations of deviations (issue 14): cause and corrective action, with who/when and history."""
from __future__ import annotations

import pytest

from dashboard.core import deviations, users
from dashboard.core.errors import NotAllowed


@pytest.fixture
def con(demo_users):
    return demo_users


@pytest.fixture
def demo_users(demo_db_rw):
    for name, role, offices in [("staff.ri", "staff", ["RI"]), ("resp.ri", "responsabile", ["RI"]),
                                ("staff.adr", "staff", ["ADR"]), ("pianif", "pianificazione", ["PROGCONTR"]),
                                ("oiv", "oiv", [])]:
        users.add_user(demo_db_rw, name, role, "CCIAA-LU", offices, f"password-{name}")
    return demo_db_rw


@pytest.fixture
def demo_db_rw(stores):
    from dashboard.core import demo
    from dashboard.files import seed_loader
    con = stores.connection()
    seed_loader.load_seed(con)
    demo.load_demo(con)
    yield con
    con.close()


def test_year_end_needs_an_explanation_for_every_target_not_fully_met(con):
    req = deviations.required(con, "CCIAA-LU", 2020)
    assert set(req["status"]) == {"non_raggiunto", "parzialmente_raggiunto"}
    assert deviations.missing(con, "CCIAA-LU", 2020) == list(req["target"])
    assert len(req) == 9 and req["target"].iloc[0] == "1E.2"  # worst first


def test_an_explanation_is_kept_with_its_history(con):
    staff = users.get_user(con, "staff.ri")
    deviations.explain(con, staff, "2A.2", 2020, 4, "picco di pratiche a dicembre", "due addetti in più da gennaio")
    head = users.get_user(con, "resp.ri")
    deviations.explain(con, head, "2A.2", 2020, 4, "picco di pratiche a dicembre (+30%)", "due addetti in più da gennaio")
    req = deviations.required(con, "CCIAA-LU", 2020).set_index("target")
    assert req.loc["2A.2", "causa"] == "picco di pratiche a dicembre (+30%)"
    assert req.loc["2A.2", "utente"] == "resp.ri"
    assert "2A.2" not in deviations.missing(con, "CCIAA-LU", 2020)
    hist = deviations.history(con, "CCIAA-LU", "2A.2", 2020)
    assert hist["causa"].tolist() == ["picco di pratiche a dicembre (+30%)", "picco di pratiche a dicembre"]
    assert con.execute("SELECT count(*) FROM audit WHERE azione = 'scostamento_spiegato'").fetchone()[0] == 2


def test_only_the_targets_offices_and_planning_explain(con):
    with pytest.raises(NotAllowed, match="ufficio"):
        deviations.explain(con, users.get_user(con, "staff.adr"), "2A.2", 2020, 4, "x", "y")
    with pytest.raises(NotAllowed):
        deviations.explain(con, users.get_user(con, "oiv"), "2A.2", 2020, 4, "x", "y")
    deviations.explain(con, users.get_user(con, "pianif"), "1E.2", 2020, 4, "nessun brevetto depositato", "campagna")
    with pytest.raises(deviations.ExplanationRefused, match="sia la causa"):
        deviations.explain(con, users.get_user(con, "staff.ri"), "2A.2", 2020, 4, "causa", "  ")
    with pytest.raises(deviations.ExplanationRefused, match="non è in vigore"):
        deviations.explain(con, users.get_user(con, "pianif"), "2A.2", 2015, 4, "causa", "azione")
