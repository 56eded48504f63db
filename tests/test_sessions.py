"""Issue 12.10: a login survives a reload through a session cookie, securely. The token store (core/sessions.py)
and the two routes that set and clear the cookie (web/session_cookie.py), spoken to as a browser would."""
from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.applications import Starlette

from dashboard.core import auth, db, sessions, users
from dashboard.web import session_cookie

NOW = dt.datetime(2026, 11, 24, 9, 0)


def minutes(n: float) -> dt.datetime:
    return NOW + dt.timedelta(minutes=n)


@pytest.fixture
def con(stores):
    con = stores.connection()
    yield con
    con.close()


def logged_in(con, username="segretario", when=NOW) -> tuple[sessions.Opened, str]:
    opened = sessions.begin(con, username, "CCIAA-LU", when)
    return opened, sessions.redeem(con, opened.code, when)


def test_only_hashes_are_stored(con):
    opened, token = logged_in(con)
    assert len(token) >= 43 and len(opened.code) >= 43 and token != opened.code
    stored = " ".join(str(v) for v in con.execute("SELECT * FROM sessioni").fetchone())
    assert token not in stored and opened.code not in stored
    assert sessions.digest(token) in stored and sessions.digest(opened.code) in stored
    assert sessions.resume(con, token, minutes(1)) == sessions.Resumed(opened.id, "segretario", "CCIAA-LU")


def test_the_code_is_single_use_and_short_lived(con):
    opened = sessions.begin(con, "oiv", "CCIAA-LU", NOW)
    assert sessions.pending(con, opened.id, NOW)
    first = sessions.redeem(con, opened.code, minutes(0.5))
    assert first is not None and not sessions.pending(con, opened.id, minutes(0.5))
    assert sessions.redeem(con, opened.code, minutes(0.5)) is None  # a second exchange gets nothing
    late = sessions.begin(con, "oiv", "CCIAA-LU", NOW)
    assert sessions.redeem(con, late.code, NOW + dt.timedelta(seconds=sessions.CODE_SECONDS + 1)) is None
    assert not sessions.pending(con, late.id, NOW + dt.timedelta(seconds=sessions.CODE_SECONDS + 1))


def test_idle_period_is_the_apps_and_activity_extends_it(con):
    _, token = logged_in(con)
    assert auth.IDLE_MINUTES == 30
    assert sessions.resume(con, token, minutes(29)) is not None  # activity at 29 minutes …
    assert sessions.resume(con, token, minutes(58)) is not None  # … so 58 is 29 minutes idle
    assert sessions.resume(con, token, minutes(58 + auth.IDLE_MINUTES + 1)) is None


def test_a_live_tab_keeps_the_session_active(con):
    opened, token = logged_in(con)
    for t in range(20, 200, 20):  # a person clicking every 20 minutes in the tab where they logged in
        assert sessions.touch(con, opened.id, minutes(t))
    assert sessions.resume(con, token, minutes(200)) is not None
    # Activity is written at most once a minute, so the tab's check allows that minute; the tab's own
    # 30-minute timeout (web/session.py) ends it first.
    assert sessions.touch(con, opened.id, minutes(200 + auth.IDLE_MINUTES + 0.5))
    assert not sessions.touch(con, opened.id, minutes(200 + 2 * auth.IDLE_MINUTES + 2))


def test_absolute_end_whatever_the_activity(con):
    opened, token = logged_in(con)
    for t in range(20, sessions.MAX_HOURS * 60, 20):
        assert sessions.touch(con, opened.id, minutes(t))
    assert sessions.resume(con, token, minutes(sessions.MAX_HOURS * 60 - 1)) is not None
    assert sessions.resume(con, token, minutes(sessions.MAX_HOURS * 60 + 1)) is None
    assert not sessions.touch(con, opened.id, minutes(sessions.MAX_HOURS * 60 + 1))


def test_revocation_ends_it_for_every_tab(con):
    opened, token = logged_in(con)
    sessions.revoke(con, opened.id, "uscita", minutes(1))
    assert sessions.resume(con, token, minutes(2)) is None
    assert not sessions.touch(con, opened.id, minutes(2))
    other, other_token = logged_in(con, when=minutes(3))
    assert sessions.revoke_token(con, other_token, "uscita", minutes(4)) == "segretario"
    assert sessions.revoke_token(con, other_token, "uscita", minutes(4)) is None  # already ended
    reason = con.execute("SELECT motivo_revoca FROM sessioni WHERE id = ?", [other.id]).fetchone()[0]
    assert reason == "uscita"


def test_revoke_user_ends_all_of_an_account_and_no_other(con):
    _, a = logged_in(con, "oiv")
    _, b = logged_in(con, "oiv", minutes(1))
    _, c = logged_in(con, "segretario", minutes(1))
    assert sessions.revoke_user(con, "oiv", "password cambiata", minutes(2)) == 2
    assert sessions.resume(con, a, minutes(3)) is None and sessions.resume(con, b, minutes(3)) is None
    assert sessions.resume(con, c, minutes(3)).username == "segretario"


def test_a_code_of_an_ended_session_opens_nothing(con):
    opened = sessions.begin(con, "oiv", "CCIAA-LU", NOW)
    sessions.revoke(con, opened.id, "uscita", NOW)
    assert sessions.redeem(con, opened.code, NOW) is None


def test_wrong_or_forged_secrets_get_nothing(con):
    opened, token = logged_in(con)
    for forged in ["", "x", "A" * 43, "A" * 10_000, None, sessions.digest(token)]:  # the stored hash is no token
        assert sessions.resume(con, forged, minutes(1)) is None
        assert sessions.redeem(con, forged, minutes(1)) is None
        assert sessions.revoke_token(con, forged, "uscita", minutes(1)) is None
    assert sessions.resume(con, token, minutes(1)) is not None


def test_ended_sessions_are_dropped_after_a_week(con):
    old, _ = logged_in(con, when=NOW)
    logged_in(con, when=NOW + dt.timedelta(hours=sessions.MAX_HOURS, days=sessions.PURGE_DAYS, minutes=1))
    ids = [r[0] for r in con.execute("SELECT id FROM sessioni").fetchall()]
    assert old.id not in ids and len(ids) == 1


# --- the routes, through ASGI as the server runs them --------------------------------------------------------

@pytest.fixture
def file_db(stores, monkeypatch):
    path = stores.address()
    monkeypatch.setenv("KPI_DB", str(path))
    monkeypatch.delenv("KPI_CLIENT_IP_HEADER", raising=False)
    yield db.connect(path)
    db.close(path)


def post(path: str, body: bytes = b"{}", scheme: str = "http", **headers: str | None) -> tuple[int, list[str]]:
    """One POST to the routes; the status and the Set-Cookie headers of the answer."""
    sent = {"host": "cruscotto.test", "origin": "http://cruscotto.test", "content-type": "application/json",
            "sec-fetch-site": "same-origin"}
    sent.update({k.replace("_", "-"): v for k, v in headers.items()})
    scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(), "scheme": scheme,
             "query_string": b"", "root_path": "", "http_version": "1.1", "server": ("cruscotto.test", 80),
             "client": ("10.0.0.1", 50000),
             "headers": [(k.encode(), v.encode()) for k, v in sent.items() if v is not None]}
    chunks, answer = [body], []

    async def receive():
        return {"type": "http.request", "body": chunks.pop(0), "more_body": False} if chunks else {"type": "http.disconnect"}

    async def send(message):
        answer.append(message)

    # On a thread of its own: in the whole suite Playwright's session-wide browser keeps an event loop running
    # in this thread, and asyncio.run() refuses to start another one there.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(Starlette(routes=session_cookie.ROUTES)(scope, receive, send))).result()
    start = answer[0]
    return start["status"], [v.decode() for k, v in start["headers"] if k.decode().lower() == "set-cookie"]


def test_the_code_buys_an_httponly_strict_cookie_once(file_db):
    opened = sessions.begin(file_db, "segretario", "CCIAA-LU")
    status, cookies = post(session_cookie.OPEN_PATH, f'{{"codice": "{opened.code}"}}'.encode())
    assert status == 204 and len(cookies) == 1
    cookie = cookies[0]
    name, token = cookie.split(";")[0].split("=", 1)
    assert name == session_cookie.COOKIE
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert f"Max-Age={sessions.MAX_HOURS * 3600}" in cookie and "Secure" not in cookie  # plain http
    assert sessions.resume(file_db, token).username == "segretario"
    assert post(session_cookie.OPEN_PATH, f'{{"codice": "{opened.code}"}}'.encode()) == (401, [])  # used


def test_secure_over_https_and_behind_a_trusted_proxy_only(file_db, monkeypatch):
    def cookie(**kw):
        opened = sessions.begin(file_db, "oiv", "CCIAA-LU")
        return post(session_cookie.OPEN_PATH, f'{{"codice": "{opened.code}"}}'.encode(), **kw)[1][0]

    assert "Secure" in cookie(scheme="https", origin="https://cruscotto.test")
    assert "Secure" not in cookie(x_forwarded_proto="https")  # no proxy configured: a client's own header
    monkeypatch.setenv("KPI_CLIENT_IP_HEADER", "X-Forwarded-For")
    assert "Secure" in cookie(x_forwarded_proto="https", origin="https://cruscotto.test")


def test_other_origins_and_bad_codes_get_no_cookie(file_db):
    opened = sessions.begin(file_db, "segretario", "CCIAA-LU")
    good = f'{{"codice": "{opened.code}"}}'.encode()
    for headers in [{"origin": "https://attaccante.example"},  # another site's page
                    {"origin": None},                           # no Origin at all
                    {"sec_fetch_site": "cross-site"}, {"sec_fetch_site": "same-site"}]:
        assert post(session_cookie.OPEN_PATH, good, **headers) == (403, []), headers
    assert sessions.pending(file_db, opened.id)  # the code was not spent
    for body, content_type in [(b'{"codice": "inventato"}', "application/json"), (b"not json", "application/json"),
                               (b'["x"]', "application/json"), (b'{"codice": 12}', "application/json"),
                               (b'{"codice": "' + b"x" * 5000 + b'"}', "application/json"),
                               (good.replace(b'{"codice": ', b"codice=")[:-1], "application/x-www-form-urlencoded")]:
        assert post(session_cookie.OPEN_PATH, body, content_type=content_type) == (401, []), body[:40]
    assert sessions.pending(file_db, opened.id)


def test_logout_route_ends_the_session_and_clears_the_cookie(file_db):
    _, token = logged_in(file_db, when=dt.datetime.now())
    status, cookies = post(session_cookie.CLOSE_PATH, cookie=f"{session_cookie.COOKIE}={token}")
    assert status == 204 and cookies[0].startswith(f'{session_cookie.COOKIE}="";') and "Max-Age=0" in cookies[0]
    assert sessions.resume(file_db, token) is None
    _, other = logged_in(file_db, when=dt.datetime.now())
    assert post(session_cookie.CLOSE_PATH, origin="https://attaccante.example",
                cookie=f"{session_cookie.COOKIE}={other}") == (403, [])
    assert sessions.resume(file_db, other) is not None


def test_the_page_says_logged_in_only_once_the_browser_has_the_cookie(db_file, monkeypatch):
    """The run after the login drew the page (Esci) and only then handed the code to the browser: with a slow
    exchange (a busy server, PostgreSQL) a reload or an address typed at once found no cookie and showed the login
    form again (the journey test_a_disabled_users_open_tab_is_logged_out on PostgreSQL). Now that run hands the
    code over first and draws the page once the browser (here a stand-in, 1,5 s late) has the cookie."""
    import streamlit
    from streamlit.testing.v1 import AppTest

    from tests.test_pages import APP

    users.add_user(db.connect(db_file), "resp.ri", "responsabile", "CCIAA-LU", ["RI"], "password-resp")
    seen, browser = {}, []
    handed = session_cookie.hand_over_script

    def hand_over_script(code: str) -> str:  # the browser runs the script: it POSTs the code, late
        def exchange():
            time.sleep(1.5)
            status, cookies = post(session_cookie.OPEN_PATH, f'{{"codice": "{code}"}}'.encode())
            seen["cookie"] = (status, len(cookies), time.monotonic())
        browser.append(threading.Thread(target=exchange))
        browser[-1].start()
        return handed(code)

    drawn = streamlit.button

    def button(label, *args, **kwargs):
        if label == "Esci":
            seen.setdefault("esci", time.monotonic())
        return drawn(label, *args, **kwargs)

    monkeypatch.setattr(session_cookie, "hand_over_script", hand_over_script)
    monkeypatch.setattr(streamlit, "button", button)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.text_input[0].input("resp.ri")
    at.text_input[1].input("password-resp")
    at.button[0].click().run()
    for thread in browser:
        thread.join(30)
    assert not at.exception, at.exception
    assert at.sidebar.button[0].label == "Esci" and len(browser) == 1
    status, n_cookies, cookie_at = seen["cookie"]
    assert status == 204 and n_cookies == 1
    assert seen["esci"] > cookie_at  # «logged in» only once the cookie was set
    assert not sessions.pending(db.connect(db_file), at.session_state["_sessione"])


def test_the_scripts_carry_only_the_code():
    script = session_cookie.hand_over_script("abc-DEF_123")
    assert '"/api/sessione"' in script and "abc-DEF_123" in script and "credentials: 'same-origin'" in script
    assert "document.cookie" not in script and "/api/sessione/esci" in session_cookie.clear_script()


@pytest.mark.file_store("the file let go of between uses (db.hold); PostgreSQL is never held")
def test_the_routes_let_go_of_the_file_after_use(tmp_path, monkeypatch):
    """The cookie's routes run outside a page run: they hold the file as a page run does, so a CLI command
    waiting for it gets it once they are done (they kept it open for the life of the server otherwise)."""
    path = tmp_path / "kpi.duckdb"
    monkeypatch.setenv("KPI_DB", str(path))
    monkeypatch.setattr(db, "RELEASE_AFTER", 0.2)
    opened = sessions.begin(db.connect(path), "segretario", "CCIAA-LU")
    db.close(path)
    try:
        status, _ = post(session_cookie.OPEN_PATH, f'{{"codice": "{opened.code}"}}'.encode())
        assert status == 204
        deadline = time.monotonic() + 10
        while db.attached(path) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not db.attached(path)
    finally:
        db.close(path)
