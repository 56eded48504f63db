"""The year's freeze (issue 14): closed only when complete; the snapshot never moves with later corrections."""
from __future__ import annotations

import pytest

from dashboard.core import corrections, deviations, users, year_freeze
from dashboard.core.errors import NotAllowed
from dashboard.files import evidence_store
from tests.test_deviations import demo_db_rw, demo_users  # noqa: F401  (fixtures)
from tests.test_evidence import PDF


@pytest.fixture
def con(demo_users):  # noqa: F811
    return demo_users


def explain_all(con, anno=2020):
    planner = users.get_user(con, "pianif")
    for t in deviations.missing(con, "CCIAA-LU", anno):
        deviations.explain(con, planner, t, anno, 4, f"causa di {t}", f"azione per {t}")


def test_the_year_cannot_close_with_a_missing_explanation(con):
    planner = users.get_user(con, "pianif")
    with pytest.raises(year_freeze.FreezeRefused, match="manca la spiegazione .* per 9 target: 1E.2, 3C.2"):
        year_freeze.close_year(con, planner, 2020)
    assert con.execute("SELECT count(*) FROM congelamenti").fetchone()[0] == 0
    explain_all(con)
    assert year_freeze.blockers(con, "CCIAA-LU", 2020) == []


def test_the_year_cannot_close_with_a_provisional_value(con):
    explain_all(con)
    corrections.correct_value(con, "staff.ri", "RI_FATTURE", 2020, 4, "fatture di dicembre", "1400")
    with pytest.raises(year_freeze.FreezeRefused, match="1 valori del 2020 non ancora approvati"):
        year_freeze.close_year(con, users.get_user(con, "pianif"), 2020)


def test_only_planning_closes(con):
    explain_all(con)
    for name in ("staff.ri", "resp.ri", "oiv"):
        with pytest.raises(NotAllowed):
            year_freeze.close_year(con, users.get_user(con, name), 2020)


def test_the_snapshot_is_unchanged_by_later_corrections(con):
    explain_all(con)
    evidence_store.attach(con, users.get_user(con, "staff.ri"), "2A.2", 2020, 4, "report.pdf", PDF, "report sulla gestione")
    year_freeze.close_year(con, users.get_user(con, "pianif"), 2020, "chiusura per la Relazione")
    before = year_freeze.frozen_targets(con, "CCIAA-LU", 2020)
    row = before.set_index("target").loc["2A.2"]
    assert (row["causa"], row["evidenze"]) == ("causa di 2A.2", "report.pdf (report sulla gestione)")
    assert not year_freeze.compare(con, "CCIAA-LU", 2020)["modificato"].any()
    # After the freeze: a correction (with its reason), a new explanation, a new evidence file.
    corrections.correct_value(con, "pianif", "RI_FATTURE", 2020, 4, "rettifica dopo la validazione", "900")
    deviations.explain(con, users.get_user(con, "pianif"), "2A.2", 2020, 4, "causa nuova", "azione nuova")
    evidence_store.attach(con, users.get_user(con, "staff.ri"), "2A.2", 2020, 4, "altro.pdf", PDF + b" ", "altro")
    after = year_freeze.frozen_targets(con, "CCIAA-LU", 2020)
    assert after.drop(columns=["verdetto", "commento", "verdetto_da", "verdetto_il"]).equals(
        before.drop(columns=["verdetto", "commento", "verdetto_da", "verdetto_il"]))
    cmp = year_freeze.compare(con, "CCIAA-LU", 2020).set_index("target")
    changed = cmp[cmp["modificato"]]
    assert list(changed.index) == ["2A.3"]  # the target RI_FATTURE judges
    row = changed.loc["2A.3"]
    assert row["correzioni"] == "RI_FATTURE 2020-Q4 v2: rettifica dopo la validazione (pianif)"
    assert row["valore_congelato"] != row["valore_attuale"]
    levels = year_freeze.frozen_levels(con, "CCIAA-LU", 2020)
    assert set(levels["livello"]) == {"obiettivo", "area", "ente"}
