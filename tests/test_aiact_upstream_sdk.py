"""Acceptance: the upstream product's SDK (`agentic-audit==0.3.0` from PyPI, Python >= 3.12)
runs its AI Act methods against our server unchanged and gets meaningful values.

Its venv is made once and kept in `.venv-upstream-sdk/` at the top of the repository (ignored by
git; delete it to rebuild). The SDK imports as `agentaudit` too, so it runs in its own
interpreter with no path to our code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.live_server import run_server

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / ".venv-upstream-sdk"
PACKAGE = "agentic-audit==0.3.0"
MARKER = VENV / f".installed-{PACKAGE}"


def python_312() -> str | None:
    """An interpreter of Python 3.12 or newer that really runs (a pyenv shim may not), or
    None."""
    candidates: list[str | None] = [sys.executable] if sys.version_info >= (3, 12) else []
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    if pyenv.is_dir():
        for version in sorted(pyenv.iterdir(), reverse=True):
            candidates.append(str(version / "bin" / "python"))
    candidates += [shutil.which(f"python3.{minor}") for minor in range(20, 11, -1)]
    for exe in candidates:
        if not exe or not Path(exe).exists():
            continue
        probe = subprocess.run(
            [exe, "-c", "import sys, venv; print(sys.version_info >= (3, 12))"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if probe.returncode == 0 and probe.stdout.strip() == "True":
            return exe
    return None


def sdk_python() -> Path:
    """The venv's interpreter, with the SDK installed (made on first use)."""
    exe = VENV / "bin" / "python"
    if MARKER.exists() and exe.exists():
        return exe
    base = python_312()
    if base is None:
        pytest.skip("agentic-audit 0.3.0 needs Python >= 3.12, and none is installed here")
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([base, "-m", "venv", str(VENV)], check=True, timeout=120)
    done = subprocess.run(
        [str(exe), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PACKAGE],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"pip install {PACKAGE} failed:\n{done.stderr[-3000:]}"
    MARKER.write_text(PACKAGE + "\n")
    return exe


SCRIPT = r"""
import asyncio, json, os
import agentaudit
from agentaudit import AgentAudit, AsyncAgentAudit

url, key = os.environ["UPSTREAM_URL"], os.environ["UPSTREAM_KEY"]
out = {"sdk_file": agentaudit.__file__}
with AgentAudit(api_key=key, base_url=url) as audit:
    created = audit.create_system(
        name="HR Screener",
        vendor="HireCo",
        description="Screens CVs of job applicants and ranks candidates for recruiters",
        agent_id_patterns=["hr-bot", "hr-bot-*"],
        risk_classification="high",
        annex_iii_category="employment",
        fria_next_review="2027-07-15T00:00:00",
    )
    event = audit.log(agent_id="hr-bot-1", action="read_resume",
                      data={"candidate_email": "jane@example.com"})
    out["event_risk"] = event.risk_level
    out["created"] = created
    out["listed"] = audit.list_systems()
    out["got"] = audit.get_system(created["id"])
    out["suggestion"] = audit.get_classification_suggestion(created["id"])
    out["status"] = audit.get_compliance_status()

async def more():
    async with AsyncAgentAudit(api_key=key, base_url=url) as audit:
        return (await audit.list_systems())["total"], (await audit.get_compliance_status())["score"]

out["async"] = asyncio.run(more())
print(json.dumps(out))
"""


def test_upstream_sdk_030_works_unchanged_against_our_server(tmp_path: Path) -> None:
    exe = sdk_python()
    with run_server(db_path=tmp_path / "s.db") as srv:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")} | {
            "UPSTREAM_URL": srv.url,
            "UPSTREAM_KEY": srv.api_key,
        }
        done = subprocess.run(
            [str(exe), "-c", SCRIPT],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            env=env,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        assert "Traceback" not in srv.output()
    out = json.loads(done.stdout)
    assert str(VENV) in out["sdk_file"]  # upstream's package, not ours
    created = out["created"]
    assert len(created["id"]) == 26 and created["name"] == "HR Screener"
    assert created["agent_id_patterns"] == ["hr-bot", "hr-bot-*"]
    assert created["fria_next_review"].startswith("2027-07-15T00:00:00")
    assert out["listed"]["total"] == 1 and out["listed"]["systems"][0]["id"] == created["id"]
    assert out["got"] == created
    s = out["suggestion"]
    assert s["suggested_classification"] == "high"
    assert s["suggested_category"] == "employment"
    assert s["rationale"]
    assert s["evidence"]["total_events"] == 1  # the SDK's own event, linked by the pattern
    assert (
        s["evidence"]["category_scores"]["employment"]
        >= s["evidence"]["category_confidence_threshold"]
    )
    st = out["status"]
    for key in (
        "all_classified",
        "no_prohibited",
        "fria_complete",
        "contracts_reviewed",
        "retention_compliant",
    ):
        assert isinstance(st["checks"][key], bool)
    assert st["checks"]["fria_complete"] is False and st["checks"]["all_classified"] is True
    assert st["summary"]["total_systems"] == 1 and st["summary"]["high_risk"] == 1
    assert st["compliance_preset"] == "ai_act"
    assert [d["type"] for d in st["deadlines"]] == ["fria_review"]
    assert st["deadlines"][0]["system"] == "HR Screener"
    assert 0 < st["score"] < 100
    assert out["async"] == [1, st["score"]]
