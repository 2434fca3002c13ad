"""The per-organisation hash chain.

Each stored event gets `seq` (1, 2, …), `prev_hash` (the hash of seq-1; GENESIS for the first) and
`hash` = SHA-256 over a canonical encoding of the event's metadata plus `payload_digest`, the
SHA-256 of its payload (data, context, reasoning). The payload enters only through its digest, so
erasing a payload under GDPR Art. 17 keeps every hash verifiable.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
# The C encoder that `_ENCODER.encode` builds anew on every call, built once (same arguments).
# No circular-reference bookkeeping: a shared markers dict would not be thread-safe, and payloads
# are validated JSON trees of bounded depth, so a cycle cannot reach it.
_C_ENCODE = (
    json.encoder.c_make_encoder(
        None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", True, False, True
    )
    if json.encoder.c_make_encoder is not None
    else None
)


def canonical(value: Any) -> str:
    """One JSON text per value: sorted keys, no spaces, UTF-8 kept (the same in every store)."""
    if _C_ENCODE is None:
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))


_encode_str = (
    json.encoder.encode_basestring
)  # what `canonical` writes for a str (C, no ASCII escaping)


def canonical_text(value: str | None) -> str:
    """`canonical` of a string or None, without the encoder's per-call overhead."""
    return "null" if value is None else _encode_str(value)


def payload_digest(data: Any, context: Any, reasoning: str | None) -> str:
    return payload_digest_of_text(canonical(data), canonical(context), reasoning)


def payload_digest_of_text(data_text: str, context_text: str, reasoning: str | None) -> str:
    """The digest from payload parts already in canonical form (what the stores write), so a
    payload is encoded once: the canonical text of {"context", "data", "reasoning"} is exactly
    these parts in that (sorted) key order."""
    body = (
        f'{{"context":{context_text},"data":{data_text},"reasoning":{canonical_text(reasoning)}}}'
    )
    return hashlib.sha256(body.encode()).hexdigest()


# The fields that enter `hash`, in the order they are documented; every store passes these.
CHAINED_FIELDS = (
    "org_id",
    "seq",
    "prev_hash",
    "id",
    "agent_id",
    "action",
    "created_at",
    "risk_level",
    "pii_detected",
    "pii_fields",
    "secret_fields",
    "frameworks",
    "decision",
    "reason",
    "payload_digest",
)


def event_hash(fields: dict[str, Any]) -> str:
    body = canonical({name: fields[name] for name in CHAINED_FIELDS})
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True)
class ChainRow:
    """What `verify` needs of one stored row, as the store read it."""

    fields: dict[str, Any]  # CHAINED_FIELDS values as stored
    hash: str
    data: Any
    context: Any
    reasoning: str | None
    erased: bool


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    head_seq: int
    error: str | None = None
    broken_seq: int | None = None
    broken_id: str | None = None

    def describe(self) -> str:
        if self.ok:
            return f"chain OK: {self.checked} events verified (head seq {self.head_seq})"
        where = f"seq {self.broken_seq}" if self.broken_seq is not None else "chain head"
        ident = f" (event {self.broken_id})" if self.broken_id else ""
        return f"chain BROKEN at {where}{ident}: {self.error}"


class ChainVerifier:
    """Feed rows in seq order; stops at the first broken link and says where and why."""

    def __init__(self) -> None:
        self.expected_seq = 1
        self.prev_hash = GENESIS
        self.checked = 0
        self.failure: VerifyResult | None = None

    def feed(self, row: ChainRow) -> bool:
        if self.failure is not None:
            return False
        f = row.fields
        seq, ident = f["seq"], f["id"]

        def fail(msg: str) -> bool:
            self.failure = VerifyResult(False, self.checked, self.expected_seq - 1, msg, seq, ident)
            return False

        if seq != self.expected_seq:
            kind = "missing" if seq > self.expected_seq else "out of order or duplicated"
            return fail(f"expected seq {self.expected_seq}, found {seq}: a row is {kind}")
        if f["prev_hash"] != self.prev_hash:
            return fail(
                "prev_hash does not match the previous event's hash (rows removed or moved)"
            )
        if not row.erased:
            digest = payload_digest(row.data, row.context, row.reasoning)
            if digest != f["payload_digest"]:
                return fail("payload (data, context or reasoning) was altered")
        if event_hash(f) != row.hash:
            return fail("event fields were altered (hash mismatch)")
        self.prev_hash = row.hash
        self.expected_seq += 1
        self.checked += 1
        return True

    def finish(self, head_seq: int | None, head_hash: str | None) -> VerifyResult:
        if self.failure is not None:
            return self.failure
        last = self.expected_seq - 1
        if head_seq is not None and (head_seq != last or head_hash != self.prev_hash):
            return VerifyResult(
                False,
                self.checked,
                last,
                f"chain head says seq {head_seq} but the last stored event is seq {last} "
                "(events at the end were removed)",
                last + 1,
                None,
            )
        return VerifyResult(True, self.checked, last)
