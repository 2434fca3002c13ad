"""/v1/subjects: data-subject requests — every event that carried a person's identifier (GDPR
Art. 15), and the erasure of all their payloads in one request (Art. 17). See docs/subjects.md.

Both are POSTs with the value in the body, never in the URL: URLs end up in access logs,
proxies and browser histories, which would defeat an index that holds no value in clear.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from agentaudit import subjects
from agentaudit.server import openapi_docs as docs
from agentaudit.server.deps import OrgId, bearer
from agentaudit.server.deps import service as get_service
from agentaudit.server.errors import ApiError
from agentaudit.server.keys import key_prefix
from agentaudit.store.subject_index import SubjectIndex
from agentaudit.subjects import NoUsableValue, SubjectType

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


class SubjectEventOut(BaseModel):
    id: str
    seq: int
    created_at: datetime
    agent_id: str
    action: str
    pii_types: list[str] = Field(description="the types the value was found as in this event")
    erased: bool = Field(description="its payload is erased already")


READABLE = Field(
    description="false: the value cannot be read as the type given (an email without @, a phone"
    " without digits, fewer than 3 characters), so no event can carry it; nothing was looked up"
)


class SubjectPageOut(BaseModel):
    events: list[SubjectEventOut]
    total: int
    limit: int
    offset: int
    readable: bool = READABLE


class SubjectErasureOut(BaseModel):
    erased: int = Field(description="payloads erased by this request")
    event_ids: list[str] = Field(description="their events, oldest first")
    already_erased: int = Field(description="events that carried the value, erased before")
    erasure_records: list[str] = Field(description="ids of the chained erasure records")
    readable: bool = READABLE


def _store(request: Request) -> SubjectIndex:
    store = get_service(request).store
    if not isinstance(store, SubjectIndex):
        raise ApiError(501, "this store keeps no data-subject index")
    return store


@router.post(
    "/v1/subjects/search",
    response_model=SubjectPageOut,
    responses=docs.errors(401, 422, 503),
)
def search_subject(request: Request, org_id: OrgId, body: SubjectSearch) -> SubjectPageOut:
    """The events that carried this identifier (GDPR Art. 15), oldest first, with the types
    it was found as; read each with GET /v1/events/{id}. Events stored before the index
    existed are found once `agentaudit db index-subjects` has run."""
    try:
        page = subjects.search(
            _store(request), org_id, body.value, body.type, limit=body.limit, offset=body.offset
        )
    except NoUsableValue:
        return SubjectPageOut(
            events=[], total=0, limit=body.limit, offset=body.offset, readable=False
        )
    return SubjectPageOut(
        events=[SubjectEventOut(**vars(e)) for e in page.events],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        readable=True,
    )


@router.post(
    "/v1/subjects/erase",
    response_model=SubjectErasureOut,
    responses=docs.errors(401, 422, 503),
)
def erase_subject(request: Request, org_id: OrgId, body: SubjectErase) -> SubjectErasureOut:
    """Erase the data, context and reasoning of every event that carried this identifier
    (GDPR Art. 17) in one request. Each event keeps its hash and the chain still verifies;
    the erasure is chained too (events of kind "erasure" naming the erased events and the API
    key that asked). The value's index rows go with the payloads: asking again erases nothing."""
    store = _store(request)
    prefix = key_prefix(bearer(request) or "")
    key = next((k for k in store_keys(request, org_id) if k.prefix == prefix), None)
    actor = f"api key {prefix}" + (f" (id {key.id})" if key is not None else "")
    try:
        done = subjects.erase(store, org_id, body.value, body.type, actor=actor)
    except NoUsableValue:
        return SubjectErasureOut(
            erased=0, event_ids=[], already_erased=0, erasure_records=[], readable=False
        )
    return SubjectErasureOut(
        erased=done.erased,
        event_ids=done.event_ids,
        already_erased=done.already_erased,
        erasure_records=done.records,
        readable=True,
    )


def store_keys(request: Request, org_id: str) -> list:
    return get_service(request).store.list_api_keys(org_id)
