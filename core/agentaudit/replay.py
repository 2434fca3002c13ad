"""Policy replay: what a candidate policy would have decided on the stored calls of a period.

Only `decide` runs again. Its inputs are read from stored columns: agent, action, risk level,
PII and secret types, and the fired rules (ids and levels, in the order stored: highest first).
The classification is not recomputed, so a candidate's settings that change *classification*
(`money_critical_threshold`, `internal_domains`, `pii_region`, `pii_ner`, `provenance`, new
rules) have no effect here; only its decision fields (`block_on`, `blocked_actions`,
`allowed_actions`, `block_pii_types`, `overrides`, and any other field `decide` reads) do.
Events whose payload was erased keep their classification, so they are replayed as well, but
counted apart: their payload can never be classified again.

Nothing is written. Rows are read in batches by seq with a narrow SELECT, and `decide` runs
once per distinct input (agent, action, risk, types, rules): a million rows take seconds.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, cast

from pydantic import BaseModel, Field, field_validator

from agentaudit.models import (
    Classification,
    Decision,
    Policy,
    RiskLevel,
    bounded_instant,
)
from agentaudit.policy import decide

BATCH_ROWS = 20_000
MAX_EXAMPLES = 100
TOP_KEYS = 100  # per breakdown, the most frequent keys are listed; the rest are summed in "…"
_CACHE_LIMIT = 200_000


class ReplayRows(Protocol):
    def replay_rows(
        self,
        org_id: str,
        after_seq: int,
        limit: int,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[tuple]: ...


class ReplayRequest(BaseModel):
    """`POST /v1/policy/replay`: the candidate (a full policy or a patch on the current one)."""

    model_config = {"extra": "forbid"}

    policy: dict[str, Any] = Field(
        default_factory=dict,
        description="the candidate policy, or the changes to the current one (merged as PUT "
        "/v1/org/policy merges); {} replays the current policy",
    )
    since: datetime | None = Field(default=None, description="first instant (inclusive)")
    until: datetime | None = Field(default=None, description="last instant (exclusive)")
    examples: int = Field(default=5, ge=0, le=MAX_EXAMPLES, description="event ids per change")

    @field_validator("since", "until")
    @classmethod
    def _instant(cls, value: datetime | None) -> datetime | None:
        return None if value is None else bounded_instant(value)


class ChangeGroup(BaseModel):
    """Calls whose decision changes one way (e.g. allow → block)."""

    count: int = 0
    by_rule: dict[str, int] = Field(
        default_factory=dict,
        description="the rule of the new decision; for a change to allow, the rule by which "
        "the current policy refuses it ('(none)' when the current policy allows it too)",
    )
    by_agent: dict[str, int] = Field(default_factory=dict)
    by_action: dict[str, int] = Field(default_factory=dict)
    by_override: dict[str, int] = Field(
        default_factory=dict, description="the candidate's override that decided ('(base)': none)"
    )
    examples: list[str] = Field(default_factory=list, description="event ids")


class ReplayReport(BaseModel):
    """What would change. Change kinds are named `<stored>_to_<candidate>` (allow_to_block,
    block_to_allow, allow_to_review, …): any decision value is counted the same way."""

    replayed: int = Field(description="call events read (erased ones included)")
    unchanged: int
    changes: dict[str, ChangeGroup] = Field(
        description="by change kind, over events whose payload is kept"
    )
    erased: int = Field(description="replayed events whose payload was erased")
    erased_changes: dict[str, ChangeGroup] = Field(
        description="by change kind, over erased events (decided on their stored "
        "classification; the payload cannot be classified again)"
    )
    since: datetime | None = None
    until: datetime | None = None
    note: str = (
        "classification is read as stored; only the decision is recomputed (settings that "
        "change classification have no effect here)"
    )


@dataclass
class _Group:
    count: int = 0
    rule: Counter[str] = field(default_factory=Counter)
    agent: Counter[str] = field(default_factory=Counter)
    action: Counter[str] = field(default_factory=Counter)
    override: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def done(self) -> ChangeGroup:
        return ChangeGroup(
            count=self.count,
            by_rule=_top(self.rule),
            by_agent=_top(self.agent),
            by_action=_top(self.action),
            by_override=_top(self.override),
            examples=self.examples,
        )


def _top(counter: Counter[str]) -> dict[str, int]:
    if len(counter) <= TOP_KEYS:
        return dict(counter.most_common())
    top = counter.most_common(TOP_KEYS)
    return {**dict(top), "…": sum(counter.values()) - sum(n for _, n in top)}


class _Call:
    """What `decide` reads of an event: agent and action."""

    __slots__ = ("action", "agent_id")

    def __init__(self, agent_id: str, action: str) -> None:
        self.agent_id = agent_id
        self.action = action


class _Match:
    """A stored rule match: its id and level (the evidence is not needed to decide)."""

    __slots__ = ("evidence", "level", "rule")

    def __init__(self, rule: str, level: str) -> None:
        self.rule, self.level, self.evidence = rule, RiskLevel(level), ""


class _Stored:
    """What `decide` reads of a classification, from stored columns (no pydantic per input:
    model_construct costs tens of µs)."""

    __slots__ = ("matches", "pii_fields", "risk_level", "secret_fields")

    def __init__(self, risk: str, pii: str, secret: str, rules: str | None) -> None:
        self.risk_level = RiskLevel(risk)
        self.pii_fields = json.loads(pii)
        self.secret_fields = json.loads(secret)
        self.matches = [_Match(r, level) for r, level in (json.loads(rules) if rules else [])]


def _classification(risk: str, pii: str, secret: str, rules: str | None) -> Classification:
    return cast(Classification, _Stored(risk, pii, secret, rules))


def iter_rows(
    store: ReplayRows,
    org_id: str,
    since: datetime | None,
    until: datetime | None,
    batch: int = BATCH_ROWS,
) -> Iterator[list[tuple]]:
    """The org's call rows of the period, a batch at a time."""
    after = 0
    while True:
        rows = store.replay_rows(org_id, after, batch, since, until)
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def replay(
    store: ReplayRows,
    org_id: str,
    current: Policy,
    candidate: Policy,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    examples: int = 5,
    batch: int = BATCH_ROWS,
) -> ReplayReport:
    """Decide every stored call of the period by `candidate` and count the changes against the
    stored decision. `current` only names the rule behind a stored refusal the candidate lifts."""
    # (new decision, its rule, its override) per distinct input of decide
    cache: dict[tuple, tuple[str, str, str]] = {}
    kept: dict[str, _Group] = {}
    erased: dict[str, _Group] = {}
    replayed = unchanged = n_erased = 0
    for rows in iter_rows(store, org_id, since, until, batch):
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        for _seq, ident, agent, action, risk, pii, secret, rules, old, erased_at in rows:
            replayed += 1
            if erased_at is not None:
                n_erased += 1
            key = (agent, action, risk, pii, secret, rules)
            outcome = cache.get(key)
            if outcome is None:
                c = _classification(risk, pii, secret, rules)
                d = decide(c, _Call(agent, action), candidate)
                rule = d.rule or ""
                if d.decision == Decision.ALLOW:  # the rule lifted: the current policy's
                    rule = decide(c, _Call(agent, action), current).rule or "(none)"
                outcome = cache[key] = (d.decision.value, rule, d.override or "(base)")
            new = outcome[0]
            if new == old:
                unchanged += 1
                continue
            groups = kept if erased_at is None else erased
            kind = f"{old}_to_{new}"
            g = groups.get(kind)
            if g is None:
                g = groups[kind] = _Group()
            g.count += 1
            g.rule[outcome[1]] += 1
            g.agent[agent] += 1
            g.action[action] += 1
            g.override[outcome[2]] += 1
            if len(g.examples) < examples:
                g.examples.append(ident)
    return ReplayReport(
        replayed=replayed,
        unchanged=unchanged,
        changes={k: g.done() for k, g in sorted(kept.items())},
        erased=n_erased,
        erased_changes={k: g.done() for k, g in sorted(erased.items())},
        since=since,
        until=until,
    )
