"""The command line on the embedded file: demo, events, verify, export."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from agentaudit import AgentAudit
from agentaudit.cli import app

runner = CliRunner()


def _seed(db: Path) -> list[str]:
    with AgentAudit(db_path=db) as audit:
        ids = [
            audit.log("a1", "web_search", {"query": "weather"}).id,
            audit.log(
                "a1",
                "database_query",
                {"query": "SELECT * FROM customers WHERE email = 'jane@example.com'"},
            ).id,
            audit.log("a2", "run_sql", {"sql": "DROP TABLE customers"}).id,
        ]
    return ids


def test_demo_prints_the_trail_and_a_block(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = runner.invoke(app, ["demo", "--db", str(db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "BLOCK" in result.output and "chain OK" in result.output
    with AgentAudit(db_path=db) as audit:
        assert audit.list_events(decision="block").total >= 1


def test_events_json_and_filters(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    ids = _seed(db)
    result = runner.invoke(app, ["events", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [e["id"] for e in lines] == ids[::-1]
    result = runner.invoke(app, ["events", "--db", str(db), "--json", "--decision", "block"])
    assert [json.loads(line)["id"] for line in result.output.splitlines()] == [ids[2]]
    result = runner.invoke(app, ["events", "--db", str(db), "--risk", "extreme"])
    assert result.exit_code == 2 and "risk_level" in result.output
    table = runner.invoke(app, ["events", "--db", str(db)], env={"COLUMNS": "200"})
    assert "3 of 3 events" in table.output


def test_verify_ok_then_names_the_altered_row(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    ids = _seed(db)
    ok = runner.invoke(app, ["verify", "--db", str(db)])
    assert ok.exit_code == 0 and "3 events verified" in ok.output
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE events SET decision = 'allow' WHERE id = ?", (ids[2],))
    # the console script, as a user runs it
    exe = Path(sys.executable).with_name("agentaudit")
    broken = subprocess.run(
        [str(exe), "verify", "--db", str(db)], capture_output=True, text=True, timeout=60
    )
    assert broken.returncode == 1
    assert "seq 3" in broken.stderr and ids[2] in broken.stderr


def test_export_jsonl_and_csv(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    ids = _seed(db)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ids
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "csv"])
    assert result.exit_code == 0
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in table] == ids
    assert json.loads(table[1]["pii_fields"]) == ["email"]
    bad = runner.invoke(app, ["export", "--db", str(db), "--format", "xml"])
    assert bad.exit_code == 2
