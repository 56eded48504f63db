"""Chiusura e Relazione: the planning office closes the year for validation (a snapshot of every judged figure,
value, explanation and evidence list); the frozen figures next to the current ones; the Relazione sulla
performance (PDF, DOCX) and the OIV's validation sheet, from the snapshot."""
import streamlit as st

from dashboard.core import db, formats, periods, roles, year_freeze
from dashboard.files import relazione_export
from dashboard.web import cached, chain_views, session, ui

user, _, _ = session.body_user("vedere_valutazione")  # acting in the body picked
con = db.cursor()
st.title("Chiusura e Relazione")
years = sorted(periods.plan_years(con, user.ente), reverse=True)
wanted = ui.qp("anno")
anno = st.selectbox("Anno", years, index=years.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in years
                    else years.index(periods.default_year(years)))
st.query_params["anno"] = str(anno)
fz = year_freeze.latest(con, user.ente, anno)
blockers = year_freeze.blockers(con, user.ente, anno)
if fz is None:
    st.info(f"Il {anno} non è ancora chiuso per la validazione.")
else:
    st.success(f"Il {anno} è chiuso per la validazione dal {formats.fmt_datetime(fz['quando'])} "
               f"(da {fz['utente']}, chiusura n. {fz['id']}).", icon=":material/lock:")
if roles.allowed(user, "chiudere_anno"):
    for b in blockers:
        st.warning(b[0].upper() + b[1:] + ".", icon=":material/warning:")
    with st.form("chiudi"):
        nota = st.text_input("Nota (facoltativa)")
        label = "Chiudi l'anno per la validazione" if fz is None else "Nuova chiusura (sostituisce la precedente)"
        # A second closing replaces the snapshot in force: never the prominent button once the year is closed.
        if st.form_submit_button(label, type="primary" if fz is None else "secondary", disabled=bool(blockers)):
            session.write(lambda: year_freeze.close_year(con, user, anno, nota), f"Il {anno} è chiuso per la validazione.")
if fz is not None:
    st.subheader("Cifre congelate e cifre attuali")
    cmp = year_freeze.compare(con, user.ente, anno)
    n = int(cmp["modificato"].sum())
    st.caption("Le cifre congelate non cambiano: una correzione successiva (con il suo motivo) compare accanto, "
               f"come «modificato dopo la validazione». Target modificati: {n}.")
    st.dataframe(chain_views.freeze_table(cmp), hide_index=True, width="stretch")
    ente_nome = cached.enti(cached.path(), cached.version()).set_index("codice").loc[user.ente, "nome"]
    c1, c2, c3 = st.columns(3)
    c1.download_button("Relazione (PDF)", ui.on_click(lambda c: relazione_export.pdf_bytes(c, user.ente, ente_nome, anno)),
                       f"relazione_performance_{anno}.pdf", "application/pdf", on_click="ignore")
    c2.download_button("Relazione (DOCX)", ui.on_click(lambda c: relazione_export.docx_bytes(c, user.ente, ente_nome, anno)),
                       f"relazione_performance_{anno}.docx",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document", on_click="ignore")
    c3.download_button("Scheda di validazione OIV (PDF)",
                       ui.on_click(lambda c: relazione_export.validation_sheet_pdf(c, user.ente, ente_nome, anno)),
                       f"validazione_oiv_{anno}.pdf", "application/pdf", on_click="ignore")
