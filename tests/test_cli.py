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
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["id"] for e in lines] == ids[::-1]
    assert result.stderr.startswith(f"store: SQLite {db.absolute()} (from --db)")
    result = runner.invoke(app, ["events", "--db", str(db), "--json", "--decision", "block"])
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [ids[2]]
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
    assert rows[0]["type"] == "agentaudit/export/v1" and rows[0]["events"] == 3
    assert [r["id"] for r in rows if r["type"] == "event"] == ids  # chained fields, verifiable
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "csv"])
    assert result.exit_code == 0
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in table] == ids
    assert json.loads(table[1]["pii_fields"]) == ["email"]
    bad = runner.invoke(app, ["export", "--db", str(db), "--format", "xml"])
    assert bad.exit_code == 2


def _cli(
    *args: str, env: dict[str, str] | None = None, prelude: str = ""
) -> subprocess.CompletedProcess:
    """`agentaudit ARGS` in a fresh interpreter (its console-script entry point, `main`)."""
    import os

    code = f"{prelude}\nimport sys\nfrom agentaudit.cli import main\nsys.argv = ['agentaudit', *{list(args)!r}]\nmain()"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=120,
    )


def test_version_names_the_classifier_engine_and_why_python() -> None:
    import os

    import agentaudit

    done = _cli("--version")
    assert done.returncode == 0, done.stderr
    first, engine = done.stdout.strip().splitlines()
    assert first.startswith(f"agentaudit {agentaudit.__version__} (Python 3.")
    assert engine.startswith("classifier engine: ")
    if os.environ.get("AGENTAUDIT_EXPECT_COMPILED") == "1":  # make test built it
        assert engine.startswith("classifier engine: compiled with mypyc"), engine
    forced = _cli("--version", env={"AGENTAUDIT_PURE_PYTHON": "1"})
    assert forced.stdout.strip().splitlines()[1] == (
        "classifier engine: pure Python: AGENTAUDIT_PURE_PYTHON=1 is set"
    )


BLOCK_SERVER_EXTRA = (
    "import sys\nfor m in ('fastapi', 'uvicorn', 'starlette'): sys.modules[m] = None"
)


def test_serve_without_the_server_extra_is_one_line(tmp_path: Path) -> None:
    """As in an environment without `agentaudit[server]` (the wheel test runs the real one)."""
    done = _cli("serve", "--db", str(tmp_path / "s.db"), prelude=BLOCK_SERVER_EXTRA)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: `agentaudit serve` needs the 'server' extra (uvicorn is not installed); "
        "install it with: pip install 'agentaudit[server]'"
    )
    assert "Traceback" not in done.stderr and not (tmp_path / "s.db").exists()


def test_postgres_commands_without_the_postgres_extra_are_one_line() -> None:
    block = "import sys\nsys.modules['psycopg'] = None"
    url = "postgresql://postgres@127.0.0.1:1/none"
    done = _cli("db", "upgrade", "--database-url", url, prelude=block)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: `agentaudit db upgrade` needs the 'postgres' extra (psycopg is not installed); "
        "install it with: pip install 'agentaudit[postgres]'"
    ]


def test_other_import_errors_are_not_blamed_on_an_extra() -> None:
    """A broken installation (an ImportError that is not a missing module) stays a traceback."""
    prelude = (
        "import agentaudit.cli\n"
        "def boom(): raise ImportError('cannot import name X from fastapi', name='fastapi')\n"
        "agentaudit.cli.app = boom"
    )
    done = _cli("serve", prelude=prelude)
    assert done.returncode == 1 and "Traceback" in done.stderr and "extra" not in done.stderr
