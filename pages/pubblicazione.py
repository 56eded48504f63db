"""Pubblicazione: the planning office publishes figures for Amministrazione trasparente, or restates them."""
import streamlit as st

from dashboard.core import db, publication
from dashboard.core.errors import Refused
from dashboard.core.formats import ROMAN
from dashboard.web import cached, public_views, session, ui

user, ente, ente_nome = session.body_user("modificare_piano")
st.title("Pubblicazione")
st.caption(f"{ui.plain(ente_nome)} — i dati pubblicati compaiono nella pagina pubblica «Dati pubblicati», senza "
           "accesso. Ripubblicare un dato è una rettifica: serve il motivo, e la prima pubblicazione resta visibile.")
c1, c2, c3 = st.columns(3)
dato = c1.selectbox("Dato", list(publication.DATI), format_func=publication.DATI.get)
anno = c2.number_input("Anno", min_value=2000, max_value=2100, value=2020, step=1, format="%d")
trimestre = c3.selectbox("Periodo", [1, 2, 3, 4, 0], format_func=lambda t: "Anno" if t == 0 else f"{ROMAN[t]} trimestre")
con = db.cursor(cached.path())
try:
    preview = publication.preview(con, ente, dato, int(anno), trimestre)
except Refused as exc:
    session.refusal(exc)
    st.stop()
st.subheader(f"Anteprima: {preview.periodo}")
st.caption("Origine: " + ("calcolato dai record e dal piano" if preview.origine == "calcolato" else "inserito a mano"))
for warning in preview.avvisi:
    st.warning(ui.plain(warning), icon=":material/warning:")
st.dataframe(public_views.display(dato, preview.righe), hide_index=True, width="stretch")
with st.form("pubblica", clear_on_submit=True):
    motivo = st.text_input("Motivo della rettifica (solo se il dato è già pubblicato; sarà pubblicato)")
    if st.form_submit_button("Pubblica", type="primary"):
        session.write(lambda: publication.publish(con, user, ente, dato, int(anno), trimestre, motivo or None),
                      f"Pubblicato: {publication.DATI[dato]}, {preview.periodo}.")
