"""Accedi: local login (Argon2id, lock-out), or the platform's single sign-on where configured."""
import streamlit as st

from dashboard import auth, db, session

st.title("Cruscotto Performance")
st.caption("Accesso riservato al personale dell'ente e all'OIV.")
if notice := st.session_state.pop("_avviso", None):
    st.info(notice)

if session.mode() == "oidc":
    st.button("Accedi con il single sign-on", on_click=st.login, type="primary")
    if getattr(st.user, "is_logged_in", False):
        st.error(f"L'identità {st.user.get('email')} non corrisponde ad alcun utente del cruscotto: "
                 "chiedere l'abilitazione a Programmazione e controllo.")
    st.stop()

with st.form("accesso"):
    username = st.text_input("Nome utente", autocomplete="username")
    password = st.text_input("Password", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Accedi", type="primary")
if submitted:
    try:
        user = auth.login(db.cursor(), username, password)
    except auth.LoginError as exc:
        st.error(str(exc))
    else:
        session.start(user)
        st.rerun()
