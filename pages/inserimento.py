"""Inserimento dati: per office and quarter, what is entered, what is missing, what was corrected late."""
import pandas as pd
import streamlit as st

from dashboard.core import db, formats, measurements, periods
from dashboard.web import session, ui
from queries import entry

user, _, _ = session.body_user("vedere_inserimento")  # acting in the body picked
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
pivot.insert(0, "Ufficio", [ui.office_label(u, names) for u in pivot.index])
st.dataframe(pivot, hide_index=True, width="stretch", column_config={"Ufficio": st.column_config.TextColumn(width="large")})
missing = df[df["mancanti"] > 0]
st.subheader("Valori mancanti")
if missing.empty:
    st.success("Nessun valore mancante.")
else:
    indicator_names = {code: ind.nome for code, ind in measurements.indicators(con, user.ente).items()}
    table = pd.DataFrame({"Ufficio": [ui.office_label(u, names) for u in missing["ufficio"]],
                          "Trimestre": [formats.fmt_period(anno, t) for t in missing["trimestre"]],
                          "Mancanti": missing["mancanti"].astype(int),
                          "Indicatori": ["; ".join(ui.indicator_label(c.strip(), indicator_names) for c in q.split(","))
                                         for q in missing["quali_mancano"]]})
    st.dataframe(table, hide_index=True, width="stretch", row_height=70, column_config={
        "Ufficio": st.column_config.TextColumn(width="medium"), "Trimestre": st.column_config.TextColumn(width="small"),
        "Mancanti": st.column_config.NumberColumn(width="small", format="%d"),
        "Indicatori": st.column_config.TextColumn(width="large")})
    ui.downloads(table, f"valori_mancanti_{anno}", "missing")
