"""`agentaudit events | verify | export` against a real server, by flags and by environment."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentaudit import AgentAudit
from tests.support.live_server import LiveServer, cli_command, run_server

DROP = {"query": "DROP TABLE customers", "database": "production"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(db_path=tmp_path_factory.mktemp("srv") / "srv.db") as srv:
        with AgentAudit(
            api_key=srv.api_key, base_url=srv.url, spool_dir=tmp_path_factory.mktemp("spool")
        ) as audit:
            for i in range(5):
                audit.log("cli-agent", "web_search", {"query": f"weather {i}"})
            audit.log("cli-agent", "database_query", DROP)
        yield srv


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        [*cli_command(), *args], capture_output=True, text=True, env=full_env, timeout=120
    )


def test_events_with_flags(server: LiveServer) -> None:
    done = cli("events", "--url", server.url, "--api-key", server.api_key, "--json")
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(events) == 6 and events[0]["action"] == "database_query"  # newest first
    blocked = cli("events", "--url", server.url, "--api-key", server.api_key, "--decision", "block")
    assert blocked.returncode == 0 and "BLOCK" in blocked.stdout and "1 of 1" in blocked.stdout


def test_verify_and_export_from_the_environment(server: LiveServer, tmp_path: Path) -> None:
    env = {"AGENTAUDIT_URL": server.url, "AGENTAUDIT_API_KEY": server.api_key}
    verified = cli("verify", env=env)
    assert verified.returncode == 0, verified.stderr
    assert "chain OK: 6 events verified" in verified.stdout

    out = tmp_path / "trail.csv"
    exported = cli("export", "--format", "csv", "-o", str(out), env=env)
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [r["action"] for r in rows] == ["web_search"] * 5 + ["database_query"]  # oldest first
    assert rows[-1]["decision"] == "block"

    jsonl = cli("export", env=env)
    assert [json.loads(line)["id"] for line in jsonl.stdout.splitlines()] == [r["id"] for r in rows]


@pytest.mark.parametrize("command", ["events", "verify", "export"])
def test_a_bad_key_is_a_clear_error(server: LiveServer, command: str) -> None:
    done = cli(command, "--url", server.url, "--api-key", "aa_live_nope")
    assert done.returncode == 2
    assert "401" in done.stderr and "Traceback" not in done.stderr
    assert "aa_live_nope" not in done.stderr
