"""The plan's versions on the pages: everyone sees the adopted ones with their acts; drafts are the
planning office's work and only it sees them (filtered where they are read, not by hiding a widget)."""
from __future__ import annotations

from dashboard.core import db
from dashboard.core.roles import User
from dashboard.files import plan_versions, plan_workbook
from tests.test_pages import SEGRETARIO, open_page

PIANIFICAZIONE = User("pianif", "CCIAA-LU", "pianificazione", ("PROGCONTR",))


def _draft(db_file, tmp_path):
    con = db.connect(db_file)
    workbook = tmp_path / "revisione.xlsx"
    workbook.write_bytes(plan_versions.export_bytes(con, "CCIAA-LU"))
    plan_versions.import_version(con, PIANIFICAZIONE, workbook)  # a draft: no act, not adopted


def test_piano_shows_the_adopted_versions_to_everyone_and_drafts_to_the_planning_office(db_file, tmp_path):
    _draft(db_file, tmp_path)
    seen = open_page("piano").table[0].value
    assert list(seen.index) == [1]
    assert seen.loc[1, "Atto"] == "Delibera di Consiglio n. 15 del 7/11/2019"
    assert seen.loc[1, "Stato"] == "adottata, in vigore" and seen.loc[1, "In vigore dal"] == "07/11/2019"
    planner = open_page("piano", user=PIANIFICAZIONE).table[0].value
    assert list(planner.index) == [1, 2] and planner.loc[2, "Stato"] == "bozza" and planner.loc[2, "Atto"] == ""


def test_amministrazione_adopts_a_draft_with_its_act(db_file, tmp_path):
    _draft(db_file, tmp_path)
    at = open_page("amministrazione", user=PIANIFICAZIONE)
    assert at.tabs[3].label == "Piano: carica e adotta"
    form = at.tabs[3]
    fields = {t.label: t for t in form.text_input}
    assert fields["Data dell'atto"].placeholder == "gg/mm/aaaa"  # issue 13.7: not "dd / mm / yyyy"
    fields["Atto di adozione"].input("Delibera di Giunta n. 62 del 25/06/2020")
    form.button[-1].click().run()
    assert not at.exception, at.exception
    assert "Versione 2 adottata" in at.success[0].value
    versions = {v["versione"]: v for v in plan_versions.versions(db.connect(db_file), "CCIAA-LU")}
    assert versions[2]["stato"] == "adottato" and versions[2]["in_vigore"]
    assert str(versions[2]["in_vigore_dal"]) == "2020-06-25"
    assert open_page("piano", user=SEGRETARIO).table[0].value.loc[2, "Atto"] == "Delibera di Giunta n. 62 del 25/06/2020"


def test_template_and_export_are_real_workbooks(db_file):
    from io import BytesIO

    from openpyxl import load_workbook
    empty = load_workbook(BytesIO(plan_workbook.template_bytes()))
    assert empty.sheetnames[0] == "Istruzioni" and "criteri" in empty.sheetnames
    current = load_workbook(BytesIO(plan_versions.export_bytes(db.connect(db_file), "CCIAA-LU")))
    assert current["target"].max_row == 1 + 65  # 31 targets 2020-2021 and 34 of 2018-2019


def test_target_detail_says_which_threshold_applied_when(db_file, tmp_path):
    from io import BytesIO

    from openpyxl import load_workbook
    con = db.connect(db_file)
    wb = load_workbook(BytesIO(plan_versions.export_bytes(con, "CCIAA-LU")))
    ws = wb["criteri"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[header.index("target")].value == "2A.1" and row[header.index("anno_da")].value == 2020:
            row[header.index("soglia")].value = 4
    path = tmp_path / "giugno.xlsx"
    wb.save(path)
    plan_versions.import_version(con, PIANIFICAZIONE, path, atto="Delibera di Giunta n. 62 del 25/06/2020", adopt=True)
    q1 = open_page("aree", anno="2020", trimestre="1", area="2", target="2A.1")
    assert any("**Condizione:** < 5 giorni" in m.value for m in q1.markdown)  # Q1 ends before the revision
    history = "\n".join(t.value for t in q1.text)
    assert "dal 07/11/2019: < 5 — versione 1, Delibera di Consiglio n. 15 del 7/11/2019" in history
    assert "dal 25/06/2020: < 4 — versione 2, Delibera di Giunta n. 62 del 25/06/2020" in history
    q3 = open_page("aree", anno="2020", trimestre="3", area="2", target="2A.1")
    assert any("**Condizione:** < 4 giorni" in m.value for m in q3.markdown)


def test_a_version_that_repeats_the_threshold_is_no_change():
    import datetime as dt
    import math

    import pandas as pd

    from dashboard.web import frames
    same = pd.DataFrame({"versione": [1, 2], "atto": ["a", "b"], "in_vigore_dal": [dt.date(2019, 11, 7), dt.date(2020, 6, 25)],
                         "anno": [math.nan, math.nan], "operatore": ["<", "<"], "soglia": [5.0, 5.0],
                         "regola": ["rapporto", "rapporto"], "valore_base": [math.nan, math.nan]})
    assert frames.threshold_changes(same) == []
    changed = same.assign(soglia=[5.0, 4.0])
    assert frames.threshold_changes(changed) == ["dal 07/11/2019: < 5 — versione 1, a", "dal 25/06/2020: < 4 — versione 2, b"]
