"""Confronto tra Camere: a body against the median and the distribution of the bodies the user may see, its
rank, the consolidated view of a merger, and one body's detail (layout only: dashboard/web/comparison_view.py)."""
import streamlit as st

from dashboard.core import db, formats
from dashboard.web import cached, session, ui
from dashboard.web import comparison_view as cv

user = session.require_allowed("confrontare_enti")
path, version = cached.path(), cached.version()
bodies = tuple(cv.visible_bodies(db.cursor(path), user))
st.title("Confronto tra Camere")
per_year = cv.cached_years(path, version, bodies)
years = list(per_year)
if not years:
    st.info("Nessun record grezzo (pratiche, questionari, fatture) degli enti che può consultare: niente da confrontare.")
    st.stop()
names = cv.cached_names(path, version, bodies)


def _choice(label, options, param, fmt=str, default=None):
    wanted = ui.qp(param)
    match = [o for o in options if str(o) == wanted]
    index = options.index(match[0]) if match else options.index(default) if default in options else 0
    value = st.selectbox(label, options, index=index, format_func=fmt, key=f"cf_{param}")
    st.query_params[param] = str(value)
    return value


c1, c2, c3 = st.columns([3, 1, 1])
with c1:
    ente = _choice("Ente", list(bodies), "ente", lambda e: f"{names.get(e, e)} ({e})", default=user.ente)
with c2:
    anno = _choice("Anno", years, "anno", default=cv.default_year(per_year))
with c3:
    trimestre = _choice("Periodo", [0, 1, 2, 3, 4], "trimestre", lambda q: cv.QUARTER_NAMES[q])

demo_bodies = cv.cached_demo(path, version, bodies)
if demo_bodies:
    st.warning("Dati dimostrativi: i record di " + ", ".join(names.get(e, e) for e in demo_bodies)
               + " sono generati per mostrare il confronto e non sono dati reali.", icon=":material/science:")

period = f"{anno}" if trimestre == 0 else formats.fmt_period(anno, trimestre)
st.subheader(f"{names.get(ente, ente)} tra {len(bodies)} enti — {period}")
st.caption("Calcolato dai record grezzi di ogni ente. Posizione: 1ª è la migliore (tempo, sospese e ITP più bassi, "
           "soddisfazione più alta). Mediana, minimo e massimo degli enti che hanno dati nel periodo.")
table = cv.cached_standing(path, version, anno, bodies, ente, trimestre)
st.dataframe(formats.italian_frame(table, missing="–"), hide_index=True, width="stretch")
ui.data_block(cv.cached_distribution_spec(path, version, anno, bodies, ente, trimestre), table,
              f"confronto_{ente}_{anno}_{trimestre}", "cf-dist", missing="–")

successions = cv.cached_successions(path, version)
successore = cv.merger_of(successions, ente)
if cv.merger_visible(successions, successore, bodies):
    rows = successions[successions["successore"] == successore]
    predecessori = list(rows["predecessore"])
    dal = rows["dal"].iloc[0]
    anno_dopo = dal.year
    anno_prima = anno_dopo - 1
    st.subheader(f"Fusione: {names.get(successore, successore)}")
    st.caption(f"Dal {formats.fmt_date(dal)} ({ui.plain(rows['atto'].iloc[0] or '')}) succede a "
               + ", ".join(names.get(p, p) for p in predecessori)
               + f". Il consolidato {anno_prima} somma i casi dei predecessori (numeratori e denominatori), "
               "non è una media delle medie.")
    before = cv.cached_cases(path, version, anno_prima, tuple(predecessori))
    after = cv.cached_cases(path, version, anno_dopo, (successore,))
    consolidated = cv.cached_consolidated(path, version, successore, anno_prima)
    merger = cv.merger_table(before, consolidated, after, successore, predecessori, names, anno_prima, anno_dopo)
    st.table(formats.italian_frame(merger, missing="–").set_index("Indicatore"))  # four rows: a plain table, read whole
    ui.downloads(merger, f"fusione_{successore}_{anno_prima}_{anno_dopo}", "cf-merger")
    linked = cv.cached_linked_indicators(path, version, successore)
    if not linked.empty:
        st.markdown("**La serie che continua oltre la fusione** (indicatori del piano collegati a quelli dei predecessori)")
        codes = list(linked["codice"])
        labels_of = dict(zip(linked["codice"], linked["nome"]))
        indicatore = _choice("Indicatore del piano", codes, "collegato", lambda c: f"{labels_of[c]} ({c})",
                             default="RI_TEMPO_LAV")
        series = cv.linked_frame(cv.cached_linked_series(path, version, successore, indicatore), names, dal)
        if series.empty:
            st.caption("Nessun valore di questo indicatore dall'anno prima della fusione.")
        else:
            unita = linked.set_index("codice").loc[indicatore, "unita"]
            ui.data_block(cv.linked_chart(series, unita), series, f"serie_{successore}_{indicatore}", "cf-linked",
                          missing="–")
    b = cv.cached_budget(path, version, successore, anno_prima)
    if not b.empty:
        st.markdown(f"**Budget {anno_prima} dei predecessori e consolidato**")
        st.dataframe(cv.budget_table(b, names), hide_index=True, width="stretch")
        if missing := cv.budget_missing(b, predecessori):
            st.caption(f"Senza budget {anno_prima} nel piano caricato, quindi esclusi dalla somma: "
                       + ", ".join(names.get(p, p) for p in missing) + ".")

st.subheader("Dettaglio di un ente")
dettaglio = _choice("Ente da esaminare", list(bodies), "dettaglio", lambda e: f"{names.get(e, e)} ({e})", default=ente)
st.markdown(f"**{ui.plain(names.get(dettaglio, dettaglio))}, {anno}: trimestre per trimestre e anno, con la mediana "
            f"degli enti**")
detail = cv.cached_detail(path, version, anno, bodies, dettaglio)
if detail.empty:
    st.caption(f"Nessun record di {names.get(dettaglio, dettaglio)} nel {anno}.")
else:
    st.dataframe(formats.italian_frame(detail, missing="–"), hide_index=True, width="stretch")
    ui.downloads(detail, f"dettaglio_{dettaglio}_{anno}", "cf-detail")
