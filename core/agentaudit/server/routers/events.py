"""/v1/events: record (one or a batch), list, get, stats, erase a payload; /v1/verify.

Writes are parsed, classified and decided off the event loop, in the classify lanes (lanes.py),
then stored by the group committer (committer.py), which acknowledges only after the commit.
Reads run in the thread pool.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import AfterValidator, BeforeValidator

from agentaudit.idempotency import request_digest
from agentaudit.models import (
    Decision,
    Event,
    EventFilter,
    EventIn,
    EventPage,
    RiskLevel,
    SecretType,
    Stats,
    bounded_instant,
)
from agentaudit.pipeline import evaluate
from agentaudit.server import openapi_docs as docs
from agentaudit.server.committer import GroupCommitter
from agentaudit.server.deps import (
    BATCH_BODY_LIMIT,
    EVENT_BODY_LIMIT,
    MAX_IDEMPOTENCY_KEY,
    OrgId,
    authenticate_write,
    bearer,
    committer,
    idempotency_key,
    key_cache,
    lanes,
    parse_model,
    read_body,
)
from agentaudit.server.deps import service as get_service
from agentaudit.server.errors import ApiError, unauthorized
from agentaudit.server.keys import KeyCache, key_prefix
from agentaudit.server.lanes import ClassifyLanes
from agentaudit.server.schemas import BatchIn, BatchOut, VerifyOut
from agentaudit.service import AuditService
from agentaudit.store import IdempotencyConflict, KeyRevoked, NewEvent
from agentaudit.store.erasure import NotErasable

router = APIRouter(tags=["events"])

IdemKey = Annotated[str | None, Depends(idempotency_key)]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL; every store answers alike
MAX_OFFSET = 2**53  # beyond any real store, and within SQLite's and PostgreSQL's integers
NATIVE_ORDER = "order" in EventFilter.model_fields
REPLAYED = "Idempotent-Replayed"
REPLAYED_INDEXES = "Idempotent-Replayed-Indexes"


def _iso(value: object) -> object:
    """Only ISO 8601 text: pydantic alone would also read "0.5" as a unix timestamp."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("not an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z") from None
    return value


Instant = Annotated[datetime, BeforeValidator(_iso), AfterValidator(bounded_instant)]


def _json(body: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        content=body, status_code=status, media_type="application/json", headers=headers
    )


@router.post(
    "/v1/events",
    status_code=201,
    response_model=Event,
    responses={
        201: {"description": "the event as stored", "headers": docs.REPLAY_HEADERS},
        **docs.errors(400, 401, 413, 415, 422, 503),
    },
    openapi_extra=docs.json_body(
        "EventIn",
        "One tool call; unknown fields and duplicate keys are refused. Limit: 1 MiB. An "
        "Idempotency-Key stands for this one request: sent again with the same body it answers "
        "the stored event (header Idempotent-Replayed: true), with another body 422.",
    ),
)
async def create_event(request: Request, idem: IdemKey) -> Response:
    """Classify, decide and store one tool call; 201 with the event (also when blocked)."""
    identity = authenticate_write(request)
    body = await read_body(request, EVENT_BODY_LIMIT)
    event, replayed = await record_one(
        get_service(request),
        committer(request),
        key_cache(request),
        lanes(request),
        identity,
        body,
        idem,
    )
    headers = {REPLAYED: "true"} if replayed else None
    return _json(event.model_dump_json(), 201, headers)


def _decide_one(
    service: AuditService,
    keys: KeyCache,
    identity: tuple[str, str],
    body: bytes,
    keyed: bool,
) -> tuple[Event, bool, str | None, tuple[tuple[str, str], ...]]:
    """Parse, classify and decide one event (in a classify lane): the event, whether the
    policy stores it, the request's digest when it carries an idempotency key, and its
    data-subject index entries (subjects.py)."""
    event_in = refuse_nul([parse_model(body, EventIn)])[0]
    subjects: list[tuple[str, str]] = []
    event, keep = service.evaluate(identity[0], event_in, subjects)
    if not keep:
        recheck_key(service, keys, identity)
        return event, False, None, ()
    return event, True, request_digest(event_in) if keyed else None, tuple(subjects)


async def record_one(
    service: AuditService,
    committer: GroupCommitter,
    keys: KeyCache,
    lanes: ClassifyLanes,
    identity: tuple[str, str],
    body: bytes,
    idempotency_key: str | None,
) -> tuple[Event, bool]:
    """Parse, classify, decide and (when the policy keeps it) store one event; returns the
    event and whether it is a replay (its idempotency key was stored with this very request).

    Shared by the route above and by the fast path (fastpath.py), which serves the same URL.
    `identity` is (organisation id, key hash) from the key cache: the commit re-checks the key,
    and an event the policy does not store is answered only after a fresh lookup.
    """
    event, keep, digest, subjects = await lanes.for_body(
        len(body), _decide_one, service, keys, identity, body, idempotency_key is not None
    )
    if not keep:
        return event, False
    new = NewEvent(event, idempotency_key, digest, subjects)
    stored = (await commit(committer, keys, identity, [new], _header_conflict))[0]
    return stored, stored is not event


def recheck_key(service: AuditService, keys: KeyCache, identity: tuple[str, str]) -> None:
    """For an answer that stores nothing, so no transaction re-checks the cached key: 401
    unless the key is still active."""
    org_id, key_hash = identity
    if service.store.org_for_key_hash(key_hash) != org_id:
        keys.forget(key_hash)
        raise unauthorized()


def _header_conflict(exc: IdempotencyConflict) -> ApiError:
    msg = (
        "this Idempotency-Key was already used with a different request body; a key stands for"
        " one request (a retry sends the same body): use a new key for a new event"
    )
    return ApiError(
        422, [{"loc": ["header", "Idempotency-Key"], "msg": msg, "type": "idempotency_key_reused"}]
    )


async def commit(
    committer: GroupCommitter,
    keys: KeyCache,
    identity: tuple[str, str],
    events: list[NewEvent],
    conflict: Callable[[IdempotencyConflict], ApiError],
) -> list[Event]:
    """Store through the group committer; a key revoked since it was cached is a 401, an
    idempotency key reused with another request a 422 (`conflict` says where)."""
    org_id, key_hash = identity
    try:
        return await committer.append(org_id, events, key_hash)
    except KeyRevoked:
        keys.forget(key_hash)
        raise unauthorized() from None
    except IdempotencyConflict as exc:
        raise conflict(exc) from None


def refuse_nul(events: list[EventIn], prefix: tuple = ("body",)) -> list[EventIn]:
    """422 for NUL characters in the fields stored as plain text columns: PostgreSQL cannot hold
    them, and every store must answer alike. (Inside data and context, JSON escapes them.)"""
    errors = []
    for i, e in enumerate(events):
        where = (*prefix, i) if len(prefix) > 1 else prefix
        for loc, value in (
            (("agent_id",), e.agent_id),
            (("action",), e.action),
            (("reasoning",), e.reasoning),
        ):
            if value is not None and "\x00" in value:
                errors.append(_nul_error([*where, *loc]))
    if errors:
        raise ApiError(422, errors)
    return events


def _nul_error(loc: list) -> dict:
    return {"loc": loc, "msg": "NUL characters are not allowed", "type": "nul"}


def _derived_key(key: str, index: int) -> str:
    """Per-event key of a batch sent with one Idempotency-Key; hashed if it would not fit."""
    derived = f"{key}:{index}"
    if len(derived) <= MAX_IDEMPOTENCY_KEY:
        return derived
    return "sha256:" + hashlib.sha256(derived.encode("utf-8")).hexdigest()


@dataclasses.dataclass
class _DecidedBatch:
    evaluated: list[tuple[Event, bool]]
    to_store: list[NewEvent]
    positions: list[int]  # each stored event's index in the batch
    explicit_keys: bool  # keys from the body's idempotency_keys (not derived from the header)


def _decide_batch(
    service: AuditService, org_id: str, body: bytes, header_key: str | None
) -> _DecidedBatch:
    """Parse, classify and decide a batch (in the large classify lane)."""
    batch = parse_model(body, BatchIn)
    refuse_nul(batch.events, ("body", "events"))
    for i, key in enumerate(batch.idempotency_keys or []):
        if key is not None and "\x00" in key:
            raise ApiError(422, [_nul_error(["body", "idempotency_keys", i])])
    if batch.idempotency_keys is not None:
        keys = batch.idempotency_keys
    elif header_key is not None:
        keys = [_derived_key(header_key, i) for i in range(len(batch.events))]
    else:
        keys = [None] * len(batch.events)
    policy, version = service.policy_in_force(org_id)
    secret_key = service.secret_key(org_id)
    prov = service.provenance.for_org(org_id)
    found: list[list[tuple[str, str]]] = [[] for _ in batch.events]
    evaluated = [
        evaluate(
            e,
            policy,
            rules=service.rules,
            secret_key=secret_key,
            provenance=prov,
            subjects=s,
            policy_version=version,
        )
        for e, s in zip(batch.events, found, strict=True)
    ]
    to_store, positions = [], []
    for i, (e, (ev, keep), key) in enumerate(zip(batch.events, evaluated, keys, strict=True)):
        if keep:
            digest = None if key is None else request_digest(e)
            to_store.append(NewEvent(ev, key, digest, tuple(found[i])))
            positions.append(i)
    return _DecidedBatch(evaluated, to_store, positions, batch.idempotency_keys is not None)


@router.post(
    "/v1/events/batch",
    status_code=201,
    response_model=BatchOut,
    responses={
        201: {"description": "every event, in order", "headers": docs.BATCH_REPLAY_HEADERS},
        **docs.errors(400, 401, 413, 415, 422, 503),
    },
    openapi_extra=docs.json_body(
        "BatchIn",
        "1 to 1,000 events, stored all-or-nothing. An Idempotency-Key header K gives the "
        "events the keys K:0, K:1, … unless `idempotency_keys` is given; a key sent again with "
        "another event is a 422 naming it. Limit: 16 MiB.",
    ),
)
async def create_batch(request: Request, idem: IdemKey) -> Response:
    """Record up to 1,000 events in one transaction; 201 with every event, in order."""
    identity = authenticate_write(request)
    org_id = identity[0]
    body = await read_body(request, BATCH_BODY_LIMIT)
    service = get_service(request)
    decided = await lanes(request).large(_decide_batch, service, org_id, body, idem)

    def conflict(exc: IdempotencyConflict) -> ApiError:
        where = "idempotency_keys" if decided.explicit_keys else "events"
        msg = (
            "this event's idempotency key was already used with a different event; a key"
            " stands for one event (a retry sends the same one): use a new key"
        )
        return ApiError(
            422,
            [
                {
                    "loc": ["body", where, decided.positions[i]],
                    "msg": msg,
                    "type": "idempotency_key_reused",
                }
                for i in exc.indexes
            ],
        )

    to_store = decided.to_store
    stored = await commit(committer(request), key_cache(request), identity, to_store, conflict)
    if not to_store:  # nothing committed, so nothing re-checked the key
        recheck_key(service, key_cache(request), identity)
    replayed = [
        decided.positions[i]
        for i, (got, new) in enumerate(zip(stored, to_store, strict=True))
        if got is not new.event
    ]
    it = iter(stored)
    events = [next(it) if keep else ev for ev, keep in decided.evaluated]
    headers = None
    if replayed:
        headers = {REPLAYED: "true" if len(replayed) == len(to_store) else "partial"}
        if len(replayed) < len(to_store):
            headers[REPLAYED_INDEXES] = ",".join(map(str, replayed))
    return _json(BatchOut.model_construct(events=events).model_dump_json(), 201, headers)


@router.get("/v1/events", response_model=EventPage, responses=docs.errors(401, 422, 503))
def list_events(
    request: Request,
    org_id: OrgId,
    agent_id: Annotated[str | None, Query(max_length=256, pattern=NO_NUL)] = None,
    action: Annotated[str | None, Query(max_length=256, pattern=NO_NUL)] = None,
    risk_level: RiskLevel | None = None,
    pii_detected: bool | None = None,
    decision: Decision | None = None,
    session_id: Annotated[str | None, Query(max_length=256, pattern=NO_NUL)] = None,
    secret_type: Annotated[
        SecretType | None, Query(description="only events that carried this secret type")
    ] = None,
    after: Annotated[Instant | None, Query(description="created at or after (ISO 8601)")] = None,
    before: Annotated[Instant | None, Query(description="created before (ISO 8601)")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    order: Annotated[
        Literal["desc", "asc"], Query(description="desc: newest first; asc: oldest first")
    ] = "desc",
) -> Response:
    """Events of the caller's organisation, filtered and paged."""
    fields: dict[str, Any] = {
        "agent_id": agent_id,
        "action": action,
        "risk_level": risk_level,
        "pii_detected": pii_detected,
        "decision": decision,
        "session_id": session_id,
        "secret_type": secret_type,
        "after": after,
        "before": before,
    }
    service = get_service(request)
    if NATIVE_ORDER or order == "desc":
        extra: dict[str, Any] = {"order": order} if NATIVE_ORDER else {}
        flt = EventFilter(**fields, limit=limit, offset=offset, **extra)
        return _json(service.list_events(org_id, flt).model_dump_json())
    return _json(_oldest_first(service, org_id, fields, limit, offset).model_dump_json())


def _oldest_first(
    service: AuditService, org_id: str, fields: dict, limit: int, offset: int
) -> EventPage:
    """order=asc on a store that only lists newest first: the mirrored newest-first page.

    (A store that takes `EventFilter.order` is used directly instead; see NATIVE_ORDER.)
    """
    total = service.list_events(org_id, EventFilter(**fields, limit=1)).total
    end = total - offset  # newest-first index just past this page
    start = max(0, end - limit)
    if end <= 0:
        return EventPage(events=[], total=total, limit=limit, offset=offset)
    page = service.list_events(org_id, EventFilter(**fields, limit=end - start, offset=start))
    return EventPage(events=page.events[::-1], total=page.total, limit=limit, offset=offset)


@router.get("/v1/events/stats", response_model=Stats, responses=docs.errors(401, 422, 503))
def stats(
    request: Request,
    org_id: OrgId,
    after: Annotated[Instant | None, Query(description="created at or after (ISO 8601)")] = None,
    before: Annotated[Instant | None, Query(description="created before (ISO 8601)")] = None,
) -> Stats:
    """Counts by risk level, action, agent and decision, and how many events carried PII."""
    return get_service(request).stats(org_id, after, before)


def _found(event: Event | None, event_id: str) -> Response:
    if event is None or "\x00" in event_id:
        raise ApiError(404, f"no event {event_id!r} in this organisation")
    return _json(event.model_dump_json())


@router.get("/v1/events/{event_id}", response_model=Event, responses=docs.errors(401, 404, 503))
def get_event(request: Request, org_id: OrgId, event_id: str) -> Response:
    """One event by id; 404 when it does not exist or belongs to another organisation."""
    if "\x00" in event_id:  # no id has one, and PostgreSQL cannot even compare it
        return _found(None, event_id)
    return _found(get_service(request).get_event(org_id, event_id), event_id)


@router.delete(
    "/v1/events/{event_id}/payload",
    response_model=Event,
    responses=docs.errors(401, 404, 409, 503),
)
def erase_payload(request: Request, org_id: OrgId, event_id: str) -> Response:
    """Erase an event's data, context and reasoning (GDPR Art. 17); its hash stays in the
    chain, which still verifies, and the erasure is chained too (an event of kind "erasure"
    naming the erased event and the API key that asked). Repeating it is harmless."""
    service = get_service(request)
    if "\x00" in event_id:
        return _found(None, event_id)
    prefix = key_prefix(bearer(request) or "")
    key = next((k for k in service.store.list_api_keys(org_id) if k.prefix == prefix), None)
    actor = f"api key {prefix}" + (f" (id {key.id})" if key is not None else "")
    try:
        service.erase(org_id, event_id, actor=actor)
    except NotErasable as exc:
        raise ApiError(409, str(exc)) from None
    return _found(service.get_event(org_id, event_id), event_id)


@router.get("/v1/verify", response_model=VerifyOut, responses=docs.errors(401, 503))
def verify(request: Request, org_id: OrgId) -> VerifyOut:
    """Recompute the organisation's hash chain and name the first broken link, if any."""
    return VerifyOut(**dataclasses.asdict(get_service(request).verify(org_id)))
