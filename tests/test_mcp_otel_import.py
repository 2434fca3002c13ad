"""The MCP and OpenTelemetry integrations without their extras: importing them costs nothing,
using them names the extra to install (one line, no traceback, on the command line too)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO_ROOT

BLOCKED = """
import sys
for name in ("mcp", "opentelemetry"):
    sys.modules[name] = None
import agentaudit_integrations.mcp_gateway as gw
import agentaudit_integrations.mcp_trail as trail
import agentaudit_integrations.otel as otel
assert not any(m.split(".")[0] in ("mcp", "opentelemetry")
               for m, v in sys.modules.items() if v is not None)
for what, use in (
    ("gateway", lambda: gw.Gateway(None)),
    ("trail", lambda: trail.create_trail_server(None)),
    ("traced", lambda: otel.traced(object())),
):
    try:
        use()
    except ImportError as exc:
        print(what, "->", exc)
"""


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "core"), str(REPO_ROOT)])}


def test_using_them_names_the_extra() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCKED], capture_output=True, text=True, env=env(), check=True
    )
    lines = done.stdout.strip().splitlines()
    assert lines == [
        "gateway -> The MCP gateway needs the `mcp` extra: pip install 'agentaudit[mcp]'",
        "trail -> The trail's MCP server needs the `mcp` extra: pip install 'agentaudit[mcp]'",
        "traced -> AgentAudit's OpenTelemetry spans need the `otel` extra: "
        "pip install 'agentaudit[otel]'",
    ]


def test_the_commands_say_it_in_one_line() -> None:
    code = (
        "import sys; sys.modules['mcp'] = None; sys.argv = ['agentaudit', 'mcp-proxy', '--', 'x']\n"
        "from agentaudit.cli import app; app()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env())
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: The MCP gateway needs the `mcp` extra: pip install 'agentaudit[mcp]'"
    )
