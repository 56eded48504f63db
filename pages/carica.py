"""Carica misure: template → filled file → preview with every problem → confirm → receipt; one-value correction."""
import tempfile
from pathlib import Path

import streamlit as st

from dashboard.core import corrections, db, formats, measurements, periods, roles
from dashboard.core.errors import Refused
from dashboard.files import measurement_import, records_import, templates
from dashboard.web import cached, frames, session, ui

user, _, _ = session.body_user("inserire_misure")  # acting in the body picked
con = db.cursor()
st.title("Carica misure")
st.caption("Scaricare il modello dell'ufficio per il trimestre, compilarlo e caricarlo: il file viene controllato "
           "e scritto solo se non ha errori (tutto o niente).")

plan_offices = cached.plan_offices(cached.path(), cached.version(), user.ente)
office_names = {o["code"]: o["name"] for o in plan_offices}
offices = roles.writable_offices(user, [o["code"] for o in plan_offices])
ufficio = st.selectbox("Ufficio", offices, format_func=lambda c: ui.office_label(c, office_names))
# Only quarters that have ended and that a target in force measures with this office's indicators: the
# default is the latest still open (the write refuses the others too: core/periods.upload_problem).
quarters = periods.upload_quarters(con, user.ente, [ufficio])
closed = periods.closed_quarters(con, user.ente)
if not quarters:
    st.info(f"L'ufficio {ui.plain(ui.office_label(ufficio, office_names))} non ha trimestri conclusi da rilevare.")
    st.stop()
default = periods.default_upload_quarter(quarters, closed)
anno, trimestre = st.selectbox("Trimestre", quarters, index=quarters.index(default),
                               format_func=lambda p: formats.fmt_period(*p) + (" (chiuso)" if p in closed else ""),
                               help="I trimestri conclusi degli anni in cui un target in vigore usa gli indicatori "
                                    "dell'ufficio")
if (anno, trimestre) in closed:
    st.warning(f"Il {formats.fmt_period(anno, trimestre)} è chiuso: i valori non si possono modificare finché "
               "Programmazione e controllo non lo riapre.")
names = {code: ind.nome for code, ind in measurements.indicators(con, user.ente).items()}

st.subheader("1. Modello")
try:
    rows = templates.template_rows(con, user.ente, ufficio, anno, trimestre)
except Refused as exc:
    st.info(str(exc))
    rows = []
if rows:
    code = formats.period_code(anno, trimestre)
    st.write(f"Modello dell'ufficio {ui.plain(ui.office_label(ufficio, office_names))} per il "
             f"{formats.fmt_period(anno, trimestre)}: {formats.plural(len(rows), 'indicatore', 'indicatori')}.")
    st.download_button("Scarica il modello (.xlsx)", templates.template_bytes(rows, ".xlsx"), f"modello_{ufficio}_{code}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="tpl-xlsx")
    st.caption(templates.GUIDE)

st.subheader("2. File compilato")
# A new key after each import: the uploader starts empty, so the preview and its Conferma do not come back
# above the receipt.
upload_key = f"upload-{st.session_state.get('_importazioni', 0)}"
upload = st.file_uploader("Carica il file compilato (.xlsx o .csv)", type=["xlsx", "csv"], key=upload_key,
                          help=ui.UPLOAD_HELP)
if upload is not None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        bar = st.progress(0.0, text="Controllo del file…")
        result = measurement_import.preview(con, path, user, upload.name,
                                            progress=lambda x: bar.progress(x, text="Controllo del file…"))
        bar.empty()
        if not result.ok:
            st.error(f"Il file non è stato importato: {formats.plural(len(result.problems), 'problema', 'problemi')} "
                     "da correggere. Nessun valore è stato scritto.")
            # As plain text (never markup): file, row, column and what is wrong, one per line.
            st.text("\n".join(str(p) for p in result.problems[:200])
                    + (f"\n… e altri {len(result.problems) - 200} problemi" if len(result.problems) > 200 else ""))
        else:
            changes = frames.changes_frame(result.changes, names)
            st.success(f"Il file è corretto: {formats.plural(len(result.values), 'valore pronto', 'valori pronti')}. "
                       "Controllare l'anteprima e confermare.")
            st.dataframe(changes, hide_index=True, width="stretch", column_config=ui.CHANGES_COLUMNS)
            if st.button("Conferma importazione", type="primary"):
                # Again if another replica or command wrote the same values meanwhile (as the CLI's import).
                done = db.retrying(measurement_import.import_file, con, path, user, upload.name)
                if done.ok:
                    cached.clear()
                    st.session_state["_ricevuta"] = (upload.name, done.changes)
                    st.session_state["_importazioni"] = st.session_state.get("_importazioni", 0) + 1
                    st.rerun()
                else:
                    st.error("Importazione rifiutata: " + ui.plain("; ".join(str(p) for p in done.problems)))

if receipt := st.session_state.get("_ricevuta"):
    name, changes = receipt
    st.subheader("Ricevuta")
    counts = {a: sum(c.azione == a for c in changes) for a in ("nuovo", "corretto", "invariato")}
    st.success(f"Importazione di {ui.plain(name)} completata: {formats.plural(counts['nuovo'], 'nuovo', 'nuovi')}, "
               f"{formats.plural(counts['corretto'], 'corretto', 'corretti')}, "
               f"{formats.plural(counts['invariato'], 'invariato', 'invariati')}.")
    st.dataframe(frames.changes_frame(changes, names), hide_index=True, width="stretch",
                 column_config=ui.CHANGES_COLUMNS)

st.subheader(f"Correggere un singolo valore del {formats.fmt_period(anno, trimestre)}")
inds = [r["indicatore"] for r in rows] if rows else []
if inds:
    st.caption(f"La correzione si scrive sul {formats.fmt_period(anno, trimestre)} scelto sopra, come nuova versione "
               "del valore: quella precedente resta nello storico.")
    with st.form("correzione"):
        indicatore = st.selectbox("Indicatore", inds, format_func=lambda c: ui.indicator_label(c, names))
        c1, c2, c3 = st.columns(3)
        valore = c1.text_input("Valore", help="Per gli indicatori calcolati sui casi, compilare numeratore e denominatore")
        numeratore = c2.text_input("Numeratore")
        denominatore = c3.text_input("Denominatore")
        motivo = st.text_input("Motivo della correzione (obbligatorio)")
        if st.form_submit_button(f"Registra la correzione del {formats.fmt_period(anno, trimestre)}"):
            try:
                change = corrections.correct_value(con, user, indicatore, anno, trimestre, motivo,
                                                   valore or None, numeratore or None, denominatore or None)
            except Refused as exc:
                session.refusal(exc)
            else:
                cached.clear()
                st.success(ui.plain(f"{names.get(indicatore, indicatore)} ({indicatore}), "
                                    f"{formats.fmt_period(anno, trimestre)}: {formats.fmt_num(change.valore_prima)} → "
                                    f"{formats.fmt_num(change.valore_dopo)} (versione {change.versione}). "
                                    "Il valore precedente resta nello storico."))

st.subheader("Record grezzi")
st.caption("Pratiche del Registro Imprese, questionari di soddisfazione, fatture pagate: il file viene controllato "
           "per intero e gli indicatori collegati vengono ricalcolati dai record.")
kind = st.selectbox("Tipo di record", list(records_import.KINDS),
                    format_func={"pratiche": "Pratiche del Registro Imprese", "questionari": "Questionari di soddisfazione",
                                 "fatture": "Fatture pagate"}.get)
st.download_button("Scarica il modello dei record (.xlsx)", records_import.template_bytes(kind, ".xlsx"),
                   f"modello_{kind}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="rec-tpl", on_click="ignore")
records_file = st.file_uploader("Carica il file di record (.csv o .xlsx)", type=["csv", "xlsx"], key="records")
if records_file is not None and st.button("Importa i record", type="primary"):
    with tempfile.TemporaryDirectory() as tmp, st.spinner("Controllo e importazione dei record…"):
        path = Path(tmp) / Path(records_file.name).name
        path.write_bytes(records_file.getvalue())
        outcome = records_import.import_records(con, kind, path, user, records_file.name)
    if not outcome.ok:
        st.error(f"Il file non è stato importato: {formats.plural(outcome.total_problems, 'problema', 'problemi')}. "
                 "Nessun record è stato scritto.")
        st.text("\n".join(str(p) for p in outcome.problems))
    else:
        cached.clear()
        st.success(f"Importati {formats.fmt_num(outcome.rows, 0)} record da {ui.plain(outcome.file)} (lotto {outcome.lotto}).")
        st.dataframe(frames.changes_frame(outcome.changes, names), hide_index=True, width="stretch",
                     column_config=ui.CHANGES_COLUMNS)
