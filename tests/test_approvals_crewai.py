"""A call held for review waits in the CrewAI hook (issue 21 part 1, item 7): real crews driven
by a scripted fake model. Approved, the tool runs once; denied or undecided, it never runs and
the model is told why."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentaudit import AgentAudit
from agentaudit.approvals import ApprovalState
from agentaudit_integrations._guard import REVIEW_PREFIX
from agentaudit_integrations.crewai import instrument
from tests.test_crewai import RAN, crew_of, model, ops_agent, ran, react, trail

DELETE = "DELETE FROM customers WHERE id = 42"
WAIT = 60.0  # the most a test waits for what it expects (never asserted as a time)
FINAL = "Thought: I now know the final answer\nFinal Answer: done"


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    RAN.clear()
    yield


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[AgentAudit, Path]]:
    db = tmp_path / "crew.db"
    with AgentAudit(db_path=db) as audit:
        audit.set_policy({"review_actions": ["run_sql"]})
        yield audit, db


def _reviewer(db: Path, decision: str, comment: str) -> threading.Thread:
    """A person at the approval queue: decides the first pending request that appears."""

    def work() -> None:
        with AgentAudit(db_path=db) as reviewer:
            deadline = time.monotonic() + WAIT
            while time.monotonic() < deadline:
                pending = reviewer.list_approvals(ApprovalState.PENDING)
                if pending:
                    reviewer.decide_approval(pending[0].id, decision, comment)
                    return
                time.sleep(0.05)

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def _run(audit: AgentAudit, timeout: float) -> tuple[str, list[str]]:
    llm = model("react", [react("Remove the customer.", "run_sql", {"query": DELETE}), FINAL])
    with instrument(audit, approval_timeout=timeout, approval_poll=0.05):
        output = crew_of(ops_agent(llm)).kickoff().raw
    return output, llm.tool_outputs()


def test_an_approved_call_runs_once(held: tuple[AgentAudit, Path]) -> None:
    audit, db = held
    reviewer = _reviewer(db, "approve", "ok for 42")
    output, shown = _run(audit, WAIT)
    reviewer.join()
    assert output == "done" and ran("run_sql") == [DELETE]
    assert not any(s.startswith(REVIEW_PREFIX) for s in shown), shown
    events = trail(audit)
    call = next(e for e in events if e.action == "run_sql")
    assert call.decision == "review" and call.approval_id
    outcome = next(e for e in events if e.kind == "approval")
    assert outcome.action == "approve_call" and outcome.data["event_id"] == call.id
    assert audit.verify().ok


def test_a_denied_call_never_runs_and_the_model_is_told(held: tuple[AgentAudit, Path]) -> None:
    audit, db = held
    reviewer = _reviewer(db, "deny", "not on prod")
    output, shown = _run(audit, WAIT)
    reviewer.join()
    assert output == "done" and ran("run_sql") == []
    told = [s for s in shown if s.startswith(REVIEW_PREFIX)]
    assert told and "denied by embedded client: " in told[0], shown
    assert told[0].split(" (approval ")[0].endswith(": not on prod"), shown


def test_no_decision_in_time_means_the_call_never_runs(held: tuple[AgentAudit, Path]) -> None:
    audit, _ = held
    output, shown = _run(audit, 0.2)
    assert output == "done" and ran("run_sql") == []
    assert any(s.startswith(REVIEW_PREFIX) and "no decision" in s for s in shown), shown
