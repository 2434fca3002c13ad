"""Verifiable exports: one organisation's chain (all of it, or a contiguous range anchored at a
checkpoint) as JSON lines an auditor can check offline with nothing but the public key.

    line 1      {"type": "agentaudit/export/v1", org_id, org_name, first_seq, last_seq,
                 prev_hash (the hash before first_seq: the anchor), events, exported_at,
                 and for a filtered export selection: {filters, seqs}}
    then        {"type": "event", <every chained field exactly as hashed: seq, prev_hash, id,
                 …, payload_digest, chain_version, kind, rules, policy_version (version 3),
                 …>, hash, data, context, reasoning, evidence (null once erased), erased,
                 erased_by, masked_by, masked_digest, and withheld: true for a call a
                 filtered export leaves out}
    then        the checkpoints that cover the range (store/checkpoint.py), the anchor's too
    last, maybe {"type": "agentaudit/export-signature/v1", sha256 of every byte above, key_id,
                 signature}: when exported with the signing key, the file as a whole

Every line is canonical JSON (sorted keys, no spaces), so an altered byte is either a value the
chain, a checkpoint or the file signature covers, or a line that is no longer canonical: either
way `verify_export` fails naming the line. An erased payload verifies: its digest was chained,
not the payload (store/chain.py).

A filtered export (the dashboard timeline's filters, `agentaudit export --agent …`) is the
contiguous range from the checkpoint before the first matching event to the last one: the
chain cannot be checked with gaps. The header's `selection` names the filters and the seqs they
match; the other calls of the range keep their chained fields (the links) and withhold their
payload, which their chained digest vouches for (records — erasures, maskings, policy changes —
are exported whole). `verify_export` re-applies the filters to every event's chained fields, so
the list of matches can be neither padded nor cut.
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

from agentaudit.models import Decision, RiskLevel, _utc_z
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


# The filters a selection may carry: the timeline's, each a test on chained fields only.
SELECTION_FILTERS = (
    "agent_id",
    "action",
    "risk_level",
    "decision",
    "pii_type",
    "secret_type",
    "after",
    "before",
)


@dataclass(frozen=True)
class Selection:
    """Which events an export is for, as filters on their chained fields (text values;
    `after`/`before` instants as stored, `…Z`): the same tests the store's list filters make."""

    filters: dict[str, str]

    def __post_init__(self) -> None:
        odd = sorted(set(self.filters) - set(SELECTION_FILTERS))
        if odd or not self.filters:
            raise ValueError(f"a selection's filters are some of {list(SELECTION_FILTERS)}")
        if not all(isinstance(v, str) and v for v in self.filters.values()):
            raise ValueError("a selection's filter values are non-empty text")

    def matches(self, fields: dict[str, Any]) -> bool:
        f = self.filters
        for name in ("agent_id", "action", "risk_level", "decision"):
            if name in f and fields.get(name) != f[name]:
                return False
        created = str(fields.get("created_at"))
        if ("after" in f and created < f["after"]) or ("before" in f and created >= f["before"]):
            return False
        if "pii_type" in f and (
            not fields.get("pii_detected") or f["pii_type"] not in _names(fields.get("pii_fields"))
        ):
            return False
        return "secret_type" not in f or f["secret_type"] in _names(fields.get("secret_fields"))

    def describe(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in sorted(self.filters.items()))

    @classmethod
    def of(
        cls,
        *,
        agent_id: str | None = None,
        action: str | None = None,
        risk_level: str | None = None,
        decision: str | None = None,
        pii_type: str | None = None,
        secret_type: str | None = None,
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> Selection | None:
        """The selection of the filters given (None when none is): risk levels, decisions and
        instants checked, instants as stored (UTC, `…Z`)."""
        filters = {
            "agent_id": agent_id,
            "action": action,
            "risk_level": None if risk_level is None else str(RiskLevel(risk_level)),
            "decision": None if decision is None else str(Decision(decision)),
            "pii_type": pii_type,
            "secret_type": secret_type,
            "after": None if after is None else _utc_z(after),
            "before": None if before is None else _utc_z(before),
        }
        given = {k: v for k, v in filters.items() if v}
        return cls(given) if given else None


def _names(text: Any) -> list[Any]:
    """A stored type list (canonical JSON text) as a list; anything else as none."""
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def event_line(row: ChainRow, withhold: bool = False) -> str:
    """One event's line; `withhold`: a call left out of a filtered export keeps its chained
    fields and hash, not its payload."""
    withhold = withhold and row.kind == "call" and row.has_payload()
    line = {
        "type": EVENT_TYPE,
        **row.fields,
        "hash": row.hash,
        "data": None if withhold else row.data,
        "context": None if withhold else row.context,
        "reasoning": None if withhold else row.reasoning,
        "evidence": None if withhold else row.evidence,
        "erased": row.erased,
        "erased_by": row.erased_by,
        "masked_by": row.masked_by,
        "masked_digest": row.masked_digest,
    }
    if withhold:
        line["withheld"] = True
    return canonical(line)


@dataclass(frozen=True)
class ExportSummary:
    org_id: str
    first_seq: int
    last_seq: int
    events: int
    checkpoints: int
    signed: bool
    selected: int | None = None  # events a selection matched


def write_export(
    store: EventStore,
    org_id: str,
    org_name: str,
    out: IO[str],
    *,
    first_seq: int = 1,
    last_seq: int | None = None,
    signer: Signer | None = None,
    selection: Selection | None = None,
) -> ExportSummary:
    """Write seq `first_seq`..`last_seq` (default: the head) of the organisation's chain.

    A range that does not start at seq 1 must start right after a checkpoint: the anchor, whose
    signature proves the hash the range continues from. With `signer`, the whole file is signed
    too (the header's name and time included). With `selection`, the range is narrowed to the
    events it matches (from the checkpoint before the first) and the other calls' payloads are
    withheld."""
    head = next((h for h in store.heads_to_sign() if h.org_id == org_id), None)
    head_seq = head.seq if head is not None else 0
    last = head_seq if last_seq is None else min(last_seq, head_seq)
    chosen: list[int] = []
    if selection is not None:
        chosen = _matching(store, org_id, first_seq, last, selection)
        if not chosen:
            raise ExportError(f"nothing to export: no event matches {selection.describe()}")
        starts = [cp.seq + 1 for cp in store.list_checkpoints(org_id) if cp.seq < chosen[0]]
        first_seq, last = max([first_seq, *starts]), chosen[-1]
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

    header: dict[str, Any] = {
        "type": HEADER_TYPE,
        "org_id": org_id,
        "org_name": org_name,
        "first_seq": first_seq,
        "last_seq": last,
        "prev_hash": anchor,
        "events": last - first_seq + 1,
        "exported_at": datetime.now(UTC).isoformat(timespec="milliseconds")[:-6] + "Z",
    }
    if selection is not None:
        header["selection"] = {"filters": selection.filters, "seqs": chosen}
    emit(canonical(header))
    wanted = set(chosen)
    for row in _rows(store, org_id, first_seq, last):
        emit(event_line(row, selection is not None and int(row.fields["seq"]) not in wanted))
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
        org_id,
        first_seq,
        last,
        last - first_seq + 1,
        len(covering),
        signer is not None,
        len(chosen) if selection is not None else None,
    )


def _rows(store: EventStore, org_id: str, first_seq: int, last_seq: int) -> Iterator[ChainRow]:
    after = first_seq - 1
    while after < last_seq:
        rows = store.chain_rows(org_id, after, last_seq, PAGE)
        if not rows:
            return
        yield from rows
        after = int(rows[-1].fields["seq"])


def _matching(
    store: EventStore, org_id: str, first_seq: int, last_seq: int, selection: Selection
) -> list[int]:
    """The seqs in the range whose chained fields `selection` matches (a pass over the range:
    the same test `verify_export` makes, so the two can never disagree)."""
    return [
        int(row.fields["seq"])
        for row in _rows(store, org_id, first_seq, last_seq)
        if selection.matches(row.fields)
    ]


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
    if set(header) - {"selection"} != HEADER_KEYS:
        raise _Bad(number, f"the header's fields are not {sorted(HEADER_KEYS)} (and selection)")
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
    selection, chosen = _selection_of(number, header, first_seq, last_seq)
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
    matched: list[int] = []
    listed = set(chosen)  # membership per event: a set keeps verifying linear
    for number, value in events:
        row = _chain_row(number, value, org_id)
        seq = int(row.fields["seq"])
        line_of[seq] = number
        if not verifier.feed(row):
            break
        if selection is None:
            if row.withheld:
                raise _Bad(number, "a payload is withheld, but the export selects no events")
            continue
        if selection.matches(row.fields):
            matched.append(seq)
            if seq not in listed:
                raise _Bad(number, f"seq {seq} matches the selection's filters but is not listed")
            if row.withheld:
                raise _Bad(number, f"seq {seq} is selected, but its payload is withheld")
        elif seq in listed:
            raise _Bad(number, f"the selection lists seq {seq}, which its filters do not match")
    result = verifier.finish(None, None)
    if not result.ok:
        broken = result.broken_seq
        raise _Bad(line_of.get(broken) if broken is not None else None, result.describe())
    if selection is not None and matched != chosen:  # `chosen` is checked increasing
        raise _Bad(1, "the selection lists seqs that are not in the export")
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
    if selection is not None:
        message += (
            f"; {len(chosen)} selected by {selection.describe()} (filters re-applied to every"
            " event; the others' payloads withheld)"
        )
    return ExportCheck(True, message, None, notes)


def _selection_of(
    number: int, header: dict[str, Any], first_seq: int, last_seq: int
) -> tuple[Selection | None, list[int]]:
    """The header's selection: its filters and the seqs it lists (increasing, in range)."""
    if "selection" not in header:
        return None, []
    value = header["selection"]
    if not isinstance(value, dict) or set(value) != {"filters", "seqs"}:
        raise _Bad(number, "the header's selection is not {filters, seqs}")
    filters, seqs = value["filters"], value["seqs"]
    try:
        selection = Selection(filters if isinstance(filters, dict) else {})
    except ValueError as exc:
        raise _Bad(number, f"the header's selection: {exc}") from None
    if (
        not isinstance(seqs, list)
        or not seqs
        or not all(type(s) is int and first_seq <= s <= last_seq for s in seqs)
        or seqs != sorted(set(seqs))
        or seqs[-1] != last_seq
    ):
        raise _Bad(
            number,
            "the header's selection lists no seqs, or seqs out of order or outside the range"
            " (the range ends at the last one selected)",
        )
    return selection, seqs


def _chain_row(number: int, value: dict[str, Any], org_id: Any) -> ChainRow:
    version = value.get("chain_version", 1)
    if type(version) is not int or version not in (1, 2, 3):
        raise _Bad(number, f"unknown chain version {version!r}")
    names = chained_names(version)
    expected = {"type", *names, *_ROW_KEYS}
    withheld = value.get("withheld", False)
    if set(value) - {"withheld"} != expected or ("withheld" in value and withheld is not True):
        odd = sorted((set(value) - {"withheld"}) ^ expected)
        raise _Bad(number, f"the event's fields are not those of its chain version ({odd})")
    if withheld and value.get("kind", "call") != "call":
        raise _Bad(number, "a record's payload is withheld (only calls' payloads can be)")
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
        bool(withheld),
    )
