"""Shared UI pieces: status in words and symbols, the ente and period pickers bound to the
address bar, demo banner, and the chart-plus-table block with downloads.

Everything a page shows is addressable: the pickers read and write st.query_params,
so a link sent by e-mail opens the same view.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import partial

import pandas as pd
import streamlit as st

from dashboard.core import body_access, db, formats
from dashboard.core.errors import NotAllowed
from dashboard.core.labels import STATUS_LABELS, STATUS_SYMBOLS
from dashboard.files import exports
from dashboard.web import cached
from dashboard.web.charts import STATUS_COLOURS

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$&{}])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))", re.MULTILINE)


def plain(text) -> str:
    """`text` (a URL parameter, a file name, plan or user text) made inert for Streamlit's markdown:
    every character that could open a link, an image, HTML, emphasis, a formula or a heading is
    backslash-escaped, and so is a list or quote marker at the start of a line. Use it wherever such
    text goes into st.error/info/warning/success/write/markdown/caption/title/subheader.
    Parentheses and "!" stay as typed: with "[" and "]" escaped no link or image can open."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    return _LINE_START.sub(lambda m: m.group(1) + (m.group(2) if m.group(2)[0].isdigit() else "\\" + m.group(2))
                           + ("\\" if m.group(2)[0].isdigit() else ""), escaped)


# The file uploader's own text is Streamlit's English ("Drag and drop", "Limit 200MB per file"); the app's
# CSS (app.py) replaces it, and this help says the same in Italian for screen readers.
UPLOAD_HELP = "Trascinare qui il file o sceglierlo con «Sfoglia»; al massimo 200 MB."

# How the tables of an import (preview, receipt) fit a 1280-pixel screen: the name wraps, the rest is narrow.
CHANGES_COLUMNS = {
    "Indicatore": st.column_config.TextColumn("Indicatore", width="large"),
    "Codice": st.column_config.TextColumn("Codice", width=160),
    "Anno": st.column_config.NumberColumn(width=55, format="%d"), "Trimestre": st.column_config.TextColumn(width=75),
    "Valore del trimestre": st.column_config.TextColumn("Del trimestre", width=100),
    "Dimostrativo": st.column_config.TextColumn("Demo", width=55), "Inserito da": st.column_config.TextColumn(width=95),
    "Il": st.column_config.TextColumn(width=125), "Versione": st.column_config.NumberColumn(width=65, format="%d"),
}


# Streamlit writes its file uploader in English ("Upload", "200MB per file • XLSX, CSV") and offers no
# parameter for it: this CSS hides those words and writes Italian ones in their place (the label above the
# uploader already names the file types). It also lets metrics wrap instead of cutting words.
_ITALIAN_CHROME = """<style>
[data-testid="stFileUploaderDropzone"] button p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button p::after { content: "Sfoglia"; font-size: 0.875rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "Trascinare qui il file o sceglierlo con «Sfoglia» (al massimo 200 MB)"; font-size: 0.875rem; }
/* A metric wraps rather than cutting "◐ Parzialmente raggiunto" to "◐ Parzialmente ra…". */
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *,
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: break-word; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p { font-size: 1.75rem; line-height: 1.25; }
</style>"""


def italian_chrome() -> None:
    """The CSS above, once per run (it takes no space on the page)."""
    st.html(_ITALIAN_CHROME)


# The values behind a target's chart: the long heading wraps instead of widening the table.
TARGET_VALUES_COLUMNS = {
    "Progressivo dall'inizio dell'anno (nel grafico)": st.column_config.TextColumn("Progressivo (nel grafico)",
                                                                                    width=140, help="Il valore dall'inizio dell'anno al trimestre: quello del grafico"),
    "Versione": st.column_config.NumberColumn("Versione", width="small", format="%d"),
}


PROJECT_COLUMNS = {
    "Progetto": st.column_config.TextColumn(width="small"), "Obiettivo": st.column_config.TextColumn(width="small"),
    "Titolo": st.column_config.TextColumn(width="large"), "Ufficio": st.column_config.TextColumn(width="medium"),
    "CdC": st.column_config.TextColumn(width="medium"),
}


def office_label(code: str, names: dict[str, str]) -> str:
    """'PROGCONTR' -> 'Programmazione e controllo (PROGCONTR)': the name people know, the code for the files."""
    return f"{names[code]} ({code})" if names.get(code) else code


def account_state(disabled_since) -> str:
    """The Utenti table's Stato: 'Attivo', or 'Disattivato dal 27/11/2026 10:15' (core/accounts.py)."""
    if disabled_since is None or pd.isna(disabled_since):
        return "Attivo"
    return f"Disattivato dal {formats.fmt_datetime(disabled_since)}"


def offices_text(codes, names: dict[str, str]) -> str:
    """'RI, ADR' (as stored) -> 'Registro Imprese (RI), Arbitrato e conciliazione (ADR)'; '' for none."""
    if codes is None or (isinstance(codes, float) and pd.isna(codes)):
        return ""
    items = codes.split(",") if isinstance(codes, str) else list(codes)
    return ", ".join(office_label(c.strip(), names) for c in items if c.strip())


def indicator_label(code: str, names: dict[str, str], limit: int = 110) -> str:
    """An indicator as people read it: its name (cut at a word, not mid-word), then its code."""
    name = names.get(code)
    return f"{formats.shorten(name, limit)} ({code})" if name else code


def status_styled(df: pd.DataFrame, statuses, column: str = "Stato"):
    """The table with its status cells tinted by the SMVP band (the charts' Okabe-Ito colours, light), so a
    95 % grado reads as "raggiunto" green, never as red; the word and symbol stay for print and colour-blind eyes."""
    tints = [f"background-color: {STATUS_COLOURS[s]}33" for s in statuses]
    return df.style.apply(lambda _: tints, subset=[column], axis=0)


def status_text(status: str) -> str:
    return f"{STATUS_SYMBOLS[status]} {STATUS_LABELS[status]}"


def period_options(latest: tuple[int, int] | None, first_year: int = 2018) -> list[tuple[int, int]]:
    """Quarters from first_year Q1 to the latest with data, newest first."""
    last_year, last_q = latest or (first_year, 4)
    out = [(y, q) for y in range(first_year, last_year + 1) for q in range(1, 5) if (y, q) <= (last_year, last_q)]
    return list(reversed(out))


def status_counts(df: pd.DataFrame) -> dict[str, int]:
    return {s: int((df["status"] == s).sum()) for s in STATUS_LABELS}


def fmt_grado(g) -> str:
    return formats.fmt_pct(g) if pd.notna(g) else "–"


def condition_text(operatore, soglia, unita: str = "") -> str:
    return formats.fmt_condition(operatore, None if soglia is None or pd.isna(soglia) else soglia, unita)


def value_text(v, provvisorio=False) -> str:
    """A measured value as the dashboards show it; one the office head has not approved yet says so (issue 14)."""
    if pd.isna(v):
        return "–"
    return formats.fmt_num(v) + (" (provvisorio)" if is_provisional(provvisorio) else "")


def is_provisional(flag) -> bool:
    return bool(pd.notna(flag) and flag)


def target_table(df: pd.DataFrame) -> pd.DataFrame:
    """The target rows as a person reads them: Italian numbers, status in words."""
    return pd.DataFrame({
        "Target": df["target"],
        "Obiettivo": df["obiettivo"],
        "Condizione": [condition_text(op, s) for op, s in zip(df["operatore"], df["soglia"])],
        "Valore": [value_text(v, p) for v, p in zip(df["valore"], df.get("provvisorio", [False] * len(df)))],
        "Proiezione": [formats.fmt_num(v) if pd.notna(v) else "–" for v in df["valore_proiettato"]],
        "Grado": [fmt_grado(g) for g in df["grado"]],
        "Stato": [status_text(s) for s in df["status"]],
    })


def qp(name: str, default=None):
    return st.query_params.get(name, default)


def pick_ente() -> tuple[str, str]:
    """The body shown: of the bodies the logged-in user may read (body_access.readable_bodies), the only one,
    or chosen in the sidebar (query param `ente`). A body the address or the session asks for that the user
    may not read stops the page with a refusal, in the same words whether or not the body exists."""
    enti = cached.enti(cached.path(), cached.version())
    if enti.empty:
        st.error("Il database non contiene alcun ente: eseguire «python -m dashboard.cli init».")
        st.stop()
    user = st.session_state.get("_utente")
    readable = body_access.readable_bodies(db.cursor(cached.path()), user)
    enti = enti[enti["codice"].isin(readable)]
    codes = list(enti["codice"])
    names = dict(zip(enti["codice"], enti["nome"]))
    # The address wins (a shared link); otherwise keep what this session chose on another page.
    asked = qp("ente") or st.session_state.get("_ente")
    if not codes:
        st.error("Nessun ente consultabile da questo utente.", icon=":material/block:")
        st.stop()
    if asked is not None and asked not in codes:
        try:
            body_access.require_read(db.cursor(cached.path()), user, asked)
            st.info(f"L'ente {plain(asked)} non ha ancora un piano nel cruscotto.")
        except NotAllowed as exc:
            st.error(plain(exc), icon=":material/block:")
        st.session_state.pop("_ente", None)  # a body no longer readable is not kept for the next page
        st.stop()
    wanted = asked or (user.ente if user else None)
    index = codes.index(wanted) if wanted in codes else 0
    if len(codes) > 1:
        ente = st.sidebar.selectbox("Ente", codes, index=index, format_func=lambda c: f"{c} — {names[c]}")
    else:
        ente = codes[0]
    st.query_params["ente"] = ente
    st.session_state["_ente"] = ente
    return ente, names[ente]


def pick_period(ente: str) -> tuple[int, int]:
    """Year and quarter (query params `anno`, `trimestre`); default: periods.default_period (the latest
    collected quarter whose data deadline has passed). Quarters up to the latest with data can be chosen."""
    default = cached.default_period(cached.path(), cached.version(), ente, dt.date.today())
    latest = cached.latest_period(cached.path(), cached.version(), ente)
    options = period_options(max(p for p in (latest, default, (2018, 4)) if p))
    try:
        wanted = (int(qp("anno")), int(qp("trimestre")))
    except (TypeError, ValueError):
        wanted = st.session_state.get("_periodo")
    index = options.index(wanted) if wanted in options else options.index(default) if default in options else 0
    anno, trimestre = st.sidebar.selectbox("Periodo", options, index=index, format_func=lambda p: formats.fmt_period(*p),
                                           help="Situazione alla fine del trimestre scelto")
    st.query_params["anno"] = str(anno)
    st.query_params["trimestre"] = str(trimestre)
    st.session_state["_periodo"] = (anno, trimestre)
    return anno, trimestre


def demo_banner(is_demo: bool) -> None:
    # No year in the text: the demo bodies' values are 2021–2023, Lucca's 2020.
    # A slot drawn every run: switching between a demo year and a real one does not move what follows (moved, the
    # page's blocks were made anew while the last run's copies still stood on the screen).
    slot = st.empty()
    if is_demo:
        slot.warning("Dati dimostrativi: i valori mostrati sono generati per mostrare il cruscotto e non sono misure reali.",
                     icon=":material/science:")


def data_block(chart, table: pd.DataFrame, name: str, key: str, column_config: dict | None = None,
               missing: str | None = None) -> None:
    """A chart (Altair, or a Vega-Lite spec a page cached) with its numbers as a table, both downloadable (CSV and
    XLSX); `missing`: what an empty cell reads (formats.italian_frame)."""
    tab_chart, tab_table = st.tabs(["Grafico", "Tabella"])
    with tab_chart:
        if isinstance(chart, dict):
            st.vega_lite_chart(spec=chart, width="stretch")
        else:
            st.altair_chart(chart, width="stretch")
    with tab_table:
        st.dataframe(formats.italian_frame(table, missing=missing), hide_index=True, width="stretch",
                     column_config=column_config)
    downloads(table, name, key)


def downloads(table: pd.DataFrame, name: str, key: str) -> None:
    # The files are built only when clicked (a callable), so pages with many tables stay fast.
    c1, c2 = st.columns(2)
    c1.download_button("Scarica CSV", partial(exports.csv_bytes, table), f"{name}.csv", "text/csv", key=f"{key}-csv",
                       on_click="ignore")
    c2.download_button("Scarica XLSX", partial(exports.xlsx_bytes, table, name), f"{name}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}-xlsx",
                       on_click="ignore")


def on_click(build):
    """The data of a download button made only when it is clicked: Streamlit calls it later, in a thread of its
    own, when the page run's cursor is closed (db.hold lets go of the file after a run). So it takes the
    file again and a cursor of its own: `build(con)`."""
    def run():
        with db.hold():
            return build(db.cursor())
    return run
