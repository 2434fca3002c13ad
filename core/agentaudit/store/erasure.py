"""The chained record of an erasure: who erased which payloads, and when.

Erasing a payload (GDPR Art. 17, or retention) leaves the erased event's hash verifiable, but an
erasure nobody can account for is indistinguishable from tampering. So every erasure appends
an event of kind "erasure" to the organisation's chain, in the same transaction as the erasure,
and each erased row points to it (`erased_by`). `verify` checks both sides (store/chain.py).

Masking the secrets of stored payloads (`agentaudit db mask-secrets`) is an erasure of part of a
payload and is recorded the same way: one record per transaction (action `mask_secrets`) listing
each masked event with the digest of its masked payload; masked rows point to it (`masked_by`).
"""

from __future__ import annotations

import getpass
import os
import socket
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from agentaudit.ids import new_id
from agentaudit.models import Decision, Event, EventKind, Policy, RiskLevel
from agentaudit.store._sql import now_ms
from agentaudit.store.base import PayloadMask

AGENT_ID = "agentaudit"
ERASE_ACTION = "erase_payload"
PURGE_ACTION = "purge"
MASK_ACTION = "mask_secrets"
MASK_CHUNK = 500  # payloads masked per transaction (and listed per record) by mask-secrets
PURGE_CHUNK = 10_000  # payloads erased per transaction (and per record) by a purge
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class NotErasable(ValueError):
    """The event is an erasure record: its payload is the evidence of an erasure."""


def local_actor(via: str) -> str:
    """Who acts from this machine, for records made without an API key (embedded, CLI)."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in this environment (a container without passwd)
        user = f"uid {os.getuid()}"
    return f"{via}: {user}@{socket.gethostname()}"


def masking_record(masks: Sequence[PayloadMask], actor: str, policy: Policy | None = None) -> Event:
    """The record of masking the secrets of stored payloads (a partial erasure): each masked
    event, where its secrets were (JSON paths), their types, and the digest of its payload as
    masked, which `verify` checks the row against (store/chain.py); for an event whose block
    reason was masked, also the hash of its chained values with that reason (`fields_hash`)."""
    masked: list[dict[str, Any]] = []
    for m in masks:
        item: dict[str, Any] = {
            "event_id": m.event_id,
            "seq": m.seq,
            "fields": list(m.fields),
            "types": list(m.types),
            "payload_digest": m.digest,
        }
        if m.fields_hash is not None:
            item["fields_hash"] = m.fields_hash
        masked.append(item)
    data = {"count": len(masks), "masked": masked}
    return erasure_record(MASK_ACTION, data, actor, policy, article="art_32")


def erasure_record(
    action: str,
    data: dict[str, Any],
    actor: str,
    policy: Policy | None = None,
    *,
    article: str = "art_17",
) -> Event:
    """The erasure event to chain; `data` names what was erased and how many (`count`).
    A masking of secrets is GDPR Art. 32 (security of processing), an erasure Art. 17."""
    created = now_ms()
    gdpr = policy is None or policy.frameworks.gdpr
    ms = (created - _EPOCH) // timedelta(milliseconds=1)
    return Event(
        id=new_id(ms),
        agent_id=AGENT_ID,
        action=action,
        data=data,
        context={"actor": actor},
        reasoning=None,
        risk_level=RiskLevel.LOW,
        pii_detected=False,
        frameworks={"gdpr": [article]} if gdpr else {},
        created_at=created,
        stored=True,
        decision=Decision.ALLOW,
        kind=EventKind.ERASURE,
    )
