"""Which AI system an agent belongs to: `agent_id_patterns`, where `*` matches any run of
characters and everything else is literal (case-sensitive, like agent ids themselves).

The link is computed when read, never stored on events: the trail's write path stays as it is,
and a pattern added today links yesterday's events too (upstream calls this retroactive).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentaudit.aiact.models import AISystem


@functools.lru_cache(maxsize=4096)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


def matches(pattern: str, agent_id: str) -> bool:
    """Whether `agent_id` is matched by one pattern (the whole id, not a part of it)."""
    if "*" not in pattern:
        return pattern == agent_id
    return _regex(pattern).fullmatch(agent_id) is not None


def matches_any(patterns: Iterable[str], agent_id: str) -> bool:
    return any(matches(p, agent_id) for p in patterns)


def specificity(pattern: str) -> tuple[int, int]:
    """How narrowly a pattern matches: an exact id beats any wildcard, then more literal
    characters beat fewer."""
    return (0 if "*" in pattern else 1, len(pattern.replace("*", "")))


def systems_of(agent_id: str, systems: Sequence[AISystem]) -> list[AISystem]:
    """The systems an agent belongs to, most specific match first (active ones before
    deactivated ones); usually one."""
    scored = []
    for system in systems:
        best = max(
            (specificity(p) for p in system.agent_id_patterns if matches(p, agent_id)),
            default=None,
        )
        if best is not None:
            scored.append((system.is_active, best, system))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [s for _, _, s in scored]


def matching_agents(patterns: Iterable[str], agents: Iterable[str]) -> list[str]:
    """The agent ids among `agents` that any of `patterns` matches, sorted."""
    pats = list(patterns)
    return sorted(a for a in set(agents) if matches_any(pats, a))
