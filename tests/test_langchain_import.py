"""The LangChain adapter without LangChain: importing it costs nothing, using it names the extra.

Marked `openai_agents` so it also runs in .venv-oa, where LangChain is really absent; in .venv the
subprocess blocks LangChain's modules instead.
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
import sys
for name in ("langchain", "langchain_core", "langgraph"):
    sys.modules[name] = None
import agentaudit_integrations.langchain as lc
assert not any(m.split(".")[0] in ("langchain", "langchain_core", "langgraph")
               for m, v in sys.modules.items() if v is not None)
for what in ("AgentAuditMiddleware", "AgentAuditCallbackHandler", "wrap_tool_call"):
    try:
        obj = getattr(lc, what)
        if what == "wrap_tool_call":
            obj(None)
    except ImportError as exc:
        print(what, "->", exc)
    else:
        print(what, "-> no error")
"""


def test_import_without_langchain_names_the_extra() -> None:
    out = run_python(BLOCKED_IMPORT)
    lines = out.strip().splitlines()
    assert len(lines) == 3, out
    for line in lines:
        assert "pip install 'agentaudit[langchain]'" in line, line


def test_importing_the_adapter_imports_no_framework() -> None:
    code = (
        "import sys, agentaudit_integrations.langchain\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('langchain', 'langchain_core', 'langgraph')))"
    )
    assert run_python(code).strip() == "[]"
