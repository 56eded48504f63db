"""Valutazione OIV: every target of a year with the data behind it, the OIV's verdicts, and the exports."""
import pandas as pd
import streamlit as st

from dashboard.core import db, formats, labels, measurements, periods, reviews, roles
from dashboard.files import evaluation_export, exports
from dashboard.web import cached, dossier_section, frames, session, ui
from queries import detail

user = session.require_allowed("vedere_valutazione")
con = db.cursor()
st.title("Valutazione OIV")
years = sorted(periods.plan_years(con, user.ente), reverse=True)
latest = cached.latest_period(cached.path(), cached.version(), user.ente)
default = latest[0] if latest and latest[0] in years else years[0]
wanted = ui.qp("anno")
anno = st.selectbox("Anno", years, index=years.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in years
                    else years.index(default))
st.query_params["anno"] = str(anno)
raw = reviews.table(con, user.ente, anno)
frame = reviews.evaluation_frame(raw)
ui.demo_banner(bool(raw["demo"].any()))
c1, c2, c3 = st.columns(3)
c1.metric("Target", len(frame))
c2.metric("Verdetti espressi", int((frame["Verdetto OIV"] != "").sum()))
c3.metric("Valori corretti", int(frame["Correzioni"].sum()))

st.dataframe(formats.italian_frame(frame.drop(columns=["Evidenze"])), hide_index=True, width="stretch")
ente_nome = cached.enti(cached.path(), cached.version()).set_index("codice").loc[user.ente, "nome"]
d1, d2, d3 = st.columns(3)
d1.download_button("Esporta XLSX", exports.xlsx_bytes(frame, f"Valutazione {anno}"), f"valutazione_{anno}.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
d2.download_button("Esporta CSV", exports.csv_bytes(frame), f"valutazione_{anno}.csv", "text/csv", on_click="ignore")
d3.download_button("Esporta PDF", lambda: evaluation_export.pdf_bytes(frame, ente_nome, anno), f"valutazione_{anno}.pdf",
                   "application/pdf", on_click="ignore")

st.subheader("Dettaglio di un target")
target = st.selectbox("Target", list(frame["Target"]), format_func=lambda t: f"{t} — "
                      + frame.set_index("Target").loc[t, "Testo"][:100])
row = raw.set_index("target").loc[target]
st.text(row["testo"])
st.write(f"**Valore atteso:** {reviews.expected_text(row['condizioni'])} · **Stato:** {ui.status_text(row['status'])} · "
         f"**Grado:** {ui.fmt_grado(row['grado'])}")
for c in (list(row["condizioni"]) if row["condizioni"] is not None else []):
    if changes := frames.threshold_changes(detail.threshold_history(con, user.ente, target, int(row["anno_da"]),
                                                                      c["indicatore"])):
        st.caption(f"La soglia di {c['indicatore']} è cambiata con una revisione del piano; ogni trimestre è "
                   "giudicato con quella in vigore alla sua fine:")
        st.text("\n".join(changes))
    with st.expander(f"Storico dei valori di {c['indicatore']} — {c['nome']}"):
        hist = pd.DataFrame(measurements.history(con, user.ente, c["indicatore"]))
        if hist.empty:
            st.caption("Nessun valore.")
        else:
            hist = hist[hist["anno"] == anno]
            st.dataframe(pd.DataFrame({
                "Periodo": [formats.fmt_period(a, t) for a, t in zip(hist["anno"], hist["trimestre"])],
                "Versione": hist["versione"], "Valore": [formats.fmt_num(v) for v in hist["valore"]],
                "In vigore": hist["in_vigore"].map({True: "sì", False: "no"}), "Inserito da": hist["utente"],
                "Il": [formats.fmt_datetime(x) for x in hist["registrato_il"]], "Motivo": hist["motivo"].fillna(""),
                "Fonte": hist["fonte"].fillna("")}), hide_index=True, width="stretch")
if isinstance(row["evidenza"], str):
    with st.expander("Evidenze"):
        st.text(row["evidenza"])
# Issue 14: frozen figure vs now, explanation, evidence files, approvals (a self-contained section).
dossier_section.render(con, user, target, anno, [c["indicatore"] for c in (list(row["condizioni"]) if row["condizioni"] is not None else [])])
history = reviews.verdict_history(con, user.ente, target, anno)
if not history.empty:
    st.caption("Verdetti registrati:")
    st.dataframe(pd.DataFrame({"Verdetto": history["verdetto"].map(labels.VERDICT_LABELS),
                               "Su grado": [ui.fmt_grado(g) for g in history["grado"]],
                               "Commento": history["commento"].fillna(""),
                               "OIV": history["utente"], "Il": [formats.fmt_datetime(x) for x in history["quando"]]}),
                 hide_index=True, width="stretch")

if roles.allowed(user, "registrare_verdetti"):
    with st.form("verdetto"):
        verdetto = st.radio("Verdetto", list(labels.VERDICT_LABELS), format_func=labels.VERDICT_LABELS.get, horizontal=True)
        commento = st.text_area("Commento", help="Obbligatorio per un verdetto con riserva o negativo")
        if st.form_submit_button("Registra il verdetto", type="primary"):
            session.write(lambda: reviews.record_verdict(con, user, target, anno, verdetto, commento),
                          f"Verdetto registrato per il target {target}: {labels.VERDICT_LABELS[verdetto]}.")
