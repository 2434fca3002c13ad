"""The per-organisation hash chain.

Each stored event gets `seq` (1, 2, …), `prev_hash` (the hash of seq-1; GENESIS for the first) and
`hash` = SHA-256 over a canonical encoding of the event's metadata plus `payload_digest`, the
SHA-256 of its payload (data, context, reasoning). The payload enters only through its digest, so
erasing a payload under GDPR Art. 17 keeps every hash verifiable.

Rows carry a `chain_version`. Version 1 (rows written before schema 0007) hashes CHAINED_FIELDS.
Version 2 also chains the row's kind, the risk rules that fired (id and level), and whether the
classifier read only part of a string; the rules' evidence quotes the payload, so it enters the
payload digest and is erased with the payload. Version 3 (rows written from schema 0028 on) also
chains `policy_version`, the version of the organisation's policy that decided the call (null
for AgentAudit's own records but a policy change, which carries the version it made); rows of
versions 1 and 2 keep verifying as they were hashed.

An erasure is itself a chained event (kind "erasure", naming what it erased and who asked), and
each erased row points to it (`erased_by`, its seq). `verify` refuses an erased row that still
holds a payload, a version-2 row erased without a record, and a record whose count of erased
rows does not match the rows that point to it.

Masking the secrets of stored payloads (`agentaudit db mask-secrets`) is an erasure of part of a
payload: the row keeps its hash (over the digest of the payload as it was), points to the
chained record of the masking (`masked_by`) and keeps the digest of its masked payload
(`masked_digest`), which the record lists per row (`masked`). `verify` recomputes a masked
row's digest against `masked_digest`, and the record's list against the rows that point to it,
so a masked payload cannot be altered, unmasked or re-pointed unnoticed.

A block reason that quoted a secret is masked with its payload. The reason is chained in the
event's hash, and the row keeps that hash (the next row links to it), so the row's values no
longer hash to it: the masking record lists, for that row, the hash of its chained values with
the masked reason (`fields_hash`), and `verify` accepts a masked row whose values differ from
its hash only if they hash to what its record lists, the masked reason holding a placeholder.
Walking one row alone (`check_erasures=False`), that row is taken on trust: only the walk of the
whole chain reaches its record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentaudit.store.checkpoint import Checkpoint

GENESIS = "0" * 64


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
# The C encoder that `_ENCODER.encode` builds anew on every call, built once (same arguments).
# No circular-reference bookkeeping: a shared markers dict would not be thread-safe, and payloads
# are validated JSON trees of bounded depth, so a cycle cannot reach it.
_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)  # C accelerator, untyped
_C_ENCODE = (
    _c_make_encoder(
        None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", True, False, True
    )
    if _c_make_encoder is not None
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


def payload_digest(
    data: Any, context: Any, reasoning: str | None, evidence: list[str] | None = None
) -> str:
    """The payload's digest; `evidence` (the fired rules' evidence, chain version 2) is None for
    version-1 rows, which did not keep it."""
    evidence_text = None if evidence is None else canonical(evidence)
    return payload_digest_of_text(canonical(data), canonical(context), reasoning, evidence_text)


def payload_digest_of_text(
    data_text: str, context_text: str, reasoning: str | None, evidence_text: str | None = None
) -> str:
    """The digest from payload parts already in canonical form (what the stores write), so a
    payload is encoded once: the canonical text of {"context", "data", ["evidence",]
    "reasoning"} is exactly these parts in that (sorted) key order."""
    evidence = "" if evidence_text is None else f',"evidence":{evidence_text}'
    body = (
        f'{{"context":{context_text},"data":{data_text}{evidence},'
        f'"reasoning":{canonical_text(reasoning)}}}'
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


# What chain version 2 adds (rows written from schema 0007 on).
CHAINED_FIELDS_V2 = (*CHAINED_FIELDS, "chain_version", "kind", "partial_scan", "rules")
# What chain version 3 adds (rows written from schema 0028 on): the policy version in force.
CHAINED_FIELDS_V3 = (*CHAINED_FIELDS_V2, "policy_version")
CHAIN_VERSION = 3  # what new rows are written with


def chained_names(version: Any) -> tuple[str, ...]:
    """The fields a row of chain `version` hashes (1 for rows that predate versions)."""
    if version == 1 or version is None:
        return CHAINED_FIELDS
    return CHAINED_FIELDS_V2 if version == 2 else CHAINED_FIELDS_V3


def event_hash(fields: dict[str, Any]) -> str:
    names = chained_names(fields.get("chain_version", 1))
    body = canonical({name: fields[name] for name in names})
    return hashlib.sha256(body.encode()).hexdigest()


def mask_line(seq: Any, event_id: Any, digest: Any, fields_hash: Any = None) -> bytes:
    """One masked row as a masking record lists it, in the digest `verify` compares (with the
    hash of its chained values when its block reason was masked)."""
    if fields_hash is None:
        return f"{seq} {event_id} {digest}\n".encode()
    return f"{seq} {event_id} {digest} {fields_hash}\n".encode()


# What a masked block reason holds in place of a secret (secret_mask.PLACEHOLDER).
_MASK_MARK = "[SECRET:"


@dataclass(frozen=True)
class ChainRow:
    """What `verify` needs of one stored row, as the store read it."""

    fields: dict[str, Any]  # the chained values as stored (CHAINED_FIELDS_V2 for version 2)
    hash: str
    data: Any
    context: Any
    reasoning: str | None
    erased: bool
    evidence: Any = None  # version 2: the fired rules' evidence (a list), None once erased
    erased_by: int | None = None  # seq of the erasure record that erased this payload
    masked_by: int | None = None  # seq of the record of masking this payload's secrets
    masked_digest: str | None = None  # the digest of the payload as masked
    # left out of a filtered export (export.py): only its chained digest vouches for it
    withheld: bool = False

    @property
    def version(self) -> int:
        return int(self.fields.get("chain_version", 1))

    @property
    def kind(self) -> str:
        return str(self.fields.get("kind", "call"))

    def has_payload(self) -> bool:
        return any(v is not None for v in (self.data, self.context, self.reasoning, self.evidence))


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    head_seq: int
    error: str | None = None
    broken_seq: int | None = None
    broken_id: str | None = None
    checkpoints: int = 0  # signed checkpoints the chain was found to match
    checkpoint: str | None = None  # the checkpoint the chain contradicts (its `describe()`)

    def describe(self) -> str:
        if self.ok:
            matched = f", matching {self.checkpoints} checkpoint(s)" if self.checkpoints else ""
            return f"chain OK: {self.checked} events verified (head seq {self.head_seq}){matched}"
        if self.checkpoint is not None:
            return f"chain REWRITTEN: {self.error}"
        where = f"seq {self.broken_seq}" if self.broken_seq is not None else "chain head"
        ident = f" (event {self.broken_id})" if self.broken_id else ""
        return f"chain BROKEN at {where}{ident}: {self.error}"


class ChainVerifier:
    """Feed rows in seq order; stops at the first broken link and says where and why.

    `check_erasures=False` checks links one by one (the dashboard's view of one event, a range
    export): an erasure record's count of erased rows can only be checked by a walk over the
    whole chain. `checkpoints`: the hash each must find at its seq (the caller checks their
    signatures); `start_seq` and `prev_hash` begin the walk inside the chain (a range export
    anchored at a checkpoint).
    """

    def __init__(
        self,
        *,
        check_erasures: bool = True,
        checkpoints: Iterable[Checkpoint] = (),
        start_seq: int = 1,
        prev_hash: str = GENESIS,
    ) -> None:
        self.expected_seq = start_seq
        self.prev_hash = prev_hash
        self.checked = 0
        self.checkpoints: dict[int, list[Checkpoint]] = {}
        for cp in checkpoints:
            self.checkpoints.setdefault(cp.seq, []).append(cp)
        self.matched = 0
        self.failure: VerifyResult | None = None
        self.check_erasures = check_erasures
        # seq of an erasure record not reached yet -> [rows pointing to it, first id, first seq]
        self._pending: dict[int, list[Any]] = {}
        # seq of a masking record not reached yet -> [rows, first id, first seq, digest of
        # their (seq, id, masked digest[, fields hash]) lines, [(seq, id, fields hash) of the
        # rows whose masked reason the record must vouch for]]
        self._masks: dict[int, list[Any]] = {}

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
        if row.erased:
            problem = self._erased_row_problem(row, seq, ident)
            if problem is not None:
                return fail(problem)
        elif row.withheld:
            if row.has_payload():
                return fail("a payload marked withheld is in the export")
        else:
            evidence = row.evidence if row.version >= 2 else None
            if row.version >= 2 and evidence is None:
                return fail("the rules' evidence is missing from a payload that was not erased")
            digest = payload_digest(row.data, row.context, row.reasoning, evidence)
            if row.masked_by is not None:
                if digest != row.masked_digest:
                    return fail(
                        "masked payload (data, context or reasoning) was altered: it no longer"
                        " matches the digest its masking record lists"
                    )
            elif digest != f["payload_digest"]:
                return fail("payload (data, context or reasoning) was altered")
        fields_hash = event_hash(f)
        # a masked row whose block reason was masked: its values hash to what its masking
        # record lists, not to the hash it keeps (checked when the record is reached)
        vouched = (
            fields_hash != row.hash
            and row.masked_by is not None
            and _MASK_MARK in str(f.get("reason") or "")
        )
        if row.masked_by is not None:
            problem = self._masked_row_problem(row, seq, ident, fields_hash if vouched else None)
            if problem is not None:
                return fail(problem)
        if fields_hash != row.hash and not vouched:
            return fail("event fields were altered (hash mismatch)")
        if row.kind == "erasure" and self.check_erasures:
            problem = self._record_problem(row, seq)
            if problem is not None:
                return fail(problem)
        elif seq in self._pending or seq in self._masks:  # rows point here, at no record
            what = "erased" if seq in self._pending else "masked"
            pending = self._pending[seq] if seq in self._pending else self._masks[seq]
            first_id, first_seq = pending[1], pending[2]
            self.failure = VerifyResult(
                False,
                self.checked,
                self.expected_seq - 1,
                f"the payload was {what} by seq {seq}, which is not an erasure record",
                first_seq,
                first_id,
            )
            return False
        for cp in self.checkpoints.get(seq, ()):
            if cp.hash != row.hash:
                return self._contradicted(
                    cp,
                    f"{cp.describe()} fixed the chain's hash at seq {seq} to {cp.hash[:16]}…, but"
                    f" the stored chain has {row.hash[:16]}… there: the chain up to seq {seq} was"
                    " rewritten after it was signed (each link still matches the next)",
                    ident,
                )
            self.matched += 1
        self.prev_hash = row.hash
        self.expected_seq += 1
        self.checked += 1
        return True

    def _contradicted(self, cp: Checkpoint, message: str, ident: str | None) -> bool:
        self.failure = VerifyResult(
            False,
            self.checked,
            self.expected_seq - 1,
            message,
            cp.seq,
            ident,
            self.matched,
            cp.describe(),
        )
        return False

    def _erased_row_problem(self, row: ChainRow, seq: int, ident: str) -> str | None:
        """Why an erased row breaks the chain, or None. Its digest cannot be checked (the
        payload is gone), so the payload must really be gone, and the erasure on record."""
        if row.has_payload():
            return (
                "the event is marked erased but still holds a payload: an erased event's data,"
                " context and reasoning must be empty (a payload written after the erasure is"
                " not the one that was hashed)"
            )
        if row.kind != "call":
            return "an erasure record's payload was erased (it is the evidence of an erasure)"
        if row.erased_by is None:
            if row.version >= 2:
                return "the payload was erased without an erasure record in the chain"
            return None  # erased before erasures were recorded (chain version 1, schema < 0007)
        if row.erased_by <= seq:
            return f"erased_by names seq {row.erased_by}, which is not a later erasure record"
        if self.check_erasures:
            pending = self._pending.setdefault(row.erased_by, [0, ident, seq])
            pending[0] += 1
        return None

    def _masked_row_problem(
        self, row: ChainRow, seq: int, ident: str, fields_hash: str | None = None
    ) -> str | None:
        """Why a row's pointer to the record of its masking breaks the chain, or None; counts
        the row (its masked digest, and the hash of its values when its reason was masked)
        towards that record."""
        if row.kind != "call":
            return "an erasure record's payload was masked (it is the evidence of an erasure)"
        if row.masked_by is None or row.masked_by <= seq:
            return f"masked_by names seq {row.masked_by}, which is not a later masking record"
        if not isinstance(row.masked_digest, str):
            return "the payload was masked but the digest of the masked payload is missing"
        if self.check_erasures:
            pending = self._masks.setdefault(row.masked_by, [0, ident, seq, hashlib.sha256(), []])
            pending[0] += 1
            pending[3].update(mask_line(seq, ident, row.masked_digest, fields_hash))
            if fields_hash is not None:
                pending[4].append((seq, ident, fields_hash))
        return None

    def _record_problem(self, row: ChainRow, seq: int) -> str | None:
        """Whether the rows that point to this erasure record are exactly those it names."""
        data = row.data if isinstance(row.data, dict) else {}
        claimed = data.get("count")
        if not isinstance(claimed, int):
            return "malformed erasure record (no count of erased payloads)"
        masks = self._masks.pop(seq, None)
        if "masked" in data:
            return self._masking_record_problem(data, claimed, seq, masks)
        if masks is not None:
            return f"{masks[0]} masked payload(s) point to this erasure record, which masked none"
        count, first_id, _ = self._pending.pop(seq, [0, None, None])
        if count != claimed:
            return (
                f"the erasure record says it erased {claimed} payload(s), but {count} erased"
                " event(s) point to it"
            )
        named = data.get("event_id")
        if named is not None and count == 1 and first_id != named:
            return f"the erasure record names event {named}, but event {first_id} points to it"
        return None

    def _masking_record_problem(
        self, data: dict[str, Any], claimed: int, seq: int, masks: list[Any] | None
    ) -> str | None:
        """Whether the rows that point to this masking record, with the digests of their
        masked payloads, are exactly those it lists."""
        if seq in self._pending:
            return "erased payloads point to a record of masking (not of erasure)"
        listed = data.get("masked")
        if not isinstance(listed, list) or len(listed) != claimed:
            return "malformed masking record (its list of masked payloads and count differ)"
        count = masks[0] if masks is not None else 0
        if count != claimed:
            return (
                f"the masking record says it masked {claimed} payload(s), but {count} masked"
                " event(s) point to it"
            )
        expected = hashlib.sha256()
        vouched: dict[Any, Any] = {}
        for item in listed:
            if not isinstance(item, dict):
                return "malformed masking record (an entry is not an object)"
            fields_hash = item.get("fields_hash")
            expected.update(
                mask_line(
                    item.get("seq"), item.get("event_id"), item.get("payload_digest"), fields_hash
                )
            )
            if fields_hash is not None:
                vouched[item.get("seq")] = fields_hash
        for row_seq, row_id, fields_hash in masks[4] if masks is not None else ():
            if vouched.get(row_seq) != fields_hash:
                return (
                    f"event fields of seq {row_seq} (event {row_id}) were altered: they match"
                    " neither its hash nor the masked block reason its masking record lists"
                )
        if masks is None or expected.digest() != masks[3].digest():
            return (
                "the masked payloads do not match the masking record (a masked event or its"
                " masked digest was altered or re-pointed)"
            )
        return None

    def finish(self, head_seq: int | None, head_hash: str | None) -> VerifyResult:
        if self.failure is not None:
            return self.failure
        last = self.expected_seq - 1
        passed = sorted(s for s in self._pending if s <= last)  # later ones: an erase under way
        if passed:
            count, ident, seq = self._pending[passed[0]]
            return VerifyResult(
                False,
                self.checked,
                last,
                f"the payload was erased by seq {passed[0]}, which is not an erasure record",
                seq,
                ident,
            )
        masked = sorted(s for s in self._masks if s <= last)
        if masked:
            _, ident, seq, _, _ = self._masks[masked[0]]
            return VerifyResult(
                False,
                self.checked,
                last,
                f"the payload was masked by seq {masked[0]}, which is not an erasure record",
                seq,
                ident,
            )
        beyond = sorted(s for s in self.checkpoints if s > last)
        if beyond and head_seq is not None:  # signed before the head was read: it must be here
            cp = self.checkpoints[beyond[0]][0]
            self._contradicted(
                cp,
                f"{cp.describe()} says the chain reached seq {cp.seq}, but it ends at seq"
                f" {last}: events were removed or the chain rewritten shorter",
                None,
            )
            assert self.failure is not None
            return self.failure
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
        return VerifyResult(True, self.checked, last, checkpoints=self.matched)
