"""Walking every page as each role in Chromium: the demo accounts, the menu entries a role sees, and how to
tell that a page has finished rendering (used by the screenshot/accessibility test and benchmarks/bench_browser.py)."""
from __future__ import annotations

from dashboard.web import navigation

# The demo accounts `init` creates (README, "Demo accounts"): one per role.
ROLES = {
    "segretario": ("segretario", "demo-segretario"),
    "oiv": ("oiv", "demo-oiv-2020"),
    "pianificazione": ("pianificazione", "demo-pianificazione"),
    "staff": ("staff.ri", "demo-staff-ri"),
}
ROLE_CODES = {"segretario": "segretario_generale", "oiv": "oiv", "pianificazione": "pianificazione", "staff": "staff"}
VIEWPORT = {"width": 1280, "height": 800}


def pages_for(role: str) -> list[tuple[str, str]]:
    """(title, url path) of the pages in the role's menu, in menu order."""
    return [(p[1], p[3]) for p in navigation.entries_for(ROLE_CODES[role])]


# Rendered: the script not running (the app's data-test-script-state, which Streamlit's own tests wait on: the
# status widget alone missed a run busy in a query, and the Cruscotto was shot without its charts), no "running"
# status widget, no element of a previous run still marked stale, something in the main area, and the page quiet
# (no change to the DOM) for QUIET_MS: the charts and tables arrive after the script's first elements. Returns the
# page-clock time (performance.now()) of the last change, so a benchmark measures up to the last change, not the
# quiet period after it.
QUIET_MS = 500
_RENDERED = """(quiet) => new Promise(resolve => {
  let last = performance.now();
  const obs = new MutationObserver(() => { last = performance.now(); });
  obs.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  const busy = () => document.querySelector('[data-testid="stStatusWidget"], [data-stale="true"], '
      + '[data-testid="stSkeleton"], [data-testid="stAppSkeleton"], '
      + '[data-testid="stApp"]:not([data-test-script-state="notRunning"])');
  const tick = () => {
    const main = document.querySelector('[data-testid="stMain"]');
    if (busy()) { last = performance.now(); }
    if (!busy() && main && main.innerText.trim().length > 0 && performance.now() - last >= quiet) {
      obs.disconnect(); resolve(last);
    } else { setTimeout(tick, 25); }
  };
  tick();
})"""


def wait_rendered(page, timeout_ms: int = 120_000) -> float:
    """Wait until the page is drawn; the page-clock time of its last change (ms)."""
    page.set_default_timeout(timeout_ms)
    return page.evaluate(_RENDERED, QUIET_MS)


def open_from_menu(page, title: str, url_path: str) -> float:
    """Click the page in the sidebar menu and wait until it is drawn; seconds from the click to its last change."""
    clicked = page.evaluate("() => performance.now()")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    # The default page (Cruscotto) lives at the root of the app; the others at their own path.
    page.wait_for_function("p => location.pathname.endsWith('/' + p) || (p === 'cruscotto' && location.pathname.endsWith('/'))",
                           arg=url_path, polling=50)
    return (wait_rendered(page) - clicked) / 1000


def screenshot(page, path, whole: bool = False) -> None:
    """The page as seen at 1280×800; `whole`: the full height of the scrolled content too (the app scrolls
    inside its main container, so a full-page screenshot alone would stop at the window)."""
    page.screenshot(path=str(path))
    if whole:
        height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], min(int(height) + 40, 12000))})
        wait_rendered(page)
        page.screenshot(path=str(path).replace(".png", "-intera.png"))
        page.set_viewport_size(VIEWPORT)
