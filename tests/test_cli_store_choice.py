"""One way to point a command at a store: `--db`, `--database-url` (or `--url`), else the
environment, the same for every command that reads or writes events; two at once refused; the
store named in the first line of the output; `verify` and `db verify` one command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentaudit.cli import app
from agentaudit.store import NewEvent, open_store
from tests.test_store import create_pg_database, ev, raw_sql

runner = CliRunner()
AGENTAUDIT = str(Path(sys.executable).with_name("agentaudit"))
STORE_VARS = ("AGENTAUDIT_DB", "AGENTAUDIT_DATABASE_URL", "AGENTAUDIT_URL", "AGENTAUDIT_API_KEY")

# every command that reads or writes events, with what it needs besides the store
COMMANDS = [
    ["events"],
    ["export"],
    ["verify"],
    ["db", "verify"],
    ["demo"],
    ["erase", "01J0000000000000000000000Z"],
    ["purge"],
    ["keys", "create", "--org", "x"],
    ["keys", "list"],
    ["db", "upgrade"],
    ["db", "current"],
    ["systems", "list"],
    ["compliance", "status"],
    ["report", "ai-act", "--format", "html"],
    ["subjects", "search", "jane@example.com"],
    ["subjects", "erase", "jane@example.com"],
    ["db", "index-subjects"],
]


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in STORE_VARS}
    return subprocess.run(
        [AGENTAUDIT, *args],
        capture_output=True,
        text=True,
        env={**clean, "COLUMNS": "200", **env},
        timeout=120,
    )


def _seed(target: str, n: int = 3) -> list[str]:
    store = open_store(target)
    try:
        org = store.ensure_org("default").id
        return [e.id for e in store.append(org, [NewEvent(ev(action=f"s{i}")) for i in range(n)])]
    finally:
        store.close()


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_two_stores_at_once_are_refused_and_nothing_is_created(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in STORE_VARS:
        monkeypatch.delenv(name, raising=False)
    flags = runner.invoke(
        app, [*argv, "--db", str(tmp_path / "a.db"), "--database-url", "postgresql://u@h/d"]
    )
    assert flags.exit_code == 2, flags.output
    assert "--db or --database-url, not both" in flags.output
    monkeypatch.setenv("AGENTAUDIT_DB", str(tmp_path / "b.db"))
    monkeypatch.setenv("AGENTAUDIT_DATABASE_URL", "postgresql://u@h/d")
    both = runner.invoke(app, argv)
    assert both.exit_code == 2, both.output
    assert "AGENTAUDIT_DB and AGENTAUDIT_DATABASE_URL are both set" in both.output
    assert list(tmp_path.iterdir()) == []


def test_a_flag_wins_over_the_environment_and_is_named(tmp_path: Path) -> None:
    chosen, other = str(tmp_path / "chosen.db"), str(tmp_path / "other.db")
    _seed(chosen, 2)
    _seed(other, 5)
    env = {"AGENTAUDIT_DB": other}
    done = _run("verify", "--db", chosen, env=env)
    assert done.returncode == 0, done.stderr
    first, rest = done.stdout.split("\n", 1)
    assert first == f"store: SQLite {chosen} (from --db)"
    assert "default: chain OK: 2 events verified" in rest
    by_env = _run("verify", env=env)
    assert by_env.stdout.startswith(f"store: SQLite {other} (from AGENTAUDIT_DB)")
    assert "5 events verified" in by_env.stdout


def test_server_and_store_at_once_are_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    flags = _run("verify", "--db", db, "--url", "http://127.0.0.1:9", env={})
    assert flags.returncode == 2 and "--db or --url, not both" in flags.stderr
    env = {"AGENTAUDIT_DB": db, "AGENTAUDIT_URL": "http://127.0.0.1:9"}
    for argv in (["verify"], ["events"], ["export"]):
        done = _run(*argv, env=env)
        assert done.returncode == 2, (argv, done.stdout)
        assert "AGENTAUDIT_DB and AGENTAUDIT_URL are both set" in done.stderr
    assert not Path(db).exists()


def test_data_on_stdout_keeps_the_store_line_on_stderr(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    ids = _seed(db)
    exported = _run("export", "--db", db, env={})
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr.splitlines()[0] == f"store: SQLite {db} (from --db)"
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [r["id"] for r in rows if r["type"] == "event"] == ids
    key = _run("keys", "create", "--org", "acme", "--db", db, env={})
    assert key.stdout.strip().startswith("aa_live_")
    assert key.stderr.startswith("store: SQLite")


@pytest.mark.postgres
def test_verify_with_a_database_url_in_the_environment_checks_postgres(tmp_path: Path) -> None:
    """The bug of issue 19: with the README's `export AGENTAUDIT_DATABASE_URL`, `verify`
    checked ./agentaudit.db and said "chain OK"."""
    url = create_pg_database("aa_choice")
    ids = _seed(url, 4)
    local = str(tmp_path / "agentaudit.db")
    _seed(local, 1)  # a healthy local file the old code verified instead
    raw_sql(url, f"UPDATE events SET action = 'forged' WHERE id = '{ids[1]}'")
    done = subprocess.run(
        [AGENTAUDIT, "verify"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={
            **{k: v for k, v in os.environ.items() if k not in STORE_VARS},
            "AGENTAUDIT_DATABASE_URL": url,
        },
        timeout=120,
    )
    assert done.returncode == 1, done.stdout
    assert done.stdout.startswith("store: PostgreSQL postgresql://")
    assert "(from AGENTAUDIT_DATABASE_URL)" in done.stdout.splitlines()[0]
    assert f"default: chain BROKEN at seq 2 (event {ids[1]})" in done.stderr
    alias = _run("db", "verify", env={"AGENTAUDIT_DATABASE_URL": url})
    assert alias.returncode == 1 and f"chain BROKEN at seq 2 (event {ids[1]})" in alias.stderr
    events = _run("events", "--json", env={"AGENTAUDIT_DATABASE_URL": url})
    assert events.returncode == 0, events.stderr
    assert len(events.stdout.splitlines()) == 4
