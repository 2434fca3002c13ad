"""OTLP logs in, audit events out: which log records are tool calls, and what each becomes.

Agents and their frameworks report tool calls as OpenTelemetry log records (Claude Code's
`claude_code.tool_result`, Codex's `codex.tool_result`, GenAI instrumentations with
`gen_ai.tool.name`). `POST /v1/otlp/v1/logs` takes an OTLP/HTTP export request (protobuf or JSON)
and turns each tool-call record into an `EventIn`, which then classifies, decides and is stored
like any other call. Other records (prompts, API requests, plain logs) are accepted and ignored.

A record is a tool call when an attribute names the tool (`gen_ai.tool.name`, `tool_name`,
`tool.name`), unless it is a permission decision (`*.tool_decision`: no arguments, and the
same call's `tool_result` follows). See docs/otel.md for the whole mapping.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MAX_DEPTH = 32  # AnyValue nesting, as the event models allow
MAX_ID = 256
MAX_TEXT = 2_000  # an error message or similar kept in the context
TOOL_NAME_KEYS = ("gen_ai.tool.name", "tool_name", "tool.name")
ARGUMENT_KEYS = (
    "gen_ai.tool.call.arguments",
    "tool_input",
    "tool_arguments",
    "arguments",
    "tool_parameters",
    "input",
)
CALL_ID_KEYS = ("gen_ai.tool.call.id", "tool_use_id", "tool_call_id", "call_id")
SESSION_KEYS = ("session.id", "gen_ai.conversation.id", "session_id")
ENVIRONMENT_KEYS = ("deployment.environment.name", "deployment.environment")


class TooDeep(ValueError):
    """A value nested deeper than an event may be: that record cannot be an event (the request
    is still fine; the record is counted as rejected)."""


class OtlpError(ValueError):
    """The request is not an OTLP logs export; `loc` is where (for a 422), None for a 400."""

    def __init__(self, message: str, loc: list[str | int] | None = None) -> None:
        super().__init__(message)
        self.loc = loc


@dataclass
class Record:
    """One log record with what it inherits from its resource and scope."""

    attributes: dict[str, Any]
    resource: dict[str, Any]
    scope: str = ""
    body: Any = None
    event_name: str = ""
    time_unix_nano: int = 0
    trace_id: str = ""
    span_id: str = ""
    raw: dict[str, Any] = field(default_factory=dict)  # for the idempotency key
    too_deep: bool = False  # an attribute or the body was dropped for nesting too deep


# -- JSON (OTLP/JSON: lowerCamelCase keys; snake_case accepted too) ---------------------------------
def _get(obj: dict[str, Any], camel: str) -> Any:
    if camel in obj:
        return obj[camel]
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)
    return obj.get(snake)


def _list(obj: dict[str, Any], key: str, loc: list[str | int]) -> list[Any]:
    value = _get(obj, key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise OtlpError("must be a list", [*loc, key])
    return value


def _object(value: Any, loc: list[str | int]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise OtlpError("must be an object", loc)
    return value


def records_from_json(request: Any) -> list[Record]:
    root = _object(request, ["body"])
    out = []
    for i, rl in enumerate(_list(root, "resourceLogs", ["body"])):
        loc_rl: list[str | int] = ["body", "resourceLogs", i]
        rl = _object(rl, loc_rl)
        resource_obj = _object(_get(rl, "resource"), [*loc_rl, "resource"])
        resource, _ = _record_attributes(resource_obj, [*loc_rl, "resource"])
        for j, sl in enumerate(_list(rl, "scopeLogs", loc_rl)):
            loc_sl: list[str | int] = [*loc_rl, "scopeLogs", j]
            sl = _object(sl, loc_sl)
            scope = _object(_get(sl, "scope"), [*loc_sl, "scope"]).get("name") or ""
            for k, lr in enumerate(_list(sl, "logRecords", loc_sl)):
                loc: list[str | int] = [*loc_sl, "logRecords", k]
                lr = _object(lr, loc)
                attributes, deep = _record_attributes(lr, loc)
                try:
                    body = _json_any(_get(lr, "body"), [*loc, "body"], 0)
                except TooDeep:
                    body, deep = None, True
                out.append(
                    Record(
                        attributes=attributes,
                        resource=resource,
                        scope=str(scope),
                        body=body,
                        too_deep=deep,
                        event_name=_text(_get(lr, "eventName"), [*loc, "eventName"]),
                        time_unix_nano=_int(
                            _get(lr, "timeUnixNano") or _get(lr, "observedTimeUnixNano"),
                            [*loc, "timeUnixNano"],
                        ),
                        trace_id=_hex_id(_get(lr, "traceId"), [*loc, "traceId"]),
                        span_id=_hex_id(_get(lr, "spanId"), [*loc, "spanId"]),
                        raw={"resource": resource, "scope": scope, "record": lr},
                    )
                )
    return out


def _record_attributes(obj: dict[str, Any], loc: list[str | int]) -> tuple[dict[str, Any], bool]:
    """A record's attributes, without any nested too deep (and whether one was)."""
    out, deep = {}, False
    for n, kv in enumerate(_list(obj, "attributes", loc)):
        try:
            key, value = _key_value(kv, [*loc, "attributes", n])
        except TooDeep:
            deep = True
            continue
        out[key] = value
    return out, deep


def _key_values(items: list[Any], loc: list[str | int]) -> dict[str, Any]:
    return dict(_key_value(kv, [*loc, n]) for n, kv in enumerate(items))


def _key_value(kv: Any, where: list[str | int]) -> tuple[str, Any]:
    kv = _object(kv, where)
    key = kv.get("key")
    if not isinstance(key, str):
        raise OtlpError("key must be a string", [*where, "key"])
    return key, _json_any(kv.get("value"), [*where, "value"], 0)


_SNAKE_KINDS = {
    "string_value": "stringValue",
    "bool_value": "boolValue",
    "int_value": "intValue",
    "double_value": "doubleValue",
    "array_value": "arrayValue",
    "kvlist_value": "kvlistValue",
    "bytes_value": "bytesValue",
}


def _json_any(value: Any, loc: list[str | int], depth: int) -> Any:
    """An OTLP/JSON AnyValue as a plain JSON value."""
    if value is None:
        return None
    if depth > MAX_DEPTH:
        raise TooDeep(f"nesting deeper than {MAX_DEPTH} levels")
    if not isinstance(value, dict):
        raise OtlpError('must be an AnyValue object, e.g. {"stringValue": "…"}', loc)
    if not value:
        return None
    raw_kind, inner = next(iter(value.items()))
    kind = _SNAKE_KINDS.get(str(raw_kind), str(raw_kind))
    where: list[str | int] = [*loc, kind]
    if kind == "stringValue":
        return _text(inner, where)
    if kind == "boolValue":
        if not isinstance(inner, bool):
            raise OtlpError("must be true or false", where)
        return inner
    if kind == "intValue":
        return _int(inner, where)
    if kind == "doubleValue":
        if isinstance(inner, bool) or not isinstance(inner, int | float | str):
            raise OtlpError("must be a number", where)
        try:
            number = float(inner)
        except ValueError:
            raise OtlpError("must be a number", where) from None
        return number if math.isfinite(number) else str(number)
    if kind == "bytesValue":
        return _text(inner, where)  # base64 text: kept as it came
    if kind == "arrayValue":
        values = _list(_object(inner, where), "values", where)
        return [_json_any(v, [*where, "values", i], depth + 1) for i, v in enumerate(values)]
    if kind == "kvlistValue":
        return _key_values(_list(_object(inner, where), "values", where), [*where, "values"])
    raise OtlpError(f"unknown AnyValue kind {kind!r}", loc)


def _text(value: Any, loc: list[str | int]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise OtlpError("must be a string", loc)
    return value


def _int(value: Any, loc: list[str | int]) -> int:
    """int64 fields come as numbers or decimal strings in OTLP/JSON."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise OtlpError("must be an integer", loc)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    raise OtlpError("must be an integer (a number or a decimal string)", loc)


def _hex_id(value: Any, loc: list[str | int]) -> str:
    """Trace and span ids are hex in OTLP/JSON (not base64, unlike the protobuf JSON mapping)."""
    text = _text(value, loc).lower()
    if text and (len(text) not in (16, 32) or any(c not in "0123456789abcdef" for c in text)):
        raise OtlpError("must be a 16- or 32-character hex id", loc)
    return "" if set(text) <= {"0"} else text


# -- protobuf ---------------------------------------------------------------------------------------
def records_from_protobuf(data: bytes) -> list[Record]:
    """Needs `opentelemetry-proto` (the `otel` extra): ImportError otherwise."""
    from google.protobuf.message import DecodeError  # type: ignore[import-untyped]
    from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest

    request = ExportLogsServiceRequest()
    try:
        request.ParseFromString(data)
    except (DecodeError, RecursionError) as exc:
        raise OtlpError(f"malformed OTLP protobuf: {exc or 'cannot decode'}") from None
    out = []
    for rl in request.resource_logs:
        resource, _ = _pb_record_attributes(rl.resource.attributes)
        for sl in rl.scope_logs:
            for lr in sl.log_records:
                attributes, deep = _pb_record_attributes(lr.attributes)
                try:
                    body = _pb_any(lr.body, 0) if lr.HasField("body") else None
                except TooDeep:
                    body, deep = None, True
                out.append(
                    Record(
                        attributes=attributes,
                        resource=resource,
                        scope=sl.scope.name,
                        body=body,
                        too_deep=deep,
                        event_name=lr.event_name,
                        time_unix_nano=lr.time_unix_nano or lr.observed_time_unix_nano,
                        trace_id=lr.trace_id.hex() if any(lr.trace_id) else "",
                        span_id=lr.span_id.hex() if any(lr.span_id) else "",
                        raw={"pb": base64.b64encode(lr.SerializeToString()).decode()},
                    )
                )
    return out


def _pb_record_attributes(kvs: Any) -> tuple[dict[str, Any], bool]:
    """As `_record_attributes`, for protobuf."""
    out, deep = {}, False
    for kv in kvs:
        try:
            out[kv.key] = _pb_any(kv.value, 0)
        except TooDeep:
            deep = True
    return out, deep


def _pb_attributes(kvs: Any, depth: int) -> dict[str, Any]:
    return {kv.key: _pb_any(kv.value, depth) for kv in kvs}


def _pb_any(value: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise TooDeep(f"nesting deeper than {MAX_DEPTH} levels")
    kind = value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [_pb_any(v, depth + 1) for v in value.array_value.values]
    if kind == "kvlist_value":
        return _pb_attributes(value.kvlist_value.values, depth + 1)
    if kind == "bytes_value":
        return base64.b64encode(value.bytes_value).decode()
    inner = getattr(value, kind)
    if kind == "double_value" and not math.isfinite(inner):
        return str(inner)
    return inner


# -- records to events ------------------------------------------------------------------------------
def _first(attributes: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = attributes.get(key)
        if value not in (None, ""):
            return value
    return None


def event_name(record: Record) -> str:
    if record.event_name:
        return record.event_name
    name = record.attributes.get("event.name")
    if isinstance(name, str) and name:
        scoped = record.body if isinstance(record.body, str) else ""
        return scoped if scoped.endswith(name) else name
    return ""


def is_tool_call(record: Record) -> bool:
    name = _first(record.attributes, TOOL_NAME_KEYS)
    if not isinstance(name, str) or not name.strip():
        return False
    return not event_name(record).endswith("tool_decision")


def _clean(text: str, limit: int = MAX_ID) -> str:
    """Text for the columns PostgreSQL stores as text: no NUL, bounded."""
    return text.replace("\x00", "\ufffd")[:limit]


def _arguments(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return {"input": value}
        return parsed if isinstance(parsed, dict) else {"input": parsed}
    return {} if value is None else {"input": value}


def to_event(record: Record) -> dict[str, Any]:
    """The POST /v1/events body for a tool-call record (validated by the caller)."""
    attrs, resource = record.attributes, record.resource
    tool = _clean(str(_first(attrs, TOOL_NAME_KEYS)).strip())
    agent = _first(attrs, ("gen_ai.agent.name", "gen_ai.agent.id")) or resource.get("service.name")
    context: dict[str, Any] = {"source": "otlp", "enforced": False}
    name = event_name(record)
    if name:
        context["otel_event"] = name
    session = _first(attrs, SESSION_KEYS)
    if session is not None:
        context["session_id"] = _clean(str(session))
    for key, target in (
        ("user.id", "user_id"),
        ("enduser.id", "user_id"),
        ("agent_id", "subagent_id"),
        ("success", "tool_success"),
        ("duration_ms", "duration_ms"),
        ("decision", "tool_decision"),
        ("source", "decision_source"),
    ):
        if attrs.get(key) not in (None, "") and target not in context:
            context[target] = attrs[key]
    if isinstance(attrs.get("error"), str) and attrs["error"]:
        context["tool_error"] = attrs["error"][:MAX_TEXT]
    call_id = _first(attrs, CALL_ID_KEYS)
    if call_id is not None:
        context["tool_call_id"] = str(call_id)
    environment = _first(attrs, ENVIRONMENT_KEYS) or _first(resource, ENVIRONMENT_KEYS)
    if environment is not None:
        context["environment"] = str(environment)
    for key, target in (
        ("service.name", "service_name"),
        ("service.version", "service_version"),
        ("host.name", "host_name"),
    ):
        if resource.get(key) not in (None, ""):
            context[target] = resource[key]
    if record.scope:
        context["otel_scope"] = record.scope
    if record.trace_id:
        context["trace_id"] = record.trace_id
    if record.span_id:
        context["span_id"] = record.span_id
    if record.time_unix_nano > 0:
        seconds = record.time_unix_nano / 1e9
        if seconds < 253402300800:  # year 10000
            context["occurred_at"] = (
                datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")
            )
    return {
        "agent_id": _clean(str(agent or "otlp")) or "otlp",
        "action": tool,
        "data": _arguments(_first(attrs, ARGUMENT_KEYS)),
        "context": context,
    }


def idempotency_key(record: Record) -> str:
    """The same record sent twice (an exporter's retry) is stored once."""
    text = json.dumps(record.raw, sort_keys=True, separators=(",", ":"), default=str)
    return "otlp:" + hashlib.sha256(text.encode()).hexdigest()
