"""Issue 13.6: a write's confirmation survives the rerun, and the form it came from is emptied (not on a refusal)."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _form_app():
    import streamlit as st

    from dashboard.core.errors import Refused
    from dashboard.web import session

    session.show_done()

    def save():
        if st.session_state["commento"] == "rifiuta":
            raise Refused("Commento non valido.")

    with st.form("verdetto"):
        st.text_area("Commento", key="commento")
        if st.form_submit_button("Registra"):
            session.write(save, "Verdetto registrato.", clear=("commento",))


def test_the_confirmation_survives_the_rerun_and_the_comment_box_is_emptied(db_file):
    at = AppTest.from_function(_form_app, default_timeout=30).run()
    at.text_area[0].input("valori verificati")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Verdetto registrato."]
    assert at.text_area[0].value == ""  # no duplicate invited
    at.run()
    assert not at.success  # said once


def test_a_refusal_keeps_what_was_typed(db_file):
    at = AppTest.from_function(_form_app, default_timeout=30).run()
    at.text_area[0].input("rifiuta")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Commento non valido."]
    assert at.text_area[0].value == "rifiuta" and not at.success
