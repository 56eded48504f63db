"""Benchmark: every page's script run with AppTest, cold (empty cache) and warm, on the demo database
and on a generated 100-body, 10-year database, each in every store (a DuckDB file, the shared PostgreSQL
store: the same data). Prints milliseconds per page, one table per database with a column per store.

    .venv/bin/python benchmarks/bench_pages.py [--bodies 100] [--years 10] [--repeat 5] [--no-large]
                                               [--store file,postgres] [--pg postgresql://…/postgres]

Targets (issue 3): warm under 300 ms on the demo database, under 1 s on the large one.
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from benchmarks import stores  # noqa: E402
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


def timings(target: str, repeat: int) -> dict[str, tuple[float, float]]:
    """Every page's (cold, warm) seconds on the database at `target` (a file path or a postgresql:// URL)."""
    os.environ["KPI_DB"] = target
    try:
        return {url: time_page(url, repeat) for url in PARAMS}
    finally:
        db.close(target)


def show(label: str, results: dict[str, dict], limit_ms: float) -> None:
    """One table: a page a row, cold and warm of each store side by side."""
    print(f"\n{label}")
    head = [f"{kind} {s} (ms)" for s in results for kind in ("freddo", "caldo")]
    print(f"{'pagina':<12} " + " ".join(f"{h:>{len(h)}}" for h in head) + f"  obiettivo caldo < {limit_ms:.0f} ms")
    for url in PARAMS:
        cells = [t * 1000 for s in results for t in results[s][url]]
        over = [s for s in results if results[s][url][1] * 1000 >= limit_ms]
        print(f"{url:<12} " + " ".join(f"{c:>{len(h)}.0f}" for c, h in zip(cells, head))
              + f"  {'ok' if not over else 'OLTRE: ' + ', '.join(over)}")


def demo_database(con) -> None:
    seed_loader.load_seed(con)
    demo.load_demo(con)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--bodies", type=int, default=100)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-large", action="store_true", help="only the demo database")
    stores.add_arguments(ap)
    args = ap.parse_args(argv)
    names = stores.chosen(args)
    sets = [("demo", "Database dimostrativo (CCIAA Lucca, piano 2020 e dati demo)", demo_database, 300)]
    if not args.no_large:
        sets.append(("grande", f"Database generato: {args.bodies} enti x {args.years} anni",
                     lambda con: build(args.bodies, args.years, con), 1000))
    with ExitStack() as stack:
        places = stores.Places(stack, args.pg)
        for name, label, make, limit_ms in sets:
            results = {}
            for store in names:  # the same data in each store: both builders are deterministic
                target = places.new(store, name)
                make(db.connect(target))
                db.close(target)
                results[stores.LABELS[store]] = timings(target, args.repeat)
            show(label, results, limit_ms)
    print(f"\nCarico medio della macchina alla fine: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          "(2 core condivisi)")


if __name__ == "__main__":
    main()
