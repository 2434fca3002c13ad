"""What every dashboard page shares: the layout (Jinja templates), the static files, the
security headers, form reading and the error pages.

Kept apart from the routes so the page modules (routes.py, ai_act.py) can each use it without
importing one another.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from agentaudit.server.dashboard.auth import CSRF_FIELD
from agentaudit.server.dashboard.sessions import Session
from agentaudit.service import AuditService

_HERE = Path(__file__).parent
FORM_LIMIT = 64 * 1024

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


# -- templates and static files ---------------------------------------------------------------
def _when(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


templates = Environment(
    loader=FileSystemLoader(_HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters["when"] = _when

_STATIC_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}


def _load_static() -> dict[str, tuple[bytes, str, str]]:
    """Every static file, read once: name → (bytes, media type, ETag). Only these are served."""
    out = {}
    for path in sorted((_HERE / "static").iterdir()):
        if path.suffix in _STATIC_TYPES:
            body = path.read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            out[path.name] = (body, _STATIC_TYPES[path.suffix], etag)
    return out


STATIC = _load_static()
STATIC_VERSION = hashlib.sha256(b"".join(v[2].encode() for v in STATIC.values())).hexdigest()[:8]


def audit_service(request: Request) -> AuditService:
    return request.app.state.service


def _org_name(service: AuditService, org_id: str) -> str:
    get_org = getattr(service.store, "get_org", None)
    org = get_org(org_id) if get_org is not None else None
    return org.name if org is not None else org_id


def render(
    request: Request,
    template: str,
    session: Session | None,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page with the shared layout, the CSRF token of the session and the security headers."""
    org = _org_name(audit_service(request), session.org_id) if session is not None else None
    html = templates.get_template(template).render(
        session=session,
        org_name=org,
        csrf=session.csrf if session is not None else "",
        csrf_field=CSRF_FIELD,
        static_version=STATIC_VERSION,
        path=request.url.path,
        **context,
    )
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def page_not_found(
    request: Request, session: Session, what: str, status: int = 404, title: str = "Not found"
) -> HTMLResponse:
    """The signed-in error page: 404 by default, or another status (a form it cannot take)."""
    return render(request, "not_found.html", session, status=status, title=title, what=what)


async def read_form(request: Request) -> tuple[Any, Response | None]:
    """The posted form, or an error page when it is too big or not a form."""
    length = request.headers.get("content-length")
    if length is None or not length.isdigit() or int(length) > FORM_LIMIT:
        return None, Response("form missing or larger than 64 KiB", status_code=413)
    media = (request.headers.get("content-type") or "").partition(";")[0].strip().lower()
    if media not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return None, Response("expected a form", status_code=415)
    return await request.form(max_files=0, max_fields=500), None


def csrf_refused(request: Request) -> HTMLResponse:
    return render(
        request,
        "message.html",
        None,
        status=403,
        title="Form expired",
        message="The form's security token did not match. Reload the page and try again.",
    )
