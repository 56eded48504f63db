"""Piano: the whole plan as a searchable tree, and the projects filterable by office and CdC."""
import pandas as pd
import streamlit as st

from dashboard.core import db, formats, labels
from dashboard.files import plan_versions
from dashboard.web import cached, frames, plan_views, session, ui

user, ente, ente_nome = session.body_user()
con = db.cursor()
path, version = cached.path(), cached.version()
plan = next(e for e in cached.plan_tree(path, version)["enti"] if e["code"] == ente)

st.title("Piano")
st.caption(f"{ui.plain(ente_nome)} — aree, obiettivi, target e progetti")
query = st.text_input("Cerca nel piano", value=ui.qp("q", ""), placeholder="es. Registro Imprese, 2A, mediazione")
st.query_params["q"] = query
found = plan_views.search(plan, query)
if not found:
    st.info(f"Nessun elemento del piano contiene «{ui.plain(query)}».")
for area, objectives in found:
    st.subheader(ui.plain(f"Area {area['code']} — {area['name']}"))
    for o, targets in objectives:
        label = ui.plain(f"{o['code']} — {formats.shorten(o['title'], 120)}")
        if o["status"] != "attivo":
            label += f"  ·  {labels.OBJECTIVE_STATUS_LABELS[o['status']]}"
        with st.expander(label, expanded=bool(query.strip())):
            st.text(o["title"])
            for e in o["events"]:
                st.caption(f"{formats.fmt_date(pd.Timestamp(e['date']))} — {labels.EVENT_LABELS[e['type']]}: {ui.plain(e['act'])}")
            if not targets:
                st.caption("Nessun target.")
                continue
            st.dataframe(pd.DataFrame({
                "Target": [t["code"] for t in targets],
                "Anni": [str(t["years"][0]) if t["years"][0] == t["years"][1] else f"{t['years'][0]}-{t['years'][1]}"
                         for t in targets],
                "Tipo": [labels.KIND_LABELS[t["kind"]] for t in targets],
                "Condizione": [ui.condition_text(t["operator"], t["threshold"], t["unit"]) for t in targets],
                "Testo": [t["text"] for t in targets]}), hide_index=True, width="stretch")

st.subheader("Versioni del piano")
st.caption("Ogni periodo è giudicato con la versione in vigore alla sua fine; le versioni precedenti restano.")
st.table(frames.versions_frame(plan_versions.versions_for(con, user, ente)).set_index("Versione"))

st.subheader("Progetti")
office_names = {o["code"]: o["name"] for o in cached.plan_offices(path, version, ente)}
projects = plan_views.projects_frame(plan)
offices = sorted(projects["Ufficio"].dropna().unique())
cdcs = sorted(projects["CdC"].dropna().unique())
c1, c2 = st.columns(2)
office = c1.multiselect("Ufficio", offices, default=[x for x in st.query_params.get_all("ufficio") if x in offices],
                        format_func=lambda c: ui.office_label(c, office_names), placeholder="Tutti gli uffici")
cdc = c2.multiselect("CdC", cdcs, default=[x for x in st.query_params.get_all("cdc") if x in cdcs],
                     placeholder="Tutti i CdC")
st.query_params["ufficio"] = office
st.query_params["cdc"] = cdc
filtered = plan_views.filter_projects(projects, office, cdc)
# Offices by name (the code stays in the address and the filter); the title wraps so CdC stays on screen.
shown = filtered.assign(Ufficio=[ui.office_label(c, office_names) if isinstance(c, str) else "" for c in filtered["Ufficio"]])
st.caption(f"{formats.plural(len(filtered), 'progetto', 'progetti')} su {len(projects)}")
st.dataframe(shown, hide_index=True, width="stretch", column_config=ui.PROJECT_COLUMNS)
ui.downloads(shown, "progetti", "proj")
