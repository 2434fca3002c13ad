"""Issue 17 in the stores, on SQLite and PostgreSQL alike: verify covers erasure (and erasures
are chained), chain version 2 keeps version-1 rows verifiable, idempotency keys bind their
request, clean `StoreUnavailable` for a full disk and held locks, files private at rest, erased
payloads gone from the WAL (SQLite) and from the table's tuples (PostgreSQL), database URLs
checked before anything is created, and `agentaudit purge` isolating one organisation's failure.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import errors as pg_errors
from pydantic import ValidationError as PydanticValidationError
from typer.testing import CliRunner

from agentaudit.cli import app
from agentaudit.idempotency import request_digest
from agentaudit.models import EventFilter, EventIn, EventKind, Policy, RiskLevel, RuleMatch
from agentaudit.store import (
    BadTarget,
    EventStore,
    IdempotencyConflict,
    NewEvent,
    StoreUnavailable,
    open_store,
)
from agentaudit.store.chain import GENESIS, canonical, event_hash, payload_digest
from agentaudit.store.erasure import NotErasable
from agentaudit.store.postgres import _unavailable as pg_unavailable
from tests.test_store import Opened, create_pg_database, empty_pg, ev, pg_session_url, raw_sql
from tests.test_store_migrations import _upgrade_to

runner = CliRunner()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opened]:
    """An empty store of each kind (as test_store.py's `opened`)."""
    if request.param == "sqlite":
        target = str(tmp_path / "store.db")
    else:
        target = pg_session_url()
        empty_pg(target)
    store = open_store(target)
    try:
        yield Opened(request.param, target, store)
    finally:
        store.close()


def erase_all(store: EventStore, org: str, n: int = 4) -> list:
    """n events, the second erased (its record is seq n + 1)."""
    events = store.append(org, [NewEvent(ev(pii=["email"])) for _ in range(n)])
    assert store.erase(org, events[1].id, actor="test: alice")
    return events


# -- verify covers erasure ---------------------------------------------------------------------
def test_an_erasure_is_chained_with_who_and_when(db: Opened) -> None:
    store, org = db.store, db.store.create_org("acme").id
    events = erase_all(store, org)
    record = store.list_events(org, EventFilter(limit=1)).events[0]
    assert record.kind == EventKind.ERASURE and (record.agent_id, record.action) == (
        "agentaudit",
        "erase_payload",
    )
    assert record.data == {"event_id": events[1].id, "seq": 2, "count": 1}
    assert record.context == {"actor": "test: alice"} and record.frameworks == {"gdpr": ["art_17"]}
    assert not store.erase(org, events[1].id)  # erased already: no second record
    with pytest.raises(NotErasable):
        store.erase(org, record.id)
    assert store.verify(org).ok and store.verify(org).head_seq == 5


def test_a_payload_forged_under_erased_at_breaks_verify_and_is_not_served(db: Opened) -> None:
    """The issue's attack: edit the payload and set erased_at; verify used to pass and the API
    served the forged payload."""
    store = db.store
    org_id = store.create_org("acme").id
    events = store.append(org_id, [NewEvent(ev()) for _ in range(3)])
    raw_sql(
        db.target,
        "UPDATE events SET data = '{\"query\":\"forged\"}', erased_at = '2025-01-01T00:00:00.000Z'"
        " WHERE seq = 2",
    )
    result = store.verify(org_id)
    assert not result.ok and result.broken_seq == 2
    assert "marked erased but still holds a payload" in result.describe()
    assert store.get_event(org_id, events[1].id).data == {}  # type: ignore[union-attr]


TAMPERING = {
    "erased without a record": (
        [
            "UPDATE events SET data = NULL, context = NULL, reasoning = NULL, evidence = NULL,"
            " erased_at = '2025-01-01T00:00:00.000Z' WHERE seq = 3"
        ],
        3,
        "erased without an erasure record",
    ),
    "pointing back": (["UPDATE events SET erased_by = 1 WHERE seq = 2"], 2, "not a later"),
    "pointing at a call": (
        ["UPDATE events SET erased_by = 4 WHERE seq = 2"],
        2,
        "erased by seq 4, which is not an erasure record",
    ),
    "record count": (
        [
            "UPDATE events SET data = NULL, context = NULL, reasoning = NULL, evidence = NULL,"
            " erased_at = '2025-01-01T00:00:00.000Z', erased_by = 5 WHERE seq = 3"
        ],
        5,
        "says it erased 1 payload(s), but 2",
    ),
    "record erased": (
        [
            "UPDATE events SET data = NULL, context = NULL, evidence = NULL,"
            " erased_at = '2025-01-01T00:00:00.000Z' WHERE seq = 5"
        ],
        5,
        "an erasure record's payload was erased",
    ),
    "payload restored": (
        ['UPDATE events SET data = \'{"query":"weather in Paris","n":1}\' WHERE seq = 2'],
        2,
        "still holds a payload",
    ),
    "evidence edited": (
        ["UPDATE events SET evidence = '[\"forged\"]' WHERE seq = 1"],
        1,
        "payload",
    ),
    "rules edited": (["UPDATE events SET rules = '[]' WHERE seq = 1"], 1, "hash mismatch"),
    "partial scan edited": (["UPDATE events SET partial_scan = true WHERE seq = 4"], 4, "hash"),
    "kind edited": (["UPDATE events SET kind = 'erasure' WHERE seq = 4"], 4, "hash mismatch"),
}


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_verify_names_tampering_with_erasures_and_version_2_fields(db: Opened, kind: str) -> None:
    store = db.store
    org_id = store.create_org("acme").id
    matched = ev().model_copy(
        update={"matches": [RuleMatch(rule="r.one", level=RiskLevel.LOW, evidence="because")]}
    )
    store.append(org_id, [NewEvent(matched)])
    store.append(org_id, [NewEvent(ev()) for _ in range(3)])
    assert store.erase(org_id, store.list_events(org_id, EventFilter(order="asc")).events[1].id)
    assert store.verify(org_id).ok
    statements, seq, message = TAMPERING[kind]
    raw_sql(db.target, *statements)
    result = store.verify(org_id)
    assert not result.ok and result.broken_seq == seq, result.describe()
    assert message in result.describe()


def test_purge_chains_one_record_per_transaction(db: Opened) -> None:
    store, org = db.store, db.store.create_org("acme").id
    now = datetime.now(UTC)
    store.append(org, [NewEvent(ev(at=now - timedelta(days=500 + i))) for i in range(3)])
    store.append(org, [NewEvent(ev(at=now))])
    assert store.purge(org, now - timedelta(days=365), actor="test: retention") == 3
    record = store.list_events(org, EventFilter(limit=1)).events[0]
    assert (record.kind, record.action, record.data["count"]) == ("erasure", "purge", 3)
    assert record.context == {"actor": "test: retention"}
    assert store.purge(org, now + timedelta(days=1)) == 1  # the record itself is never purged
    assert store.verify(org).ok


# -- version-1 rows (written before schema 0007) still verify ------------------------------------
def _v1_row(org_id: str, seq: int, prev: str, data: dict) -> tuple[tuple, str]:
    """A row as code of schema 0006 wrote it (chain version 1)."""
    ident = f"V1ROW{seq:021d}"
    created = f"2025-01-0{seq}T00:00:00.000Z"
    digest = payload_digest(data, {}, None)
    fields = {
        "org_id": org_id,
        "seq": seq,
        "prev_hash": prev,
        "id": ident,
        "agent_id": "a",
        "action": "web_search",
        "created_at": created,
        "risk_level": "low",
        "pii_detected": False,
        "pii_fields": "[]",
        "secret_fields": "[]",
        "frameworks": "{}",
        "decision": "allow",
        "reason": None,
        "payload_digest": digest,
    }
    h = event_hash(fields)
    row = (ident, org_id, seq, "a", "web_search", None, created, canonical(data), "{}", None)
    row += ("low", False, "[]", "[]", "{}", "allow", None, digest, prev, h)
    return row, h


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_rows_of_chain_version_1_still_verify(kind: str, tmp_path: Path) -> None:
    target = str(tmp_path / "v1.db") if kind == "sqlite" else create_pg_database("aa_v1")
    _upgrade_to(target, "0006")
    org_id = "01ORG0000000000000000000V1"
    rows, prev = [], GENESIS
    for seq in (1, 2, 3):
        row, prev = _v1_row(org_id, seq, prev, {"n": seq})
        rows.append(row)
    p = "?" if kind == "sqlite" else "%s"
    if kind == "sqlite":
        conn = sqlite3.connect(target)
        run = conn.execute
    else:
        conn = psycopg.connect(target, autocommit=True)  # type: ignore[assignment]
        run = conn.execute  # type: ignore[assignment]
    policy = json.dumps({"retention_days": 3_000_000, "frameworks": {"ai_act": False}})
    run(
        f"INSERT INTO orgs (id, name, created_at, policy) VALUES ({p},{p},{p},{p})",
        (org_id, "legacy", "2025-01-01T00:00:00.000Z", policy),
    )
    columns = (
        "id, org_id, seq, agent_id, action, session_id, created_at, data, context, reasoning,"
        " risk_level, pii_detected, pii_fields, secret_fields, frameworks, decision, reason,"
        " payload_digest, prev_hash, hash"
    )
    for row in rows:
        run(f"INSERT INTO events ({columns}) VALUES ({', '.join([p] * 20)})", row)
    run(f"INSERT INTO chain_heads (org_id, seq, hash) VALUES ({p},{p},{p})", (org_id, 3, prev))
    # erased the way 0006 erased: payload NULL, erased_at set, nothing chained
    run(
        f"UPDATE events SET data = NULL, context = NULL, erased_at = {p} WHERE seq = 1",
        ("2025-02-01T00:00:00.000Z",),
    )
    if kind == "sqlite":
        conn.commit()
    conn.close()

    store = open_store(target)  # upgrades to 0007
    try:
        assert store.verify(org_id).ok  # legacy rows, a legacy erasure
        assert store.get_policy(org_id).retention_days == 36_500  # 0007 lowered it
        store.append(org_id, [NewEvent(ev())])
        assert store.erase(org_id, "V1ROW000000000000000000002", actor="test")
        result = store.verify(org_id)
        assert result.ok and result.head_seq == 5, result.describe()
        raw_sql(target, "UPDATE events SET data = '{\"n\":99}' WHERE seq = 1")
        broken = store.verify(org_id)
        assert not broken.ok and broken.broken_seq == 1 and "still holds" in broken.describe()
    finally:
        store.close()


# -- idempotency keys bind their request -------------------------------------------------------
def test_a_key_binds_the_request_it_was_stored_with(db: Opened) -> None:
    store, org = db.store, db.store.create_org("acme").id
    call = EventIn(agent_id="a", action="web_search", data={"q": "x"})
    digest = request_digest(call)
    first = ev()
    stored = store.append(org, [NewEvent(first, "k", digest)])
    assert stored[0] is first
    replay = store.append(org, [NewEvent(ev(), "k", digest)])
    assert replay[0] is not first and replay[0].id == first.id  # the stored one: a replay
    other = request_digest(EventIn(agent_id="a", action="shell", data={"cmd": "rm -rf /"}))
    with pytest.raises(IdempotencyConflict) as info:
        store.append(org, [NewEvent(ev(), "fresh", other), NewEvent(ev(), "k", other)])
    assert info.value.indexes == [1] and info.value.keys == ["k"]
    with pytest.raises(IdempotencyConflict):  # the same key twice in one append, two requests
        store.append(org, [NewEvent(ev(), "twice", digest), NewEvent(ev(), "twice", other)])
    assert store.list_events(org, EventFilter()).total == 1  # nothing of the refused appends
    raw_sql(db.target, "UPDATE events SET idempotency_digest = NULL")  # a key of 0006
    assert store.append(org, [NewEvent(ev(), "k", other)])[0].id == first.id


def test_the_request_digest_ignores_what_the_sdk_adds_when_it_spools() -> None:
    call = EventIn(agent_id="a", action="x", data={"b": 1, "a": [1, 2]}, context={"env": "dev"})
    spooled = call.model_copy(
        update={
            "context": {"env": "dev", "audit_fallback": True, "audit_fallback_decision": "block"}
        }
    )
    reordered = EventIn.model_validate_json(
        '{"context":{"env":"dev"},"data":{"a":[1,2],"b":1},"action":"x","agent_id":"a"}'
    )
    assert request_digest(call) == request_digest(spooled) == request_digest(reordered)
    assert request_digest(call) != request_digest(call.model_copy(update={"reasoning": "r"}))


# -- bounds --------------------------------------------------------------------------------------
def test_filters_refuse_instants_out_of_range_and_policies_long_retention() -> None:
    for value in (datetime(1, 1, 1), datetime(9999, 12, 31, 12), datetime(1969, 12, 31)):
        with pytest.raises(PydanticValidationError, match="must be between"):
            EventFilter(after=value)
    aware = datetime.fromisoformat("0001-01-01T00:30:00+01:00")
    with pytest.raises(PydanticValidationError, match="must be between"):
        EventFilter(before=aware)
    assert EventFilter(before=datetime(9999, 12, 30, tzinfo=UTC)).before is not None
    with pytest.raises(PydanticValidationError, match="36500"):
        Policy(retention_days=3_000_000)
    with pytest.raises(PydanticValidationError, match="context.session_id"):
        EventIn(agent_id="a", action="b", context={"session_id": 7})


def test_out_of_range_instants_cannot_reach_the_stores(db: Opened) -> None:
    store, org = db.store, db.store.create_org("acme").id
    store.append(org, [NewEvent(ev())])
    edge = EventFilter(
        after=datetime(1970, 1, 1, tzinfo=UTC), before=datetime(9999, 12, 30, 23, tzinfo=UTC)
    )
    assert store.list_events(org, edge).total == 1
    assert store.stats(org, edge.after, edge.before).total_events == 1


# -- StoreUnavailable ------------------------------------------------------------------------------
def test_sqlite_disk_full_is_store_unavailable_and_writes_nothing(tmp_path: Path) -> None:
    """A genuine SQLITE_FULL (max_page_count): the cause used to be hidden behind "cannot
    rollback - no transaction is active"."""
    store = open_store(tmp_path / "full.db")
    try:
        org_id = store.create_org("acme").id
        conn = store._conn  # type: ignore[attr-defined]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 40}")
        stored = 0
        with pytest.raises(StoreUnavailable) as info:
            for _ in range(200):
                store.append(org_id, [NewEvent(ev(data={"t": "x" * 2000})) for _ in range(5)])
                stored += 5
        assert "disk is full" in info.value.cause and info.value.retry_after >= 1
        assert store.list_events(org_id, EventFilter()).total == stored  # none half-written
        assert store.verify(org_id).ok
        with pytest.raises(StoreUnavailable, match="disk is full"):
            store.append(org_id, [NewEvent(ev(data={"t": "x" * 20_000}))])
        assert store.verify(org_id).ok
    finally:
        store.close()


def _in_thread(fn, timeout: float) -> BaseException | None:  # type: ignore[no-untyped-def]
    """What `fn` raised, run in a thread given `timeout` seconds (a hang fails the test)."""
    out: list[BaseException | None] = []

    def run() -> None:
        try:
            fn()
            out.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            out.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert out, f"still waiting after {timeout} s: the wait is not bounded"
    return out[0]


def test_sqlite_locks_are_waited_for_a_bounded_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENTAUDIT_LOCK_TIMEOUT", "0.5")
    path = tmp_path / "locked.db"
    store = open_store(path)
    try:
        org_id = store.create_org("acme").id
        with open(f"{path}-lock", "a+") as held:  # another process's append, stuck
            fcntl.flock(held, fcntl.LOCK_EX)
            start = time.monotonic()
            error = _in_thread(lambda: store.append(org_id, [NewEvent(ev())]), 20)
            assert isinstance(error, StoreUnavailable) and "writers' lock" in error.cause
            assert time.monotonic() - start < 5
            fcntl.flock(held, fcntl.LOCK_UN)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program writing to the file
        error = _in_thread(lambda: store.set_policy(org_id, Policy(block_on="high")), 20)
        assert isinstance(error, StoreUnavailable) and "locked" in error.cause
        other.execute("ROLLBACK")
        other.close()
        assert len(store.append(org_id, [NewEvent(ev())])) == 1
    finally:
        store.close()


def test_postgres_errors_that_pass_are_store_unavailable() -> None:
    where = "postgresql://postgres@db/audit"
    full = pg_unavailable(pg_errors.DiskFull("could not extend file"), where, 10)
    assert full is not None and "disk is full" in full.cause and full.retry_after == 60
    locked = pg_unavailable(pg_errors.LockNotAvailable("canceling statement"), where, 10)
    assert locked is not None and "lock_timeout" in locked.cause
    gone = pg_unavailable(pg_errors.AdminShutdown("terminating connection"), where, 10)
    assert gone is not None and "cannot reach" in gone.cause
    assert pg_unavailable(pg_errors.UniqueViolation("dup"), where, 10) is None


@pytest.mark.postgres
def test_a_held_chain_head_lock_is_store_unavailable_in_postgres(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AGENTAUDIT_LOCK_TIMEOUT", "0.5")
    url = pg_session_url()
    store = open_store(url)
    try:
        org_id = store.create_org(f"pg-lock-{time.monotonic_ns()}").id
        store.append(org_id, [NewEvent(ev())])
        with psycopg.connect(url) as conn:
            conn.execute("SELECT 1 FROM chain_heads WHERE org_id = %s FOR UPDATE", (org_id,))
            error = _in_thread(lambda: store.append(org_id, [NewEvent(ev())]), 20)
            assert isinstance(error, StoreUnavailable) and "lock_timeout" in error.cause
            conn.rollback()
        assert store.verify(org_id).ok and store.verify(org_id).head_seq == 1
    finally:
        store.close()


# -- at rest -----------------------------------------------------------------------------------
@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_sqlite_files_are_created_private(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "new" / "audit.db"
    store = open_store(path)
    try:
        org_id = store.create_org("acme").id
        store.append(org_id, [NewEvent(ev())])
        names = ["audit.db", "audit.db-wal", "audit.db-shm", "audit.db-lock"]
        modes = {n: stat.S_IMODE((path.parent / n).stat().st_mode) for n in names}
        assert modes == dict.fromkeys(names, 0o600)
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700  # created for it
    finally:
        store.close()
    done = runner.invoke(app, ["db", "upgrade", "--db", str(tmp_path / "cli.db")])
    assert done.exit_code == 0 and stat.S_IMODE((tmp_path / "cli.db").stat().st_mode) == 0o600


def test_an_existing_readable_store_keeps_its_mode_with_a_warning(
    tmp_path: Path, umask_022: None, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "shared.db"
    open_store(path).close()
    path.chmod(0o640)  # an operator's choice (a backup group, say)
    with caplog.at_level(logging.WARNING, logger="agentaudit"):
        open_store(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "can be read by others (mode 640)" in caplog.text


MARKER = "jane.doe.secret.marker@example.com"


def test_an_erased_payload_leaves_no_trace_in_the_sqlite_files(tmp_path: Path) -> None:
    """secure_delete zeroes what the erasure overwrote; the checkpoint truncates the WAL that
    still held the page images with it."""
    path = tmp_path / "erase.db"
    store = open_store(path)
    try:
        org_id = store.create_org("acme").id
        events = store.append(
            org_id,
            [NewEvent(ev(data={"email": MARKER, "note": "x" * 5000, "i": i})) for i in range(3)],
        )
        store.append(org_id, [NewEvent(ev()) for _ in range(5)])
        files = [Path(f"{path}{s}") for s in ("", "-wal")]
        assert any(MARKER.encode() in f.read_bytes() for f in files if f.exists())
        for e in events:
            assert store.erase(org_id, e.id)
        for f in files:
            if f.exists():
                assert MARKER.encode() not in f.read_bytes(), f.name
        assert store.verify(org_id).ok
    finally:
        store.close()


@pytest.mark.postgres
def test_an_erased_payload_is_no_tuple_of_postgres_after_the_vacuum() -> None:
    """After an erasure the old row version (and its TOAST) is vacuumed away: no tuple holds it
    any more, dead or alive, as pageinspect reads the pages. (Its bytes can stay in a page's
    free space until reused: docs/postgres.md.)"""
    url = create_pg_database("aa_vac")
    store = open_store(url)
    try:
        org_id = store.create_org("acme").id
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
            # out of line but not compressed, so the bytes of a TOASTed value can be found
            conn.execute("ALTER TABLE events ALTER COLUMN data SET STORAGE EXTERNAL")
            big = {"email": MARKER, "note": "y" * 6000}  # in the TOAST table
            small = [{"email": MARKER, "i": i} for i in range(2)]  # in the table itself
            events = store.append(org_id, [NewEvent(ev(data=d)) for d in (big, *small)])
            store.append(org_id, [NewEvent(ev()) for _ in range(5)])

            toast = conn.execute(
                "SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = 'events'"
            ).fetchone()[0]  # type: ignore[index]

            def tuples_with_marker() -> int:
                found = 0
                for rel in ("events", toast):
                    size = conn.execute(
                        "SELECT pg_relation_size(%s::regclass)"
                        " / current_setting('block_size')::int",
                        (rel,),
                    ).fetchone()[0]  # type: ignore[index]
                    for page in range(int(size)):
                        rows = conn.execute(
                            "SELECT t_data FROM heap_page_items(get_raw_page(%s, %s))"
                            " WHERE t_data IS NOT NULL",
                            (rel, page),
                        ).fetchall()
                        found += sum(MARKER.encode() in bytes(r[0]) for r in rows)
                return found

            assert tuples_with_marker() > 0
            for e in events:
                assert store.erase(org_id, e.id)
            assert store.wait_for_vacuum(120)  # type: ignore[attr-defined]
            assert tuples_with_marker() == 0
        assert store.verify(org_id).ok
    finally:
        store.close()


# -- database URLs ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/db", " postgresql://x/y", "not a url", "file:///tmp/x.db"]
)
def test_a_database_url_that_is_not_postgres_creates_nothing(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for argv in (
        ["keys", "create", "--org", "x", "--database-url", url],
        ["db", "upgrade", "--database-url", url],
        ["purge", "--database-url", url],
    ):
        done = runner.invoke(app, argv)
        assert done.exit_code == 2, (argv, done.output)
        assert "--database-url" in done.output
    monkeypatch.setenv("AGENTAUDIT_DATABASE_URL", url)
    done = runner.invoke(app, ["keys", "create", "--org", "x"])
    assert done.exit_code == 2 and "AGENTAUDIT_DATABASE_URL" in done.output
    assert list(tmp_path.iterdir()) == []  # no file, no directory named after the URL
    if url != "not a url":  # a plain path is a SQLite file where a path is expected
        with pytest.raises(BadTarget):
            open_store(url)
        assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
def test_postgres_url_schemes_are_case_insensitive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = pg_session_url().replace("postgresql://", "PostgreSQL://", 1)
    done = runner.invoke(app, ["keys", "create", "--org", "upper", "--database-url", url])
    assert done.exit_code == 0, done.output
    assert done.output.strip().splitlines()[-1].startswith("aa_live_")
    assert list(tmp_path.iterdir()) == []


# -- purge isolates one organisation's failure --------------------------------------------------
@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_purge_goes_on_past_an_organisation_it_cannot_purge(kind: str, tmp_path: Path) -> None:
    target = str(tmp_path / "p.db") if kind == "sqlite" else create_pg_database("aa_purge")
    store = open_store(target)
    now = datetime.now(UTC)
    broken = store.create_org("broken").id
    fine = store.create_org("fine").id
    store.set_policy(fine, Policy(retention_days=200))
    for org_id in (broken, fine):
        store.append(org_id, [NewEvent(ev(at=now - timedelta(days=400)))])
    store.close()
    # what 0006 accepted: a retention that overflows date arithmetic (and no longer validates)
    policy = '{"retention_days": 3000000}'
    p = "?" if kind == "sqlite" else "%s"
    if kind == "sqlite":
        with sqlite3.connect(target) as conn:
            conn.execute(f"UPDATE orgs SET policy = {p} WHERE id = {p}", (policy, broken))
    else:
        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute(f"UPDATE orgs SET policy = {p} WHERE id = {p}", (policy, broken))
    flag = "--db" if kind == "sqlite" else "--database-url"
    done = runner.invoke(app, ["purge", flag, target])
    assert done.exit_code == 1, done.output
    assert "broken: purge failed" in done.output and "could not purge 'broken'" in done.output
    assert "fine: erased 1 payloads" in done.output
    store = open_store(target)
    try:
        assert (
            store.get_event(
                fine,
                # the first call (the policy change before it is chained too)
                next(
                    e
                    for e in store.list_events(fine, EventFilter(order="asc")).events
                    if e.kind == "call"
                ).id,
            ).data
            == {}
        )  # type: ignore[union-attr]
        assert store.verify(fine).ok
    finally:
        store.close()


def test_cli_erase_records_the_local_user(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    from agentaudit import AgentAudit

    with AgentAudit(db_path=db) as audit:
        event = audit.log("a", "send_email", {"to": "jane@example.com"})
    done = runner.invoke(app, ["erase", event.id, "--db", str(db)])
    assert done.exit_code == 0 and "recorded in the chain" in " ".join(done.output.split())
    again = runner.invoke(app, ["erase", event.id, "--db", str(db)])
    assert again.exit_code == 1 and "erased already" in " ".join(again.output.split())
    with AgentAudit(db_path=db) as audit:
        assert audit.get_event(event.id).data == {}
        record = audit.list_events(limit=1).events[0]
        assert record.kind == "erasure" and str(record.context["actor"]).startswith("embedded")
        assert audit.verify().ok
