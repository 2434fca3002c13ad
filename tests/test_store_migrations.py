"""Migrations and the store commands: `agentaudit db upgrade | current | verify`, `purge`.

A store opened with auto_upgrade=False (what a server does) on a schema that is behind refuses
and names the command that fixes it; the commands work the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from alembic import command
from typer.testing import CliRunner

from agentaudit.cli import app
from agentaudit.models import EventFilter, Policy
from agentaudit.store import NewEvent, SchemaOutOfDate, open_store
from agentaudit.store.migrate import SCHEMA_HEAD, _config, script_head, upgrade
from agentaudit.store.postgres import sqlalchemy_url, upgrade_postgres
from tests.test_store import create_pg_database, ev, raw_sql

runner = CliRunner()
AGENTAUDIT = str(Path(sys.executable).with_name("agentaudit"))


def test_schema_head_is_the_newest_migration() -> None:
    assert script_head() == SCHEMA_HEAD


def _target(kind: str, tmp_path: Path) -> str:
    return str(tmp_path / "audit.db") if kind == "sqlite" else create_pg_database("aa_mig")


def _flag(target: str) -> str:
    return "--database-url" if target.startswith("postgresql://") else "--db"


def _upgrade_to(target: str, revision: str) -> None:
    if target.startswith("postgresql://"):
        upgrade_postgres(target, revision)
    else:
        upgrade(f"sqlite:///{target}", revision)


KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("kind", KINDS)
def test_a_schema_behind_is_refused_until_upgraded(kind: str, tmp_path: Path) -> None:
    target = _target(kind, tmp_path)
    with pytest.raises(SchemaOutOfDate, match="holds no AgentAudit schema"):
        open_store(target, create=False)
    _upgrade_to(target, "0001")
    with pytest.raises(SchemaOutOfDate) as info:
        open_store(target, auto_upgrade=False)
    message = str(info.value)
    assert f"at 0001, code needs {SCHEMA_HEAD}" in message
    assert f"agentaudit db upgrade {_flag(target)}" in message

    current = runner.invoke(app, ["db", "current", _flag(target), target])
    assert current.exit_code == 1 and "0001" in current.output
    assert "agentaudit db upgrade" in current.output

    done = runner.invoke(app, ["db", "upgrade", _flag(target), target])
    assert done.exit_code == 0, done.output
    assert f"from 0001 to {SCHEMA_HEAD}" in done.output
    again = runner.invoke(app, ["db", "upgrade", _flag(target), target])
    assert again.exit_code == 0 and "already at" in again.output
    assert runner.invoke(app, ["db", "current", _flag(target), target]).exit_code == 0
    open_store(target, auto_upgrade=False).close()


@pytest.mark.parametrize("kind", KINDS)
def test_upgrading_counts_existing_events(kind: str, tmp_path: Path) -> None:
    """0002 adds the daily counts; events stored before it must be counted in."""
    target = _target(kind, tmp_path)
    store = open_store(target)
    org = store.create_org("acme").id
    day = timedelta(days=1)
    base = datetime(2025, 1, 1, 12, tzinfo=UTC)
    store.append(org, [NewEvent(ev(f"a{i % 3}", at=base + i * day / 2)) for i in range(9)])
    expected = store.stats(org)
    expected_range = store.stats(org, base + day / 3, base + 3 * day)
    store.close()
    url = f"sqlite:///{target}" if kind == "sqlite" else sqlalchemy_url(target)
    command.downgrade(_config(url), "0001")  # drops the counts, keeps the events
    assert "INCLUDE" not in _index_sql(target, "ix_events_org_risk_level_seq")
    store = open_store(target)  # auto-upgrade: 0001 -> head, backfilling the counts
    if kind == "postgres":  # multi-filter totals: index-only scans over the covering indexes
        sql = _index_sql(target, "ix_events_org_risk_level_seq")
        assert "INCLUDE (agent_id, action, decision, pii_detected, created_at)" in sql
    try:
        assert store.stats(org) == expected
        assert store.stats(org, base + day / 3, base + 3 * day) == expected_range
        assert store.list_events(org, EventFilter(agent_id="a1")).total == 3
        several = EventFilter(agent_id="a1", risk_level="low", decision="allow")  # 0004's counts
        assert store.list_events(org, several).total == 3
        assert store.list_events(org, EventFilter(agent_id="a1", risk_level="high")).total == 0
        assert store.verify(org).ok
        assert _count_dims(target) == ["action_rdp", "agent_rdp", "rdp"]  # 0005
        unbounded = "SELECT count(*) FROM event_counts WHERE dim = 'rdp' AND min_seq IS NULL"
        assert _query(target, unbounded) == [(0,)]  # 0006 filled in the seq ranges
        window = EventFilter(after=base + day / 3, before=base + 3 * day, agent_id="a1")
        assert [e.created_at for e in store.list_events(org, window).events] == [
            base + i * day / 2 for i in (4, 1)
        ]
    finally:
        store.close()

    command.downgrade(_config(url), "0004")  # 0005 down: the per-dimension rows come back
    counted = _query(
        target, "SELECT value, sum(n) FROM event_counts WHERE dim = 'agent_id' GROUP BY value"
    )
    assert dict(counted) == expected.by_agent
    assert (
        sum(
            n for _, n in _query(target, "SELECT value, n FROM event_counts WHERE dim = 'decision'")
        )
        == expected.total_events
    )
    _upgrade_to(target, SCHEMA_HEAD)
    assert _count_dims(target) == ["action_rdp", "agent_rdp", "rdp"]
    store = open_store(target, auto_upgrade=False)
    try:
        assert store.stats(org) == expected
    finally:
        store.close()


def _query(target: str, sql: str) -> list[tuple]:
    if target.startswith("postgresql://"):
        with psycopg.connect(target) as conn:
            return [tuple(r) for r in conn.execute(sql).fetchall()]  # type: ignore[arg-type]
    with sqlite3.connect(target) as conn:
        return conn.execute(sql).fetchall()


def _count_dims(target: str) -> list[str]:
    return [r[0] for r in _query(target, "SELECT DISTINCT dim FROM event_counts ORDER BY dim")]


def _index_sql(target: str, name: str) -> str:
    if target.startswith("postgresql://"):
        with psycopg.connect(target) as conn:
            row = conn.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", (name,))
            return row.fetchone()[0]
    with sqlite3.connect(target) as conn:
        return conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]


@pytest.mark.postgres
def test_processes_starting_together_migrate_an_empty_database_once() -> None:
    url = create_pg_database("aa_race")
    errors: list[BaseException] = []

    def start() -> None:
        try:
            open_store(url).close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (SCHEMA_HEAD,)
        ]


@pytest.mark.parametrize("kind", KINDS)
def test_db_verify_exit_code_on_an_altered_store(kind: str, tmp_path: Path) -> None:
    target = _target(kind, tmp_path)
    store = open_store(target)
    acme, other = store.create_org("acme").id, store.create_org("other").id
    events = store.append(acme, [NewEvent(ev(action=f"step{i}")) for i in range(4)])
    store.append(other, [NewEvent(ev())])
    store.close()
    ok = subprocess.run(
        [AGENTAUDIT, "db", "verify", _flag(target), target],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert "acme: chain OK: 4 events verified" in ok.stdout
    assert "other: chain OK: 1 events verified" in ok.stdout
    raw_sql(target, f"UPDATE events SET action = 'forged' WHERE id = '{events[2].id}'")
    broken = subprocess.run(
        [AGENTAUDIT, "db", "verify", _flag(target), target],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert broken.returncode == 1
    assert f"acme: chain BROKEN at seq 3 (event {events[2].id})" in broken.stderr
    assert "other: chain OK" in broken.stdout
    only_other = runner.invoke(app, ["db", "verify", _flag(target), target, "--org", "other"])
    assert only_other.exit_code == 0
    unknown = runner.invoke(app, ["db", "verify", _flag(target), target, "--org", "nope"])
    assert unknown.exit_code == 2 and "no organisation named 'nope'" in unknown.output


def test_verify_cli_exit_code_on_an_altered_sqlite_file(tmp_path: Path) -> None:
    """`agentaudit verify --db` (the embedded client's view) on a file altered behind its back."""
    from agentaudit import AgentAudit

    db = tmp_path / "v.db"
    with AgentAudit(db_path=db) as audit:
        ids = [audit.log("a1", "web_search", {"query": f"q{i}"}).id for i in range(3)]
    assert subprocess.run([AGENTAUDIT, "verify", "--db", str(db)], timeout=120).returncode == 0
    raw_sql(str(db), f"DELETE FROM events WHERE id = '{ids[1]}'")
    broken = subprocess.run(
        [AGENTAUDIT, "verify", "--db", str(db)], capture_output=True, text=True, timeout=120
    )
    assert broken.returncode == 1
    assert "seq 3" in broken.stderr and "expected seq 2" in broken.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_purge_command_reports_and_keeps_the_chain(kind: str, tmp_path: Path) -> None:
    target = _target(kind, tmp_path)
    store = open_store(target)
    kept_org = store.create_org("keeps-all").id
    org = store.create_org("acme").id
    store.set_policy(org, Policy(retention_days=200))  # AI Act on: at least 183 days
    with pytest.raises(ValueError, match="183"):
        Policy(retention_days=30)
    store.set_policy(kept_org, Policy(retention_days=None))
    now = datetime.now(UTC)
    old = [ev(at=now - timedelta(days=300)), ev(at=now - timedelta(days=201))]
    young = [ev(at=now - timedelta(days=199)), ev(at=now)]
    store.append(org, [NewEvent(e) for e in [*old, *young]])
    store.append(kept_org, [NewEvent(ev(at=now - timedelta(days=900)))])
    store.close()

    dry = runner.invoke(app, ["purge", _flag(target), target, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "acme: would erase 2 payloads" in dry.output and "(retention 200 days)" in dry.output
    assert "keeps-all: no retention_days set, nothing erased" in dry.output
    real = runner.invoke(app, ["purge", _flag(target), target])
    assert real.exit_code == 0, real.output
    assert "acme: erased 2 payloads" in real.output and "erased 2 payloads in total" in real.output
    again = runner.invoke(app, ["purge", _flag(target), target, "--org", "acme"])
    assert "acme: erased 0 payloads" in again.output and "keeps-all" not in again.output

    store = open_store(target)
    try:
        for e in old:
            got = store.get_event(org, e.id)
            assert got is not None and got.data == {} and got.reasoning is None
        for e in young:
            got = store.get_event(org, e.id)
            assert got is not None and got.data == e.data
        assert store.verify(org).ok and store.verify(kept_org).ok
        assert store.list_events(kept_org, EventFilter()).events[0].data != {}
        record = store.list_events(org, EventFilter(limit=1)).events[0]  # chained by the purge
        assert (record.kind, record.action, record.data["count"]) == ("erasure", "purge", 2)
        assert record.context["actor"].startswith("agentaudit purge (retention_days 200)")
    finally:
        store.close()
    verify = runner.invoke(app, ["db", "verify", _flag(target), target])
    # 4 calls, the policy change (set_policy chains it) and the purge's record
    assert verify.exit_code == 0 and "acme: chain OK: 6 events verified" in verify.output


def test_commands_reject_two_targets_and_a_missing_store(tmp_path: Path) -> None:
    both = runner.invoke(
        app, ["purge", "--db", str(tmp_path / "a.db"), "--database-url", "postgresql://x/y"]
    )
    assert both.exit_code == 2 and "not both" in both.output
    missing = runner.invoke(app, ["purge", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and "holds no AgentAudit schema" in missing.output
    assert "agentaudit db upgrade --db" in missing.output


@pytest.mark.postgres
def test_unreachable_database_is_a_clear_error() -> None:
    url = "postgresql://postgres:s3cret@127.0.0.1:1/nowhere"
    result = runner.invoke(app, ["db", "verify", "--database-url", url])
    assert result.exit_code == 2 and "cannot connect to" in result.output
    assert "s3cret" not in result.output  # the password is never printed


@pytest.mark.parametrize("kind", KINDS)
def test_server_refuses_to_start_on_a_schema_behind(kind: str, tmp_path: Path) -> None:
    target = _target(kind, tmp_path)
    _upgrade_to(target, "0001")
    served = subprocess.run(
        [AGENTAUDIT, "serve", "--port", "0", _flag(target), target],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode != 0
    assert f"agentaudit db upgrade {_flag(target)}" in served.stderr + served.stdout
