"""Benchmark: every page's script run with AppTest, cold (empty cache) and warm, on the demo database
and on a generated 100-body, 10-year database. Prints milliseconds per page.

    .venv/bin/python benchmarks/bench_pages.py [--bodies 100] [--years 10] [--repeat 5]

Targets (issue 3): warm under 300 ms on the demo database, under 1 s on the large one.
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from benchmarks.bench_status import build  # noqa: E402
from dashboard.core import db, demo  # noqa: E402
from dashboard.core.roles import User  # noqa: E402
from dashboard.files import seed_loader  # noqa: E402

APP = ROOT / "dashboard" / "web" / "app.py"
logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest's "no runtime" notices
PARAMS = {"cruscotto": {}, "aree": {"area": "2"}, "servizi": {}, "budget": {}, "piano": {}, "valutazione": {},
          "inserimento": {}, "registro": {}}
# The pages are timed as the Segretario Generale sees them (logged in, reading everything).
READER = User("segretario", "CCIAA-LU", "segretario_generale", ())


def time_page(url: str, repeat: int) -> tuple[float, float]:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["_utente"] = READER
    for k, v in PARAMS[url].items():
        at.query_params[k] = v
    if url != "cruscotto":
        at.run()
        at.switch_page(f"../../pages/{url}.py")
    return _cold_and_warm(at, repeat)


def _cold_and_warm(at: AppTest, repeat: int) -> tuple[float, float]:
    """(cold, warm) seconds of the page `at` is on: cold with an empty cache, warm the median of `repeat` reruns."""
    st.cache_data.clear()
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    assert not at.exception, at.exception
    warm = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
    assert not at.exception, at.exception
    return cold, statistics.median(warm)


# The floor: what AppTest and Streamlit cost for a page that draws a title and a small table.
FLOOR_PAGE = """import pandas as pd
import streamlit as st
st.title("Pagina minima")
st.dataframe(pd.DataFrame({"a": range(10)}))
"""


def time_as(page: str | None, user: User, repeat: int, params: dict | None = None) -> tuple[float, float]:
    """(cold, warm) seconds of one page run with AppTest as `user`: cold with an empty cache, warm the median
    of `repeat` reruns. `page` None: the floor page."""
    if page is None:
        at = AppTest.from_string(FLOOR_PAGE, default_timeout=300)
    else:
        at = AppTest.from_file(str(APP), default_timeout=300)
        at.session_state["_utente"] = user
        at.run()
        at.query_params.clear()
        for k, v in (params or {}).items():
            at.query_params[k] = v
        if page != "cruscotto":
            at.switch_page(f"../../pages/{page}.py")
    return _cold_and_warm(at, repeat)


def run(label: str, path: Path, repeat: int, limit_ms: float) -> None:
    os.environ["KPI_DB"] = str(path)
    print(f"\n{label}")
    print(f"{'pagina':<12} {'freddo (ms)':>12} {'caldo (ms)':>11}  obiettivo caldo < {limit_ms:.0f} ms")
    for url in PARAMS:
        cold, warm = time_page(url, repeat)
        print(f"{url:<12} {cold * 1000:>12.0f} {warm * 1000:>11.0f}  {'ok' if warm * 1000 < limit_ms else 'OLTRE'}")
    db.close(path)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--bodies", type=int, default=100)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        demo_db = Path(tmp) / "demo.duckdb"
        con = db.connect(demo_db)
        seed_loader.load_seed(con)
        demo.load_demo(con)
        db.close(demo_db)
        run("Database dimostrativo (CCIAA Lucca, piano 2020 e dati demo)", demo_db, args.repeat, 300)
        big = Path(tmp) / "grande.duckdb"
        con = db.connect(big)
        build(args.bodies, args.years, con)
        db.close(big)
        run(f"Database generato: {args.bodies} enti x {args.years} anni", big, args.repeat, 1000)


if __name__ == "__main__":
    main()
