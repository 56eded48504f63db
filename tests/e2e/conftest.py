"""A real dashboard server and Debian's Chromium for the end-to-end journeys.

The server runs `streamlit run dashboard/web/server.py` (the app and the session cookie's routes) on a free loopback port with
its own database on the store under test (a DuckDB file, or with KPI_TEST_STORE=postgres a PostgreSQL database of its
own: the `stores` fixture gives the address), initialised by the CLI as a user would; screenshots go to
artifacts/e2e/ so a person can look at what the test saw.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

# A page's first opening after a write computes its figures afresh (the Cruscotto some twenty status queries):
# on a busy 2-core machine that takes several seconds, more than Playwright's default 5 s for an expectation.
# 60 s a step: CI runs the journeys in one xdist worker while the other runs the rest on the same 2 cores.
expect.set_options(timeout=60_000)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium as root in a closed network: no sandbox, no background connections.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(proc: subprocess.Popen, url: str) -> bool:
    """Whether `proc` answers its health check within 60 s, and is still running after it (so the answer
    was its own, not another process's on the same port)."""
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    time.sleep(0.5)  # a server that lost the port exits at once
                    return proc.poll() is None
        except OSError:
            time.sleep(0.3)
    return False


@contextmanager
def running_server(db: Path | str, init: bool = True):
    """`streamlit run` on a free loopback port with its own database (a DuckDB file's path or a postgresql://
    address: KPI_DB), initialised by the CLI (unless `init` is False: a database made beforehand, as the browser
    benchmark's large one); its URL."""
    env = {**os.environ, "KPI_DB": str(db), "PYTHONPATH": str(ROOT)}
    if init:
        subprocess.run([sys.executable, "-m", "dashboard.cli", "init"], check=True, cwd=ROOT, env=env,
                       capture_output=True)
    # The server's output goes to a file, not a pipe: nobody reads a pipe while the journey runs, and once its
    # 64 KB buffer is full (warnings, tracebacks of a long journey) the server blocks on its next write and
    # stops answering (a download that never came, late in the evidence journey).
    log = tempfile.TemporaryFile()
    for attempt in range(3):
        port = _free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard/web/server.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        if _healthy(proc, url):
            break
        # Under pytest-xdist another worker's server may have taken the port between _free_port and the bind:
        # this server then ended, and the health answer (if any) was the other one's. Try another port.
        proc.kill()
        proc.wait()
        if attempt == 2:
            log.seek(0)
            raise RuntimeError("il server Streamlit non è partito:\n" + log.read().decode(errors="replace"))
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def server(session_stores):
    with running_server(session_stores.address()) as url:
        yield url


@pytest.fixture
def own_server(stores):
    """A server on a database of the test's own, for a journey that writes: its writes reach no other journey, and
    a run of it again (pytest_collection_modifyitems) starts from the same data as the first."""
    with running_server(stores.address()) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium non trovato: scripts/test.sh lo installa (pacchetto Debian «chromium»).")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="it-IT")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-fine.png"), full_page=True)
    context.close()


# Streamlit leaves the previous run's elements in the page, marked data-stale="true", until the new run has
# replaced them: after a click the new heading can stand beside the old one for a moment, and a strict locator
# fails at once on two (CI, the evidence journey). Locators for what the current run drew exclude those.
CURRENT = ':not([data-stale="true"] *)'


def current(locator):
    """`locator` narrowed to what the current run drew (not a stale copy of the previous run's)."""
    return locator.and_(locator.page.locator(CURRENT))


def heading(page, name=None, **kw):
    """The heading called `name` as drawn by the current run (not a stale copy of the previous run's)."""
    return current(page.get_by_role("heading", name=name, **kw))


def pytest_collection_modifyitems(config, items):
    """A journey that fails on a strict-mode violation is run once more, and only then: two elements for one locator
    is how the stale-copy race shows itself wherever a locator is not narrowed with `current` (the CI failures that
    refused the last two submissions, each fixed where it struck). Any other failure, or the same one twice, fails the
    run; pytest prints each rerun (R in the progress, RERUN in the summary), so a race that comes back is seen."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.flaky(reruns=1, only_rerun=["strict mode violation"]))


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def download(page, button: str, save_to=None):
    """Click a download button (the first of that name) and return the download, saved where asked.

    Streamlit serves the file of the run that drew the button and drops it at the next run: a button clicked
    while a rerun is under way (slow on a loaded machine) fires no download. So the page is let finish first,
    and the click is tried once more if nothing came."""
    from tests.e2e.walk import wait_rendered  # walk imports the app's navigation: only where needed

    for attempt in range(2):
        wait_rendered(page, 60_000)
        try:
            with page.expect_download(timeout=30_000 if attempt == 0 else 60_000) as info:
                page.get_by_role("button", name=button).first.click()
            break
        except PlaywrightTimeout:
            if attempt == 1:
                raise
    if save_to is not None:
        info.value.save_as(save_to)
    return info.value


def login(page, server: str, username: str, password: str) -> None:
    page.goto(server)
    login_here(page, username, password)


def login_here(page, username: str, password: str) -> None:
    """Fill the login form shown on the current page."""
    current(page.get_by_label("Nome utente")).fill(username)
    current(page.get_by_role("textbox", name="Password")).fill(password)
    current(page.get_by_role("button", name="Accedi")).click()
    page.get_by_role("button", name="Esci").wait_for()


def choose(page, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox identified by its label, and check it shows as chosen."""
    choose_matching(page, label, option, option)


def choose_matching(page, label: str, typed: str, option) -> None:
    """Open the selectbox labelled `label`, type `typed` (long lists are virtualised: filter first), click the
    option named `option` (a string, exactly, or a pattern) and check it shows as chosen.

    A rerun started by the previous widget (e.g. choosing the office or the year) redraws this box and closes
    its list while the option is being typed: then the list is opened again, up to three times."""
    box = current(page.get_by_test_id("stSelectbox").filter(has_text=label))
    exact = isinstance(option, str)  # a pattern matches as it is
    for attempt in range(3):
        try:
            box.click()
            page.keyboard.type(typed)
            target = page.get_by_role("option", name=option, exact=True) if exact else page.get_by_role("option", name=option)
            target.click(timeout=10_000)
            expect(box.get_by_role("combobox")).to_have_value(option, timeout=10_000)
            return
        except (PlaywrightTimeout, AssertionError):
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            page.wait_for_timeout(1_000)
