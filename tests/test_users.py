import pytest

from dashboard.core import roles, users


def test_passwords_are_argon2_hashes(seeded):
    users.add_user(seeded, "mario.rossi", "oiv", "CCIAA-LU", [], "segreta-123")
    stored = seeded.execute("SELECT password_hash FROM utenti WHERE username = 'mario.rossi'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "segreta-123" not in stored
    assert users.verify_password(seeded, "mario.rossi", "segreta-123")
    assert not users.verify_password(seeded, "mario.rossi", "sbagliata")
    assert not users.verify_password(seeded, "nessuno", "segreta-123")


def test_write_rules(seeded):
    staff = users.add_user(seeded, "staff.ri", "staff", "CCIAA-LU", ["RI"], "password-1")
    pianif = users.add_user(seeded, "pianif", "pianificazione", "CCIAA-LU", [], "password-2")
    oiv = users.add_user(seeded, "oiv", "oiv", "CCIAA-LU", [], "password-3")
    assert roles.can_write_indicator(staff, "RI") and not roles.can_write_indicator(staff, "ADR")
    assert roles.can_write_indicator(pianif, "ADR")
    assert not roles.can_write_indicator(oiv, "RI")


@pytest.mark.parametrize("args, message", [
    (("Mario Rossi", "oiv", []), "Nome utente non valido"),
    (("mario", "capo", []), "Ruolo «capo» sconosciuto"),
    (("mario", "staff", ["NOPE"]), "Ufficio «NOPE» sconosciuto"),
])
def test_refusals(seeded, args, message):
    with pytest.raises(users.UserError, match=message):
        users.add_user(seeded, args[0], args[1], "CCIAA-LU", args[2], "password-lunga")
