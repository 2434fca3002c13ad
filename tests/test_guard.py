"""The guard every adapter shares: verdicts, fail modes, result logging."""

from __future__ import annotations

import pytest

from agentaudit import ActionBlocked, AgentAudit, APIConnectionError
from agentaudit_integrations import BLOCK_PREFIX, ToolCall, ToolCallGuard


class Broken:
    """A client whose every call fails, as a server that cannot be reached would."""

    mode = "remote"

    def __init__(self, fail_mode: str) -> None:
        self.fail_mode = fail_mode

    def log(self, *args, **kwargs):
        raise APIConnectionError("connection refused")


def test_allowed_and_blocked_calls(audit: AgentAudit) -> None:
    guard = ToolCallGuard(audit, framework="test", agent_id="agent-x")
    ok = guard.check(ToolCall("web_search", {"query": "weather"}, {"run_id": "r1"}))
    assert ok.allowed and ok.event and ok.event.context["framework"] == "test"
    bad = guard.check(ToolCall("run_sql", {"sql": "DROP TABLE customers"}, reasoning="cleanup"))
    assert not bad.allowed and bad.message.startswith(BLOCK_PREFIX)
    assert bad.event.reasoning == "cleanup" and bad.event.agent_id == "agent-x"
    guard.enforce(bad)  # on_block="reject": no exception
    raising = ToolCallGuard(audit, framework="test", on_block="raise")
    with pytest.raises(ActionBlocked) as info:
        raising.enforce(bad)
    assert info.value.event.id == bad.event.id
    audit.flush()
    assert audit.list_events(decision="block").total == 1


def test_non_dict_arguments_and_agent_name(audit: AgentAudit) -> None:
    guard = ToolCallGuard(audit, framework="test")
    verdict = guard.check(ToolCall("echo", "plain text input", agent_name="Researcher"))
    assert verdict.event.data == {"input": "plain text input"}
    assert verdict.event.agent_id == "Researcher"


def test_results_are_logged_and_linked(audit: AgentAudit) -> None:
    guard = ToolCallGuard(audit, framework="test")
    call = ToolCall("crm_lookup", {"id": 7}, {"tool_call_id": "call_1"})
    verdict = guard.check(call)
    guard.record_result(call, verdict, result={"email": "jane@example.com"})
    guard.record_result(call, verdict, error=ValueError("boom"))
    audit.flush()
    result = audit.list_events(action="crm_lookup.result").events[0]
    assert result.context["call_event_id"] == verdict.event.id
    assert result.context["tool_call_id"] == "call_1"
    assert result.pii_fields == ["email"]
    error = audit.list_events(action="crm_lookup.error").events[0]
    assert error.data == {"error": "ValueError: boom"}


def test_fail_closed_blocks_and_fail_open_allows() -> None:
    closed = ToolCallGuard(Broken("closed"), framework="test").check(ToolCall("t", {}))
    assert not closed.allowed and closed.fallback
    assert closed.message.startswith(BLOCK_PREFIX + "audit unavailable")
    opened = ToolCallGuard(Broken("open"), framework="test").check(ToolCall("t", {}))
    assert opened.allowed and opened.fallback
    with pytest.raises(ActionBlocked, match="audit unavailable"):
        ToolCallGuard(Broken("closed"), framework="test", on_block="raise").enforce(closed)


def test_result_logging_failure_never_raises() -> None:
    guard = ToolCallGuard(Broken("closed"), framework="test")
    assert guard.record_result(ToolCall("t", {}), None, result="x") is None


async def test_async_paths(audit: AgentAudit) -> None:
    guard = ToolCallGuard(audit, framework="test")
    verdict = await guard.acheck(ToolCall("run_sql", {"sql": "DROP TABLE customers"}))
    assert not verdict.allowed
    closed = await ToolCallGuard(Broken("closed"), framework="test").acheck(ToolCall("t", {}))
    assert not closed.allowed and closed.fallback


def test_bad_on_block_is_rejected(audit: AgentAudit) -> None:
    with pytest.raises(ValueError, match="on_block"):
        ToolCallGuard(audit, framework="test", on_block="ignore")
