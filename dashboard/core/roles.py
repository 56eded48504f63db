"""Roles and the write rules, in one place: who may do what.

Every write function calls `require` with the acting user, so the rules hold for the pages, the
command line and any script alike, not just by hiding buttons. The menu's role lists are derived
from RULES (dashboard/web/navigation.py), never repeated.
"""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.core.errors import NotAllowed
from dashboard.core.labels import ROLE_LABELS

ROLES = tuple(ROLE_LABELS)


@dataclass(frozen=True)
class User:
    username: str
    ente: str
    ruolo: str
    uffici: tuple[str, ...]


# action -> (roles allowed, what it is, for messages)
RULES = {
    "inserire_misure": (("staff", "pianificazione"), "inserire o correggere misure"),
    "registrare_verdetti": (("oiv",), "registrare i verdetti di validazione"),
    "modificare_piano": (("pianificazione",), "modificare il piano"),
    "gestire_utenti": (("pianificazione",), "gestire gli utenti"),
    "gestire_periodi": (("pianificazione",), "aprire e chiudere i trimestri"),
    "leggere_registro": (("oiv", "pianificazione", "segretario_generale"), "consultare il registro delle attività"),
    "vedere_valutazione": (("oiv", "pianificazione", "segretario_generale"), "consultare la valutazione OIV"),
    "vedere_inserimento": (("pianificazione", "segretario_generale"), "consultare lo stato dell'inserimento dati"),
}


def allowed(user: User | None, action: str) -> bool:
    return user is not None and user.ruolo in RULES[action][0]


def roles_for(action: str) -> tuple[str, ...]:
    return RULES[action][0]


def require(user: User | None, action: str, ente: str | None = None, ufficio: str | None = None) -> None:
    """Raise NotAllowed (Italian message) unless `user` may do `action` (on `ufficio`'s data, for measurements)."""
    if user is None:
        raise NotAllowed("Accesso richiesto.")
    roles, what = RULES[action]
    if user.ruolo not in roles:
        raise NotAllowed(f"Il ruolo {ROLE_LABELS[user.ruolo]} non può {what}.")
    if ente is not None and user.ente != ente:
        raise NotAllowed(f"L'utente {user.username} non appartiene all'ente {ente}.")
    if action == "inserire_misure" and ufficio is not None and not can_write_indicator(user, ufficio):
        raise NotAllowed(f"L'utente {user.username} non può inserire valori dell'ufficio {ufficio}.")


def writable_offices(user: User, offices: list[str]) -> list[str]:
    """Of the body's offices, those whose values `user` may write (staff: their own; planning: all)."""
    return [o for o in offices if can_write_indicator(user, o)]


def can_write_indicator(user: User, ufficio_indicatore: str) -> bool:
    """Staff write only their own offices' indicators; the planning office writes all; nobody else writes."""
    if user.ruolo == "pianificazione":
        return True
    return user.ruolo == "staff" and ufficio_indicatore in user.uffici
