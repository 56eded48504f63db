"""Cruscotto: the body's overall achievement for a quarter, per area, what is at risk, who is late."""
import pandas as pd
import streamlit as st

from dashboard.core import formats, labels
from dashboard.web import cached, charts, navigation, session, ui

user = session.require_user()
ente, ente_nome = ui.pick_ente()
anno, trimestre = ui.pick_period(ente)
path, version = cached.path(), cached.version()

st.title("Cruscotto della performance")
st.caption(f"{ui.plain(ente_nome)} — situazione al {formats.fmt_period(anno, trimestre)}")
body = cached.status(path, version, anno, trimestre, "ente", ente)
if body.empty:
    st.info(f"Nessun target in vigore nel {anno}.")
    st.stop()
row = body.iloc[0]
ui.demo_banner(bool(row["demo"]))
targets = cached.status(path, version, anno, trimestre, "target", ente)

counts = ui.status_counts(targets)
shown = [s for s in counts if counts[s] or s in ("raggiunto", "non_rilevato")]
cols = st.columns(len(shown) + 1)
cols[0].metric("Grado complessivo", ui.fmt_grado(row["grado"]), help=f"{int(row['n_rilevati'])} target rilevati su {int(row['n_target'])}")
for col, status in zip(cols[1:], shown):
    col.metric(ui.status_text(status), counts[status])

st.subheader("Aree strategiche")
areas = cached.status(path, version, anno, trimestre, "area", ente)
areas["Area"] = areas["area"] + " " + areas["nome"]
ui.data_block(
    charts.grado_bars(areas, "Area"),
    pd.DataFrame({"Area": areas["Area"], "Grado": [ui.fmt_grado(g) for g in areas["grado"]],
                  "Stato": [ui.status_text(s) for s in areas["status"]],
                  "Target": areas["n_target"].astype(int), "Rilevati": areas["n_rilevati"].astype(int)}),
    f"aree_{anno}_T{trimestre}", "aree")

in_year = trimestre < 4
st.subheader("Target a rischio" if in_year else "Target non pienamente raggiunti")
worry = ["a_rischio"] if in_year else ["non_raggiunto", "parzialmente_raggiunto"]
risky = targets[targets["status"].isin(worry)].sort_values(["grado", "target"])
if risky.empty:
    st.success("Nessun target a rischio." if in_year else "Tutti i target rilevati sono raggiunti.")
for r in risky.itertuples():
    st.page_link(navigation.page("aree"), label=f"{labels.STATUS_SYMBOLS[r.status]} {r.target} — {ui.fmt_grado(r.grado)} — "
                 f"{r.testo[:110]}{'…' if len(r.testo) > 110 else ''}",
                 query_params={"ente": ente, "anno": str(anno), "trimestre": str(trimestre), "target": r.target})

st.subheader(f"Uffici senza dati del {formats.fmt_period(anno, trimestre)}")
late = cached.late_offices(path, version, ente, anno, trimestre)
if late.empty:
    st.success("Tutti gli uffici hanno inserito i dati del trimestre.")
else:
    table = pd.DataFrame({"Ufficio": late["ufficio"] + " — " + late["nome"].fillna(""),
                          "Indicatori mancanti": late["mancanti"].astype(int), "Su": late["indicatori"].astype(int),
                          "Quali": late["indicatori_mancanti"]})
    st.dataframe(table, hide_index=True, width="stretch")
    ui.downloads(table, f"uffici_in_ritardo_{anno}_T{trimestre}", "late")
