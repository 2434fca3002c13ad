"""POST /v1/otlp/v1/logs on a real server: OpenTelemetry log records that report tool calls
become audited events, classified like any other call; the rest is ignored; bad input gets a
clear 4xx. The protobuf path is driven by the real OpenTelemetry SDK and its OTLP exporter."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import (
    ExportLogsServiceRequest,
    ExportLogsServiceResponse,
)

from tests.support.live_server import LiveServer, run_server

LOGS = "/v1/otlp/v1/logs"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with run_server(db_path=tmp_path_factory.mktemp("otlp") / "srv.db") as srv:
        yield srv


def auth(srv: LiveServer, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {srv.api_key}", **headers}


def events(srv: LiveServer, **params: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{srv.url}/v1/events",
        params={"limit": "200", "order": "asc", **params},
        headers=auth(srv),
    )
    response.raise_for_status()
    return response.json()["events"]


def kv(key: str, value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"key": key, "value": {"boolValue": value}}
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    return {"key": key, "value": {"stringValue": value}}


def otlp_json(*records: dict[str, Any], service: str = "codex") -> dict[str, Any]:
    return {
        "resourceLogs": [
            {
                "resource": {
                    "attributes": [
                        kv("service.name", service),
                        kv("deployment.environment", "production"),
                    ]
                },
                "scopeLogs": [{"scope": {"name": "tests"}, "logRecords": list(records)}],
            }
        ]
    }


def test_claude_code_tool_results_from_the_real_otel_exporter(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OTEL_SDK_DISABLED", raising=False)
    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from opentelemetry.sdk._logs import LoggerProvider
    from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
    from opentelemetry.sdk.resources import Resource

    exporter = OTLPLogExporter(endpoint=f"{server.url}{LOGS}", headers=auth(server))
    provider = LoggerProvider(resource=Resource.create({"service.name": "claude-code"}))
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    logger = provider.get_logger("com.anthropic.claude_code.events")
    common = {"session.id": "cc-session-1", "user.id": "u-42", "event.name": "tool_result"}
    logger.emit(
        body="claude_code.tool_result",
        attributes={
            **common,
            "tool_name": "Bash",
            "success": "true",
            "duration_ms": 12,
            "tool_use_id": "toolu_9",
            "tool_input": json.dumps({"command": "rm -rf / --no-preserve-root"}),
        },
    )
    logger.emit(
        body="claude_code.api_request",
        attributes={**common, "event.name": "api_request", "model": "claude", "cost_usd": 0.1},
    )
    logger.emit(
        body="claude_code.tool_decision",
        attributes={
            **common,
            "event.name": "tool_decision",
            "tool_name": "Bash",
            "decision": "accept",
        },
    )
    provider.shutdown()

    recorded = events(server, session_id="cc-session-1")
    assert len(recorded) == 1, recorded  # the API request and the permission decision: ignored
    event = recorded[0]
    assert event["agent_id"] == "claude-code" and event["action"] == "Bash"
    assert event["data"] == {"command": "rm -rf / --no-preserve-root"}
    ctx = event["context"]
    assert ctx["source"] == "otlp" and ctx["enforced"] is False
    assert ctx["otel_event"] == "claude_code.tool_result"
    assert ctx["tool_call_id"] == "toolu_9" and ctx["user_id"] == "u-42"
    assert ctx["tool_success"] == "true" and ctx["duration_ms"] == 12
    assert "occurred_at" in ctx

    # classified and decided exactly as the same call posted to /v1/events
    direct = httpx.post(
        f"{server.url}/v1/events",
        headers=auth(server),
        json={"agent_id": "claude-code", "action": "Bash", "data": event["data"]},
    ).json()
    for field in ("risk_level", "decision", "reason", "pii_fields", "secret_fields", "frameworks"):
        assert event[field] == direct[field], field
    assert event["risk_level"] == "critical" and event["decision"] == "block"


def test_otlp_json_gzip_genai_records_and_an_exporters_retry(server: LiveServer) -> None:
    record = {
        "timeUnixNano": "1760000000000000000",
        "traceId": "5b8efff798038103d269b633813fc60c",
        "spanId": "eee19b7ec3c1b174",
        "eventName": "gen_ai.execute_tool",
        "attributes": [
            kv("gen_ai.tool.name", "send_email"),
            kv("gen_ai.tool.call.id", "call_1"),
            kv("gen_ai.conversation.id", "genai-conv-1"),
            kv(
                "gen_ai.tool.call.arguments",
                json.dumps({"to": "jane.doe@example.com", "body": "Your invoice"}),
            ),
        ],
    }
    plain = {
        "body": {"stringValue": "GET /health 200"},
        "attributes": [kv("http.route", "/health")],
    }
    body = gzip.compress(json.dumps(otlp_json(record, plain)).encode())
    headers = auth(server, **{"Content-Type": "application/json", "Content-Encoding": "gzip"})
    for _ in range(2):  # an exporter retrying a request it thinks failed
        response = httpx.post(f"{server.url}{LOGS}", content=body, headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/json")
        assert response.json() == {
            "partialSuccess": {
                "rejectedLogRecords": 0,
                "errorMessage": "1 record(s) were not tool calls and were not recorded",
            }
        }
    recorded = events(server, session_id="genai-conv-1")
    assert len(recorded) == 1
    event = recorded[0]
    assert event["agent_id"] == "codex" and event["action"] == "send_email"
    assert event["pii_fields"] == ["email"]
    ctx = event["context"]
    assert ctx["environment"] == "production"  # from the resource: production rules apply
    assert (
        ctx["trace_id"] == "5b8efff798038103d269b633813fc60c"
        and ctx["span_id"] == "eee19b7ec3c1b174"
    )
    assert ctx["occurred_at"] == "2025-10-09T08:53:20Z"


def test_protobuf_answer_and_partial_success(server: LiveServer) -> None:
    from google.protobuf.json_format import ParseDict

    deep: dict[str, Any] = {"stringValue": "x"}
    for _ in range(40):  # deeper than an event may be: this record cannot be an event
        deep = {"arrayValue": {"values": [deep]}}
    request = ParseDict(
        {
            "resourceLogs": [
                {
                    "scopeLogs": [
                        {
                            "logRecords": [
                                {
                                    "attributes": [
                                        kv("tool_name", "Read"),
                                        kv("tool_input", '{"file_path": "/etc/hosts"}'),
                                    ]
                                },
                                {
                                    "attributes": [
                                        kv("tool_name", "Odd"),
                                        {"key": "tool_input", "value": deep},
                                    ]
                                },
                            ]
                        }
                    ]
                }
            ]
        },
        ExportLogsServiceRequest(),
    )
    response = httpx.post(
        f"{server.url}{LOGS}",
        content=request.SerializeToString(),
        headers=auth(server, **{"Content-Type": "application/x-protobuf"}),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-protobuf"
    answer = ExportLogsServiceResponse.FromString(response.content)
    assert answer.partial_success.rejected_log_records == 1
    assert "could not be events" in answer.partial_success.error_message
    assert [e["action"] for e in events(server, action="Read")] == ["Read"]


@pytest.mark.parametrize(
    ("headers", "body", "status", "detail"),
    [
        ({"Content-Type": "text/plain"}, b"{}", 415, "Content-Type must be"),
        ({"Content-Type": "application/json"}, b"{not json", 400, "malformed JSON"),
        ({"Content-Type": "application/json"}, b"\xff\xfe", 400, "not valid UTF-8"),
        (
            {"Content-Type": "application/x-protobuf"},
            b"\xff\xff\xff\xff",
            400,
            "malformed OTLP protobuf",
        ),
        (
            {"Content-Type": "application/json", "Content-Encoding": "gzip"},
            b"not gzip",
            400,
            "malformed gzip",
        ),
        (
            {"Content-Type": "application/json", "Content-Encoding": "br"},
            b"{}",
            415,
            "Content-Encoding",
        ),
    ],
)
def test_malformed_requests_get_a_clear_4xx(
    server: LiveServer, headers: dict[str, str], body: bytes, status: int, detail: str
) -> None:
    response = httpx.post(f"{server.url}{LOGS}", content=body, headers=auth(server, **headers))
    assert response.status_code == status, response.text
    assert detail in response.json()["detail"]


def test_size_limits_hold_before_and_after_decompression(server: LiveServer) -> None:
    json_headers = auth(server, **{"Content-Type": "application/json"})
    big = b'{"resourceLogs": [], "pad": "' + b"x" * (17 * 2**20) + b'"}'
    response = httpx.post(f"{server.url}{LOGS}", content=big, headers=json_headers)
    assert response.status_code == 413 and "limit" in response.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(17):
            yield b"x" * 2**20

    response = httpx.post(f"{server.url}{LOGS}", content=chunks(), headers=json_headers)
    assert response.status_code == 413
    bomb = gzip.compress(b" " * (40 * 2**20))  # 40 KB that inflate to 40 MiB
    headers = auth(server, **{"Content-Type": "application/json", "Content-Encoding": "gzip"})
    response = httpx.post(f"{server.url}{LOGS}", content=bomb, headers=headers)
    assert response.status_code == 413 and "decompressed" in response.json()["detail"]


def test_a_wrong_shape_is_a_422_naming_where(server: LiveServer) -> None:
    body = otlp_json({"attributes": [{"key": "tool_name", "value": {"stringValue": 5}}]})
    response = httpx.post(f"{server.url}{LOGS}", json=body, headers=auth(server))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == [
        "body", "resourceLogs", 0, "scopeLogs", 0, "logRecords", 0, "attributes", 0, "value", "stringValue",
    ]  # fmt: skip
    assert error["msg"] == "must be a string"
    response = httpx.post(f"{server.url}{LOGS}", json={"resourceLogs": "x"}, headers=auth(server))
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == [
        "body",
        "resourceLogs",
    ]


def test_auth_and_the_tool_record_bound(server: LiveServer) -> None:
    body = otlp_json(*[{"attributes": [kv("tool_name", "web_search")]} for _ in range(1001)])
    assert httpx.post(f"{server.url}{LOGS}", json=body).status_code == 401
    bad = {"Authorization": "Bearer aa_live_nope"}
    assert httpx.post(f"{server.url}{LOGS}", json=body, headers=bad).status_code == 401
    response = httpx.post(f"{server.url}{LOGS}", json=body, headers=auth(server))
    assert response.status_code == 413 and "at most 1000" in response.json()["detail"]
    assert events(server, action="web_search") == []  # all-or-nothing


def test_declared_in_openapi(server: LiveServer) -> None:
    doc = httpx.get(f"{server.url}/openapi.json").json()
    operation = doc["paths"][LOGS]["post"]
    assert set(operation["requestBody"]["content"]) == {
        "application/x-protobuf",
        "application/json",
    }
    assert {"200", "400", "401", "413", "415", "422"} <= set(operation["responses"])
    assert "application/x-protobuf" in operation["responses"]["200"]["content"]


def test_without_opentelemetry_proto_protobuf_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server without the `otel` extra: JSON works, protobuf says what to install."""
    import sys

    from fastapi.testclient import TestClient

    from agentaudit.server.app import create_app
    from agentaudit.server.keys import create_key
    from agentaudit.store import open_store

    monkeypatch.setitem(sys.modules, "opentelemetry.proto.collector.logs.v1.logs_service_pb2", None)
    store = open_store(tmp_path / "t.db")
    key = create_key(store, "t").key
    with TestClient(create_app(store, close_store=True)) as client:
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/x-protobuf"}
        response = client.post(LOGS, content=b"", headers=headers)
        assert response.status_code == 415 and "agentaudit[otel]" in response.json()["detail"]
        headers["Content-Type"] = "application/json"
        assert client.post(LOGS, content=b"{}", headers=headers).status_code == 200
