"""Reminders and escalation (issue 14) against a real SMTP server on loopback (aiosmtpd)."""
from __future__ import annotations

import email
import email.policy
import json
import socket

import pytest
from aiosmtpd.controller import Controller

from dashboard import cli
from dashboard.core import db, periods, reminders, users


class Sink:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((envelope.rcpt_tos[0], str(msg["Subject"]), msg.get_content().replace("\r\n", "\n")))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch):
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    for k, v in {"KPI_SMTP_HOST": "127.0.0.1", "KPI_SMTP_PORT": str(port), "KPI_SMTP_SECURITY": "none",
                 "KPI_SMTP_FROM": "cruscotto@cciaa.example"}.items():
        monkeypatch.setenv(k, v)
    yield sink
    controller.stop()


@pytest.fixture
def mail_db(db_file):
    """The demo file; 2020 closed; ADR's staff and head and the Segretario have addresses."""
    con = db.connect(db_file)
    planner = users.add_user(con, "pianif", "pianificazione", "CCIAA-LU", ["PROGCONTR"], "password-pc")
    users.add_user(con, "staff.adr", "staff", "CCIAA-LU", ["ADR"], "password-adr", email="adr@cciaa.example")
    users.add_user(con, "resp.adr", "responsabile", "CCIAA-LU", ["ADR"], "password-radr", email="capo.adr@cciaa.example")
    users.add_user(con, "segretario", "segretario_generale", "CCIAA-LU", [], "password-sg", email="sg@cciaa.example")
    for q in (1, 2, 3, 4):
        periods.close(con, planner, 2020, q, "dati completi")
    db.close(db_file)
    return db_file


def run(*args) -> int:
    return cli.main(["--db", str(args[0]), "reminders", "send", *args[1:]])


def outbox(path):
    con = db.connect(path)
    try:
        return reminders.outbox(con, "CCIAA-LU").sort_values("id")[["destinatario", "oggetto", "stato", "tentativi"]].values.tolist()
    finally:
        db.close(path)


def test_reminders_after_the_deadline_then_the_segretario(mail_db, smtp, capsys):
    # 19 April 2021: the I quarter's deadline (20 days after 31 March) has not passed: nothing.
    assert run(mail_db, "--today", "19/04/2021") == 0
    assert smtp.received == [] and outbox(mail_db) == []
    # 25 April: ADR's staff and head get the list of ADR's missing values; offices without an address are named.
    assert run(mail_db, "--today", "25/04/2021") == 0
    subject = "Promemoria: valori mancanti del I trim. 2021 — ufficio ADR"
    assert sorted((to, subj) for to, subj, _ in smtp.received) == [
        ("adr@cciaa.example", subject), ("capo.adr@cciaa.example", subject)]
    body = smtp.received[0][2]
    assert "il termine per inserire i valori del I trim. 2021 era il 20/04/2021" in body
    assert "mancano 3 valori su 3:\n\nADR_CAMPAGNE, ADR_CS_MEDIATORE, ADR_CS_SERVIZIO" in body
    assert "senza indirizzo e-mail: BREVETTI (I trim. 2021)" in capsys.readouterr().out
    assert outbox(mail_db) == [["adr@cciaa.example", subject, "inviato", 1], ["capo.adr@cciaa.example", subject, "inviato", 1]]
    # Run again the same day (cron): nothing new, nothing sent twice.
    assert run(mail_db, "--today", "25/04/2021") == 0
    assert len(smtp.received) == 2
    # 30 April, 10 days after the deadline: the Segretario gets the offices still missing.
    assert run(mail_db, "--today", "30/04/2021") == 0
    assert len(smtp.received) == 3
    to, subj, body = smtp.received[2]
    assert (to, subj) == ("sg@cciaa.example", "Uffici in ritardo con i valori del I trim. 2021")
    assert "- ADR — Arbitrato e conciliazione: 3 su 3 (ADR_CAMPAGNE, ADR_CS_MEDIATORE, ADR_CS_SERVIZIO)" in body
    assert "- PROGCONTR — Programmazione e controllo: 9 su 9" in body
    assert [r[2] for r in outbox(mail_db)] == ["inviato"] * 3
    con = db.connect(mail_db)
    assert con.execute("SELECT count(*) FROM audit WHERE azione = 'promemoria_inviati'").fetchone()[0] == 2
    db.close(mail_db)


def test_dry_run_writes_and_sends_nothing(mail_db, smtp, capsys):
    assert run(mail_db, "--today", "30/04/2021", "--dry-run", "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert sorted(m["destinatario"] for m in report["nuovi"]) == [
        "adr@cciaa.example", "capo.adr@cciaa.example", "sg@cciaa.example"]
    assert report["da_inviare"] == 3
    assert smtp.received == [] and outbox(mail_db) == []


def test_server_down_exit_3_and_the_messages_wait(mail_db, monkeypatch, capsys):
    monkeypatch.setenv("KPI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KPI_SMTP_PORT", str(free_port()))  # nobody listens there
    monkeypatch.setenv("KPI_SMTP_SECURITY", "none")
    assert run(mail_db, "--today", "25/04/2021") == 3
    assert "non raggiungibile" in capsys.readouterr().err
    assert [r[2:] for r in outbox(mail_db)] == [["errore", 1], ["errore", 1]]


def test_no_smtp_configured_is_refused(mail_db, monkeypatch, capsys):
    monkeypatch.delenv("KPI_SMTP_HOST", raising=False)
    assert run(mail_db, "--today", "25/04/2021") == 1
    assert "KPI_SMTP_HOST" in capsys.readouterr().err
