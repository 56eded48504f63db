"""Budget: oneri, ricavi, contributi, investimenti per area and objective, with the document's totals."""
import pandas as pd
import streamlit as st

from dashboard.core import formats, labels
from dashboard.web import cached, charts, session, ui
from queries import budget as budget_queries

user, ente, ente_nome = session.body_user()
path, version = cached.path(), cached.version()
years = cached.budget_years(path, version, ente)
st.title("Budget")
if not years:
    st.info("Nessun budget nel piano.")
    st.stop()
wanted = ui.qp("anno_budget")
anno = st.sidebar.selectbox("Anno di budget", years, index=years.index(int(wanted)) if wanted and wanted.isdigit()
                            and int(wanted) in years else 0)
st.query_params["anno_budget"] = str(anno)
st.caption(f"{ui.plain(ente_nome)} — budget di massima {anno} (costi esterni: non comprendono personale e struttura)")

lines = cached.budget_by_objective(path, version, ente, anno)
areas = budget_queries.by_area(lines)
total = areas[["oneri", "investimenti", "ricavi_contributi", "costi_esterni"]].sum()
c1, c2, c3 = st.columns(3)
c1.metric("Costi esterni (con investimenti)", formats.fmt_euro(total["costi_esterni"]))
c2.metric("di cui investimenti", formats.fmt_euro(total["investimenti"]))
c3.metric("Contributi e ricavi", formats.fmt_euro(total["ricavi_contributi"]))

st.subheader("Per area strategica")
areas["Area"] = areas["area"] + " " + areas["area_nome"]
area_table = pd.DataFrame({"Area": areas["Area"], "Oneri": areas["oneri"], "Investimenti": areas["investimenti"],
                           "Costi esterni": areas["costi_esterni"], "Ricavi": areas["ricavi"],
                           "Contributi": areas["contributi"], "Ricavi e contributi": areas["ricavi_contributi"]})
ui.data_block(charts.budget_bars(areas, "Area"), area_table, f"budget_aree_{anno}", "b-aree")

st.subheader("Per obiettivo strategico")
lines["Obiettivo"] = [f"{c} {formats.shorten(t, 50)}" for c, t in zip(lines["obiettivo"], lines["titolo"])]
lines["ricavi_contributi"] = lines["ricavi"] + lines["contributi"]
obj_table = pd.DataFrame({"Obiettivo": lines["obiettivo"], "Titolo": lines["titolo"], "Area": lines["area"],
                          "Oneri": lines["oneri"], "Investimenti": lines["investimenti"], "Ricavi": lines["ricavi"],
                          "Contributi": lines["contributi"]})
ui.data_block(charts.budget_bars(lines[lines[["oneri", "investimenti", "ricavi_contributi"]].sum(axis=1) > 0], "Obiettivo"),
              obj_table, f"budget_obiettivi_{anno}", "b-obj")

st.subheader("Totali stampati nel documento e ricalcolati")
check = cached.budget_check(path, version, ente)
check = check[check["anno"] == anno]
st.dataframe(pd.DataFrame({
    "Livello": [f"{labels.BUDGET_LEVEL_LABELS.get(lv, lv)} {c}".strip() if lv != "ente" else "Ente"
                for lv, c in zip(check["livello"], check["codice"])],
    "Voce": check["voce"].map(lambda v: labels.BUDGET_ITEM_LABELS.get(v, v)), "Testo nel documento": check["testo"],
    "Stampato": [formats.fmt_euro(v) for v in check["stampato"]],
    "Ricalcolato": [formats.fmt_euro(v) for v in check["calcolato"]],
    "Esito": ["✔ coincide" if ok else "✖ differisce" for ok in check["coincide"]]}), hide_index=True, width="stretch",
    column_config={"Livello": st.column_config.TextColumn(width="small"),
                   "Testo nel documento": st.column_config.TextColumn(width="large")})

st.subheader("Segnalazioni sulla qualità dei dati")
warnings = cached.warnings(path, version, ente)
if warnings.empty:
    st.success("Nessuna segnalazione.")
else:
    st.caption("Incoerenze del documento di origine: caricate come sono, da verificare con l'ufficio Programmazione e controllo.")
    # A static table: the description wraps and is read whole (a scrolling grid cut it off).
    st.table(pd.DataFrame({"Origine": warnings["origine"].map({"documento": "Documento", "controllo": "Controllo automatico"}),
                           "Oggetto": warnings["oggetto"], "Descrizione": warnings["descrizione"]}).set_index("Origine"))
