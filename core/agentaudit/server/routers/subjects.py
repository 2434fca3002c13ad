"""/v1/subjects: data-subject requests — every event that carried a person's identifier (GDPR
Art. 15), and the erasure of all their payloads in one request (Art. 17). See docs/subjects.md.

Both are POSTs with the value in the body, never in the URL: URLs end up in access logs,
proxies and browser histories, which would defeat an index that holds no value in clear.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from agentaudit import subjects
from agentaudit.models import SubjectErasure, SubjectPage
from agentaudit.server import openapi_docs as docs
from agentaudit.server.deps import OrgId, bearer
from agentaudit.server.deps import service as get_service
from agentaudit.server.errors import ApiError
from agentaudit.server.keys import key_prefix
from agentaudit.store.subject_index import SubjectIndex
from agentaudit.subjects import SubjectType

router = APIRouter(tags=["subjects"])

Value = Annotated[
    str,
    Field(
        min_length=1,
        max_length=1000,
        pattern=r"^[^\x00]*$",
        description="the identifier as the person gives it (any case, spacing or phone format)",
    ),
]
TypeField = Annotated[
    SubjectType | None,
    Field(
        description="how to read the value (email, phone, iban, …); null: as every type it"
        " can be (an e-mail, a phone number, an id, a name)"
    ),
]


class SubjectErase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: Value
    type: TypeField = None


class SubjectSearch(SubjectErase):
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    offset: Annotated[int, Field(ge=0)] = 0


def _store(request: Request) -> SubjectIndex:
    store = get_service(request).store
    if not isinstance(store, SubjectIndex):
        raise ApiError(501, "this store keeps no data-subject index")
    return store


@router.post(
    "/v1/subjects/search",
    response_model=SubjectPage,
    responses=docs.errors(401, 422, 503),
)
def search_subject(request: Request, org_id: OrgId, body: SubjectSearch) -> SubjectPage:
    """The events that carried this identifier (GDPR Art. 15), oldest first, with the types
    it was found as; read each with GET /v1/events/{id}. Events stored before the index
    existed are found once `agentaudit db index-subjects` has run."""
    return subjects.search_page(
        _store(request), org_id, body.value, body.type, limit=body.limit, offset=body.offset
    )


@router.post(
    "/v1/subjects/erase",
    response_model=SubjectErasure,
    responses=docs.errors(401, 422, 503),
)
def erase_subject(request: Request, org_id: OrgId, body: SubjectErase) -> SubjectErasure:
    """Erase the data, context and reasoning of every event that carried this identifier
    (GDPR Art. 17) in one request. Each event keeps its hash and the chain still verifies;
    the erasure is chained too (events of kind "erasure" naming the erased events and the API
    key that asked). The value's index rows go with the payloads: asking again erases nothing."""
    store = _store(request)
    prefix = key_prefix(bearer(request) or "")
    key = next((k for k in store_keys(request, org_id) if k.prefix == prefix), None)
    actor = f"api key {prefix}" + (f" (id {key.id})" if key is not None else "")
    return subjects.erase_result(store, org_id, body.value, body.type, actor=actor)


def store_keys(request: Request, org_id: str) -> list:
    return get_service(request).store.list_api_keys(org_id)
