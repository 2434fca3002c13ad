"""GET/PUT /v1/org/policy: the organisation's policy; PUT merges a partial update."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError as PydanticValidationError

from agentaudit.models import Policy
from agentaudit.server import openapi_docs as docs
from agentaudit.server.deps import POLICY_BODY_LIMIT, OrgId, authenticate, parse_object, read_body
from agentaudit.server.deps import service as get_service
from agentaudit.server.errors import ApiError, field_errors

router = APIRouter(prefix="/v1/org", tags=["policy"])


@router.get("/policy", response_model=Policy, responses=docs.errors(401, 503))
def get_policy(request: Request, org_id: OrgId) -> Policy:
    return get_service(request).get_policy(org_id)


@router.put(
    "/policy",
    response_model=Policy,
    responses=docs.errors(400, 401, 413, 415, 422, 503),
    openapi_extra=docs.json_body(
        "PolicyPatch",
        "Any subset of the policy's fields. Nested objects (frameworks) merge field by field; "
        "lists and scalars replace. The merged policy is validated as a whole: on any error "
        "nothing is saved.",
    ),
)
async def put_policy(request: Request) -> Policy:
    org_id = authenticate(request)
    patch = parse_object(await read_body(request, POLICY_BODY_LIMIT))
    service = get_service(request)
    try:
        return await run_in_threadpool(service.update_policy, org_id, patch)
    except PydanticValidationError as exc:
        raise ApiError(422, field_errors(exc, ("body",))) from None
