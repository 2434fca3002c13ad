"""Verifiable exports: one organisation's chain (all of it, or a contiguous range anchored at a
checkpoint) as JSON lines an auditor can check offline with nothing but the public key.

    line 1      {"type": "agentaudit/export/v1", org_id, org_name, first_seq, last_seq,
                 prev_hash (the hash before first_seq: the anchor), events, exported_at}
    then        {"type": "event", <every chained field exactly as hashed: seq, prev_hash, id,
                 …, payload_digest, chain_version, kind, rules, policy_version (version 3),
                 …>, hash, data, context, reasoning, evidence (null once erased), erased,
                 erased_by, masked_by, masked_digest}
    then        the checkpoints that cover the range (store/checkpoint.py), the anchor's too
    last, maybe {"type": "agentaudit/export-signature/v1", sha256 of every byte above, key_id,
                 signature}: when exported with the signing key, the file as a whole

Every line is canonical JSON (sorted keys, no spaces), so an altered byte is either a value the
chain, a checkpoint or the file signature covers, or a line that is no longer canonical: either
way `verify_export` fails naming the line. An erased payload verifies: its digest was chained,
not the payload (store/chain.py).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

from agentaudit.store.chain import (
    GENESIS,
    ChainRow,
    ChainVerifier,
    canonical,
    chained_names,
)
from agentaudit.store.checkpoint import STATEMENT_TYPE, Checkpoint

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from agentaudit.signing import Signer
    from agentaudit.store.base import EventStore

HEADER_TYPE = "agentaudit/export/v1"
EVENT_TYPE = "event"
FILE_SIGNATURE_TYPE = "agentaudit/export-signature/v1"
_ROW_KEYS = (
    "hash",
    "data",
    "context",
    "reasoning",
    "evidence",
    "erased",
    "erased_by",
    "masked_by",
    "masked_digest",
)
PAGE = 2000
HEADER_KEYS = {
    "type",
    "org_id",
    "org_name",
    "first_seq",
    "last_seq",
    "prev_hash",
    "events",
    "exported_at",
}


class ExportError(ValueError):
    """The range asked for cannot be exported verifiably (not anchored, empty)."""


def event_line(row: ChainRow) -> str:
    return canonical(
        {
            "type": EVENT_TYPE,
            **row.fields,
            "hash": row.hash,
            "data": row.data,
            "context": row.context,
            "reasoning": row.reasoning,
            "evidence": row.evidence,
            "erased": row.erased,
            "erased_by": row.erased_by,
            "masked_by": row.masked_by,
            "masked_digest": row.masked_digest,
        }
    )


@dataclass(frozen=True)
class ExportSummary:
    org_id: str
    first_seq: int
    last_seq: int
    events: int
    checkpoints: int
    signed: bool


def write_export(
    store: EventStore,
    org_id: str,
    org_name: str,
    out: IO[str],
    *,
    first_seq: int = 1,
    last_seq: int | None = None,
    signer: Signer | None = None,
) -> ExportSummary:
    """Write seq `first_seq`..`last_seq` (default: the head) of the organisation's chain.

    A range that does not start at seq 1 must start right after a checkpoint: the anchor, whose
    signature proves the hash the range continues from. With `signer`, the whole file is signed
    too (the header's name and time included)."""
    head = next((h for h in store.heads_to_sign() if h.org_id == org_id), None)
    head_seq = head.seq if head is not None else 0
    last = head_seq if last_seq is None else min(last_seq, head_seq)
    if first_seq < 1 or last < first_seq:
        raise ExportError(f"nothing to export: seq {first_seq} to {last} (head is {head_seq})")
    checkpoints = store.list_checkpoints(org_id, max(first_seq - 2, 0))
    anchor = GENESIS
    if first_seq > 1:
        at = [cp for cp in checkpoints if cp.seq == first_seq - 1]
        before = store.chain_rows(org_id, first_seq - 2, first_seq - 1, 1)
        if not at or not before:
            near = sorted({cp.seq + 1 for cp in store.list_checkpoints(org_id)})[-5:]
            raise ExportError(
                f"a range must start right after a checkpoint (its anchor), or at seq 1;"
                f" seq {first_seq - 1} has none. Ranges can start at seq"
                f" {', '.join(map(str, [1, *near]))}"
            )
        anchor = before[0].hash
    covering = [cp for cp in checkpoints if first_seq - 1 <= cp.seq <= last]
    digest = hashlib.sha256()

    def emit(line: str) -> None:
        data = line + "\n"
        digest.update(data.encode())
        out.write(data)

    emit(
        canonical(
            {
                "type": HEADER_TYPE,
                "org_id": org_id,
                "org_name": org_name,
                "first_seq": first_seq,
                "last_seq": last,
                "prev_hash": anchor,
                "events": last - first_seq + 1,
                "exported_at": datetime.now(UTC).isoformat(timespec="milliseconds")[:-6] + "Z",
            }
        )
    )
    after = first_seq - 1
    while after < last:
        rows = store.chain_rows(org_id, after, last, PAGE)
        if not rows:
            break
        for row in rows:
            emit(event_line(row))
        after = int(rows[-1].fields["seq"])
    for cp in covering:
        emit(cp.to_json())
    if signer is not None:
        sha = digest.hexdigest()
        statement = _file_statement(sha, signer.key_id)
        signature = base64.b64encode(signer.key.sign(statement)).decode()
        out.write(
            canonical(
                {
                    "type": FILE_SIGNATURE_TYPE,
                    "sha256": sha,
                    "key_id": signer.key_id,
                    "signature": signature,
                }
            )
            + "\n"
        )
    return ExportSummary(
        org_id, first_seq, last, last - first_seq + 1, len(covering), signer is not None
    )


def _file_statement(sha: str, key_id: str) -> bytes:
    return canonical({"type": FILE_SIGNATURE_TYPE, "sha256": sha, "key_id": key_id}).encode()


@dataclass
class ExportCheck:
    """The outcome of `verify_export`: ok, or the line at fault and why."""

    ok: bool
    message: str
    line: int | None = None
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        if self.ok:
            return f"export OK: {self.message}"
        where = f"line {self.line}: " if self.line is not None else ""
        return f"export FAILED at {where}{self.message}"


class _Bad(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def verify_export(lines: Iterable[bytes], keys: Sequence[Ed25519PublicKey]) -> ExportCheck:
    """Check an export offline: every line canonical, the chain recomputed from its anchor,
    every checkpoint signed by one of `keys` and matched by the chain, the anchor proven by a
    checkpoint, and the file signature (if any). Fails naming the first line at fault."""
    try:
        return _verify(lines, keys)
    except _Bad as bad:
        return ExportCheck(False, bad.message, bad.line)


def _parsed(numbered: Iterator[tuple[int, bytes]]) -> Iterator[tuple[int, bytes, dict[str, Any]]]:
    for number, raw in numbered:
        text = raw.rstrip(b"\n")
        try:
            value = json.loads(text.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _Bad(number, f"not valid JSON ({exc})") from None
        if not isinstance(value, dict):
            raise _Bad(number, "not a JSON object")
        if canonical(value).encode() != text:
            raise _Bad(number, "not in canonical form: the line was altered after export")
        yield number, raw, value


def _verify(lines: Iterable[bytes], keys: Sequence[Ed25519PublicKey]) -> ExportCheck:
    from cryptography.exceptions import InvalidSignature

    from agentaudit.signing import key_id, signature_ok

    digest = hashlib.sha256()
    items = _parsed(enumerate(lines, 1))
    first = next(items, None)
    if first is None:
        raise _Bad(None, "the file is empty")
    number, raw, header = first
    if header.get("type") != HEADER_TYPE:
        raise _Bad(number, f"the first line is not an export header ({HEADER_TYPE})")
    digest.update(raw)
    if set(header) != HEADER_KEYS:
        raise _Bad(number, f"the header's fields are not {sorted(HEADER_KEYS)}")
    org_id, first_seq, last_seq = (
        header.get("org_id"),
        header.get("first_seq"),
        header.get("last_seq"),
    )
    if not isinstance(first_seq, int) or not isinstance(last_seq, int) or first_seq < 1:
        raise _Bad(number, "the header's first_seq or last_seq is not a seq")
    anchor = header.get("prev_hash")
    if first_seq == 1 and anchor != GENESIS:
        raise _Bad(number, "a chain starting at seq 1 must start from the genesis hash")
    events: list[tuple[int, dict[str, Any]]] = []
    checkpoints: list[tuple[int, Checkpoint]] = []
    file_signature: tuple[int, dict[str, Any]] | None = None
    for number, raw, value in items:
        if file_signature is not None:
            raise _Bad(number, "a line after the file signature (appended after signing)")
        kind = value.get("type")
        if kind == FILE_SIGNATURE_TYPE:
            file_signature = (number, value)
            continue
        digest.update(raw)
        if kind == EVENT_TYPE:
            if checkpoints:
                raise _Bad(number, "an event after the checkpoints (lines were moved)")
            events.append((number, value))
        elif kind == STATEMENT_TYPE:
            try:
                checkpoints.append((number, Checkpoint.from_dict(value)))
            except ValueError as exc:
                raise _Bad(number, str(exc)) from None
        else:
            raise _Bad(number, f"unknown line type {kind!r}")
    if len(events) != last_seq - first_seq + 1 or header["events"] != len(events):
        raise _Bad(
            1,
            f"the header promises seq {first_seq} to {last_seq}, the file holds {len(events)}"
            " events (lines were removed or added)",
        )
    # signatures first: an unsigned checkpoint proves nothing
    for number, cp in checkpoints:
        if cp.org_id != org_id:
            raise _Bad(number, f"a checkpoint of another organisation ({cp.org_id})")
        if not keys:
            continue
        if not signature_ok(cp, keys):
            raise _Bad(
                number,
                f"{cp.describe()} does not verify with the trusted public key(s): altered, or"
                " signed with a key that is not the operator's",
            )
    by_seq = {cp.seq: cp for _, cp in checkpoints}
    if first_seq > 1:
        anchor_cp = by_seq.get(first_seq - 1)
        if anchor_cp is None or anchor_cp.hash != anchor:
            raise _Bad(
                1,
                f"the range starts at seq {first_seq}, but no checkpoint of seq {first_seq - 1}"
                " proves the hash it continues from (its anchor)",
            )
    verifier = ChainVerifier(
        check_erasures=first_seq == 1,
        checkpoints=[cp for _, cp in checkpoints if cp.seq >= first_seq],
        start_seq=first_seq,
        prev_hash=str(anchor),
    )
    line_of: dict[int, int] = {}
    for number, value in events:
        row = _chain_row(number, value, org_id)
        line_of[int(row.fields["seq"])] = number
        if not verifier.feed(row):
            break
    result = verifier.finish(None, None)
    if not result.ok:
        seq = result.broken_seq
        raise _Bad(line_of.get(seq) if seq is not None else None, result.describe())
    notes = []
    signed_upto = max((cp.seq for _, cp in checkpoints), default=first_seq - 1)
    if file_signature is not None:
        number, value = file_signature
        wanted = {"type", "sha256", "key_id", "signature"}
        if set(value) != wanted:
            raise _Bad(number, "malformed file signature")
        if value["sha256"] != digest.hexdigest():
            raise _Bad(number, "the file's bytes do not match its signed digest")
        public = next((k for k in keys if key_id(k) == value["key_id"]), None)
        if keys and public is None:
            raise _Bad(number, f"the file is signed by key {value['key_id']}, not a trusted one")
        if public is not None:
            try:
                public.verify(
                    base64.b64decode(value["signature"], validate=True),
                    _file_statement(value["sha256"], value["key_id"]),
                )
            except (InvalidSignature, binascii.Error, ValueError):
                raise _Bad(number, "the file signature does not verify") from None
            notes.append(f"the whole file is signed by key {value['key_id']}")
    if not keys:
        notes.append("signatures NOT checked: no public key given")
    if signed_upto < last_seq:
        notes.append(
            f"seq {signed_upto + 1} to {last_seq} come after the last checkpoint: consistent"
            " with the chain, but no signature fixes them"
        )
    message = (
        f"seq {first_seq} to {last_seq} of organisation {org_id} ({len(events)} events),"
        f" matching {result.checkpoints} checkpoint(s)"
        + (f", anchored at the checkpoint of seq {first_seq - 1}" if first_seq > 1 else "")
    )
    return ExportCheck(True, message, None, notes)


def _chain_row(number: int, value: dict[str, Any], org_id: Any) -> ChainRow:
    version = value.get("chain_version", 1)
    if type(version) is not int or version not in (1, 2, 3):
        raise _Bad(number, f"unknown chain version {version!r}")
    names = chained_names(version)
    expected = {"type", *names, *_ROW_KEYS}
    if set(value) != expected:
        odd = sorted(set(value) ^ expected)
        raise _Bad(number, f"the event's fields are not those of its chain version ({odd})")
    if value["org_id"] != org_id:
        raise _Bad(number, "an event of another organisation")
    if not isinstance(value["seq"], int):
        raise _Bad(number, "seq is not an integer")
    return ChainRow(
        {name: value[name] for name in names},
        value["hash"],
        value["data"],
        value["context"],
        value["reasoning"],
        bool(value["erased"]),
        value["evidence"],
        value["erased_by"],
        value["masked_by"],
        value["masked_digest"],
    )
