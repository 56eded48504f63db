"""Il mio account (every role): who the user is, and changing its own password."""
import streamlit as st

from dashboard.core import accounts, body_access, db, labels
from dashboard.web import client, session, ui

user = session.require_user()
con = db.cursor()
st.title("Il mio account")
offices = f" — uffici {', '.join(user.uffici)}" if user.uffici else ""
st.markdown(f"**{ui.plain(user.username)}** — {ui.plain(labels.ROLE_LABELS[user.ruolo] + offices)}")
st.caption(ui.plain("Enti: " + ", ".join(body_access.member_bodies(con, user.username) or [user.ente])))

st.subheader("Cambia la password")
if session.mode() != "local":
    st.info("L'accesso avviene tramite il single sign-on dell'ente: la password si cambia lì.")
    st.stop()
st.caption("Almeno 8 caratteri. Le altre sessioni aperte con questo account (altri browser o dispositivi) vengono "
           "chiuse; questa resta aperta.")
FIELDS = ("pw_attuale", "pw_nuova", "pw_ripeti")
with st.form("cambia_password"):
    attuale = st.text_input("Password attuale", type="password", key=FIELDS[0], autocomplete="current-password")
    nuova = st.text_input("Nuova password", type="password", key=FIELDS[1], autocomplete="new-password")
    ripeti = st.text_input("Ripeti la nuova password", type="password", key=FIELDS[2], autocomplete="new-password")
    change = st.form_submit_button("Cambia la password", type="primary")
if change:
    session.write(lambda: accounts.change_password(con, user, attuale, nuova, ripeti, session_id=session.session_id(),
                                                   source=client.source()),
                  "Password cambiata. Le altre sessioni aperte con questo account sono state chiuse.", clear=FIELDS)
