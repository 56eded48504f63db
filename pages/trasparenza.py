"""Dati pubblicati (Amministrazione trasparente): no login; only what the planning office has published.

Stable addresses: /trasparenza?ente=CCIAA-LU&dato=itp&anno=2020 (each parameter optional)."""
import streamlit as st

from dashboard.core import publication
from dashboard.web import cached, public_views, ui

st.title("Dati pubblicati")
st.caption("Amministrazione trasparente: i dati pubblicati dall'ente (d.lgs. 33/2013), con le eventuali rettifiche. "
           "Dati aperti: ogni tabella si scarica in CSV e JSON.")
path, version = cached.path(), cached.version()
bodies = dict(cached.published_bodies(path, version))
if not bodies:
    st.info("Nessun dato pubblicato.")
    st.stop()
codes = list(bodies)
wanted = ui.qp("ente")
ente = st.selectbox("Ente", codes, index=codes.index(wanted) if wanted in codes else 0, format_func=bodies.get)
st.query_params["ente"] = ente
items = cached.published(path, version, ente)
years = sorted({p.anno for p in items}, reverse=True)
anni = ["Tutti gli anni"] + years
try:
    wanted_year = int(ui.qp("anno"))
except (TypeError, ValueError):
    wanted_year = None
if wanted_year is not None and wanted_year not in years:
    st.info(f"Nessun dato pubblicato per il {wanted_year}: sono mostrati gli anni pubblicati.")
anno = st.selectbox("Anno", anni, index=anni.index(wanted_year) if wanted_year in years else 0)
if anno != "Tutti gli anni":
    st.query_params["anno"] = str(anno)
    items = [p for p in items if p.anno == anno]
elif "anno" in st.query_params:
    del st.query_params["anno"]
dati = [d for d in publication.DATI if ui.qp("dato") in (None, d)]
if ui.qp("dato") and ui.qp("dato") not in publication.DATI:
    st.warning("Dato non riconosciuto: sono mostrati tutti i dati pubblicati.")
    dati = list(publication.DATI)
for dato in dati:
    these = [p for p in items if p.dato == dato]
    st.subheader(publication.DATI[dato])
    if not these:
        st.caption("Nessun dato pubblicato" + (f" per il {anno}." if anno != "Tutti gli anni" else "."))
        continue
    chart = public_views.chart(dato, these)
    if chart is not None:
        st.altair_chart(chart, width="stretch")
        st.caption(public_views.chart_text(dato, these))
    # A static HTML table (not the canvas grid): screen readers read it, and it prints.
    st.table(public_views.table(dato, these), hide_index=True, alt=publication.DATI[dato])
    for note in public_views.restatements(these):
        st.info(ui.plain(note), icon=":material/edit_note:")
    c1, c2 = st.columns(2)
    name = f"{ente}_{dato}" + (f"_{anno}" if anno != "Tutti gli anni" else "")
    c1.download_button("Scarica CSV (dati aperti)", public_views.open_data_csv(these), f"{name}.csv", "text/csv",
                       key=f"csv-{dato}", on_click="ignore")
    c2.download_button("Scarica JSON (dati aperti)", public_views.open_data_json(ente, dato, these), f"{name}.json",
                       "application/json", key=f"json-{dato}", on_click="ignore")
