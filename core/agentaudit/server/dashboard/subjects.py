"""The dashboard's data-subject requests (GDPR Art. 15 and 17; docs/subjects.md): search a
person's identifier to list the events that carried it, each linking to its event page, and
erase their payloads in one request.

The value is posted in a form body (never in a URL, as over REST) and is never written back into
a page: the results say how many events matched, not for what. Erasing asks for the value again
with an explicit confirmation, so no page has to carry it in a hidden field. Both go through the
functions the REST routes use (`subjects.search_page`, `subjects.erase_result`); the erasure is
chained naming the signed-in user's API key, as a policy change from the dashboard is.
"""

from __future__ import annotations

from typing import Any, get_args

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from agentaudit import subjects
from agentaudit.models import SubjectErasure, SubjectPage
from agentaudit.server.dashboard import auth
from agentaudit.server.dashboard.auth import CSRF_FIELD
from agentaudit.server.dashboard.pages import audit_service, csrf_refused, read_form, render
from agentaudit.server.dashboard.policy_history import dashboard_actor
from agentaudit.server.dashboard.sessions import Session
from agentaudit.store.subject_index import SubjectIndex
from agentaudit.subjects import SubjectType

router = APIRouter(include_in_schema=False)  # included by routes.py, under its /dashboard
ROWS = 200  # events a search lists (the REST route's largest page)
TYPES: tuple[str, ...] = get_args(SubjectType)
MAX_VALUE = 1000


def _page(
    request: Request,
    session: Session,
    *,
    status: int = 200,
    found: SubjectPage | None = None,
    erased: SubjectErasure | None = None,
    typ: str = "",
    errors: list[str] | None = None,
) -> Response:
    return render(
        request,
        "subjects.html",
        session,
        status=status,
        title="Data subjects",
        types=TYPES,
        typ=typ,
        found=found,
        erased=erased,
        errors=errors or [],
        indexed=isinstance(audit_service(request).store, SubjectIndex),
    )


@router.get("/subjects")
def subjects_page(request: Request) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    return _page(request, session)


def _read_request(form: Any) -> tuple[str, str | None, list[str]]:
    """The value and type of a posted form, and what is wrong with them (never the value)."""
    value = str(form.get("value") or "")
    typ = str(form.get("type") or "") or None
    errors = []
    if not value.strip():
        errors.append("Enter the identifier to look for (an e-mail, a phone number, an IBAN, …).")
    elif len(value) > MAX_VALUE or "\x00" in value:
        errors.append(f"The identifier must be at most {MAX_VALUE} characters.")
    if typ is not None and typ not in TYPES:
        errors.append("Choose a type from the list, or none.")
        typ = None
    return value, typ, errors


@router.post("/subjects")
async def subjects_post(request: Request) -> Response:
    """`op=search` lists the matching events; `op=erase` (with `confirm`) erases them."""
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    form, refused = await read_form(request)
    if refused is not None:
        return refused
    if not auth.csrf_ok(session.csrf, form.get(CSRF_FIELD)):
        return csrf_refused(request)
    store = audit_service(request).store
    if not isinstance(store, SubjectIndex):
        return _page(request, session, status=501, errors=["This store keeps no subject index."])
    value, typ, errors = _read_request(form)
    op = form.get("op")
    if op == "erase" and form.get("confirm") != "yes":
        errors.append("Tick the confirmation to erase: an erasure cannot be undone.")
    if op not in ("search", "erase"):
        errors.append("Unknown request.")
    if errors:
        return _page(request, session, status=422, typ=typ or "", errors=errors)
    if op == "search":
        found = await run_in_threadpool(
            lambda: subjects.search_page(store, session.org_id, value, typ, limit=ROWS)
        )
        return _page(request, session, found=found, typ=typ or "")
    actor = await run_in_threadpool(dashboard_actor, request, session)
    done = await run_in_threadpool(
        lambda: subjects.erase_result(store, session.org_id, value, typ, actor=actor)
    )
    return _page(request, session, erased=done, typ=typ or "")
