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
    # True when acting in a body the user may only read (the national role; a successor's predecessors):
    # set by body_access.as_body, refused by `require` on every write.
    sola_lettura: bool = False


# action -> (roles allowed, what it is, for messages)
RULES = {
    "inserire_misure": (("staff", "pianificazione"), "inserire o correggere misure"),
    "registrare_verdetti": (("oiv",), "registrare i verdetti di validazione"),
    "modificare_piano": (("pianificazione",), "modificare il piano"),
    "gestire_utenti": (("pianificazione",), "gestire gli utenti"),
    "gestire_periodi": (("pianificazione",), "aprire e chiudere i trimestri"),
    "leggere_registro": (("oiv", "pianificazione", "segretario_generale", "nazionale"),
                         "consultare il registro delle attività"),
    "vedere_valutazione": (("oiv", "pianificazione", "segretario_generale", "nazionale"),
                           "consultare la valutazione OIV"),
    "vedere_inserimento": (("pianificazione", "segretario_generale", "nazionale"),
                           "consultare lo stato dell'inserimento dati"),
    # The chain the OIV validates (issue 14): approval, explanations, evidence, the year's freeze, reminders.
    "approvare_misure": (("responsabile", "pianificazione"), "approvare o restituire i valori inseriti"),
    "vedere_approvazioni": (("staff", "responsabile", "pianificazione", "oiv", "segretario_generale", "nazionale"),
                            "consultare lo stato di approvazione dei valori"),
    "spiegare_scostamenti": (("staff", "responsabile", "pianificazione"), "spiegare gli scostamenti dei target"),
    "allegare_evidenze": (("staff", "responsabile", "pianificazione"), "allegare o ritirare evidenze"),
    "chiudere_anno": (("pianificazione",), "chiudere l'anno per la validazione"),
    # Issue 16: the comparison between chambers (the national role joins at the merge of bodies-access).
    "confrontare_enti": (("nazionale", "oiv", "pianificazione", "segretario_generale"), "confrontare le Camere"),
    # `reminders send --user NAME`: the body's planning office composes and sends its reminders (cron without
    # --user holds the file and acts as "cli").
    "inviare_promemoria": (("pianificazione",), "inviare i promemoria e i solleciti"),
}

# The actions that only read: allowed in a body the user may only read; every other action writes.
READ_ACTIONS = frozenset({"leggere_registro", "vedere_valutazione", "vedere_inserimento", "vedere_approvazioni",
                          "confrontare_enti"})

# Actions on an office's data: a role other than the planning office's acts only on its own offices.
_OFFICE_ACTIONS = {"inserire_misure", "approvare_misure", "spiegare_scostamenti", "allegare_evidenze"}


def allowed(user: User | None, action: str) -> bool:
    return (user is not None and user.ruolo in RULES[action][0]
            and not (user.sola_lettura and action not in READ_ACTIONS))


def roles_for(action: str) -> tuple[str, ...]:
    return RULES[action][0]


def require(user: User | None, action: str, ente: str | None = None, ufficio: str | None = None) -> None:
    """Raise NotAllowed (Italian message) unless `user` may do `action` (on `ufficio`'s data, for measurements)."""
    if user is None:
        raise NotAllowed("Accesso richiesto.")
    roles, what = RULES[action]
    if user.ruolo not in roles:
        raise NotAllowed(f"Il ruolo {ROLE_LABELS[user.ruolo]} non può {what}.")
    if user.sola_lettura and action not in READ_ACTIONS:
        raise NotAllowed(f"L'utente {user.username} consulta l'ente {user.ente} in sola lettura: non può {what}.")
    if ente is not None and user.ente != ente:
        raise NotAllowed(f"L'utente {user.username} non appartiene all'ente {ente}.")
    if action == "inserire_misure" and ufficio is not None and not can_write_indicator(user, ufficio):
        raise NotAllowed(f"L'utente {user.username} non può inserire valori dell'ufficio {ufficio}.")
    if action in _OFFICE_ACTIONS - {"inserire_misure"} and ufficio is not None and not acts_for_office(user, ufficio):
        raise NotAllowed(f"L'utente {user.username} non può {what} dell'ufficio {ufficio}.")


def acts_for_office(user: User, ufficio) -> bool:
    """The planning office acts for every office; staff and office heads for theirs (`ufficio` may be one
    office or several: a target judged on indicators of more than one office)."""
    if user.ruolo == "pianificazione":
        return True
    offices = {ufficio} if isinstance(ufficio, str) else set(ufficio)
    return user.ruolo in ("staff", "responsabile") and bool(offices & set(user.uffici))


def writable_offices(user: User, offices: list[str]) -> list[str]:
    """Of the body's offices, those whose values `user` may write (staff: their own; planning: all)."""
    return [o for o in offices if can_write_indicator(user, o)]


def can_write_indicator(user: User, ufficio_indicatore: str) -> bool:
    """Staff write only their own offices' indicators; the planning office writes all; nobody else writes."""
    if user.ruolo == "pianificazione":
        return True
    return user.ruolo == "staff" and ufficio_indicatore in user.uffici
