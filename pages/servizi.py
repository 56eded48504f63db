"""Servizi: the service metrics quarter by quarter, each next to the same quarter of the year before."""
import pandas as pd
import streamlit as st

from dashboard import cached, charts, formats, service_metrics, ui

ente, ente_nome = ui.pick_ente()
anno, trimestre = ui.pick_period(ente)
path, version = cached.path(), cached.version()

st.title("Servizi")
st.caption(f"{ente_nome} — {anno} a confronto con il {anno - 1}, trimestre per trimestre")
data = cached.services_quarterly(path, version, ente, service_metrics.all_codes(), anno)
data = data[(data["anno"] < anno) | (data["trimestre"] <= trimestre)]
ui.demo_banner(bool(data["demo"].any()) if not data.empty else False)

for title, explanation, metrics in service_metrics.SECTIONS:
    st.subheader(title)
    st.caption(explanation)
    cols = st.columns(2 if len(metrics) > 1 else 1)
    for i, m in enumerate(metrics):
        with cols[i % len(cols)]:
            st.markdown(f"**{m.title}**")
            d = data[data["indicatore"] == m.code]
            if d.empty:
                st.caption(f"Nessun dato per il {anno} e il {anno - 1}.")
                continue
            if (d["ambito"] == "progressivo").any():
                st.caption("Alcuni valori sono progressivi (dall'inizio dell'anno), come riportati nei documenti.")
            table = pd.DataFrame({"Anno": d["anno"], "Trimestre": [formats.ROMAN[int(t)] for t in d["trimestre"]],
                                  "Valore": d["valore"].round(2), "Numeratore": d["numeratore"],
                                  "Denominatore": d["denominatore"],
                                  "Dimostrativo": d["demo"].map({True: "sì", False: "no"})})
            ui.data_block(charts.quarterly_bars(d, anno, d["unita"].iloc[0], m.reference, m.reference_label),
                          table, f"{m.code}_{anno}", f"svc-{m.code}")
