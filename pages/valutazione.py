"""Valutazione OIV: the year's targets as a compact list and, beside it, the dossier of the chosen target: its text,
thresholds with when each applied, every version of its values, sources, corrections, evidence, verdicts."""
import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.core import db, formats, labels, measurements, periods, reviews, roles
from dashboard.files import evaluation_export, exports
from dashboard.web import cached, dossier, dossier_section, frames, session, ui
from queries import detail

user, _, _ = session.body_user("vedere_valutazione")  # acting in the body picked
con = db.cursor()
st.title("Valutazione OIV")
years = sorted(periods.plan_years(con, user.ente), reverse=True)
default = cached.default_period(cached.path(), cached.version(), user.ente, dt.date.today())
default_year = default[0] if default and default[0] in years else years[0]
wanted = ui.qp("anno")
c0, c1, c2, c3, c4 = st.columns(5)
anno = c0.selectbox("Anno", years, index=years.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in years
                    else years.index(default_year))
st.query_params["anno"] = str(anno)
raw = reviews.table(con, user.ente, anno)
frame = reviews.evaluation_frame(raw)
measured = int((raw["status"] != "non_rilevato").sum())
c1.metric("Target", len(frame))
c2.metric("Misurati", f"{measured} di {len(frame)}")
c3.metric("Verdetti espressi", int((frame["Verdetto OIV"] != "").sum()))
c4.metric("Valori corretti", int(frame["Correzioni"].sum()))
ui.demo_banner(bool(raw["demo"].any()))

codes = list(raw["target"])
listed = dossier.compact_list(raw)
wanted_target = ui.qp("target")
chosen = st.session_state.get("oiv_target")
# Set on every run, not only the first: a value set here is sent to the browser with the box, which then shows it
# with this run's label. Otherwise the box kept the label of the run it was chosen in (2020's status after a
# switch to 2021, or before a correction changed the status) while the dossier below showed the new one.
st.session_state["oiv_target"] = chosen if chosen in codes else wanted_target if wanted_target in codes else codes[0]


def _pick_row() -> None:
    # A click on a row of the list chooses the target (before the page runs, so the picker follows).
    rows = st.session_state["oiv_elenco"].selection.rows
    if rows:
        st.session_state["oiv_target"] = codes[rows[0]]


left, right = st.columns([2, 3], gap="medium")
with left:
    st.subheader(f"Target del {anno}")
    # Four narrow columns: the list fits beside the dossier at 1280 px without scrolling sideways.
    st.dataframe(listed, hide_index=True, width="stretch", height=520, key="oiv_elenco", on_select=_pick_row,
                 selection_mode="single-row",
                 column_config={"Target": st.column_config.TextColumn(width=52),
                                "Stato": st.column_config.TextColumn(width=44, help=dossier.status_legend()),
                                "Grado": st.column_config.TextColumn(width=64),
                                "Verdetto": st.column_config.TextColumn(width=120)})
    st.caption(f"{dossier.status_legend()}. Un clic su una riga apre il dossier del target.")

with right:
    status_of = dict(zip(raw["target"], raw["status"]))
    target = st.selectbox("Target", codes, key="oiv_target", format_func=lambda t: f"{t} — {ui.status_text(status_of[t])}")
    st.query_params["target"] = target
    row = raw.set_index("target").loc[target]
    st.subheader(f"Dossier del target {ui.plain(target)}")
    st.markdown(f"> {ui.plain(row['testo'])}")
    st.write(f"**Stato:** {ui.status_text(row['status'])} · **Grado:** {ui.fmt_grado(row['grado'])} · "
             f"**Valore finale:** {formats.fmt_num(row['valore']) if pd.notna(row['valore']) else '–'}")
    if row["status"] == "non_rilevato" and isinstance(row["motivo_non_rilevato"], str):
        st.caption(f"Non rilevato: {ui.plain(row['motivo_non_rilevato'])}.")
    for c in (list(row["condizioni"]) if row["condizioni"] is not None else []):
        st.markdown(f"**{ui.plain(c['nome'])}** · condizione "
                    f"{ui.plain(formats.fmt_condition(c['operatore'], c['soglia'], c['unita']))}")
        lines = frames.threshold_lines(detail.threshold_history(con, user.ente, target, int(row["anno_da"]),
                                                                 c["indicatore"]), c["unita"])
        if lines:
            st.caption("Soglie nel piano (ogni trimestre è giudicato con quella in vigore alla sua fine):  \n"
                       + "  \n".join(ui.plain(x) for x in lines))
        history = measurements.history(con, user.ente, c["indicatore"])
        values = dossier.versions_table(history, anno)
        if values.empty:
            st.caption(f"Nessun valore nel {anno}.")
            continue
        st.dataframe(values, hide_index=True, width="stretch", column_config={
            "Periodo": st.column_config.TextColumn(width=96), "Versione": st.column_config.NumberColumn("Vers.", width=44),
            "Valore": st.column_config.TextColumn(width=64), "In vigore": st.column_config.TextColumn(width=80)})
        if fixes := dossier.corrections(history, anno):
            st.markdown("**Correzioni**  \n" + "  \n".join(ui.plain(x) for x in fixes))
        if found := dossier.sources(history, anno):
            st.caption("Fonti: " + ui.plain("; ".join(found)))
    ev = detail.evidence(con, user.ente, target, int(row["anno_da"]))
    ev = ev[ev["anno"] == anno]
    if ev.empty:
        st.markdown("**Evidenze:** nessuna")
    else:
        st.markdown("**Evidenze**")
        for e in ev.itertuples():
            st.caption(f"{formats.fmt_period(e.anno, e.trimestre)} — {ui.plain(e.fonte)}")
            st.text(e.testo)

    # Issue 14: frozen figure vs now, explanation, evidence files to download, who approved each value.
    dossier_section.render(con, user, target, anno,
                           [c["indicatore"] for c in (list(row["condizioni"]) if row["condizioni"] is not None else [])])
    history = reviews.verdict_history(con, user.ente, target, anno)
    st.markdown("**Verdetti**" if not history.empty else "**Verdetti:** nessuno")
    if not history.empty:
        st.dataframe(pd.DataFrame({"Verdetto": history["verdetto"].map(labels.VERDICT_LABELS),
                                   "Su grado": [ui.fmt_grado(g) for g in history["grado"]],
                                   "Commento": history["commento"].fillna(""),
                                   "OIV": [f"{u}, {formats.fmt_datetime(x)}" for u, x in
                                           zip(history["utente"], history["quando"])]}),
                     hide_index=True, width="stretch")
    if roles.allowed(user, "registrare_verdetti"):
        # clear_on_submit: the comment does not stay in the box to be sent twice.
        with st.form("verdetto", clear_on_submit=True):
            verdetto = st.radio("Verdetto", list(labels.VERDICT_LABELS), format_func=labels.VERDICT_LABELS.get,
                                horizontal=True)
            commento = st.text_area("Commento", help="Obbligatorio per un verdetto con riserva o negativo")
            if st.form_submit_button(f"Registra il verdetto sul target {target}", type="primary"):
                session.write(lambda: reviews.record_verdict(con, user, target, anno, verdetto, commento),
                              f"Verdetto registrato per il target {target}: {labels.VERDICT_LABELS[verdetto]}.")

st.subheader(f"Tabella di valutazione {anno}")
st.caption("Ogni target con valori, grado, stato, evidenze, correzioni e verdetto: da allegare alla Relazione.")
ente_nome = cached.enti(cached.path(), cached.version()).set_index("codice").loc[user.ente, "nome"]
d1, d2, d3 = st.columns(3)
d1.download_button("Esporta XLSX", exports.xlsx_bytes(frame, f"Valutazione {anno}"), f"valutazione_{anno}.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
d2.download_button("Esporta CSV", exports.csv_bytes(frame), f"valutazione_{anno}.csv", "text/csv", on_click="ignore")
d3.download_button("Esporta PDF", lambda: evaluation_export.pdf_bytes(frame, ente_nome, anno),
                   f"valutazione_{anno}.pdf", "application/pdf", on_click="ignore")
