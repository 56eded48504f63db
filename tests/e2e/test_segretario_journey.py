"""The Segretario Generale's morning: open the app, pick a quarter, open an area, open a target at risk,
download its table. In Debian's Chromium against a real server."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import choose, download, heading, login, login_here, shot


def test_segretario_generale_journey(server, page):
    login(page, server, "segretario", "demo-segretario")
    expect(heading(page, name="Cruscotto della performance")).to_be_visible()
    expect(page.get_by_text("Dati dimostrativi")).to_be_visible()
    expect(page.get_by_text("situazione al IV trim. 2020")).to_be_visible()
    shot(page, "1-cruscotto")

    choose(page, "Periodo", "II trim. 2020")
    expect(page.get_by_text("situazione al II trim. 2020")).to_be_visible()
    expect(heading(page, name="Target a rischio")).to_be_visible()
    assert "anno=2020" in page.url and "trimestre=2" in page.url  # the view has an address
    shot(page, "2-cruscotto-II-trim")

    page.get_by_role("link", name="Aree e obiettivi").click()
    expect(heading(page, name="Aree e obiettivi")).to_be_visible()
    expect(page.get_by_text("situazione al II trim. 2020")).to_be_visible()  # the quarter follows the user
    choose(page, "Area strategica", "2 — Servizi alle imprese")
    expect(heading(page, name="Target dell'obiettivo 2A")).to_be_visible()
    shot(page, "3-area-2")

    page.get_by_role("link", name=re.compile(r"Apri il target 2A\.2 — ⚠ A rischio")).click()
    expect(heading(page, name="Target 2A.2")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Apri il target"))).to_have_count(0)  # the area view is gone
    expect(page.get_by_test_id("stMetricValue").filter(has_text="A rischio")).to_be_visible()
    assert "target=2A.2" in page.url
    shot(page, "4-target-2A.2")

    # The address alone reopens the same view (a link sent by e-mail), after logging in.
    link = page.url
    page.context.clear_cookies()
    fresh = page.context.new_page()
    fresh.goto(link)
    login_here(fresh, "segretario", "demo-segretario")
    expect(heading(fresh, name="Target 2A.2")).to_be_visible()
    expect(fresh.get_by_text("II trim. 2020").first).to_be_visible()
    fresh.close()

    page.get_by_role("tab", name="Tabella").first.click()
    csv_file = download(page, "Scarica CSV")
    assert csv_file.suggested_filename == "2A.2_RI_SOSP_GIORNI_2020.csv"
    content = open(csv_file.path(), encoding="utf-8-sig").read().splitlines()
    # Issue 13.5: each quarter's value and the year-to-date one the chart plots, side by side.
    assert content[0].startswith("Anno;Trimestre;Valore del trimestre;Progressivo dall'inizio dell'anno (nel grafico)")
    assert len(content) == 3  # I and II trim. 2020
    assert content[1].startswith("2020;I;")
    second = content[2].split(";")
    assert round(float(second[3].replace(",", ".")), 2) == 3.68 and round(float(second[2].replace(",", ".")), 2) == 3.97
    assert len(second[3].split(",")[1]) <= 4  # rounded, not 15 decimals
    shot(page, "5-target-tabella")
