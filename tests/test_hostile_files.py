"""Issue 12 point 1: every upload in bounded time and memory, whatever it contains.

Each hostile workbook of tests/bad_files.py (one cell at XFD1048576, a 1 GB zip bomb, 50.000 rows, millions
of shared strings, ...) goes through the three import paths — the office template, raw records, the plan
workbook — in a process limited to 1 GB of address space, through the functions and through the CLI; each
is refused in Italian naming the file, and no table changes. Before this, the 5 KB XFD1048576 workbook drove
`import` to a MemoryError at 5,5 GB after 106 s. Times and peak memory: benchmarks/bench_hostile_files.py."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys

import pytest

from tests import bad_files
from tests.conftest import ROOT

LIMIT = 1 << 30  # bytes of address space
TIMEOUT = 600    # seconds for all the files of one path: a bound, not a benchmark


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def _run(args, timeout=TIMEOUT, **kw):
    # glibc would reserve 64 MB of address space per thread arena; two are plenty and keep the limit meaningful
    env = {**os.environ, "MALLOC_ARENA_MAX": "2", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT, timeout=timeout,
                          preexec_fn=_limited, env=env, **kw)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    files = bad_files.write_all(folder)
    for name, writer in bad_files.RECORDS_ONLY.items():
        files[name] = folder / f"{name}.xlsx"
        writer(files[name])
    return files


@pytest.fixture(scope="module")
def database(module_stores):
    path = module_stores.address()
    cli = [sys.executable, "-m", "dashboard.cli", "--db", str(path)]
    assert subprocess.run([*cli, "init", "--no-demo"], cwd=ROOT, capture_output=True).returncode == 0
    added = subprocess.run([*cli, "user", "add", "pianif", "--role", "pianificazione", "--office", "PROGCONTR",
                            "--password-stdin"], input=b"password-pc\n", cwd=ROOT, capture_output=True)
    assert added.returncode == 0, added.stderr
    return path


def _expected(reader: str, name: str) -> str:
    if reader == "records" and name in bad_files.RECORDS_REFUSAL:
        return bad_files.RECORDS_REFUSAL[name]
    return bad_files.HOSTILE[name][1]


@pytest.mark.parametrize("reader", ["template", "records", "plan"])
def test_hostile_workbooks_refused_within_1_gb(hostile, database, reader):
    names = [n for n in hostile if reader == "records" or n in bad_files.HOSTILE]
    out = _run(["-m", "tests.hostile_driver", str(database), reader, "pianif", *(str(hostile[n]) for n in names)])
    assert out.returncode == 0, out.stderr[-3000:]
    results = {r["file"]: r for r in map(json.loads, out.stdout.splitlines())}
    for name in names:
        r = results[f"{name}.xlsx"]
        assert r["refusal"], name
        assert any(line.strip().startswith(f"{name}.xlsx") and _expected(reader, name) in line for line in r["refusal"]), \
            (name, r["refusal"])
        assert "Traceback" not in " ".join(r["refusal"]) and "Error" not in " ".join(r["refusal"])
        assert r["unchanged"], name


COMMANDS = {"template": ["import"], "records": ["records", "import", "--kind", "pratiche"], "plan": ["plan", "import"]}


@pytest.mark.parametrize("reader", COMMANDS)
@pytest.mark.parametrize("name", ["far_cell", "far_cell_lying_dimension", "zip_bomb"])
def test_cli_refuses_hostile_workbooks_within_1_gb(hostile, database, reader, name):
    command = COMMANDS[reader]
    out = _run(["-m", "dashboard.cli", "--db", str(database), *command, str(hostile[name]), "--user", "pianif"],
               timeout=120)
    assert out.returncode == 1, out.stderr
    assert f"{name}.xlsx" in out.stderr and _expected(reader, name) in out.stderr, out.stderr
    assert "Traceback" not in out.stderr + out.stdout


def test_a_normal_workbook_still_reads(tmp_path):
    from dashboard.files import tabular_files
    path = bad_files.normal(tmp_path / "ok.xlsx", rows=3)
    table = tabular_files.read_table(path)
    assert [n for n, _ in table.rows] == [2, 3, 4]
    assert table.rows[0][1]["indicatore"] == "ITP" and table.rows[0][1]["periodo"] == "2020-T1"


def test_a_wrong_dimension_neither_pads_nor_cuts_rows(tmp_path):
    """openpyxl's read-only mode trusts <dimension>: a file claiming A1:B1 would lose its data rows."""
    from dashboard.files import tabular_files
    rows = bad_files._template_rows(5)
    table = tabular_files.read_table(bad_files.write_xlsx(tmp_path / "dim.xlsx", rows, dimension="A1:B1"))
    assert len(table.rows) == 5 and table.header[:3] == ["indicatore", "periodo", "valore"]
