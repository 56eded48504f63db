"""Every role against every write action, through the functions the pages and the CLI use.
A refusal must leave the database exactly as it was."""
from __future__ import annotations

import pytest

from dashboard.core import approvals, corrections, periods, plan_edit, reviews, users
from dashboard.core.errors import NotAllowed
from dashboard.files import measurement_import
from tests.conftest import TODAY
from tests.test_import import write_csv

ROLES = {"staff.ri": "staff", "staff.adr": "staff", "pianif": "pianificazione", "oiv": "oiv", "segretario": "segretario_generale",
         "resp.ri": "responsabile", "resp.adr": "responsabile"}


def snapshot(con) -> dict:
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    return {
        "misure": q("SELECT * FROM misure ORDER BY id"),
        "verdetti": q("SELECT * FROM verdetti ORDER BY id"),
        "approvazioni": q("SELECT * FROM approvazioni ORDER BY id"),
        "periodi": q("SELECT * FROM periodi ORDER BY quando"),
        "criteri": q("SELECT * FROM criteri ORDER BY target, anno_da, indicatore"),
        "target": q("SELECT codice, anno_da, peso FROM target ORDER BY codice, anno_da"),
        "utenti": q("SELECT username, ruolo FROM utenti ORDER BY username"),
        "audit_scritture": q("SELECT azione, oggetto FROM audit WHERE azione NOT IN ('accesso', 'accesso_fallito') ORDER BY id"),
    }


def do_import(con, tmp_path, actor):
    path = write_csv(tmp_path / "ri.csv", [["RI_FATTURE", "", "", "2020-Q1", "1310", "", "", ""]])
    result = measurement_import.import_file(con, path, actor.username, today=TODAY)
    if not result.ok:
        raise NotAllowed(str(result.problems[0]))


def do_correct(con, tmp_path, actor):
    corrections.correct_value(con, actor.username, "ADR_CS_SERVIZIO", 2020, 1, "verifica", None, "90", "20")


def existing_adr_value(con, tmp_path):
    """A quarterly ADR value to correct, entered by the planning office before the test."""
    path = write_csv(tmp_path / "adr.csv", [["ADR_CS_SERVIZIO", "", "", "2020-Q1", "", "85", "20", ""]])
    assert measurement_import.import_file(con, path, "pianif", today=TODAY).ok


def provisional_ri_value(con, tmp_path):
    """A quarterly RI value entered by its staff, waiting for approval, before the test."""
    path = write_csv(tmp_path / "ri-prov.csv", [["RI_FATTURE", "", "", "2020-Q1", "1310", "", "", ""]])
    assert measurement_import.import_file(con, path, "staff.ri", today=TODAY).ok


def do_approve(con, tmp_path, actor):
    approvals.approve(con, actor, "RI_FATTURE", 2020, 1)


def do_return(con, tmp_path, actor):
    approvals.return_value(con, actor, "RI_FATTURE", 2020, 1, "valore da verificare")


def do_verdict(con, tmp_path, actor):
    reviews.record_verdict(con, actor, "1D.2", 2019, "validato")


def do_close(con, tmp_path, actor):
    periods.close(con, actor, 2020, 1, "fine trimestre")


def do_threshold(con, tmp_path, actor):
    plan_edit.set_threshold(con, actor, "2A.1", 2020, "RI_TEMPO_LAV", 4, "nuovo standard")


def do_weight(con, tmp_path, actor):
    plan_edit.set_weight(con, actor, "2A.1", 2020, 2, "priorità")


def do_user(con, tmp_path, actor):
    users.add_user(con, "nuovo.utente", "oiv", "CCIAA-LU", [], "password-lunga", actor=actor)


# action -> roles that may do it
MATRIX = {
    do_import: {"staff.ri", "pianif"},          # RI's indicator: staff of ADR may not
    do_correct: {"staff.adr", "pianif"},        # ADR's indicator (the seed's 2019 value)
    do_verdict: {"oiv"},
    do_close: {"pianif"},
    do_threshold: {"pianif"},
    do_weight: {"pianif"},
    do_user: {"pianif"},
    do_approve: {"resp.ri", "pianif"},         # RI's value: the head of ADR may not, staff never
    do_return: {"resp.ri", "pianif"},
}
PREPARE = {do_correct: existing_adr_value, do_approve: provisional_ri_value, do_return: provisional_ri_value}


@pytest.mark.parametrize("action", list(MATRIX), ids=lambda f: f.__name__)
@pytest.mark.parametrize("username", list(ROLES))
def test_role_matrix(with_users, tmp_path, action, username):
    con = with_users
    users.add_user(con, "resp.ri", "responsabile", "CCIAA-LU", ["RI"], "password-resp-ri")
    users.add_user(con, "resp.adr", "responsabile", "CCIAA-LU", ["ADR"], "password-resp-adr")
    actor = users.get_user(con, username)
    if action in PREPARE:
        PREPARE[action](con, tmp_path)
    before = snapshot(con)
    if username in MATRIX[action]:
        action(con, tmp_path, actor)
        after = snapshot(con)
        assert after != before
        assert len(after["audit_scritture"]) > len(before["audit_scritture"])  # every write is audited
    else:
        with pytest.raises((NotAllowed, corrections.CorrectionRefused)):
            action(con, tmp_path, actor)
        assert snapshot(con) == before


def test_nobody_can_delete_a_measurement():
    """No code path deletes or rewrites measured values, verdicts, periods or the audit trail."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    code = "\n".join(p.read_text(encoding="utf-8") for d in ("dashboard", "queries", "pages")
                     for p in (root / d).rglob("*") if p.suffix in (".py", ".sql"))
    for table in ("misure", "verdetti", "periodi", "audit", "evidenze"):
        assert not re.search(rf"(DELETE\s+FROM|UPDATE)\s+{table}\b", code, re.I), table
