"""Cruscotto: the body's grado for a quarter and how it changed, the status of areas or objectives quarter by
quarter, the targets at risk with their office and trend, who is late. Clicks open the area or target."""
import pandas as pd
import streamlit as st

from dashboard.core import db, formats, periods
from dashboard.web import cached, navigation, overview, overview_charts, overview_data, session, ui

user, ente, ente_nome = session.body_user()
anno, trimestre = ui.pick_period(ente)
path, version = cached.path(), cached.version()
period = formats.fmt_period(anno, trimestre)
link_params = {"ente": ente, "anno": str(anno), "trimestre": str(trimestre)}

st.title("Cruscotto della performance")
body = cached.status(path, version, anno, trimestre, "ente", ente)
if body.empty:
    st.caption(f"{ui.plain(ente_nome)} — situazione al {period}")
    st.info(f"Nessun target in vigore nel {anno}.")
    st.stop()
row = body.iloc[0]
st.caption(f"{ui.plain(ente_nome)} — situazione al {period} · {overview.coverage_text(row)} · dati dovuti entro il "
           f"{formats.fmt_date(periods.data_deadline(anno, trimestre, periods.deadline_days(db.cursor(), ente)))}")
if int(row["n_rilevati"]) < int(row["n_target"]) / 2:
    st.warning(f"Nel {period} sono misurati solo {int(row['n_rilevati'])} target su {int(row['n_target'])}: "
               "il grado complessivo non rappresenta l'ente.")
ui.demo_banner(bool(row["demo"]))

targets = cached.status(path, version, anno, trimestre, "target", ente)
prev = overview.previous_quarter(anno, trimestre)
year_ago = (anno - 1, trimestre)
prev_body = cached.status(path, version, *prev, "ente", ente)
year_ago_body = cached.status(path, version, *year_ago, "ente", ente)
counts = ui.status_counts(targets)
shown = [s for s in counts if counts[s] or s in ("raggiunto", "non_rilevato")]
# Counts per status compare only between in-year quarters: in linea / a rischio are not year-end statuses.
changes = (overview.status_changes(targets, cached.status(path, version, *prev, "target", ente))
           if trimestre in (2, 3) else {})
tiles = st.columns(3)
tiles[0].metric("Grado complessivo", ui.fmt_grado(row["grado"]),
                delta=(f"{d} sul {formats.fmt_period(*prev)}" if (d := overview.points(overview.grado_change(body, prev_body)))
                       else None),
                help="Media pesata del grado dei target misurati; la variazione è in punti percentuali.")
then = year_ago_body.iloc[0] if not year_ago_body.empty else None
tiles[1].metric(f"Grado al {formats.fmt_period(*year_ago)}", ui.fmt_grado(None if then is None else then["grado"]),
                delta=(f"{d} da allora a oggi" if (d := overview.points(overview.grado_change(body, year_ago_body)))
                       else None),
                help="Il grado complessivo nello stesso trimestre dell'anno precedente e la variazione fino a oggi"
                     + (f"; allora {overview.coverage_text(then)}." if then is not None else "."))
tiles[2].metric("Target misurati", f"{int(row['n_rilevati'])} di {int(row['n_target'])}",
                help="Target con un valore per il periodo, sul totale dei target in vigore.")
counts_row = st.columns(len(shown))
for col, status in zip(counts_row, shown):
    change = changes.get(status)
    col.metric(ui.status_text(status), counts[status],
               delta=f"{change:+d} sul {formats.ROMAN[prev[1]]} trim." if change else None,
               delta_color="normal" if status in ("raggiunto", "in_linea") else "inverse")

st.subheader("Stato per trimestre")
level = st.segmented_control("Righe", ["Aree", "Obiettivi"], default="Aree", key="livello_mappa",
                             label_visibility="collapsed") or "Aree"
livello = "area" if level == "Aree" else "obiettivo"
heat, heat_table, heat_spec = overview_data.heat_map(path, version, ente, anno, trimestre, livello)
tab_chart, tab_table = st.tabs(["Grafico", "Tabella"])
with tab_chart:
    st.caption("Ogni casella: simbolo dello stato e grado alla fine del trimestre. Un clic apre l'area o l'obiettivo "
               "in quel trimestre.")
    event = st.vega_lite_chart(spec=heat_spec, width="stretch", on_select="rerun", key="mappa")
with tab_table:
    st.dataframe(heat_table, hide_index=True, width="stretch")
ui.downloads(heat_table, f"stato_per_trimestre_{anno}_T{trimestre}", "mappa")
if cell := overview_charts.picked(event):
    area = heat.loc[heat["codice"] == cell["codice"], "area"].iloc[0]
    params = {"ente": ente, "anno": str(cell["anno"]), "trimestre": str(cell["trimestre"]), "area": area}
    if livello == "obiettivo":
        params["obiettivo"] = cell["codice"]
    st.switch_page(navigation.page("aree"), query_params=params)

st.subheader("Aree strategiche")
areas, bars_spec = overview_data.area_bars(path, version, ente, anno, trimestre)
area_table = pd.DataFrame({"Area": areas["Area"], "Grado": [ui.fmt_grado(g) for g in areas["grado"]],
                           "Stato": [ui.status_text(s) for s in areas["status"]],
                           "Target": areas["n_target"].astype(int), "Rilevati": areas["n_rilevati"].astype(int)})
tab_chart, tab_table = st.tabs(["Grafico", "Tabella"])
with tab_chart:
    bars = st.vega_lite_chart(spec=bars_spec, width="stretch", on_select="rerun", key="aree")
with tab_table:
    st.dataframe(area_table, hide_index=True, width="stretch")
ui.downloads(area_table, f"aree_{anno}_T{trimestre}", "aree")
if picked_area := overview_charts.picked(bars):
    st.switch_page(navigation.page("aree"), query_params={**link_params, "area": picked_area["codice"]})

in_year = trimestre < 4
st.subheader("Target a rischio" if in_year else "Target non pienamente raggiunti")
risky = overview.risky_targets(targets, in_year)
if risky.empty:
    st.success("Nessun target a rischio." if in_year else "Tutti i target rilevati sono raggiunti.")
else:
    table = overview_data.risky_table(path, version, ente, anno, trimestre)
    st.caption("Dal peggiore. Il codice apre il dettaglio del target; l'andamento è il grado a ogni trimestre "
               f"del {anno}.")
    # Sized to fit 1280 px without scrolling sideways; tall rows let the text and the office wrap.
    st.dataframe(table, hide_index=True, width="stretch", row_height=88, height=min(len(table), 8) * 88 + 40,
                 column_order=["Target", "Testo", "Ufficio", "Valore", "Soglia", "Grado", "Andamento"], column_config={
        "Target": st.column_config.LinkColumn("Target", display_text=r"target=([^&]+)$", width=56,
                                              help="Apre il dettaglio del target"),
        "Testo": st.column_config.TextColumn("Testo", width=290),
        "Ufficio": st.column_config.TextColumn("Ufficio", width=150),
        "Valore": st.column_config.TextColumn("Valore", width=62),
        "Soglia": st.column_config.TextColumn("Soglia", width=62),
        "Grado": st.column_config.TextColumn("Grado", width=80, help="Simbolo dello stato e grado di raggiungimento"),
        "Andamento": st.column_config.LineChartColumn("Andamento", y_min=0, y_max=100, width=80,
                                                      help="Il grado a ogni trimestre dell'anno")})
    ui.downloads(table.drop(columns="Andamento").assign(Target=list(risky["target"])),
                 f"target_a_rischio_{anno}_T{trimestre}", "risky")

st.subheader(f"Uffici senza dati del {period}")
late = overview_data.late_offices(path, version, ente, anno, trimestre)
if late.empty:
    st.success("Tutti gli uffici hanno inserito i dati del trimestre.")
else:
    late_table = pd.DataFrame({"Ufficio": late["nome"], "Indicatori mancanti": late["mancanti"].astype(int),
                               "Su": late["indicatori"].astype(int), "Quali": late["indicatori_mancanti"]})
    st.dataframe(late_table, hide_index=True, width="stretch", row_height=72, column_config={
        "Ufficio": st.column_config.TextColumn("Ufficio", width=170),
        "Indicatori mancanti": st.column_config.NumberColumn("Mancanti", width=80),
        "Su": st.column_config.NumberColumn("Su", width=50),
        "Quali": st.column_config.TextColumn("Quali", width=480)})
    ui.downloads(late_table, f"uffici_in_ritardo_{anno}_T{trimestre}", "late")
