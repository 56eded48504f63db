"""A database file another process holds (issue 17, the embedded file): the CLI waits for it within
KPI_DB_WAIT and otherwise ends with exit 3, an Italian message and nothing written; the dashboard holds it
only while a page runs (db.hold) and lets go of it after; a page shows «occupato» with «Riprova», never a
traceback. The holder is always a real second process, as in production."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import db, users
from tests.test_cli import cli

pytestmark = pytest.mark.file_store("DuckDB's lock on a file another process holds")

APP = Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py"


@pytest.fixture(scope="module")
def initialised(tmp_path_factory):
    path = tmp_path_factory.mktemp("busy") / "kpi.duckdb"
    assert cli(path, "init").returncode == 0
    return path


@contextmanager
def held(path: Path, seconds: float | None = None):
    """Another process holding the file as the dashboard or an import does (DuckDB's lock), until the block
    ends, or for `seconds` only; it takes the file as soon as whoever has it lets go (a dashboard a second
    after its last page run)."""
    code = textwrap.dedent(f"""
        import sys, time, duckdb
        for _ in range(600):
            try:
                con = duckdb.connect({str(path)!r})
                break
            except duckdb.IOException:
                time.sleep(0.05)
        print("ok", flush=True)
        time.sleep({seconds}) if {seconds is not None} else sys.stdin.read()
        con.close()
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        yield holder
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)


def count_users(path: Path, name: str) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM utenti WHERE username = ?", [name]).fetchone()[0]
    finally:
        con.close()


def test_cli_exits_3_with_what_to_do_and_writes_nothing(initialised):
    with held(initialised) as holder:
        started = time.monotonic()
        busy = cli(initialised, "user", "add", "nuovo.utente", "--role", "oiv", "--password-stdin",
                   stdin="una-password-lunga\n", wait="1")
        took = time.monotonic() - started
    assert busy.returncode == 3, busy.stderr
    assert busy.stdout == "" and "Traceback" not in busy.stderr
    message = busy.stderr.strip()
    # Who holds it, that nothing changed, what to do, in Italian; DuckDB's English text is not passed on.
    assert f"è occupato: lo usa un altro processo (PID {holder.pid}) dopo 1 s di attesa" in message
    assert "Nessuna modifica è stata fatta" in message and "KPI_DB_WAIT" in message
    assert "Conflicting lock" not in message and "IO Error" not in message
    assert took >= 1  # it did wait the second it was given
    assert count_users(initialised, "nuovo.utente") == 0


def test_cli_waits_for_the_holder_to_let_go_within_the_bound(initialised):
    with held(initialised, seconds=2):
        done = cli(initialised, "user", "add", "atteso", "--role", "oiv", "--password-stdin",
                   stdin="una-password-lunga\n", wait="60")
    assert done.returncode == 0, done.stderr
    assert count_users(initialised, "atteso") == 1


def test_an_unreachable_path_is_exit_3_not_a_traceback(tmp_path):
    folder = tmp_path / "una-cartella"
    folder.mkdir()
    out = cli(folder, "status", "--year", "2020", "--format", "json", wait="0")
    assert out.returncode == 3, out.stderr
    assert "non è raggiungibile" in out.stderr and "Traceback" not in out.stderr


def test_the_dashboard_holds_the_file_only_while_a_page_runs(initialised, monkeypatch):
    monkeypatch.setattr(db, "RELEASE_AFTER", 0.2)
    try:
        with db.hold(initialised):
            cur = db.cursor(initialised)
            assert users.get_user(cur, "segretario") is not None
            inside = cli(initialised, "status", "--year", "2020", "--format", "json", wait="0")
            assert inside.returncode == 3, inside.stderr
        deadline = time.monotonic() + 10
        while db.attached(initialised) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not db.attached(initialised)
        between = cli(initialised, "user", "add", "tra.due.clic", "--role", "oiv", "--password-stdin",
                      stdin="una-password-lunga\n", wait="0")
        assert between.returncode == 0, between.stderr
        with db.hold(initialised):
            # Open again, and the CLI's write is there.
            cur = db.cursor(initialised)  # a new cursor: the old one closed with the release
            assert users.get_user(cur, "tra.due.clic") is not None
    finally:
        db.close(initialised)


def test_a_held_file_keeps_the_dashboard_waiting_then_busy(initialised, monkeypatch):
    monkeypatch.setattr(db, "PAGE_WAIT", 0.5)
    try:
        with held(initialised):
            started = time.monotonic()
            with pytest.raises(db.DatabaseBusy, match="è occupato"):
                with db.hold(initialised):
                    pass
            assert time.monotonic() - started >= 0.4
        with db.hold(initialised):  # free again: the same process takes it
            assert users.get_user(db.cursor(initialised), "segretario") is not None
    finally:
        db.close(initialised)


def test_page_says_busy_with_retry_and_no_traceback(initialised, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(initialised))
    monkeypatch.setattr(db, "PAGE_WAIT", 0.3)
    try:
        at = AppTest.from_file(str(APP), default_timeout=60)
        with held(initialised):
            at.run()
            assert not at.exception, at.exception
            assert "momentaneamente occupato" in at.warning[0].value
            assert [b.label for b in at.button] == ["Riprova"]
            assert not at.text_input  # no login form: nothing could be read
        at.button[0].click().run()
        assert not at.exception, at.exception
        assert not at.warning
        assert [t.label for t in at.text_input] == ["Nome utente", "Password"]
    finally:
        db.close(initialised)


def test_a_dashboard_never_idle_still_lets_a_waiting_command_in(initialised):
    """Three sessions clicking, their page runs overlapping, never leave the file idle for RELEASE_AFTER;
    the waiting command's marker makes the dashboard stop starting runs, let go once those in flight end,
    and wait for the command."""
    stop, runs, busy = threading.Event(), [], []

    def clicks(offset: float):
        time.sleep(offset)
        while not stop.is_set():
            try:
                with db.hold(initialised):
                    users.get_user(db.cursor(initialised), "segretario")
                    time.sleep(0.4)
                runs.append(time.monotonic())
            except db.DatabaseBusy:
                busy.append(time.monotonic())
            time.sleep(0.1)

    workers = [threading.Thread(target=clicks, args=(i * 0.17,), daemon=True) for i in range(3)]
    for w in workers:
        w.start()
    try:
        time.sleep(1)
        done = cli(initialised, "user", "add", "notturno", "--role", "oiv", "--password-stdin",
                   stdin="una-password-lunga\n", wait="15")
        after = len(runs)
        time.sleep(1.5)  # the dashboard goes on once the command is done
    finally:
        stop.set()
        for w in workers:
            w.join(timeout=30)
        db.close(initialised)
    assert done.returncode == 0, done.stderr
    assert count_users(initialised, "notturno") == 1
    assert not busy and len(runs) > after
    assert not Path(f"{initialised}.attesa").exists()


def test_the_message_names_the_dashboard_when_it_holds_the_file():
    # A process whose command line is a Streamlit server's, as DuckDB names it in its lock error.
    server = subprocess.Popen([sys.executable, "-c", "import sys; print('ok', flush=True); sys.stdin.read()", "-m",
                               "streamlit", "run", "dashboard/web/app.py"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == "ok"  # started: its command line is the one we gave
        duckdb_text = f'IO Error: Could not set lock on file "k.duckdb": Conflicting lock is held in python (PID {server.pid}).'
        message = db.busy_message(Path("/dati/kpi.duckdb"), duckdb_text, 0)
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    assert message.startswith(f"Il database /dati/kpi.duckdb è occupato: lo usa il cruscotto (server Streamlit, "
                              f"PID {server.pid}). Nessuna modifica")
