"""Issue 12.10 in the app (AppTest): a login opens a session the page hands to the browser, Esci ends it, and a
new Streamlit session (a reload) with the cookie is logged in as the account says today — or not at all."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from dashboard.core import audit, db, sessions, users
from dashboard.web import session, session_cookie

APP = Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py"


@pytest.fixture
def app_db(db_file):
    con = db.connect(db_file)
    users.add_user(con, "resp.ri", "responsabile", "CCIAA-LU", ["RI"], "password-resp")
    return con


def scripts(at) -> str:
    """The HTML elements' bodies (the hand-over and clear scripts among them)."""
    return " ".join(node.proto.body for node in at.get("html"))


def with_cookie(monkeypatch, value: str | None) -> AppTest:
    """A new Streamlit session of a browser that sends the session cookie (what a reload is)."""
    cookies = {session_cookie.COOKIE: value} if value else {}
    monkeypatch.setattr(type(streamlit.context), "cookies", property(lambda self: cookies))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_login_hands_over_a_code_and_esci_ends_the_session(app_db, monkeypatch):
    monkeypatch.setattr(session, "HAND_OVER_WAIT", 0.3)  # no browser here takes the code: do not wait for one
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.text_input[0].input("resp.ri")
    at.text_input[1].input("password-resp")
    at.button[0].click().run()
    assert not at.exception, at.exception
    session_id, code = at.session_state["_sessione"], at.session_state["_codice_sessione"]
    row = app_db.execute("SELECT username, hash_codice, revocata FROM sessioni WHERE id = ?", [session_id]).fetchone()
    assert row == ("resp.ri", sessions.digest(code), None)
    assert session_cookie.hand_over_script(code) in scripts(at)  # the page offers the code to the browser

    at.sidebar.button[0].click().run()  # Esci
    assert at.text_input[0].label == "Nome utente"
    revoked, reason = app_db.execute("SELECT revocata, motivo_revoca FROM sessioni WHERE id = ?", [session_id]).fetchone()
    assert revoked is not None and reason == "uscita"
    assert session_cookie.clear_script() in scripts(at)  # and asks the server to clear the cookie
    assert sessions.redeem(app_db, code) is None  # a code not yet exchanged is worth nothing after Esci
    assert list(audit.search(app_db, azione="uscita")["utente"]) == ["resp.ri"]


def test_a_new_session_with_the_cookie_is_logged_in_as_the_database_says(app_db, monkeypatch):
    opened = sessions.begin(app_db, "resp.ri", "CCIAA-LU")
    token = sessions.redeem(app_db, opened.code)
    at = with_cookie(monkeypatch, token)
    assert at.sidebar.button[0].label == "Esci"
    assert "resp.ri — Responsabile" in at.sidebar.caption[0].value and "(RI)" in at.sidebar.caption[0].value
    assert at.session_state["_sessione"] == opened.id
    assert session_cookie.COOKIE not in scripts(at) and token not in scripts(at)  # never written in the page

    sessions.revoke(app_db, opened.id, "uscita")  # Esci in another tab: this one is logged out at its next click
    at.run()
    assert at.text_input[0].label == "Nome utente" and "terminata" in at.info[0].value


def test_a_forged_or_missing_cookie_shows_the_login_form(app_db, monkeypatch):
    for cookie in ["falso", "A" * 43, None]:
        at = with_cookie(monkeypatch, cookie)
        assert at.text_input[0].label == "Nome utente"
        assert not at.sidebar.button
        assert (session_cookie.clear_script() in scripts(at)) == (cookie is not None)  # a dead cookie is cleared
