"""A call held for review waits in the LangChain middleware (issue 21 item 2): real
`create_agent` runs driven by a scripted fake model, a real embedded client, and a reviewer in
another thread deciding through its own client. Approved, the tool runs once; denied, undecided,
or approved after its arguments changed, it never runs and the model is told why."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain.agents.middleware import wrap_tool_call as lc_wrap_tool_call
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from agentaudit import AgentAudit
from agentaudit.approvals import ApprovalState
from agentaudit_integrations._guard import BLOCK_PREFIX, REVIEW_PREFIX
from agentaudit_integrations.langchain import AgentAuditMiddleware
from tests.support.live_server import run_server
from tests.test_langchain import RAN, TOOLS, arun_sql, call, scripted, tool_messages, trail, user

DELETE = "DELETE FROM customers WHERE id = 42"
WAIT = 60.0  # the most a reviewer waits for a request to appear (never asserted as a time)


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    RAN.clear()
    yield
    RAN.clear()


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[AgentAudit, Path]]:
    db = tmp_path / "lc.db"
    with AgentAudit(db_path=db) as audit:
        audit.set_policy({"review_actions": ["run_sql", "arun_sql"]})
        yield audit, db


def _reviewer(
    db: Path, decision: str, comment: str, before: Callable[[], None] | None = None
) -> threading.Thread:
    """A person at the approval queue: decides the first pending request that appears."""

    def work() -> None:
        with AgentAudit(db_path=db) as reviewer:
            deadline = time.monotonic() + WAIT
            while time.monotonic() < deadline:
                pending = reviewer.list_approvals(ApprovalState.PENDING)
                if pending:
                    if before is not None:
                        before()
                    reviewer.decide_approval(pending[0].id, decision, comment)
                    return
                time.sleep(0.05)

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def _model(tool: str = "run_sql") -> Any:
    return scripted(
        AIMessage(
            content="The customer asked to be removed.",
            tool_calls=[call(tool, {"sql": DELETE}, "h1")],
        )
    )


def _agent(audit: AgentAudit, timeout: float, *outer: Any, tool: str = "run_sql") -> Any:
    guard = AgentAuditMiddleware(audit, approval_timeout=timeout, approval_poll=0.05)
    tools = [*TOOLS, arun_sql]
    return create_agent(_model(tool), tools, middleware=[*outer, guard], name="ops")


def _told(result: dict[str, Any]) -> ToolMessage:
    message = tool_messages(result)["h1"]
    assert result["messages"][-1].content == "All done."  # the model read it and carried on
    return message


def test_an_approved_call_runs_once(held: tuple[AgentAudit, Path]) -> None:
    audit, db = held
    audit.set_policy({"block_on": None, "review_on": "high"})  # a DELETE is high risk
    reviewer = _reviewer(db, "approve", "ok for 42")
    result = _agent(audit, WAIT).invoke(user())
    reviewer.join()
    assert RAN == [("run_sql", DELETE)]
    message = _told(result)
    assert message.status == "success" and message.content == "ok"
    events = trail(audit)
    held_call = next(e for e in events if e.action == "run_sql")
    assert held_call.decision == "review" and held_call.approval_id
    outcome = next(e for e in events if e.kind == "approval")
    assert outcome.action == "approve_call" and outcome.data["event_id"] == held_call.id
    ran = next(e for e in events if e.action == "run_sql.result")
    assert ran.context["call_event_id"] == held_call.id
    assert audit.verify().ok


async def test_an_approved_call_runs_once_in_an_async_run(held: tuple[AgentAudit, Path]) -> None:
    """ainvoke with an async tool: the wait runs off the event loop, the tool runs once."""
    audit, db = held
    reviewer = _reviewer(db, "approve", "fine")
    result = await _agent(audit, WAIT, tool="arun_sql").ainvoke(user())
    reviewer.join()
    assert RAN == [("arun_sql", DELETE)]
    assert _told(result).status == "success"


def test_a_denied_call_never_runs_and_the_model_is_told(held: tuple[AgentAudit, Path]) -> None:
    audit, db = held
    reviewer = _reviewer(db, "deny", "not on prod")
    result = _agent(audit, WAIT).invoke(user())
    reviewer.join()
    assert RAN == []
    message = _told(result)
    assert message.status == "error" and message.content.startswith(REVIEW_PREFIX)
    assert "denied by embedded client" in message.content
    assert message.content.split(" (approval ")[0].endswith(": not on prod")
    assert message.artifact["agentaudit"]["decision"] == "review"
    assert not any(e.action == "run_sql.result" for e in trail(audit))


def test_no_decision_in_time_means_the_call_never_runs(held: tuple[AgentAudit, Path]) -> None:
    audit, _ = held
    result = _agent(audit, 0.2).invoke(user())
    assert RAN == []
    message = _told(result)
    assert (
        message.content.startswith(REVIEW_PREFIX) and "no decision within 0.2 s" in message.content
    )
    (pending,) = audit.list_approvals(ApprovalState.PENDING)  # still open; nothing ran
    assert pending.event_id == next(e.id for e in trail(audit) if e.action == "run_sql")


def test_arguments_changed_before_approval_are_refused(held: tuple[AgentAudit, Path]) -> None:
    """Something rewrites the call's arguments while it waits (here an outer middleware's view
    of the request): the approval was asked for the old ones, so the new ones never run."""
    audit, db = held
    seen: list[dict[str, Any]] = []

    @lc_wrap_tool_call
    def keep_args(request: Any, handler: Any) -> Any:
        seen.append(request.tool_call["args"])
        return handler(request)

    def tamper() -> None:
        seen[0]["sql"] = "DELETE FROM customers"

    reviewer = _reviewer(db, "approve", "ok for 42", before=tamper)
    result = _agent(audit, WAIT, keep_args).invoke(user())
    reviewer.join()
    assert seen and seen[0]["sql"] == "DELETE FROM customers"  # the tamper really happened
    assert RAN == []
    message = _told(result)
    assert message.status == "error" and message.content.startswith(REVIEW_PREFIX)
    assert "approval was given for other arguments" in message.content


# -- approval="interrupt": LangGraph's own pause (interrupt / Command(resume=...)) --------------
THREAD = {"configurable": {"thread_id": "t-held"}}


def _interrupting(audit: AgentAudit, *outer: Any, tool: str = "run_sql") -> Any:
    guard = AgentAuditMiddleware(audit, approval="interrupt", approval_poll=0.05)
    return create_agent(
        _model(tool),
        [*TOOLS, arun_sql],
        middleware=[*outer, guard],
        name="ops",
        checkpointer=InMemorySaver(),
    )


def _paused_on(first: dict[str, Any], audit: AgentAudit) -> str:
    """The run stopped at AgentAudit's interrupt, naming the pending approval."""
    (pause,) = first["__interrupt__"]
    held = pause.value["agentaudit"]
    assert held["tool"] == "run_sql" and held["tool_call_id"] == "h1"
    assert held["reason"].startswith(REVIEW_PREFIX)
    (pending,) = audit.list_approvals(ApprovalState.PENDING)
    assert pending.id == held["approval_id"]
    return str(held["approval_id"])


def test_interrupt_approved_resumes_and_runs_once(held: tuple[AgentAudit, Path]) -> None:
    audit, _ = held
    agent = _interrupting(audit)
    first = agent.invoke(user(), THREAD)
    assert RAN == []
    approval_id = _paused_on(first, audit)
    audit.decide_approval(approval_id, "approve", "ok for 42")
    result = agent.invoke(Command(resume=True), THREAD)
    assert RAN == [("run_sql", DELETE)]
    assert _told(result).content == "ok"
    actions = [e.action for e in trail(audit) if e.action.startswith("run_sql")]
    assert actions == ["run_sql", "run_sql.result"]  # logged once across the pause


async def test_interrupt_in_an_async_run(held: tuple[AgentAudit, Path]) -> None:
    audit, _ = held
    agent = _interrupting(audit, tool="arun_sql")
    first = await agent.ainvoke(user(), THREAD)
    (pause,) = first["__interrupt__"]
    audit.decide_approval(pause.value["agentaudit"]["approval_id"], "approve", "fine")
    result = await agent.ainvoke(Command(resume=True), THREAD)
    assert RAN == [("arun_sql", DELETE)]
    assert _told(result).status == "success"


def test_interrupt_denied_never_runs_and_the_model_is_told(
    held: tuple[AgentAudit, Path],
) -> None:
    audit, _ = held
    agent = _interrupting(audit)
    approval_id = _paused_on(agent.invoke(user(), THREAD), audit)
    audit.decide_approval(approval_id, "deny", "not on prod")
    result = agent.invoke(Command(resume={"decision": "approve"}), THREAD)  # resume value ignored
    assert RAN == []
    message = _told(result)
    assert (
        message.content.startswith(REVIEW_PREFIX) and "denied by embedded client" in message.content
    )


def test_interrupt_resumed_before_a_decision_never_runs(held: tuple[AgentAudit, Path]) -> None:
    audit, _ = held
    agent = _interrupting(audit)
    _paused_on(agent.invoke(user(), THREAD), audit)
    result = agent.invoke(Command(resume=True), THREAD)
    assert RAN == []
    assert "not decided yet" in _told(result).content


def test_interrupt_arguments_changed_before_resume_are_refused(
    held: tuple[AgentAudit, Path],
) -> None:
    """An outer middleware rewrites the call's arguments when the run resumes."""
    audit, _ = held
    resumed: list[bool] = []

    @lc_wrap_tool_call
    def rewrite_on_resume(request: Any, handler: Any) -> Any:
        if resumed:
            request.tool_call["args"]["sql"] = "DELETE FROM customers"
        return handler(request)

    agent = _interrupting(audit, rewrite_on_resume)
    approval_id = _paused_on(agent.invoke(user(), THREAD), audit)
    audit.decide_approval(approval_id, "approve", "ok for 42")
    resumed.append(True)
    result = agent.invoke(Command(resume=True), THREAD)
    assert RAN == []
    assert "approval was given for other arguments" in _told(result).content


def test_interrupt_two_held_calls_in_one_turn(held: tuple[AgentAudit, Path]) -> None:
    """Two held calls pause together; resumed by interrupt id, each follows its own decision."""
    audit, _ = held
    other = "DELETE FROM customers WHERE id = 7"
    model = scripted(
        AIMessage(
            content="Remove both.",
            tool_calls=[
                call("run_sql", {"sql": DELETE}, "h1"),
                call("run_sql", {"sql": other}, "h2"),
            ],
        )
    )
    guard = AgentAuditMiddleware(audit, approval="interrupt")
    agent = create_agent(model, TOOLS, middleware=[guard], checkpointer=InMemorySaver())
    first = agent.invoke(user(), THREAD)
    pauses = {p.value["agentaudit"]["tool_call_id"]: p for p in first["__interrupt__"]}
    assert sorted(pauses) == ["h1", "h2"] and RAN == []
    audit.decide_approval(pauses["h1"].value["agentaudit"]["approval_id"], "approve", "ok")
    audit.decide_approval(pauses["h2"].value["agentaudit"]["approval_id"], "deny", "no")
    result = agent.invoke(Command(resume={p.id: True for p in pauses.values()}), THREAD)
    assert RAN == [("run_sql", DELETE)]
    messages = tool_messages(result)
    assert messages["h1"].content == "ok" and messages["h2"].content.startswith(REVIEW_PREFIX)


# -- against a real server process ----------------------------------------------------------------
def test_a_remote_client_waits_and_an_approval_given_over_rest_runs_the_call(
    tmp_path: Path,
) -> None:
    """The adapter polls the server; another key of the organisation approves over REST."""
    with run_server(db_path=tmp_path / "srv.db") as srv:
        client = AgentAudit(
            api_key=srv.new_key(org="lc-held"), base_url=srv.url, spool_dir=tmp_path / "spool"
        )
        with client as audit:
            audit.set_policy({"review_actions": ["run_sql"]})
            approver_key = srv.new_key(org="lc-held")

            def approve() -> None:
                with AgentAudit(api_key=approver_key, base_url=srv.url) as reviewer:
                    deadline = time.monotonic() + WAIT
                    while time.monotonic() < deadline:
                        pending = reviewer.list_approvals(ApprovalState.PENDING)
                        if pending:
                            reviewer.decide_approval(pending[0].id, "approve", "over REST")
                            return
                        time.sleep(0.05)

            reviewer = threading.Thread(target=approve)
            reviewer.start()
            result = _agent(audit, WAIT).invoke(user())
            reviewer.join()
            assert RAN == [("run_sql", DELETE)]
            assert _told(result).content == "ok"
            held_call = next(e for e in trail(audit) if e.action == "run_sql")
            assert audit.get_approval(held_call).approver  # decided by the other key


def test_when_the_approval_cannot_be_read_fail_mode_decides(tmp_path: Path) -> None:
    """Paused while the server was up, resumed after it went away: fail closed, never run."""
    with run_server(db_path=tmp_path / "srv.db") as srv:
        key, url = srv.new_key(org="lc-down"), srv.url
        with AgentAudit(api_key=key, base_url=url, spool_dir=tmp_path / "s") as setup:
            setup.set_policy({"review_actions": ["run_sql"]})
        audit = AgentAudit(
            api_key=key, base_url=url, spool_dir=tmp_path / "spool", timeout=2.0, max_retries=0
        )
        agent = _interrupting(audit)
        first = agent.invoke(user(), THREAD)
        assert first["__interrupt__"] and RAN == []
    result = agent.invoke(Command(resume=True), THREAD)  # the server is gone now
    audit.close()
    assert RAN == []
    message = _told(result)
    assert message.content.startswith(BLOCK_PREFIX + "audit unavailable")
    assert message.artifact["agentaudit"]["fallback"] is True
