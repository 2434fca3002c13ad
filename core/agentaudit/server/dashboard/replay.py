"""The dashboard's replay page: try a candidate policy (changes to the current one, as JSON) on
the calls stored in a period and see what would change — counts per change kind, rule, agent,
action and override, with example events — before saving it. Nothing is written: the same
`replay` as `POST /v1/policy/replay` and `agentaudit policy replay`.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError as PydanticValidationError

from agentaudit.policy import merge_policy
from agentaudit.replay import ReplayReport, ReplayRequest, replay
from agentaudit.server.dashboard import auth
from agentaudit.server.dashboard.auth import CSRF_FIELD
from agentaudit.server.dashboard.pages import audit_service, csrf_refused, read_form, render
from agentaudit.server.dashboard.sessions import Session

router = APIRouter(include_in_schema=False)  # included by routes.py, under its /dashboard
EXAMPLE = '{"block_on": "high"}'


def _page(
    request: Request,
    session: Session,
    *,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: list[str] | None = None,
    report: ReplayReport | None = None,
) -> Response:
    return render(
        request,
        "replay.html",
        session,
        status=status,
        title="Policy replay",
        v=values or {"policy": EXAMPLE, "since": "", "until": ""},
        errors=errors or [],
        report=report,
    )


@router.get("/replay")
def replay_page(request: Request) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    return _page(request, session)


def _errors(exc: PydanticValidationError, prefix: str) -> list[str]:
    return [
        f"{'.'.join([prefix, *(str(p) for p in e['loc'])]).strip('.')}: {e['msg']}"
        for e in exc.errors(include_url=False, include_input=False)
    ]


@router.post("/replay")
async def replay_run(request: Request) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    form, refused = await read_form(request)
    if refused is not None:
        return refused
    if not auth.csrf_ok(session.csrf, form.get(CSRF_FIELD)):
        return csrf_refused(request)
    values = {k: str(form.get(k) or "").strip() for k in ("policy", "since", "until")}
    try:
        patch = json.loads(values["policy"] or "{}")
    except json.JSONDecodeError as exc:
        msg = f"policy: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        return _page(request, session, status=422, values=values, errors=[msg])
    body: dict[str, Any] = {"policy": patch}
    for key in ("since", "until"):
        if values[key]:
            body[key] = values[key]
    try:
        req = ReplayRequest.model_validate(body)
    except PydanticValidationError as exc:
        return _page(request, session, status=422, values=values, errors=_errors(exc, ""))
    service = audit_service(request)
    current = await run_in_threadpool(service.get_policy, session.org_id)
    try:
        candidate = merge_policy(current, req.policy)
    except PydanticValidationError as exc:
        return _page(request, session, status=422, values=values, errors=_errors(exc, "policy"))
    report = await run_in_threadpool(
        lambda: replay(
            service.store,  # type: ignore[arg-type]  # both stores read replay rows
            session.org_id,
            current,
            candidate,
            since=req.since,
            until=req.until,
            examples=req.examples,
        )
    )
    return _page(request, session, values=values, report=report)
