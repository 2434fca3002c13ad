"""/v1/approvals: the requests of calls held for review, and a human's decision on each.

A call whose decision is `review` waits; its answer carries `approval_id`. `GET` shows the
request's state (pending, approved, denied, expired = deny); `POST` decides it once, by a key of
the organisation (the policy's `approvers`, when set, names which keys may), and the outcome is
chained as its own event naming the approver. Another organisation's request is a 404 like an
unknown one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from agentaudit.approvals import (
    Approval,
    ApprovalClosed,
    ApprovalDecisionIn,
    ApprovalNotFound,
    ApprovalState,
)
from agentaudit.server import openapi_docs as docs
from agentaudit.server.deps import OrgId, authenticate, bearer, parse_model, read_body
from agentaudit.server.deps import service as get_service
from agentaudit.server.errors import ApiError
from agentaudit.server.keys import key_prefix
from agentaudit.service import AuditService

router = APIRouter(prefix="/v1/approvals", tags=["approvals"])
DECISION_BODY_LIMIT = 16 * 1024
MAX_OFFSET = 2**53


class ApprovalPage(BaseModel):
    approvals: list[Approval]
    limit: int
    offset: int


def _not_found(approval_id: str) -> ApiError:
    return ApiError(404, f"no approval {approval_id!r} in this organisation")


def _approver(service: AuditService, org_id: str, request: Request) -> str:
    """Who decides, as the outcome record names them: the calling key (prefix and id). 403
    when the policy's `approvers` is set and does not name this key."""
    prefix = key_prefix(bearer(request) or "")
    key = next((k for k in service.store.list_api_keys(org_id) if k.prefix == prefix), None)
    allowed = service.policy(org_id).approvers
    if allowed and not (prefix in allowed or (key is not None and key.id in allowed)):
        raise ApiError(
            403, f"api key {prefix} may not decide approvals: the policy's approvers name others"
        )
    return f"api key {prefix}" + (f" (id {key.id})" if key is not None else "")


@router.get("", response_model=ApprovalPage, responses=docs.errors(401, 422, 503))
def list_approvals(
    request: Request,
    org_id: OrgId,
    state: Annotated[
        ApprovalState | None,
        Query(description="pending (open), approved, denied or expired; all when absent"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ApprovalPage:
    """The organisation's approval requests, newest first."""
    found = get_service(request).list_approvals(org_id, state, limit, offset)
    return ApprovalPage(approvals=found, limit=limit, offset=offset)


@router.get("/{approval_id}", response_model=Approval, responses=docs.errors(401, 404, 503))
def get_approval(request: Request, org_id: OrgId, approval_id: str) -> Approval:
    """One request: its state, decision, approver, comment, expiry, held event and digest."""
    found = None
    if "\x00" not in approval_id:
        found = get_service(request).get_approval(org_id, approval_id)
    if found is None:
        raise _not_found(approval_id)
    return found


@router.post(
    "/{approval_id}",
    response_model=Approval,
    responses={
        **docs.errors(400, 401, 404, 413, 415, 422, 503),
        403: {"description": "the policy's approvers do not name this key"},
        409: {"description": "the request was decided already or has expired (= denied)"},
    },
    openapi_extra=docs.json_body(
        "ApprovalDecisionIn",
        '{"decision": "approve" | "deny", "comment": "…"}; decided once, chained as an event.',
    ),
)
async def decide_approval(request: Request, approval_id: str) -> Approval:
    """Approve or deny a held call; 409 when it was decided already or expired."""
    org_id = authenticate(request)
    body = parse_model(await read_body(request, DECISION_BODY_LIMIT), ApprovalDecisionIn)
    if "\x00" in approval_id:
        raise _not_found(approval_id)
    service = get_service(request)
    try:
        approver = await run_in_threadpool(_approver, service, org_id, request)
        decided = await run_in_threadpool(
            service.decide_approval, org_id, approval_id, body.decision, approver, body.comment
        )
    except ApprovalNotFound:
        raise _not_found(approval_id) from None
    except ApprovalClosed as exc:
        raise ApiError(409, str(exc)) from None
    if decided.outcome_event_id is not None:  # the outcome alerts (webhooks' `approval`)
        outcome = await run_in_threadpool(service.get_event, org_id, decided.outcome_event_id)
        if outcome is not None:
            request.app.state.webhooks.notify(org_id, [outcome])
    return decided
