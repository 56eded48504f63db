"""Refusals and bugs are told apart: a refusal is a Refused with its Italian message (CLI exit 1),
a held database is exit 3, and a bug in our SQL is raised as a bug, never taken for bad input."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap

import duckdb
import pytest

import queries
from dashboard.core import corrections, errors, formats, periods, plan_edit, reviews, users
from dashboard.files import tabular_files, templates
from tests.test_cli import cli
from tests.test_records import FATTURE, con, csv_file, run  # noqa: F401 (con: fixture)


@pytest.mark.parametrize("refusal", [users.UserError, periods.PeriodError, plan_edit.PlanEditError,
                                     reviews.VerdictError, corrections.CorrectionRefused, templates.TemplateError,
                                     formats.FormatError, tabular_files.FileRefused, errors.NotAllowed])
def test_every_refusal_is_a_refused(refusal):
    assert issubclass(refusal, errors.Refused)


def test_a_closed_quarter_is_refused_with_its_message(with_users):
    pianif = users.get_user(with_users, "pianif")
    periods.close(with_users, pianif, 2020, 1)
    with pytest.raises(errors.Refused, match="I trim. 2020 è già chiuso"):
        periods.close(with_users, pianif, 2020, 1)


def test_a_bug_in_the_fast_path_is_raised_not_taken_for_a_bad_file(con, tmp_path, monkeypatch):  # noqa: F811
    path = csv_file(tmp_path / "fatture.csv", FATTURE, [["F1", "Ditta", "02/01/2020", "01/02/2020", "20/01/2020", "100,00"]])
    good = queries.query("records_import", "insert_typed_fatture")
    # The same query (same parameters) on a table that does not exist: a bug in our SQL. (A statement taking
    # none of the parameters would fail on their count first, an InvalidInputException, on duckdb 1.5.)
    assert "INSERT INTO fatture (" in good.sql
    broken = dataclasses.replace(good, sql=good.sql.replace("INSERT INTO fatture (", "INSERT INTO tabella_che_non_esiste ("))
    monkeypatch.setitem(queries.load("records_import"), "insert_typed_fatture", broken)
    with pytest.raises(duckdb.CatalogException):
        run(con, "fatture", path, "staff.rag")
    assert con.execute("SELECT count(*) FROM fatture").fetchone()[0] == 0
    monkeypatch.undo()
    assert run(con, "fatture", path, "staff.rag").ok  # the same file, with the query mended, goes in


@pytest.mark.file_store("DuckDB's lock on a file another process holds")
def test_cli_exit_3_when_another_process_holds_the_database(tmp_path):
    db = tmp_path / "kpi.duckdb"
    assert cli(db, "init", "--no-demo").returncode == 0
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, duckdb
        con = duckdb.connect({str(db)!r})
        print("ok", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        busy = cli(db, "status", "--year", "2020", "--format", "json", wait="0")
        assert busy.returncode == 3, busy.stderr
        assert "è occupato" in busy.stderr and "Traceback" not in busy.stderr
        assert busy.stdout == ""
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert cli(db, "status", "--year", "2020", "--format", "json").returncode == 0
