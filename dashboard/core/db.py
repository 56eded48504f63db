"""The one place that opens database connections.

DuckDB allows one read-write handle per file per process; every caller shares
it and works on its own cursor (`cursor()`, `new_cursor()`), one per thread, so
Streamlit sessions never share a cursor. Opening also brings the schema and the
query macros up to date, so the SQL in queries/ is always the code's version.

The file is attached (as `cruscotto`) to an in-memory host rather than opened
directly, because only ATTACH sets the row-group size (queries/sql/db.sql).
A new cursor starts on the host's empty catalog, so cursors are only made here.

DuckDB's lock on the file is one process's at a time. The CLI and scripts keep the file open until they
end (waiting up to $KPI_DB_WAIT for it first); the dashboard holds it only while a page runs (`hold()`)
and closes it RELEASE_AFTER seconds after the last run, so a CLI command or a second dashboard process
can use it between clicks. Who cannot get it in time gets DatabaseBusy (CLI exit 3, a page's «Riprova»).

The shared store ($KPI_DB or --db = postgresql://user@host:port/db) goes the same way: the PostgreSQL database
is ATTACHed as `cruscotto` (DuckDB's postgres extension, loaded from its wheel), so every query is the same
DuckDB SQL. What PostgreSQL cannot hold through DuckDB is made here: the sequences and the ids' defaults inside
PostgreSQL (postgres_execute), the macros and views once per process in the host's own in-memory catalog
(`memory.main`), which every cursor of the host reads through its search path (after the store's tables). Its
connection is kept for the process (no file lock to let go of); transactions are PostgreSQL's REPEATABLE READ
(the extension's default), and `retrying()` runs a write again when PostgreSQL (or DuckDB) refuses it for a
concurrent one.
"""
from __future__ import annotations

import glob
import os
import random
import re
import shlex
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import duckdb

import queries
from dashboard.core import config
from dashboard.core.errors import DatabaseBusy, DatabaseTooNew

_lock = threading.Lock()
# One write lock for the process: writes that read the current versions before writing them (measurement
# imports, corrections, recomputed indicators of raw records) take it, so the second of two writers sees
# the first's values. Re-entrant, because a write may call another (an import writes through measurements).
write_lock = threading.RLock()
_local = threading.local()

# The dashboard lets go of the file this long after its last page run ended (a burst of clicks reuses the
# open file; benchmarks/bench_open.py measures what opening it again costs).
RELEASE_AFTER = 1.0
# How long a page run waits for a file another process holds (a CLI import) before showing «occupato».
PAGE_WAIT = 10.0
# Wait between two attempts to take a held file: doubles from the first to the last.
_RETRY_FIRST, _RETRY_MAX = 0.05, 0.5
# A waiting command touches its marker at every attempt: one older than this was left by a command killed.
_MARKER_FRESH = 5.0


@dataclass
class _File:
    """A database file as this process uses it: the in-memory host with the file attached (None between the
    dashboard's uses), how many page runs hold it, and whether it is kept for good."""
    con: duckdb.DuckDBPyConnection | None
    holds: int = 0
    # Used outside hold() (the CLI, tests, scripts): kept open until close(), as a plain connection.
    kept: bool = False
    released_at: float = 0.0
    # The shared store's: the DuckDB instance `con` is a connection of (_PostgresHost), kept after close().
    host: _PostgresHost | None = None


@dataclass
class _PostgresHost:
    """A DuckDB instance for the shared store: the postgres extension loaded and the views and macros made in its
    memory.main (`objects`). `anchor` is a connection of its own that never works in the store (the connection
    handed out is a cursor of it, closed by close() with every cursor made on it), so the instance outlives a
    close() and the next store opened in this process attaches to it (_spare_hosts)."""
    anchor: duckdb.DuckDBPyConnection
    objects: bool = False


_files: dict[Path | str, _File] = {}
# Instances of shared stores closed in this process, the store detached, for the next one opened: LOAD of the
# extension and the views and macros cost ~0,3 s a store (measured per test on PostgreSQL, which opens one per
# test and often several). What only a new store has (its catalog, its pooled PostgreSQL connections) is new.
_spare_hosts: list[_PostgresHost] = []
SPARE_HOSTS = 2


def _key(path=None) -> Path | str:
    """What identifies a database in this process: the resolved file, or the PostgreSQL address."""
    target = config.db_target(path)
    return target if isinstance(target, str) else target.resolve()


def connect(path=None, wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """The process-wide connection to the database file, created on first use.

    The file is taken with DuckDB's lock, which one process holds at a time: if another process holds it,
    retry for up to `wait` seconds (default: $KPI_DB_WAIT, or PAGE_WAIT inside hold()), then raise
    DatabaseBusy. Outside hold() the file stays open until close(), as one connection always did."""
    return _take(_key(path), wait, hold=False)


def _take(key: Path | str, wait: float | None, hold: bool) -> duckdb.DuckDBPyConnection:
    nested = getattr(_local, "holds", 0) > 0
    held = hold or nested
    if wait is None:
        wait = PAGE_WAIT if held else config.db_wait()
    deadline = time.monotonic() + wait
    while True:
        with _lock:
            f = _files.get(key)
            waiting = (_command_waiting(key) if hold and not nested and f is not None and f.con is not None
                       and not f.kept else None)
            if waiting is not None and f.holds == 0:
                _close(f)  # a command waits: let it in now rather than a second after this run
            if waiting is None or f.holds == 0:
                return _open(f, key, deadline, wait, hold, held)
        # Page runs still in flight hold the file: join them no more, so that it is let go once they end.
        if time.monotonic() > deadline:
            raise DatabaseBusy(busy_message(key, f"(PID {waiting})", wait))
        time.sleep(_RETRY_FIRST)


def _open(f: _File | None, key: Path | str, deadline: float, wait: float, hold: bool,
          held: bool) -> duckdb.DuckDBPyConnection:
    """The file's connection, opened if it is not (under _lock)."""
    if f is None or f.con is None:
        shared = isinstance(key, str)
        host = None
        if shared:
            host = _spare_hosts.pop() if _spare_hosts else _PostgresHost(_postgres_host())
            con = host.anchor.cursor()
        else:
            key.parent.mkdir(parents=True, exist_ok=True)
            con = new_host()
        try:
            if shared:
                _attach_postgres(con, key)
            else:
                _attach(con, key, deadline, wait, page=held)
            if f is None:  # once per process: the schema (and, in a file, the macros) stored in the database
                ensure_schema(con, objects=not (host and host.objects))
            elif shared and not host.objects:
                _shared_objects(con)
            if shared:
                use_shared_objects(con)
                host.objects = True
        except BaseException:
            con.close()
            if host is not None:
                host.anchor.close()
            raise
        if f is None:
            f = _files[key] = _File(con)
        f.con, f.host = con, host
    if hold:  # counted under the same lock as the open, so the release cannot come in between
        f.holds += 1
    if (not hold and not held) or isinstance(key, str):  # PostgreSQL has no file lock to let go of
        f.kept = True
    return f.con


def _attach(con: duckdb.DuckDBPyConnection, key: Path, deadline: float, wait: float, page: bool) -> None:
    """ATTACH the file to `con`, retrying while another process holds it, until `deadline` (`wait` seconds
    from the start, as the message says).

    A command (page=False) that has to wait says so in a file beside the database (`<file>.attesa`, its
    PID, touched at every attempt); a page run (page=True) does not take the file while a command waits, and
    a dashboard whose last run ended lets go of it at once: otherwise a dashboard clicked every second
    would never be idle long enough for the nightly import."""
    pause = _RETRY_FIRST
    marker = _waiting_file(key)
    marked = False
    try:
        while True:
            waiting = _command_waiting(key) if page else None
            if waiting is None:
                try:
                    # DuckDB 1.5 takes no parameter in ATTACH: the path goes in as a quoted literal.
                    con.execute(queries.query("db", "attach").inline({"path": str(key)}))
                    break
                except duckdb.IOException as exc:
                    text = str(exc)
                    if _NEWER_STORAGE.search(text):
                        raise DatabaseTooNew(too_new_message(key)) from None
                    if "lock" not in text.lower():  # not a lock: a file we cannot reach; waiting would not help
                        raise DatabaseBusy(f"Il database {key} non è raggiungibile ({text.splitlines()[0]}): "
                                           "nessuna modifica. Verificare il percorso (--db o KPI_DB) e i "
                                           "permessi.") from None
            else:
                text = f"Conflicting lock is held (PID {waiting})"
            if not page:
                with suppress(OSError):  # a folder we may not write in: we wait all the same, only less politely
                    marker.write_text(str(os.getpid()))
                    marked = True
            left = deadline - time.monotonic()
            if left <= 0:
                raise DatabaseBusy(busy_message(key, text, wait)) from None
            # The last pause is cut to the deadline, so the wait the message states is the wait done (giving
            # up when the next pause would overshoot ended 0,15 s early once an ATTACH was quick, as on 1.5).
            time.sleep(min(pause, left))
            pause = min(pause * 2, _RETRY_MAX)
    finally:
        if marked:
            with suppress(OSError, ValueError):
                if int(marker.read_text() or 0) == os.getpid():
                    marker.unlink()
    con.execute(queries.sql("db", "use"))
    con.execute(queries.sql("db", "checkpoint_threshold"))


def _postgres_host() -> duckdb.DuckDBPyConnection:
    """An in-memory host with DuckDB's postgres extension loaded from its wheel (offline: never autoloaded or
    downloaded)."""
    con = new_host(autoload_known_extensions=False, autoinstall_known_extensions=False)
    con.execute(queries.query("db", "load_postgres").inline({"path": postgres_extension()}))
    return con


def postgres_extension() -> str:
    """The postgres extension's file for this DuckDB, from the wheel duckdb-extension-postgres-scanner."""
    try:
        import duckdb_extension_postgres_scanner as wheel
    except ImportError:
        raise DatabaseBusy("Per usare un database PostgreSQL serve il pacchetto duckdb-extension-postgres-scanner "
                           "(requirements.txt): nessuna modifica.") from None
    base = Path(wheel.__file__).parent / "extensions"
    found = sorted(glob.glob(str(base / f"v{duckdb.__version__}" / "postgres_scanner.duckdb_extension")))
    if not found:
        raise DatabaseBusy(f"L'estensione postgres per DuckDB {duckdb.__version__} non è installata in {base}: "
                           "nessuna modifica.")
    return found[0]


def _attach_postgres(con: duckdb.DuckDBPyConnection, url: str) -> None:
    """ATTACH the PostgreSQL database as `cruscotto`; a server that does not answer is DatabaseBusy (exit 3)."""
    try:
        # ATTACH takes no parameter: the address (from --db or $KPI_DB) goes in as a quoted literal.
        con.execute(queries.query("db", "attach_postgres").inline({"url": url}))
    except duckdb.Error as exc:
        raise DatabaseBusy(f"Il database PostgreSQL {redacted(url)} non è raggiungibile "
                           f"({redacted(str(exc).splitlines()[0])[:200]}): nessuna modifica. Verificare che il server sia "
                           "avviato e l'indirizzo (--db o KPI_DB).") from None
    con.execute(queries.sql("db", "use"))


def redacted(url: str) -> str:
    """A PostgreSQL address without its password, for messages."""
    return re.sub(r"(://[^:/@\s\"]+):[^@\s\"]*@", r"\1:***@", url)


def is_postgres(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con` works on the shared PostgreSQL store."""
    return con.execute(queries.sql("db", "store_type")).fetchone()[0] == "postgres"


def next_id(con: duckdb.DuckDBPyConnection, sequence: str) -> int:
    """A new id from `sequence` (a name from our schema): DuckDB's sequence in a file, PostgreSQL's own on the
    shared store, where DuckDB cannot reach sequences (unique across processes, never rolled back)."""
    if is_postgres(con):
        return con.execute(queries.sql("db", "next_id_postgres"), {"seq": sequence}).fetchone()[0]
    return con.execute(queries.sql("db", "next_id"), {"seq": sequence}).fetchone()[0]


# What duckdb 1.5 says of a file a newer DuckDB wrote: "Trying to read a database file with version number 999,
# but we can only read versions between 64 and 68. The database file was created with an newer version of DuckDB."
# (An older file gets the same first sentence with "older": not this case.)
_NEWER_STORAGE = re.compile(r"created with an? newer version of DuckDB")
MIGRATE_SCRIPT = config.ROOT / "scripts" / "migrate_duckdb2.sh"


def too_new_message(key: Path) -> str:
    """What a person reads when the file was written by duckdb 2.0: which file, that nothing changed, the command
    (quoted for the shell: it can be pasted as it is)."""
    return (f"Il database {key} è stato scritto da DuckDB 2.0, una versione più recente di quella del cruscotto "
            f"(DuckDB {duckdb.__version__}), che non può leggerlo. Nessuna modifica è stata fatta. Convertirlo "
            f"una volta con il comando: {MIGRATE_SCRIPT} {shlex.quote(str(key))} (il file originale resta come "
            f"{key.name}.duckdb2-backup; il comando riporta le righe di ogni tabella prima e dopo).")


def new_host(**settings) -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB with the product's engine settings (its threads: config.db_threads)."""
    return duckdb.connect(":memory:", config={"threads": config.db_threads(), **settings})


def open_read_only(path) -> duckdb.DuckDBPyConnection:
    """The file opened read-only, as it is (no schema brought up to date): the migration's export
    (dashboard/files/duckdb2.py), run by the DuckDB that wrote it."""
    return duckdb.connect(str(path), read_only=True)


def open_empty(path) -> duckdb.DuckDBPyConnection:
    """A new file attached as every file is (row groups, checkpoint threshold) but without schema nor macros:
    the migration's IMPORT DATABASE creates the tables; open it with connect() afterwards for the macros."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(path)
    con = new_host()
    con.execute(queries.query("db", "attach").inline({"path": str(path)}))
    con.execute(queries.sql("db", "use"))
    con.execute(queries.sql("db", "checkpoint_threshold"))
    return con


def _waiting_file(key: Path) -> Path:
    return key.with_name(key.name + ".attesa")


def _command_waiting(key: Path | str) -> int | None:
    """The PID of another process's command waiting for the file, if one is (its marker touched lately)."""
    if isinstance(key, str):  # PostgreSQL: nobody waits for a lock
        return None
    marker = _waiting_file(key)
    try:
        if time.time() - marker.stat().st_mtime > _MARKER_FRESH:  # left by a command killed while waiting
            return None
        pid = int(marker.read_text() or 0)
    except (OSError, ValueError):
        return None
    return pid if pid and pid != os.getpid() else None


def busy_message(key: Path, duckdb_text: str, wait: float) -> str:
    """What a person reads when the file is held: by whom (DuckDB names the holder's PID), what to do."""
    pid = re.search(r"\(PID (\d+)\)", duckdb_text)
    holder = "un altro processo"
    if pid:
        holder = f"un altro processo (PID {pid.group(1)})"
        with suppress(OSError):
            cmdline = Path(f"/proc/{pid.group(1)}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if "streamlit" in cmdline:
                holder = f"il cruscotto (server Streamlit, PID {pid.group(1)})"
            elif "dashboard.cli" in cmdline:
                holder = f"un altro comando del cruscotto (PID {pid.group(1)})"
    waited = f" dopo {_seconds(wait)} di attesa" if wait > 0 else ""
    return (f"Il database {key} è occupato: lo usa {holder}{waited}. Nessuna modifica è stata fatta. "
            "Riprovare più tardi, quando quell'operazione è finita, oppure attendere più a lungo "
            "(variabile KPI_DB_WAIT, in secondi) o fermare quel processo.")


def _seconds(seconds: float) -> str:
    return f"{seconds:g} s".replace(".", ",")


@contextmanager
def hold(path=None):
    """For one page run of the dashboard: the file stays open for the block (waiting up to PAGE_WAIT
    for another process to let go of it, else DatabaseBusy) and is closed RELEASE_AFTER seconds after the
    last run ends, so a CLI command or another dashboard process can open it between clicks."""
    key = _key(path)
    _take(key, None, hold=True)
    _local.holds = getattr(_local, "holds", 0) + 1
    try:
        yield
    finally:
        _local.holds -= 1
        with _lock:
            f = _files.get(key)
            if f is not None:
                f.holds -= 1
                f.released_at = time.monotonic()
                if f.holds == 0 and not f.kept:
                    if _command_waiting(key) is not None:
                        _close(f)  # a command waits for the file: now, not in a second
                    else:
                        timer = threading.Timer(RELEASE_AFTER, _release_if_idle, (key,))
                        timer.daemon = True
                        timer.start()


def _release_if_idle(key: Path) -> None:
    """Close the file's connection if no page run holds it and none ended in the last RELEASE_AFTER seconds.

    Closed, not detached: a cursor left with an unread result keeps a detached file (and its lock) open,
    while closing the host closes every cursor made on it (cursor() makes a new one on the next use)."""
    with _lock:
        f = _files.get(key)
        if (f is None or f.con is None or f.holds or f.kept
                or time.monotonic() - f.released_at < RELEASE_AFTER * 0.9):
            return
        _close(f)


def _close(f: _File) -> None:
    if f.con is not None:
        con, f.con = f.con, None
        con.close()


def attached(path=None) -> bool:
    """Whether this process has the file open now (tests, benchmarks)."""
    f = _files.get(_key(path))
    return f is not None and f.con is not None


def cursor(path=None) -> duckdb.DuckDBPyConnection:
    """This thread's cursor on the database (one per thread and file); the file opened if it was not."""
    con = connect(path)
    key = _key(path)
    cursors = getattr(_local, "cursors", None)
    if cursors is None:
        cursors = _local.cursors = {}
    host, cur = cursors.get(key, (None, None))
    if host is not con:  # none yet, or made on a connection since closed
        cur = new_cursor(con)
        cursors[key] = (con, cur)
    return cur


def new_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of its own on the database of `con` (a file's connection, or a private in-memory one)."""
    cur = con.cursor()
    # Asked on the new cursor: `con` itself may be in use by another thread.
    if cur.execute(queries.sql("db", "attached")).fetchall()[0][0]:
        cur.execute(queries.sql("db", "use"))
        if is_postgres(cur):
            use_shared_objects(cur)
    return cur


def close(path=None) -> None:
    """Close the file's connection (tests, and the CLI before it exits). On the shared store the connection and
    every cursor made on it are closed, the store detached, and the DuckDB instance kept for the next store this
    process opens (_spare_hosts)."""
    key = _key(path)
    with _lock:
        f = _files.pop(key, None)
    getattr(_local, "cursors", {}).pop(key, None)
    if f is None or f.con is None:
        return
    f.con.close()
    if f.host is None:
        return
    try:
        f.host.anchor.execute(queries.sql("db", "detach_copy"))
        f.host.anchor.execute(queries.sql("db", "detach"))
    except duckdb.Error:  # not to be trusted for another store
        f.host.anchor.close()
        return
    with _lock:
        if len(_spare_hosts) < SPARE_HOSTS:
            _spare_hosts.append(f.host)
            return
    f.host.anchor.close()


_SCHEMA = ("schema", "plan_versions_schema", "chain_schema", "succession_schema")
_MACROS = ("status_macros", "records_macros")  # after the schema: they use its views
_MACRO_VIEW_RE = re.compile(r"^\s*CREATE OR REPLACE (MACRO|VIEW)\b")
_SEQUENCE_RE = re.compile(r"^\s*CREATE SEQUENCE\b")
_NEXTVAL_RE = re.compile(r"\s+DEFAULT nextval\('(\w+)'\)")
_TABLE_RE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+)")
_ALTER_RE = re.compile(r"^\s*ALTER TABLE\b")
_DROP_VIEW_RE = re.compile(r"^\s*DROP VIEW\b")
_COLUMN_RE = re.compile(r"(\w+)\s+\w+\s+PRIMARY KEY\s+DEFAULT nextval\('\w+'\)")


# How many times this process ran the schema's DDL on the shared store (tests: two replicas starting at once on
# a new database, exactly one runs it).
schema_runs = 0


def ensure_schema(con: duckdb.DuckDBPyConnection, objects: bool = True) -> None:
    """The schema (tables, sequences, and in a file views and macros) brought to the code's version; on the shared
    store also the views and macros in the host's memory.main, unless `objects` is False (a host that has them)."""
    if not is_postgres(con):
        _bring_schema(con, shared=False)
        for module in _MACROS:
            for statement in queries.script(module):
                con.execute(statement)
        return
    global schema_runs
    if not _postgres_schema_current(con):  # else a replica or test on a store already at this code's schema
        # Two processes starting at once on a new (or older) store would both run the DDL and fail on each
        # other's tables: one at a time, and the second finds the first's hash.
        with _schema_lock(con):
            if _postgres_schema_current(con):
                con.execute(queries.sql("db", "postgres_clear_cache"))  # DuckDB read the catalog before it was made
            else:
                _bring_schema(con, shared=True)
                con.execute(queries.sql("db", "postgres_record_indexes"))
                con.execute(queries.sql("db", "postgres_execute"), {"sql": _SCHEMA_MARK.format(hash=_schema_hash())})
                schema_runs += 1
    if objects:
        _shared_objects(con)


def _bring_schema(con: duckdb.DuckDBPyConnection, shared: bool) -> None:
    """The tables (and, in a file, the views) created or upgraded to the code's schema."""
    def run(statement: str) -> None:
        _on_postgres(con, statement) if shared else con.execute(statement)

    for statement in queries.script("schema"):
        run(statement)
    _widen_roles(con)
    for module in _SCHEMA[1:]:  # before the status macros, which use them
        for statement in queries.script(module):
            run(statement)
    _add_new_columns(con, "criteri", "criteri_versioni")
    con.execute(queries.sql("db", "criteri_versioni_ordine"))
    _add_new_columns(con, "target", "target_versioni")


@contextmanager
def _schema_lock(host: duckdb.DuckDBPyConnection):
    """PostgreSQL's advisory lock of the schema step, held for the block by a transaction of a cursor of its own
    (the DDL runs on `host`, statement by statement); released at its end, or by PostgreSQL if the process dies.
    Another process's schema step waits for it."""
    holder = host.cursor()
    try:
        holder.execute(queries.sql("db", "use"))
        with transaction(holder):
            holder.execute(queries.sql("db", "schema_lock"))
            yield
    finally:
        holder.close()


# The shared store records the hash of the schema it was brought to, so that the next process (a replica, a
# command, a test's copy of a prepared database) skips the DDL, which takes seconds through the attach.
_SCHEMA_MARK = ("CREATE TABLE IF NOT EXISTS versione_schema (hash text PRIMARY KEY); DELETE FROM versione_schema; "
                "INSERT INTO versione_schema VALUES ('{hash}')")


def _schema_hash() -> str:
    import hashlib
    text = "\n".join([*(st for module in _SCHEMA + _MACROS for st in queries.script(module)),
                      queries.sql("db", "postgres_record_indexes")])
    return hashlib.sha256(text.encode()).hexdigest()


def _postgres_schema_current(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        found = con.execute(queries.sql("db", "postgres_schema_hash")).fetchone()[0]
    except duckdb.Error:  # a new database: no versione_schema yet (made by the schema step, under its lock)
        return False
    return found == _schema_hash()


def _shared_statements() -> list[str]:
    """The schema's views and the macros, in schema order: on the shared store they live in the host's
    in-memory catalog (PostgreSQL cannot store them)."""
    return [statement for module in _SCHEMA + _MACROS for statement in queries.script(module)
            if _MACRO_VIEW_RE.match(statement)]


def _shared_objects(host: duckdb.DuckDBPyConnection) -> None:
    """The views and macros of the shared store, made once per host (process) in `memory.main`, where every
    cursor of the host finds them (use_shared_objects). As TEMP objects they were each cursor's own and cost
    ~0,1 s per new cursor. They are created with memory first on the search path and the store's tables after
    it; their bodies keep unqualified names, resolved when a query runs, on the cursor's own path (so a reader
    of local_records, whose path has the copy's tables first, reads those)."""
    cur = host.cursor()
    try:
        cur.execute(queries.sql("db", "use_memory"))
        cur.execute(queries.sql("db", "search_memory_first"))
        for statement in _shared_statements():
            cur.execute(statement)
    finally:
        cur.close()
    use_shared_objects(host)


def use_shared_objects(cur: duckdb.DuckDBPyConnection) -> None:
    """A connection or cursor of the shared store (after USE cruscotto) reads the store's tables first, then the
    host's views and macros: one SET is what a new cursor costs, instead of creating them again."""
    cur.execute(queries.sql("db", "search_store_first"))



def _on_postgres(con: duckdb.DuckDBPyConnection, statement: str) -> None:
    """One schema statement on the shared store: sequences, the ids' defaults and the upgrades' ALTERs are run
    inside PostgreSQL; views and macros are left to _shared_objects (the host's memory catalog)."""
    if _MACRO_VIEW_RE.match(statement) or _DROP_VIEW_RE.match(statement):
        return
    if _SEQUENCE_RE.match(statement):
        con.execute(queries.sql("db", "postgres_execute"), {"sql": statement})
        return
    if _ALTER_RE.match(statement):
        _alter(con, statement)
        return
    sequences = _NEXTVAL_RE.findall(statement)
    con.execute(_NEXTVAL_RE.sub("", statement))
    if sequences:
        table = _TABLE_RE.search(statement).group(1)
        column = _COLUMN_RE.search(statement).group(1)
        con.execute(queries.sql("db", "postgres_execute"),
                    {"sql": f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT nextval('{sequences[0]}')"})


def _widen_roles(con: duckdb.DuckDBPyConnection) -> None:
    """Files from before the newest role (responsabile, then nazionale) have a CHECK on utenti.ruolo without
    it: rebuild the table with the schema's CHECK, keeping every account, in one transaction."""
    check = con.execute(queries.sql("db", "roles_check")).fetchone()[0]
    if check is None or "nazionale" in check:
        return
    with transaction(con):
        con.execute(queries.sql("db", "users_keep"))
        con.execute(queries.sql("db", "users_drop"))
        for statement in queries.script("schema"):  # recreates utenti (and its added columns); the rest exists
            con.execute(statement)
        con.execute(queries.sql("db", "users_restore"))
        con.execute(queries.sql("db", "users_kept_drop"))


def _add_new_columns(con: duckdb.DuckDBPyConnection, source: str, copy: str) -> None:
    """Give a copy table (criteri_versioni, target_versioni) the columns added to its source since, with their defaults."""
    query = queries.sql("db", "columns_of")
    have = {r[0] for r in con.execute(query, {"t": copy}).fetchall()}
    for name, data_type, default in con.execute(query, {"t": source}).fetchall():
        if name not in have:
            # Names and types come from the catalog of our own tables, never from input.
            _alter(con, f'ALTER TABLE {copy} ADD COLUMN "{name}" {data_type}'
                   + (f" DEFAULT {default}" if default is not None else ""))


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, *, lock: bool = False):
    """BEGIN … COMMIT on `con`, ROLLBACK if anything in the block raises (and re-raise).

    With lock=True the block also holds `write_lock`. Every write of the product goes through here, so
    a write and its audit rows land together or not at all.
    """
    if lock:
        with write_lock:
            with transaction(con):
                yield con
        return
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        # A failed COMMIT (a write-write conflict) has already ended the transaction: nothing left to undo.
        with suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise


def memory() -> duckdb.DuckDBPyConnection:
    """A private in-memory database with the schema (tests and benchmarks)."""
    con = new_host()
    ensure_schema(con)
    return con


def _alter(con: duckdb.DuckDBPyConnection, statement: str) -> None:
    """An ALTER TABLE of our schema: as it is in DuckDB; inside PostgreSQL on the shared store (DuckDB passes
    its type names through, which PostgreSQL does not all know), then DuckDB's copy of the catalog refreshed."""
    if not is_postgres(con):
        con.execute(statement)
        return
    con.execute(queries.sql("db", "postgres_execute"), {"sql": re.sub(r"\bDOUBLE\b", "DOUBLE PRECISION", statement)})
    con.execute(queries.sql("db", "postgres_clear_cache"))


# Write conflicts another writer caused: DuckDB's own (a file, several threads) and PostgreSQL's under
# REPEATABLE READ (serialization failure 40001, deadlock 40P01), as DuckDB's extension reports them.
# On PostgreSQL also the batch number two processes' records imports took at once (lotti_record's key), and
# the same next version of a value two processes' uploads took at once (misure's unique key).
_CONFLICT_RE = re.compile(r"could not serialize access|deadlock detected|Conflict on|write-write conflict|"
                          r"Transaction conflict|40001|40P01|lotti_record_pkey|"
                          r"misure_ente_indicatore_anno_trimestre_ambito_versione_key", re.IGNORECASE)
# A write refused for a concurrent one runs again this many times in all, after a growing random pause.
TRIES = 5
_BACKOFF_FIRST = 0.05


def is_conflict(exc: BaseException) -> bool:
    """Whether `exc` is a write refused because another transaction wrote the same rows (worth running again)."""
    return isinstance(exc, duckdb.Error) and bool(_CONFLICT_RE.search(str(exc)))


def retrying(action, *args, tries: int = TRIES, **kwargs):
    """action(*args, **kwargs), run again (up to `tries` times in all, pausing 50 ms, 100 ms, … with jitter) when
    its transaction is refused for a concurrent write. Every write is one transaction (`transaction()`): a
    refused one left nothing, so running it again is safe; the last refusal is raised."""
    pause = _BACKOFF_FIRST
    for attempt in range(1, tries + 1):
        try:
            return action(*args, **kwargs)
        except duckdb.Error as exc:
            if attempt == tries or not is_conflict(exc):
                raise
        time.sleep(pause * (1 + random.random()))
        pause *= 2


def sequence_columns() -> list[tuple[str, str, str]]:
    """(table, id column, sequence) of every id the schema draws from a sequence."""
    out = []
    for module in _SCHEMA:
        for statement in queries.script(module):
            found = _NEXTVAL_RE.search(statement)
            if found and _TABLE_RE.search(statement):
                out.append((_TABLE_RE.search(statement).group(1), _COLUMN_RE.search(statement).group(1), found.group(1)))
    return out


def set_sequence(con: duckdb.DuckDBPyConnection, sequence: str, next_value: int) -> None:
    """The next id `sequence` gives (after a copy of rows with their ids): only on the shared store, where the
    sequence lives inside PostgreSQL."""
    con.execute(queries.sql("db", "postgres_execute"),
                {"sql": f"SELECT setval('{sequence}', {int(next_value)}, false)"})


# The raw records' local copy on the shared store (issue 17: a national year's metrics under 2 s): scanning
# millions of rows through the attach is many times slower than a local table (benchmarks/bench_records.py), so each
# process keeps the three record tables in an in-memory database of its DuckDB host (`copia`, attached once), brought
# up to date when new batches are committed. Every read has a cursor and a DuckDB transaction of its own, whose search
# path finds the copy first: reads run side by side, and DuckDB's MVCC keeps each one on the copy as it was when it
# began while a refresh (one at a time per process, in one transaction) writes the next. Writes never read the copy.
RECORD_TABLES = ("pratiche", "questionari", "fatture")
# New batches of more bodies than this for one kind: that kind's table is copied whole rather than body by body
# (each body's copy is a scan of the table inside PostgreSQL).
BODIES_COPIED_APART = 3
# A read that finds the copy behind brings it up to date and checks again, this many times in all (another batch
# may be committed in between); then, or if another thread is refreshing the copy, it reads through the attach.
COPY_TRIES = 2
_refresh_guard = threading.Lock()
_refresh_locks: dict[str, threading.Lock] = {}
# How each read was served, counted (tests, benchmarks): "copy", "refreshed" (it brought the copy up to date first),
# "attach" (the copy was behind and another thread was bringing it up to date).
copy_reads: dict[str, int] = {}


def _refresh_lock(url: str) -> threading.Lock:
    with _refresh_guard:
        return _refresh_locks.setdefault(url, threading.Lock())


@contextmanager
def local_records(con: duckdb.DuckDBPyConnection):
    """A connection to read the raw records on (metrics, comparison between bodies, publication): `con` itself on a
    file; on the shared store a cursor of its own, in a transaction for the whole block, reading the process's copy.

    Every import commits its records and its batch together, so the copy is compared with the batches committed
    when the read begins: equal, the read runs on the copy; behind (a batch committed by another replica, the
    CLI or this process), this read brings it up to date and then runs on it — unless another thread is doing so
    right now, and then it reads through the attach (correct, slower) rather than queue behind that copy (the
    first of a national year takes tens of seconds). Either way a batch committed before the read began is in it
    whole, one not committed (running, refused, killed) in none, and the block sees one state throughout: the
    copy in its DuckDB snapshot, the store's tables in its PostgreSQL one (REPEATABLE READ). A read of the copy
    has the bodies' ITP rules in its own temporary table too (see rules_for_copy_read in queries/sql/db.sql)."""
    if not is_postgres(con):
        yield con
        return
    url = con.execute(queries.sql("db", "store_path")).fetchone()[0]
    reader = new_cursor(con)
    try:
        with _refresh_guard:  # once per host; two threads attaching at once could collide
            reader.execute(queries.sql("db", "attach_copy"))
        reader.execute(queries.sql("db", "search_copy_first"))
        how = "copy"
        for attempt in range(COPY_TRIES):
            reader.execute("BEGIN TRANSACTION")
            # Checked in the read's own transaction: the copy it reads is the one found current.
            if _copy_current(reader):
                break
            reader.execute("ROLLBACK")
            lock = _refresh_lock(url)
            if attempt == COPY_TRIES - 1 or not lock.acquire(blocking=False):
                how = "attach"
                use_shared_objects(reader)  # the store's tables first: the copy out of the path
                reader.execute("BEGIN TRANSACTION")
                break
            try:
                _refresh_records(reader)
            finally:
                lock.release()
            how = "refreshed"
        if how != "attach":
            reader.execute(queries.sql("db", "rules_for_copy_read"))
        with _refresh_guard:
            copy_reads[how] = copy_reads.get(how, 0) + 1
        try:
            yield reader
            reader.execute("COMMIT")
        except BaseException:
            with suppress(duckdb.Error):
                reader.execute("ROLLBACK")
            raise
    finally:
        reader.close()


def _copied_batches(cur: duckdb.DuckDBPyConnection) -> frozenset | None:
    """The batches the copy holds as `cur`'s transaction sees it; None before the first copy."""
    if not cur.execute(queries.sql("db", "copy_made")).fetchone()[0]:
        return None
    return frozenset(r[0] for r in cur.execute(queries.sql("db", "copied_batches")).fetchall())


def _copy_current(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether the copy, as `cur`'s transaction sees it, holds exactly the batches committed now."""
    copied = _copied_batches(cur)
    return copied is not None and copied == {r[0] for r in cur.execute(queries.sql("db", "records_batches")).fetchall()}


def _refresh_records(cur: duckdb.DuckDBPyConnection) -> None:
    """Bring the copy to the batches committed now (the caller holds the process's refresh lock). A new batch
    changes only its body's rows of its kind (records added; invoices it supersedes marked), so those are copied
    again; the first time, every table whole. The list of batches and the copy are written in one
    DuckDB transaction and read in one PostgreSQL snapshot (REPEATABLE READ): the copy holds exactly the batches it
    says, a read running meanwhile keeps the copy it began on, and a refresh failing half-way is rolled back whole."""
    with transaction(cur):
        rows = cur.execute(queries.sql("db", "records_batches")).fetchall()
        batches = frozenset(r[0] for r in rows)
        seen = _copied_batches(cur)
        if seen is None or not seen <= batches:  # none yet, or batches gone (a store restored): all again
            stale = {table: None for table in RECORD_TABLES}
        else:
            stale = {}
            for _, ente, tipo in (r for r in rows if r[0] not in seen):
                stale.setdefault(tipo, set()).add(ente)
        for table, bodies in stale.items():
            if bodies is None or len(bodies) > BODIES_COPIED_APART:
                cur.execute(queries.sql("db", f"copy_{table}"))
                continue
            for ente in sorted(bodies):
                cur.execute(queries.sql("db", f"drop_body_{table}"), {"ente": ente})
                cur.execute(queries.sql("db", f"copy_body_{table}"), {"ente": ente})
        cur.execute(queries.sql("db", "copy_batches_clear"))
        cur.execute(queries.sql("db", "copy_batches_write"), {"ids": sorted(batches)})
    # Best effort: DuckDB refuses while another write transaction is open; the next refresh does it then.
    with suppress(duckdb.TransactionException):
        cur.execute(queries.sql("db", "copy_checkpoint"))
