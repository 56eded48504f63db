"""Amministrazione (Programmazione e controllo): quarters, users, plan thresholds and weights, plan workbooks."""
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.core import accounts, body_access, db, formats, labels, periods, plan_edit, roles, users
from dashboard.files import plan_versions
from dashboard.web import cached, frames, session, ui
from queries import plan as plan_queries

# Optional dates as text in the Italian form: an empty date widget shows Streamlit's "dd / mm / yyyy".
DATE_HINT = "gg/mm/aaaa"
user, _, _ = session.body_user("gestire_periodi")  # acting in the body picked
con = db.cursor()
st.title("Amministrazione")
# Keyed: the browser keeps the open tab across the rerun that follows a write (unkeyed, the page came back on its
# first tab). Not stateful (on_change): switching tabs then costs no rerun of the whole page.
tab_periods, tab_users, tab_plan, tab_load = st.tabs(["Trimestri", "Utenti", "Piano: soglie e pesi",
                                                      "Piano: carica e adotta"], key="scheda_amministrazione")

with tab_periods:
    state = periods.states(con, user.ente)
    if state.empty:
        st.caption("Nessun trimestre chiuso: tutti i trimestri sono aperti.")
    else:
        st.dataframe(pd.DataFrame({"Trimestre": [formats.fmt_period(a, t) for a, t in zip(state["anno"], state["trimestre"])],
                                   "Stato": state["stato"].str.capitalize(), "Da": state["utente"],
                                   "Il": [formats.fmt_datetime(x) for x in state["quando"]],
                                   "Motivo": state["motivo"].fillna("")}), hide_index=True, width="stretch")
    with st.form("periodo"):
        quarters = periods.started_quarters(con, user.ente)
        anno, trimestre = st.selectbox("Trimestre", quarters, format_func=lambda p: formats.fmt_period(*p))
        motivo = st.text_input("Motivo (obbligatorio per riaprire)")
        close_it, reopen_it = st.columns(2)
        do_close = close_it.form_submit_button("Chiudi il trimestre")
        do_reopen = reopen_it.form_submit_button("Riapri il trimestre")
    if do_close or do_reopen:
        session.write(lambda: (periods.close if do_close else periods.reopen)(con, user, anno, trimestre,
                                                                              motivo or None),
                      f"{formats.fmt_period(anno, trimestre)} {'chiuso' if do_close else 'riaperto'}.")
    with st.form("termine"):
        giorni = st.number_input("Termine per i dati (giorni dalla fine del trimestre)", min_value=0,
                                 max_value=periods.MAX_DEADLINE_DAYS, step=1,
                                 value=periods.deadline_days(con, user.ente),
                                 help="Di questo ente: decide il periodo mostrato all'apertura e i promemoria.")
        set_days = st.form_submit_button("Salva il termine")
    if set_days:
        session.write(lambda: periods.set_deadline_days(con, user, giorni),
                      f"Termine per i dati: {int(giorni)} giorni dalla fine del trimestre.")

with tab_users:
    listing = users.list_users(con, user.ente)
    office_names = {o["code"]: o["name"] for o in cached.plan_offices(cached.path(), cached.version(), user.ente)}
    # The state next to the name and wide enough for «Disattivato dal 27/11/2026 04:25»: last, it was cut to
    # «Disattivat…» at 1280 px; the long office names go last instead.
    st.dataframe(pd.DataFrame({"Utente": listing["username"], "Ruolo": listing["ruolo"].map(labels.ROLE_LABELS),
                               "Stato": [ui.account_state(x) for x in listing["disattivato_il"]],
                               "Creato il": [formats.fmt_datetime(x) for x in listing["creato_il"]],
                               "E-mail": listing["email"].fillna(""),
                               "Uffici": [ui.offices_text(u, office_names) for u in listing["uffici"]]}),
                 hide_index=True, width="stretch",
                 column_config={"Ruolo": st.column_config.TextColumn(width=200),  # «Programmazione e controllo» whole
                                "Stato": st.column_config.TextColumn(width=230)})
    offices = list(office_names)
    with st.form("utente"):
        c1, c2 = st.columns(2)
        username = c1.text_input("Nome utente")
        # The narrowest role first (the form opened on Segretario Generale, the widest: one click from granting it).
        ruolo = c2.selectbox("Ruolo", roles.ROLES, index=roles.ROLES.index("staff"), format_func=labels.ROLE_LABELS.get)
        uffici = st.multiselect("Uffici (per il personale d'ufficio)", offices, placeholder="Scegliere uno o più uffici",
                                format_func=lambda c: ui.office_label(c, office_names))
        email = st.text_input("E-mail (per il single sign-on, facoltativa)")
        password = st.text_input("Password iniziale (almeno 8 caratteri)", type="password")
        if st.form_submit_button("Crea utente"):
            session.write(lambda: users.add_user(con, username.strip().lower(), ruolo, user.ente, uffici,
                                                 password or None, actor=user, email=email or None),
                          f"Utente {username} creato.")
    st.subheader("Enti di un utente")  # headings, as the other tabs' sections (and for screen readers)
    st.caption("Gli enti di cui l'utente legge i dati e, se il ruolo lo consente, li scrive. Si scelgono tra gli enti "
               "che lei amministra; l'ente dell'utente resta sempre.")
    body_names = {e["codice"]: e["nome"] for e in plan_queries.enti(con)}
    account = st.selectbox("Utente", list(listing["username"]), key="enti_utente")
    if account:
        scope = body_access.assignable_bodies(con, user)
        with st.form("enti"):
            wanted = st.multiselect("Enti", scope, key=f"enti_{account}", placeholder="Scegliere uno o più enti",
                                    default=[e for e in body_access.member_bodies(con, account) if e in scope],
                                    format_func=lambda c: f"{body_names.get(c, c)} ({c})")
            if st.form_submit_button("Salva gli enti"):
                session.write(lambda: body_access.replace_bodies(con, account, wanted, actor=user,
                                                                 known=list(body_names)),
                              f"Enti dell'utente {account} salvati.")

    st.subheader("Password e disattivazione")
    st.caption("Un account disattivato non può più accedere e le sue sessioni aperte si chiudono subito; nulla viene "
               "cancellato e si può riattivare. Anche una nuova password chiude le sue sessioni. Il motivo resta nel "
               "registro attività.")
    mine = set(accounts.administrable(con, user))
    account = st.selectbox("Account", [u for u in listing["username"] if u in mine], key="account_gestito")
    if account:
        active = users.is_active(con, account)
        kept = accounts.history(con, account)
        if not kept.empty:
            st.dataframe(pd.DataFrame({"Il": [formats.fmt_datetime(x) for x in kept["quando"]],
                                       "Stato": kept["attivo"].map({True: "Riattivato", False: "Disattivato"}),
                                       "Da": kept["da"], "Motivo": kept["motivo"]}), hide_index=True, width="stretch")
        with st.form("stato_account"):
            motivo = st.text_input("Motivo (obbligatorio)", key="account_motivo")
            toggle = st.form_submit_button("Disattiva l'account" if active else "Riattiva l'account")
        if toggle:
            session.write(lambda: (accounts.disable if active else accounts.enable)(con, account, motivo, actor=user),
                          f"Account {account} {'disattivato: le sue sessioni sono state chiuse' if active else 'riattivato'}.",
                          clear=("account_motivo",))
        with st.form("password_account"):
            c1, c2 = st.columns(2)
            nuova = c1.text_input("Nuova password (almeno 8 caratteri)", type="password", key="account_pw",
                                  autocomplete="new-password")
            ripeti = c2.text_input("Ripeti la nuova password", type="password", key="account_pw2",
                                   autocomplete="new-password")
            motivo_pw = st.text_input("Motivo (obbligatorio)", key="account_pw_motivo")
            reset = st.form_submit_button("Imposta la nuova password")
        if reset:
            session.write(lambda: accounts.reset_password(con, account, nuova, motivo_pw, repeated=ripeti, actor=user),
                          f"Nuova password impostata per {account}: le sue sessioni sono state chiuse.",
                          clear=("account_pw", "account_pw2", "account_pw_motivo"))

with tab_plan:
    st.caption("Le modifiche valgono da subito; il valore precedente, chi e perché restano nel registro attività.")
    plan = next(e for e in cached.plan_tree(cached.path(), cached.version())["enti"] if e["code"] == user.ente)
    choices = {t["code"] + (f" ({t['years'][0]})" if t["years"][0] == t["years"][1] else f" ({t['years'][0]}-{t['years'][1]})"): t
               for a in plan["areas"] for o in a["objectives"] for t in o["targets"]}
    label = st.selectbox("Target", list(choices),
                         format_func=lambda k: f"{k} — {formats.shorten(choices[k]['text'], 100)}")
    t = choices[label]
    st.caption(ui.plain(t["text"]))
    # Outside the form: the new threshold's box starts from the condition chosen (inside, it kept the first one's).
    crit = st.selectbox("Condizione", t["criteria"], format_func=lambda c: f"{c['indicator']} "
                        f"{formats.fmt_condition(c['operator'], c['threshold'], c['unit'])}")
    with st.form("soglia"):
        c1, c2 = st.columns(2)
        # Text, not number widgets: these show "100.00"; people here write (and read) 100,00.
        soglia_text = c1.text_input("Nuova soglia", value=formats.fmt_num(crit["threshold"]),
                                    help="Nel formato italiano, es. 1.234,5")
        peso_text = c2.text_input("Peso del target nell'obiettivo", value=formats.fmt_num(t["weight"]))
        motivo = st.text_input("Motivo (obbligatorio)")
        c1, c2 = st.columns(2)
        set_soglia = c1.form_submit_button("Modifica la soglia")
        set_peso = c2.form_submit_button("Modifica il peso")
    try:
        soglia, peso = formats.parse_number(soglia_text), formats.parse_number(peso_text)
    except formats.FormatError as exc:
        if set_soglia or set_peso:
            session.refusal(exc)
        set_soglia = set_peso = False
    if set_soglia or set_peso:
        session.write(lambda: plan_edit.set_threshold(con, user, t["code"], t["years"][0], crit["indicator"], soglia, motivo)
                      if set_soglia else plan_edit.set_weight(con, user, t["code"], t["years"][0], peso, motivo),
                      "Piano modificato: il valore precedente resta nel registro attività.")

with tab_load:
    st.caption("Il piano si mantiene come cartella di lavoro (un foglio per tabella, con le istruzioni): scaricare il "
               "piano in vigore o il modello vuoto, modificarlo, caricarlo. Il file viene controllato per intero; una "
               "versione caricata resta bozza, senza effetti, finché non è adottata con il suo atto.")
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    c1, c2 = st.columns(2)
    c1.download_button("Scarica il piano in vigore (.xlsx)", cached.plan_workbook(cached.path(), cached.version(), user.ente),
                       f"piano_{user.ente}.xlsx", XLSX, on_click="ignore")
    c2.download_button("Scarica il modello vuoto (.xlsx)", cached.plan_template(), "modello_piano.xlsx", XLSX,
                       on_click="ignore")
    upload = st.file_uploader("Carica una cartella di lavoro del piano (.xlsx)", type=["xlsx"], key="piano_file")
    if upload is not None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            check = plan_versions.preview(con, user, path)
            if not check.ok:
                st.error(f"Il piano non è stato caricato: {formats.plural(len(check.problems), 'problema', 'problemi')} "
                         "da correggere. Nulla è stato scritto.")
                st.text("\n".join(str(p) for p in check.problems[:300]))
            else:
                who = (f"nuovo ente {check.ente} — {check.nome}" if check.nuovo_ente
                       else f"nuova versione del piano di {check.ente} (in vigore: versione {check.versione_in_vigore})")
                st.success(f"Il file è corretto: {ui.plain(who)}.")
                if check.diff is not None:
                    st.text(plan_versions.diff_text(check.diff))
                with st.form("carica_piano"):
                    atto = st.text_input("Atto di approvazione", placeholder="es. Delibera di Giunta n. 4 del 28/01/2020")
                    d1, d2 = st.columns(2)
                    data_atto = d1.text_input("Data dell'atto (se non è nel testo dell'atto)", placeholder=DATE_HINT)
                    dal = d2.text_input("In vigore dal (predefinito: la data dell'atto)", placeholder=DATE_HINT)
                    adopt = st.checkbox("Adotta subito (altrimenti resta bozza)")
                    if st.form_submit_button("Carica il piano", type="primary"):
                        session.write(lambda: plan_versions.import_version(
                            con, user, path, atto=atto or None, adopt=adopt, data_atto=formats.parse_date(data_atto),
                            in_vigore_dal=formats.parse_date(dal)),
                            f"Piano di {check.ente} caricato " + ("e adottato." if adopt else "come bozza: adottarla qui sotto."))

    st.subheader("Versioni del piano")
    rows = plan_versions.versions_for(con, user, user.ente)
    st.table(frames.versions_frame(rows).set_index("Versione"))
    drafts = [r["versione"] for r in rows if r["stato"] == "bozza"]
    if drafts:
        with st.form("adotta"):
            versione = st.selectbox("Bozza da adottare", drafts, format_func=lambda v: f"versione {v}")
            atto = st.text_input("Atto di adozione", placeholder="es. Delibera di Giunta n. 62 del 25/06/2020")
            d1, d2 = st.columns(2)
            data_atto = d1.text_input("Data dell'atto", placeholder=DATE_HINT)
            dal = d2.text_input("In vigore dal", placeholder=DATE_HINT)
            if st.form_submit_button("Adotta la versione"):
                session.write(lambda: plan_versions.adopt(con, user, user.ente, versione, atto, formats.parse_date(data_atto),
                                                          formats.parse_date(dal)),
                              f"Versione {versione} adottata: giudica i periodi che finiscono dal giorno in cui è in vigore.")
