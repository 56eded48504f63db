"""Registro attività: the audit trail, filterable and exportable."""
import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.core import audit, db, formats, labels
from dashboard.web import frames, session, ui

user, _, _ = session.body_user("leggere_registro")  # acting in the body picked
con = db.cursor()
st.title("Registro attività")
st.caption("Ogni scrittura: misure, correzioni, importazioni, verdetti, periodi, piano, utenti, accessi falliti. "
           "Il registro non si modifica né si cancella.")
c1, c2, c3, c4 = st.columns(4)
every = audit.sees_unattributed(user)  # the rows of no body: only who administers accounts
utente = c1.selectbox("Utente", ["(tutti)"] + audit.users(con, user.ente, every))
azione = c2.selectbox("Azione", ["(tutte)"] + audit.actions(con), format_func=lambda a: labels.ACTION_LABELS.get(a, a))
# Real dates as defaults: an empty date box shows Streamlit's English "dd / mm / yyyy".
first = audit.first_day(con, user.ente, every) or dt.date.today()
dal = c3.date_input("Dal", value=first, min_value=first, format="DD/MM/YYYY")
al = c4.date_input("Al", value=dt.date.today(), min_value=first, format="DD/MM/YYYY")
df = audit.trail(con, user, None if utente == "(tutti)" else utente, None if azione == "(tutte)" else azione,
                 dt.datetime.combine(dal, dt.time()) if dal else None,
                 dt.datetime.combine(al, dt.time()) + dt.timedelta(days=1) if al else None)
st.caption(formats.plural(len(df), "registrazione", "registrazioni"))
table = pd.DataFrame({"Quando": [formats.fmt_datetime(x) for x in df["quando"]], "Utente": df["utente"],
                      "Azione": [labels.ACTION_LABELS.get(a, a) for a in df["azione"]], "Oggetto": df["oggetto"].fillna(""),
                      "Prima": [frames.audit_text(x) for x in df["prima"]],
                      "Dopo": [frames.audit_text(x) for x in df["dopo"]], "Motivo": df["motivo"].fillna("")})
# Seven columns in the width of a 1280-pixel screen; a row chosen shows its before and after in full below.
shown = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                     key="registro", column_config={
                         "Quando": st.column_config.TextColumn(width=118), "Utente": st.column_config.TextColumn(width=95),
                         "Azione": st.column_config.TextColumn(width=105), "Oggetto": st.column_config.TextColumn(width=120),
                         "Prima": st.column_config.TextColumn(width=110), "Dopo": st.column_config.TextColumn(width=170),
                         "Motivo": st.column_config.TextColumn(width=100)})
if rows := shown.selection.rows:
    chosen = table.iloc[rows[0]]
    st.markdown(ui.plain(f"{chosen['Quando']} — {chosen['Utente']} — {chosen['Azione']}: {chosen['Oggetto']}"))
    st.text("\n".join(f"{k}: {chosen[k]}" for k in ("Prima", "Dopo", "Motivo") if chosen[k]))
else:
    st.caption("Scegliere una riga per leggerne per intero il prima, il dopo e il motivo.")
ui.downloads(table, "registro_attivita", "audit")
