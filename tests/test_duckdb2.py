"""A database file written by duckdb 2.0 (the product moved to 1.5.5, which cannot read it): opening it is refused
in Italian naming the file and the conversion command, never a traceback; scripts/migrate_duckdb2.sh converts it,
keeping the original, with the same rows per table and the same figures.

tests/fixtures/kpi-duckdb2.duckdb.gz is a real 2.0 file (`init` with the demo data, made by
tests/fixtures/make_duckdb2_fixture.sh)."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import queries
from dashboard.core import db, users
from dashboard.core.errors import DatabaseTooNew
from dashboard.files import duckdb2
from tests.test_cli import cli

pytestmark = pytest.mark.file_store("a file written by duckdb 2.0 converted for 1.5.5")

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "kpi-duckdb2.duckdb.gz"
SCRIPT = ROOT / "scripts" / "migrate_duckdb2.sh"
APP = ROOT / "dashboard" / "web" / "app.py"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def file2(tmp_path):
    path = tmp_path / "l'ente 2.0" / "kpi.duckdb"  # not db_file's path; a quote, as paths may have
    path.parent.mkdir()
    path.write_bytes(gzip.decompress(FIXTURE.read_bytes()))
    return path


def _ente_grado(path: Path) -> str:
    out = cli(path, "status", "--year", "2020", "--level", "ente", "--format", "json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_cli_refuses_a_duckdb2_file_in_italian_naming_the_command(file2):
    before = _sha(file2)
    out = cli(file2, "status", "--year", "2020", "--format", "json")
    assert out.returncode == 3  # CLI.md: the database is unreachable, nothing written
    assert out.stdout == ""
    assert "Traceback" not in out.stderr
    assert f"Il database {file2} è stato scritto da DuckDB 2.0" in out.stderr
    assert f"scripts/migrate_duckdb2.sh {shlex.quote(str(file2))} " in out.stderr  # pasted into a shell, as it is
    assert "Nessuna modifica" in out.stderr
    assert _sha(file2) == before


def test_opening_it_in_the_process_raises_the_refusal(file2):
    with pytest.raises(DatabaseTooNew, match="migrate_duckdb2.sh"):
        db.connect(file2, wait=0)
    assert not db.attached(file2)


def test_the_dashboard_says_what_to_do_without_a_traceback(file2, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(file2))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, at.exception
    assert "versione più recente di DuckDB" in at.error[0].value
    assert "scripts/migrate_duckdb2.sh" in at.error[0].value
    assert str(file2) not in at.error[0].value  # the path is for the log, not for a page anyone may open
    assert not at.text_input


def test_the_script_converts_keeping_the_original_and_every_row(file2, db_file):
    original = _sha(file2)
    env = {**os.environ, "PYTHON": sys.executable}
    out = subprocess.run([str(SCRIPT), str(file2)], capture_output=True, text=True, env=env, timeout=900)
    assert out.returncode == 0, out.stderr
    backup = file2.with_name("kpi.duckdb.duckdb2-backup")
    assert _sha(backup) == original
    # The rows of each table, before and after, as the fixture holds them (init with the demo data).
    lines = {line.split()[0]: line.split()[1:] for line in out.stdout.splitlines() if line[:1].islower()}
    assert lines["misure"] == ["185", "185"]
    assert lines["utenti"] == ["7", "7"]
    assert lines["audit"] == ["9", "9"]
    assert len(lines) >= 50
    # The converted file is a working database: the same figures as the same data made on this version.
    assert _ente_grado(file2) == _ente_grado(db_file)
    con = db.connect(file2)
    try:
        assert users.get_user(db.cursor(file2), "oiv") is not None
        # The sequences go on from where 2.0 left them: the next audit row does not reuse an id.
        assert con.execute("SELECT nextval('seq_audit') > max(id) FROM audit").fetchone()[0]
    finally:
        db.close(file2)
    again = subprocess.run([str(SCRIPT), str(file2)], capture_output=True, text=True, env=env, timeout=60)
    assert again.returncode == 1 and "esiste già" in again.stderr  # never overwrites the backup


def test_an_import_with_missing_rows_is_refused_and_leaves_no_file(db_file, tmp_path, capsys):
    """The verification itself, on an export this version makes (no duckdb 2.0 needed): a table whose rows
    differ from the export's count stops the conversion and deletes the new file."""
    folder = tmp_path / "export"
    con = db.open_read_only(db_file)
    try:
        con.execute(queries.query("duckdb2", "export").inline({"folder": str(folder)}))
        counts = duckdb2.row_counts(con)
    finally:
        con.close()
    counts["misure"] += 1
    (folder / duckdb2.COUNTS).write_text(json.dumps(counts), encoding="utf-8")
    new = tmp_path / "nuovo.duckdb"
    assert duckdb2.main(["import", str(folder), str(new)]) == 1
    err = capsys.readouterr().err
    assert f"tabella misure: {counts['misure']} righe nel file 2.0, {counts['misure'] - 1} nel nuovo file" in err
    assert not new.exists()
