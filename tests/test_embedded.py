"""The embedded clients: SQLite in process, sync and async, with write-behind."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agentaudit import AgentAudit, AsyncAgentAudit, NotFoundError, ValidationError

DROP = {"query": "DROP TABLE customers"}
PII = {"query": "SELECT * FROM customers WHERE email = 'jane@example.com'"}


def test_log_returns_decided_event_and_stores_it(audit: AgentAudit) -> None:
    event = audit.log("agent-1", "web_search", {"query": "weather in Lisbon"})
    assert event.stored and event.decision == "allow" and event.reason is None
    assert audit.get_event(event.id) == event


def test_blocked_event_is_stored_with_reason(audit: AgentAudit) -> None:
    event = audit.log("agent-1", "run_sql", DROP, {"environment": "production"})
    assert event.decision == "block" and event.stored
    assert event.reason and event.reason.startswith("risk critical >= block_on critical")
    assert audit.list_events(decision="block").events[0].id == event.id


def test_validation_error_names_field_and_stores_nothing(audit: AgentAudit) -> None:
    with pytest.raises(ValidationError) as info:
        audit.log("", "x", {"v": float("nan")})
    paths = {tuple(e["loc"]) for e in info.value.errors}
    assert ("agent_id",) in paths and ("data",) in paths
    assert audit.get_stats().total_events == 0


def test_batch_is_all_or_nothing(audit: AgentAudit) -> None:
    with pytest.raises(ValidationError) as info:
        audit.log_batch([{"agent_id": "a", "action": "x"}, {"agent_id": "a"}])
    assert info.value.errors[0]["loc"][0] == 1
    assert audit.get_stats().total_events == 0
    events = audit.log_batch([{"agent_id": "a", "action": "x"}, {"agent_id": "b", "action": "y"}])
    assert [e.agent_id for e in events] == ["a", "b"]
    assert audit.get_stats().total_events == 2


def test_idempotency_key_stores_once(audit: AgentAudit) -> None:
    first = audit.log("a", "web_search", {"q": "x"}, idempotency_key="k-1")
    again = audit.log("a", "web_search", {"q": "x"}, idempotency_key="k-1")
    assert again.id == first.id
    assert audit.get_stats().total_events == 1


def test_filters_paging_and_stats(audit: AgentAudit) -> None:
    audit.log("a1", "web_search", {"q": "x"}, {"session_id": "s1"})
    audit.log("a1", "database_query", PII, {"session_id": "s1"})
    audit.log("a2", "run_sql", DROP, {"session_id": "s2"})
    assert audit.list_events().total == 3
    assert [e.action for e in audit.list_events(limit=2).events] == ["run_sql", "database_query"]
    assert audit.list_events(limit=2, offset=2).events[0].action == "web_search"
    assert audit.list_events(agent_id="a1").total == 2
    assert audit.list_events(session_id="s1").total == 2
    assert audit.list_events(pii_detected=True).events[0].action == "database_query"
    assert audit.list_events(risk_level="critical").total == 1
    future = datetime.now(UTC) + timedelta(hours=1)
    assert audit.list_events(after=future).total == 0
    assert audit.list_events(before=future).total == 3
    stats = audit.get_stats()
    assert stats.total_events == 3 and stats.pii_events == 1
    assert stats.by_agent == {"a1": 2, "a2": 1}
    assert stats.by_decision == {"allow": 2, "block": 1}
    with pytest.raises(ValidationError):
        audit.list_events(limit=500)
    with pytest.raises(ValidationError):
        audit.list_events(risk_level="extreme")


def test_get_unknown_event_is_not_found(audit: AgentAudit) -> None:
    with pytest.raises(NotFoundError):
        audit.get_event("01J00000000000000000000000")


def test_policy_partial_update_and_validation(audit: AgentAudit) -> None:
    assert audit.get_policy().block_on == "critical"
    updated = audit.set_policy({"block_on": "high", "frameworks": {"soc2": True}})
    assert updated.block_on == "high" and updated.frameworks.gdpr and updated.frameworks.soc2
    with pytest.raises(ValidationError) as info:
        audit.set_policy({"block_on": "extreme"})
    assert info.value.errors[0]["loc"] == ["block_on"]
    assert audit.get_policy().block_on == "high"
    assert audit.log("a", "run_sql", PII, {"environment": "production"}).decision == "block"


def test_erase_keeps_chain_verifiable(audit: AgentAudit) -> None:
    keep = audit.log("a", "database_query", PII)
    gone = audit.log("a", "database_query", PII, reasoning="DSAR")
    assert audit.erase(gone.id)
    erased = audit.get_event(gone.id)
    assert erased.data == {} and erased.context == {} and erased.reasoning is None
    assert audit.get_event(keep.id).data == PII
    result = audit.verify()
    assert result.ok and result.checked == 3  # the two events and the record of the erasure
    record = audit.list_events(limit=1).events[0]
    assert record.kind == "erasure" and record.data == {"event_id": gone.id, "seq": 2, "count": 1}
    assert str(record.context["actor"]).startswith("embedded client: ")


def test_background_log_is_durable_after_close(db_path: Path) -> None:
    with AgentAudit(db_path=db_path) as audit:
        events = [audit.log("a", "web_search", {"i": i}, wait=False) for i in range(500)]
        assert all(e is not None and e.decision == "allow" for e in events)
    with AgentAudit(db_path=db_path) as audit:
        assert audit.get_stats().total_events == 500
        assert audit.verify().ok


def test_background_log_is_flushed_at_interpreter_exit(db_path: Path) -> None:
    script = (
        "from agentaudit import AgentAudit\n"
        f"audit = AgentAudit(db_path={str(db_path)!r})\n"
        "for i in range(300):\n"
        "    audit.log('a', 'web_search', {'i': i}, wait=False)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    with AgentAudit(db_path=db_path) as audit:
        assert audit.get_stats().total_events == 300


def test_concurrent_threads_keep_one_chain(db_path: Path) -> None:
    with AgentAudit(db_path=db_path) as audit:

        def work(n: int) -> None:
            for i in range(100):
                audit.log(f"agent-{n}", "web_search", {"i": i}, wait=i % 2 == 0)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        audit.flush()
        assert audit.get_stats().total_events == 800
        assert audit.verify().ok


def test_env_var_selects_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "from-env.db"
    monkeypatch.setenv("AGENTAUDIT_DB", str(target))
    with AgentAudit() as audit:
        assert audit.mode == "embedded"
        audit.log("a", "b")
    assert target.exists()


async def test_async_client_mirrors_sync(db_path: Path) -> None:
    async with AsyncAgentAudit(db_path=db_path) as audit:
        events = await asyncio.gather(*(audit.log("a", "web_search", {"i": i}) for i in range(200)))
        assert len({e.id for e in events}) == 200
        blocked = await audit.log("a", "run_sql", DROP)
        assert blocked.decision == "block"
        assert (await audit.get_event(blocked.id)).id == blocked.id
        assert (await audit.list_events(decision="block")).total == 1
        assert (await audit.get_stats()).total_events == 201
        assert (await audit.set_policy({"block_on": "high"})).block_on == "high"
        assert (await audit.get_policy()).block_on == "high"
        await audit.log_batch([{"agent_id": "b", "action": "x"}])
        assert (await audit.verify()).ok
        with pytest.raises(NotFoundError):
            await audit.get_event("01J00000000000000000000000")


async def test_async_client_never_touches_sqlite_on_the_loop(db_path: Path) -> None:
    async with AsyncAgentAudit(db_path=db_path) as audit:
        store = audit._backend.sync.store
        loop_thread = threading.get_ident()
        seen: list[int] = []
        original = store.append

        def spy(*args, **kwargs):
            seen.append(threading.get_ident())
            return original(*args, **kwargs)

        store.append = spy
        await asyncio.gather(*(audit.log("a", "b", {"i": i}) for i in range(20)))
        assert seen and loop_thread not in seen
