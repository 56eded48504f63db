"""Changing one's own password, and the planning office resetting a password or disabling an account
(core/accounts.py): each ends the account's sessions, is audited, and is refused to whoever may not do it.
Runs on PostgreSQL too (scripts/test_postgres.sh)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard.core import accounts, audit, auth, db, sessions, users
from dashboard.core.errors import Refused

NOW = dt.datetime(2026, 11, 24, 9, 0)
SOURCE = "10.0.0.7"


def at(minutes: float) -> dt.datetime:
    return NOW + dt.timedelta(minutes=minutes)


def open_session(con, username: str, when=NOW) -> tuple[int, str]:
    opened = sessions.begin(con, username, "CCIAA-LU", when)
    return opened.id, sessions.redeem(con, opened.code, when)


def test_own_change_keeps_this_session_ends_the_others_and_is_audited(with_users):
    con = with_users
    here, token_here = open_session(con, "staff.ri")
    _, token_elsewhere = open_session(con, "staff.ri")
    _, token_other_user = open_session(con, "oiv")
    staff = users.get_user(con, "staff.ri")
    assert accounts.change_password(con, staff, "password-ri", "nuova-segreta-1", "nuova-segreta-1",
                                    session_id=here, source=SOURCE, now=at(1)) == 1
    assert sessions.resume(con, token_here, at(2)) is not None  # the tab that changed it stays logged in
    assert sessions.resume(con, token_elsewhere, at(2)) is None  # another browser is logged out
    assert sessions.resume(con, token_other_user, at(2)) is not None  # nobody else's session is touched
    stored = con.execute("SELECT password_hash FROM utenti WHERE username = 'staff.ri'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "nuova-segreta-1" not in stored
    assert auth.login(con, "staff.ri", "nuova-segreta-1", at(3), source=SOURCE).username == "staff.ri"
    with pytest.raises(auth.LoginError):
        auth.login(con, "staff.ri", "password-ri", at(3), source=SOURCE)
    row = audit.search(con, azione="password_cambiata").iloc[0]
    assert (row["utente"], row["oggetto"], row["ente"]) == ("staff.ri", "staff.ri", "CCIAA-LU")
    assert '"sessioni_chiuse": 1' in row["dopo"] and "nuova-segreta" not in str(audit.search(con).to_dict())


@pytest.mark.parametrize("current, new, repeated, message", [
    ("password-ri", "corta", "corta", "almeno 8 caratteri"),
    ("password-ri", "nuova-segreta-1", "nuova-segreta-2", "non coincidono"),
    ("password-ri", "password-ri", "password-ri", "diversa da quella attuale"),
    ("sbagliata", "nuova-segreta-1", "nuova-segreta-1", "password attuale non è corretta"),
])
def test_own_change_refusals_change_nothing(with_users, current, new, repeated, message):
    con = with_users
    _, token = open_session(con, "staff.ri")
    with pytest.raises(Refused, match=message):
        accounts.change_password(con, users.get_user(con, "staff.ri"), current, new, repeated, source=SOURCE, now=at(1))
    assert users.verify_password(con, "staff.ri", "password-ri")
    assert sessions.resume(con, token, at(2)) is not None
    assert audit.search(con, azione="password_cambiata").empty


def test_a_wrong_current_password_counts_as_a_failed_login_and_locks(with_users):
    con = with_users
    staff = users.get_user(con, "staff.ri")
    answers = []
    for i in range(auth.MAX_FAILURES):
        with pytest.raises(auth.LoginError) as exc:
            accounts.change_password(con, staff, f"tentativo-{i}", "nuova-segreta-1", "nuova-segreta-1",
                                     source=SOURCE, now=at(i))
        answers.append(str(exc.value))
    assert answers[-1] == auth.LOCKED_CURRENT and set(answers[:-1]) == {auth.WRONG_CURRENT}
    failures = audit.search(con, azione="accesso_fallito")
    assert len(failures) == auth.MAX_FAILURES and failures["motivo"].str.contains("cambio password").all()
    assert len(audit.search(con, azione="account_bloccato")) == 1
    # Locked from that source, as after five failed logins: even the right password, here and at the login.
    with pytest.raises(auth.LoginError, match="Troppi tentativi"):
        accounts.change_password(con, staff, "password-ri", "nuova-segreta-1", "nuova-segreta-1",
                                 source=SOURCE, now=at(6))
    with pytest.raises(auth.LoginError):
        auth.login(con, "staff.ri", "password-ri", at(6), source=SOURCE)
    assert auth.login(con, "staff.ri", "password-ri", at(6), source="10.9.9.9")  # not from elsewhere
    assert users.verify_password(con, "staff.ri", "password-ri")


def test_disable_ends_every_session_refuses_login_and_enable_restores_it(with_users):
    con = with_users
    pianif = users.get_user(con, "pianif")
    _, token = open_session(con, "staff.adr")
    assert auth.login(con, "staff.adr", "password-adr", NOW, source=SOURCE)
    assert accounts.disable(con, "staff.adr", "trasferito ad altro ente", actor=pianif, now=at(1)) == 1
    assert sessions.resume(con, token, at(2)) is None  # an open tab is logged out at its next click
    with pytest.raises(auth.LoginError) as exc:  # the right password: the login page's one answer, nothing more
        auth.login(con, "staff.adr", "password-adr", at(2), source=SOURCE)
    assert str(exc.value) == auth.REFUSED
    assert audit.search(con, azione="accesso_fallito")["motivo"].iloc[0].startswith("account disattivato")
    assert list(users.list_users(con, "CCIAA-LU").set_index("username")["disattivato_il"].dropna().index) == ["staff.adr"]
    with pytest.raises(Refused, match="già disattivato"):
        accounts.disable(con, "staff.adr", "di nuovo", actor=pianif, now=at(3))

    accounts.enable(con, "staff.adr", "rientrato", actor=pianif, now=at(4))
    assert auth.login(con, "staff.adr", "password-adr", at(5), source="10.1.1.1").username == "staff.adr"
    # Nothing deleted: each change with who, when and why, in its table and in the audit trail.
    kept = accounts.history(con, "staff.adr")
    assert list(zip(kept["attivo"], kept["da"], kept["motivo"])) == [
        (True, "pianif", "rientrato"), (False, "pianif", "trasferito ad altro ente")]
    trail = audit.search(con, utente="pianif")
    assert list(trail["azione"])[:2] == ["utente_riattivato", "utente_disattivato"]
    assert list(trail["motivo"])[:2] == ["rientrato", "trasferito ad altro ente"]


def test_reset_sets_a_new_password_and_ends_every_session(with_users):
    con = with_users
    _, token = open_session(con, "oiv")
    assert accounts.reset_password(con, "oiv", "nuova-oiv-2026", "password dimenticata",
                                   actor=users.get_user(con, "pianif"), now=at(1)) == 1
    assert sessions.resume(con, token, at(2)) is None
    assert auth.login(con, "oiv", "nuova-oiv-2026", at(2), source=SOURCE).ruolo == "oiv"
    row = audit.search(con, azione="password_reimpostata").iloc[0]
    assert (row["utente"], row["oggetto"], row["motivo"]) == ("pianif", "oiv", "password dimenticata")
    with pytest.raises(Refused, match="almeno 8"):
        accounts.reset_password(con, "oiv", "corta", "prova", now=at(3))


def test_who_may_administer_accounts(with_users):
    con = with_users
    pianif = users.get_user(con, "pianif")
    users.add_user(con, "pianif.pi", "pianificazione", "CCIAA-PI", [], "password-pi")  # another body's account
    for role_user in ("staff.ri", "oiv", "segretario"):
        with pytest.raises(Refused, match="non può gestire gli utenti"):
            accounts.disable(con, "staff.adr", "prova", actor=users.get_user(con, role_user), now=at(1))
        with pytest.raises(Refused, match="non può gestire gli utenti"):
            accounts.reset_password(con, "staff.adr", "nuova-password", "prova", actor=users.get_user(con, role_user))
    for name in ("pianif.pi", "nessuno"):  # outside the admin's bodies reads as no account at all
        with pytest.raises(Refused, match=f"Utente «{name}» sconosciuto"):
            accounts.disable(con, name, "prova", actor=pianif, now=at(1))
    with pytest.raises(Refused, match="proprio account"):
        accounts.disable(con, "pianif", "prova", actor=pianif, now=at(1))
    with pytest.raises(Refused, match="Il mio account"):
        accounts.reset_password(con, "pianif", "nuova-password", "prova", actor=pianif)
    with pytest.raises(Refused, match="motivo"):
        accounts.disable(con, "staff.adr", "  ", actor=pianif, now=at(1))
    assert "pianif.pi" not in accounts.administrable(con, pianif) and "staff.adr" in accounts.administrable(con, pianif)
    assert users.is_active(con, "staff.adr") and users.is_active(con, "pianif.pi")
    assert audit.search(con, azione="utente_disattivato").empty
    # From the command line without --user, whoever holds the database file (as `user add`): any account.
    accounts.disable(con, "pianif.pi", "dalla riga di comando", now=at(2))
    assert not users.is_active(con, "pianif.pi")
    assert audit.search(con, azione="utente_disattivato")["utente"].iloc[0] == "cli"


def test_cli_passwd_disable_enable(db_file):
    from tests.test_cli import cli
    con = db.connect(db_file)
    for name, role, offices, password in [("pianif", "pianificazione", [], "password-pc"),
                                          ("staff.ri", "staff", ["RI"], "password-ri"),
                                          ("oiv", "oiv", [], "password-oiv")]:
        users.add_user(con, name, role, "CCIAA-LU", offices, password)
    _, token = open_session(con, "staff.ri", dt.datetime.now())
    db.close(db_file)

    refused = cli(db_file, "user", "disable", "staff.ri", "--reason", "prova", "--user", "oiv")
    assert refused.returncode == 1 and "non può gestire gli utenti" in refused.stderr
    itself = cli(db_file, "user", "disable", "pianif", "--reason", "prova", "--user", "pianif")
    assert itself.returncode == 1 and "proprio account" in itself.stderr
    assert cli(db_file, "user", "disable", "staff.ri", "--user", "pianif").returncode == 2  # --reason required
    done = cli(db_file, "user", "disable", "staff.ri", "--reason", "trasferito", "--user", "pianif", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"user": "staff.ri", "active": False, "sessions_ended": 1}
    reset = cli(db_file, "user", "passwd", "staff.ri", "--password-stdin", "--reason", "dimenticata",
                stdin="nuova-password-7\n")
    assert reset.returncode == 0 and "Nuova password impostata per staff.ri" in reset.stdout, reset.stderr
    enabled = cli(db_file, "user", "enable", "staff.ri", "--reason", "rientrato", "--user", "pianif")
    assert enabled.returncode == 0 and enabled.stdout.strip() == "Account staff.ri riattivato.", enabled.stderr

    con = db.connect(db_file)
    assert sessions.resume(con, token) is None
    assert auth.login(con, "staff.ri", "nuova-password-7", source=SOURCE).username == "staff.ri"
    trail = audit.search(con, utente=None)
    rows = trail[trail["oggetto"] == "staff.ri"].set_index("azione")
    assert rows.loc["utente_disattivato", "utente"] == "pianif" and rows.loc["password_reimpostata", "utente"] == "cli"
    assert rows.loc["utente_riattivato", "motivo"] == "rientrato"
