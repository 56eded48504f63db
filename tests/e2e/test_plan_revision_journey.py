"""The planning office revises the plan mid-year as Lucca's Giunta did on 25/06/2020: downloads the plan in
force, lowers a threshold in the workbook, uploads it, reads the differences, adopts it with its act. Then the
versions are on the Piano page. On a server of its own: the revision changes what the other journeys judge."""
from __future__ import annotations

import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import download, heading, login, shot


def test_mid_year_revision_adopted_with_its_act(own_server, page, tmp_path):
    login(page, own_server, "pianificazione", "demo-pianificazione")
    page.get_by_role("link", name="Amministrazione").click()
    page.get_by_role("tab", name="Piano: carica e adotta").click()
    workbook = tmp_path / "piano.xlsx"
    assert download(page, "Scarica il piano in vigore (.xlsx)", workbook).suggested_filename == "piano_CCIAA-LU.xlsx"

    wb = load_workbook(workbook)
    ws = wb["criteri"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2)
               if r[header.index("target")].value == "2A.1" and r[header.index("anno_da")].value == 2020)
    row[header.index("soglia")].value = 4  # "inferiore a 4 giorni" from the revision on
    wb.save(workbook)
    region = page.get_by_role("region", name=re.compile("Carica una cartella di lavoro del piano"))
    region.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(workbook))
    expect(page.get_by_text(re.compile("Il file è corretto: nuova versione del piano di CCIAA-LU"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Criterio cambiato: target 2A\.1 \(2020\), indicatore RI_TEMPO_LAV: soglia 5 → 4"))).to_be_visible()
    page.get_by_label("Atto di approvazione").fill("Delibera di Giunta n. 62 del 25/06/2020")
    page.get_by_text("Adotta subito").click()
    shot(page, "piano-1-anteprima")
    page.get_by_role("button", name="Carica il piano", exact=True).click()
    expect(page.get_by_text("Piano di CCIAA-LU caricato e adottato.")).to_be_visible(timeout=60_000)

    page.get_by_role("link", name="Piano", exact=True).click()
    expect(heading(page, name="Versioni del piano")).to_be_visible()
    table = page.get_by_test_id("stTable").first
    expect(table).to_contain_text("Delibera di Giunta n. 62 del 25/06/2020")
    expect(table).to_contain_text("25/06/2020")
    expect(table).to_contain_text("Delibera di Consiglio n. 15 del 7/11/2019")
    shot(page, "piano-2-versioni")
