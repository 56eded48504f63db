"""The app's pages in one place, so pages can link to each other (st.page_link)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.core import roles

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"

# (file, title, icon, url_path, action in roles.RULES that opens it; None = every logged-in user).
# The page itself checks the same action (roles.require), so the menu and the rule cannot disagree.
PAGES = [
    ("cruscotto.py", "Cruscotto", ":material/dashboard:", "cruscotto", None),
    ("aree.py", "Aree e obiettivi", ":material/account_tree:", "aree", None),
    ("servizi.py", "Servizi", ":material/schedule:", "servizi", None),
    ("budget.py", "Budget", ":material/euro:", "budget", None),
    ("piano.py", "Piano", ":material/list_alt:", "piano", None),
    ("carica.py", "Carica misure", ":material/upload_file:", "carica", "inserire_misure"),
    ("approvazione.py", "Approvazione valori", ":material/verified:", "approvazione", "vedere_approvazioni"),
    ("evidenze.py", "Scostamenti ed evidenze", ":material/attach_file:", "evidenze", None),
    ("valutazione.py", "Valutazione OIV", ":material/fact_check:", "valutazione", "vedere_valutazione"),
    ("chiusura.py", "Chiusura e Relazione", ":material/lock:", "chiusura", "vedere_valutazione"),
    ("inserimento.py", "Inserimento dati", ":material/event_available:", "inserimento", "vedere_inserimento"),
    ("registro.py", "Registro attività", ":material/history:", "registro", "leggere_registro"),
    ("amministrazione.py", "Amministrazione", ":material/settings:", "amministrazione", "gestire_periodi"),
    ("pubblicazione.py", "Pubblicazione", ":material/campaign:", "pubblicazione", "modificare_piano"),
    ("confronto.py", "Confronto tra Camere", ":material/compare_arrows:", "confronto", "confrontare_enti"),
    # Every logged-in user: its own account and password (core/accounts.py).
    ("account.py", "Il mio account", ":material/key:", "account", None),
    # Public: no login needed (the page reads only published figures; see pages/trasparenza.py).
    ("trasparenza.py", "Dati pubblicati", ":material/public:", "trasparenza", None),
]
LOGIN = ("accedi.py", "Accedi", ":material/login:", "accedi", None)


def page(name: str, default: bool | None = None) -> st.Page:
    for file, title, icon, url, _ in PAGES + [LOGIN]:
        if url == name:
            default = (url == "cruscotto") if default is None else default
            return st.Page(str(PAGES_DIR / file), title=title, icon=icon, url_path=url, default=default)
    raise KeyError(name)


def all_pages() -> list[st.Page]:
    return [page(p[3]) for p in PAGES]


def entries_for(role: str | None) -> list[tuple]:
    """What a role sees in the menu. Anonymous sessions get the login page first, plus every page
    (with the menu hidden) so that a shared link asks for login and then opens its own view."""
    if role is None:
        return [LOGIN] + PAGES
    return [p for p in PAGES if p[4] is None or role in roles.roles_for(p[4])]


def pages_for(role: str | None) -> list[st.Page]:
    if role is None:
        return [page("accedi", default=True)] + [page(p[3], default=False) for p in PAGES]
    return [page(p[3]) for p in entries_for(role)]
