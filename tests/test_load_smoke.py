"""The load test of the shared store in its short form (benchmarks/load_test.py --smoke, issue 17): three
replicas on a throw-away PostgreSQL, a real browser and users through the page scripts, uploads, verdicts and a
CLI records import at once, kill -9 of a replica and of an import. No errors; the reconciliation holds.

Skipped only where PostgreSQL is not installed and this is not CI (in CI scripts/pg.sh installs it)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import load_test

ROOT = Path(__file__).resolve().parents[1]


def test_the_browser_users_wait_for_the_real_session_cookie():
    from dashboard.web.session_cookie import COOKIE
    assert load_test.COOKIE == COOKIE


@pytest.mark.e2e
def test_load_smoke(tmp_path):
    if not load_test.available() and not os.environ.get("CI"):
        pytest.skip("PostgreSQL non installato (scripts/pg.sh lo installa con apt, da root)")
    report_file = tmp_path / "carico.json"
    env = {k: v for k, v in os.environ.items() if k not in ("KPI_DB", "KPI_TEST_STORE")}
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "load_test.py"), "--smoke",
                          "--report", str(report_file)], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=900)
    assert report_file.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    report = json.loads(report_file.read_text())
    assert report["errors"] == [], report["errors"]
    rec = report["reconciliation"]
    assert rec["ok"], rec["problems"]
    assert rec["uploads_accepted"] >= 1 and rec["uploads_refused"] >= 1, rec
    assert rec["verdicts_accepted"] >= 1 and rec["verdicts_refused"] >= 1, rec
    # The pages a person opens were served, by a real browser on a replica and through the page scripts.
    assert any(p.endswith("[browser]") for p in report["pages"]), report["pages"]
    assert "cruscotto [core]" in report["pages"]
    assert report["replica_kill"]["ok"], report["replica_kill"]
    assert report["replica_kill"]["probes_other_replicas_after_kill"] > 0
    kill = report["import_kill"]
    assert kill["whole_or_absent"] and kill["reimport_ok"], kill
    assert [i["rc"] for i in report["records_import"]] == [0] * len(report["records_import"])
    assert run.returncode == 0, run.stdout[-3000:]
