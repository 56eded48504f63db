"""The session cookie: the two HTTP routes that set and clear it, and the scripts a page uses to call them.

Streamlit talks to the browser over a WebSocket, which cannot set cookies, so after a login the page runs a
tiny script that POSTs the one-time code (core/sessions.py) to `/api/sessione`; the answer sets the session
token as a cookie that is HttpOnly (no script reads it, not even ours), SameSite=Strict (no other site's page
sends it) and Path=/, Secure when the request came over https (directly, or per the X-Forwarded-Proto of a
trusted proxy: the KPI_CLIENT_IP_HEADER set-up, see web/client.py). `/api/sessione/esci` ends the session the
cookie names and clears it. Both answer only requests from the dashboard's own pages (Origin and
Sec-Fetch-Site checked) with a JSON body (so another site cannot even send one without a CORS preflight).
The routes are mounted by web/server.py.
"""
from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.core import config, db, sessions
from dashboard.core.errors import DatabaseBusy

COOKIE = "cruscotto_sessione"
OPEN_PATH, CLOSE_PATH = "/api/sessione", "/api/sessione/esci"
MAX_BODY = 1024  # bytes: a code is 43 characters


def _behind_proxy_header(request: Request, name: str) -> str | None:
    """A header a trusted proxy adds (only when one is configured); its last value, the proxy's own."""
    if not config.client_ip_header():
        return None
    value = request.headers.get(name)
    return value.split(",")[-1].strip().lower() if value else None


def secure(request: Request) -> bool:
    return request.url.scheme == "https" or _behind_proxy_header(request, "x-forwarded-proto") == "https"


def same_origin(request: Request) -> bool:
    """A request made by one of our own pages: the browser says so (Sec-Fetch-Site) and its Origin is us."""
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return False
    origin = request.headers.get("origin")
    if not origin:
        return False
    hosts = {request.headers.get("host"), _behind_proxy_header(request, "x-forwarded-host")}
    return urlsplit(origin).netloc.lower() in {h.lower() for h in hosts if h}


async def _small_json(request: Request) -> dict | None:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _held(action, *args):
    """`action(cursor, *args)` holding the file as a page run does, so that it is let go after (a CLI command may
    be waiting for it), instead of keeping it open for the life of the process."""
    with db.hold():
        return action(db.cursor(), *args)


def _empty(status: int) -> Response:
    return Response(status_code=status, headers={"Cache-Control": "no-store"})


async def open_session(request: Request) -> Response:
    """POST {"codice": …}: the one-time code exchanged for the session cookie (once)."""
    if not same_origin(request):
        return _empty(403)
    data = await _small_json(request)
    code = data.get("codice") if data else None
    try:
        token = await run_in_threadpool(_held, sessions.redeem, code if isinstance(code, str) else None)
    except DatabaseBusy:
        return _empty(503)  # the page offers the code again on its next run
    if token is None:
        return _empty(401)
    response = _empty(204)
    response.set_cookie(COOKIE, token, max_age=sessions.MAX_HOURS * 3600, path="/", secure=secure(request),
                        httponly=True, samesite="strict")
    return response


async def close_session(request: Request) -> Response:
    """POST {}: the session the cookie names is ended and the cookie cleared."""
    if not same_origin(request) or await _small_json(request) is None:
        return _empty(403)
    token = request.cookies.get(COOKIE)
    if token:
        try:
            await run_in_threadpool(_held, sessions.revoke_token, token, "uscita")
        except DatabaseBusy:
            return _empty(503)
    response = _empty(204)
    response.delete_cookie(COOKIE, path="/", secure=secure(request), httponly=True, samesite="strict")
    return response


ROUTES = [Route(OPEN_PATH, open_session, methods=["POST"]), Route(CLOSE_PATH, close_session, methods=["POST"])]


def _post(path: str, body: dict) -> str:
    # json.dumps quotes the values; a code is URL-safe base64, so it cannot close the script element.
    return (f"<script>fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', cache: 'no-store', "
            f"headers: {{'Content-Type': 'application/json'}}, body: {json.dumps(json.dumps(body))}}});</script>")


def hand_over_script(code: str) -> str:
    """The script that exchanges the one-time code for the cookie (run once, right after the login)."""
    return _post(OPEN_PATH, {"codice": code})


def clear_script() -> str:
    """The script that ends the cookie's session and clears the cookie (after a logout)."""
    return _post(CLOSE_PATH, {})
