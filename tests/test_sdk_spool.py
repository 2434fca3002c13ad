"""The disk spool: durable appends, claims that survive partial sends, torn lines, one drainer
at a time across processes, one directory per server + key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

from agentaudit.models import EventIn
from agentaudit.spool import REJECTED_FILE, Record, Spool, spool_dir
from tests.conftest import REPO_ROOT

SECRET = "http://127.0.0.1:1\0aa_live_test"


def records(n: int, start: int = 0) -> list[Record]:
    return [
        Record(f"key-{i}", EventIn(agent_id="a", action="web_search", data={"n": i}))
        for i in range(start, start + n)
    ]


def numbers(spool: Spool) -> list[int]:
    claim = spool.claim()
    assert claim is not None
    try:
        return [r.event["data"]["n"] for r in claim.records]  # type: ignore[index]
    finally:
        claim.release(0)


def test_append_claim_release(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "s", secret=SECRET)
    assert not spool.has_pending() and spool.claim() is None
    spool.append(records(3))
    spool.append(records(2, start=3))
    assert spool.has_pending()
    assert stat.S_IMODE(spool.directory.stat().st_mode) == 0o700  # events may carry PII
    assert stat.S_IMODE(spool.path.stat().st_mode) == 0o600

    claim = spool.claim()
    assert claim is not None
    assert [r.key for r in claim.records] == [f"key-{i}" for i in range(5)]
    spool.append(records(1, start=5))  # appends go on while a claim is being sent
    claim.release(2)  # two acknowledged; three kept
    assert numbers(spool) == [2, 3, 4, 5]

    claim = spool.claim()
    assert claim is not None
    claim.release(len(claim.records))
    assert not spool.has_pending()


def test_a_torn_last_line_costs_only_itself(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "s", secret=SECRET)
    spool.append(records(2))
    with open(spool.path, "ab") as f:
        f.write(b'{"key": "torn", "event": {"agent_')  # a crash in the middle of a write
    spool.append(records(1, start=2))
    assert numbers(spool) == [0, 1, 2]
    assert "torn" in spool.rejected()[0]["unreadable"]


def test_one_drainer_at_a_time_across_processes(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "s", secret=SECRET)
    spool.append(records(4))
    claim = spool.claim()
    assert claim is not None
    assert Spool(spool.directory, secret=SECRET).claim() is None  # another instance in this process
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "core"), str(REPO_ROOT)])}
    child = textwrap.dedent(
        f"""
        from pathlib import Path
        from agentaudit.spool import Spool
        print(Spool(Path({str(spool.directory)!r}), secret={SECRET!r}).claim() is None)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.stdout.strip() == "True", out.stderr
    claim.release(4)
    assert Spool(spool.directory, secret=SECRET).claim() is not None


def test_a_crash_during_a_drain_keeps_everything(tmp_path: Path) -> None:
    """A drainer that dies before release leaves its segment; the next one sends it again
    (idempotency keys make the second send harmless)."""
    spool = Spool(tmp_path / "s", secret=SECRET)
    spool.append(records(3))
    claim = spool.claim()
    assert claim is not None
    claim._lock.close()  # the process died: its lock is gone, its segment is not
    spool.append(records(1, start=3))
    assert numbers(spool) == [0, 1, 2, 3]


def test_one_directory_per_server_and_key(tmp_path: Path) -> None:
    a = spool_dir("http://h:1", "aa_live_one", tmp_path)
    assert a == spool_dir("http://h:1", "aa_live_one", tmp_path)
    assert a != spool_dir("http://h:1", "aa_live_two", tmp_path)
    assert a != spool_dir("http://h:2", "aa_live_one", tmp_path)
    assert "aa_live_one" not in str(a)


def test_spooled_events_are_encrypted_at_rest(tmp_path: Path) -> None:
    """Spooled events carry personal data and secrets: nothing of them is readable on disk
    without the client's API key, in the spool, its segments or the rejects file."""
    secret_event = EventIn(
        agent_id="support-bot",
        action="send_email",
        data={"to": "jane.doe@example.com", "api_key": "sk-live-0123456789abcdef0123"},
        reasoning="customer Jane Doe asked",
    )
    spool = Spool(tmp_path / "s", secret=SECRET)
    spool.append([Record("k1", secret_event)])
    claim = spool.claim()
    assert claim is not None and claim.records[0].event["data"] == secret_event.data  # type: ignore[index]
    claim.release(0)  # the unsent record is written again, to a new segment
    spool.reject([Record("k2", secret_event)], "422 from POST /v1/events/batch")
    files = [p for p in spool.directory.iterdir() if p.suffix == ".jsonl"]
    assert {p.name for p in files} >= {REJECTED_FILE}
    for path in files:
        raw = path.read_bytes()
        assert raw.startswith(b"aa1:")
        for clear in (b"jane.doe", b"sk-live", b"Jane Doe", b"support-bot", b"send_email"):
            assert clear not in raw, (path.name, clear)
    assert spool.rejected()[0]["event"]["data"]["to"] == "jane.doe@example.com"
    other = Spool(spool.directory, secret="http://127.0.0.1:1\0aa_live_other")
    claim = other.claim()  # another key cannot read them: they are kept, unread, as rejects
    assert claim is not None and claim.records == []
    claim.release(0)


def test_an_unencrypted_spool_of_an_earlier_version_is_still_sent(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "s", secret=SECRET)
    spool.directory.mkdir(mode=0o700)
    spool.path.write_bytes(b"".join(r.line() for r in records(2)))  # plain JSON lines
    spool.append(records(1, start=2))
    assert numbers(spool) == [0, 1, 2]
