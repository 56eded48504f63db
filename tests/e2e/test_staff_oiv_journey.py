"""A staff member uploads the quarter's values (one error, fixed), the OIV sees them, validates and exports the PDF.
In Debian's Chromium against a real server."""
from __future__ import annotations

import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import choose, choose_matching, current, download, heading, login, shot
from tests.e2e.walk import wait_rendered


def upload(page, path) -> None:
    region = page.get_by_role("region", name=re.compile("Carica il file compilato"))
    region.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))


def test_staff_upload_then_oiv_review(own_server, browser, page, tmp_path):
    # On a server of its own: a run again (tests/e2e/conftest.py) finds no upload or verdict of the first run.
    server = own_server
    login(page, server, "staff.ri", "demo-staff-ri")
    page.get_by_role("link", name="Carica misure").click()
    expect(heading(page, name="Carica misure")).to_be_visible()
    choose(page, "Trimestre", "I trim. 2021")
    expect(page.get_by_text("Modello dell'ufficio Registro Imprese – Artigianato Protesti e documenti Export (RI) "
                            "per il I trim. 2021: 7 indicatori.")).to_be_visible()
    template = tmp_path / "modello.xlsx"
    assert download(page, "Scarica il modello (.xlsx)", template).suggested_filename == "modello_RI_2021-Q1.xlsx"

    wb = load_workbook(template)
    ws = wb["Misure"]
    header = [c.value for c in ws[1]]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    rows["RI_FATTURE"][header.index("valore")].value = "milleduecento"  # the error a person makes
    rows["RI_DISPOSITIVI"][header.index("valore")].value = 910
    wb.save(template)
    upload(page, template)
    expect(page.get_by_text("Il file non è stato importato: 1 problema da correggere")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("«milleduecento» non è un numero")).to_be_visible()
    shot(page, "staff-1-errore")

    rows["RI_FATTURE"][header.index("valore")].value = 1250
    fixed = tmp_path / "modello_corretto.xlsx"
    wb.save(fixed)
    upload(page, fixed)
    expect(page.get_by_text("Il file è corretto: 2 valori pronti")).to_be_visible(timeout=60_000)
    shot(page, "staff-2-anteprima")
    page.get_by_role("button", name="Conferma importazione").click()
    expect(heading(page, name="Ricevuta")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Importazione di modello_corretto.xlsx completata: 2 nuovi, 0 corretti, 0 invariati.")).to_be_visible()
    # Issue 13.6: the preview and its Conferma do not come back above the receipt; the uploader is empty.
    expect(page.get_by_role("button", name="Conferma importazione")).to_have_count(0, timeout=60_000)
    expect(page.get_by_text("Il file è corretto")).to_have_count(0)
    expect(page.get_by_test_id("stFileUploaderFile")).to_have_count(0)
    shot(page, "staff-3-ricevuta")

    oiv_context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    oiv = oiv_context.new_page()
    oiv.set_default_timeout(60_000)
    login(oiv, server, "oiv", "demo-oiv-2020")
    oiv.get_by_role("link", name="Valutazione OIV").click()
    expect(heading(oiv, name="Valutazione OIV")).to_be_visible()
    choose(oiv, "Anno", "2020")  # the page opens on 2021 (this upload's year): a target is chosen in 2020 first
    choose(oiv, "Anno", "2021")
    # The picker names the target shown with this year's status, as the dossier below it does (it kept the label
    # of 2020, the year it was chosen in, until the page was reloaded).
    wait_rendered(oiv)
    picked = current(oiv.get_by_test_id("stSelectbox").filter(has_text="Target")).get_by_role("combobox")
    code = current(oiv.get_by_role("heading", name=re.compile(r"^Dossier del target "))).inner_text().split()[-1]
    status = re.search(r"Stato: (.+?) · Grado", current(oiv.locator("p", has_text="Stato:")).inner_text()).group(1)
    expect(picked).to_have_value(f"{code} — {status}")
    choose_matching(oiv, "Target", "2A.3", re.compile(r"^2A\.3 — "))
    expect(heading(oiv, name="Dossier del target 2A.3")).to_be_visible()
    # The dossier shows the year's values of each indicator; the grid draws on a canvas, its cells are in
    # the page for assistive technology.
    expect(oiv.locator("td", has_text="staff.ri").first).to_be_attached()
    expect(oiv.locator("td", has_text="1.250,00")).to_have_count(1)
    shot(oiv, "oiv-1-storico")
    current(oiv.get_by_text("Validato con riserva", exact=True)).click()
    comment = current(oiv.get_by_role("textbox", name="Commento"))
    comment.fill("Dato del I trimestre da confermare con il gestionale")
    current(oiv.get_by_role("button", name="Registra il verdetto")).click()
    expect(oiv.get_by_text("Verdetto registrato per il target 2A.3: Validato con riserva.")).to_be_visible()
    expect(oiv.locator("td", has_text="Dato del I trimestre da confermare con il gestionale")).to_have_count(1)
    expect(comment).to_have_count(1)  # the box the current run drew (the last run's may still stand for a moment)
    expect(comment).to_have_value("")  # emptied: nothing invites sending it twice
    pdf = tmp_path / "valutazione.pdf"
    assert download(oiv, "Esporta PDF", pdf).suggested_filename == "valutazione_2021.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    shot(oiv, "oiv-2-verdetto")
    oiv_context.close()
