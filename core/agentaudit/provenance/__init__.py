"""Provenance: catch the calls that untrusted tool output steers (indirect prompt injection).

Per session, AgentAudit remembers the values (addresses, links, accounts, phone numbers,
wallets, names) that untrusted tool results held and those trusted sources vouched for; a later
call sending data, money or access to a value found only in untrusted content gets the match
`steered_by_untrusted`. See docs/provenance.md.
"""

from __future__ import annotations

from agentaudit.provenance.memory import Session, Sessions, Source, session_key
from agentaudit.provenance.steer import (
    AFTER_INSTRUCTION,
    INSTRUCTION,
    REPLY,
    STEERED,
    OrgProvenance,
    Provenance,
)
from agentaudit.provenance.trust import Trust, tool_trust

__all__ = [
    "AFTER_INSTRUCTION",
    "INSTRUCTION",
    "REPLY",
    "STEERED",
    "OrgProvenance",
    "Provenance",
    "Session",
    "Sessions",
    "Source",
    "Trust",
    "session_key",
    "tool_trust",
]
