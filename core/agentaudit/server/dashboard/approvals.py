"""The dashboard's approval queue: calls held for review, each with its classification, an
optional comment and Approve / Deny buttons, and the requests decided recently.

A dashboard user is the API key they signed in with: deciding names them in the chained outcome
as "dashboard user, api key <prefix> (id <id>)", and the policy's `approvers` (key ids or
prefixes) applies exactly as over REST: when it is set and does not name that key, the page shows
the queue without buttons and a decision is refused (403). Every form carries the session's CSRF
token. Deciding goes through `AuditService.decide_approval`, like the API.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import ValidationError as PydanticValidationError

from agentaudit.approvals import (
    Approval,
    ApprovalClosed,
    ApprovalDecisionIn,
    ApprovalNotFound,
    ApprovalState,
)
from agentaudit.models import Event, RuleMatch
from agentaudit.server.dashboard import auth, queries
from agentaudit.server.dashboard.auth import CSRF_FIELD, PREFIX
from agentaudit.server.dashboard.pages import audit_service, csrf_refused, read_form, render
from agentaudit.server.dashboard.sessions import Session

router = APIRouter(include_in_schema=False)  # included by routes.py, under its /dashboard
QUEUE_ROWS = 200
RECENT_ROWS = 20
DECIDED_STATES = (ApprovalState.APPROVED, ApprovalState.DENIED, ApprovalState.EXPIRED)


@dataclass(frozen=True)
class Decider:
    """The signed-in user as an approver: the label the outcome records, and whether the
    policy's `approvers` let them decide (`refusal` says why not)."""

    label: str
    refusal: str | None


@dataclass(frozen=True)
class HeldCall:
    """A pending request with what the queue shows of its held call (secrets masked)."""

    approval: Approval
    event: Event | None
    reason: str | None
    matches: list[RuleMatch]
    expires_in: str


def decider(request: Request, session: Session) -> Decider:
    service = audit_service(request)
    key = queries.key_of_hash(service.store, session.org_id, session.key_hash)
    key_id, prefix = key if key is not None else ("?", "?")
    label = f"dashboard user, api key {prefix} (id {key_id})"
    allowed = service.policy(session.org_id).approvers
    if allowed and not (prefix in allowed or key_id in allowed):
        return Decider(
            label,
            f"You signed in with api key {prefix}, which may not decide approvals: "
            "the policy's approvers name other keys.",
        )
    return Decider(label, None)


def countdown(expires_at: datetime, now: datetime) -> str:
    """ "expires in 14 min 5 s" (as text: the page does not tick)."""
    left = int((expires_at - now).total_seconds())
    if left <= 0:
        return "expired"
    days, rest = divmod(left, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else ""]
    parts += [f"{minutes} min" if minutes else "", f"{seconds} s" if seconds and not days else ""]
    return "expires in " + " ".join(p for p in parts if p)


def _held(request: Request, session: Session, approval: Approval, now: datetime) -> HeldCall:
    from agentaudit.server.dashboard.routes import _payload_view  # routes includes this module

    service = audit_service(request)
    event = service.get_event(session.org_id, approval.event_id)
    if event is None:
        return HeldCall(approval, None, None, [], countdown(approval.expires_at, now))
    view = _payload_view(service, session.org_id, event)  # never a secret value in clear
    return HeldCall(approval, event, view.reason, view.matches, countdown(approval.expires_at, now))


def _recent(request: Request, org_id: str) -> list[Approval]:
    service = audit_service(request)
    found = [a for s in DECIDED_STATES for a in service.list_approvals(org_id, s, RECENT_ROWS)]
    found.sort(key=lambda a: a.decided_at or a.expires_at, reverse=True)
    return found[:RECENT_ROWS]


def _page(
    request: Request,
    session: Session,
    *,
    status: int = 200,
    errors: list[str] | None = None,
    notice: str | None = None,
) -> Response:
    now = datetime.now(UTC)
    pending = audit_service(request).list_approvals(
        session.org_id, ApprovalState.PENDING, QUEUE_ROWS
    )
    return render(
        request,
        "approvals.html",
        session,
        status=status,
        title="Approvals",
        held=[_held(request, session, a, now) for a in pending],
        recent=_recent(request, session.org_id),
        decider=decider(request, session),
        errors=errors or [],
        notice=notice,
    )


async def _page_off_loop(request: Request, session: Session, **kwargs: Any) -> Response:
    """`_page` from an async route: its store reads run in the thread pool."""
    return await run_in_threadpool(functools.partial(_page, request, session, **kwargs))


def _done_notice(request: Request, session: Session) -> str | None:
    done = request.query_params.get("done")
    if not done or "\x00" in done:
        return None
    approval = audit_service(request).get_approval(session.org_id, done)
    if approval is None or approval.state not in (ApprovalState.APPROVED, ApprovalState.DENIED):
        return None
    return (
        f"{approval.action} by {approval.agent_id} {approval.state.value} by {approval.approver}."
    )


@router.get("/approvals")
def approvals_page(request: Request) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    return _page(request, session, notice=_done_notice(request, session))


@router.post("/approvals/{approval_id}")
async def approval_decide(request: Request, approval_id: str) -> Response:
    """Approve or deny one held call; a decided or expired request gets a message (409)."""
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    form, refused = await read_form(request)
    if refused is not None:
        return refused
    if not auth.csrf_ok(session.csrf, form.get(CSRF_FIELD)):
        return csrf_refused(request)
    comment = str(form.get("comment") or "").strip() or None
    try:
        body = ApprovalDecisionIn.model_validate(
            {"decision": str(form.get("decision") or ""), "comment": comment}
        )
    except PydanticValidationError as exc:
        errors = [
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in exc.errors(include_url=False, include_input=False)
        ]
        return await _page_off_loop(request, session, status=422, errors=errors)
    who = await run_in_threadpool(decider, request, session)
    if who.refusal is not None:
        return await _page_off_loop(request, session, status=403, errors=[who.refusal])
    service = audit_service(request)
    try:
        if "\x00" in approval_id:
            raise ApprovalNotFound(approval_id)
        decided = await run_in_threadpool(
            service.decide_approval,
            session.org_id,
            approval_id,
            body.decision,
            who.label,
            body.comment,
        )
    except ApprovalNotFound:
        msg = f"No approval request {approval_id!r} in this organisation."
        return await _page_off_loop(request, session, status=404, errors=[msg])
    except ApprovalClosed as exc:
        closed = exc.approval
        if closed.state == ApprovalState.EXPIRED:
            msg = (
                f"This request expired at {closed.expires_at:%Y-%m-%d %H:%M:%S} UTC, "
                "so the call was denied; it can no longer be decided."
            )
        else:
            msg = (
                f"This request was already {closed.state.value} by {closed.approver}; "
                "a request is decided once."
            )
        return await _page_off_loop(request, session, status=409, errors=[msg])
    if decided.outcome_event_id is not None:  # the outcome alerts (webhooks' `approval`)
        outcome = await run_in_threadpool(
            service.get_event, session.org_id, decided.outcome_event_id
        )
        if outcome is not None:
            request.app.state.webhooks.notify(session.org_id, [outcome])
    return RedirectResponse(f"{PREFIX}/approvals?done={decided.id}", status_code=303)
