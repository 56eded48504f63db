"""Approvazione valori: the office head (or the planning office) approves the values staff entered, or
returns them with a reason; staff see what was returned; the OIV and the Segretario read the history."""
import streamlit as st

from dashboard.core import approvals, db, measurements, periods, roles
from dashboard.web import chain_views, session, ui

user, _, _ = session.body_user("vedere_approvazioni")  # acting in the body picked
con = db.cursor()
st.title("Approvazione valori")
st.caption("I valori inseriti dal personale sono provvisori finché il responsabile dell'ufficio (o Programmazione e "
           "controllo) non li approva; un valore restituito va corretto in «Carica misure» e torna in approvazione.")
years = sorted(periods.plan_years(con, user.ente), reverse=True)
wanted = ui.qp("anno")
anno = st.selectbox("Anno", years, index=years.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in years
                    else years.index(periods.default_year(years)))
st.query_params["anno"] = str(anno)
df = approvals.pending(con, user, anno)
st.subheader("Valori da approvare o restituiti")
if df.empty:
    st.success("Nessun valore in attesa di approvazione.")
else:
    st.dataframe(chain_views.pending_table(df), hide_index=True, width="stretch")
    for _, r in df[df["stato_approvazione"] == "restituito"].iterrows():
        st.warning(chain_views.returned_text(r), icon=":material/undo:")
    if roles.allowed(user, "approvare_misure"):
        waiting = df[df["stato_approvazione"] == "provvisorio"]
        if not waiting.empty:
            rows = {chain_views.pending_label(r): r for _, r in waiting.iterrows()}
            choice = st.selectbox("Valore", list(rows))
            row = rows[choice]
            args = (con, user, row["indicatore"], int(row["anno"]), int(row["trimestre"]))
            left, right = st.columns(2)
            if left.button("Approva", type="primary"):
                session.write(lambda: approvals.approve(*args, versione=int(row["versione"])),
                              f"{row['indicatore']} {choice.split(' · ')[1]}: approvato.")
            with right.form("restituisci"):
                motivo = st.text_input("Motivo della restituzione")
                if st.form_submit_button("Restituisci"):
                    session.write(lambda: approvals.return_value(*args, motivo, versione=int(row["versione"])),
                                  f"{row['indicatore']} {choice.split(' · ')[1]}: restituito all'ufficio.")
    elif user.ruolo == "staff":
        st.info("I valori restituiti si correggono in «Carica misure» (correzione puntuale o nuovo modello).")

st.subheader("Storia di un indicatore")
inds = measurements.indicators(con, user.ente)
codes = sorted(c for c, i in inds.items() if user.ruolo not in ("staff", "responsabile") or i.ufficio in user.uffici)
if codes:
    code = st.selectbox("Indicatore", codes, format_func=lambda c: f"{c} — {inds[c].nome}")
    hist = approvals.history(con, user.ente, code)
    hist = hist[hist["anno"] == anno]
    if hist.empty:
        st.caption(f"Nessun valore trimestrale nel {anno}.")
    else:
        st.dataframe(chain_views.approval_history_table(hist), hide_index=True, width="stretch")
