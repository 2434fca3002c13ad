"""`decide`: turn a classification into allow/block/review by the organisation's policy.

Order of precedence, each named in the reason so an auditor can tell which rule refused or held
a call:

1. `blocked_actions` → block;
2. `block_pii_types` → block;
3. `block_on` → block, unless the action matches `allowed_actions`;
4. `review_actions` (a glob on the action, or on the id of a risk rule that fired) → review,
   even for an action in `allowed_actions`: naming a call for review is explicit;
5. a call steered by untrusted content (the match `steered_by_untrusted`, provenance/steer.py)
   → review when the policy uses approvals (`approvals_in_use`) or says so
   (`provenance.review_steered`), unless the action matches `allowed_actions`;
6. `review_on` → review, unless the action matches `allowed_actions`;
7. allow.

Block wins over review: a call that any block rule refuses is never held for approval.

Overrides (`Policy.overrides`): an override matches a call when one of its `agents` globs matches
the agent id (or it names no agents) and one of its `actions` globs matches the action (or it names
no actions); globs ignore case. Of the matching overrides the most specific decides, compared by:

1. how many of the two (agents, actions) it names: both beats one;
2. fewer wildcard characters (`*`, `?`, `[`) in its matching patterns (for each named dimension,
   its most specific pattern that matched; summed);
3. the longer literal prefix (characters before the first wildcard, summed the same way);
4. the earlier in the list.

The chosen override's set fields replace the base policy's (`block_on`, `blocked_actions`,
`allowed_actions`, `block_pii_types`, `review_on`, `review_actions`; a field it leaves out is
the base's), and the precedence above then runs on that. The result names it: `override`, and the reason starts
"decided by override `name`". Overrides never combine. With no overrides nothing of this runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase, translate
from typing import Any

from agentaudit.models import (
    Classification,
    Decision,
    DecisionResult,
    EventIn,
    Policy,
    PolicyOverride,
)

_ALLOW = DecisionResult(decision=Decision.ALLOW)  # the common answer, built once (never mutated)
# The match of a call whose destination came from untrusted tool output (provenance/steer.py;
# not imported from there: this module stays free of the classifier).
STEERED_RULE = "steered_by_untrusted"


def approvals_in_use(policy: Policy) -> bool:
    """Whether the organisation holds calls for human approval: its policy (the override that
    decides a call, if one does) sets `review_on` or `review_actions`, or names `approvers`.
    Then someone watches the queue, and a steered call that is not blocked is held there."""
    return policy.review_on is not None or bool(policy.review_actions or policy.approvers)


def _holds_steered(policy: Policy) -> bool:
    choice = policy.provenance.review_steered
    return approvals_in_use(policy) if choice is None else choice


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
    """Decide one call. `event` is anything with an `action` attribute (an `EventIn` usually),
    and an `agent_id` when the policy has overrides."""
    policy = policy or Policy()
    action: str = event.action
    if policy.overrides:  # one attribute test when there are none: the common case pays nothing
        chosen = choose_override(policy, event.agent_id, action)
        if chosen is not None:
            return _by_override(classification, event, chosen)
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
    if not allowed:
        for match in classification.matches:  # usually none or one: cheaper than the policy
            if match.rule == STEERED_RULE:
                if not _holds_steered(policy):
                    break
                why = match.evidence.replace("\x00", "\ufffd")
                return DecisionResult(
                    decision=Decision.REVIEW,
                    reason=f"{STEERED_RULE}: {why}: held for approval",
                    rule=STEERED_RULE,
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


# a lower-cased glob as (its compiled matcher, wildcard count, literal prefix length)
_Pattern = tuple[Callable[[str], "re.Match[str] | None"], int, int]


@dataclass(frozen=True, slots=True)
class _Compiled:
    """An override ready to match: its lower-cased globs and the policy it decides with."""

    name: str
    agents: tuple[_Pattern, ...]
    actions: tuple[_Pattern, ...]
    policy: Policy


_WILD = "*?["


def _pattern_key(pattern: str) -> _Pattern:
    p = pattern.lower()
    first = min((i for i, ch in enumerate(p) if ch in _WILD), default=len(p))
    return re.compile(translate(p)).match, sum(p.count(ch) for ch in _WILD), first


# Compiled overrides by the id of a policy's overrides list (the list is kept in the entry, so
# the id stays its own); policies are frozen and shared, so a few entries serve every call.
_PLANS: dict[int, tuple[list[PolicyOverride], tuple[_Compiled, ...]]] = {}
_MAX_PLANS = 64


def _compiled(policy: Policy) -> tuple[_Compiled, ...]:
    """The overrides of `policy`, compiled once per overrides list."""
    plan = _PLANS.get(id(policy.overrides))
    if plan is not None and plan[0] is policy.overrides:
        return plan[1]
    base = policy.model_copy(update={"overrides": []})
    compiled = tuple(_compile(o, base) for o in policy.overrides)
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()
    _PLANS[id(policy.overrides)] = (policy.overrides, compiled)
    return compiled


def _compile(o: PolicyOverride, base: Policy) -> _Compiled:
    return _Compiled(
        name=o.name,
        agents=tuple(_pattern_key(p) for p in o.agents),
        actions=tuple(_pattern_key(p) for p in o.actions),
        policy=base.model_copy(update=o.changes()),
    )


def _best(value: str, patterns: tuple[_Pattern, ...]) -> tuple[int, int] | None:
    """(-wildcards, literal prefix) of the most specific pattern matching `value`; None if none."""
    best: tuple[int, int] | None = None
    for match, wild, prefix in patterns:
        if match(value) is not None:
            key = (-wild, prefix)
            if best is None or key > best:
                best = key
    return best


def choose_override(policy: Policy, agent_id: str, action: str) -> _Compiled | None:
    """The override that decides a call of `agent_id` doing `action` (module docstring)."""
    agent, act = agent_id.lower(), action.lower()
    chosen: _Compiled | None = None
    chosen_key: tuple[int, int, int] = (0, 0, 0)
    for o in _compiled(policy):
        dims, wild, prefix = 0, 0, 0
        if o.agents:
            hit = _best(agent, o.agents)
            if hit is None:
                continue
            dims, wild, prefix = dims + 1, wild + hit[0], prefix + hit[1]
        if o.actions:
            hit = _best(act, o.actions)
            if hit is None:
                continue
            dims, wild, prefix = dims + 1, wild + hit[0], prefix + hit[1]
        key = (dims, wild, prefix)
        if chosen is None or key > chosen_key:  # strictly greater: the earlier wins a tie
            chosen, chosen_key = o, key
    return chosen


def _by_override(classification: Classification, event: Any, o: _Compiled) -> DecisionResult:
    d = decide(classification, event, o.policy)  # o.policy has no overrides: no recursion
    tag = f"decided by override `{o.name}`"
    reason = f"{tag}: {d.reason}" if d.reason else tag
    # a copy keeps every field of the result (no validation: the values are valid already)
    return d.model_copy(update={"reason": reason, "override": o.name})


def override_of_reason(reason: str | None) -> str | None:
    """The override named by a stored reason ("decided by override `name`…"), else None."""
    if reason is None or not reason.startswith(_TAG):
        return None
    end = reason.find("`", len(_TAG))
    return reason[len(_TAG) : end] if end > 0 else None


_TAG = "decided by override `"


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
