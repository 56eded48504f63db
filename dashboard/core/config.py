"""Where things are: every path and every environment variable the product reads (KPI_DB (a file or a
postgresql:// address), KPI_DB_WAIT, KPI_DB_THREADS, KPI_AUTH,
KPI_AUTH_HEADER, KPI_CLIENT_IP_HEADER, KPI_SMTP_*), in one place."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
SEED_DIR = DATA_DIR / "lucca"
DEFAULT_DB = DATA_DIR / "kpi.duckdb"

# Largest measurement file accepted: a template has one row per indicator, so this is generous.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """--db PATH, else $KPI_DB, else data/kpi.duckdb (the CLI's rule)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("KPI_DB")
    return Path(env) if env else DEFAULT_DB


def is_postgres(target) -> bool:
    """Whether a --db / $KPI_DB names the shared PostgreSQL store (postgresql://user@host:port/db)."""
    return str(target).startswith(("postgresql://", "postgres://"))


def db_target(explicit: str | os.PathLike | None = None) -> Path | str:
    """The database a command or page uses: a PostgreSQL address as given (the shared store), else the file
    of db_path()."""
    raw = explicit or os.environ.get("KPI_DB")
    if raw and is_postgres(raw):
        return str(raw)
    return db_path(explicit)


# How long the command line waits for a database file another process holds (the dashboard between two
# clicks, another import) before ending with exit 3: long enough for the dashboard to let go of it.
DEFAULT_DB_WAIT = 30.0


def db_wait() -> float:
    """$KPI_DB_WAIT: seconds the CLI waits for a busy database file (default 30; 0: do not wait)."""
    raw = os.environ.get("KPI_DB_WAIT", "").strip().replace(",", ".")
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_DB_WAIT
    except ValueError:
        return DEFAULT_DB_WAIT


# DuckDB 1.5.5 (pinned for the postgres extension) has a race in parallel window execution: now and then a
# window over a few rows fails with "Attempted to access index 0 within vector of size 0" and the database is
# invalidated until the process restarts (duckdb/duckdb#25713, still open on 1.5.5; none with threads = 1). It hit
# an import in CI. One thread until a release with the fix and a postgres wheel; KPI_DB_THREADS raises it.
DEFAULT_DB_THREADS = 1


def db_threads() -> int:
    """$KPI_DB_THREADS: DuckDB's worker threads per database (default 1, see DEFAULT_DB_THREADS)."""
    raw = os.environ.get("KPI_DB_THREADS", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_DB_THREADS


def auth_mode() -> str:
    """$KPI_AUTH: local (accounts of the dashboard, the default), oidc (st.login) or header (a trusted proxy)."""
    return os.environ.get("KPI_AUTH", "local").lower()


def client_ip_header() -> str | None:
    """$KPI_CLIENT_IP_HEADER: the header a reverse proxy puts the client's address in (e.g. X-Forwarded-For),
    for throttling logins by source; unset, the connection's own address is used (web/client.py). Set, it also
    means "behind a trusted proxy": its X-Forwarded-Proto and X-Forwarded-Host count for the session cookie
    (web/session_cookie.py)."""
    return os.environ.get("KPI_CLIENT_IP_HEADER") or None


def auth_header() -> str:
    """$KPI_AUTH_HEADER: the header a trusted proxy puts the user name in (KPI_AUTH=header)."""
    return os.environ.get("KPI_AUTH_HEADER", "X-Remote-User")


# Outgoing mail for the reminders (dashboard/core/mailer.py): KPI_SMTP_HOST (none: nothing can be sent),
# KPI_SMTP_PORT, KPI_SMTP_SECURITY (starttls, the default; tls for implicit TLS, usually port 465; none only
# for a relay on the same machine), KPI_SMTP_USER and KPI_SMTP_PASSWORD (login when set), KPI_SMTP_FROM.
def smtp_settings() -> dict:
    security = os.environ.get("KPI_SMTP_SECURITY", "starttls").lower()
    default_port = {"tls": 465, "none": 25}.get(security, 587)
    return {
        "host": os.environ.get("KPI_SMTP_HOST", ""),
        "port": int(os.environ.get("KPI_SMTP_PORT", default_port)),
        "security": security,
        "user": os.environ.get("KPI_SMTP_USER", ""),
        "password": os.environ.get("KPI_SMTP_PASSWORD", ""),
        "from": os.environ.get("KPI_SMTP_FROM", "cruscotto-performance@localhost"),
    }
