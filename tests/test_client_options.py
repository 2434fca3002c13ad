"""Facade options shared by both modes: background, fail_mode, async iter_events, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentaudit import AgentAudit, AsyncAgentAudit, ConfigurationError, ValidationError


def test_embedded_background_returns_the_decision_and_stores_it(db_path: Path) -> None:
    with AgentAudit(db_path=db_path, background=True) as audit:
        assert audit.background and audit.mode == "embedded"
        event = audit.log("a", "database_query", {"query": "DROP TABLE customers"})
        assert event is not None and event.decision == "block"  # decided at once, even so
        audit.flush()
        assert audit.get_event(event.id) == event
        waited = audit.log("a", "web_search", {"query": "weather"}, wait=True)
        assert waited is not None and waited.stored


def test_fail_mode_is_validated_and_exposed(db_path: Path) -> None:
    assert AgentAudit(db_path=db_path).fail_mode == "closed"
    assert AgentAudit(db_path=db_path, fail_mode="open").fail_mode == "open"
    with pytest.raises(ConfigurationError, match="fail_mode"):
        AgentAudit(db_path=db_path, fail_mode="sometimes")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="fail_mode"):
        AsyncAgentAudit(db_path=db_path, fail_mode="sometimes")  # type: ignore[arg-type]


@pytest.mark.parametrize("option", ["timeout", "max_retries", "batch_size", "spool_dir"])
def test_remote_options_are_refused_in_embedded_mode(db_path: Path, option: str) -> None:
    with pytest.raises(ConfigurationError, match=option):
        AgentAudit(db_path=db_path, **{option: 1})
    with pytest.raises(ConfigurationError, match=option):
        AsyncAgentAudit(db_path=db_path, **{option: 1})


def test_db_path_and_base_url_together_are_refused(db_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="not both"):
        AgentAudit(api_key="k", base_url="http://127.0.0.1:1", db_path=db_path)


async def test_async_embedded_iter_events_and_background(db_path: Path) -> None:
    async with AsyncAgentAudit(db_path=db_path, background=True) as audit:
        assert audit.fail_mode == "closed"
        for i in range(1100):
            event = await audit.log("a", "web_search", {"n": i})
            assert event is not None
        await audit.flush()
        numbers = [e.data["n"] async for e in audit.iter_events()]
        assert numbers == list(range(1100))
        batch = await audit.log_batch(
            [{"agent_id": "a", "action": "web_search"}], idempotency_keys=["once"]
        )
        again = await audit.log_batch(
            [{"agent_id": "a", "action": "web_search"}], idempotency_keys=["once"]
        )
        assert batch[0].id == again[0].id


def test_batch_input_errors_name_the_event(db_path: Path) -> None:
    with AgentAudit(db_path=db_path) as audit, pytest.raises(ValidationError) as info:
        audit.log_batch([{"agent_id": "a", "action": "x"}, {"agent_id": "", "action": "x"}])
    assert info.value.errors[0]["loc"] == [1, "agent_id"]


def test_one_options_object_checked_once_and_never_showing_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentaudit import ClientOptions

    monkeypatch.delenv("AGENTAUDIT_URL", raising=False)
    audit = AgentAudit(
        api_key="aa_live_secret", base_url="http://127.0.0.1:9", spool_dir=tmp_path, timeout=1
    )
    try:
        assert isinstance(audit.options, ClientOptions) and audit.options.timeout == 1
        assert audit.mode == "remote" and audit.location == "http://127.0.0.1:9"
        assert "aa_live_secret" not in repr(audit.options) + repr(audit)
    finally:
        audit.close()
    monkeypatch.setenv("AGENTAUDIT_URL", "http://127.0.0.1:9")
    assert ClientOptions().mode == "remote"  # the environment names the server
    assert ClientOptions(base_url="").base_url == "http://127.0.0.1:9"  # empty = unset


async def test_async_client_has_the_same_options(db_path: Path) -> None:
    async with AsyncAgentAudit(db_path=db_path, fail_mode="open") as audit:
        assert audit.options.fail_mode == audit.fail_mode == "open"
        assert audit.mode == "embedded" and audit.location == str(db_path)
