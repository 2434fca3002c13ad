"""The dashboard's policy history: every version with who changed it, when, through what, and
a readable diff of the fields that changed (policy_history.py); one version's page shows the
policy in full, which the event page links to as the policy in force for its decision."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from agentaudit.server.dashboard import auth, queries
from agentaudit.server.dashboard.pages import audit_service, page_not_found, render
from agentaudit.server.dashboard.sessions import Session

router = APIRouter(include_in_schema=False)  # included by routes.py, under its /dashboard
PAGE_ROWS = 20


def dashboard_actor(request: Request, session: Session) -> str:
    """The signed-in user as the chain names them: the API key they signed in with."""
    key = queries.key_of_hash(audit_service(request).store, session.org_id, session.key_hash)
    key_id, prefix = key if key is not None else ("?", "?")
    return f"dashboard user, api key {prefix} (id {key_id})"


def shown(value: Any) -> str:
    """A policy value as the diff shows it: compact JSON ("absent" when missing)."""
    if value is None:
        return "null"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@router.get("/policy/history")
async def history_page(request: Request) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    try:
        page = min(max(1, int(request.query_params.get("page", "1"))), 10**9)
    except ValueError:
        page = 1
    service = audit_service(request)
    history = await run_in_threadpool(
        service.policy_history, session.org_id, PAGE_ROWS, (page - 1) * PAGE_ROWS
    )
    pages = max(1, -(-history.total // PAGE_ROWS))
    return render(
        request,
        "policy_history.html",
        session,
        title="Policy history",
        history=history,
        page=page,
        pages=pages,
        shown=shown,
    )


@router.get("/policy/history/{version}")
async def version_page(request: Request, version: str) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    service = audit_service(request)
    found = None
    if version.isdigit() and len(version) < 10:
        found = await run_in_threadpool(service.policy_version, session.org_id, int(version))
    if found is None:
        return page_not_found(request, session, f"No policy version {version!r}.")
    current = (await run_in_threadpool(service.policy_in_force, session.org_id))[1]
    return render(
        request,
        "policy_version.html",
        session,
        title=f"Policy version {found.version}",
        v=found,
        current_version=current,
        policy_json=json.dumps(found.new, indent=2, ensure_ascii=False),
        shown=shown,
    )
