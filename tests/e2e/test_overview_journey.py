"""The overview in Chromium: a click on a cell of the status heat map opens that area in that quarter, at its
stable address; the at-risk table links to the target's address."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e import walk
from tests.e2e.conftest import heading, login, shot


def test_heat_map_click_opens_the_area_in_that_quarter(server, page):
    page.set_viewport_size(walk.VIEWPORT)
    login(page, server, "segretario", "demo-segretario")
    walk.wait_rendered(page)
    expect(page.get_by_text("misurati 31 di 31 target")).to_be_visible()
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    # The last column is the quarter shown (IV trim. 2020); the first row area 1, under the two-line quarter labels.
    page.mouse.click(box["x"] + box["width"] - 20, box["y"] + 52)
    expect(heading(page, name="Aree e obiettivi")).to_be_visible(timeout=60_000)
    walk.wait_rendered(page)
    assert "area=1" in page.url and "anno=2020" in page.url and "trimestre=4" in page.url, page.url
    expect(page.get_by_text("situazione al IV trim. 2020")).to_be_visible()
    shot(page, "cruscotto-clic-area-1")


def test_at_risk_table_links_to_the_target(server, page):
    page.set_viewport_size(walk.VIEWPORT)
    login(page, server, "segretario", "demo-segretario")
    walk.wait_rendered(page)
    table = page.get_by_test_id("stDataFrame").filter(has_text="Soglia")
    # The grid draws on a canvas; its cells (the link's address) are in the page for assistive technology.
    cell = table.locator("td").first
    expect(cell).to_have_text("aree?ente=CCIAA-LU&anno=2020&trimestre=4&target=1E.2")  # the worst first
    # A new tab of the same browser shares the login (the session cookie, issue 12.10): the link opens at once.
    target = page.context.new_page()
    target.goto(f"{server}/{cell.inner_text()}")
    expect(heading(target, name="Target 1E.2")).to_be_visible(timeout=60_000)
    target.close()
