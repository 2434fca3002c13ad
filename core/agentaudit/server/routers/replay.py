"""POST /v1/policy/replay: what a candidate policy would change on the stored calls."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError as PydanticValidationError

from agentaudit.policy import merge_policy
from agentaudit.replay import ReplayReport, ReplayRequest, replay
from agentaudit.server import openapi_docs as docs
from agentaudit.server.deps import POLICY_BODY_LIMIT, authenticate, parse_object, read_body
from agentaudit.server.deps import service as get_service
from agentaudit.server.errors import ApiError, field_errors

router = APIRouter(prefix="/v1/policy", tags=["policy"])


@router.post(
    "/replay",
    response_model=ReplayReport,
    responses=docs.errors(400, 401, 413, 415, 422, 503),
    openapi_extra=docs.json_body(
        "ReplayRequest",
        "policy: the candidate, a full policy or changes to the current one (merged as PUT "
        "/v1/org/policy merges); since/until: the period (ISO 8601); examples: event ids per "
        "change kind. Nothing is changed.",
    ),
)
async def replay_policy(request: Request) -> ReplayReport:
    org_id = authenticate(request)
    body = parse_object(await read_body(request, POLICY_BODY_LIMIT))
    try:
        req = ReplayRequest.model_validate(body)
    except PydanticValidationError as exc:
        raise ApiError(422, field_errors(exc, ("body",))) from None
    service = get_service(request)
    current = await run_in_threadpool(service.get_policy, org_id)
    try:
        candidate = merge_policy(current, req.policy)
    except PydanticValidationError as exc:
        raise ApiError(422, field_errors(exc, ("body", "policy"))) from None
    return await run_in_threadpool(
        replay,
        service.store,
        org_id,
        current,
        candidate,
        since=req.since,
        until=req.until,
        examples=req.examples,
    )
