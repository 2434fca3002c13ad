"""classify → decide → build the event: the one path every decision takes (embedded or server)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from agentaudit.approvals import attach_draft, draft_for
from agentaudit.classifier import (
    RuleSet,
    classify,
    classify_and_find,
    evidence_form,
    find_secrets,
)
from agentaudit.ids import new_id
from agentaudit.models import (
    SECRET_TYPES,
    Classification,
    Decision,
    Event,
    EventIn,
    EventKind,
    Policy,
    construct,
)
from agentaudit.policy import decide
from agentaudit.provenance import OrgProvenance
from agentaudit.redact import redact, text_masker
from agentaudit.secret_mask import SecretMasker, new_key
from agentaudit.subjects import index_entries

# Fingerprints of events evaluated without their organisation's key (nothing is stored): they
# match nothing stored, and are never the value.
_UNSTORED_KEY = new_key()
_SECRET_TYPES = frozenset(SECRET_TYPES)


def evaluate(
    event_in: EventIn,
    policy: Policy,
    *,
    rules: RuleSet | None = None,
    event_id: str | None = None,
    now: datetime | None = None,
    secret_key: bytes | None = None,
    provenance: OrgProvenance | None = None,
    subjects: list[tuple[str, str]] | None = None,
    policy_version: int | None = None,
) -> tuple[Event, bool]:
    """Classify and decide one call; returns the event and whether the policy stores it.

    A blocked call is always stored, so the trail shows what was refused, and so is a call held
    for review (with its approval request, approvals.py). A block or a review also adds EU AI
    Act Art. 14 (human oversight), which applies to every refusal. With
    `policy.store_secrets == "mask"` (the default) every secret found is replaced by
    `[SECRET:<type>:<fingerprint>]` (secret_mask.py) keyed by `secret_key`, the organisation's
    fingerprint key (the store keeps it; without it the fingerprints match nothing stored).
    With `policy.redact_pii` personal data is masked too. The event carries (and the store
    hashes) the payload as masked. With `provenance` (the organisation's session memory), a
    result feeds it and a call steered by untrusted content is raised (provenance/steer.py)
    before it is decided. With `subjects` (a list) and `secret_key`, a stored call's
    identifiers are added to it as (keyed hash, type) for the data-subject index (subjects.py).
    `policy_version` is the version of `policy` (policy_history.py), which the event records.
    """
    args = (event_in.agent_id, event_in.action, event_in.data, event_in.context)
    data, context, reasoning = event_in.data, event_in.context, event_in.reasoning
    found: list[tuple[str, str]] = []
    index = subjects is not None and secret_key is not None
    if policy.redact_pii or index:
        c, found = classify_and_find(*args, reasoning, policy=policy, rules=rules)
    else:
        c = classify(*args, reasoning, policy=policy, rules=rules)
    ms = time.time_ns() // 1_000_000 if now is None else _ms(now)
    event_id = event_id or new_id(ms)
    if provenance is not None:
        c = provenance.observe(event_in, c, policy, event_id)
    d = decide(c, event_in, policy)
    matches, reason = c.matches, d.reason
    masked_fields: list[str] = []
    if policy.store_secrets == "mask":
        masker = secret_masker(c, context, reasoning, secret_key or _UNSTORED_KEY, rules)
        if masker is not None:
            masked = masker.payload(data, context, reasoning)
            data, context, reasoning = masked.data, masked.context, masked.reasoning
            masked_fields = masked.fields
            matches = [
                m.model_copy(update={"evidence": masker.derived(m.evidence)}) for m in matches
            ]
            reason = masker.derived(reason) if reason is not None else None
            found = [(t, v) for t, v in found if t not in _SECRET_TYPES]  # masked already
    if policy.redact_pii:
        data, context, reasoning = redact(data, context, reasoning, found)
        pii_masker = text_masker(found)
        if pii_masker is not None:  # evidence and the reason quoting it come from the payload
            matches = [m.model_copy(update={"evidence": pii_masker(m.evidence)}) for m in matches]
            reason = pii_masker(reason) if reason is not None else None
    frameworks = c.frameworks
    if d.decision != Decision.ALLOW and policy.frameworks.ai_act:
        ai_act = frameworks.get("ai_act", [])
        if "art_14" not in ai_act:
            frameworks = {**frameworks, "ai_act": ["art_14", *ai_act]}
    store = d.decision != Decision.ALLOW or c.risk_level >= policy.store_min_risk
    if index and store and found and secret_key is not None and subjects is not None:
        subjects.extend(index_entries(secret_key, found, policy.pii_region))
    created_at = instant_of_ms(ms)
    event = construct(
        Event,
        {
            "id": event_id,
            "agent_id": event_in.agent_id,
            "action": event_in.action,
            "data": data,
            "context": context,
            "reasoning": reasoning,
            "risk_level": c.risk_level,
            "pii_detected": c.pii_detected,
            "pii_fields": c.pii_fields,
            "secret_fields": c.secret_fields,
            "frameworks": frameworks,
            "created_at": created_at,
            "stored": store,
            "decision": d.decision,
            "reason": reason,
            "matches": matches,
            "partial_scan": c.partial_scan,
            "kind": EventKind.CALL,
            "masked_fields": masked_fields,
            "policy_override": d.override,
            "approval_id": None,
            "policy_version": policy_version,
        },
    )
    if d.decision == Decision.REVIEW:  # the store creates the request with the event
        draft = draft_for(event_in.agent_id, event_in.action, event_in.data, created_at, policy)
        attach_draft(event, draft)
    return event, store


def secret_masker(
    c: Classification,
    context: dict[str, Any],
    reasoning: str | None,
    key: bytes,
    rules: RuleSet | None = None,
) -> SecretMasker | None:
    """The masker of a call's secrets: those `classify` found in `data`, and those in its
    context and reasoning (which `classify` does not read for secrets); None when it has none."""
    found = list(c.found_secrets())
    if context:
        found += find_secrets(context, rules=rules)
    if reasoning:
        found += find_secrets(reasoning, rules=rules)
    if not found:
        return None
    return SecretMasker.of(key, found, evidence_form)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_last_instant: tuple[int, datetime] = (0, _EPOCH)


def instant_of_ms(ms: int) -> datetime:
    """The UTC datetime of `ms`; calls within one millisecond (a batch's events) share one
    object, so its text is computed once (models._utc_z). One tuple swapped whole: thread-safe."""
    global _last_instant
    last = _last_instant
    if last[0] == ms:
        return last[1]
    value = _EPOCH + timedelta(milliseconds=ms)
    _last_instant = (ms, value)
    return value


def _ms(now: datetime) -> int:
    """Whole milliseconds since the epoch (naive means UTC). `created_at` has millisecond
    precision — what every store keeps, so a re-read event equals the returned one — and the
    id's time part is the same instant."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return (now - _EPOCH) // timedelta(milliseconds=1)
