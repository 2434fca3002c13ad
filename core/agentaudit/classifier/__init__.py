"""INTERIM classifier so the rest of the package imports while the real one is being written.

The classifier work replaces this whole file; nothing else may depend on its internals.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from agentaudit.models import Classification, Policy, RuleMatch, RiskLevel

_CRITICAL = re.compile(r"\b(drop\s+(table|database)|truncate\s+table|rm\s+-rf\s+/)", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


class RuleSet:
    """Placeholder for the rule set."""


def load_rules(path: str | os.PathLike[str] | None = None) -> RuleSet:
    return RuleSet()


def classify(
    agent_id: str,
    action: str,
    data: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    reasoning: str | None = None,
    *,
    policy: Policy | None = None,
    rules: RuleSet | None = None,
) -> Classification:
    text = json.dumps(data or {})
    pii = ["email"] if _EMAIL.search(text) else []
    m = _CRITICAL.search(text)
    if m:
        return Classification(
            risk_level=RiskLevel.CRITICAL,
            pii_detected=bool(pii),
            pii_fields=pii,
            frameworks={"ai_act": ["art_14", "art_9"]},
            matches=[RuleMatch(rule="interim.destructive", level="critical", evidence=m.group(0))],
        )
    level = RiskLevel.MEDIUM if pii else RiskLevel.LOW
    return Classification(
        risk_level=level,
        pii_detected=bool(pii),
        pii_fields=pii,
        frameworks={"gdpr": ["art_30"], "ai_act": ["art_14"]} if pii else {},
    )
