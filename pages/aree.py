"""Aree e obiettivi: area → objectives → targets → one target's detail. Every step is in the address."""
import pandas as pd
import streamlit as st

from dashboard.core import db, deviations, formats, labels
from dashboard.web import cached, charts, frames, navigation, plan_views, session, ui
from queries import detail

user, ente, ente_nome = session.body_user()
anno, trimestre = ui.pick_period(ente)
path, version = cached.path(), cached.version()
targets = cached.status(path, version, anno, trimestre, "target", ente)
objectives = cached.status(path, version, anno, trimestre, "obiettivo", ente)
areas = cached.status(path, version, anno, trimestre, "area", ente)
plan = next(e for e in cached.plan_tree(path, version)["enti"] if e["code"] == ente)
period = formats.fmt_period(anno, trimestre)
link_params = {"ente": ente, "anno": str(anno), "trimestre": str(trimestre)}


def show_target(code: str) -> None:
    con = db.cursor()
    t = detail.target(con, ente, code, anno)
    if t is None:
        st.error(f"Il target {ui.plain(code)} non è in vigore nel {anno}.")
        return
    row = targets.set_index("target").loc[code]
    st.page_link(navigation.page("aree"), label=f"← Area {t['area']} › Obiettivo {t['obiettivo']}",
                 query_params={**link_params, "area": t["area"], "obiettivo": t["obiettivo"]})
    st.title(f"Target {ui.plain(code)}")
    st.caption(ui.plain(f"Area {t['area']} {t['area_nome']} › Obiettivo {t['obiettivo']} — {t['obiettivo_titolo']}"))
    ui.demo_banner(bool(row["demo"]))
    st.markdown(f"> {ui.plain(t['testo'])}")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Stato", ui.status_text(row["status"]))
    c2.metric("Grado", ui.fmt_grado(row["grado"]))
    c3.metric(f"Valore al {period}", ui.value_text(row["valore"], row["provvisorio"]))
    if ui.is_provisional(row["provvisorio"]):
        st.caption("Provvisorio: un valore conteggiato attende l'approvazione del responsabile dell'ufficio.")
    c4.metric("Proiezione a fine anno" if trimestre < 4 else "Valore finale",
              formats.fmt_num(row["valore_proiettato"]) if pd.notna(row["valore_proiettato"]) else "–")
    if row["status"] == "non_rilevato" and pd.notna(row["motivo_non_rilevato"]):
        st.info(f"Non rilevato: {ui.plain(row['motivo_non_rilevato'])}.")
    crit = detail.target_criteria(con, ente, code, int(t["anno_da"]), anno, trimestre)
    for c in crit.itertuples():
        st.subheader(ui.plain(c.indicatore_nome))
        rule = labels.rule_text(c.regola, c.valore_base, c.unita)
        st.write(f"**Tipo:** {labels.KIND_LABELS[c.tipo]} · **Condizione:** {ui.condition_text(c.operatore, c.soglia, c.unita)}"
                 + (f" ({rule})" if rule else "")
                 + f" · **Ufficio responsabile:** {ui.plain(c.ufficio_nome or c.ufficio)} · **Indicatore:** `{c.indicatore}`")
        if changes := frames.threshold_changes(detail.threshold_history(con, ente, code, int(t["anno_da"]), c.indicatore)):
            st.caption("La soglia è cambiata con una revisione del piano; ogni periodo è giudicato con quella in "
                       "vigore alla sua fine:")
            st.text("\n".join(changes))
        q = detail.quarters(con, ente, c.indicatore, anno, trimestre)
        if q.empty:
            st.caption("Nessun valore inserito per quest'anno e il precedente.")
            continue
        ytd = charts.ytd_series(q, c.aggregazione, c.fattore)
        soglia = c.soglia if c.tipo != "rapporto_annuo" else None
        proj = row["valore_proiettato"] if len(crit) == 1 and c.tipo != "rapporto_annuo" and trimestre < 4 else None
        table = frames.target_values(q, ytd)
        ui.data_block(charts.target_progress(ytd, soglia, c.operatore, c.unita, anno, proj), table,
                      f"{code}_{c.indicatore}_{anno}", f"ind-{c.indicatore}",
                      column_config=ui.TARGET_VALUES_COLUMNS)
        st.caption(charts.target_progress_note(anno, soglia is not None, proj is not None,
                                               previous=bool((ytd.dropna(subset=["valore"])["anno"] == anno - 1).any())))
        if c.tipo == "rapporto_annuo":
            st.caption("Il target confronta il valore dell'anno con quello dell'anno precedente: "
                       f"risultato atteso {ui.condition_text(c.operatore, c.soglia)}.")
    explained = deviations.history(con, ente, code, anno)
    if not explained.empty:  # issue 14: why the target deviates and what is done about it (the latest in force)
        st.subheader("Scostamento")
        e = explained.iloc[0]
        st.markdown(f"**Causa:** {ui.plain(e['causa'])}  \n**Azione correttiva:** {ui.plain(e['azione'])}")
        st.caption(f"{ui.plain(e['utente'])}, {formats.fmt_datetime(e['quando'])} "
                   f"({'fine anno' if e['trimestre'] == 4 else formats.fmt_period(anno, int(e['trimestre']))})")
    ev = detail.evidence(con, ente, code, int(t["anno_da"]))
    if not ev.empty:
        st.subheader("Evidenze")
        for e in ev.itertuples():
            with st.expander(f"{formats.fmt_period(e.anno, e.trimestre)} — {ui.plain(e.fonte)}"):
                st.text(e.testo)
    st.subheader(f"Progetti dell'obiettivo {t['obiettivo']}")
    pr = detail.projects(con, ente, t["obiettivo"])
    # A static table (a few rows): the title wraps and the CdC stays on screen.
    st.table(pr.rename(columns={"codice": "Progetto", "titolo": "Titolo", "ufficio": "Ufficio", "cdc": "CdC"})
             .set_index("Progetto"))
    st.subheader(f"Budget dell'obiettivo {t['obiettivo']}")
    bu = detail.budget(con, ente, t["obiettivo"])
    st.dataframe(pd.DataFrame({"Anno": bu["anno"].astype(str), "Oneri": [formats.fmt_euro(v) for v in bu["oneri"]],
                               "Ricavi": [formats.fmt_euro(v) for v in bu["ricavi"]],
                               "Contributi": [formats.fmt_euro(v) for v in bu["contributi"]],
                               "Investimenti": [formats.fmt_euro(v) for v in bu["investimenti"]]}),
                 hide_index=True, width="stretch")


def show_objective_history(o: dict) -> None:
    if o["events"]:
        with st.expander(f"Storia dell'obiettivo {o['code']} — {labels.OBJECTIVE_STATUS_LABELS[o['status']]}"):
            for e in o["events"]:
                st.write(f"**{formats.fmt_date(pd.Timestamp(e['date']))}** — {labels.EVENT_LABELS[e['type']]}: "
                         + ui.plain(f"{e['act']}" + (f". {e['note']}" if e["note"] else "")))


target_code = ui.qp("target")
if target_code:
    show_target(target_code)
    st.stop()

st.title("Aree e obiettivi")
st.caption(f"{ui.plain(ente_nome)} — situazione al {period}")
area_codes = [a["code"] for a in plan["areas"]]
area_names = {a["code"]: a["name"] for a in plan["areas"]}
wanted = ui.qp("area")
area = st.selectbox("Area strategica", area_codes, index=area_codes.index(wanted) if wanted in area_codes else 0,
                    format_func=lambda c: f"{c} — {area_names[c]}")
st.query_params["area"] = area
arow = areas.set_index("area").loc[area] if area in set(areas["area"]) else None
if arow is not None:
    c1, c2, c3 = st.columns(3)
    c1.metric("Grado dell'area", ui.fmt_grado(arow["grado"]))
    c2.metric("Stato", ui.status_text(arow["status"]))
    c3.metric("Target rilevati", f"{int(arow['n_rilevati'])} su {int(arow['n_target'])}")

plan_objs = next(a for a in plan["areas"] if a["code"] == area)["objectives"]
odf = plan_views.objectives_overview(plan_objs, objectives)
measured = odf[odf["n_target"] > 0].rename(columns={"codice": "Obiettivo"})
table = pd.DataFrame({"Obiettivo": odf["codice"], "Titolo": odf["titolo"],
                      "Nel piano": odf["stato_piano"].map(labels.OBJECTIVE_STATUS_LABELS),
                      "Grado": [ui.fmt_grado(g) for g in odf["grado"]],
                      "Stato": [ui.status_text(s) if n else f"— nessun target nel {anno}"
                                for s, n in zip(odf["status"], odf["n_target"])],
                      "Target": odf["n_target"]})
st.subheader("Obiettivi strategici")
# The chart names each objective (code and title cut at a word), not only "1B".
named = measured.assign(Obiettivo=[f"{c} {formats.shorten(t, 36)}" for c, t in zip(measured["Obiettivo"], measured["titolo"])])
ui.data_block(charts.grado_bars(named, "Obiettivo"), table, f"obiettivi_area{area}_{anno}_T{trimestre}", "obiettivi")
for o in plan_objs:
    show_objective_history(o)

choices = list(measured["Obiettivo"])
if not choices:
    st.info(f"Nessun obiettivo dell'area {area} ha target nel {anno}.")
    st.stop()
wanted = ui.qp("obiettivo")
obiettivo = st.selectbox("Obiettivo", choices, index=choices.index(wanted) if wanted in choices else 0,
                         format_func=lambda c: f"{c} — {formats.shorten(odf.set_index('codice').loc[c, 'titolo'], 90)}")
st.query_params["obiettivo"] = obiettivo
st.subheader(f"Target dell'obiettivo {obiettivo}")
ot = targets[targets["obiettivo"] == obiettivo]
targets_table = pd.DataFrame({
    "Target": ot["target"], "Testo": ot["testo"],
    "Condizione": [ui.condition_text(op, s) for op, s in zip(ot["operatore"], ot["soglia"])],
    "Valore": [ui.value_text(v, p) for v, p in zip(ot["valore"], ot["provvisorio"])],
    "Grado": [ui.fmt_grado(g) for g in ot["grado"]],
    "Stato": [ui.status_text(s) for s in ot["status"]]})
# A static table (a few rows): the target's text wraps and the status (its cell tinted by the SMVP band)
# stays on screen at 1280 pixels, where a scrolling grid cut it off.
st.table(ui.status_styled(targets_table, ot["status"]).hide(axis="index"))
for r in ot.itertuples():
    st.page_link(navigation.page("aree"), label=f"Apri il target {r.target} — {ui.status_text(r.status)}",
                 query_params={**link_params, "target": r.target})
