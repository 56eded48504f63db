"""AppTest for the login page and the pages of the staff, the OIV and the planning office."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import audit, auth, corrections, db, periods, plan_edit, reviews, users
from dashboard.web import session
from queries import plan as plan_queries
from tests.test_pages import APP, open_page


@pytest.fixture
def app_db(db_file):
    """The demo database file with one user per role."""
    con = db.connect(db_file)
    for name, role, offices in [("staff.ri", "staff", ["RI"]), ("oiv", "oiv", []), ("pianif", "pianificazione", ["PROGCONTR"]),
                                ("segretario", "segretario_generale", [])]:
        users.add_user(con, name, role, "CCIAA-LU", offices, f"password-{name}")
    db.close(db_file)
    return db_file


def nav_titles(at) -> list[str]:
    return [t.value for t in at.title]


def test_login_page(app_db, monkeypatch):
    monkeypatch.setattr(session, "HAND_OVER_WAIT", 0.3)  # no browser here takes the cookie: do not wait for one
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert nav_titles(at) == ["Cruscotto Performance"]  # anonymous: only the login page
    at.text_input[0].input("staff.ri")
    at.text_input[1].input("sbagliata")
    at.button[0].click().run()
    assert at.error[0].value == auth.REFUSED
    at.text_input[1].input("password-staff.ri")
    at.button[0].click().run()
    assert not at.exception
    assert nav_titles(at) == ["Cruscotto della performance"]
    assert "staff.ri — Personale d'ufficio (RI)" in [c.value for c in at.sidebar.caption]
    at.sidebar.button[0].click().run()  # Esci
    assert nav_titles(at) == ["Cruscotto Performance"]
    assert list(audit.search(db.connect(app_db), utente="staff.ri")["azione"])[:2] == ["uscita", "accesso"]


def test_menu_depends_on_role(app_db):
    from dashboard.web import navigation

    titles = lambda role: [p[1] for p in navigation.entries_for(role)]  # noqa: E731
    assert "Carica misure" in titles("staff") and "Valutazione OIV" not in titles("staff")
    assert "Valutazione OIV" in titles("oiv") and "Carica misure" not in titles("oiv")
    assert "Amministrazione" in titles("pianificazione") and "Amministrazione" not in titles("segretario_generale")
    assert titles(None)[0] == "Accedi"  # then every page, menu hidden, each asking for login


def test_carica_template_and_correction(app_db):
    con = db.connect(app_db)
    staff = users.get_user(con, "staff.ri")
    at = open_page("carica", user=staff)
    assert nav_titles(at) == ["Carica misure"]
    assert at.selectbox[0].options == ["Registro Imprese – Artigianato Protesti e documenti Export (RI)"]
    assert [b.label for b in at.get("download_button")] == ["Scarica il modello (.xlsx)", "Scarica il modello dei record (.xlsx)"]
    at.selectbox[1].select((2020, 4)).run()
    at.selectbox[2].select("RI_FATTURE")
    at.text_input[0].input("1300")
    at.button[0].click().run()
    assert at.error[0].value == "Il motivo della correzione è obbligatorio."
    at.text_input[3].input("dato aggiornato dal gestionale")
    at.button[0].click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Fatture emesse") and "(RI\\_FATTURE), IV trim. 2020:" in at.success[0].value
    assert "→ 1.300,00 (versione 2)" in at.success[0].value


def test_carica_offers_only_ended_quarters_that_a_target_needs(app_db):
    """Issue 13.2-3: the default is the latest ended quarter a target in force needs, not the calendar one;
    office and indicators by name; the correction says which quarter it writes."""
    con = db.connect(app_db)
    at = open_page("carica", user=users.get_user(con, "staff.ri"))
    office, quarter = at.selectbox[0], at.selectbox[1]
    assert office.options[0].startswith("Registro Imprese") and office.options[0].endswith("(RI)")
    assert quarter.value == (2021, 4)  # the plan's last year with RI targets; 2026 has none
    assert "IV trim. 2026" not in quarter.options and "I trim. 2022" not in quarter.options
    assert at.selectbox[2].options[0].endswith(")") and not at.selectbox[2].options[0].startswith("RI_")
    assert at.subheader[-2].value == "Correggere un singolo valore del IV trim. 2021"
    assert at.button[0].label == "Registra la correzione del IV trim. 2021"


def test_valutazione_for_oiv_and_segretario(app_db):
    con = db.connect(app_db)
    oiv = users.get_user(con, "oiv")
    at = open_page("valutazione", user=oiv, anno="2020")
    assert nav_titles(at) == ["Valutazione OIV"]
    assert {m.label: m.value for m in at.metric}["Target"] == "31"
    assert {b.label for b in at.get("download_button")} == {"Esporta XLSX", "Esporta CSV", "Esporta PDF"}
    at.selectbox[1].select("2A.2").run()
    at.radio[0].set_value("validato_con_riserva")
    at.text_area[0].input("<script>alert(1)</script> valori da verificare")
    at.button[0].click().run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("Target")
    assert table.loc["2A.2", "Verdetto"] == "Validato con riserva"
    verdicts = at.dataframe[-1].value
    assert verdicts.iloc[0]["Commento"] == "<script>alert(1)</script> valori da verificare"  # shown as text
    sg = users.get_user(con, "segretario")
    at = open_page("valutazione", user=sg, anno="2020")
    assert not at.get("radio")  # the Segretario Generale reads, the OIV decides
    assert reviews.table(con, "CCIAA-LU", 2020).set_index("target").loc["2A.2", "verdetto"] == "validato_con_riserva"


def test_staff_cannot_open_oiv_page_even_by_address(app_db):
    staff = users.get_user(db.connect(app_db), "staff.ri")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["_utente"] = staff
    at.run()
    with pytest.raises(Exception):
        at.switch_page("../../pages/valutazione.py").run()  # not in the staff's navigation


def test_inserimento(app_db):
    at = open_page("inserimento", user=users.get_user(db.connect(app_db), "pianif"), anno="2020")
    pivot = at.dataframe[0].value.set_index("Ufficio")
    assert pivot.loc["Registro Imprese – Artigianato Protesti e documenti Export (RI)", "IV trim."] == "7/7"
    assert pivot.loc["Programmazione e controllo (PROGCONTR)", "I trim."] == "7/9"
    missing = at.dataframe[1].value
    # Issue 13.3: indicators by name (the code beside it), not codes alone.
    assert set(missing["Indicatori"]) == {"Soddisfazione Sportello Finanziamenti (scala 1-10) (CS_FINANZIAMENTI); "
                                          "Soddisfazione Sportello Nuova Impresa (scala 1-10) (CS_NUOVA_IMPRESA)"}


def test_registro_and_amministrazione(app_db):
    con = db.connect(app_db)
    pianif = users.get_user(con, "pianif")
    at = open_page("amministrazione", user=pianif)
    assert nav_titles(at) == ["Amministrazione"]
    at.selectbox[0].select((2020, 1))
    at.button[0].click().run()  # Chiudi il trimestre
    assert not at.exception
    assert (2020, 1) in periods.closed_quarters(con, "CCIAA-LU")
    assert at.success[0].value == "I trim. 2020 chiuso."  # issue 13.6: the confirmation survives the rerun
    assert at.tabs[0].dataframe[0].value.iloc[0]["Stato"] == "Chiuso"
    users_tab = at.tabs[1]
    assert "Programmazione e controllo (PROGCONTR)" in set(users_tab.dataframe[0].value["Uffici"])
    assert users_tab.multiselect[0].placeholder == "Scegliere uno o più uffici"
    plan_tab = at.tabs[2]
    assert plan_tab.selectbox[0].options[0].startswith("1B.1 (2020-2021) — Attuazione delle nuove azioni")
    assert any(o.startswith("3F.1 (2019) — ") for o in plan_tab.selectbox[0].options)
    assert plan_tab.text_input[0].value.count(",") == 1  # Italian decimal comma, not "100.00"
    at = open_page("registro", user=pianif)
    assert all(d.value is not None for d in at.date_input)  # issue 13.7: no empty "dd / mm / yyyy" box
    log = at.dataframe[0].value
    assert "Trimestre chiuso" in set(log["Azione"])
    closed = log[log["Azione"] == "Trimestre chiuso"].iloc[0]
    assert (closed["Prima"], closed["Dopo"]) == ("stato aperto", "stato chiuso")  # issue 13.3: no raw JSON
    adopted = log[log["Azione"] == "Piano adottato"].iloc[0]
    assert "data dell'atto 07/11/2019" in adopted["Dopo"] and "{" not in adopted["Dopo"]
    assert {"Scarica CSV", "Scarica XLSX"} <= {b.label for b in at.get("download_button")}


def test_new_threshold_starts_from_the_condition_chosen(app_db):
    """Target 1D.2 has two conditions: the threshold box follows the one chosen, and the change goes to it alone
    (the box used to keep the first condition's threshold whatever was chosen)."""
    con = db.connect(app_db)
    pianif = users.get_user(con, "pianif")
    plan_edit.set_threshold(con, pianif, "1D.2", 2020, "ADR_CS_SERVIZIO", 3.5, "soglia di prova")
    at = open_page("amministrazione", user=pianif)
    plan_tab = at.tabs[2]
    plan_tab.selectbox[0].select(next(o for o in plan_tab.selectbox[0].options if o.startswith("1D.2 (2020-2021)"))).run()
    plan_tab = at.tabs[2]
    assert plan_tab.text_input[0].value == "3,00"  # the first condition, ADR_CS_MEDIATORE >= 3
    plan_tab.selectbox[1].select_index(1).run()
    plan_tab = at.tabs[2]
    assert plan_tab.text_input[0].value == "3,50"  # ADR_CS_SERVIZIO's
    plan_tab.text_input[0].input("4")
    plan_tab.text_input[2].input("rivista con l'ufficio")
    plan_tab.button[0].click().run()  # Modifica la soglia
    assert not at.exception
    criteria = next(t for e in plan_queries.plan_tree(con)["enti"] if e["code"] == "CCIAA-LU" for a in e["areas"]
                    for o in a["objectives"] for t in o["targets"] if t["code"] == "1D.2" and t["years"][0] == 2020)
    assert {c["indicator"]: c["threshold"] for c in criteria["criteria"]} == {"ADR_CS_MEDIATORE": 3.0,
                                                                              "ADR_CS_SERVIZIO": 4.0}


def test_closed_quarter_shown_on_upload_page(app_db):
    con = db.connect(app_db)
    periods.close(con, users.get_user(con, "pianif"), 2020, 4, "chiusura")
    at = open_page("carica", user=users.get_user(con, "staff.ri"))
    at.selectbox[1].select((2020, 4)).run()
    assert "è chiuso" in at.warning[0].value
    with pytest.raises(corrections.CorrectionRefused):
        corrections.correct_value(con, "staff.ri", "RI_FATTURE", 2020, 4, "x", "1")
