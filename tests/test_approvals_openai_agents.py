"""A call held for review waits in the OpenAI Agents input guardrail (issue 21 item 2): the real
Runner driven by a scripted fake model, a real embedded client, and a reviewer in another thread
deciding through its own client. Approved, the tool runs once; denied, undecided, or approved
after its arguments changed, it never runs and the model is told why.

Runs in both venvs (`.venv`: openai-agents 0.20.x; `.venv-oa`: the newest)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from agents import Agent, Runner
from agents.exceptions import ModelBehaviorError

from agentaudit import AgentAudit, AsyncAgentAudit
from agentaudit.approvals import ApprovalState
from agentaudit_integrations._guard import BLOCK_PREFIX, REVIEW_PREFIX
from agentaudit_integrations.openai_agents import instrument, resolve_interruptions
from tests.support.live_server import run_server
from tests.test_openai_agents import RAN, FakeModel, call, new_tools, say, trail

pytestmark = pytest.mark.openai_agents

DELETE = "DELETE FROM customers WHERE id = 42"
WAIT = 60.0  # the most a reviewer waits for a request to appear (never asserted as a time)


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    RAN.clear()
    yield
    RAN.clear()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "oa.db"


@pytest.fixture
def held(db: Path) -> Iterator[AgentAudit]:
    with AgentAudit(db_path=db) as audit:
        audit.set_policy({"review_actions": ["run_sql"]})
        yield audit


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


def _setup(audit: Any, timeout: float) -> tuple[Agent[Any], FakeModel, Any]:
    """An agent whose model asks once to run the DELETE, then answers; and that call item."""
    item = call("run_sql", {"query": DELETE}, "h1")
    model = FakeModel([[say("The customer asked to be removed."), item], [say("All done.")]])
    agent = Agent(name="ops", instructions="Help.", model=model, tools=new_tools())
    instrument(agent, audit, approval_timeout=timeout, approval_poll=0.05)
    return agent, model, item


def test_an_approved_call_runs_once(held: AgentAudit, db: Path) -> None:
    held.set_policy({"block_on": None, "review_on": "high"})  # a DELETE is high risk
    agent, model, _ = _setup(held, WAIT)
    reviewer = _reviewer(db, "approve", "ok for 42")
    result = Runner.run_sync(agent, "remove customer 42")
    reviewer.join()
    assert RAN == [("run_sql", DELETE)]
    assert model.outputs_sent()["h1"] == "done" and result.final_output == "All done."
    events = trail(held)
    held_call = next(e for e in events if e.action == "run_sql")
    assert held_call.decision == "review" and held_call.approval_id
    outcome = next(e for e in events if e.kind == "approval")
    assert outcome.action == "approve_call" and outcome.data["event_id"] == held_call.id
    ran = next(e for e in events if e.action == "run_sql.result")
    assert ran.context["call_event_id"] == held_call.id
    assert held.verify().ok


def test_an_approved_call_runs_once_with_the_async_client(db: Path) -> None:
    with AgentAudit(db_path=db) as setup:
        setup.set_policy({"review_actions": ["run_sql"]})

    async def main() -> Any:
        async with AsyncAgentAudit(db_path=db) as audit:
            agent, model, _ = _setup(audit, WAIT)
            reviewer = _reviewer(db, "approve", "fine")
            result = await Runner.run(agent, "remove customer 42")
            await asyncio.to_thread(reviewer.join)
            return result, model

    result, model = asyncio.run(main())
    assert RAN == [("run_sql", DELETE)]
    assert model.outputs_sent()["h1"] == "done" and result.final_output == "All done."


def test_a_denied_call_never_runs_and_the_model_is_told(held: AgentAudit, db: Path) -> None:
    agent, model, _ = _setup(held, WAIT)
    reviewer = _reviewer(db, "deny", "not on prod")
    result = Runner.run_sync(agent, "remove customer 42")
    reviewer.join()
    assert RAN == []
    told = model.outputs_sent()["h1"]
    assert told.startswith(REVIEW_PREFIX) and "denied by embedded client" in told
    assert told.split(" (approval ")[0].endswith(": not on prod")
    assert result.final_output == "All done."
    (guardrail,) = [
        r.output
        for r in result.tool_input_guardrail_results
        if r.output.output_info and r.output.output_info.get("event_id")
    ]
    assert guardrail.output_info["decision"] == "review"
    assert not any(e.action == "run_sql.result" for e in trail(held))


def test_no_decision_in_time_means_the_call_never_runs(held: AgentAudit) -> None:
    agent, model, _ = _setup(held, 0.2)
    result = Runner.run_sync(agent, "remove customer 42")
    assert RAN == []
    told = model.outputs_sent()["h1"]
    assert told.startswith(REVIEW_PREFIX) and "no decision within 0.2 s" in told
    assert result.final_output == "All done."
    (pending,) = held.list_approvals(ApprovalState.PENDING)  # still open; nothing ran
    assert pending.event_id == next(e.id for e in trail(held) if e.action == "run_sql")


def test_arguments_changed_before_approval_are_refused(held: AgentAudit, db: Path) -> None:
    """The model's call item is rewritten while it waits (the SDK invokes the tool with the
    item's arguments as they are then): the approval was asked for the old ones, so the new
    ones never run."""
    agent, model, item = _setup(held, WAIT)
    changed = json.dumps({"query": "DELETE FROM customers"})

    def tamper() -> None:
        item.arguments = changed

    reviewer = _reviewer(db, "approve", "ok for 42", before=tamper)
    result = Runner.run_sync(agent, "remove customer 42")
    reviewer.join()
    assert item.arguments == changed  # the tamper really happened
    assert RAN == []
    told = model.outputs_sent()["h1"]
    assert told.startswith(REVIEW_PREFIX) and "approval was given for other arguments" in told
    assert result.final_output == "All done."


# -- approval="interrupt": the SDK's own pause (needs_approval / result.interruptions) -------------
def _paused(audit: Any) -> tuple[Agent[Any], FakeModel]:
    item = call("run_sql", {"query": DELETE}, "p1")
    model = FakeModel([[say("The customer asked to be removed."), item], [say("All done.")]])
    agent = Agent(name="ops", instructions="Help.", model=model, tools=new_tools())
    instrument(agent, audit, approval="interrupt", approval_poll=0.05)
    return agent, model


async def _pause_then_resume(
    audit: AgentAudit, db: Path, decision: str | None, before: Callable[[Any], None] | None = None
) -> tuple[Any, FakeModel]:
    """Run until AgentAudit pauses it, let a reviewer decide (or nobody), then resume."""
    agent, model = _paused(audit)
    first = await Runner.run(agent, "remove customer 42")
    assert RAN == [] and len(first.interruptions) == 1  # paused before the tool
    assert first.interruptions[0].raw_item.call_id == "p1"
    (pending,) = audit.list_approvals(ApprovalState.PENDING)
    if before is not None:
        before(first)
    if decision is not None:
        reviewer = _reviewer(db, decision, "ok for 42" if decision == "approve" else "no")
        try:
            state = await resolve_interruptions(first, timeout=WAIT)
        finally:
            await asyncio.to_thread(reviewer.join)
    else:
        state = await resolve_interruptions(first, timeout=0.2)
    return await Runner.run(agent, state), model


async def test_interrupt_approved_resumes_and_runs_once(held: AgentAudit, db: Path) -> None:
    result, model = await _pause_then_resume(held, db, "approve")
    assert RAN == [("run_sql", DELETE)]
    assert model.outputs_sent()["p1"] == "done" and result.final_output == "All done."
    assert not result.interruptions
    events = trail(held)
    assert [e.action for e in events if e.action.startswith("run_sql")] == [
        "run_sql",
        "run_sql.result",
    ]  # logged once, by needs_approval; its result linked to it
    held_call = next(e for e in events if e.action == "run_sql")
    assert held_call.decision == "review" and held_call.context["tool_call_id"] == "p1"
    assert next(e for e in events if e.action == "run_sql.result").context["call_event_id"] == (
        held_call.id
    )


async def test_interrupt_denied_never_runs_and_the_model_is_told(
    held: AgentAudit, db: Path
) -> None:
    result, model = await _pause_then_resume(held, db, "deny")
    assert RAN == []
    told = model.outputs_sent()["p1"]
    assert told.startswith(REVIEW_PREFIX) and "denied by embedded client" in told
    assert result.final_output == "All done."


async def test_interrupt_undecided_never_runs(held: AgentAudit, db: Path) -> None:
    result, model = await _pause_then_resume(held, db, None)
    assert RAN == []
    assert "no decision within 0.2 s" in model.outputs_sent()["p1"]
    assert result.final_output == "All done."


async def test_interrupt_arguments_changed_before_resume_are_refused(
    held: AgentAudit, db: Path
) -> None:
    """The paused call item is rewritten before the run resumes. The SDK itself then refuses to
    record any decision for it (its fingerprint of the call no longer matches), and AgentAudit's
    digest does not match either: the rewritten call never runs."""
    changed = json.dumps({"query": "DELETE FROM customers"})

    def tamper(first: Any) -> None:
        first.interruptions[0].raw_item.arguments = changed

    with pytest.raises(ModelBehaviorError, match="different invocation"):
        await _pause_then_resume(held, db, "approve", before=tamper)
    assert RAN == []
    (approval,) = held.list_approvals(ApprovalState.APPROVED)  # approved for the old arguments
    call_event = next(e for e in trail(held) if e.action == "run_sql")
    assert call_event.data == {"query": DELETE} and approval.event_id == call_event.id


async def test_interrupt_mode_lets_allowed_calls_run_without_a_pause(held: AgentAudit) -> None:
    item = call("web_search", {"query": "weather"}, "a1")
    model = FakeModel([[say("Searching."), item], [say("All done.")]])
    agent = Agent(name="ops", instructions="Help.", model=model, tools=new_tools())
    instrument(agent, held, approval="interrupt")
    result = await Runner.run(agent, "weather?")
    assert RAN == [("web_search", "weather")] and not result.interruptions
    assert [e.action for e in trail(held)] == ["web_search", "web_search.result"]  # logged once


def test_interrupt_mode_takes_no_approval_timeout(held: AgentAudit) -> None:
    with pytest.raises(ValueError, match="resolve_interruptions"):
        instrument(
            Agent(name="x", tools=new_tools()), held, approval="interrupt", approval_timeout=5
        )


async def test_interrupt_mode_refuses_blocked_calls_without_a_pause(held: AgentAudit) -> None:
    item = call("run_sql", {"query": "DROP TABLE customers"}, "b1")  # block wins over review
    model = FakeModel([[say("Dropping."), item], [say("All done.")]])
    agent = Agent(name="ops", instructions="Help.", model=model, tools=new_tools())
    instrument(agent, held, approval="interrupt")
    result = await Runner.run(agent, "drop it")
    assert RAN == [] and not result.interruptions
    assert model.outputs_sent()["b1"].startswith(BLOCK_PREFIX)
    assert [(e.action, e.decision) for e in trail(held)] == [("run_sql", "block")]  # logged once


# -- against a real server process ----------------------------------------------------------------
@pytest.mark.parametrize("approval", ["wait", "interrupt"])
async def test_a_remote_client_and_an_approval_given_over_rest(
    tmp_path: Path, approval: str
) -> None:
    """The adapter reads the approval from the server; another key of the organisation
    approves over REST."""
    with run_server(db_path=tmp_path / "srv.db") as srv:
        org = f"oa-held-{approval}"
        client = AgentAudit(
            api_key=srv.new_key(org=org), base_url=srv.url, spool_dir=tmp_path / "s"
        )
        approver_key = srv.new_key(org=org)
        with client as audit:
            audit.set_policy({"review_actions": ["run_sql"]})

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
            try:
                if approval == "wait":
                    agent, model, _ = _setup(audit, WAIT)
                    result = await Runner.run(agent, "remove customer 42")
                    told = model.outputs_sent()["h1"]
                else:
                    agent, model = _paused(audit)
                    first = await Runner.run(agent, "remove customer 42")
                    assert RAN == [] and first.interruptions
                    state = await resolve_interruptions(first, timeout=WAIT)
                    result = await Runner.run(agent, state)
                    told = model.outputs_sent()["p1"]
            finally:
                await asyncio.to_thread(reviewer.join)
            assert RAN == [("run_sql", DELETE)]
            assert told == "done" and result.final_output == "All done."
