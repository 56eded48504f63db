"""Issue 13.7: no framework chrome, no English in the widgets we can reach, nothing fetched from the internet.
Browsed at 1280×800 as the planning office (who sees every page), each page screenshotted for a person to look at."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, heading, login

PAGES = ["Cruscotto", "Aree e obiettivi", "Servizi", "Budget", "Piano", "Carica misure", "Valutazione OIV",
         "Inserimento dati", "Registro attività", "Amministrazione"]
LOCAL = ("http://127.0.0.1", "data:", "blob:", "about:")


def _settled(page) -> None:
    """No "running" indicator twice, a second apart (it appears only after a moment on a busy machine)."""
    for _ in range(2):
        page.wait_for_timeout(1000)
        page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)


def test_no_chrome_no_english_nothing_from_the_internet(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="it-IT")
    page = context.new_page()
    page.set_default_timeout(60_000)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(LOCAL) else None)
    page.goto(server)
    expect(page.get_by_label("Nome utente")).to_be_visible(timeout=60_000)
    # The login page too: no Deploy, no ⋮ menu.
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)
    expect(page.get_by_test_id("stMainMenu")).to_have_count(0)
    login(page, server, "pianificazione", "demo-pianificazione")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name in PAGES:
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True).click()
        expect(heading(page, level=1, name=name if name != "Cruscotto" else None).first).to_be_visible(
            timeout=60_000)
        _settled(page)
        expect(page.get_by_role("button", name="Deploy")).to_have_count(0)
        expect(page.get_by_test_id("stMainMenu")).to_have_count(0)
        expect(page.get_by_text("Made with Streamlit")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / f"chrome-{name.replace(' ', '_')}.png"))
        if name == "Carica misure":
            button = page.get_by_test_id("stFileUploaderDropzone").first.locator("button p")
            shown = button.evaluate("p => getComputedStyle(p, '::after').content")
            assert shown == '"Sfoglia"' and button.evaluate("p => getComputedStyle(p).fontSize") == "0px"
            hint = page.get_by_test_id("stFileUploaderDropzoneInstructions").first.locator("span").first
            assert "al massimo 200 MB" in hint.evaluate("s => getComputedStyle(s, '::after').content")
        if name == "Piano":
            offices = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_role("combobox", name="Ufficio"))
            expect(offices).to_be_visible(timeout=60_000)
            html = offices.evaluate("e => e.outerHTML")
            assert "Tutti gli uffici" in html and "Choose options" not in html
    favicon = page.locator("link[rel~='icon']").first.get_attribute("href")
    assert favicon and not favicon.startswith("http") or favicon.startswith("http://127.0.0.1")
    assert outside == [], outside
    context.close()
