"""Issue 19 item 4, data-subject requests from the SDK: `search_subject` / `erase_subject` on
the embedded and the remote client (a real server on SQLite and PostgreSQL), sync and async.

Each client logs two calls carrying Jane's e-mail (in two spellings) and one of Bob's; a search
finds Jane's two events, typed (`SubjectPage`); an erasure empties both payloads with chained
records (`SubjectErasure`), Bob's stays, the chain verifies and a second erasure does nothing.
The value is never logged (every logger at DEBUG, httpx's request lines included).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agentaudit import AgentAudit, AsyncAgentAudit
from agentaudit.errors import InvalidInputError
from agentaudit.models import SubjectErasure, SubjectPage
from tests.support.live_server import run_server
from tests.test_store import create_pg_database

JANE = "Jane.Doe@Example.com"
CALLS = [
    {"agent_id": "crm", "action": "send_email", "data": {"to": "JANE.DOE@EXAMPLE.COM"}},
    {"agent_id": "crm", "action": "send_email", "data": {"to": "bob.smith@example.org"}},
    {"agent_id": "support", "action": "add_note", "data": {"note": "jane.doe@example.com called"}},
]
SECRET_PARTS = ("jane.doe", "JANE.DOE", "Jane.Doe")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "sqlite":
        store = {"db_path": str(tmp_path / "srv.db")}
    else:
        store = {"database_url": create_pg_database("aa_subj_sdk")}
    with run_server(**store) as srv:  # type: ignore[arg-type]
        yield srv


def _check_search(page: SubjectPage, jane_ids: list[str]) -> None:
    assert isinstance(page, SubjectPage) and page.readable
    assert [e.id for e in page.events] == jane_ids and page.total == 2
    assert all(e.pii_types == ["email"] and not e.erased for e in page.events)
    assert [e.action for e in page.events] == ["send_email", "add_note"]


def _check_erasure(done: SubjectErasure, jane_ids: list[str]) -> None:
    assert isinstance(done, SubjectErasure) and done.readable
    assert done.erased == 2 and done.event_ids == jane_ids and done.already_erased == 0
    assert done.erasure_records


def _no_value_logged(caplog: pytest.LogCaptureFixture) -> None:
    text = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert not any(part in text for part in SECRET_PARTS), text


def exercise_sync(audit: AgentAudit) -> None:
    events = [audit.log(**c) for c in CALLS]
    jane_ids = [events[0].id, events[2].id]
    _check_search(audit.search_subject(JANE), jane_ids)
    _check_search(audit.search_subject(JANE, type="email"), jane_ids)
    page = audit.search_subject(JANE, limit=1, offset=1)
    assert [e.id for e in page.events] == jane_ids[1:] and page.total == 2
    unread = audit.search_subject("no at sign", type="email")
    assert unread.readable is False and unread.total == 0
    with pytest.raises(InvalidInputError):
        audit.search_subject(JANE, type="shoe")
    with pytest.raises(InvalidInputError):
        audit.erase_subject("")

    _check_erasure(audit.erase_subject(JANE), jane_ids)
    for event_id in jane_ids:
        assert audit.get_event(event_id).data == {}  # the payload is gone
    assert audit.get_event(events[1].id).data == CALLS[1]["data"]  # Bob's stays
    again = audit.erase_subject("jane.doe@example.com", type="email")
    assert again.erased == 0 and again.readable
    assert audit.verify().ok


async def exercise_async(audit: AsyncAgentAudit) -> None:
    events = [await audit.log(**c) for c in CALLS]
    jane_ids = [events[0].id, events[2].id]
    _check_search(await audit.search_subject(JANE), jane_ids)
    _check_search(await audit.search_subject(JANE, type="email"), jane_ids)
    unread = await audit.erase_subject("ab", type="email")
    assert unread.readable is False and unread.erased == 0
    with pytest.raises(InvalidInputError):
        await audit.search_subject(JANE, type="shoe")

    _check_erasure(await audit.erase_subject(JANE), jane_ids)
    for event_id in jane_ids:
        assert (await audit.get_event(event_id)).data == {}
    assert (await audit.erase_subject(JANE)).erased == 0
    assert (await audit.verify()).ok


def test_embedded_sync_and_async(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with AgentAudit(db_path=tmp_path / "sync.db") as audit:
        exercise_sync(audit)

    async def run() -> None:
        async with AsyncAgentAudit(db_path=tmp_path / "async.db") as audit:
            await exercise_async(audit)

    asyncio.run(run())
    _no_value_logged(caplog)


def test_remote_sync_and_async(
    server: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    opts = {"api_key": server.api_key, "base_url": server.url, "spool_dir": tmp_path / "spool"}
    with AgentAudit(**opts) as audit:
        exercise_sync(audit)

    async def run() -> None:
        async with AsyncAgentAudit(**opts) as audit:
            await exercise_async(audit)

    asyncio.run(run())
    _no_value_logged(caplog)
