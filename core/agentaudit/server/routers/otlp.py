"""POST /v1/otlp/v1/logs: OTLP/HTTP logs (protobuf or JSON) whose tool-call records become events.

Point an OpenTelemetry logs exporter at `<server>/v1/otlp` (it appends `/v1/logs`) with the
header `Authorization=Bearer aa_live_…`. Tool-call records are classified, decided and stored
like POST /v1/events/batch (all-or-nothing, one idempotency key per record so an exporter's
retry stores nothing twice); other records are accepted and ignored. The answer is an OTLP
`ExportLogsServiceResponse` in the request's encoding; a record that names a tool but cannot be
an event is counted in `partialSuccess.rejectedLogRecords`. Mapping: server/otlp_logs.py.
"""

from __future__ import annotations

import json
import zlib

import pydantic
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from agentaudit.idempotency import request_digest
from agentaudit.models import EventIn
from agentaudit.server import openapi_docs as docs
from agentaudit.server.deps import (
    BATCH_BODY_LIMIT,
    authenticate_write,
    committer,
    key_cache,
    lanes,
)
from agentaudit.server.deps import service as get_service
from agentaudit.server.errors import ApiError
from agentaudit.server.otlp_logs import (
    OtlpError,
    idempotency_key,
    is_tool_call,
    records_from_json,
    records_from_protobuf,
    to_event,
)
from agentaudit.server.routers.events import commit, recheck_key
from agentaudit.server.schemas import MAX_BATCH
from agentaudit.service import AuditService
from agentaudit.store import IdempotencyConflict, NewEvent

router = APIRouter(tags=["otlp"])

PROTOBUF = "application/x-protobuf"
JSON = "application/json"
BODY_LIMIT = BATCH_BODY_LIMIT  # compressed and decompressed alike
EXTRA = "pip install 'agentaudit[otel]' on the server, or send OTLP/JSON (application/json)"


class PartialSuccess(BaseModel):
    rejectedLogRecords: int = Field(0, description="tool-call records that were not recorded")
    errorMessage: str = Field("", description="why; also says how many records were not tools")


class ExportLogsResponse(BaseModel):
    """OTLP's ExportLogsServiceResponse (OTLP/JSON); protobuf requests get it as protobuf."""

    partialSuccess: PartialSuccess | None = None


_ANY_VALUE = {
    "type": "object",
    "description": "OTLP AnyValue: one of stringValue, boolValue, intValue, doubleValue, "
    "arrayValue {values}, kvlistValue {values}, bytesValue",
}
_KEY_VALUES = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["key"],
        "properties": {"key": {"type": "string"}, "value": _ANY_VALUE},
    },
}
_JSON_REQUEST = {
    "type": "object",
    "description": "OTLP/JSON ExportLogsServiceRequest (lowerCamelCase keys, hex trace ids)",
    "properties": {
        "resourceLogs": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "resource": {"type": "object", "properties": {"attributes": _KEY_VALUES}},
                    "scopeLogs": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "scope": {"type": "object"},
                                "logRecords": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "timeUnixNano": {"type": ["string", "integer"]},
                                            "eventName": {"type": "string"},
                                            "body": _ANY_VALUE,
                                            "attributes": _KEY_VALUES,
                                            "traceId": {"type": "string"},
                                            "spanId": {"type": "string"},
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        }
    },
}


@router.post(
    "/v1/otlp/v1/logs",
    response_model=ExportLogsResponse,
    responses={
        200: {"content": {PROTOBUF: {"schema": {"type": "string", "format": "binary"}}}},
        **docs.errors(400, 401, 413, 415, 422),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "An OTLP/HTTP logs export (gzip allowed). Limit: 16 MiB, and at most "
            f"{MAX_BATCH} tool-call records per request.",
            "content": {
                PROTOBUF: {"schema": {"type": "string", "format": "binary"}},
                JSON: {"schema": _JSON_REQUEST},
            },
        }
    },
)
async def export_logs(request: Request) -> Response:
    """Record the tool calls reported in OpenTelemetry log records (Claude Code, Codex, GenAI
    instrumentations): each becomes an audited event, classified and decided by the policy."""
    identity = authenticate_write(request)
    media = _media_type(request)
    body = _decompress(await _read(request), request.headers.get("content-encoding"))
    service = get_service(request)
    to_store, rejected, ignored = await lanes(request).large(
        _decide, service, identity[0], media, body
    )
    if to_store:
        await commit(committer(request), key_cache(request), identity, to_store, _conflict)
    else:  # nothing committed, so nothing re-checked the key
        recheck_key(service, key_cache(request), identity)
    return _answer(media, rejected, ignored)


def _media_type(request: Request) -> str:
    media = (request.headers.get("content-type") or "").partition(";")[0].strip().lower()
    if media in (PROTOBUF, "application/protobuf"):
        return PROTOBUF
    if media == JSON:
        return JSON
    raise ApiError(415, f"Content-Type must be {PROTOBUF} or {JSON} (OTLP/HTTP)")


async def _read(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            too_big = int(declared) > BODY_LIMIT
        except ValueError:
            raise ApiError(400, "Content-Length is not a number") from None
        if too_big:
            raise ApiError(413, f"body larger than the limit of {BODY_LIMIT} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > BODY_LIMIT:
            raise ApiError(413, f"body larger than the limit of {BODY_LIMIT} bytes")
    return bytes(body)


def _decompress(body: bytes, encoding: str | None) -> bytes:
    encoding = (encoding or "identity").strip().lower()
    if encoding == "identity":
        return body
    if encoding != "gzip":
        raise ApiError(415, f"Content-Encoding must be gzip or absent, not {encoding!r}")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, BODY_LIMIT + 1)
    except zlib.error as exc:
        raise ApiError(400, f"malformed gzip body: {exc}") from None
    if len(out) > BODY_LIMIT:
        raise ApiError(413, f"body larger than the limit of {BODY_LIMIT} bytes once decompressed")
    if not inflater.eof:
        raise ApiError(400, "malformed gzip body: truncated")
    return out


def _events(media: str, body: bytes) -> tuple[list[EventIn], list[str], int, int]:
    """(events, idempotency keys, rejected tool records, records that are not tool calls)."""
    try:
        if media == PROTOBUF:
            try:
                records = records_from_protobuf(body)
            except ImportError:
                raise ApiError(415, f"OTLP protobuf needs opentelemetry-proto: {EXTRA}") from None
        else:
            records = records_from_json(_json(body))
    except OtlpError as exc:
        if exc.loc is None:
            raise ApiError(400, str(exc)) from None
        raise ApiError(422, [{"loc": exc.loc, "msg": str(exc), "type": "otlp"}]) from None
    tools = [r for r in records if is_tool_call(r)]
    if len(tools) > MAX_BATCH:
        raise ApiError(
            413,
            f"{len(tools)} tool-call log records in one request; at most {MAX_BATCH} "
            "(lower the exporter's batch size, e.g. OTEL_BLRP_MAX_EXPORT_BATCH_SIZE)",
        )
    events, keys, rejected = [], [], 0
    for record in tools:
        if record.too_deep:
            rejected += 1
            continue
        try:
            events.append(EventIn.model_validate(to_event(record)))
        except pydantic.ValidationError:
            rejected += 1
            continue
        keys.append(idempotency_key(record))
    return events, keys, rejected, len(records) - len(tools)


def _json(body: bytes) -> object:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"body is not valid UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, f"malformed JSON: {exc}") from None


def _decide(
    service: AuditService, org_id: str, media: str, body: bytes
) -> tuple[list[NewEvent], int, int]:
    """Parse, classify and decide (in the large classify lane): the events the policy stores,
    each under its record's idempotency key, the rejected tool records and the ignored ones."""
    events, keys, rejected, ignored = _events(media, body)
    to_store = []
    for event_in, key in zip(events, keys, strict=True):
        subjects: list[tuple[str, str]] = []
        event, keep = service.evaluate(org_id, event_in, subjects)
        if keep:
            to_store.append(NewEvent(event, key, request_digest(event_in), tuple(subjects)))
    return to_store, rejected, ignored


def _conflict(exc: IdempotencyConflict) -> ApiError:
    """A record's key is the digest of the whole record, so only a hash collision gets here."""
    return ApiError(
        422, f"{len(exc.indexes)} log record(s) collide with stored records of other content"
    )


def _answer(media: str, rejected: int, ignored: int) -> Response:
    notes = []
    if rejected:
        notes.append(f"{rejected} tool-call record(s) could not be events (invalid arguments)")
    if ignored:
        notes.append(f"{ignored} record(s) were not tool calls and were not recorded")
    message = "; ".join(notes)
    if media == PROTOBUF:
        from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import (
            ExportLogsPartialSuccess,
            ExportLogsServiceResponse,
        )

        answer = ExportLogsServiceResponse()
        if message:
            answer.partial_success.CopyFrom(
                ExportLogsPartialSuccess(rejected_log_records=rejected, error_message=message)
            )
        return Response(answer.SerializeToString(), media_type=PROTOBUF)
    out = ExportLogsResponse(
        partialSuccess=PartialSuccess(rejectedLogRecords=rejected, errorMessage=message)
        if message
        else None
    )
    return Response(out.model_dump_json(exclude_none=True), media_type=JSON)
