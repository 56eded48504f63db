"""Load test of the shared PostgreSQL store (issue 17): replicas, simulated users, a CLI import, kill -9.

Loopback only; stops by itself. In order:
  1. a throw-away PostgreSQL (scripts/pg.sh; or the server of $KPI_TEST_PG, a database of its own), `init`
     by the CLI (with --demo-bodies unless --smoke), one account per simulated user (staff of several offices);
  2. three Streamlit replicas (`dashboard/web/server.py`, different ports) on that store;
  3. for --seconds, --users simulated users at once:
     - --browsers of them are real browsers (Playwright + Debian's Chromium) on replicas 2 and 3: login form,
       Cruscotto, Aree e obiettivi opened on a target's detail;
     - the others run in worker processes, one thread each, against the same store: the login (auth.login),
       the Cruscotto and the target's detail as the replicas run them (the page scripts through
       streamlit's AppTest), and by role the upload of a quarter's measurements (the real template, filled,
       written as .xlsx, then measurement_import.preview and import_file as Carica misure calls them; one in
       five deliberately wrong, which must be refused) or an OIV verdict (reviews.record_verdict through
       db.retrying as session.write calls it; one in five for a target not in force, refused);
     - meanwhile the CLI imports a year of raw records (benchmarks/generate_records.py) for several bodies;
     - a prober asks every replica for its health and login page twice a second; halfway, replica 1 is
       killed with SIGKILL: the others must keep answering (a probe over 5 s is counted as a timeout and asked
       again: it fails the check if unanswered within 30 s too, or refused). Each probe's latency is kept
       (p50/p95/max per replica, before and after the kill, the slowest with the machine's load), and
       PostgreSQL's sessions are watched every second (lock waits, idle transactions, the killed replica's
       connections, which carry its name as application_name): what a slow probe waited for;
  4. kill -9 of a CLI records import mid-way: its batch must be whole or absent (row counts), and the same
     file imported again must be accepted whole;
  5. reconciliation against what the users recorded: every accepted upload and verdict is in the database
     exactly once, every refused one left nothing.
Prints p50/p95 per page, errors (must be 0), the checks; exit 1 if any fails. --report FILE writes them as JSON.

    .venv/bin/python benchmarks/load_test.py [--seconds 120] [--users 30] [--browsers 3] [--smoke] [--report F]
"""
from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing as mp
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "carico-prova-2026"  # the generated accounts' password: a throw-away database on loopback
BODY = "CCIAA-LU"
RECORD_BODIES = {  # body → (year of its raw records, the planning account that imports them)
    "CCIAA-LU": (2020, "pianificazione"), "CCIAA-PI": (2021, "pianificazione.pi"),
    "CCIAA-MS": (2021, "pianificazione.ms"), "CCIAA-TNO": (2023, "pianificazione.tno")}
CHROMIUM = "/usr/bin/chromium"
# The login's session cookie (dashboard/web/session_cookie.COOKIE; benchmarks may not import the web layer,
# tests/test_load_smoke.py checks the two agree).
COOKIE = "cruscotto_sessione"
# AppTest sets up and tears down a process-wide Streamlit runtime around each run: two runs at once in one
# process break each other ("Runtime hasn't been created!"). A worker's page runs take turns (their time is
# counted from their turn); its logins, uploads and verdicts run side by side. Concurrency between pages comes
# from the worker processes and the replicas.
PAGE_RUNS = threading.Lock()
SHOTS = ROOT / "artifacts" / "load"  # what a browser user saw when a step failed
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def env_for(url: str) -> dict:
    return {**os.environ, "KPI_DB": url, "PYTHONPATH": str(ROOT)}


def cli(url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard.cli", *args], cwd=ROOT, env=env_for(url),
                          capture_output=True, text=True, check=check)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- the store
class Store:
    """A throw-away PostgreSQL (scripts/pg.sh), or a database of its own on $KPI_TEST_PG's server."""

    def __init__(self, tmp: Path):
        # Straight under /tmp: the postgres user must reach it (a TemporaryDirectory is root's alone).
        self.dir = Path(tempfile.gettempdir()) / f"carico-pg-{os.getpid()}-{tmp.name}"
        self.own = not os.environ.get("KPI_TEST_PG")
        admin = (subprocess.run([str(ROOT / "scripts" / "pg.sh"), "start", str(self.dir)], check=True,
                                capture_output=True, text=True).stdout.strip() if self.own
                 else os.environ["KPI_TEST_PG"])
        self.admin = admin
        self.name = f"carico_{os.getpid()}"
        self.psql(f"CREATE DATABASE {self.name}")
        self.url = admin.rsplit("/", 1)[0] + "/" + self.name

    def psql(self, sql: str, url: str | None = None) -> str:
        return subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", url or self.admin, "-c", sql],
                              check=True, capture_output=True, text=True).stdout.strip()

    def value(self, sql: str) -> str:
        return self.psql(sql, self.url)

    def stop(self) -> None:
        if self.own:
            subprocess.run([str(ROOT / "scripts" / "pg.sh"), "stop", str(self.dir)], capture_output=True)
        else:
            self.psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def available() -> bool:
    """PostgreSQL's binaries are here (without them scripts/pg.sh installs Debian's package, as root)."""
    return bool(list(Path("/usr/lib/postgresql").glob("*/bin/initdb")))


# ---------------------------------------------------------------- set-up
def make_accounts(url: str, n_users: int, browsers: int, bodies: bool) -> list[dict]:
    """One account per simulated user: staff of the offices that have indicators, OIV, readers. Returns the
    users' specifications (name, role, office, kind: browser or core)."""
    from dashboard.core import db, periods, users
    from dashboard.files import templates
    con = db.connect(url)
    offices = []
    for (code,) in con.execute("SELECT codice FROM uffici WHERE ente = ? ORDER BY codice", [BODY]).fetchall():
        quarters = periods.upload_quarters(con, BODY, [code])
        if quarters and any(r["indicatore"] for r in _rows(con, templates, code, quarters[0])):
            offices.append(code)
    cycle = ["staff", "oiv", "staff", "segretario_generale", "staff", "responsabile"]
    specs = []
    for i in range(n_users):
        kind = "browser" if i < browsers else "core"
        role = "segretario_generale" if kind == "browser" else cycle[i % len(cycle)]
        office = offices[i % len(offices)] if role in ("staff", "responsabile") else None
        name = f"carico{i:02d}"
        users.add_user(con, name, role, BODY, [office] if office else [], PASSWORD)
        specs.append({"i": i, "name": name, "role": role, "office": office, "kind": kind})
    if bodies:
        for ente, (_, name) in RECORD_BODIES.items():
            if users.get_user(con, name) is None:
                users.add_user(con, name, "pianificazione", ente, [], PASSWORD)
    db.close(url)
    return specs


def _rows(con, templates, office, quarter):
    try:
        return templates.template_rows(con, BODY, office, *quarter)
    except Exception:  # an office without indicators that year
        return []


def record_files(tmp: Path, bodies: list[str], scale: float, kill_scale: float,
                 kinds: tuple[str, ...] = ("pratiche", "questionari", "fatture")) -> tuple[list, Path]:
    """A year of raw records (practices, questionnaires, invoices) per body, and a larger practices file for
    the kill -9 check; generated deterministically by benchmarks/generate_records.py."""
    from benchmarks.generate_records import generate
    out = []
    for ente in bodies:
        year = RECORD_BODIES[ente][0]
        files = generate(tmp / "records" / ente, chambers=1, years=(year,), scale=scale)
        out += [(ente, kind, path, n) for (_, kind, _), (path, n) in files.items() if kind in kinds]
    big = generate(tmp / "records" / "kill", chambers=1, years=(2019,), scale=kill_scale)
    return out, big[("CC01", "pratiche", 2019)][0]


# ---------------------------------------------------------------- replicas and prober
def replica_name(k: int) -> str:
    return f"cruscotto-replica-{k + 1}"


def start_replica(url: str, log: Path, k: int) -> tuple[subprocess.Popen, str]:
    """Replica k+1 on the store; its PostgreSQL connections carry its name (application_name), so the watch
    of PostgreSQL can tell the killed replica's backends from the others'."""
    port = free_port()
    named = f"{url}{'&' if '?' in url else '?'}application_name={replica_name(k)}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/web/server.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env_for(named), stdout=log.open("wb"), stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def wait_healthy(base: str, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"la replica {base} non è partita")


PROBE_TIMEOUT = 5.0  # seconds: a probe slower than this is counted as a timeout (the figures)
# A replica that keeps serving answers, however loaded; a dead one refuses at once. A probe timed out is asked again
# with this bound before it counts as failed for the verdict: at 30 users on 2 cores (load 22) the pages take 14 s
# and a live replica missed the 5 s bound once after the kill as it had twice before it.
RETRY_TIMEOUT = 30.0


def _ask(url: str, timeout: float) -> tuple[bool, str | None]:
    """Whether `url` answered 200 within `timeout` seconds, and why not."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read()
            return r.status == 200, None if r.status == 200 else f"HTTP {r.status}"
    except OSError as exc:
        return False, f"{type(exc).__name__}: {str(exc)[:120]}"


def prober(replicas: list[str], stop: threading.Event, out: list) -> None:
    """Every replica's health and login page (the app's HTML), twice a second: one entry per request, with its
    latency, the machine's load at that moment and, for a failure, why (a timeout, a refused connection), and
    whether a timed-out request was answered when asked again with RETRY_TIMEOUT (`answered`)."""
    n = 0
    while not stop.is_set():
        n += 1
        for k, base in enumerate(replicas):
            for path in ("/_stcore/health", "/"):
                t0 = time.time()
                ok, error = _ask(base + path, PROBE_TIMEOUT)
                ms = (time.time() - t0) * 1000
                answered = ok or (error is not None and "timed out" in error and _ask(base + path, RETRY_TIMEOUT)[0])
                out.append({"t": t0, "round": n, "replica": k, "path": path, "ms": ms, "ok": ok, "answered": answered,
                            "error": error, "load": os.getloadavg()[0]})
        stop.wait(0.5)


# What PostgreSQL's sessions of the test's database are doing: how many wait for a lock (and the longest wait),
# how many are idle inside a transaction, how many belong to the killed replica (replica 1).
WATCH_SQL = ("SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), "
             "coalesce(max(extract(epoch FROM now() - state_change)) FILTER (WHERE wait_event_type = 'Lock'), 0), "
             "count(*) FILTER (WHERE state LIKE 'idle in transaction%'), "
             "count(*) FILTER (WHERE application_name = '{name}') "
             "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")


def pg_watch(store: "Store", stop: threading.Event, out: list) -> None:
    """PostgreSQL's sessions every second (WATCH_SQL): whether a survivor waits on something the dead replica held."""
    sql = WATCH_SQL.format(name=replica_name(0))
    while not stop.is_set():
        try:
            waiting, longest, idle_tx, first = store.value(sql).split("|")
            out.append({"t": time.time(), "lock_waiters": int(waiting), "longest_lock_wait_s": float(longest),
                        "idle_in_transaction": int(idle_tx), "replica1_backends": int(first)})
        except (subprocess.CalledProcessError, ValueError):
            pass
        stop.wait(1.0)


def probe_figures(probes: list[dict], killed_at: float | None) -> dict:
    """Per replica, before and after the kill: how many probes, failed, over the timeout; p50, p95, max (ms)."""
    out = {}
    for k in sorted({p["replica"] for p in probes}):
        for phase in ("prima del kill", "dopo il kill"):
            xs = [p for p in probes if p["replica"] == k
                  and ((killed_at is None or p["t"] < killed_at) if phase == "prima del kill" else (killed_at and p["t"] >= killed_at))]
            if not xs:
                continue
            ms = [p["ms"] for p in xs]
            out[f"replica {k + 1} {phase}"] = {
                "n": len(xs), "failed": sum(not p["ok"] for p in xs),
                "timeouts": sum(bool(p["error"]) and "timed out" in p["error"] for p in xs),
                "unanswered": sum(not p["answered"] for p in xs),
                "p50_ms": statistics.median(ms), "p95_ms": percentile(ms, 95), "max_ms": max(ms)}
    return out


# ---------------------------------------------------------------- simulated users
def wait_start(deadline, ready, said: dict) -> None:
    """Say this user is logged in, then wait for the common start (the deadline set by the main process once
    every user is ready: the timed window holds only users at work, not processes starting)."""
    if not said:
        said["ready"] = True
        ready.put(1)
    while not deadline.value:
        time.sleep(0.05)


def browser_user(spec: dict, base: str, deadline, ready, queue) -> None:
    """A real browser on one replica: login form, Cruscotto, a target's detail, until the deadline."""
    from playwright.sync_api import sync_playwright
    log, said = [], {}

    def timed(page_name, action):
        t0 = time.perf_counter()
        try:
            action()
            log.append({"page": page_name, "ms": (time.perf_counter() - t0) * 1000, "ok": True, "via": "browser"})
        except Exception as exc:  # a timeout or a page error: counted, the user goes on
            SHOTS.mkdir(parents=True, exist_ok=True)
            try:
                page.screenshot(path=str(SHOTS / f"{spec['name']}-{len(log)}.png"), full_page=True)
            except Exception:
                pass
            log.append({"page": page_name, "ms": (time.perf_counter() - t0) * 1000, "ok": False, "via": "browser",
                        "error": f"{base} {type(exc).__name__}: {str(exc)[:300]}"})

    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = b.new_context(viewport={"width": 1400, "height": 1000}, locale="it-IT").new_page()
            page.set_default_timeout(60_000)

            def login():
                page.goto(base + "/")
                page.get_by_label("Nome utente").fill(spec["name"])
                page.get_by_role("textbox", name="Password").fill(PASSWORD)
                page.get_by_role("button", name="Accedi").click()
                page.get_by_role("button", name="Esci").wait_for()
                # The session cookie (what keeps a reload or a new address logged in) comes a moment later.
                t0 = time.time()
                while not any(c["name"] == COOKIE for c in page.context.cookies()):
                    if time.time() - t0 > 60:
                        raise RuntimeError("cookie di sessione mai impostato")
                    time.sleep(0.2)
            timed("accedi", login)
            wait_start(deadline, ready, said)
            while time.time() < deadline.value:
                timed("cruscotto", lambda: (page.goto(base + "/cruscotto"),
                                            page.get_by_text("Grado complessivo").first.wait_for()))
                timed("aree (dettaglio target)", lambda: (
                    page.goto(base + "/aree?area=2&target=2A.2"),
                    page.get_by_text("Tabella").first.wait_for()))
            b.close()
    except Exception:
        log.append({"page": "browser", "ms": 0, "ok": False, "via": "browser", "error": traceback.format_exc()[-600:]})
        if not said:
            ready.put(1)
    queue.put({"pages": log, "actions": []})


def core_worker(url: str, specs: list[dict], deadline, ready, queue) -> None:
    """Several simulated users in one process, a thread each, on the same store as the replicas."""
    os.environ["KPI_DB"] = url
    import logging
    # AppTest outside a Streamlit server: its "no runtime / missing ScriptRunContext" notices are expected.
    for name in ("streamlit", "streamlit.runtime.scriptrunner_utils.script_run_context",
                 "streamlit.runtime.caching.cache_data_api"):
        logging.getLogger(name).setLevel(logging.ERROR)
    # CPython 3.11 before 3.11.8 compiles unsafely from two threads at once ("AST constructor recursion depth
    # mismatch", gh-106905): the page scripts' compilation (not their run) is taken one thread at a time.
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    compiling, get_bytecode = threading.Lock(), ScriptCache.get_bytecode

    def one_at_a_time(self, script_path):
        with compiling:
            return get_bytecode(self, script_path)
    ScriptCache.get_bytecode = one_at_a_time
    pages, actions = [], []
    lock = threading.Lock()
    threads = [threading.Thread(target=_core_user, args=(s, deadline, ready, pages, actions, lock)) for s in specs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put({"pages": pages, "actions": actions})


def _core_user(spec: dict, deadline, ready, pages: list, actions: list, lock) -> None:
    said = {}
    try:
        _core_loop(spec, deadline, ready, said, pages, actions, lock)
    except Exception:  # outside a timed step: still an error, never a silent thread
        with lock:
            pages.append({"page": "utente", "ms": 0, "ok": False, "via": "core",
                          "error": f"{spec['name']} {traceback.format_exc()[-600:]}"})
        if not said:
            ready.put(1)


def _core_loop(spec: dict, deadline, ready, said: dict, pages: list, actions: list, lock) -> None:
    from streamlit.testing.v1 import AppTest

    from dashboard.core import auth, db
    rnd = random.Random(spec["i"])
    app = str(ROOT / "dashboard" / "web" / "app.py")

    def timed(page_name, action, gate=None):
        with gate or contextlib.nullcontext():  # the clock starts once the gate is passed
            if gate is not None and time.time() >= deadline.value:
                return None  # the turn came after the end: the run is over for this user
            t0 = time.perf_counter()
            try:
                result = action()
                with lock:
                    pages.append({"page": page_name, "ms": (time.perf_counter() - t0) * 1000, "ok": True,
                                  "via": "core"})
                return result
            except Exception as exc:
                with lock:
                    pages.append({"page": page_name, "ms": (time.perf_counter() - t0) * 1000, "ok": False,
                                  "via": "core", "error": f"{spec['name']} {type(exc).__name__}: {str(exc)[:300]}"})
                return None

    def page_run(file: str | None, params: dict, user):
        at = AppTest.from_file(app, default_timeout=300)
        at.session_state["_utente"] = user
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        if file:
            at.switch_page(f"../../pages/{file}")
            at.run()
        if at.exception:
            raise RuntimeError(str(at.exception[0].message)[:300])
        return at

    con = db.cursor()
    user = timed("accedi", lambda: auth.login(con, spec["name"], PASSWORD, source=f"carico-{spec['i']}"))
    wait_start(deadline, ready, said)
    if user is None:
        return
    n = 0
    while time.time() < deadline.value:
        n += 1
        # The role's write first: under a heavy load even a short run then writes at least once per user.
        _role_action(spec, n, user, con, rnd, timed, page_run, actions, lock)
        if time.time() >= deadline.value:
            break
        timed("cruscotto", lambda: page_run(None, {}, user), PAGE_RUNS)
        if time.time() >= deadline.value:
            break
        timed("aree (dettaglio target)", lambda: page_run("aree.py", {"area": "2", "target": "2A.2"}, user),
              PAGE_RUNS)


def _role_action(spec, n, user, con, rnd, timed, page_run, actions, lock) -> None:
    """Staff: upload the office's quarter (and now and then a wrong file, which must be refused); OIV: open a
    target's dossier and give a verdict (and now and then one for a target not in force, refused)."""
    from dashboard.core import db, periods, reviews
    from dashboard.files import measurement_import, templates
    if spec["role"] == "staff":
        quarter = periods.upload_quarters(con, BODY, [spec["office"]])[0]
        for wrong in [False] + ([True] if (n + spec["i"]) % 5 == 0 else []):
            name = f"carico-{spec['name']}-{n}{'-errato' if wrong else ''}.xlsx"

            def upload():
                rows = [r for r in templates.template_rows(con, BODY, spec["office"], *quarter)
                        if r["ultimo_valore"] is not None and "numeratore" not in r["descrizione"]]
                for r in rows:  # near the last value, never above it (a percentage stays within 100)
                    last = float(r["ultimo_valore"])
                    r["valore"] = (max(0, round(last) - rnd.randint(0, 3)) if last.is_integer()  # a count
                                   else round(last * rnd.uniform(0.97, 1.0), 2))
                    r["note"] = f"prova di carico, caricamento {n}"  # the reason a second upload needs
                if wrong and rows:
                    rows[0]["valore"] = "non è un numero"
                with tempfile.TemporaryDirectory() as tmp:
                    path = Path(tmp) / name
                    templates.write_template(rows, path)
                    first = measurement_import.preview(con, path, user, name)  # what Carica misure calls
                    done = (db.retrying(measurement_import.import_file, con, path, user, name) if first.ok
                            else first)
                return rows, done
            out = timed("carica (anteprima e conferma)", upload)
            if out is not None:
                rows, done = out
                with lock:
                    actions.append({"kind": "upload", "user": spec["name"], "file": name, "accepted": done.ok,
                                    "expected_refusal": wrong, "rows": len(rows),
                                    "written": sum(c.azione != "invariato" for c in done.changes) if done.ok else 0,
                                    "problems": [str(p) for p in done.problems[:5]]})
    elif spec["role"] == "oiv":
        for wrong in [False] + ([True] if (n + spec["i"]) % 3 == 2 else []):
            target = "9Z.9" if wrong else rnd.choice(["1B.1", "2A.1", "2A.2", "2B.1", "1D.1"])
            comment = f"carico {spec['name']} n. {n}{' errato' if wrong else ''}"

            if not wrong:
                timed("valutazione (dossier del target)",
                      lambda: page_run("valutazione.py", {"anno": "2020", "target": target}, user), PAGE_RUNS)

            def verdict():
                try:  # as session.write runs it: again on a concurrent write
                    db.retrying(reviews.record_verdict, con, user, target, 2020, "validato_con_riserva", comment)
                    return True
                except reviews.VerdictError:
                    return False
            accepted = timed("verdetto", verdict)
            if accepted is not None:
                with lock:
                    actions.append({"kind": "verdict", "user": spec["name"], "comment": comment, "target": target,
                                    "accepted": accepted, "expected_refusal": wrong})


# ---------------------------------------------------------------- records import and its kill -9
def records_import(url: str, files: list, log: list) -> None:
    """The CLI imports the raw records, body by body and kind by kind (as a nightly cron would)."""
    for ente, kind, path, n in files:
        user = RECORD_BODIES[ente][1]
        t0 = time.perf_counter()
        r = cli(url, "records", "import", "--kind", kind, "--user", user, str(path), check=False)
        log.append({"ente": ente, "kind": kind, "rows": n, "file": path.name, "rc": r.returncode,
                    "s": time.perf_counter() - t0, "stderr": r.stderr[-400:]})


def kill_import_check(store: Store, path: Path, rows: int) -> dict:
    """kill -9 a CLI records import mid-way (when its rows are being written), then check its batch is whole
    or absent, and that importing the same file again is accepted whole."""
    def counts():
        return (int(store.value("SELECT count(*) FROM pratiche")),
                int(store.value(f"SELECT count(*) FROM lotti_record WHERE file = '{path.name}'")))
    before = counts()
    proc = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "records", "import", "--kind", "pratiche",
                             "--user", "pianificazione", str(path)], cwd=ROOT, env=env_for(store.url),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Mid-way: once PostgreSQL is running a statement of this import on the practices table.
    t0, seen = time.time(), False
    while time.time() - t0 < 120 and proc.poll() is None:
        busy = store.value("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                           "AND datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE '%pratiche%'")
        if int(busy):
            seen = True
            time.sleep(0.3)
            break
        time.sleep(0.1)
    finished_first = proc.poll() is not None
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(1)  # PostgreSQL notices the lost client and rolls its transaction back
    after = counts()
    whole_or_absent = (after == before) or (after == (before[0] + rows, before[1] + 1))
    again = cli(store.url, "records", "import", "--kind", "pratiche", "--user", "pianificazione", str(path), check=False)
    final = counts()
    if after == before:
        expected_final = (before[0] + rows, before[1] + 1)
    else:  # the killed one had committed: the same file again is refused (nothing more written)
        expected_final = after
    return {"killed_while_writing": seen and not finished_first, "rows": rows, "before": before, "after_kill": after,
            "whole_or_absent": whole_or_absent, "reimport_rc": again.returncode, "after_reimport": final,
            "reimport_ok": final == expected_final}


# ---------------------------------------------------------------- reconciliation
def reconcile(store: Store, actions: list) -> dict:
    problems = []
    for a in actions:
        if a["kind"] == "upload":
            audits = int(store.value("SELECT count(*) FROM audit WHERE azione = 'importazione' AND oggetto = "
                                     f"'{a['file']}'"))
            # The values an import wrote carry its user and the very instant of its audit row.
            values = int(store.value("SELECT count(*) FROM misure m JOIN audit a ON m.utente = a.utente AND "
                                     "m.registrato_il = a.quando WHERE a.azione = 'importazione' AND a.oggetto = "
                                     f"'{a['file']}'"))
            want = (1, a["written"]) if a["accepted"] else (0, 0)
            if (audits, values) != want:
                problems.append(f"caricamento {a['file']}: audit {audits}, misure {values}, attesi {want}")
            if a["accepted"] == a["expected_refusal"]:
                problems.append(f"caricamento {a['file']}: {'accettato' if a['accepted'] else 'rifiutato'} "
                                f"contro le attese {a['problems']}")
        else:
            rows = int(store.value(f"SELECT count(*) FROM verdetti WHERE commento = '{a['comment']}'"))
            audits = int(store.value("SELECT count(*) FROM audit WHERE azione = 'verdetto' AND dopo LIKE "
                                     f"'%{a['comment']}\"%'"))
            want = (1, 1) if a["accepted"] else (0, 0)
            if (rows, audits) != want:
                problems.append(f"verdetto «{a['comment']}»: righe {rows}, audit {audits}, attesi {want}")
            if a["accepted"] == a["expected_refusal"]:
                problems.append(f"verdetto «{a['comment']}» su {a['target']}: esito contro le attese")
    # Per user, every value in the store is one of its accepted uploads: a refused one left none.
    for name in sorted({a["user"] for a in actions if a["kind"] == "upload"}):
        stored = int(store.value(f"SELECT count(*) FROM misure WHERE utente = '{name}'"))
        written = sum(a["written"] for a in actions if a["kind"] == "upload" and a["user"] == name and a["accepted"])
        if stored != written:
            problems.append(f"utente {name}: {stored} misure nell'archivio, {written} dai caricamenti accettati")
    kinds = {k: [a for a in actions if a["kind"] == k] for k in ("upload", "verdict")}
    return {"uploads_accepted": sum(a["accepted"] for a in kinds["upload"]),
            "uploads_refused": sum(not a["accepted"] for a in kinds["upload"]),
            "verdicts_accepted": sum(a["accepted"] for a in kinds["verdict"]),
            "verdicts_refused": sum(not a["accepted"] for a in kinds["verdict"]),
            "problems": problems, "ok": not problems}


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs) + 0.5) - 1))]


# ---------------------------------------------------------------- main
def run(args) -> dict:
    t_start = time.time()
    with tempfile.TemporaryDirectory(prefix="carico-") as tmp_name:
        tmp = Path(tmp_name)
        store = Store(tmp)
        procs: list[subprocess.Popen] = []
        try:
            init = ["init"] + ([] if args.smoke else ["--demo-bodies"])
            t0 = time.perf_counter()
            cli(store.url, *init)
            t_init = time.perf_counter() - t0
            specs = make_accounts(store.url, args.users, args.browsers, bodies=not args.smoke)
            bodies = [BODY] if args.smoke else list(RECORD_BODIES)
            rec_files, kill_file = record_files(tmp, bodies, args.records_scale, args.kill_scale,
                                                ("pratiche",) if args.smoke else ("pratiche", "questionari", "fatture"))
            replicas = []
            for k in range(args.replicas):
                proc, base = start_replica(store.url, tmp / f"replica{k}.log", k)
                procs.append(proc)
                replicas.append(base)
            for base in replicas:
                wait_healthy(base)
            print(f"Archivio {store.url}; init {t_init:.1f} s; repliche {', '.join(replicas)}", flush=True)

            ctx = mp.get_context("spawn")
            queue, ready = ctx.Queue(), ctx.Queue()
            deadline = ctx.Value("d", 0.0)
            workers = []
            browser_specs = [s for s in specs if s["kind"] == "browser"]
            core_specs = [s for s in specs if s["kind"] == "core"]
            serving = replicas[1:] or replicas  # replica 1 is the one killed: the browsers use the others
            for j, s in enumerate(browser_specs):
                workers.append(ctx.Process(target=browser_user, args=(s, serving[j % len(serving)], deadline, ready,
                                                                             queue)))
            n_proc = max(1, min(args.processes, len(core_specs)))
            for j in range(n_proc):
                if core_specs[j::n_proc]:
                    workers.append(ctx.Process(target=core_worker, args=(store.url, core_specs[j::n_proc], deadline,
                                                                         ready, queue)))
            for w in workers:
                w.start()
            for _ in specs:  # every user logged in (a user whose login failed says so too)
                ready.get(timeout=600)
            deadline.value = time.time() + args.seconds
            print(f"{len(specs)} utenti pronti: inizio della prova di {args.seconds:.0f} s", flush=True)
            stop, probes, watch = threading.Event(), [], []
            prob = threading.Thread(target=prober, args=(replicas, stop, probes))
            prob.start()
            watcher = threading.Thread(target=pg_watch, args=(store, stop, watch))
            watcher.start()
            imports: list = []
            importer = threading.Thread(target=records_import, args=(store.url, rec_files, imports))
            importer.start()
            time.sleep(args.seconds / 2)
            killed_at = None
            if len(procs) > 1:
                os.kill(procs[0].pid, signal.SIGKILL)
                killed_at = time.time()
                print(f"kill -9 della replica 1 ({replicas[0]}) a metà prova", flush=True)
            results = [queue.get() for _ in workers]  # before join: a full queue would block the child
            for w in workers:
                w.join()
            importer.join()
            stop.set()
            prob.join()
            watcher.join()
            for proc in procs[1:]:
                proc.terminate()
                proc.wait(timeout=20)
            kill_rows = sum(1 for _ in kill_file.open()) - 1
            kill = kill_import_check(store, kill_file, kill_rows)
            pages = [p for r in results for p in r["pages"]]
            actions = [a for r in results for a in r["actions"]]
            rec = reconcile(store, actions)
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
            store.stop()

    # A replica's two requests of one round count as one probe (both must answer), as before.
    rounds: dict = {}
    for p in probes:
        if killed_at and p["t"] > killed_at + 1:
            key = (p["replica"], p["round"])
            rounds[key] = rounds.get(key, True) and p["answered"]
    others_ok = [ok for (k, _), ok in rounds.items() if k != 0]
    after_kill = [p for p in probes if killed_at and p["t"] >= killed_at and p["replica"] != 0]
    watched_after = [w for w in watch if killed_at and w["t"] >= killed_at]
    gone = next((w["t"] - killed_at for w in watched_after if w["replica1_backends"] == 0), None)
    replica_check = {"killed": killed_at is not None, "probes_other_replicas_after_kill": len(others_ok),
                     "failed_other_replicas_after_kill": others_ok.count(False),
                     "killed_replica_answers_after_kill": sum(ok for (k, _), ok in rounds.items() if k == 0),
                     "probe_latency": probe_figures(probes, killed_at),
                     "slowest_after_kill": [
                         {"replica": p["replica"] + 1, "path": p["path"], "s_after_kill": round(p["t"] - killed_at, 1),
                          "ms": round(p["ms"]), "load": round(p["load"], 1), "error": p["error"]}
                         for p in sorted(after_kill, key=lambda p: -p["ms"])[:5]],
                     "postgres_after_kill": {
                         "replica1_backends_gone_after_s": None if gone is None else round(gone, 1),
                         "max_lock_waiters": max((w["lock_waiters"] for w in watched_after), default=0),
                         "longest_lock_wait_s": max((w["longest_lock_wait_s"] for w in watched_after), default=0.0),
                         "max_idle_in_transaction": max((w["idle_in_transaction"] for w in watched_after), default=0)},
                     "ok": killed_at is not None and bool(others_ok) and all(others_ok)}
    errors = [p["error"] for p in pages if not p["ok"]] + [
        f"records import {i['ente']} {i['kind']}: exit {i['rc']} {i['stderr']}" for i in imports if i["rc"] != 0]
    per_page = {}
    for name in sorted({p["page"] for p in pages}):
        for via in ("browser", "core"):
            ms = [p["ms"] for p in pages if p["page"] == name and p["via"] == via and p["ok"]]
            if ms:
                per_page[f"{name} [{via}]"] = {"n": len(ms), "p50_ms": statistics.median(ms),
                                               "p95_ms": percentile(ms, 95)}
    report = {"users": args.users, "browser_users": len(browser_specs), "core_users": len(core_specs),
              "core_processes": n_proc, "replicas": args.replicas, "seconds": args.seconds, "init_s": t_init,
              "pages": per_page, "errors": errors, "records_import": imports, "reconciliation": rec,
              "replica_kill": replica_check, "import_kill": kill, "total_s": time.time() - t_start,
              "load_average": os.getloadavg()}
    writers = {s["role"] for s in core_specs}
    exercised = (("staff" not in writers or rec["uploads_accepted"] > 0)
                 and ("oiv" not in writers or rec["verdicts_accepted"] > 0))
    if not exercised:
        rec["problems"].append("nessun caricamento o nessun verdetto accettato: la riconciliazione non prova nulla")
        rec["ok"] = False
    report["ok"] = (not errors and rec["ok"] and replica_check["ok"] and kill["whole_or_absent"]
                    and kill["reimport_ok"] and bool(imports))
    return report


def show(r: dict) -> None:
    print(f"\n{r['users']} utenti simulati per {r['seconds']} s su {r['replicas']} repliche: {r['browser_users']} "
          f"con un vero browser (Chromium, sulle repliche 2 e 3), {r['core_users']} in {r['core_processes']} processi "
          "(un thread per utente: le pagine con AppTest e le stesse funzioni che chiamano, sullo stesso archivio)")
    print(f"{'pagina':<40} {'n':>5} {'p50 (ms)':>10} {'p95 (ms)':>10}")
    for name, p in r["pages"].items():
        print(f"{name:<40} {p['n']:>5} {p['p50_ms']:>10.0f} {p['p95_ms']:>10.0f}")
    total = sum(i["rows"] for i in r["records_import"])
    secs = sum(i["s"] for i in r["records_import"])
    print(f"Importazione CLI dei record grezzi durante la prova: {len(r['records_import'])} file, {total} record, "
          f"{secs:.1f} s, esiti {[i['rc'] for i in r['records_import']]}")
    print(f"Errori: {len(r['errors'])}")
    for e in r["errors"][:20]:
        print("  " + e.replace("\n", " ")[:400])
    rec = r["reconciliation"]
    print(f"Riconciliazione: caricamenti accettati {rec['uploads_accepted']}, rifiutati {rec['uploads_refused']}; "
          f"verdetti accettati {rec['verdicts_accepted']}, rifiutati {rec['verdicts_refused']} — "
          + ("ogni accettato c'è una volta sola, ogni rifiutato non ha lasciato nulla" if rec["ok"]
             else "DIFFERENZE:\n  " + "\n  ".join(rec["problems"][:20])))
    rk = r["replica_kill"]
    print(f"kill -9 della replica 1: richieste alle altre dopo il kill {rk['probes_other_replicas_after_kill']}, "
          f"senza risposta {rk['failed_other_replicas_after_kill']} (oltre {PROBE_TIMEOUT:.0f} s e poi oltre "
          f"{RETRY_TIMEOUT:.0f} s, o rifiutate) — {'ok' if rk['ok'] else 'NON RIUSCITO'}")
    print(f"  {'sonde (salute e pagina di accesso)':<36} {'n':>5} {'fallite':>8} {'timeout':>8} {'senza risp.':>11} "
          f"{'p50 (ms)':>9} {'p95 (ms)':>9} {'max (ms)':>9}")
    for name, f in rk["probe_latency"].items():
        print(f"  {name:<36} {f['n']:>5} {f['failed']:>8} {f['timeouts']:>8} {f['unanswered']:>11} {f['p50_ms']:>9.0f} "
              f"{f['p95_ms']:>9.0f} {f['max_ms']:>9.0f}")
    slow = ", ".join(f"replica {p['replica']} {p['path']} {p['ms']} ms a {p['s_after_kill']} s (carico {p['load']})"
                     + (f" {p['error']}" if p["error"] else "") for p in rk["slowest_after_kill"][:3])
    print(f"  le più lente dopo il kill: {slow}")
    pg = rk["postgres_after_kill"]
    print(f"  PostgreSQL dopo il kill: connessioni della replica 1 chiuse dopo "
          f"{'?' if pg['replica1_backends_gone_after_s'] is None else _comma(pg['replica1_backends_gone_after_s'])} s; "
          f"sessioni in attesa di un lock al più {pg['max_lock_waiters']} (attesa più lunga "
          f"{_comma(round(pg['longest_lock_wait_s'], 1))} s); inattive in una transazione al più "
          f"{pg['max_idle_in_transaction']}")
    k = r["import_kill"]
    print(f"kill -9 di un'importazione di {k['rows']} pratiche "
          f"({'durante la scrittura' if k['killed_while_writing'] else 'non colta durante la scrittura'}): "
          f"(pratiche, lotti) prima {tuple(k['before'])}, dopo il kill {tuple(k['after_kill'])} — "
          f"{'lotto intero o assente' if k['whole_or_absent'] else 'SCRITTO A META'}; reimportato (exit "
          f"{k['reimport_rc']}): {tuple(k['after_reimport'])} — {'ok' if k['reimport_ok'] else 'NON RIUSCITO'}")
    print(f"Durata {r['total_s']:.0f} s; carico medio della macchina {', '.join(f'{x:.1f}' for x in r['load_average'])} "
          "(2 core condivisi: tempi pessimistici)")
    print("ESITO: " + ("ok" if r["ok"] else "NON RIUSCITO"))


def _comma(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--users", type=int, default=30)
    ap.add_argument("--browsers", type=int, default=3, help="of the users, how many are real browsers")
    ap.add_argument("--replicas", type=int, default=3)
    ap.add_argument("--processes", type=int, default=4, help="worker processes for the other users")
    ap.add_argument("--records-scale", type=float, default=0.01, help="records per body: this × a national year")
    ap.add_argument("--kill-scale", type=float, default=0.05, help="the killed import: this × a national year")
    ap.add_argument("--smoke", action="store_true",
                    help="a short run for CI: 5 users (1 browser), 25 s, no demo bodies, one body's practices")
    ap.add_argument("--report", type=Path, help="also write the figures and checks as JSON here")
    args = ap.parse_args(argv)
    if args.smoke:
        args.seconds, args.users, args.browsers, args.processes = 25, 5, 1, 1
        args.records_scale, args.kill_scale = 0.002, 0.005
    report = run(args)
    show(report)
    if args.report:
        args.report.write_text(json.dumps(report, indent=2, default=str))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
