"""`decide`: turn a classification into allow/block/review by the organisation's policy.

Order of precedence, each named in the reason so an auditor can tell which rule refused or held
a call:

1. `blocked_actions` → block;
2. `block_pii_types` → block;
3. `block_on` → block, unless the action matches `allowed_actions`;
4. `review_actions` (a glob on the action, or on the id of a risk rule that fired) → review,
   even for an action in `allowed_actions`: naming a call for review is explicit;
5. `review_on` → review, unless the action matches `allowed_actions`;
6. allow.

Block wins over review: a call that any block rule refuses is never held for approval.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from agentaudit.models import (
    Classification,
    Decision,
    DecisionResult,
    EventIn,
    Policy,
)

_ALLOW = DecisionResult(decision=Decision.ALLOW)  # the common answer, built once (never mutated)


def _first_match(action: str, patterns: list[str]) -> str | None:
    if not patterns:  # the usual case: no pattern, nothing to lower-case
        return None
    lowered = action.lower()
    for pattern in patterns:
        if fnmatchcase(lowered, pattern.lower()):
            return pattern
    return None


def decide(
    classification: Classification, event: EventIn | Any, policy: Policy | None = None
) -> DecisionResult:
    """Decide one call. `event` is anything with an `action` attribute (an `EventIn` usually)."""
    policy = policy or Policy()
    action: str = event.action

    pattern = _first_match(action, policy.blocked_actions)
    if pattern is not None:
        return DecisionResult(
            decision=Decision.BLOCK,
            reason=f"action {action!r} matches blocked_actions pattern {pattern!r}",
            rule="policy.blocked_actions",
        )

    if policy.block_pii_types:
        carried = set(classification.pii_fields) | set(classification.secret_fields)
        forbidden = sorted(carried.intersection(policy.block_pii_types))
        if forbidden:
            return DecisionResult(
                decision=Decision.BLOCK,
                reason=f"carries {', '.join(forbidden)} (block_pii_types)",
                rule="policy.block_pii_types",
            )

    allowed = _first_match(action, policy.allowed_actions) is not None

    if not allowed and policy.block_on is not None and classification.risk_level >= policy.block_on:
        top = classification.matches[0] if classification.matches else None
        why = f"{top.rule}: {top.evidence}" if top and top.evidence else (top.rule if top else "")
        why = why.replace("\x00", "\ufffd")  # evidence quotes the payload; no store takes NUL
        reason = f"risk {classification.risk_level.value} >= block_on {policy.block_on.value}"
        return DecisionResult(
            decision=Decision.BLOCK,
            reason=f"{reason}: {why}" if why else reason,
            rule=top.rule if top else "policy.block_on",
        )
    if policy.review_actions:
        held = _review_match(action, classification, policy.review_actions)
        if held is not None:
            return DecisionResult(
                decision=Decision.REVIEW,
                reason=f"{held} matches review_actions: held for approval",
                rule="policy.review_actions",
            )
    review_on = policy.review_on
    if not allowed and review_on is not None and classification.risk_level >= review_on:
        top = classification.matches[0] if classification.matches else None
        reason = f"risk {classification.risk_level.value} >= review_on {review_on.value}"
        return DecisionResult(
            decision=Decision.REVIEW,
            reason=f"{reason}: held for approval",
            rule=top.rule if top else "policy.review_on",
        )
    return _ALLOW


def _review_match(action: str, classification: Classification, patterns: list[str]) -> str | None:
    """What names the call in `review_actions`: its action, or a fired rule's id; else None."""
    pattern = _first_match(action, patterns)
    if pattern is not None:
        return f"action {action!r} (pattern {pattern!r})"
    for match in classification.matches:
        pattern = _first_match(match.rule, patterns)
        if pattern is not None:
            return f"rule {match.rule!r} (pattern {pattern!r})"
    return None


def merge_policy(current: Policy, patch: dict[str, Any]) -> Policy:
    """Apply a partial update: nested objects merge field by field, lists and scalars replace.

    The result is validated as a whole, so a bad value fails with its path and nothing changes.
    """
    merged = _deep_merge(current.model_dump(mode="json"), patch)
    return Policy.model_validate(merged)


def _deep_merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out
