"""The policy's history: every change is a chained event, every decision names its version.

An organisation's policy has a version: 0 until its first recorded change (the default policy,
or the one set before versions were kept), then 1, 2, … Setting a policy that differs from the
one in force writes, in one transaction, the new policy and version, a row of the history
(`policy_changes`) and an event of kind `policy_change` in the hash chain naming who changed it
(`context.actor`: an API key, a dashboard user's key, a local user), when, the old and new
policy in full with their digests, the fields that changed and the new version. Setting the
policy in force again changes nothing and records nothing.

Every call event carries the version of the policy that decided it (`policy_version`, chained
in its hash from chain version 3), so an auditor can tell which rules were in force for any
decision and read them in the history (`GET /v1/policy/history`). The history's rows are an
index for reading; the chain is the evidence: `verify` recomputes every change's event.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

from agentaudit.ids import new_id
from agentaudit.models import Decision, Event, EventKind, Policy, RiskLevel, UTCDateTime

AGENT_ID = "agentaudit"  # the agent of the records AgentAudit writes itself
ACTION = "policy_change"
MAX_PAGE = 200
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class FieldChange(BaseModel):
    """One changed value: its path (`block_on`, `frameworks.soc2`, `overrides`), before, after
    (null: absent)."""

    path: str
    old: Any = None
    new: Any = None


class PolicyVersion(BaseModel):
    """One version of the policy: who set it, when, through what, and what changed."""

    version: int = Field(description="1, 2, …: the version this change made")
    changed_at: UTCDateTime | None = Field(
        default=None, description="null for version 0 (the policy before its first change)"
    )
    actor: str | None = Field(
        default=None,
        description="who changed it: 'api key <prefix> (id <id>)', 'dashboard user, api key "
        "<prefix> (id <id>)', 'cli: user@host', …",
    )
    source: str | None = Field(default=None, description="api, dashboard, cli, embedded")
    old: dict[str, Any] | None = Field(default=None, description="the policy before the change")
    new: dict[str, Any] = Field(description="the policy the change set")
    changed: list[FieldChange] = Field(default_factory=list)
    event_id: str | None = Field(
        default=None, description="the chained event of kind policy_change that records it"
    )
    event_seq: int | None = Field(default=None, description="that event's place in the chain")


class PolicyHistory(BaseModel):
    """A page of the policy's versions, newest first."""

    versions: list[PolicyVersion]
    total: int = Field(description="recorded changes (versions 1 …)")
    limit: int
    offset: int
    current_version: int = Field(description="the version in force (0: no change recorded)")


def policy_dict(policy: Policy) -> dict[str, Any]:
    return policy.model_dump(mode="json")


def digest_of(policy: dict[str, Any]) -> str:
    """SHA-256 of the policy's canonical JSON (sorted keys, no spaces)."""
    from agentaudit.store.chain import canonical  # pure; the store imports this module

    return hashlib.sha256(canonical(policy).encode()).hexdigest()


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[FieldChange]:
    """The values that differ, nested objects field by field (lists compare whole)."""
    out: list[FieldChange] = []

    def walk(a: Any, b: Any, path: str) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                walk(a.get(key), b.get(key), f"{path}.{key}" if path else key)
        elif a != b:
            out.append(FieldChange(path=path or "policy", old=a, new=b))

    walk(old or {}, new, "")
    return out


def change_record(
    old: Policy,
    new: Policy,
    version: int,
    actor: str,
    source: str,
    created_at: datetime,
) -> Event:
    """The chained event of a policy change (kind policy_change): the old and new policy in
    full with their digests, the paths that changed, the version made, who and through what."""
    before, after = policy_dict(old), policy_dict(new)
    changed = [c.path for c in diff(before, after)]
    frameworks: dict[str, list[str]] = {}
    if new.frameworks.ai_act:
        frameworks["ai_act"] = ["art_12"]  # record-keeping of the oversight rules in force
    if new.frameworks.soc2:
        frameworks["soc2"] = ["CC8.1"]  # change management
    ms = (created_at - _EPOCH) // timedelta(milliseconds=1)
    return Event(
        id=new_id(ms),
        agent_id=AGENT_ID,
        action=ACTION,
        data={
            "version": version,
            "previous_version": version - 1,
            "old": before,
            "new": after,
            "old_digest": digest_of(before),
            "new_digest": digest_of(after),
            "changed": list[Any](changed),
            "source": source,
        },
        context={"actor": actor},
        reasoning=None,
        risk_level=RiskLevel.LOW,
        pii_detected=False,
        frameworks=frameworks,
        created_at=created_at,
        stored=True,
        decision=Decision.ALLOW,
        reason=f"policy version {version} set by {actor} ({source}): "
        + (", ".join(changed[:10]) + (" …" if len(changed) > 10 else "") or "no field"),
        kind=EventKind.POLICY_CHANGE,
        policy_version=version,
    )


def version_of_row(row: tuple[Any, ...]) -> PolicyVersion:
    """A history row (version, changed_at, actor, source, previous, policy, event_id,
    event_seq, then its chained event's created_at, context and data, or NULLs) as a
    `PolicyVersion`: what the chained event says, the row's own values without it."""
    import json

    version, changed_at, actor, source, previous, policy, event_id, event_seq = row[:8]
    old = json.loads(previous) if previous is not None else None
    new = json.loads(policy)
    created_at, context, data = row[8:11] if len(row) >= 11 else (None, None, None)
    if data is not None and context is not None and created_at is not None:
        chained, who = json.loads(data), json.loads(context)
        if isinstance(chained, dict) and isinstance(who, dict) and "new" in chained:
            old, new = chained.get("old"), chained["new"]
            actor, source = who.get("actor", actor), chained.get("source", source)
            changed_at = created_at
    return PolicyVersion(
        version=int(version),
        changed_at=datetime.fromisoformat(str(changed_at).replace("Z", "+00:00")),
        actor=actor,
        source=source,
        old=old,
        new=new,
        changed=diff(old, new),
        event_id=event_id,
        event_seq=None if event_seq is None else int(event_seq),
    )
