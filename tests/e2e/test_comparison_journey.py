"""Issue 16: the Segretario of Toscana Nord-Ovest opens the comparison between chambers, sees the three
predecessors' 2021 Registro Imprese processing times, their consolidated 2021 and the successor's 2022, and
drills into one body (Pisa)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.e2e import walk
from tests.e2e.conftest import ROOT, choose, heading, login, running_server, shot


def _it(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


@pytest.fixture(scope="module")
def merger_server(module_stores):
    """A server on a database made by `init --demo-bodies`, and the figures the page must show, read first
    (DuckDB lets one process hold the file)."""
    path = module_stores.address()
    env = {**os.environ, "KPI_DB": str(path), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "dashboard.cli", "init", "--demo-bodies"], check=True, cwd=ROOT, env=env,
                   capture_output=True)
    from dashboard.core import db
    from queries import comparison
    con = db.connect(path)

    def year(frame, ente):
        x = frame[(frame["ente"] == ente) & (frame["indicatore"] == "tempo_ri") & frame["trimestre"].isna()]
        return _it(float(x["valore"].iloc[0]))

    before = comparison.cases(con, 2021, ["CCIAA-LU", "CCIAA-PI", "CCIAA-MS"])
    figures = {e: year(before, e) for e in ("CCIAA-LU", "CCIAA-PI", "CCIAA-MS")}
    figures["consolidato"] = year(comparison.consolidated(con, "CCIAA-TNO", 2021), "CCIAA-TNO")
    figures["CCIAA-TNO"] = year(comparison.cases(con, 2022, ["CCIAA-TNO"]), "CCIAA-TNO")
    db.close(path)
    with running_server(path, init=False) as url:
        yield url, figures


def test_segretario_tno_compares_the_merger_and_drills_into_pisa(merger_server, page):
    server, figures = merger_server
    login(page, server, "segretario.tno", "demo-segretario-tno")
    page.get_by_role("link", name="Confronto tra Camere").click()
    expect(heading(page, name="Confronto tra Camere")).to_be_visible()
    expect(page.get_by_text("Dati dimostrativi: i record di")).to_be_visible()
    # The boxplot, drawn from the Vega-Lite spec the page caches (not an Altair object): four facets of dots.
    boxplot = page.get_by_test_id("stVegaLiteChart").first
    expect(boxplot.locator("canvas, svg").first).to_be_visible()
    assert boxplot.bounding_box()["height"] > 200
    expect(heading(page, name="Fusione: CCIAA Toscana Nord-Ovest (demo)")).to_be_visible()
    merger = page.get_by_test_id("stTable").first
    for column in ("CCIAA Lucca 2021", "CCIAA Pisa (demo) 2021", "CCIAA Massa-Carrara (demo) 2021", "Consolidato 2021",
                   "CCIAA Toscana Nord-Ovest (demo) 2022"):
        expect(merger).to_contain_text(column)
    row = merger.locator("tr").filter(has_text="tempo medio di lavorazione")
    for key in ("CCIAA-LU", "CCIAA-PI", "CCIAA-MS", "consolidato", "CCIAA-TNO"):
        expect(row).to_contain_text(figures[key])
    walk.wait_rendered(page)
    shot(page, "confronto-1-fusione")

    choose(page, "Anno", "2021")
    choose(page, "Ente da esaminare", "CCIAA Pisa (demo) (CCIAA-PI)")
    expect(page.get_by_text("CCIAA Pisa (demo), 2021: trimestre per trimestre")).to_be_visible()
    assert "dettaglio=CCIAA-PI" in page.url and "anno=2021" in page.url, page.url
    detail = page.get_by_test_id("stDataFrame").last
    expect(detail).to_contain_text("Tempo RI (gg)")
    expect(detail).to_contain_text(figures["CCIAA-PI"])  # Pisa's 2021, as in the merger's table
    walk.wait_rendered(page)
    shot(page, "confronto-2-dettaglio-pisa")
