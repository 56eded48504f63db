"""The app's pages in one place, so pages can link to each other (st.page_link)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"

# (file, title, icon, url_path)
PAGES = [
    ("cruscotto.py", "Cruscotto", ":material/dashboard:", "cruscotto"),
    ("aree.py", "Aree e obiettivi", ":material/account_tree:", "aree"),
    ("servizi.py", "Servizi", ":material/schedule:", "servizi"),
    ("budget.py", "Budget", ":material/euro:", "budget"),
    ("piano.py", "Piano", ":material/list_alt:", "piano"),
]


def page(name: str) -> st.Page:
    for file, title, icon, url in PAGES:
        if url == name:
            return st.Page(str(PAGES_DIR / file), title=title, icon=icon, url_path=url, default=(url == "cruscotto"))
    raise KeyError(name)


def all_pages() -> list[st.Page]:
    return [page(url) for *_, url in PAGES]
