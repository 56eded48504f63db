"""Inserimento dati: per office and quarter, what is entered, what is missing, what was corrected late."""
import pandas as pd
import streamlit as st

from dashboard.core import db, formats, periods
from dashboard.web import session, ui
from queries import entry

user = session.require_allowed("vedere_inserimento")
con = db.cursor()
st.title("Inserimento dati")
years = sorted(periods.plan_years(con, user.ente), reverse=True)
wanted = ui.qp("anno")
anno = st.selectbox("Anno", years, index=years.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in years
                    else years.index(periods.default_year(years)))
st.query_params["anno"] = str(anno)
df = entry.coverage(con, user.ente, anno)
if df.empty:
    st.info(f"Nessun indicatore da rilevare nel {anno}.")
    st.stop()
st.caption(f"Correzione tardiva: un valore corretto più di {entry.LATE_DAYS} giorni dopo la fine del trimestre.")
wide = df.assign(cella=[f"{i}/{d}" + (f" · {int(late)} tard." if late else "") for i, d, late in
                        zip(df["inseriti"], df["dovuti"], df["correzioni_tardive"])])
pivot = wide.pivot(index="ufficio", columns="trimestre", values="cella")
pivot.columns = [formats.ROMAN[int(c)] + " trim." for c in pivot.columns]
names = df.drop_duplicates("ufficio").set_index("ufficio")["nome"]
pivot.insert(0, "Ufficio", [f"{u} — {names[u]}" for u in pivot.index])
st.dataframe(pivot, hide_index=True, width="stretch")
missing = df[df["mancanti"] > 0]
st.subheader("Valori mancanti")
if missing.empty:
    st.success("Nessun valore mancante.")
else:
    table = pd.DataFrame({"Ufficio": missing["ufficio"], "Trimestre": [formats.fmt_period(anno, t) for t in missing["trimestre"]],
                          "Mancanti": missing["mancanti"], "Indicatori": missing["quali_mancano"]})
    st.dataframe(table, hide_index=True, width="stretch")
    ui.downloads(table, f"valori_mancanti_{anno}", "missing")
