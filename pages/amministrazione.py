"""Amministrazione (Programmazione e controllo): quarters, users, plan thresholds and weights."""
import pandas as pd
import streamlit as st

from dashboard.core import db, formats, labels, periods, plan_edit, roles, users
from dashboard.web import cached, session

user = session.require_allowed("gestire_periodi")
con = db.cursor()
st.title("Amministrazione")
tab_periods, tab_users, tab_plan = st.tabs(["Trimestri", "Utenti", "Piano"])

with tab_periods:
    state = periods.states(con, user.ente)
    if state.empty:
        st.caption("Nessun trimestre chiuso: tutti i trimestri sono aperti.")
    else:
        st.dataframe(pd.DataFrame({"Trimestre": [formats.fmt_period(a, t) for a, t in zip(state["anno"], state["trimestre"])],
                                   "Stato": state["stato"], "Da": state["utente"],
                                   "Il": [formats.fmt_datetime(x) for x in state["quando"]],
                                   "Motivo": state["motivo"].fillna("")}), hide_index=True, width="stretch")
    with st.form("periodo"):
        c1, c2 = st.columns(2)
        anno = c1.number_input("Anno", min_value=2015, max_value=2100, value=2020, step=1)
        trimestre = c2.selectbox("Trimestre", [1, 2, 3, 4], format_func=lambda q: formats.ROMAN[q])
        motivo = st.text_input("Motivo (obbligatorio per riaprire)")
        close_it, reopen_it = st.columns(2)
        do_close = close_it.form_submit_button("Chiudi il trimestre")
        do_reopen = reopen_it.form_submit_button("Riapri il trimestre")
    if do_close or do_reopen:
        session.write(lambda: (periods.close if do_close else periods.reopen)(con, user, int(anno), int(trimestre),
                                                                              motivo or None),
                      f"{formats.fmt_period(int(anno), int(trimestre))} {'chiuso' if do_close else 'riaperto'}.")

with tab_users:
    listing = users.list_users(con, user.ente)
    st.dataframe(pd.DataFrame({"Utente": listing["username"], "Ruolo": listing["ruolo"].map(labels.ROLE_LABELS),
                               "Uffici": listing["uffici"].fillna(""), "E-mail": listing["email"].fillna(""),
                               "Creato il": [formats.fmt_datetime(x) for x in listing["creato_il"]]}),
                 hide_index=True, width="stretch")
    offices = [o["code"] for o in cached.plan_offices(cached.path(), cached.version(), user.ente)]
    with st.form("utente"):
        c1, c2 = st.columns(2)
        username = c1.text_input("Nome utente")
        ruolo = c2.selectbox("Ruolo", roles.ROLES, format_func=labels.ROLE_LABELS.get)
        uffici = st.multiselect("Uffici (per il personale d'ufficio)", offices)
        email = st.text_input("E-mail (per il single sign-on, facoltativa)")
        password = st.text_input("Password iniziale (almeno 8 caratteri)", type="password")
        if st.form_submit_button("Crea utente"):
            session.write(lambda: users.add_user(con, username.strip().lower(), ruolo, user.ente, uffici,
                                                 password or None, actor=user, email=email or None),
                          f"Utente {username} creato.")

with tab_plan:
    st.caption("Le modifiche valgono da subito; il valore precedente, chi e perché restano nel registro attività.")
    plan = next(e for e in cached.plan_tree(cached.path(), cached.version())["enti"] if e["code"] == user.ente)
    choices = {f"{t['code']} ({t['years'][0]}-{t['years'][1]})": t for a in plan["areas"] for o in a["objectives"]
               for t in o["targets"]}
    label = st.selectbox("Target", list(choices))
    t = choices[label]
    with st.form("soglia"):
        crit = st.selectbox("Condizione", t["criteria"], format_func=lambda c: f"{c['indicator']} {c['operator']} "
                            f"{formats.fmt_num(c['threshold'])} {c['unit']}")
        soglia = st.number_input("Nuova soglia", value=float(t["criteria"][0]["threshold"]))
        peso = st.number_input("Peso del target nell'obiettivo", value=float(t["weight"]), min_value=0.01)
        motivo = st.text_input("Motivo (obbligatorio)")
        c1, c2 = st.columns(2)
        set_soglia = c1.form_submit_button("Modifica la soglia")
        set_peso = c2.form_submit_button("Modifica il peso")
    if set_soglia or set_peso:
        session.write(lambda: plan_edit.set_threshold(con, user, t["code"], t["years"][0], crit["indicator"], soglia, motivo)
                      if set_soglia else plan_edit.set_weight(con, user, t["code"], t["years"][0], peso, motivo),
                      "Piano modificato: il valore precedente resta nel registro attività.")
