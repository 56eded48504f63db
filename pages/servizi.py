"""Servizi: the service metrics quarter by quarter, each next to the same quarter of the year before."""
import pandas as pd
import streamlit as st

from dashboard.core import formats
from dashboard.web import cached, charts, service_metrics, session, ui

user, ente, ente_nome = session.body_user()
anno, trimestre = ui.pick_period(ente)
path, version = cached.path(), cached.version()

st.title("Servizi")
st.caption(f"{ui.plain(ente_nome)} — {anno} a confronto con il {anno - 1}, trimestre per trimestre (fino al "
           f"{formats.fmt_period(anno, trimestre)})")
data = cached.services_quarterly(path, version, ente, service_metrics.all_codes(), anno)
data = data[(data["anno"] < anno) | (data["trimestre"] <= trimestre)]
ui.demo_banner(bool(data["demo"].any()) if not data.empty else False)


def table_of(d: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Indicatore": d["titolo"], "Anno": d["anno"],
                         "Trimestre": [formats.ROMAN[int(t)] for t in d["trimestre"]],
                         "Valore": d["valore"].round(2), "Numeratore": d["numeratore"], "Denominatore": d["denominatore"],
                         "Tipo di dato": d["ambito"].map({"trimestre": "del trimestre", "progressivo": "progressivo"}),
                         "Dimostrativo": d["demo"].map({True: "sì", False: "no"})})


for title, explanation, metrics in service_metrics.SECTIONS:
    st.subheader(title)
    st.caption(explanation)
    titles = {m.code: m.title for m in metrics}
    section = data[data["indicatore"].isin(list(titles))].assign(titolo=lambda d: d["indicatore"].map(titles))
    if section.empty:
        st.caption(f"Nessun dato per il {anno} e il {anno - 1}.")
        continue
    if note := service_metrics.previous_year_note(section, anno):
        st.caption(note)
    if (section["ambito"] == "progressivo").any():
        st.caption("Alcuni valori sono progressivi (dall'inizio dell'anno), come riportati nei documenti.")
    key = title.split(" ")[0].lower() + str(len(metrics))
    if title in service_metrics.PANELLED:
        ref = metrics[0].reference
        chart = charts.quarterly_panels(section, anno, section["unita"].iloc[0], "titolo", riferimento=ref)
        ui.data_block(chart, table_of(section), f"servizi_{key}_{anno}", f"svc-{key}")
        continue
    cols = st.columns(len(metrics))
    for col, m in zip(cols, metrics):
        with col:
            st.markdown(f"**{m.title}**")
            d = section[section["indicatore"] == m.code]
            if d.empty:
                st.caption("Nessun dato.")
                continue
            ui.data_block(charts.quarterly_bars(d, anno, d["unita"].iloc[0], m.reference, m.reference_label),
                          table_of(d), f"{m.code}_{anno}", f"svc-{m.code}")

art33 = cached.itp_art33(path, version, ente, anno)
if not art33.empty:
    st.subheader("Tempestività dei pagamenti e debito scaduto (art. 33)")
    st.caption(service_metrics.art33_note(art33))
    st.dataframe(service_metrics.art33_table(art33, trimestre), hide_index=True, width="stretch")
