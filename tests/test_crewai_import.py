"""The CrewAI adapter without CrewAI: importing it costs nothing, using it names the extra.

Marked `openai_agents` so it also runs in .venv-oa, where CrewAI is really absent; in .venv the
subprocess blocks CrewAI's modules instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.openai_agents

REPO = Path(__file__).resolve().parent.parent


def run_python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": f"{REPO}:{REPO / 'core'}"}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout


BLOCKED_IMPORT = """
import sys, tempfile
sys.modules["crewai"] = None
from agentaudit import AgentAudit
from agentaudit_integrations.crewai import audited, instrument
with AgentAudit(db_path=tempfile.mkdtemp() + "/a.db") as audit:
    for name, use in (("instrument", lambda: instrument(audit)),
                      ("audited", lambda: audited(audit).__enter__())):
        try:
            use()
        except ImportError as exc:
            print(name, "->", exc)
        else:
            print(name, "-> no error")
"""


def test_without_crewai_the_error_names_the_extra() -> None:
    lines = run_python(BLOCKED_IMPORT).strip().splitlines()
    assert len(lines) == 2, lines
    for line in lines:
        assert "pip install 'agentaudit[crewai]'" in line, line


def test_importing_the_adapter_imports_no_crewai() -> None:
    code = (
        "import sys, agentaudit_integrations.crewai\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('crewai', 'crewai_core')))"
    )
    assert run_python(code).strip() == "[]"
