"""AppTest for the pages of the validation chain (issue 14): approval, explanations and evidence, the freeze."""
from __future__ import annotations

import pytest

from dashboard.core import approvals, corrections, db, users
from tests.test_pages import open_page


@pytest.fixture
def chain_db(db_file):
    """The demo database file with staff and the head of RI, the planning office and the OIV."""
    con = db.connect(db_file)
    for name, role, offices in [("staff.ri", "staff", ["RI"]), ("resp.ri", "responsabile", ["RI"]),
                                ("pianif", "pianificazione", ["PROGCONTR"]), ("oiv", "oiv", [])]:
        users.add_user(con, name, role, "CCIAA-LU", offices, f"password-{name}")
    # A staff correction of a demo value: provisional until the head decides.
    corrections.correct_value(con, "staff.ri", "RI_FATTURE", 2020, 4, "fatture di dicembre aggiunte", "1400")
    db.close(db_file)
    return db_file


def test_head_returns_then_approves_a_value(chain_db):
    con = db.connect(chain_db)
    head = users.get_user(con, "resp.ri")
    at = open_page("approvazione", user=head, anno="2020")
    assert [t.value for t in at.title] == ["Approvazione valori"]
    table = at.dataframe[0].value
    assert table[["Periodo", "Valore", "Inserito da", "Stato"]].values.tolist() == [
        ["IV trim. 2020", "1.400,00", "staff.ri", "Provvisorio (da approvare)"]]
    at.get("form_submit_button")[0].click().run()  # Restituisci without a reason
    assert at.error[0].value == "Per restituire un valore il motivo è obbligatorio."
    at.text_input[0].input("manca una fattura")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    assert "restituito all'ufficio" in at.success[0].value
    assert at.dataframe[0].value["Motivo della restituzione"].tolist() == ["manca una fattura"]
    st = approvals.state(con, "CCIAA-LU", "RI_FATTURE", 2020, 4)
    assert (st["stato_approvazione"], st["motivo_decisione"]) == ("restituito", "manca una fattura")
    # Staff see it returned, with the reason, and cannot approve.
    at_staff = open_page("approvazione", user=users.get_user(con, "staff.ri"), anno="2020")
    assert at_staff.dataframe[0].value["Stato"].tolist() == ["Restituito per correzione"]
    assert at_staff.warning[0].value.startswith("RI_FATTURE IV trim. 2020 (versione 2, 1.400,00) restituito da resp.ri il ")
    assert at_staff.warning[0].value.endswith(": «manca una fattura». Correggerlo in «Carica misure».")
    assert not [b for b in at_staff.button if b.label == "Approva"]
    corrections.correct_value(con, "staff.ri", "RI_FATTURE", 2020, 4, "aggiunta la fattura mancante", "1410")
    at = open_page("approvazione", user=head, anno="2020")
    at.button[0].click().run()  # Approva
    assert not at.exception
    assert "approvato" in at.success[0].value
    assert approvals.state(con, "CCIAA-LU", "RI_FATTURE", 2020, 4)["stato_approvazione"] == "approvato"
    # The OIV reads the whole history: returned version 2, approved version 3.
    at_oiv = open_page("approvazione", user=users.get_user(con, "oiv"), anno="2020")
    assert "Restituisci" not in [b.label for b in at_oiv.get("form_submit_button")]
    at_oiv.selectbox[1].select("RI_FATTURE").run()
    hist = at_oiv.dataframe[-1].value
    q4 = hist[hist["Periodo"] == "IV trim. 2020"]
    assert q4[["Versione", "Valore", "Decisione", "Deciso da", "Motivo della decisione"]].values.tolist() == [
        [1, "1.282,00", "approvato (senza attesa)", "", ""],
        [2, "1.400,00", "restituito per correzione", "resp.ri", "manca una fattura"],
        [3, "1.410,00", "approvato", "resp.ri", ""]]


def test_explanation_and_evidence_page(chain_db):
    from dashboard.core import deviations, evidence
    from dashboard.files import evidence_store
    from tests.test_evidence import PDF

    con = db.connect(chain_db)
    staff = users.get_user(con, "staff.ri")
    at = open_page("evidenze", user=staff, anno="2020")
    assert [t.value for t in at.title] == ["Scostamenti ed evidenze"]
    table = at.dataframe[0].value.set_index("Target")
    assert table.loc["2A.2", "Causa dello scostamento"] == "— mancante —"
    assert at.selectbox[2].options == ["2A.2", "2B.1"]  # only RI's targets to explain
    at.selectbox[2].select("2A.2")
    at.text_area[0].input("picco di pratiche a dicembre")
    at.text_area[1].input("due addetti in più da gennaio")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    assert at.success[0].value == "Spiegazione di 2A.2 registrata."
    assert at.dataframe[0].value.set_index("Target").loc["2A.2", "Causa dello scostamento"] == "picco di pratiche a dicembre"
    assert "2A.2" not in deviations.missing(con, "CCIAA-LU", 2020)
    evidence_store.attach(con, staff, "2A.2", 2020, 4, "report_gestione.pdf", PDF, "report sulla gestione")
    at = open_page("evidenze", user=users.get_user(con, "oiv"), anno="2020")
    files = at.dataframe[1].value
    assert files[["Target", "File", "Che cosa documenta", "Allegato da"]].values.tolist() == [
        ["2A.2", "report_gestione.pdf", "report sulla gestione", "staff.ri"]]
    assert [b.label for b in at.get("download_button")] == ["Scarica report_gestione.pdf"]
    assert not at.get("form_submit_button")  # the OIV reads, never writes here
    assert len(evidence.in_force(con, "CCIAA-LU", 2020)) == 1


def test_chiusura_page_blocks_then_closes_and_shows_changes(chain_db):
    from dashboard.core import deviations, year_freeze

    con = db.connect(chain_db)
    planner = users.get_user(con, "pianif")
    at = open_page("chiusura", user=planner, anno="2020")
    assert [t.value for t in at.title] == ["Chiusura e Relazione"]
    warnings = [w.value for w in at.warning]
    assert warnings[0] == "1 valori del 2020 non ancora approvati (o restituiti): vanno approvati in «Approvazione valori»."
    assert warnings[1].startswith("Manca la spiegazione dello scostamento di fine anno per 9 target: 1E.2")
    assert at.get("form_submit_button")[0].proto.disabled
    approvals.approve(con, users.get_user(con, "resp.ri"), "RI_FATTURE", 2020, 4)
    for t in deviations.missing(con, "CCIAA-LU", 2020):
        deviations.explain(con, planner, t, 2020, 4, f"causa di {t}", f"azione per {t}")
    at = open_page("chiusura", user=planner, anno="2020")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    assert at.success[0].value == "Il 2020 è chiuso per la validazione."
    assert year_freeze.latest(con, "CCIAA-LU", 2020)["utente"] == "pianif"
    corrections.correct_value(con, "pianif", "RI_FATTURE", 2020, 4, "rettifica dopo la validazione", "900")
    at = open_page("chiusura", user=users.get_user(con, "oiv"), anno="2020")
    table = at.dataframe[0].value.set_index("Target")
    assert table.loc["2A.3", "Modificato dopo la validazione"] == "sì"
    assert table.loc["2A.3", "Valore congelato"] != table.loc["2A.3", "Valore attuale"]
    assert table.loc["2A.2", "Modificato dopo la validazione"] == ""
    assert [b.label for b in at.get("download_button")] == [
        "Relazione (PDF)", "Relazione (DOCX)", "Scheda di validazione OIV (PDF)"]
    assert not at.get("form_submit_button")  # the OIV does not close years
    # The OIV dossier of a target shows the frozen figure and the change after the validation.
    at = open_page("valutazione", user=users.get_user(con, "oiv"), anno="2020")
    at.selectbox[1].select("2A.3").run()
    assert not at.exception
    changed = [w.value for w in at.warning if w.value.startswith("Modificato dopo la validazione: ora valore ")]
    assert len(changed) == 1 and "RI_FATTURE 2020-Q4 v3: rettifica dopo la validazione (pianif)" in changed[0]
    assert any(m.value.startswith("**Cifra congelata**") and "valore 1,07" in m.value for m in at.markdown)


def test_dashboards_mark_a_provisional_value_and_show_the_explanation(chain_db):
    """Issue 14: the dashboards show a value awaiting the head's approval as provisional; the target detail and the
    OIV's exports carry the cause of the deviation and the corrective action."""
    from dashboard.core import deviations
    from dashboard.files import evaluation_export
    con = db.connect(chain_db)
    target = con.execute("SELECT target FROM criteri WHERE ente = 'CCIAA-LU' AND indicatore = 'RI_FATTURE' "
                         "ORDER BY anno_da DESC LIMIT 1").fetchone()[0]
    deviations.explain(con, users.get_user(con, "pianif"), target, 2020, 4, "pratiche arretrate di fine anno",
                       "smaltimento entro febbraio con personale in prestito")
    db.close(chain_db)
    at = open_page("aree", anno="2020", trimestre="4", target=target)
    assert [m.value for m in at.metric if m.label.startswith("Valore al")][0].endswith("(provvisorio)")
    assert any("attende l'approvazione del responsabile" in c.value for c in at.caption)
    assert "Scostamento" in [s.value for s in at.subheader]
    assert any("**Causa:** pratiche arretrate di fine anno" in m.value for m in at.markdown)
    con = db.connect(chain_db)
    frame = evaluation_export.evaluation(con, "CCIAA-LU", 2020).set_index("Target")
    row = frame.loc[target]
    assert (row["Valori provvisori"], row["Causa dello scostamento"], row["Azione correttiva"]) == (
        "sì", "pratiche arretrate di fine anno", "smaltimento entro febbraio con personale in prestito")
    assert (frame.drop(index=target)["Valori provvisori"] == "no").all()
    import io

    from pypdf import PdfReader
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(evaluation_export.pdf_bytes(
        frame.reset_index(), "Camera di Commercio di Lucca", 2020))).pages)
    flat = " ".join(text.split())
    assert "Causa: pratiche arretrate" in flat and "provvisorio" in flat, flat[flat.find("2A.3"):][:600]
