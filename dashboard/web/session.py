"""Who is using this Streamlit session: local login, or an identity given by the platform.

Local accounts log in on the Accedi page (dashboard/core/auth.py). For deployment
behind a single sign-on, set KPI_AUTH:
- KPI_AUTH=oidc: Streamlit's own st.login() with an OpenID Connect provider
  configured in .streamlit/secrets.toml ([auth] section); st.user.email is mapped
  to the local account with that e-mail (roles and offices stay ours).
- KPI_AUTH=header: a trusted reverse proxy authenticates and passes the user name
  in a header (KPI_AUTH_HEADER, default X-Remote-User); only for proxies that strip
  that header from client requests.
A session ends after auth.IDLE_MINUTES without activity.

A local login survives a reload of the page (a new Streamlit session) through the session cookie
(core/sessions.py, web/session_cookie.py): at login the page hands the browser a one-time code that the
server exchanges for an HttpOnly cookie; a new session finds the cookie and restores the user, read again
from the database. Esci, or the idle timeout, ends it for every tab of that browser.
"""
from __future__ import annotations

import datetime as dt
import logging
import time

import streamlit as st

from dashboard.core import audit, auth, body_access, config, db, roles, sessions, users
from dashboard.core.errors import DatabaseTooNew, Refused
from dashboard.core.roles import User
from dashboard.web import cached, client, session_cookie, ui

KEY_USER, KEY_SEEN, KEY_DONE, KEY_CLEAR = "_utente", "_ultimo_accesso", "_fatto", "_da_svuotare"
# The login's row in `sessioni`, its one-time code until the browser has exchanged it, and "clear the cookie".
KEY_SESSION, KEY_CODE, KEY_FORGET = "_sessione", "_codice_sessione", "_cancella_cookie"
KEY_TRIED = "_cookie_letto"  # the cookie this tab has already looked up
KEY_JUST_IN = "_appena_entrato"  # the run right after the login form, which waits for the cookie (hand_over_cookie)
# How long that run waits for the browser to exchange the code before drawing the page (normally a round trip).
HAND_OVER_WAIT = 10.0
ENDED = ("La sessione è terminata (uscita da un'altra scheda, password cambiata, account disattivato o sessione "
         "scaduta): accedere di nuovo.")


def mode() -> str:
    return config.auth_mode()


def _platform_user() -> User | None:
    con = db.cursor()
    user = None
    if mode() == "oidc" and getattr(st.user, "is_logged_in", False) and st.user.get("email"):
        user = users.by_email(con, st.user.get("email"))
    if mode() == "header":
        name = st.context.headers.get(config.auth_header())
        user = users.get_user(con, name.strip().lower()) if name else None
    # A disabled account gets nothing through the platform either (core/accounts.py).
    return user if user is not None and users.is_active(con, user.username) else None


def _from_cookie(now: dt.datetime) -> User | None:
    """The user of the browser's session cookie, if it names a live session (a reload, another tab)."""
    token = st.context.cookies.get(session_cookie.COOKIE)
    # The cookie seen when this tab connected stays the same for its life: one look-up is enough.
    if not token or st.session_state.get(KEY_TRIED) == token:
        return None
    st.session_state[KEY_TRIED] = token
    con = db.cursor()
    resumed = sessions.resume(con, token, now)
    user = users.get_user(con, resumed.username) if resumed else None
    if user is None or user.ente != resumed.ente or not users.is_active(con, user.username):
        st.session_state[KEY_FORGET] = True  # a dead or forged cookie: the login form clears it
        return None
    st.session_state[KEY_USER], st.session_state[KEY_SESSION] = user, resumed.id
    return user


def current_user() -> User | None:
    """The logged-in user, or None (also when the session has been idle too long or ended elsewhere)."""
    now = dt.datetime.now()
    user = st.session_state.get(KEY_USER)
    if user is None and mode() == "local":
        user = _from_cookie(now)
    if user is None and mode() in ("oidc", "header"):
        user = _platform_user()
        if user is not None:
            st.session_state[KEY_USER] = user
            auth.platform_login(db.cursor(), user, "single sign-on" if mode() == "oidc" else "intestazione del proxy",
                                client.source())
    if user is not None and auth.expired(st.session_state.get(KEY_SEEN), now):
        logout(reason="sessione scaduta per inattività")
        st.session_state["_avviso"] = "La sessione è scaduta per inattività: accedere di nuovo."
        return None
    session_id = st.session_state.get(KEY_SESSION)
    # A local login ends with its session row (revoked by Esci elsewhere, a password change, a disabled
    # account); a platform login has none, so its account's state is read at every run.
    if user is not None and session_id is not None:
        ended = not sessions.touch(db.cursor(), session_id, now)
    else:
        ended = user is not None and mode() != "local" and not users.is_active(db.cursor(), user.username)
    if ended:
        # Esci in another tab of this browser, a password changed, the account disabled, or the session's end:
        # this tab is logged out as well.
        for key in (KEY_USER, KEY_SEEN, KEY_SESSION, KEY_CODE):
            st.session_state.pop(key, None)
        st.session_state["_avviso"] = ENDED
        return None
    if user is not None:
        st.session_state[KEY_SEEN] = now
    return user


def session_id() -> int | None:
    """This tab's login session (`sessioni`), if it has one: a local login's; a platform login has none."""
    return st.session_state.get(KEY_SESSION)


def start(user: User) -> None:
    """A local login: the Streamlit session's user, and a session the browser will hold as a cookie."""
    opened = sessions.begin(db.cursor(), user.username, user.ente)
    st.session_state[KEY_USER] = user
    st.session_state[KEY_SEEN] = dt.datetime.now()
    st.session_state[KEY_SESSION], st.session_state[KEY_CODE] = opened.id, opened.code
    st.session_state[KEY_JUST_IN] = True


def hand_over_cookie() -> None:
    """After a login, the script that exchanges the one-time code for the cookie; offered on every run
    until the server has exchanged it (a run cut short by a rerun may never have reached the browser).

    Called before anything of the logged-in page is drawn: the run right after the login waits (up to
    HAND_OVER_WAIT) until the browser holds the cookie. Otherwise the page said «logged in» while the exchange
    was still under way (slow on a busy server, more so on PostgreSQL), and a reload, an address typed or a
    link opened in a new tab at that moment found no cookie: the login form again, the code used up."""
    # A slot drawn every run, so the sidebar below it keeps its place once the script is no longer offered.
    slot = st.empty()
    code, session_id = st.session_state.get(KEY_CODE), st.session_state.get(KEY_SESSION)
    just_in = st.session_state.pop(KEY_JUST_IN, False)
    if code is None:
        return
    if session_id is None or not sessions.pending(db.cursor(), session_id):
        st.session_state.pop(KEY_CODE, None)
        return
    slot.html(session_cookie.hand_over_script(code), unsafe_allow_javascript=True)
    # Streamlit sends the script to the browser while this run waits; the cookie's route (another thread, or
    # another replica) marks the code used. Only once: a browser that never exchanges it (scripts blocked) is not
    # made to wait at every click.
    deadline = time.monotonic() + (HAND_OVER_WAIT if just_in else 0)
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if not sessions.pending(db.cursor(), session_id):
            st.session_state.pop(KEY_CODE, None)
            return


def logout(reason: str | None = None) -> None:
    user = st.session_state.pop(KEY_USER, None)
    st.session_state.pop(KEY_SEEN, None)
    st.session_state.pop(KEY_CODE, None)
    session_id = st.session_state.pop(KEY_SESSION, None)
    con = db.cursor()
    if session_id is not None:
        sessions.revoke(con, session_id, reason or "uscita")
    if mode() == "local":
        st.session_state[KEY_FORGET] = True
    if user is not None:
        audit.record(con, user.username, "uscita", user.username, ente=user.ente, motivo=reason)
    if mode() == "oidc" and getattr(st.user, "is_logged_in", False):
        st.logout()


def login_form() -> None:
    """The login form; on success the same page reruns, so a shared link opens its view after login."""
    st.title("Cruscotto Performance")
    st.caption("Accesso riservato al personale dell'ente e all'OIV.")
    # The notice and the cookie's clearing are shown in one run only: in slots drawn every run, so the form keeps
    # its place in the page and the browser keeps it. Drawn one place further down, the form was made anew while
    # the last run's copy still stood above it (two forms on the screen for a moment).
    notice_slot, script_slot = st.empty(), st.empty()
    if notice := st.session_state.pop("_avviso", None):
        notice_slot.info(ui.plain(notice))
    if st.session_state.pop(KEY_FORGET, False):
        script_slot.html(session_cookie.clear_script(), unsafe_allow_javascript=True)
    if mode() == "oidc":
        st.button("Accedi con il single sign-on", on_click=st.login, type="primary")
        if getattr(st.user, "is_logged_in", False):
            st.error(f"L'identità {ui.plain(st.user.get('email'))} non corrisponde ad alcun utente del cruscotto: "
                     "chiedere l'abilitazione a Programmazione e controllo.")
        return
    with st.form("accesso"):
        username = st.text_input("Nome utente", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Accedi", type="primary")
    if submitted:
        try:
            user = auth.login(db.cursor(), username, password, source=client.source())
        except auth.LoginError as exc:
            st.error(ui.plain(exc))
        else:
            start(user)
            st.rerun()


def require_user() -> User:
    """For pages: the logged-in user; otherwise the login form is shown here and the page stops."""
    user = current_user()
    if user is None:
        login_form()
        st.stop()
    return user


def require_allowed(action: str) -> User:
    """For pages that only some roles open (see roles.RULES): the user, or the refusal shown and the page
    stopped. A shared link to such a page opens it only for those roles, whatever the menu shows."""
    user = require_user()
    try:
        roles.require(user, action)
    except Refused as exc:
        refusal(exc)
        st.stop()
    return user


def body_user(action: str | None = None) -> tuple[User, str, str]:
    """For pages on one body's data: the logged-in user acting in the body picked (ui.pick_ente: only bodies it
    reads), read-only where it does not write (so write forms hide and writes are refused), with that body's
    offices; and the body's code and name. With `action`, the page's rule is checked again in that body."""
    user = require_allowed(action) if action else require_user()
    ente, nome = ui.pick_ente()
    try:
        acting = body_access.as_body(db.cursor(cached.path()), user, ente)
        if action:
            roles.require(acting, action)
    except Refused as exc:
        refusal(exc)
        st.stop()
    return acting, ente, nome


def refusal(exc: Refused) -> None:
    """How every page shows a refusal: its Italian message, as text (never markup)."""
    st.error(ui.plain(exc), icon=":material/block:")


def busy(exc: Exception) -> None:
    """The database is held by another process beyond the page's wait (a CLI import, another dashboard
    process): say so in Italian, never as a traceback, and offer to try again (a rerun of the same view)."""
    st.title("Cruscotto Performance")
    if isinstance(exc, DatabaseTooNew):  # waiting will not help: the administrator converts the file once
        st.error("Il database è stato scritto da una versione più recente di DuckDB (2.0) e questa versione del "
                 "cruscotto non può leggerlo: nessun dato è stato letto né modificato. L'amministratore deve "
                 "convertirlo una volta con scripts/migrate_duckdb2.sh (vedere il README, «Aggiornare da "
                 "duckdb 2.0»).", icon=":material/error:")
        logging.getLogger("dashboard.web").error("database scritto da duckdb 2.0: %s", exc)
        return
    st.warning("Il database è momentaneamente occupato da un'altra operazione (per esempio un'importazione "
               "dalla riga di comando): nessun dato è stato letto né modificato. Riprovare tra qualche istante.",
               icon=":material/hourglass_top:")
    # Who holds the file (path, PID) is for the log, not for a page the public may open.
    logging.getLogger("dashboard.web").warning("database occupato: %s", exc)
    st.button("Riprova", type="primary", icon=":material/refresh:")  # a click is a rerun of the same view


def write(action, done: str, clear: tuple[str, ...] = ()) -> None:
    """Run a write from a page: on a refusal show it and stay (what was typed stays, to be fixed); on success
    clear the cached reads, keep `done` to show after the rerun (a message given before st.rerun() would
    vanish), empty the widgets keyed `clear` (a comment box that kept its text would invite a duplicate)
    and rerun. E.g. a verdict form: st.text_area("Commento", key="commento") and
    session.write(lambda: reviews.record(...), "Verdetto registrato.", clear=("commento",))."""
    try:
        db.retrying(action)  # one transaction, run again if a concurrent write (another replica) refused it
    except Refused as exc:
        refusal(exc)
        return
    cached.clear()
    flash(done)
    st.session_state[KEY_CLEAR] = tuple(clear)
    st.rerun()


def flash(message: str) -> None:
    """A confirmation to show at the top of the next run (survives st.rerun()); for writes not run by write()."""
    st.session_state[KEY_DONE] = message


def show_done() -> None:
    """The confirmation of the last write, once, and the widgets it asked to empty emptied (called by the
    app before the page, so before those widgets exist in this run)."""
    for key in st.session_state.pop(KEY_CLEAR, ()):
        st.session_state.pop(key, None)
    slot = st.empty()  # drawn every run: the page below keeps its place when the confirmation goes
    if done := st.session_state.pop(KEY_DONE, None):
        slot.success(ui.plain(done), icon=":material/check_circle:")
