"""GET/PUT /v1/org/policy: the organisation's policy; PUT merges a partial update and records
the change as the policy's next version, a chained event naming the API key that made it.
GET /v1/policy/history: those versions, newest first (policy_history.py)."""

from __future__ import annotations

import functools
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError as PydanticValidationError

from agentaudit.models import Policy
from agentaudit.policy_history import MAX_PAGE, PolicyHistory, PolicyVersion
from agentaudit.server import openapi_docs as docs
from agentaudit.server.deps import (
    POLICY_BODY_LIMIT,
    OrgId,
    authenticate,
    bearer,
    parse_object,
    read_body,
)
from agentaudit.server.deps import service as get_service
from agentaudit.server.errors import ApiError, field_errors
from agentaudit.server.keys import key_prefix
from agentaudit.service import AuditService

router = APIRouter(prefix="/v1/org", tags=["policy"])
MAX_OFFSET = 2**53  # beyond any real history, and within SQLite's and PostgreSQL's integers
MAX_VERSION = 2**31 - 1  # the column is an INTEGER
history_router = APIRouter(prefix="/v1/policy", tags=["policy"])


def key_actor(service: AuditService, org_id: str, request: Request) -> str:
    """The API key of the request as a change's or an erasure's actor."""
    prefix = key_prefix(bearer(request) or "")
    key = next((k for k in service.store.list_api_keys(org_id) if k.prefix == prefix), None)
    return f"api key {prefix}" + (f" (id {key.id})" if key is not None else "")


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
        "nothing is saved. A change is the policy's next version, chained as an event of kind "
        "policy_change naming this API key (GET /v1/policy/history).",
    ),
)
async def put_policy(request: Request) -> Policy:
    org_id = authenticate(request)
    patch = parse_object(await read_body(request, POLICY_BODY_LIMIT))
    service = get_service(request)
    actor = await run_in_threadpool(key_actor, service, org_id, request)
    try:
        return await run_in_threadpool(
            functools.partial(service.update_policy, source="api", actor=actor), org_id, patch
        )
    except PydanticValidationError as exc:
        raise ApiError(422, field_errors(exc, ("body",))) from None


@history_router.get("/history", response_model=PolicyHistory, responses=docs.errors(401, 422, 503))
def policy_history(
    request: Request,
    org_id: OrgId,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> PolicyHistory:
    """Every change of the policy, newest first: its version, when, who (the API key or
    dashboard user), through what, the old and new policy, the fields that changed, and the
    chained event that records it (its id and seq). Every event names the version that
    decided it (`policy_version`)."""
    return get_service(request).policy_history(org_id, limit, offset)


@history_router.get(
    "/history/{version}",
    response_model=PolicyVersion,
    responses=docs.errors(401, 404, 422, 503),
)
def policy_version(
    request: Request, org_id: OrgId, version: Annotated[int, Path(ge=0, le=MAX_VERSION)]
) -> PolicyVersion:
    """One version of the policy; 0 is the policy before its first recorded change."""
    found = get_service(request).policy_version(org_id, version)
    if found is None:
        raise ApiError(404, f"no policy version {version} in this organisation")
    return found
