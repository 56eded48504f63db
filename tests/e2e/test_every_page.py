"""Every page as each role in Chromium at 1280×800: a screenshot kept in artifacts/screens/ (the whole page
too, in *-intera.png) and the axe-core accessibility check (axe-playwright-python ships axe.min.js):
no serious or critical violation on any page, the login included."""
from __future__ import annotations

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e import walk
from tests.e2e.conftest import ROOT, login

SCREENS = ROOT / "artifacts" / "screens"
# The whole scrolled height too (*-intera.png) only when asked: it redraws every page at a second size,
# minutes of the CI budget for images nobody looks at there. `KPI_SCREENS_WHOLE=1 scripts/test.sh tests/e2e/test_every_page.py`.
WHOLE = os.environ.get("KPI_SCREENS_WHOLE") == "1"
SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    """Serious and critical axe violations of the page, one line each (rule, impact, nodes, first target)."""
    result = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {len(v['nodes'])} elementi — {v['help']}: "
            + " | ".join(f"{n['target']} {n['html'][:120]} {n.get('failureSummary', '')[:200]}" for n in v["nodes"][:3])
            for v in result.response["violations"] if v["impact"] in SERIOUS]


@pytest.fixture
def small_page(browser, request):
    SCREENS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=walk.VIEWPORT, locale="it-IT")
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    page.screenshot(path=str(SCREENS / f"fine-{request.node.name}.png"))
    context.close()


def test_login_page_screenshot_and_accessibility(server, small_page):
    small_page.goto(server)
    small_page.get_by_label("Nome utente").wait_for()
    walk.wait_rendered(small_page)
    walk.screenshot(small_page, SCREENS / "anonimo-accedi.png")
    assert serious_violations(small_page) == []


@pytest.mark.parametrize("role", list(walk.ROLES))
def test_every_page_per_role(server, small_page, role):
    login(small_page, server, *walk.ROLES[role])
    found = {}
    for title, path in walk.pages_for(role):
        walk.open_from_menu(small_page, title, path)
        walk.screenshot(small_page, SCREENS / f"{role}-{path}.png", whole=WHOLE)
        if problems := serious_violations(small_page):
            found[path] = problems
    assert found == {}, "\n".join(f"{p}: {line}" for p, lines in found.items() for line in lines)
