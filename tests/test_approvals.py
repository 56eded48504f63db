"""Approval by the office head (issue 14): staff values are provisional until approved or returned."""
from __future__ import annotations

import duckdb
import pytest

from dashboard.core import approvals, corrections, db, users
from dashboard.core.errors import NotAllowed
from dashboard.files import measurement_import
from queries import status
from tests.conftest import TODAY
from tests.test_import import write_csv


@pytest.fixture
def con(with_users):
    users.add_user(with_users, "resp.ri", "responsabile", "CCIAA-LU", ["RI"], "password-resp-ri")
    return with_users


def upload(con, tmp_path, username, value="1310", period="2020-Q1"):
    path = write_csv(tmp_path / f"{username}.csv", [["RI_FATTURE", "", "", period, value, "", "", ""]])
    result = measurement_import.import_file(con, path, username, today=TODAY)
    assert result.ok, result.problems


def ri_target_row(con):
    df = status.status(con, 2020, 1, ente="CCIAA-LU")
    rows = df[df["indicatore"] == "RI_FATTURE"]
    assert len(rows) >= 1
    return rows.iloc[0]


def test_seed_and_demo_values_count_as_approved(demo_db):
    assert demo_db.execute("SELECT DISTINCT stato_approvazione FROM misure_stato").fetchall() == [("approvato",)]
    assert not status.status(demo_db, 2020)["provvisorio"].any()


def test_a_provisional_value_never_counts_as_approved(con, tmp_path):
    upload(con, tmp_path, "staff.ri")
    assert approvals.state(con, "CCIAA-LU", "RI_FATTURE", 2020, 1)["stato_approvazione"] == "provvisorio"
    assert approvals.provisional_count(con, "CCIAA-LU", 2020) == 1
    # The figure counts the value as entered, and says it is provisional, up to the body.
    assert bool(ri_target_row(con)["provvisorio"])
    assert bool(status.status(con, 2020, 1, "ente")["provvisorio"].iloc[0])
    pend = approvals.pending(con, users.get_user(con, "resp.ri"), 2020)
    assert pend[["indicatore", "trimestre", "stato_approvazione"]].values.tolist() == [["RI_FATTURE", 1, "provvisorio"]]
    approvals.approve(con, users.get_user(con, "resp.ri"), "RI_FATTURE", 2020, 1)
    assert approvals.state(con, "CCIAA-LU", "RI_FATTURE", 2020, 1)["stato_approvazione"] == "approvato"
    assert not bool(ri_target_row(con)["provvisorio"])
    assert approvals.provisional_count(con, "CCIAA-LU", 2020) == 0


def test_a_returned_value_keeps_its_reason_and_its_correction_waits_again(con, tmp_path):
    upload(con, tmp_path, "staff.ri")
    head = users.get_user(con, "resp.ri")
    approvals.return_value(con, head, "RI_FATTURE", 2020, 1, "manca la fattura di marzo")
    st = approvals.state(con, "CCIAA-LU", "RI_FATTURE", 2020, 1)
    assert (st["stato_approvazione"], st["motivo_decisione"], st["deciso_da"]) == (
        "restituito", "manca la fattura di marzo", "resp.ri")
    with pytest.raises(approvals.ApprovalRefused, match="motivo"):
        approvals.return_value(con, head, "RI_FATTURE", 2020, 1, "  ")
    corrections.correct_value(con, "staff.ri", "RI_FATTURE", 2020, 1, "aggiunta fattura di marzo", "1320")
    st = approvals.state(con, "CCIAA-LU", "RI_FATTURE", 2020, 1)
    assert (st["versione"], st["valore"], st["stato_approvazione"]) == (2, 1320, "provvisorio")
    # Approving an older version (a page opened before the correction) is refused.
    with pytest.raises(approvals.ApprovalRefused, match="non è più in vigore"):
        approvals.approve(con, head, "RI_FATTURE", 2020, 1, versione=1)
    approvals.approve(con, head, "RI_FATTURE", 2020, 1, versione=2)
    assert approvals.pending(con, head, 2020).empty  # the returned version 1 is history now, not pending
    hist = approvals.history(con, "CCIAA-LU", "RI_FATTURE")
    hist = hist[(hist["anno"] == 2020) & (hist["trimestre"] == 1)]
    assert hist[["versione", "esito", "motivo_decisione"]].fillna("").values.tolist() == [
        [1, "restituito", "manca la fattura di marzo"], [2, "approvato", ""]]
    audit = con.execute("SELECT azione, motivo FROM audit WHERE azione LIKE 'misura_%ta' ORDER BY id").fetchall()
    assert ("misura_restituita", "manca la fattura di marzo") in audit and ("misura_approvata", None) in audit


def test_values_of_the_planning_office_do_not_wait(con, tmp_path):
    upload(con, tmp_path, "pianif")
    assert approvals.state(con, "CCIAA-LU", "RI_FATTURE", 2020, 1)["stato_approvazione"] == "approvato"
    with pytest.raises(approvals.ApprovalRefused, match="già approvato"):
        approvals.approve(con, users.get_user(con, "pianif"), "RI_FATTURE", 2020, 1)


def test_a_head_decides_only_for_their_offices(con, tmp_path):
    users.add_user(con, "resp.adr", "responsabile", "CCIAA-LU", ["ADR"], "password-resp-adr")
    upload(con, tmp_path, "staff.ri")
    with pytest.raises(NotAllowed, match="ufficio RI"):
        approvals.approve(con, users.get_user(con, "resp.adr"), "RI_FATTURE", 2020, 1)
    with pytest.raises(NotAllowed):
        approvals.approve(con, users.get_user(con, "staff.ri"), "RI_FATTURE", 2020, 1)
    assert approvals.pending(con, users.get_user(con, "resp.adr"), 2020).empty
    with pytest.raises(users.UserError, match="almeno un ufficio"):
        users.add_user(con, "resp.nessuno", "responsabile", "CCIAA-LU", [], "password-lunga")


@pytest.mark.file_store("an old file's table rebuilt when the file is opened")
def test_a_file_from_before_the_role_gets_it_and_keeps_its_accounts(tmp_path):
    """utenti had a CHECK without 'responsabile': opening the file rebuilds it, every account kept."""
    path = tmp_path / "vecchio.duckdb"
    old = duckdb.connect(str(path))
    old.execute("""CREATE TABLE utenti (username VARCHAR PRIMARY KEY, ente VARCHAR NOT NULL,
        ruolo VARCHAR NOT NULL CHECK (ruolo IN ('segretario_generale', 'oiv', 'staff', 'pianificazione')),
        password_hash VARCHAR, creato_il TIMESTAMP NOT NULL, email VARCHAR)""")
    old.execute("INSERT INTO utenti VALUES ('vecchio', 'CCIAA-LU', 'oiv', 'h', '2020-01-01', 'a@b.it')")
    old.close()
    con = db.connect(path)
    try:
        con.execute("INSERT INTO utenti (username, ente, ruolo, creato_il) VALUES ('capo', 'CCIAA-LU', 'responsabile', now())")
        assert con.execute("SELECT username, ruolo, email FROM utenti ORDER BY 1").fetchall() == [
            ("capo", "responsabile", None), ("vecchio", "oiv", "a@b.it")]
    finally:
        db.close(path)
