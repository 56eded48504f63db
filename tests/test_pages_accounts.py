"""AppTest of the account pages' parts: Il mio account (the own password change keeps this tab's session and ends
the others) and Amministrazione → Utenti (disable, enable, a new password; a disabled user's open tab is
logged out at its next click)."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import audit, auth, db, sessions, users
from dashboard.web import session
from tests.test_pages import APP


@pytest.fixture
def con(db_file):
    con = db.connect(db_file)
    users.add_user(con, "staff.ri", "staff", "CCIAA-LU", ["RI"], "password-ri")
    users.add_user(con, "pianif", "pianificazione", "CCIAA-LU", ["PROGCONTR"], "password-pc")
    return con


def logged_in(con, username: str, page: str | None = None) -> tuple[AppTest, int]:
    """A tab logged in as `username` with a live session (as after the login form), on `page`."""
    opened = sessions.begin(con, username, "CCIAA-LU")
    sessions.redeem(con, opened.code)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["_utente"] = users.get_user(con, username)
    at.session_state["_sessione"] = opened.id
    at.run()
    if page:
        at.switch_page(f"../../pages/{page}.py").run()
    assert not at.exception, at.exception
    return at, opened.id


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def change(at: AppTest, current: str, new: str, repeated: str) -> AppTest:
    at.text_input(key="pw_attuale").input(current)
    at.text_input(key="pw_nuova").input(new)
    at.text_input(key="pw_ripeti").input(repeated)
    return click(at, "Cambia la password")


def test_il_mio_account_changes_the_password_and_keeps_this_tab(con):
    at, here = logged_in(con, "staff.ri", "account")
    other, elsewhere = logged_in(con, "staff.ri")
    assert [t.value for t in at.title] == ["Il mio account"]
    # The name in bold, not "\\*\\*staff.ri\\*\\*" (the markup escaped with the name, shown as asterisks).
    assert at.markdown[0].value.startswith("**staff.ri** — Personale d'ufficio"), at.markdown[0].value
    change(at, "sbagliata", "nuova-password-1", "nuova-password-1")
    assert at.error[0].value == auth.WRONG_CURRENT
    change(at, "password-ri", "nuova-password-1", "nuova-password-2")
    assert "non coincidono" in at.error[0].value
    assert users.verify_password(con, "staff.ri", "password-ri")

    change(at, "password-ri", "nuova-password-1", "nuova-password-1")
    assert at.success[0].value.startswith("Password cambiata.")
    assert at.text_input(key="pw_attuale").value == ""  # the form empties
    assert users.verify_password(con, "staff.ri", "nuova-password-1")
    assert sessions.touch(con, here) and not sessions.touch(con, elsewhere)
    other.run()  # the other browser's next click: logged out
    assert other.text_input[0].label == "Nome utente" and other.info[0].value == session.ENDED
    assert list(audit.search(con, azione="password_cambiata")["utente"]) == ["staff.ri"]


def test_amministrazione_disables_enables_and_resets(con):
    staff_tab, _ = logged_in(con, "staff.ri")
    at, _ = logged_in(con, "pianif", "amministrazione")
    tab = at.tabs[1]
    assert set(tab.dataframe[0].value["Stato"]) == {"Attivo"}
    assert next(s for s in tab.selectbox if s.label == "Ruolo").value == "staff"  # a new account: the narrowest role
    assert [h.value for h in tab.subheader] == ["Enti di un utente", "Password e disattivazione"]
    assert "pianif" in tab.selectbox(key="account_gestito").options
    tab.selectbox(key="account_gestito").select("staff.ri").run()
    click(at, "Disattiva l'account")  # without a reason
    assert "Indicare il motivo" in at.error[0].value and users.is_active(con, "staff.ri")
    at.text_input(key="account_motivo").input("trasferito")
    click(at, "Disattiva l'account")
    assert at.success[0].value == "Account staff.ri disattivato: le sue sessioni sono state chiuse."
    assert not users.is_active(con, "staff.ri")
    table = at.tabs[1].dataframe[0].value.set_index("Utente")
    # The state beside the name (last, after the long office names, it was cut to «Disattivat…» at 1280 px).
    assert list(table.columns[:2]) == ["Ruolo", "Stato"]
    assert table.loc["staff.ri", "Stato"].startswith("Disattivato dal ") and table.loc["pianif", "Stato"] == "Attivo"
    history = at.tabs[1].dataframe[1].value
    assert list(history[["Stato", "Da", "Motivo"]].iloc[0]) == ["Disattivato", "pianif", "trasferito"]

    staff_tab.run()  # the disabled user's open tab, at its next click
    assert staff_tab.text_input[0].label == "Nome utente" and staff_tab.info[0].value == session.ENDED

    at.text_input(key="account_motivo").input("rientrato")
    click(at, "Riattiva l'account")
    assert at.success[0].value == "Account staff.ri riattivato." and users.is_active(con, "staff.ri")

    at.text_input(key="account_pw").input("nuova-password-9")
    at.text_input(key="account_pw2").input("nuova-password-9")
    at.text_input(key="account_pw_motivo").input("password dimenticata")
    click(at, "Imposta la nuova password")
    assert at.success[0].value.startswith("Nuova password impostata per staff.ri")
    assert users.verify_password(con, "staff.ri", "nuova-password-9")
    assert list(audit.search(con, utente="pianif")["azione"])[:3] == [
        "password_reimpostata", "utente_riattivato", "utente_disattivato"]


def test_pianif_cannot_disable_itself_from_the_page(con):
    at, _ = logged_in(con, "pianif", "amministrazione")
    at.tabs[1].selectbox(key="account_gestito").select("pianif").run()
    at.text_input(key="account_motivo").input("prova")
    click(at, "Disattiva l'account")
    assert at.error[0].value == "Non è possibile disattivare il proprio account." and users.is_active(con, "pianif")


def test_behind_a_proxys_header_a_disabled_account_is_logged_out_too(con, monkeypatch):
    import streamlit

    from dashboard.core import accounts
    monkeypatch.setenv("KPI_AUTH", "header")
    monkeypatch.setattr(type(streamlit.context), "headers", property(lambda self: {"X-Remote-User": "staff.ri"}))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert at.sidebar.button[0].label == "Esci"
    accounts.disable(con, "staff.ri", "trasferito")
    at.run()  # the open tab, at its next click
    assert not at.sidebar.button and at.info[0].value == session.ENDED
    again = AppTest.from_file(str(APP), default_timeout=60).run()  # a new tab: the header no longer opens it
    assert not again.exception and not again.sidebar.button
