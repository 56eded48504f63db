"""The Cruscotto's charts: the status heat map (areas or objectives × quarters) and the clickable area bars.

Colours are the SMVP status colours of charts.STATUS_COLOURS (Okabe-Ito), the legend names each status in
Italian, and every cell also carries its symbol and grado as text, so the map reads without colour.
A click selects a cell or bar (a point selection named SELECTION); the page turns it into a stable address.
"""
from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from dashboard.core.labels import STATUS_LABELS, STATUS_SYMBOLS
from dashboard.web.charts import STATUS_COLOURS, it_label

SELECTION = "scelta"
# A click on the text drawn over a cell or bar selects through a second selection of the text layer (one
# selection cannot span two layers: Vega refuses the duplicate signal and draws nothing).
TEXT_SELECTION = "scelta_testo"
# Black text on every status fill: at least 5:1 contrast on all six (white on the vermilion would be 4:1).


def _legend_scale() -> alt.Scale:
    return alt.Scale(domain=[f"{STATUS_SYMBOLS[s]} {STATUS_LABELS[s]}" for s in STATUS_COLOURS],
                     range=list(STATUS_COLOURS.values()))


def status_heatmap(heat: pd.DataFrame) -> alt.LayerChart:
    """heat: the frame of overview.heat_frame (riga, codice, anno, trimestre, periodo, status, stato, grado, etichetta)."""
    data = heat.copy()
    data["legenda"] = [f"{STATUS_SYMBOLS[s]} {STATUS_LABELS[s]}" for s in data["status"]]
    data["grado_it"] = [("–" if g is None or pd.isna(g) else f"{g:.1f} %".replace(".", ",")) for g in data["grado"]]
    # Long names wrap on whole words (never cut): Vega draws a label split on newlines as several lines.
    data["riga_a_capo"] = [textwrap.fill(r, 46) for r in data["riga"]]
    rows = list(dict.fromkeys(data.sort_values("codice")["riga_a_capo"]))
    lines = max((r.count("\n") + 1 for r in rows), default=1)
    data["colonna"] = [p.replace(" trim. ", " trim.\n") for p in data["periodo"]]
    cols = list(dict.fromkeys(data.sort_values(["anno", "trimestre"])["colonna"]))
    pick = alt.selection_point(name=SELECTION, fields=["codice", "anno", "trimestre"], on="click")
    pick_text = alt.selection_point(name=TEXT_SELECTION, fields=["codice", "anno", "trimestre"], on="click")
    base = alt.Chart(data).encode(
        x=alt.X("colonna:N", title=None, sort=cols,
                axis=alt.Axis(orient="top", labelAngle=0, labelOverlap=False, labelExpr="split(datum.label, '\\n')")),
        y=alt.Y("riga_a_capo:N", title=None, sort=rows,
                axis=alt.Axis(labelLimit=0, labelExpr="split(datum.label, '\\n')")),
        tooltip=[alt.Tooltip("riga:N", title=""), alt.Tooltip("periodo:N", title="Periodo"),
                 alt.Tooltip("stato:N", title="Stato"), alt.Tooltip("grado_it:N", title="Grado")])
    cells = base.mark_rect(stroke="white", strokeWidth=2, cursor="pointer").encode(
        color=alt.Color("legenda:N", scale=_legend_scale(), title="Stato",
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=260)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45))).add_params(pick)
    text = base.mark_text(fontSize=13, fontWeight="bold", color="#000000", cursor="pointer").encode(
        text="etichetta:N").add_params(pick_text)
    return alt.layer(cells, text).properties(height=alt.Step(max(40, 14 * lines + 8)))


def area_bars(areas: pd.DataFrame) -> alt.LayerChart:
    """One horizontal bar per area, grado 0-100 coloured by status with the status in words; a click picks the area.

    areas: codice (area code), Area (code and name), grado, status."""
    data = areas[["codice", "Area", "grado", "status"]].copy()
    data["grado_0"] = data["grado"].fillna(0)
    data["legenda"] = [f"{STATUS_SYMBOLS[s]} {STATUS_LABELS[s]}" for s in data["status"]]
    data["etichetta"] = [(f"{g:.1f} %".replace(".", ",") + " · " if pd.notna(g) else "") + STATUS_LABELS[s]
                         for g, s in zip(data["grado"], data["status"])]
    pick = alt.selection_point(name=SELECTION, fields=["codice"], on="click")
    pick_text = alt.selection_point(name=TEXT_SELECTION, fields=["codice"], on="click")
    base = alt.Chart(data).encode(y=alt.Y("Area:N", title=None, sort=None, axis=alt.Axis(labelLimit=420)))
    bars = base.mark_bar(cursor="pointer").encode(
        x=alt.X("grado_0:Q", title="Grado di raggiungimento (%)", scale=alt.Scale(domain=[0, 135]),
                axis=alt.Axis(labelExpr=it_label(), values=list(range(0, 101, 10)))),
        color=alt.Color("legenda:N", scale=_legend_scale(), legend=None),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        tooltip=[alt.Tooltip("Area:N", title=""), alt.Tooltip("etichetta:N", title="Grado")]).add_params(pick)
    text = base.mark_text(align="left", dx=4, cursor="pointer").encode(
        x="grado_0:Q", text="etichetta:N").add_params(pick_text)
    return alt.layer(bars, text).properties(height=alt.Step(34))


def picked(event, field: str = "codice") -> dict | None:
    """The point a click selected (its fields), on a cell or on its text, or None: the return value of
    st.altair_chart(..., on_select="rerun")."""
    try:
        selection = event.selection
    except AttributeError:
        return None
    for name in (SELECTION, TEXT_SELECTION):
        points = selection.get(name) if hasattr(selection, "get") else None
        if points and field in points[0]:
            return points[0]
    return None
