"""Registro attività: the audit trail, filterable and exportable."""
import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.core import audit, db, formats, labels
from dashboard.web import session, ui

user = session.require_allowed("leggere_registro")
con = db.cursor()
st.title("Registro attività")
st.caption("Ogni scrittura: misure, correzioni, importazioni, verdetti, periodi, piano, utenti, accessi falliti. "
           "Il registro non si modifica né si cancella.")
c1, c2, c3, c4 = st.columns(4)
utente = c1.selectbox("Utente", ["(tutti)"] + audit.users(con))
azione = c2.selectbox("Azione", ["(tutte)"] + audit.actions(con), format_func=lambda a: labels.ACTION_LABELS.get(a, a))
dal = c3.date_input("Dal", value=None, format="DD/MM/YYYY")
al = c4.date_input("Al", value=None, format="DD/MM/YYYY")
df = audit.search(con, user.ente, None if utente == "(tutti)" else utente, None if azione == "(tutte)" else azione,
                  dt.datetime.combine(dal, dt.time()) if dal else None,
                  dt.datetime.combine(al, dt.time()) + dt.timedelta(days=1) if al else None)
st.caption(f"{len(df)} registrazioni")
table = pd.DataFrame({"Quando": [formats.fmt_datetime(x) for x in df["quando"]], "Utente": df["utente"],
                      "Azione": [labels.ACTION_LABELS.get(a, a) for a in df["azione"]], "Oggetto": df["oggetto"].fillna(""),
                      "Prima": df["prima"].fillna(""), "Dopo": df["dopo"].fillna(""), "Motivo": df["motivo"].fillna("")})
st.dataframe(table, hide_index=True, width="stretch")
ui.downloads(table, "registro_attivita", "audit")
