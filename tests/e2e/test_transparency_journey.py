"""The planning office publishes the seed's I trimestre 2019 ITP; a citizen, not logged in, reads it on the public
page, downloads it as open data, and cannot reach what was not published by editing the address."""
from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.e2e.conftest import current, download, heading, login, shot


def test_published_figures_are_public_and_nothing_else(own_server, page, browser, tmp_path):
    login(page, own_server, "pianificazione", "demo-pianificazione")
    page.get_by_role("link", name="Pubblicazione").click()
    expect(page.get_by_text("è un valore dimostrativo: non si pubblica")).to_be_visible()  # 2020 is demo
    year = page.get_by_label("Anno")
    year.fill("2019")
    year.press("Enter")
    expect(page.get_by_text("Valore inserito a mano, non calcolato dalle fatture")).to_be_visible()
    current(page.get_by_role("button", name="Pubblica")).click()
    expect(page.get_by_text("Pubblicato: Indicatore di tempestività dei pagamenti")).to_be_visible()
    shot(page, "trasparenza-1-pubblicazione")

    citizen = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True, locale="it-IT")
    public = citizen.new_page()
    public.goto(f"{own_server}/trasparenza")
    expect(heading(public, name="Dati pubblicati")).to_be_visible()
    expect(public.get_by_test_id("stTable").first).to_contain_text("I trimestre 2019")
    expect(public.get_by_test_id("stTable").first).to_contain_text("-4,48")
    expect(public.get_by_text("Grafico a barre: itp (giorni) per periodo. I trimestre 2019, itp (giorni) -4,48.")).to_be_visible()
    expect(public.get_by_role("button", name="Esci")).to_have_count(0)  # nobody is logged in
    shot(public, "trasparenza-2-pubblica")
    saved = tmp_path / "itp.json"
    download(public, "Scarica JSON (dati aperti)", saved)
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert [(r["periodo"], r["itp"]) for r in doc["righe"]] == [("I trimestre 2019", -4.48)]

    # By address: an unpublished year, and the planning office's page.
    public.goto(f"{own_server}/trasparenza?ente=CCIAA-LU&dato=itp&anno=2020")
    expect(public.get_by_text("Nessun dato pubblicato per il 2020: sono mostrati gli anni pubblicati.")).to_be_visible()
    expect(public.get_by_text("-17,37")).to_have_count(0)  # II trimestre 2019, never published
    public.goto(f"{own_server}/pubblicazione")
    expect(public.get_by_label("Nome utente")).to_be_visible()  # asks for login, shows nothing
    expect(public.get_by_role("button", name="Pubblica")).to_have_count(0)
    citizen.close()
