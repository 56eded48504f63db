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
    with pytest.raises(auth.LoginError, match="Nome utente o password non validi"):
        auth.login(with_users, "staff.ri", "sbagliata", NOW)
    with pytest.raises(auth.LoginError, match="Nome utente o password non validi"):
        auth.login(with_users, "nessuno", "sbagliata", NOW)
    failures = audit.search(with_users, azione="accesso_fallito")
    assert set(failures["motivo"]) == {"password errata (1° tentativo)", "utente sconosciuto"}


def test_lock_out_after_repeated_failures(with_users):
    for i in range(auth.MAX_FAILURES - 1):
        with pytest.raises(auth.LoginError, match="non validi"):
            auth.login(with_users, "oiv", f"tentativo-{i}", NOW)
    with pytest.raises(auth.LoginError, match="Account bloccato .* dopo le 09:15"):
        auth.login(with_users, "oiv", "ultimo", NOW)
    # Locked: even the right password is refused until the lock expires.
    with pytest.raises(auth.LoginError, match="Account bloccato"):
        auth.login(with_users, "oiv", "password-oiv", NOW + dt.timedelta(minutes=5))
    user = auth.login(with_users, "oiv", "password-oiv", NOW + dt.timedelta(minutes=auth.LOCK_MINUTES + 1))
    assert user.ruolo == "oiv"
    assert len(audit.search(with_users, azione="account_bloccato")) == 1
    # A success resets the counter.
    with pytest.raises(auth.LoginError, match="non validi"):
        auth.login(with_users, "oiv", "sbagliata", NOW + dt.timedelta(minutes=30))


def test_idle_session_expires():
    assert not auth.expired(None, NOW)
    assert not auth.expired(NOW - dt.timedelta(minutes=auth.IDLE_MINUTES - 1), NOW)
    assert auth.expired(NOW - dt.timedelta(minutes=auth.IDLE_MINUTES + 1), NOW)
