"""Issue 17 (the embedded file): with a dashboard server in use, a CLI write gets the file between clicks and
the dashboard sees it; while another process holds the file a page says «occupato» with «Riprova» (no
traceback), and «Riprova» brings the same view back once the file is free."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import heading, login, login_here, running_server, shot
from tests.test_busy_db import held
from tests.test_cli import cli

pytestmark = pytest.mark.file_store("DuckDB's lock on a file another process holds")


def test_cli_and_dashboard_share_the_file(tmp_path, page):
    db = tmp_path / "kpi.duckdb"
    with running_server(db) as url:
        login(page, url, "segretario", "demo-segretario")
        expect(heading(page, level=1).first).to_be_visible()
        # The dashboard has opened the file; the CLI (default wait) gets it once the page run is over.
        started = time.monotonic()
        added = cli(db, "user", "add", "oiv.nuovo", "--role", "oiv", "--password-stdin",
                    stdin="una-password-lunga\n")
        assert added.returncode == 0, added.stderr
        assert time.monotonic() - started < 30
        page.get_by_role("button", name="Esci").click()
        expect(page.get_by_label("Nome utente")).to_be_visible()
        login_here(page, "oiv.nuovo", "una-password-lunga")  # the dashboard reads what the CLI wrote

        with held(db):
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Piano", exact=True).click()
            expect(page.get_by_text("momentaneamente occupato")).to_be_visible()  # after PAGE_WAIT (10 s)
            shot(page, "database-occupato")
            expect(page.get_by_text("Traceback")).to_have_count(0)
        page.get_by_role("button", name="Riprova").click()
        expect(heading(page, level=1, name="Piano")).to_be_visible()
        expect(page.get_by_role("button", name="Esci")).to_be_visible()  # still logged in
