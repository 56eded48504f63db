"""Issue 16, access by body: a user of Lucca gets nothing of another body through any read or write path
(refused, or filtered, never leaked), a national user reads exactly the bodies assigned to it and writes
nothing, a successor reads its predecessors read-only, and each body has its own data deadline.

One database file for the module: Lucca (seed and demo) and a second body, ALTRO, loaded through the plan
import from Lucca's plan with its code changed, with a corrected value, an evidence file and audit rows of
its own (each marked «segreto» or 987654, so a leak is visible in any output)."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import (
    approvals,
    audit,
    auth,
    body_access,
    corrections,
    db,
    demo,
    deviations,
    evidence,
    itp_rules,
    measurements,
    periods,
    plan_edit,
    publication,
    reviews,
    users,
    year_freeze,
)
from dashboard.core.errors import NotAllowed, Refused
from dashboard.core.roles import User
from dashboard.files import (
    evaluation_export,
    evidence_store,
    measurement_import,
    plan_versions,
    records_import,
    seed_loader,
    templates,
)

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "web" / "app.py"
LU, ALTRO = "CCIAA-LU", "ALTRO"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET_VALUE = 987654.0
LU_USERS = [("pianif", "pianificazione", ["PROGCONTR"]), ("staff.ri", "staff", ["RI"]), ("oiv", "oiv", []),
            ("segretario", "segretario_generale", []), ("resp.ri", "responsabile", ["RI"])]


def _other_plan(tmp: Path) -> Path:
    """Lucca's plan CSVs with the body's code and name changed: a second body with the same indicators."""
    out = tmp / "altro"
    out.mkdir()
    for f in (ROOT / "data" / "lucca").glob("*.csv"):
        if f.name in ("misure_seed.csv", "evidenze.csv", "segnalazioni_documento.csv"):
            continue
        text = f.read_text(encoding="utf-8").replace(LU, ALTRO)
        if f.name == "enti.csv":
            text = text.replace("Camera di Commercio di Lucca", "Ente di prova").replace("CCIAA Lucca", "Prova")
        (out / f.name).write_text(text, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def db_path(tmp_path_factory, module_stores):
    tmp = tmp_path_factory.mktemp("enti")
    path = module_stores.address()
    con = db.connect(path)
    seed_loader.load_seed(con)
    demo.load_demo(con)
    for name, role, offices in LU_USERS:
        users.add_user(con, name, role, LU, offices, f"password-{name}")
    plan_versions.import_version(con, User("init", "", "pianificazione", ()), _other_plan(tmp),
                                 atto="Delibera n. 1 del 10/01/2020", adopt=True)
    users.add_user(con, "pianif.altro", "pianificazione", ALTRO, ["PROGCONTR"], "password-altro")
    users.add_user(con, "nazionale", "nazionale", LU, [], "password-naz", enti=[ALTRO])
    # ALTRO's values: Lucca's demo values copied (direct insert), then one corrected as ALTRO's planner.
    con.execute("INSERT INTO misure BY NAME SELECT * EXCLUDE (id) REPLACE ('ALTRO' AS ente) FROM misure "
                "WHERE ente = 'CCIAA-LU'")
    corrections.correct_value(con, "pianif.altro", "RI_FATTURE", 2020, 1, "motivo segreto", valore=SECRET_VALUE,
                              today=dt.date(2021, 6, 1))
    altro = users.get_user(con, "pianif.altro")
    evidence_store.attach(con, altro, "2A.2", 2020, 1, "segreto-altro.pdf", PDF, "documento segreto")
    audit.record(con, "pianif.altro", "piano_modificato", "segreto", ente=ALTRO, motivo="segreto")
    db.close(path)
    return path


@pytest.fixture
def con(db_path, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(db_path))
    c = db.connect(db_path)
    yield c
    db.close(db_path)


def altro_rows(con) -> dict:
    """How much of ALTRO's data exists: no attempt from Lucca may change it."""
    return {t: con.execute(f"SELECT count(*) FROM {t} WHERE ente = 'ALTRO'").fetchone()[0]
            for t in ("misure", "audit", "evidenze_file", "periodi", "verdetti", "spiegazioni", "piano_versioni",
                      "approvazioni", "pubblicazioni", "regole_itp", "promemoria_config")}


def test_bodies_of_each_user(con):
    pianif, naz = users.get_user(con, "pianif"), users.get_user(con, "nazionale")
    assert body_access.readable_bodies(con, pianif) == [LU] == body_access.writable_bodies(con, pianif)
    assert body_access.readable_bodies(con, naz) == [ALTRO, LU]
    assert body_access.writable_bodies(con, naz) == []
    # Accounts created before this issue belong to their own body (the migration's invariant).
    assert body_access.member_bodies(con, "staff.ri") == [LU]


@pytest.mark.parametrize("name", [u[0] for u in LU_USERS])
def test_a_lucca_user_cannot_act_in_the_other_body(con, name):
    user = users.get_user(con, name)
    for write in (False, True):
        with pytest.raises(NotAllowed) as exc:
            body_access.as_body(con, user, ALTRO, write=write)
        assert "non può" in str(exc.value) and ALTRO in str(exc.value)
    # The same words for a body that does not exist: the refusal says nothing of what exists.
    with pytest.raises(NotAllowed) as missing:
        body_access.as_body(con, user, "NESSUNO")
    assert str(missing.value).replace("NESSUNO", ALTRO) == str(exc.value)


def test_every_write_path_refuses_a_lucca_user_on_the_other_body(con, tmp_path):
    before = altro_rows(con)
    pianif, oiv, staff = (users.get_user(con, n) for n in ("pianif", "oiv", "staff.ri"))
    forged = User("pianif", ALTRO, "pianificazione", ("PROGCONTR",))  # acting in ALTRO: only as_body makes one
    ev_id = con.execute("SELECT max(id) FROM evidenze_file WHERE ente = 'ALTRO'").fetchone()[0]
    refused = {
        "correzione": lambda: corrections.correct_value(con, users.acting(con, "pianif", ALTRO), "RI_FATTURE",
                                                       2020, 1, "x", valore=1),
        "importazione": lambda: measurement_import.import_file(con, tmp_path / "x.csv",
                                                               users.acting(con, "staff.ri", ALTRO)),
        "record": lambda: records_import.import_records(con, "pratiche", tmp_path / "x.csv",
                                                        users.acting(con, "staff.ri", ALTRO)),
        "pubblicazione": lambda: publication.publish(con, pianif, ALTRO, "itp", 2020, 1, None),
        "regola ITP": lambda: itp_rules.set_reading(con, pianif, ALTRO, "fine_piu_termine"),
        "adozione": lambda: plan_versions.adopt(con, pianif, ALTRO, 1, "Delibera n. 2 del 01/02/2020"),
        "rollover": lambda: plan_versions.rollover(con, pianif, ALTRO, 2021),
        "piano": lambda: plan_versions.import_version(con, pianif, _other_plan(tmp_path), atto="x"),
        "utente": lambda: users.add_user(con, "intruso", "staff", ALTRO, ["RI"], "password-x", actor=pianif),
        "enti dell'utente": lambda: body_access.set_bodies(con, "pianif", [ALTRO], actor=pianif),
        # An evidence id of the other body is "inexistent" for Lucca, as an id that exists nowhere.
        "ritiro evidenza": lambda: evidence.withdraw(con, pianif, ev_id, "motivo"),
        # A User forged for ALTRO is checked again wherever a name or a User is taken as the actor.
        "correzione (forgiata)": lambda: corrections.correct_value(con, users.acting(con, forged), "RI_FATTURE",
                                                                  2020, 1, "x", valore=1),
    }
    for what, attempt in refused.items():
        with pytest.raises(Refused) as exc:
            attempt()
        assert "segreto" not in str(exc.value), what
    with pytest.raises(Refused) as exc:
        evidence.withdraw(con, pianif, 10 ** 9, "motivo")
    assert str(exc.value) == f"Evidenza n. {10 ** 9} inesistente."
    # Writes acting in Lucca touch Lucca only, though the codes are the same in both bodies (some may be
    # refused for Lucca's own reasons: what matters is that none reaches the other body).
    for write in (lambda: periods.close(con, pianif, 2020, 1), lambda: periods.reopen(con, pianif, 2020, 1, "prova"),
                  lambda: approvals.approve(con, pianif, "RI_FATTURE", 2020, 1),
                  lambda: deviations.explain(con, pianif, "2A.2", 2020, 4, "causa", "azione"),
                  lambda: reviews.record_verdict(con, oiv, "2A.2", 2020, "validato", "ok"),
                  lambda: plan_edit.set_weight(con, pianif, "2A.2", 2020, 2.0, "prova"),
                  lambda: year_freeze.close_year(con, staff, 2020)):
        with suppress(Refused):
            write()
    periods.set_deadline_days(con, pianif, 25)
    assert altro_rows(con) == before
    assert periods.deadline_days(con, ALTRO) == 20 and periods.deadline_days(con, LU) == 25


def test_reads_of_lucca_show_nothing_of_the_other_body(con):
    pianif = users.get_user(con, "pianif")
    with pytest.raises(NotAllowed):
        plan_versions.versions_for(con, pianif, ALTRO)
    ev_id = con.execute("SELECT max(id) FROM evidenze_file WHERE ente = 'ALTRO'").fetchone()[0]
    with pytest.raises(Refused) as exc:
        evidence.content(con, LU, ev_id)
    assert str(exc.value) == f"Evidenza n. {ev_id} inesistente."
    assert "segreto-altro.pdf" not in set(evidence.in_force(con, LU, 2020)["nome_file"])
    assert "pianif.altro" not in audit.users(con, LU)
    assert "segreto" not in audit.search(con, LU, limite=100000).to_string()
    assert SECRET_VALUE not in [v["valore"] for v in measurements.history(con, LU, "RI_FATTURE")]
    assert SECRET_VALUE in [v["valore"] for v in measurements.history(con, ALTRO, "RI_FATTURE")]  # it exists
    assert "segreto" not in evaluation_export.evaluation(con, LU, 2020).to_string()
    assert list(users.list_users(con, LU)["username"]) == sorted(["nazionale", *(u[0] for u in LU_USERS)])


def test_audit_rows_of_no_body_only_for_who_administers_accounts(con):
    """A failed login under an unknown name has no body: Lucca's planning office (which administers accounts)
    reads it, Lucca's Segretario and OIV do not; a login of the other body's account is in that body's trail only."""
    with suppress(auth.LoginError):
        auth.login(con, "sconosciuto.segreto", "password-errata", source="10.0.0.9")
    auth.login(con, "pianif.altro", "password-altro", source="10.0.0.8")
    pianif, segretario, oiv = (users.get_user(con, n) for n in ("pianif", "segretario", "oiv"))
    assert "sconosciuto.segreto" in set(audit.trail(con, pianif)["utente"])
    assert "sconosciuto.segreto" in audit.users(con, LU, audit.sees_unattributed(pianif))
    for reader in (segretario, oiv):
        assert not audit.sees_unattributed(reader)
        shown = audit.trail(con, reader)
        assert "sconosciuto.segreto" not in set(shown["utente"]) and "pianif.altro" not in set(shown["utente"])
        assert shown["ente"].eq(LU).all()
        assert "sconosciuto.segreto" not in audit.users(con, LU, audit.sees_unattributed(reader))
    # The national account reading a body (read-only) administers none of its accounts.
    assert not audit.sees_unattributed(body_access.as_body(con, users.get_user(con, "nazionale"), ALTRO))
    with pytest.raises(NotAllowed):
        audit.trail(con, users.get_user(con, "staff.ri"))
    # The page: Lucca's Segretario reads neither the unknown name nor the other body's login.
    at = open_page(segretario, "registro")
    table = at.dataframe[0].value
    assert len(table) and "sconosciuto.segreto" not in set(table["Utente"]) and "pianif.altro" not in set(table["Utente"])
    assert "sconosciuto.segreto" in set(open_page(pianif, "registro").dataframe[0].value["Utente"])


def test_the_national_user_reads_its_bodies_and_writes_nothing(con):
    naz = users.get_user(con, "nazionale")
    for ente in (LU, ALTRO):
        acting = body_access.as_body(con, naz, ente)
        assert acting.sola_lettura and acting.ente == ente
        with pytest.raises(NotAllowed):
            body_access.as_body(con, naz, ente, write=True)
        for attempt in (lambda: periods.set_deadline_days(con, acting, 10),
                        lambda: publication.publish(con, acting, ente, "itp", 2020, 1, None),
                        lambda: corrections.correct_value(con, acting, "RI_FATTURE", 2020, 1, "x", valore=1)):
            with pytest.raises(NotAllowed):
                attempt()
        approvals.pending(con, acting, 2020)  # reading is allowed
    with pytest.raises(NotAllowed):
        body_access.as_body(con, naz, "CCIAA-PI")


def test_a_successor_reads_its_predecessors_read_only(stores):
    con = stores.connection()
    users_ = [("pianif.tno", "pianificazione", "TNO"), ("pianif.lu", "pianificazione", LU)]
    for name, role, ente in users_:
        con.execute("INSERT INTO utenti (username, ente, ruolo, creato_il) VALUES (?, ?, ?, now())", [name, ente, role])
        con.execute("INSERT INTO utenti_enti VALUES (?, ?)", [name, ente])
    con.execute("INSERT INTO successioni VALUES ('TNO', 'CCIAA-LU', DATE '2022-06-30', 'DM'), "
                "('TNO', 'CCIAA-PI', DATE '2022-06-30', 'DM')")
    tno, lu = users.get_user(con, "pianif.tno"), users.get_user(con, "pianif.lu")
    assert body_access.readable_bodies(con, tno) == [LU, "CCIAA-PI", "TNO"]
    assert body_access.writable_bodies(con, tno) == ["TNO"]
    reading = body_access.as_body(con, tno, LU)
    assert reading.sola_lettura
    with pytest.raises(NotAllowed, match="sola lettura"):
        periods.set_deadline_days(con, reading, 5)
    # The predecessor does not read its successor.
    assert body_access.readable_bodies(con, lu) == [LU]


def cli(db_path, *args):
    return subprocess.run([sys.executable, "-m", "dashboard.cli", "--db", str(db_path), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_cli_refuses_a_body_the_user_does_not_belong_to(db_path, tmp_path):
    db.close(db_path)
    con = db.connect(db_path)
    rows = templates.template_rows(con, LU, "RI", 2020, 1)
    templates.write_template(rows, tmp_path / "ri.csv")
    db.close(db_path)
    shutil.copy(tmp_path / "ri.csv", tmp_path / "ri2.csv")
    r = cli(db_path, "--ente", ALTRO, "import", str(tmp_path / "ri.csv"), "--user", "staff.ri")
    assert r.returncode == 1 and r.stderr.strip() == f"L'utente staff.ri non può consultare i dati dell'ente «{ALTRO}»."
    r = cli(db_path, "--ente", ALTRO, "export", "--year", "2020", "--out", str(tmp_path / "v.csv"), "--user", "oiv")
    assert r.returncode == 1 and "non può consultare i dati dell'ente" in r.stderr and not (tmp_path / "v.csv").exists()
    r = cli(db_path, "--ente", ALTRO, "import", str(tmp_path / "ri2.csv"), "--user", "nazionale")
    assert r.returncode == 1 and "non può modificare" in r.stderr
    r = cli(db_path, "status", "--year", "2020", "--level", "ente", "--format", "json", "--user", "pianif")
    assert r.returncode == 0 and [row["ente"] for row in json.loads(r.stdout)["rows"]] == [LU]
    r = cli(db_path, "user", "bodies", "nazionale", "--format", "json")
    assert r.returncode == 0 and json.loads(r.stdout)["readable"] == [ALTRO, LU]


def test_cli_plan_offices_and_reminders_as_a_user(db_path, capsys):
    """`plan`, `offices` and `reminders send` take --user as the other commands do: the plan and the offices of
    the bodies that user reads; the reminders only as the planning office of a body it writes."""
    from dashboard import cli as cli_main

    def run(*args):
        code = cli_main.main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    db.close(db_path)
    code, out, _ = run("plan", "--format", "json")
    assert code == 0 and [e["code"] for e in json.loads(out)["enti"]] == [ALTRO, LU]  # no --user: the whole file
    code, out, _ = run("plan", "--format", "json", "--user", "pianif")
    assert code == 0 and [e["code"] for e in json.loads(out)["enti"]] == [LU] and "segreto" not in out
    code, out, _ = run("plan", "--user", "nazionale")
    assert code == 0 and [e["code"] for e in json.loads(out)["enti"]] == [ALTRO, LU]
    code, out, err = run("--ente", ALTRO, "plan", "--user", "pianif")
    assert code == 1 and out == "" and err.strip() == f"L'utente pianif non può consultare i dati dell'ente «{ALTRO}»."
    code, out, _ = run("offices", "--user", "staff.ri")
    assert code == 0 and {o["ente"] for o in json.loads(out)} == {LU}
    code, out, _ = run("--ente", ALTRO, "offices", "--user", "nazionale")
    assert code == 0 and {o["ente"] for o in json.loads(out)} == {ALTRO}
    code, out, err = run("--ente", ALTRO, "offices", "--user", "staff.ri")
    assert code == 1 and out == "" and "non può consultare i dati dell'ente" in err
    for who, refusal in (("pianif", "non può consultare"), ("nazionale", "non può modificare")):
        code, out, err = run("--ente", ALTRO, "reminders", "send", "--dry-run", "--user", who)
        assert code == 1 and out == "" and refusal in err, (who, err)
    code, out, err = run("reminders", "send", "--dry-run", "--user", "segretario")
    assert code == 1 and err.strip() == "Il ruolo Segretario Generale non può inviare i promemoria e i solleciti."
    code, out, err = run("reminders", "send", "--dry-run", "--format", "json", "--user", "pianif")
    assert code == 0 and "nuovi" in json.loads(out), err
    db.close(db_path)


def open_page(user: User, page: str, **params) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["_utente"] = user
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"../../pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_the_body_picker_lists_only_the_users_bodies(con):
    pianif, naz = users.get_user(con, "pianif"), users.get_user(con, "nazionale")
    at = open_page(pianif, "cruscotto")
    assert "Ente" not in [s.label for s in at.sidebar.selectbox]  # one body: no picker
    at = open_page(naz, "cruscotto")
    picker = next(s for s in at.sidebar.selectbox if s.label == "Ente")
    assert picker.options == [f"{ALTRO} — Ente di prova",
                              f"{LU} — Camera di Commercio di Lucca"]
    # Another body asked by the address: the Italian refusal, and nothing of that body on the page.
    for page in ("registro", "evidenze", "cruscotto"):
        at = open_page(pianif, page, ente=ALTRO)
        assert [e.value for e in at.error] == [f"L'utente pianif non può consultare i dati dell'ente «{ALTRO}»."]
        assert not at.dataframe and not at.metric


@pytest.mark.file_store("an old file's missing table made when the file is opened")
def test_older_files_give_every_account_its_own_body():
    # A file from before utenti_enti: the accounts exist, their bodies do not; opening it fills them in.
    con = db.memory()
    con.execute("INSERT INTO utenti (username, ente, ruolo, creato_il) VALUES ('vecchio', 'CCIAA-LU', 'oiv', now())")
    con.execute("DROP TABLE utenti_enti")
    db.ensure_schema(con)
    assert body_access.member_bodies(con, "vecchio") == [LU]
    assert body_access.writable_bodies(con, users.get_user(con, "vecchio")) == [LU]
