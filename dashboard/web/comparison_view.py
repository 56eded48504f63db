"""The comparison between chambers (page Confronto tra Camere): a body against the median and the distribution
of the bodies the user may see, its rank, the consolidated view of a merger and one body's detail.

The figures come from queries/comparison.py (raw records); this module shapes them for people. The frames
are computed without Streamlit; only the cached reads at the bottom use it."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.core import body_access, db, demo, formats, labels
from dashboard.web import charts
from queries import comparison

QUARTER_NAMES = {0: "Anno", 1: "I trim.", 2: "II trim.", 3: "III trim.", 4: "IV trim."}
ORANGE, BLUE, GREY = "#E69F00", "#0072B2", "#999999"  # Okabe-Ito


def visible_bodies(con, user) -> list[str]:
    """The bodies `user` may compare: its own and, read-only, their predecessors (body_access decides)."""
    return body_access.readable_bodies(con, user)


def merger_visible(successions: pd.DataFrame, successore: str | None, enti) -> bool:
    """Whether the merger section may be shown: the user reads the successor and every predecessor
    (a predecessor's user does not read the successor's data)."""
    if successore is None or successore not in enti:
        return False
    return set(successions.loc[successions["successore"] == successore, "predecessore"]) <= set(enti)


def rank_text(posizione, su) -> str:
    """'3ª di 60' (chambers are feminine: la Camera)."""
    if posizione is None or pd.isna(posizione):
        return "–"
    return f"{int(posizione)}ª di {int(su)}"


def standing_table(r: pd.DataFrame, ente: str, trimestre: int) -> pd.DataFrame:
    """One row per shared indicator: the body's value, the median, minimum and maximum of the visible bodies,
    its rank; for the year (trimestre 0) or a quarter. A figure without records is NaN (shown "–"), never None:
    a column of None alone would print "None"."""
    nan = float("nan")
    rows = []
    for ind in comparison.INDICATORS:
        d = r[(r["indicatore"] == ind) & (r["trimestre"] == trimestre)]
        own = d[d["ente"] == ente]
        rows.append({"Indicatore": labels.COMPARISON_LABELS[ind],
                     "Valore dell'ente": float(own["valore"].iloc[0]) if len(own) else nan,
                     "Mediana": float(d["mediana"].iloc[0]) if len(d) else nan,
                     "Minimo": float(d["valore"].min()) if len(d) else nan,
                     "Massimo": float(d["valore"].max()) if len(d) else nan,
                     "Posizione": rank_text(own["posizione"].iloc[0], own["su"].iloc[0]) if len(own) else "–",
                     "Enti confrontati": len(d)})
    return pd.DataFrame(rows)


def default_year(bodies_per_year: dict[int, int]) -> int | None:
    """The year the page opens on: the latest in which at least two of the visible bodies have records (a body
    alone is "1ª di 1", which tells nothing), else the latest with any."""
    compared = [a for a, n in bodies_per_year.items() if n >= 2]
    return max(compared) if compared else max(bodies_per_year, default=None)


def distribution_chart(r: pd.DataFrame, ente: str, trimestre: int, names: dict[str, str]) -> alt.Chart:
    """Per indicator, the visible bodies' values as a boxplot with every body as a dot; the chosen body
    orange and larger, named in the tooltip with its rank."""
    d = r[r["trimestre"] == trimestre].copy()
    d["Indicatore"] = d["indicatore"].map(labels.COMPARISON_SHORT)
    d["Ente"] = [names.get(e, e) for e in d["ente"]]
    d["Scelto"] = ["ente scelto" if e == ente else "altri enti" for e in d["ente"]]
    d["Posizione"] = [rank_text(p, s) for p, s in zip(d["posizione"], d["su"])]
    d["Valore"] = d["valore"].round(2)
    d["Valore (testo)"] = [formats.fmt_num(v, 2) for v in d["valore"]]  # tooltips the Italian way
    base = alt.Chart(d)
    x = alt.X("Valore:Q", title=None, scale=alt.Scale(zero=False), axis=alt.Axis(labelExpr=charts.it_label(",.2~f")))
    box = base.mark_boxplot(color=BLUE, opacity=0.35, size=28, outliers=False).encode(x=x)
    dots = base.mark_circle(opacity=0.9).encode(
        x=x,
        color=alt.Color("Scelto:N", scale=alt.Scale(domain=["ente scelto", "altri enti"], range=[ORANGE, GREY]),
                        legend=alt.Legend(title=None, orient="top")),
        size=alt.condition(alt.datum.Scelto == "ente scelto", alt.value(220), alt.value(40)),
        tooltip=["Ente:N", alt.Tooltip("Valore (testo):N", title="Valore"), "Posizione:N", "Indicatore:N"])
    # A fixed width: Vega-Lite does not size a faceted chart to its container ("container" drew it 180 px wide
    # and clipped the right of the scale).
    return alt.layer(box, dots).properties(height=70, width=560).facet(
        row=alt.Row("Indicatore:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left"),
                    sort=[labels.COMPARISON_SHORT[i] for i in comparison.INDICATORS])
    ).resolve_scale(x="independent")


def body_detail(r: pd.DataFrame, ente: str) -> pd.DataFrame:
    """One body quarter by quarter and for the year: value, median of the visible bodies, rank."""
    d = r[r["ente"] == ente]
    rows = []
    for ind in comparison.INDICATORS:
        for q in (1, 2, 3, 4, 0):
            x = d[(d["indicatore"] == ind) & (d["trimestre"] == q)]
            if x.empty:
                continue
            rows.append({"Indicatore": labels.COMPARISON_SHORT[ind], "Periodo": QUARTER_NAMES[q],
                         "Valore": x["valore"].iloc[0], "Mediana degli enti": x["mediana"].iloc[0],
                         "Posizione": rank_text(x["posizione"].iloc[0], x["su"].iloc[0]),
                         "Casi (denominatore)": x["denominatore"].iloc[0]})
    return pd.DataFrame(rows)


def merger_of(successions: pd.DataFrame, ente: str) -> str | None:
    """The successor of the merger `ente` belongs to (as successor or predecessor), or None."""
    hit = successions[(successions["successore"] == ente) | (successions["predecessore"] == ente)]
    return None if hit.empty else hit["successore"].iloc[0]


def merger_table(before: pd.DataFrame, consolidated: pd.DataFrame, after: pd.DataFrame, successore: str,
                 predecessori: list[str], names: dict[str, str], anno_prima: int, anno_dopo: int) -> pd.DataFrame:
    """Per shared indicator, for the year: each predecessor's value of `anno_prima`, the consolidated value
    (their cases pooled) and the successor's value of `anno_dopo`."""
    def year_value(frame, ente, ind):
        x = frame[(frame["ente"] == ente) & (frame["indicatore"] == ind) & frame["trimestre"].isna()]
        return float(x["valore"].iloc[0]) if len(x) else float("nan")  # NaN, shown "–" (never "None")

    rows = []
    for ind in comparison.INDICATORS:
        row = {"Indicatore": labels.COMPARISON_LABELS[ind]}
        for p in predecessori:
            row[f"{names.get(p, p)} {anno_prima}"] = year_value(before, p, ind)
        row[f"Consolidato {anno_prima}"] = year_value(consolidated, successore, ind)
        row[f"{names.get(successore, successore)} {anno_dopo}"] = year_value(after, successore, ind)
        rows.append(row)
    return pd.DataFrame(rows)


def linked_frame(series: pd.DataFrame, names: dict[str, str], dal) -> pd.DataFrame:
    """A linked plan indicator quarter by quarter from the year before the merger: each predecessor, their
    consolidated value and the successor, for the chart and its table."""
    d = series[series["anno"] >= dal.year - 1].copy()
    d["Ente"] = [("Predecessori consolidati" if e == "consolidato" else names.get(e, e)) for e in d["ente"]]
    d["Periodo"] = [f"{int(a)} {QUARTER_NAMES[int(t)]}" for a, t in zip(d["anno"], d["trimestre"])]
    return pd.DataFrame({"Ente": d["Ente"], "Periodo": d["Periodo"], "Valore": d["valore"].round(4),
                         "Numeratore": d["numeratore"], "Denominatore": d["denominatore"],
                         "Dimostrativo": d["demo"].map({True: "sì", False: "no"})})


def linked_chart(table: pd.DataFrame, unita: str) -> alt.Chart:
    order = list(dict.fromkeys(table["Periodo"]))
    d = table.assign(testo=[formats.fmt_num(v, 2) for v in table["Valore"]])
    return alt.Chart(d).mark_line(point=True).encode(
        x=alt.X("Periodo:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("Valore:Q", title=unita, scale=alt.Scale(zero=False), axis=alt.Axis(labelExpr=charts.it_label(",.2~f"))),
        color=alt.Color("Ente:N", legend=alt.Legend(title=None, orient="top"),
                        scale=alt.Scale(range=["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"])),
        strokeDash=alt.condition(alt.datum.Ente == "Predecessori consolidati", alt.value([5, 3]), alt.value([1, 0])),
        tooltip=["Ente:N", "Periodo:N", alt.Tooltip("testo:N", title="Valore")]).properties(height=280)


def budget_table(b: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({
        "Ente": ["Consolidato (somma)" if c else names.get(e, e) for e, c in zip(b["ente"], b["consolidato"])],
        **{labels.BUDGET_ITEM_LABELS[v]: [formats.fmt_euro(x) for x in b[v]]
           for v in ("oneri", "ricavi", "contributi", "investimenti")}})


def budget_missing(b: pd.DataFrame, predecessori: list[str]) -> list[str]:
    """The predecessors with no budget for the year in their plan: the sum leaves them out, and says so."""
    return [p for p in predecessori if p not in set(b.loc[~b["consolidato"], "ente"])]


# ---------------------------------------------------------------- cached reads (Streamlit)

@st.cache_data(show_spinner=False, max_entries=64)
def cached_cases(db_path: str, data_version: str, anno: int, enti: tuple[str, ...]) -> pd.DataFrame:
    with db.local_records(db.cursor(db_path)) as reader:  # on PostgreSQL, the process's copy of the records
        return comparison.cases(reader, anno, list(enti))


@st.cache_data(show_spinner=False, max_entries=64)
def cached_ranked(db_path: str, data_version: str, anno: int, enti: tuple[str, ...]) -> pd.DataFrame:
    return comparison.ranked(cached_cases(db_path, data_version, anno, enti))


# The page's frames and chart, cached like the figures they come from: a warm rerun (a click elsewhere on the
# page) rebuilds none of them. Building the boxplot of 60 bodies with Altair (objects, validation, to_dict) took
# most of a warm run (benchmarks/bench_comparison.py).
@st.cache_data(show_spinner=False, max_entries=64)
def cached_standing(db_path: str, data_version: str, anno: int, enti: tuple[str, ...], ente: str,
                    trimestre: int) -> pd.DataFrame:
    return standing_table(cached_ranked(db_path, data_version, anno, enti), ente, trimestre)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_distribution_spec(db_path: str, data_version: str, anno: int, enti: tuple[str, ...], ente: str,
                             trimestre: int) -> dict:
    """The boxplot as a Vega-Lite spec (data inline), drawn by st.vega_lite_chart."""
    names = cached_names(db_path, data_version, enti)
    chart = distribution_chart(cached_ranked(db_path, data_version, anno, enti), ente, trimestre, names)
    return chart.to_dict()


@st.cache_data(show_spinner=False, max_entries=64)
def cached_detail(db_path: str, data_version: str, anno: int, enti: tuple[str, ...], ente: str) -> pd.DataFrame:
    return body_detail(cached_ranked(db_path, data_version, anno, enti), ente)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_consolidated(db_path: str, data_version: str, successore: str, anno: int) -> pd.DataFrame:
    with db.local_records(db.cursor(db_path)) as reader:
        return comparison.consolidated(reader, successore, anno)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_successions(db_path: str, data_version: str) -> pd.DataFrame:
    return comparison.successions(db.cursor(db_path))


@st.cache_data(show_spinner=False, max_entries=64)
def cached_budget(db_path: str, data_version: str, successore: str, anno: int) -> pd.DataFrame:
    return comparison.budget(db.cursor(db_path), successore, anno)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_linked_indicators(db_path: str, data_version: str, successore: str) -> pd.DataFrame:
    return comparison.linked_indicators(db.cursor(db_path), successore)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_linked_series(db_path: str, data_version: str, successore: str, indicatore: str) -> pd.DataFrame:
    return comparison.linked_series(db.cursor(db_path), successore, indicatore)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_names(db_path: str, data_version: str, enti: tuple[str, ...]) -> dict[str, str]:
    d = comparison.body_names(db.cursor(db_path), list(enti))
    return dict(zip(d["codice"], d["nome_breve"]))


@st.cache_data(show_spinner=False, max_entries=16)
def cached_years(db_path: str, data_version: str, enti: tuple[str, ...]) -> dict[int, int]:
    """Year -> how many of `enti` have raw records in it, latest first."""
    with db.local_records(db.cursor(db_path)) as reader:
        return comparison.bodies_per_year(reader, list(enti))


@st.cache_data(show_spinner=False, max_entries=16)
def cached_demo(db_path: str, data_version: str, enti: tuple[str, ...]) -> list[str]:
    return comparison.demo_bodies(db.cursor(db_path), list(enti), demo.DEMO_USER)
