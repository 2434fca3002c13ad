"""The remote SDK against a real `agentaudit serve` process: methods, typed errors, background
logging, a SIGKILL in the middle of 5,000 events, spool recovery across processes, fail modes."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentaudit import (
    AgentAudit,
    AgentAuditError,
    AsyncAgentAudit,
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    Policy,
    ValidationError,
)
from agentaudit.spool import SEALED_PREFIX, SPOOL_FILE
from tests.conftest import REPO_ROOT
from tests.support.live_server import LiveServer, run_server

DROP = {"query": "DROP TABLE customers", "database": "production"}
PII = {
    "query": "SELECT * FROM customers WHERE email = 'jane@example.com'",
    "database": "production",
}
SEARCH = {"query": "weather in Paris tomorrow"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(db_path=tmp_path_factory.mktemp("srv") / "srv.db") as srv:
        yield srv


@pytest.fixture
def spool(tmp_path: Path) -> Path:
    return tmp_path / "spool"


def client(server: LiveServer, spool: Path, org: str, **options: Any) -> AgentAudit:
    return AgentAudit(
        api_key=server.new_key(org=org), base_url=server.url, spool_dir=spool, **options
    )


def spool_lines(spool: Path) -> list[bytes]:
    """The spooled records' lines, each encrypted (read them through `Spool`, with the key)."""
    lines = [
        line
        for path in spool.glob("*/*.jsonl")
        if path.name == SPOOL_FILE or path.name.startswith("sending-")
        for line in path.read_bytes().splitlines()
        if line.strip()
    ]
    assert all(line.startswith(SEALED_PREFIX) for line in lines)
    return lines


# -- the API, method by method --------------------------------------------------------------------
def test_every_method_against_a_live_server(server: LiveServer, spool: Path) -> None:
    with client(server, spool, "methods") as audit:
        assert audit.mode == "remote"
        blocked = audit.log("db-agent", "database_query", DROP, {"environment": "production"})
        assert blocked is not None
        assert blocked.decision == "block" and blocked.stored
        assert blocked.reason and "critical" in blocked.reason
        pii = audit.log("db-agent", "database_query", PII, {"session_id": "s1"}, "lookup")
        assert pii is not None and pii.pii_detected and "email" in pii.pii_fields
        assert pii.decision == "allow" and pii.reason is None
        assert audit.get_event(pii.id) == pii

        batch = audit.log_batch(
            [{"agent_id": "b", "action": "web_search", "data": SEARCH}] * 3
            + [{"agent_id": "b", "action": "database_query", "data": DROP}]
        )
        assert [e.decision for e in batch] == ["allow"] * 3 + ["block"]
        assert len({e.id for e in batch}) == 4

        page = audit.list_events(decision="block")
        assert page.total == 2 and {e.id for e in page.events} == {blocked.id, batch[3].id}
        assert audit.list_events(session_id="s1").events == [pii]
        assert audit.list_events(limit=2, offset=1).total == 6
        assert audit.list_events(limit=1, order="asc").events == [blocked]

        stats = audit.get_stats()
        assert stats.total_events == 6 and stats.by_decision == {"allow": 4, "block": 2}
        assert stats.pii_events == 1

        assert [e.id for e in audit.iter_events()] == [blocked.id, pii.id] + [e.id for e in batch]

        assert audit.get_policy() == Policy()
        merged = audit.set_policy({"block_on": "high", "frameworks": {"soc2": True}})
        assert merged.block_on == "high" and merged.frameworks.soc2 and merged.frameworks.gdpr
        assert audit.get_policy() == merged
        assert audit.set_policy(Policy()) == Policy()  # a whole Policy replaces

        assert audit.erase(pii.id) is True
        erased = audit.get_event(pii.id)
        assert erased.data == {} and erased.reasoning is None
        result = audit.verify()
        # six events, the two policy changes and the record of the erasure
        assert result.ok and result.checked == 9
        record = audit.list_events(limit=1).events[0]
        assert record.kind == "erasure" and record.data["event_id"] == pii.id


def test_idempotency_key_stores_once(server: LiveServer, spool: Path) -> None:
    with client(server, spool, "idem") as audit:
        first = audit.log("a", "web_search", SEARCH, idempotency_key="call-1")
        again = audit.log("a", "web_search", SEARCH, idempotency_key="call-1")
        assert first is not None and again is not None
        assert again.id == first.id and again.data == SEARCH
        with pytest.raises(ValidationError, match="already used with a different request"):
            audit.log("a", "web_search", {"query": "other"}, idempotency_key="call-1")
        keys = ["k0", "k1"]
        events = [{"agent_id": "a", "action": "web_search", "data": SEARCH}] * 2
        one = audit.log_batch(events, idempotency_keys=keys)
        two = audit.log_batch(events, idempotency_keys=keys)
        assert [e.id for e in one] == [e.id for e in two]
        assert audit.get_stats().total_events == 3


# -- typed errors ---------------------------------------------------------------------------------
def test_errors_are_typed(server: LiveServer, spool: Path) -> None:
    with AgentAudit(api_key="aa_live_wrong", base_url=server.url, spool_dir=spool) as bad:
        with pytest.raises(AuthenticationError) as info:
            bad.list_events()
        assert info.value.status_code == 401
        assert "aa_live_wrong" not in str(info.value)
        with pytest.raises(AuthenticationError):  # a final answer: no fallback, nothing spooled
            bad.log("a", "web_search", SEARCH)
    assert spool_lines(spool) == []

    with client(server, spool, "errors") as audit:
        with pytest.raises(NotFoundError) as nf:
            audit.get_event("01NOSUCHEVENT0000000000000")
        assert nf.value.status_code == 404
        with pytest.raises(ValidationError) as local:  # refused before anything is sent
            audit.log("", "web_search", SEARCH)
        assert local.value.errors[0]["loc"] == ["agent_id"]
        with pytest.raises(ValidationError) as remote:  # the server's 422, with its paths
            audit.set_policy({"block_on": "extreme"})
        assert remote.value.status_code == 422
        assert remote.value.errors[0]["loc"] == ["body", "block_on"]
        with pytest.raises(ValidationError):
            audit.log("a", "web_search", SEARCH, idempotency_key="x" * 256)


def test_configuration_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="API key"):
        AgentAudit(base_url="http://127.0.0.1:1")
    with pytest.raises(ConfigurationError, match="http"):
        AgentAudit(api_key="k", base_url="ftp://example.com")
    with pytest.raises(ConfigurationError, match="fail_mode"):
        AgentAudit(api_key="k", base_url="http://127.0.0.1:1", fail_mode="maybe")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="remote mode"):
        AgentAudit(db_path=tmp_path / "a.db", timeout=1)
    with pytest.raises(ConfigurationError, match="batch_size"):
        AgentAudit(api_key="k", base_url="http://127.0.0.1:1", batch_size=5000)
    monkeypatch.setenv("AGENTAUDIT_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("AGENTAUDIT_API_KEY", "aa_live_env")
    with AgentAudit(spool_dir=tmp_path) as audit:
        assert audit.mode == "remote" and audit.fail_mode == "closed"
        assert "aa_live_env" not in repr(audit)


# -- background logging ---------------------------------------------------------------------------
def test_background_logging_sends_everything_once(server: LiveServer, spool: Path) -> None:
    with client(server, spool, "bg", background=True, batch_size=100) as audit:
        for i in range(1234):
            assert audit.log("bg", "web_search", {"n": i}) is None
        decided = audit.log("bg", "database_query", DROP, wait=True)  # a decision still waits
        assert decided is not None and decided.decision == "block"
        audit.flush()
        assert audit.get_stats().total_events == 1235
        seen = sorted(e.data["n"] for e in audit.iter_events() if "n" in e.data)
        assert seen == list(range(1234))
    assert spool_lines(spool) == []


def test_close_flushes(server: LiveServer, spool: Path) -> None:
    key = server.new_key(org="bg-close")
    audit = AgentAudit(api_key=key, base_url=server.url, spool_dir=spool, flush_interval=60)
    for i in range(10):
        audit.log("a", "web_search", {"n": i}, wait=False)
    audit.close()
    audit.close()  # harmless twice
    with pytest.raises(AgentAuditError, match="closed"):
        audit.log("a", "web_search", {"n": 10})
    with pytest.raises(AgentAuditError, match="closed"):
        audit.log("a", "web_search", {"n": 10}, wait=False)
    with AgentAudit(api_key=key, base_url=server.url, spool_dir=spool) as check:
        assert check.get_stats().total_events == 10


def test_interpreter_exit_flushes(server: LiveServer, tmp_path: Path) -> None:
    key = server.new_key(org="bg-exit")
    run_child(
        f"""
        from agentaudit import AgentAudit
        audit = AgentAudit(api_key={key!r}, base_url={server.url!r},
                           spool_dir={str(tmp_path)!r}, flush_interval=60)
        for i in range(50):
            audit.log("a", "web_search", {{"n": i}}, wait=False)
        # no flush, no close: the atexit hook sends the queue
        """
    )
    with AgentAudit(api_key=key, base_url=server.url, spool_dir=tmp_path) as check:
        assert check.get_stats().total_events == 50


def run_child(code: str, *, kill_self: bool = False) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "core"), str(REPO_ROOT)])}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    expected = -signal.SIGKILL if kill_self else 0
    assert done.returncode == expected, done.stderr


def raw_total(srv: LiveServer) -> int:
    headers = {"Authorization": f"Bearer {srv.api_key}"}
    return httpx.get(f"{srv.url}/v1/events/stats", headers=headers).json()["total_events"]


# -- crash of the server --------------------------------------------------------------------------
def test_server_sigkill_in_the_middle_of_5000_background_events(tmp_path: Path) -> None:
    """Every event arrives exactly once: the batch in flight when the server dies is re-sent
    from the spool with the same idempotency keys, the rest wait on disk until it is back."""
    spool = tmp_path / "spool"
    with run_server(db_path=tmp_path / "srv.db") as srv:
        audit = AgentAudit(
            api_key=srv.api_key,
            base_url=srv.url,
            spool_dir=spool,
            background=True,
            batch_size=200,
            flush_interval=0.02,
        )
        stored_before_kill = spooled_while_down = 0
        for i in range(5000):
            audit.log("bulk", "web_search", {"n": i})
            if i % 250 == 0:
                time.sleep(0.05)  # let batches go out before, during and after the crash
            if i == 2000:
                stored_before_kill = raw_total(srv)
                srv.kill()
            if i == 3500:
                # the worker spools once its retries give up: wait for that, not a fixed time
                deadline = time.monotonic() + 20
                while not spool_lines(spool) and time.monotonic() < deadline:
                    time.sleep(0.05)
                spooled_while_down = len(spool_lines(spool))
                srv.start()
        audit.flush()
        assert spool_lines(spool) == []
        stats = audit.get_stats()
        numbers = [e.data["n"] for e in audit.iter_events()]
        result = audit.verify()
        audit.close()
    assert 0 < stored_before_kill <= 2001  # the crash came after some events were stored…
    assert spooled_while_down > 0  # …and before others were
    assert stats.total_events == 5000
    assert sorted(numbers) == list(range(5000))  # each once
    assert result.ok and result.checked == 5000


def test_a_new_process_sends_what_a_crashed_one_spooled(tmp_path: Path) -> None:
    srv = LiveServer(db_path=tmp_path / "srv.db")  # created, not started: the server is down
    spool = tmp_path / "spool"
    run_child(
        f"""
        import os, signal
        from agentaudit import AgentAudit
        audit = AgentAudit(api_key={srv.api_key!r}, base_url={srv.url!r},
                           spool_dir={str(spool)!r}, max_retries=0)
        for i in range(300):
            audit.log("crashed", "web_search", {{"n": i}}, wait=False)
        blocked = audit.log("crashed", "web_search", {{"n": 300}})
        assert blocked.decision == "block" and blocked.context["audit_fallback"] is True
        audit.flush()  # the server is down: everything is now on disk
        os.kill(os.getpid(), signal.SIGKILL)  # no atexit, no close
        """,
        kill_self=True,
    )
    assert len(spool_lines(spool)) == 301
    srv.start()
    try:
        with AgentAudit(api_key=srv.api_key, base_url=srv.url, spool_dir=spool) as audit:
            audit.flush()
            events = list(audit.iter_events())
            assert sorted(e.data["n"] for e in events) == list(range(301))
            fallback = [e for e in events if e.context.get("audit_fallback")]
            assert [e.data["n"] for e in fallback] == [300]
            assert fallback[0].context["audit_fallback_decision"] == "block"
            assert audit.verify().ok
        assert spool_lines(spool) == []
    finally:
        srv.stop()


# -- decisions under failure ----------------------------------------------------------------------
@pytest.mark.parametrize("fail_mode", ["closed", "open"])
def test_fail_modes_with_the_server_down(tmp_path: Path, fail_mode: str) -> None:
    srv = LiveServer(db_path=tmp_path / "srv.db")  # not started
    spool = tmp_path / "spool"
    with AgentAudit(
        api_key=srv.api_key,
        base_url=srv.url,
        spool_dir=spool,
        fail_mode=fail_mode,  # type: ignore[arg-type]
        max_retries=1,
        timeout=1,
    ) as audit:
        assert audit.fail_mode == fail_mode
        audit.log("agent", "web_search", {"query": "queued"}, wait=False)
        event = audit.log("agent", "database_query", PII, {"session_id": "down"})
        assert event is not None and not event.stored
        assert event.decision == ("block" if fail_mode == "closed" else "allow")
        assert event.reason is not None and event.reason.startswith("audit unavailable: ")
        assert event.context == {
            "session_id": "down",
            "audit_fallback": True,
            "audit_fallback_decision": event.decision,
        }
        assert event.pii_detected and "email" in event.pii_fields  # classified locally
        batch = audit.log_batch([{"agent_id": "agent", "action": "web_search", "data": SEARCH}])
        assert batch[0].decision == event.decision and not batch[0].stored
        audit.flush()
        assert len(spool_lines(spool)) == 3
        srv.start()
        try:
            audit.flush()
            stored = list(audit.iter_events())
            # the queued event went (to the spool) before the call that came after it
            assert [e.action for e in stored] == ["web_search", "database_query", "web_search"]
            assert all(e.context["audit_fallback"] is True for e in stored[1:])
            assert all(e.stored for e in stored)
        finally:
            srv.stop()
    assert spool_lines(spool) == []


def test_embedded_clients_have_a_fail_mode(db_path: Path) -> None:
    with AgentAudit(db_path=db_path, fail_mode="open") as audit:
        assert audit.fail_mode == "open"
    with AgentAudit(db_path=db_path) as audit:
        assert audit.fail_mode == "closed"


# -- the async client -----------------------------------------------------------------------------
async def test_async_gather_of_200_concurrent_logs(server: LiveServer, spool: Path) -> None:
    async with AsyncAgentAudit(
        api_key=server.new_key(org="async-200"), base_url=server.url, spool_dir=spool
    ) as audit:
        events = await asyncio.gather(
            *(audit.log("async", "web_search", {"n": i}) for i in range(200))
        )
        assert len({e.id for e in events if e is not None}) == 200
        assert sorted(e.data["n"] for e in events if e is not None) == list(range(200))
        assert (await audit.get_stats()).total_events == 200
        assert (await audit.verify()).ok


async def test_async_mirrors_the_sync_api(server: LiveServer, spool: Path) -> None:
    async with AsyncAgentAudit(
        api_key=server.new_key(org="async-api"), base_url=server.url, spool_dir=spool
    ) as audit:
        assert audit.mode == "remote" and audit.fail_mode == "closed"
        blocked = await audit.log("a", "database_query", DROP)
        assert blocked is not None and blocked.decision == "block"
        assert await audit.get_event(blocked.id) == blocked
        for i in range(300):
            assert await audit.log("a", "web_search", {"n": i}, wait=False) is None
        await audit.flush()
        assert (await audit.get_stats()).total_events == 301
        assert len([e async for e in audit.iter_events()]) == 301
        assert (await audit.list_events(decision="block")).total == 1
        batch = await audit.log_batch([{"agent_id": "a", "action": "web_search"}])
        assert batch[0].stored
        assert (await audit.set_policy({"block_on": "high"})).block_on == "high"
        assert (await audit.get_policy()).block_on == "high"
        assert await audit.erase(blocked.id)
        with pytest.raises(NotFoundError):
            await audit.get_event("nope")
        with pytest.raises(ValidationError):
            await audit.set_policy({"retention_days": 0})


async def test_async_background_flushes_on_close(server: LiveServer, spool: Path) -> None:
    key = server.new_key(org="async-close")
    audit = AsyncAgentAudit(api_key=key, base_url=server.url, spool_dir=spool, background=True)
    for i in range(120):
        await audit.log("a", "web_search", {"n": i})
    await audit.close()
    async with AsyncAgentAudit(api_key=key, base_url=server.url, spool_dir=spool) as check:
        assert (await check.get_stats()).total_events == 120


@pytest.mark.parametrize("fail_mode", ["closed", "open"])
async def test_async_fail_modes_with_the_server_down(tmp_path: Path, fail_mode: str) -> None:
    srv = LiveServer(db_path=tmp_path / "srv.db")  # not started
    spool = tmp_path / "spool"
    audit = AsyncAgentAudit(
        api_key=srv.api_key,
        base_url=srv.url,
        spool_dir=spool,
        fail_mode=fail_mode,  # type: ignore[arg-type]
        max_retries=0,
    )
    event = await audit.log("agent", "database_query", DROP)
    assert event is not None and not event.stored
    assert event.decision == ("block" if fail_mode == "closed" else "allow")
    assert event.reason is not None and event.reason.startswith("audit unavailable: ")
    assert event.risk_level == "critical"  # classified locally: the gap is visible, not hidden
    for i in range(20):
        await audit.log("agent", "web_search", {"n": i}, wait=False)
    await audit.flush()
    assert len(spool_lines(spool)) == 21
    srv.start()
    try:
        await audit.flush()
        assert (await audit.get_stats()).total_events == 21
        await audit.close()
    finally:
        srv.stop()
    assert spool_lines(spool) == []


def test_unclosed_async_client_spools_at_exit(server: LiveServer, tmp_path: Path) -> None:
    key = server.new_key(org="async-exit")
    run_child(
        f"""
        import asyncio
        from agentaudit import AsyncAgentAudit
        audit = AsyncAgentAudit(api_key={key!r}, base_url={server.url!r},
                                spool_dir={str(tmp_path)!r}, flush_interval=60)
        async def main():
            for i in range(40):
                await audit.log("a", "web_search", {{"n": i}}, wait=False)
        asyncio.run(main())  # the loop ends with the events still queued
        """
    )
    assert len(spool_lines(tmp_path)) == 40
    with AgentAudit(api_key=key, base_url=server.url, spool_dir=tmp_path) as audit:
        audit.flush()
        assert audit.get_stats().total_events == 40
    assert spool_lines(tmp_path) == []


def test_raw_http_sees_the_client_headers(server: LiveServer, spool: Path) -> None:
    """The SDK is a plain REST client: what it stores, curl can read back."""
    key = server.new_key(org="raw")
    with AgentAudit(api_key=key, base_url=server.url + "/", spool_dir=spool) as audit:
        event = audit.log("a", "web_search", SEARCH, idempotency_key="raw-1")
    assert event is not None
    response = httpx.post(
        f"{server.url}/v1/events",
        json={"agent_id": "a", "action": "web_search", "data": SEARCH},
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "raw-1"},
    )
    assert response.status_code == 201 and response.json()["id"] == event.id


def test_a_forked_child_logs_through_its_own_worker(server: LiveServer, spool: Path) -> None:
    with client(server, spool, "fork", flush_interval=60) as audit:
        for i in range(5):
            audit.log("parent", "web_search", {"n": i}, wait=False)
        pid = os.fork()
        if pid == 0:  # the child: the parent's queue is not its to send
            code = 1
            try:
                for i in range(5, 8):
                    audit.log("child", "web_search", {"n": i}, wait=False)
                audit.close()
                code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        audit.flush()
        numbers = sorted(e.data["n"] for e in audit.iter_events())
    assert numbers == list(range(8))
