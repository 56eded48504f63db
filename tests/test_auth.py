import datetime as dt

import pytest

from dashboard.core import audit, auth

NOW = dt.datetime(2026, 11, 24, 9, 0)


def test_login_and_audit(with_users):
    user = auth.login(with_users, "staff.ri", "password-ri", NOW)
    assert (user.username, user.ruolo, user.uffici) == ("staff.ri", "staff", ("RI",))
    log = audit.search(with_users, azione="accesso")
    assert list(log["utente"]) == ["staff.ri"]


def test_wrong_password_and_unknown_user_say_the_same(with_users):
    with pytest.raises(auth.LoginError, match="nome utente o password non validi"):
        auth.login(with_users, "staff.ri", "sbagliata", NOW)
    with pytest.raises(auth.LoginError, match="nome utente o password non validi"):
        auth.login(with_users, "nessuno", "sbagliata", NOW)
    failures = audit.search(with_users, azione="accesso_fallito")
    assert set(failures["motivo"]) == {"password errata (1° tentativo da questa origine)", "utente sconosciuto"}


def _refusal(con, name, password, when=NOW, source="10.0.0.9"):
    with pytest.raises(auth.LoginError) as exc:
        auth.login(con, name, password, when, source=source)
    return str(exc.value)


def test_lock_out_after_repeated_failures(with_users):
    answers = {_refusal(with_users, "oiv", f"tentativo-{i}") for i in range(auth.MAX_FAILURES)}
    # Locked: even the right password is refused until the lock expires, with the same answer as ever.
    answers.add(_refusal(with_users, "oiv", "password-oiv", NOW + dt.timedelta(minutes=5)))
    answers.add(_refusal(with_users, "nessuno", "x"))
    assert answers == {auth.REFUSED}
    user = auth.login(with_users, "oiv", "password-oiv", NOW + dt.timedelta(minutes=auth.LOCK_MINUTES + 1), source="10.0.0.9")
    assert user.ruolo == "oiv"
    locks = audit.search(with_users, azione="account_bloccato")
    assert len(locks) == 1 and '"origine": "10.0.0.9"' in locks["dopo"].iloc[0]
    # A success resets the counter.
    _refusal(with_users, "oiv", "sbagliata", NOW + dt.timedelta(minutes=30))
    assert auth.login(with_users, "oiv", "password-oiv", NOW + dt.timedelta(minutes=31), source="10.0.0.9")


def test_unknown_locked_and_wrong_cost_one_argon2_verification_each(with_users, monkeypatch):
    """A locked account answered in 2 ms against 165 ms: every answer now runs the same verification."""
    from dashboard.core import users
    calls, real = [], users._hasher

    class Counting:
        def verify(self, h, p):
            calls.append(h)
            return real.verify(h, p)

        def hash(self, p):
            return real.hash(p)

    monkeypatch.setattr(users, "_hasher", Counting())
    for _ in range(auth.MAX_FAILURES):
        _refusal(with_users, "segretario", "sbagliata")
    calls.clear()
    for name, password in [("segretario", "password-sg"), ("nessuno", "x"), ("oiv", "sbagliata"), ("", "")]:
        _refusal(with_users, name, password)  # locked, unknown, wrong, empty
    assert len(calls) == 4
    assert calls.count(users._dummy_hash()) == 3  # the locked account is verified against the dummy too


def test_one_source_cannot_lock_the_segretario_out_from_elsewhere(with_users):
    for _ in range(auth.MAX_FAILURES * 3):
        _refusal(with_users, "segretario", "indovino", source="203.0.113.66")
    _refusal(with_users, "segretario", "password-sg", source="203.0.113.66")  # locked from there
    user = auth.login(with_users, "segretario", "password-sg", NOW, source="10.1.2.3")  # not from the office
    assert user.ruolo == "segretario_generale"


def test_a_source_trying_many_names_is_stopped(with_users):
    for i in range(auth.MAX_SOURCE_FAILURES):
        _refusal(with_users, f"nome{i}", "x", source="198.51.100.7")
    assert len(audit.search(with_users, azione="origine_bloccata")) == 1
    _refusal(with_users, "staff.ri", "password-ri", source="198.51.100.7")  # even a right password, from there
    assert auth.login(with_users, "staff.ri", "password-ri", NOW, source="10.1.2.3")
    # Refusals during a lock are neither counted nor audited again: the trail does not grow without bound.
    before = len(audit.search(with_users))
    for _ in range(50):
        _refusal(with_users, "chiunque", "x", source="198.51.100.7")
    assert len(audit.search(with_users)) == before


def test_a_typed_unknown_name_is_stored_bounded(with_users):
    _refusal(with_users, "x" * 100_000 + "\x00", "y")
    row = audit.search(with_users, azione="accesso_fallito").iloc[0]
    assert len(row["utente"]) == auth.MAX_NAME and len(row["oggetto"]) == auth.MAX_NAME
    assert row["utente"].endswith("…")


def test_platform_login_is_audited(with_users):
    from dashboard.core import users
    auth.platform_login(with_users, users.get_user(with_users, "oiv"), "intestazione del proxy", "10.0.0.1", NOW)
    row = audit.search(with_users, azione="accesso").iloc[0]
    assert row["utente"] == "oiv" and "intestazione del proxy" in row["dopo"] and "10.0.0.1" in row["dopo"]


def test_idle_session_expires():
    assert not auth.expired(None, NOW)
    assert not auth.expired(NOW - dt.timedelta(minutes=auth.IDLE_MINUTES - 1), NOW)
    assert auth.expired(NOW - dt.timedelta(minutes=auth.IDLE_MINUTES + 1), NOW)
