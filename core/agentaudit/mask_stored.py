"""Masking the secrets of payloads already stored in clear (`agentaudit db mask-secrets`).

Payloads stored before masking was the default, or while a policy said `store_secrets: clear`,
keep their secrets until asked: nothing stored is rewritten silently. On request each candidate
is classified again, its secrets are masked exactly as at ingest (secret_mask.py), and the
store replaces the payload and chains a record of the masking (who asked, which events, where,
which types), MASK_CHUNK payloads per transaction. The chain stays verifiable like after an
erasure (store/chain.py); a payload masked once is not masked again, so a second run masks
nothing. A block reason that quotes a secret (in clear, or shortened as `AKIA****`) is masked
with its payload; the record vouches for the row's chained values with the masked reason.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from agentaudit.classifier import RuleSet, classify
from agentaudit.models import Policy
from agentaudit.pipeline import secret_masker
from agentaudit.secret_mask import PLACEHOLDER
from agentaudit.store import EventStore, PayloadMask, StoredPayload
from agentaudit.store.chain import canonical, event_hash, payload_digest, payload_digest_of_text
from agentaudit.store.erasure import MASK_CHUNK


@dataclass
class MaskReport:
    """What a run did (with `dry_run`: would do) for one organisation."""

    checked: int = 0  # stored payloads classified again
    masked: int = 0  # payloads masked (dry run: that would be)
    records: int = 0  # masking records chained
    changed_meanwhile: int = 0  # payloads changed or erased between reading and masking
    not_intact: int = 0  # rows that no longer match their hash: left for `verify` to name
    reasons_masked: int = 0  # of those, events whose block reason quoted a secret, now masked
    types: Counter[str] = field(default_factory=Counter)


def plan_mask(
    stored: StoredPayload, policy: Policy, key: bytes, rules: RuleSet | None = None
) -> tuple[PayloadMask | None, bool]:
    """The masked payload (and block reason) of one stored call, or None when it holds no
    secret in clear; and whether its block reason quoted one (then masked as well)."""
    e = stored.event
    if not intact(stored):
        return None, False
    c = classify(e.agent_id, e.action, e.data, e.context, e.reasoning, policy=policy, rules=rules)
    masker = secret_masker(c, e.context, e.reasoning, key, rules)
    if masker is None:
        return None, False
    masked = masker.payload(e.data, e.context, e.reasoning)
    old_evidence = stored.texts[3]
    evidence = old_evidence
    fields = list(masked.fields)
    if stored.chain_version >= 2:
        evidence = canonical([masker.derived(m.evidence) for m in e.matches])
        if evidence != old_evidence:
            fields.append("matches[].evidence")
    reason = None if e.reason is None else masker.derived(e.reason)
    fields_hash = None
    if reason is not None and reason != e.reason and stored.chained:
        # the row keeps its hash (over the reason in clear); the record lists its chained
        # values' hash with the masked reason, which `verify` checks the row against
        fields.append("reason")
        fields_hash = event_hash({**stored.chained, "reason": reason})
    else:
        reason = None
    if not fields:
        return None, False
    data, context = canonical(masked.data), canonical(masked.context)
    version2 = stored.chain_version >= 2
    digest = payload_digest_of_text(data, context, masked.reasoning, evidence if version2 else None)
    before = Counter(_types((*stored.texts, e.reason)))
    after = Counter(_types((data, context, masked.reasoning, evidence, reason or e.reason)))
    mask = PayloadMask(
        seq=stored.seq,
        event_id=e.id,
        before=stored.texts,
        data=data,
        context=context,
        reasoning=masked.reasoning,
        evidence=evidence,
        digest=digest,
        fields=tuple(fields),
        types=tuple(sorted(after - before)),
        reason=reason,
        fields_hash=fields_hash,
    )
    return mask, reason is not None


def intact(stored: StoredPayload) -> bool:
    """Whether the row still matches its hash (values and payload): masking a row rewrites
    what `verify` checks it against, so masking an altered row would launder the alteration."""
    f = stored.chained
    if not f or not stored.hash:
        return True  # read without its chain values: nothing to compare
    data, context, reasoning, evidence = stored.texts
    digest = payload_digest(
        _load(data),
        _load(context),
        reasoning,
        _load(evidence) if stored.chain_version >= 2 else None,
    )
    return digest == f.get("payload_digest") and event_hash(f) == stored.hash


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _types(texts: tuple[str | None, ...]) -> list[str]:
    return [m.group(1) for t in texts if t for m in PLACEHOLDER.finditer(t)]


def mask_stored_secrets(
    store: EventStore,
    org_id: str,
    *,
    actor: str,
    dry_run: bool = False,
    every_payload: bool = False,
    chunk: int = MASK_CHUNK,
    rules: RuleSet | None = None,
) -> MaskReport:
    """Mask the secrets of one organisation's stored payloads. Candidates are the calls whose
    classification named a secret type; `every_payload` classifies every stored payload (a
    newer classifier may find secrets an older one missed). `dry_run` counts, writes nothing."""
    policy = store.get_policy(org_id)
    key = store.fingerprint_key(org_id)
    report = MaskReport()
    after = 0
    while True:
        batch = store.payloads_to_mask(org_id, after, chunk, with_secret_types=not every_payload)
        if not batch:
            break
        after = batch[-1].seq
        report.checked += len(batch)
        masks = []
        for stored in batch:
            if not intact(stored):
                report.not_intact += 1
                continue
            mask, reason_masked = plan_mask(stored, policy, key, rules)
            if mask is not None:
                masks.append(mask)
                report.reasons_masked += reason_masked
                report.types.update(mask.types)
        if masks and dry_run:
            report.masked += len(masks)
        elif masks:
            n = store.mask_payloads(org_id, masks, actor=actor)
            report.masked += n
            report.records += n > 0
            report.changed_meanwhile += len(masks) - n
        if len(batch) < chunk:
            break
    return report
