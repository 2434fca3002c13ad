"""Sign-in state of a dashboard request: the session cookie, CSRF tokens, safe redirects.

Forms of a signed-in user carry the session's CSRF token (synchronizer token, checked against the
server-side session). The sign-in form, which has no session yet, uses a double-submit token: a
random cookie that the form must repeat. Both cookies are HttpOnly and SameSite=Strict.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from agentaudit.server.dashboard.sessions import Session, Sessions, StoreSessions
from agentaudit.store import SessionStore

PREFIX = "/dashboard"
SESSION_COOKIE = "aa_dash_session"
LOGIN_CSRF_COOKIE = "aa_dash_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def sessions(request: Request) -> Sessions:
    """The app's sessions: in the audit store, so every server process shares them."""
    state = request.app.state
    kept: Sessions | None = getattr(state, "dashboard_sessions", None)
    if kept is None:
        store = state.service.store
        if not isinstance(store, SessionStore):
            raise TypeError(f"{type(store).__name__} cannot keep dashboard sessions")
        kept = StoreSessions(store)
        state.dashboard_sessions = kept
    return kept


def current_session(request: Request) -> Session | None:
    """The signed-in session, or None. A session whose key was revoked since ends here."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        return None
    store = sessions(request)
    session = store.get(session_id)
    if session is None:
        return None
    if request.app.state.service.store.org_for_key_hash(session.key_hash) != session.org_id:
        store.delete(session_id)
        return None
    return session


def csrf_ok(expected: str | None, presented: object) -> bool:
    """Constant-time comparison; a missing or non-text token never matches."""
    if not expected or not isinstance(presented, str) or not presented:
        return False
    return hmac.compare_digest(expected.encode(), presented.encode())


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    """An HttpOnly, SameSite=Strict cookie for the dashboard's paths only (Secure over HTTPS)."""
    response.set_cookie(
        name,
        value,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


def clear_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(
        name, path=PREFIX, httponly=True, samesite="strict", secure=_secure(request)
    )


def safe_next(target: str | None) -> str:
    """Where to go after sign-in: a dashboard path only (no open redirect)."""
    if (
        target
        and target.startswith(PREFIX)
        and not target.startswith("//")
        and "\\" not in target
        and all(c.isprintable() for c in target)
    ):
        return target
    return PREFIX + "/events"


def sign_in_redirect(request: Request) -> RedirectResponse:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{PREFIX}/login?next={quote(here, safe='/')}", status_code=303)
