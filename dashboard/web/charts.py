"""Altair charts built from data frames. Pages only place them; tests check them alone.

Colours are the Okabe-Ito palette (safe for colour-blind readers) and every mark
also carries the status in words, so a chart reads in black and white too.
Numbers on axes and in tooltips are in Italian format.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.core import formats
from dashboard.core.labels import STATUS_LABELS

STATUS_COLOURS = {
    "raggiunto": "#009E73", "in_linea": "#56B4E9", "parzialmente_raggiunto": "#E69F00",
    "a_rischio": "#CC79A7", "non_raggiunto": "#D55E00", "non_rilevato": "#999999",
}
YEAR_COLOURS = ["#0072B2", "#BBBBBB"]  # current year, previous year


def it_label(fmt: str = ",.0f") -> str:
    """A Vega labelExpr that prints numbers the Italian way (1.234,5)."""
    return (f"replace(replace(replace(format(datum.value, '{fmt}'), regexp(',', 'g'), '#'), "
            f"regexp('\\\\.', 'g'), ','), regexp('#', 'g'), '.')")


def _status_scale():
    return alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values()))


def grado_bars(df: pd.DataFrame, label_col: str, title: str = "") -> alt.Chart:
    """One horizontal bar per row (area, objective): grado 0-100 coloured by status, with the status in words.

    df needs: label_col, grado, status.
    """
    data = df[[label_col, "grado", "status"]].copy()
    data["grado_0"] = data["grado"].fillna(0)
    data["etichetta"] = [f"{formats.fmt_pct(g)} · {STATUS_LABELS[s]}" if pd.notna(g) else STATUS_LABELS[s]
                         for g, s in zip(data["grado"], data["status"])]
    data["stato"] = data["status"].map(STATUS_LABELS)
    base = alt.Chart(data, title=title).encode(
        y=alt.Y(f"{label_col}:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)))
    # The scale runs past 100 to leave room for the labels; the axis stops at 100.
    bars = base.mark_bar().encode(
        x=alt.X("grado_0:Q", title="Grado di raggiungimento (%)", scale=alt.Scale(domain=[0, 135]),
                axis=alt.Axis(labelExpr=it_label(), values=list(range(0, 101, 10)))),
        color=alt.Color("status:N", scale=_status_scale(), legend=None),
        tooltip=[alt.Tooltip(f"{label_col}:N", title=""), alt.Tooltip("etichetta:N", title="Grado")],
    )
    text = base.mark_text(align="left", dx=4).encode(x="grado_0:Q", text="etichetta:N")
    return (bars + text).properties(height=alt.Step(34))


def ytd_series(quarters: pd.DataFrame, aggregazione: str, fattore: float = 1.0) -> pd.DataFrame:
    """Year-to-date value at the end of each quarter, by the indicator's rule (as the engine does).

    quarters: anno, trimestre, ambito, valore, numeratore, denominatore (current versions).
    """
    rows = []
    for anno, g in quarters.sort_values("trimestre").groupby("anno"):
        tri = g[g["ambito"] == "trimestre"]
        prog = g[g["ambito"] == "progressivo"]
        if tri.empty:
            rows += [{"anno": anno, "trimestre": t, "valore": v} for t, v in zip(prog["trimestre"], prog["valore"])]
            continue
        total, num, den, cases_ok = 0.0, 0.0, 0.0, True
        for _, r in tri.iterrows():
            if aggregazione == "somma":
                total += r["valore"]
                value = total
            elif aggregazione == "ultimo":
                value = r["valore"]
            else:
                cases_ok = cases_ok and pd.notna(r["numeratore"]) and pd.notna(r["denominatore"])
                if cases_ok:
                    num, den = num + r["numeratore"], den + r["denominatore"]
                    value = num / den * fattore if den > 0 else None
                else:
                    value = r["valore"] if len(tri) == 1 else None
            rows.append({"anno": anno, "trimestre": r["trimestre"], "valore": value})
    return pd.DataFrame(rows, columns=["anno", "trimestre", "valore"])


def target_progress(ytd: pd.DataFrame, soglia: float | None, operatore: str | None, unita: str,
                    anno: int, proiezione: float | None = None) -> alt.LayerChart:
    """Year-to-date line of the year and of the previous year, the threshold as a rule, and the projection."""
    data = ytd.dropna(subset=["valore"]).copy()
    data["periodo"] = [formats.ROMAN[int(t)] + " trim." for t in data["trimestre"]]
    data["serie"] = [str(int(a)) for a in data["anno"]]
    data["valore_it"] = [formats.fmt_num(v) for v in data["valore"]]
    order = [f"{r} trim." for r in ("I", "II", "III", "IV")]
    colour = _year_colour(data, anno)
    x = alt.X("periodo:N", title="Progressivo al", sort=order, scale=alt.Scale(domain=order), axis=alt.Axis(labelAngle=0))
    y = alt.Y("valore:Q", title=f"{unita} (progressivo)".strip(), axis=alt.Axis(labelExpr=it_label(",.2~f")))
    line = alt.Chart(data).mark_line(point=True).encode(
        x=x, y=y, color=colour, strokeDash=alt.StrokeDash("serie:N", legend=None,
                                                          scale=alt.Scale(domain=[str(anno), str(anno - 1)],
                                                                          range=[[1, 0], [4, 3]])),
        tooltip=[alt.Tooltip("serie:N", title="Anno"), alt.Tooltip("periodo:N", title="Periodo"),
                 alt.Tooltip("valore_it:N", title="Valore")])
    layers = [line]
    if soglia is not None:
        rule = pd.DataFrame({"soglia": [soglia], "etichetta": [f"Soglia {formats.fmt_condition(operatore, soglia)}"]})
        layers.append(alt.Chart(rule).mark_rule(color="#D55E00", strokeDash=[6, 3]).encode(y="soglia:Q"))
        layers.append(alt.Chart(rule).mark_text(align="left", dx=4, dy=-6, color="#D55E00").encode(
            y="soglia:Q", x=alt.value(0), text="etichetta:N"))
    if proiezione is not None:
        proj = pd.DataFrame({"periodo": ["IV trim."], "valore": [proiezione],
                             "etichetta": [f"Proiezione {formats.fmt_num(proiezione)}"]})
        layers.append(alt.Chart(proj).mark_point(shape="diamond", size=120, filled=True, color="#0072B2", opacity=0.5)
                      .encode(x=x, y="valore:Q", tooltip=[alt.Tooltip("etichetta:N", title="")]))
    return alt.layer(*layers).properties(height=300)


def target_progress_note(anno: int, threshold: bool, projection: bool, previous: bool = True) -> str:
    """The legend of target_progress in words: what each line and mark is (the previous year only if drawn)."""
    parts = [f"Valori progressivi dall'inizio dell'anno, come li giudica il target: linea blu continua {anno}"
             + (f", linea grigia tratteggiata {anno - 1}" if previous else "")]
    if threshold:
        parts.append("linea arancione tratteggiata: la soglia")
    if projection:
        parts.append("rombo: la proiezione a fine anno")
    return "; ".join(parts) + ". La tabella riporta anche il valore di ogni trimestre."


def quarterly_bars(df: pd.DataFrame, anno: int, unita: str, riferimento: float | None = None,
                   riferimento_label: str = "") -> alt.LayerChart:
    """Each quarter's value, this year next to the same quarter of the previous year; optional reference rule.

    df: anno, trimestre, valore.
    """
    data = df.dropna(subset=["valore"]).copy()
    data["periodo"] = [formats.ROMAN[int(t)] + " trim." for t in data["trimestre"]]
    data["serie"] = [str(int(a)) for a in data["anno"]]
    data["valore_it"] = [formats.fmt_num(v) for v in data["valore"]]
    order = [f"{r} trim." for r in ("I", "II", "III", "IV")]
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("periodo:N", title=None, sort=order, scale=alt.Scale(domain=order), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("serie:N", sort=[str(anno - 1), str(anno)]),
        y=alt.Y("valore:Q", title=unita, axis=alt.Axis(labelExpr=it_label(",.2~f"))),
        color=_year_colour(data, anno),
        tooltip=[alt.Tooltip("serie:N", title="Anno"), alt.Tooltip("periodo:N", title="Trimestre"),
                 alt.Tooltip("valore_it:N", title="Valore")])
    layers = [bars]
    title = alt.TitleParams("")
    if riferimento is not None:
        rule = pd.DataFrame({"y": [riferimento]})
        layers.append(alt.Chart(rule).mark_rule(color="#D55E00", strokeDash=[6, 3]).encode(y="y:Q"))
        # Said above the chart, not written across the bars.
        title = alt.TitleParams(f"Linea arancione tratteggiata: {riferimento_label}", color="#B34700", fontSize=12,
                                fontWeight="normal", anchor="start")
    return alt.layer(*layers).properties(height=260, title=title)


def _year_colour(data: pd.DataFrame, anno: int) -> alt.Color:
    """This year blue, the previous one grey; the legend lists only the years that have data."""
    years = [y for y in (str(anno), str(anno - 1)) if y in set(data["serie"])] or [str(anno)]
    colours = dict(zip((str(anno), str(anno - 1)), YEAR_COLOURS))
    return alt.Color("serie:N", title="Anno", scale=alt.Scale(domain=years, range=[colours[y] for y in years]))


def quarterly_panels(df: pd.DataFrame, anno: int, unita: str, panel_col: str, columns: int = 2,
                     riferimento: float | None = None) -> alt.FacetChart:
    """quarterly_bars for several metrics of one unit, one panel each (one chart: cheaper to draw than many)."""
    data = df.dropna(subset=["valore"]).copy()
    data["periodo"] = [formats.ROMAN[int(t)] + " trim." for t in data["trimestre"]]
    data["serie"] = [str(int(a)) for a in data["anno"]]
    data["valore_it"] = [formats.fmt_num(v) for v in data["valore"]]
    if riferimento is not None:
        data["riferimento"] = riferimento
    order = [f"{r} trim." for r in ("I", "II", "III", "IV")]
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("periodo:N", title=None, sort=order, scale=alt.Scale(domain=order), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("serie:N", sort=[str(anno - 1), str(anno)]),
        y=alt.Y("valore:Q", title=unita, axis=alt.Axis(labelExpr=it_label(",.2~f"))),
        color=_year_colour(data, anno),
        tooltip=[alt.Tooltip(f"{panel_col}:N", title=""), alt.Tooltip("serie:N", title="Anno"),
                 alt.Tooltip("periodo:N", title="Trimestre"), alt.Tooltip("valore_it:N", title="Valore")])
    layers = [bars]
    if riferimento is not None:
        layers.append(alt.Chart().mark_rule(color="#D55E00", strokeDash=[6, 3]).encode(y="mean(riferimento):Q"))
    return alt.layer(*layers, data=data).properties(width=260, height=200).facet(
        facet=alt.Facet(f"{panel_col}:N", title=None), columns=columns)


def budget_bars(df: pd.DataFrame, label_col: str) -> alt.Chart:
    """Grouped bars of oneri, investimenti and ricavi/contributi per row (area or objective), in euro."""
    long = df.melt(id_vars=[label_col], value_vars=["oneri", "investimenti", "ricavi_contributi"],
                   var_name="voce", value_name="euro")
    names = {"oneri": "Oneri", "investimenti": "Investimenti", "ricavi_contributi": "Ricavi e contributi"}
    long["voce"] = long["voce"].map(names)
    long["euro_it"] = [formats.fmt_euro(v) for v in long["euro"]]
    return alt.Chart(long).mark_bar().encode(
        # Wide enough for "1 Competitività del territorio" and "3 Competitività dell'Ente" to differ.
        y=alt.Y(f"{label_col}:N", title=None, axis=alt.Axis(labelLimit=360)),
        yOffset="voce:N",
        x=alt.X("euro:Q", title="Euro", axis=alt.Axis(labelExpr=it_label())),
        color=alt.Color("voce:N", title=None, scale=alt.Scale(domain=list(names.values()),
                                                               range=["#0072B2", "#E69F00", "#009E73"])),
        tooltip=[alt.Tooltip(f"{label_col}:N", title=""), "voce:N", alt.Tooltip("euro_it:N", title="Importo")],
    ).properties(height=alt.Step(14))
