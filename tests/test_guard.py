"""The guard every adapter shares: verdicts, fail modes, result logging."""

from __future__ import annotations

import pytest

from agentaudit import ActionBlocked, AgentAudit, APIConnectionError, ConfigurationError
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


# -- what the adapters share besides the guard (agentaudit_integrations._common) -----------------
def test_recent_calls_keep_the_newest() -> None:
    from agentaudit_integrations._common import RecentCalls

    recent: RecentCalls[str, int] = RecentCalls(limit=2)
    recent.put("a", 1)
    recent.put("b", 2)
    recent.put("a", 3)  # set again: now the newest
    recent.put("c", 4)  # over the limit: the oldest ("b") goes
    assert len(recent) == 2 and recent.get("b") is None and recent.get("a") == 3
    assert recent.pop("a") == 3 and recent.get("a") is None and recent.pop("a") is None
    assert recent.pop("c") == 4 and len(recent) == 0


def test_a_missing_framework_is_one_line_naming_the_extra() -> None:
    from agentaudit.extras import MissingExtra
    from agentaudit_integrations._common import require_framework

    with pytest.raises(ImportError) as info:
        require_framework("Nowhere", "nowhere", "json", "agentaudit_no_such_framework.sub")
    assert isinstance(info.value, MissingExtra) and info.value.extra == "nowhere"
    message = str(info.value)
    assert "\n" not in message and message.startswith("the AgentAudit Nowhere adapter needs")
    assert message.endswith("install it with: pip install 'agentaudit[nowhere]'")


async def test_async_clients_are_told_apart_by_their_log(db_path) -> None:
    from agentaudit import AsyncAgentAudit
    from agentaudit_integrations._common import is_async_client, require_sync_client

    async with AsyncAgentAudit(db_path=db_path) as client:
        assert is_async_client(client) and not is_async_client(Broken("closed"))
        with pytest.raises(ConfigurationError, match="not AsyncAgentAudit"):
            require_sync_client(client, "these hooks are synchronous")
        # a sync check with an async client blocks (fail closed) instead of running the tool
        verdict = ToolCallGuard(client, framework="test").check(ToolCall("t", {}))
        assert not verdict.allowed and verdict.fallback
    with pytest.raises(TypeError, match="AgentAudit client"):
        require_sync_client(object(), "x")  # type: ignore[arg-type]
