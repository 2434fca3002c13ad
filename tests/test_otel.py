"""OpenTelemetry spans of audited calls, sent by the real OpenTelemetry SDK and OTLP/HTTP exporter
to a real receiver started here: GenAI `execute_tool` attributes, the guard's verdict and what it
enforced, and the parent span (the framework's, or a W3C traceparent) when there is one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from agentaudit import AgentAudit, AsyncAgentAudit
from agentaudit_integrations.langchain import AgentAuditMiddleware
from agentaudit_integrations.otel import rule_of, traced
from tests.support.live_server import unreachable_client
from tests.support.otlp_receiver import ReceivedSpan, Receiver, otlp_receiver

INTERNAL = 1  # Span.SpanKind.SPAN_KIND_INTERNAL in OTLP
STATUS_ERROR = 2


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with otlp_receiver() as r:
        yield r


@pytest.fixture
def provider(receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> Iterator[TracerProvider]:
    monkeypatch.delenv("OTEL_SDK_DISABLED", raising=False)  # conftest turns the SDK off
    p = TracerProvider(resource=Resource.create({"service.name": "support-bot"}))
    p.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=receiver.traces_url)))
    yield p
    p.shutdown()


def tool_spans(receiver: Receiver, n: int) -> list[ReceivedSpan]:
    spans = receiver.wait_for(
        lambda s: len([x for x in s if x.name.startswith("execute_tool")]) >= n
    )
    return [s for s in spans if s.name.startswith("execute_tool")]


def test_a_blocked_call_under_the_frameworks_span(
    receiver: Receiver, provider: TracerProvider, tmp_path: Path
) -> None:
    audit = traced(AgentAudit(db_path=tmp_path / "a.db"), provider)
    framework = provider.get_tracer("my-framework")
    with framework.start_as_current_span("invoke_agent support") as parent:
        event = audit.log(
            "support",
            "run_sql",
            {"sql": "DROP TABLE customers"},
            {"tool_call_id": "call_7", "session_id": "s-1", "environment": "production"},
        )
    audit.close()
    assert event.decision == "block"
    [span] = tool_spans(receiver, 1)
    assert span.name == "execute_tool run_sql" and span.kind == INTERNAL
    assert span.scope == "agentaudit" and span.resource["service.name"] == "support-bot"
    assert span.trace_id == format(parent.get_span_context().trace_id, "032x")
    assert span.parent_span_id == format(parent.get_span_context().span_id, "016x")
    a = span.attributes
    assert a["gen_ai.operation.name"] == "execute_tool"
    assert a["gen_ai.tool.name"] == "run_sql" and a["gen_ai.tool.type"] == "function"
    assert a["gen_ai.tool.call.id"] == "call_7"
    assert a["gen_ai.agent.name"] == "support" and a["gen_ai.conversation.id"] == "s-1"
    assert a["agentaudit.decision"] == "block" and a["agentaudit.enforced"] == "block"
    assert a["agentaudit.fallback"] is False and a["agentaudit.fail_mode"] == "closed"
    assert a["agentaudit.risk_level"] == "critical"
    assert a["agentaudit.rule"] == rule_of(event) and a["agentaudit.rule"]
    assert "." in a["agentaudit.rule"] and not a["agentaudit.rule"].startswith("policy.")
    assert a["agentaudit.event_id"] == event.id
    assert a["agentaudit.reason"] == event.reason
    assert "ai_act.art_14" in a["agentaudit.articles"]
    assert a["agentaudit.frameworks.ai_act"] == event.frameworks["ai_act"]
    assert "gen_ai.tool.call.arguments" not in a  # opt-in only: arguments may carry PII
    assert span.status_code == STATUS_ERROR and a["error.type"] == "agentaudit.blocked"


def test_allowed_call_without_a_parent_is_a_root_span_with_pii_types(
    receiver: Receiver, provider: TracerProvider, tmp_path: Path
) -> None:
    audit = traced(AgentAudit(db_path=tmp_path / "a.db"), provider, record_arguments=True)
    event = audit.log("crm", "lookup", {"email": "jane@example.com"})
    audit.close()
    [span] = tool_spans(receiver, 1)
    assert span.parent_span_id == ""
    a = span.attributes
    assert a["agentaudit.decision"] == "allow" and a["agentaudit.enforced"] == "allow"
    assert a["agentaudit.pii_fields"] == ["email"] and "agentaudit.rule" not in a
    assert a["gen_ai.tool.call.arguments"] == '{"email": "jane@example.com"}'
    assert span.status_code != STATUS_ERROR and event.decision == "allow"


def test_a_traceparent_in_the_context_is_the_parent(
    receiver: Receiver, provider: TracerProvider, tmp_path: Path
) -> None:
    audit = traced(AgentAudit(db_path=tmp_path / "a.db"), provider)
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    audit.log("a", "web_search", {"q": "x"}, {"traceparent": traceparent})
    audit.close()
    [span] = tool_spans(receiver, 1)
    assert span.trace_id == "0af7651916cd43dd8448eb211c80319c"
    assert span.parent_span_id == "b7ad6b7169203331"


@pytest.mark.parametrize("fail_mode", ["open", "closed"])
def test_no_verdict_shows_what_fail_mode_enforced(
    receiver: Receiver, provider: TracerProvider, tmp_path: Path, fail_mode: str
) -> None:
    audit = traced(unreachable_client(fail_mode, tmp_path), provider)
    event = audit.log("a", "web_search", {"q": "x"})
    audit.close()
    [span] = tool_spans(receiver, 1)
    a = span.attributes
    assert a["agentaudit.decision"] == "unavailable" and a["agentaudit.fallback"] is True
    assert a["agentaudit.enforced"] == ("allow" if fail_mode == "open" else "block")
    assert event.decision == ("allow" if fail_mode == "open" else "block")


async def test_async_client(receiver: Receiver, provider: TracerProvider, tmp_path: Path) -> None:
    async with traced(AsyncAgentAudit(db_path=tmp_path / "a.db"), provider) as audit:
        event = await audit.log("a", "shell", {"command": "rm -rf /"})
        assert event.decision == "block"
        assert (await audit.get_stats()).total_events == 1  # everything else is delegated
    [span] = tool_spans(receiver, 1)
    assert span.attributes["agentaudit.enforced"] == "block"


class ScriptedModel(GenericFakeChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any) -> ScriptedModel:
        return self


RAN: list[str] = []


@tool
def run_sql(sql: str) -> str:
    """Run SQL on the production database."""
    RAN.append(sql)
    return "ok"


def test_through_a_real_langchain_agent_under_its_run_span(
    receiver: Receiver, provider: TracerProvider, tmp_path: Path
) -> None:
    """The wrapper is what the adapters get; their results add no span of their own."""
    RAN.clear()
    model = ScriptedModel(
        messages=iter(
            [
                AIMessage(content="", tool_calls=[{"name": "run_sql", "args": {"sql": "SELECT 1"}, "id": "c1", "type": "tool_call"}]),
                AIMessage(content="", tool_calls=[{"name": "run_sql", "args": {"sql": "DROP TABLE orders"}, "id": "c2", "type": "tool_call"}]),
                AIMessage(content="done"),
            ]
        )
    )  # fmt: skip
    audit = traced(AgentAudit(db_path=tmp_path / "a.db"), provider)
    agent = create_agent(model, [run_sql], middleware=[AgentAuditMiddleware(audit)], name="ops")
    with provider.get_tracer("app").start_as_current_span("invoke_agent ops") as run:
        agent.invoke({"messages": [{"role": "user", "content": "tidy up"}]})
    audit.close()
    assert RAN == ["SELECT 1"]  # the DROP was vetoed
    spans = tool_spans(receiver, 2)
    assert [(s.attributes["gen_ai.tool.call.id"], s.attributes["agentaudit.enforced"]) for s in spans] == [
        ("c1", "allow"),
        ("c2", "block"),
    ]  # fmt: skip
    run_id = format(run.get_span_context().span_id, "016x")
    assert all(s.parent_span_id == run_id for s in spans)
    assert all(s.attributes["agentaudit.framework"] == "langchain" for s in spans)
    assert len(spans) == 2  # the tool's result was logged (an event) but is not a second span
