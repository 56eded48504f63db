"""Benchmark: every page in Debian's Chromium against a real server, from the click in the menu to the page
fully drawn (no script running, no stale element), warm (the page opened once before), on the demo database
and on a generated 100-body database; the AppTest figures of bench_pages beside them.

    .venv/bin/python benchmarks/bench_browser.py [--bodies 100] [--years 10] [--repeat 3] [--pages cruscotto,aree]

Target (issue 13): warm under 1 s on the demo database.
"""
from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import bench_pages  # noqa: E402
from benchmarks.bench_status import build  # noqa: E402
from dashboard.core import db, demo, users  # noqa: E402
from dashboard.files import seed_loader  # noqa: E402
from tests.e2e import walk  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, login, running_server  # noqa: E402

logging.getLogger("streamlit").setLevel(logging.ERROR)
USER, PASSWORD = walk.ROLES["segretario"]


def browser_times(url: str, pages: list[tuple[str, str]], repeat: int) -> dict[str, tuple[float, float]]:
    """(first opening, median warm opening) in seconds per page, as the Segretario Generale."""
    from playwright.sync_api import sync_playwright
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=walk.VIEWPORT, locale="it-IT").new_page()
        page.set_default_timeout(120_000)
        login(page, url, USER, PASSWORD)
        walk.wait_rendered(page)
        first = {}
        for title, path in pages:  # cold: the server's caches are empty for this page's figures
            first[path] = walk.open_from_menu(page, title, path)
        samples = {path: [] for _, path in pages}
        for _ in range(repeat):
            for title, path in pages:
                samples[path].append(walk.open_from_menu(page, title, path))
        browser.close()
    for _, path in pages:
        out[path] = (first[path], statistics.median(samples[path]))
    return out


def run(label: str, path: Path, repeat: int, wanted: set[str] | None, limit_ms: float | None) -> None:
    pages = [(t, p) for t, p in walk.pages_for("segretario") if not wanted or p in wanted]
    with running_server(path, init=False) as url:
        times = browser_times(url, pages, repeat)
    import os
    os.environ["KPI_DB"] = str(path)
    print(f"\n{label}")
    print(f"{'pagina':<12} {'browser 1ª (ms)':>16} {'browser caldo (ms)':>19} {'AppTest caldo (ms)':>19}"
          + (f"  obiettivo browser caldo < {limit_ms:.0f} ms" if limit_ms else ""))
    for _, page in pages:
        first, warm = times[page]
        apptest = bench_pages.time_page(page, repeat)[1] if page in bench_pages.PARAMS else float("nan")
        verdict = ("ok" if warm * 1000 < limit_ms else "OLTRE") if limit_ms else ""
        print(f"{page:<12} {first * 1000:>16.0f} {warm * 1000:>19.0f} {apptest * 1000:>19.0f}  {verdict}")
    db.close(path)


def with_reader(con) -> None:
    users.add_user(con, USER, "segretario_generale", "CCIAA-LU", [], PASSWORD)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--bodies", type=int, default=100)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pages", default="", help="url paths separated by commas (default: every page)")
    ap.add_argument("--demo-only", action="store_true")
    args = ap.parse_args(argv)
    wanted = set(filter(None, args.pages.split(","))) or None
    with tempfile.TemporaryDirectory() as tmp:
        demo_db = Path(tmp) / "demo.duckdb"
        con = db.connect(demo_db)
        seed_loader.load_seed(con)
        demo.load_demo(con)
        with_reader(con)
        db.close(demo_db)
        run("Database dimostrativo (CCIAA Lucca, piano 2020 e dati demo)", demo_db, args.repeat, wanted, 1000)
        if args.demo_only:
            return
        big = Path(tmp) / "grande.duckdb"
        con = db.connect(big)
        build(args.bodies, args.years, con)
        with_reader(con)
        db.close(big)
        run(f"Database generato: {args.bodies} enti x {args.years} anni", big, args.repeat, wanted, None)


if __name__ == "__main__":
    main()
