"""Scostamenti ed evidenze: why a target at risk or missed deviates and what is done about it; the documents
that prove a result, attached to a target and quarter, downloadable, withdrawn only with a reason."""
import streamlit as st

from dashboard.core import db, deviations, evidence, formats, periods, roles
from dashboard.core.errors import Refused
from dashboard.files import evidence_store
from dashboard.web import chain_views, session, ui
from queries import status as status_queries

user, _, _ = session.body_user()  # acting in the body picked
con = db.cursor()
st.title("Scostamenti ed evidenze")
years = sorted(periods.plan_years(con, user.ente), reverse=True)
wanted = ui.qp("anno")
left, right = st.columns(2)
anno = left.selectbox("Anno", years, index=years.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in years
                      else years.index(periods.default_year(years)))
trimestre = right.selectbox("Situazione al", [4, 3, 2, 1], format_func=lambda q: "fine anno" if q == 4
                            else formats.fmt_period(anno, q))
st.query_params["anno"] = str(anno)
targets = status_queries.status(con, anno, 4, ente=user.ente)
offices = {t: deviations.target_offices(con, user.ente, t, a) for t, a in zip(targets["target"], targets["anno_da"])}


def mine(target: str) -> bool:
    return roles.acts_for_office(user, offices.get(target) or ["-"])


st.subheader("Spiegazioni degli scostamenti")
st.caption("Per i target a rischio in corso d'anno e, a fine anno, per quelli non pienamente raggiunti: la causa "
           "e l'azione correttiva. L'anno non si chiude per la validazione finché ne manca una di fine anno.")
req = deviations.required(con, user.ente, anno, trimestre)
if req.empty:
    st.success("Nessun target richiede una spiegazione.")
else:
    st.dataframe(chain_views.explanations_table(req), hide_index=True, width="stretch")
    editable = [t for t in req["target"] if mine(t)] if roles.allowed(user, "spiegare_scostamenti") else []
    if editable:
        with st.form("spiegazione"):
            target = st.selectbox("Target da spiegare", editable)
            cur = req.set_index("target").loc[target]
            causa = st.text_area("Causa dello scostamento", value=cur["causa"] if isinstance(cur["causa"], str) else "")
            azione = st.text_area("Azione correttiva", value=cur["azione"] if isinstance(cur["azione"], str) else "")
            if st.form_submit_button("Salva la spiegazione", type="primary"):
                session.write(lambda: deviations.explain(con, user, target, anno, trimestre, causa, azione),
                              f"Spiegazione di {target} registrata.")

st.subheader("Evidenze")
files = evidence.in_force(con, user.ente, anno)
if files.empty:
    st.caption(f"Nessuna evidenza allegata per il {anno}.")
else:
    st.dataframe(chain_views.evidence_table(files), hide_index=True, width="stretch")
    pick = st.selectbox("Scarica", list(files["id"]), format_func=lambda i: (
        f"{files.set_index('id').loc[i, 'target']} — {files.set_index('id').loc[i, 'nome_file']}"))
    name, mime, data = evidence.content(con, user.ente, int(pick))
    st.download_button(f"Scarica {name}", data, file_name=name, mime=mime, key="scarica_evidenza")
if roles.allowed(user, "allegare_evidenze"):
    own = [t for t in targets["target"] if mine(t)]
    if own:
        with st.form("allega", clear_on_submit=True):
            st.markdown("**Allega un'evidenza** (PDF, XLSX, DOCX, ODT, PNG, JPEG; massimo "
                        f"{evidence.MAX_BYTES // (1024 * 1024)} MB; il tipo si riconosce dal contenuto)")
            target = st.selectbox("Target", own)
            q = st.selectbox("Trimestre", [4, 3, 2, 1], format_func=lambda x: formats.fmt_period(anno, x))
            what = st.text_input("Che cosa documenta")
            upload = st.file_uploader("File", type=["pdf", "xlsx", "docx", "odt", "png", "jpg", "jpeg"])
            if st.form_submit_button("Allega"):
                if upload is None:
                    session.refusal(Refused("Scegliere il file da allegare."))
                else:
                    session.write(lambda: evidence_store.attach(con, user, target, anno, q, upload.name,
                                                                upload.getvalue(), what),
                                  f"{upload.name} allegato a {target}.")
        withdrawable = files[[mine(t) for t in files["target"]]] if not files.empty else files
        if not withdrawable.empty:
            with st.form("ritira"):
                wid = st.selectbox("Ritira un'evidenza", list(withdrawable["id"]), format_func=lambda i: (
                    f"{withdrawable.set_index('id').loc[i, 'target']} — {withdrawable.set_index('id').loc[i, 'nome_file']}"))
                why = st.text_input("Motivo del ritiro")
                if st.form_submit_button("Ritira"):
                    session.write(lambda: evidence.withdraw(con, user, int(wid), why), "Evidenza ritirata.")
