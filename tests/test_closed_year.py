"""A validated year cannot change under the OIV (issue 12, point 11): the plan that judges a closed quarter
is changed only after reopening it with a reason, and a verdict given on earlier figures says so."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.core import demo, periods, plan_edit, reviews, users
from dashboard.core.errors import Refused
from dashboard.files import plan_versions
from dashboard.files import plan_workbook as pw


@pytest.fixture
def year_closed(with_users):
    demo.load_demo(with_users)
    pianif, oiv = users.get_user(with_users, "pianif"), users.get_user(with_users, "oiv")
    reviews.record_verdict(with_users, oiv, "2A.1", 2020, "validato")
    for q in (1, 2, 3, 4):
        periods.close(with_users, pianif, 2020, q)
    return with_users, pianif


def _row(con, target):
    return reviews.evaluation_frame(reviews.table(con, "CCIAA-LU", 2020)).set_index("Target").loc[target]


def test_threshold_and_weight_of_a_closed_year_refused(year_closed):
    con, pianif = year_closed
    before = _row(con, "2A.1")
    assert before["Verdetto OIV"] == "Validato"
    with pytest.raises(Refused, match=r"trimestri chiusi \(I trim. 2020, II trim. 2020, III trim. 2020, IV trim. 2020\)"):
        plan_edit.set_threshold(con, pianif, "2A.1", 2020, "RI_TEMPO_LAV", 1, "revisione")
    with pytest.raises(Refused, match="riaprirli prima"):
        plan_edit.set_weight(con, pianif, "2A.1", 2020, 3, "revisione")
    after = _row(con, "2A.1")
    assert (after["Grado (%)"], after["Verdetto OIV"]) == (before["Grado (%)"], "Validato")
    # 2018's targets are in no closed quarter: their plan may still be edited.
    plan_edit.set_weight(con, pianif, "2A.1", 2018, 2, "peso rivisto")


def test_after_reopening_the_verdict_shows_it_was_given_on_earlier_figures(year_closed):
    con, pianif = year_closed
    grado_allora = _row(con, "2A.1")["Grado (%)"]
    for q in (1, 2, 3, 4):
        periods.reopen(con, pianif, 2020, q, "revisione della soglia di 2A.1 deliberata dalla Giunta")
    plan_edit.set_threshold(con, pianif, "2A.1", 2020, "RI_TEMPO_LAV", 1, "soglia ridotta a 1 giorno")
    row = _row(con, "2A.1")
    assert row["Grado (%)"] < grado_allora
    assert row["Verdetto OIV"] == (f"Validato — dato su cifre precedenti (grado {grado_allora:.1f} allora, "
                                   f"{row['Grado (%)']:.1f} ora)").replace(".", ",")


def test_a_revision_may_not_come_into_force_inside_a_closed_quarter(year_closed):
    con, pianif = year_closed
    revision = pw.current_tables(con, "CCIAA-LU")
    with pytest.raises(Refused, match="giudicherebbe di nuovo trimestri chiusi"):
        plan_versions.import_version(con, pianif, revision, atto="Delibera di Giunta n. 62 del 25/06/2020", adopt=True)
    assert [v["versione"] for v in plan_versions.versions(con, "CCIAA-LU")] == [1]  # refused whole
    done = plan_versions.import_version(con, pianif, revision, atto="Delibera di Giunta n. 3 del 20/01/2021",
                                        adopt=True)
    assert done.stato == "adottato"
    assert periods.quarter_end(2020, 4) == dt.date(2020, 12, 31) and periods.quarter_end(2021, 2) == dt.date(2021, 6, 30)


def test_oiv_page_shows_the_thresholds_in_force_and_the_grado_each_verdict_was_given_on(db_file, tmp_path):
    from dashboard.core import db
    from dashboard.core.roles import User
    from tests.test_pages import open_page
    from tests.test_pages_plan import PIANIFICAZIONE
    con = db.connect(db_file)
    oiv = User("oiv", "CCIAA-LU", "oiv", ())
    reviews.record_verdict(con, oiv, "2A.1", 2020, "validato")
    tables = pw.current_tables(con, "CCIAA-LU")
    for c in tables["criteri"]:
        if (c["target"], c["anno_da"]) == ("2A.1", 2020):
            c["soglia"] = 1
    plan_versions.import_version(con, PIANIFICAZIONE, tables, atto="Delibera di Giunta n. 62 del 25/06/2020", adopt=True)
    at = open_page("valutazione", user=oiv, anno="2020")
    next(s for s in at.selectbox if s.label == "Target").set_value("2A.1").run()
    # The dossier's "Soglie nel piano" caption, as read (markdown escapes such as "\<" undone).
    shown = "\n".join(c.value for c in at.main.caption).replace("\\", "")
    assert "dal 25/06/2020: < 1 giorni — versione 2, Delibera di Giunta n. 62 del 25/06/2020" in shown
    verdicts = next(d.value for d in at.dataframe if "Verdetto" in d.value.columns and "Su grado" in d.value.columns)
    assert list(verdicts["Verdetto"]) == ["Validato"] and verdicts["Su grado"].iloc[0] != "–"
