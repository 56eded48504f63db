"""Cruscotto: the body's overall achievement for a quarter, per area and per target."""
import streamlit as st

from dashboard import db, formats, ui
from queries import status as status_queries

con = db.cursor()
periods = ui.period_options(status_queries.latest_period_with_data(con))
anno, trimestre = st.sidebar.selectbox("Periodo", periods, format_func=lambda p: formats.fmt_period(*p))

st.title("Cruscotto della performance")
ente = status_queries.status(con, anno, trimestre, "ente")
targets = status_queries.status(con, anno, trimestre, "target")
if ente.empty:
    st.info(f"Nessun target in vigore nel {anno}.")
    st.stop()
row = ente.iloc[0]
st.caption(f"{row['nome']} — situazione al {formats.fmt_period(anno, trimestre)}")
if bool(row["demo"]):
    st.warning("Dati dimostrativi: i valori 2020 sono generati per mostrare il cruscotto e non sono misure reali.")

counts = ui.status_counts(targets)
cols = st.columns(len(counts) + 1)
cols[0].metric("Grado complessivo", formats.fmt_pct(row["grado"]) if row["grado"] == row["grado"] else "–")
for col, (status, n) in zip(cols[1:], counts.items()):
    col.metric(ui.status_text(status), n)

st.subheader("Aree strategiche")
areas = status_queries.status(con, anno, trimestre, "area")
st.dataframe(
    {"Area": areas["area"] + " " + areas["nome"],
     "Grado": [formats.fmt_pct(g) if g == g else "–" for g in areas["grado"]],
     "Stato": [ui.status_text(s) for s in areas["status"]],
     "Target": areas["n_target"].astype(int)},
    hide_index=True, width="stretch")

st.subheader("Target")
st.dataframe(ui.target_table(targets), hide_index=True, width="stretch")
