"""Which tool results are untrusted (outside content), trusted (the organisation's own records)
or neither (a confirmation of what the agent did).

Defaults come from the words of the tool's name (rules.yaml); the policy's glob lists override
them, `trusted_tools` first. MCP tools are untrusted unless their server is listed trusted.
"""

from __future__ import annotations

from enum import Enum
from fnmatch import fnmatchcase
from typing import Any

from agentaudit.models import ProvenancePolicy
from agentaudit.provenance._rules import rules, words

RESULT_SUFFIXES = (".result", ".error")


class Trust(Enum):
    UNTRUSTED = "untrusted"
    TRUSTED = "trusted"
    NEUTRAL = "neutral"


READ_VERBS = frozenset({"get", "read", "fetch", "list", "search", "find", "lookup", "open"})
READ_VERBS |= {"view", "query", "load", "check", "retrieve", "browse", "download", "scrape"}


def result_tool(action: str, context: dict[str, Any]) -> str | None:
    """The tool whose result this event records, or None for a call."""
    phase = context.get("phase")
    if phase in ("result", "error"):
        return action.rsplit(".", 1)[0] if action.endswith(RESULT_SUFFIXES) else action
    if action.endswith(".result"):
        return action[: -len(".result")]
    return None


def _matches(tool: str, patterns: list[str]) -> bool:
    lowered = tool.lower()
    return any(fnmatchcase(lowered, p.lower()) for p in patterns)


def mcp_server(tool: str, context: dict[str, Any]) -> str | None:
    """The MCP server a tool belongs to: the gateway's context, or a `mcp__server__tool` name."""
    server = context.get("mcp_server")
    if isinstance(server, str) and server:
        return server
    if tool.startswith("mcp__"):
        parts = tool.split("__")
        return parts[1] if len(parts) > 2 else None
    return None


def tool_trust(
    tool: str, context: dict[str, Any], policy: ProvenancePolicy, outside_path: bool = False
) -> Trust:
    """How far the result of `tool` can be trusted. `outside_path`: its call read a file from
    a place others write to (downloads, a shared drive)."""
    flag = context.get("trusted")
    if isinstance(flag, bool):  # the integrator marked this result explicitly
        return Trust.TRUSTED if flag else Trust.UNTRUSTED
    if _matches(tool, policy.trusted_tools):
        return Trust.TRUSTED
    if _matches(tool, policy.untrusted_tools):
        return Trust.UNTRUSTED
    server = mcp_server(tool, context)
    if server is not None:
        trusted = _matches(server, policy.trusted_mcp_servers)
        return Trust.TRUSTED if trusted else Trust.UNTRUSTED
    if outside_path:
        return Trust.UNTRUSTED
    r = rules()
    w = words(tool)
    if w & r.confirm_words and not w & READ_VERBS:
        return Trust.NEUTRAL
    if w & r.outside_words and not w & r.own_words:
        return Trust.UNTRUSTED
    return Trust.TRUSTED


def reads_outside_path(data: dict[str, Any]) -> bool:
    """Whether a call reads a file from where others put files (a path field naming
    Downloads, a shared or public folder, /tmp, an upload directory)."""
    r = rules()
    for key, value in data.items():
        named = isinstance(value, str) and words(key) & r.attachment_words
        if named and words(value) & r.outside_path_words:
            return True
    return False
