"""Signed checkpoints: a statement that an organisation's chain had head `seq` with `hash` at
`time`, signed (Ed25519, agentaudit/signing.py) with a key kept outside the database.

The hash chain alone shows that rows were not edited, removed or reordered *relative to each
other*; someone who can write to the database can still rewrite every hash from an altered row
onwards, consistently. A checkpoint fixes the hash at a seq with a signature that such a writer
cannot make, so `verify` names the first checkpoint a rewritten chain contradicts. Copies of the
checkpoints kept elsewhere (the plain file the server appends to, an export) keep that evidence
even if the checkpoint rows are deleted with the rest.

This module knows the statement's format, not the cryptography (store code stays free of it).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from agentaudit.store.chain import canonical

STATEMENT_TYPE = "agentaudit/checkpoint/v1"
_FIELDS = ("org_id", "seq", "hash", "signed_at", "key_id", "signature")


@dataclass(frozen=True)
class Checkpoint:
    org_id: str
    seq: int
    hash: str  # the chain's hash at `seq` (64 hex digits)
    signed_at: str  # ISO 8601 UTC, milliseconds, "Z"
    key_id: str  # first 16 hex digits of the SHA-256 of the raw public key
    signature: str  # base64 Ed25519 signature over `statement()`

    def statement(self) -> bytes:
        """The bytes signed: canonical JSON (sorted keys, no spaces) of the fields above but
        the signature, with the statement's type, so no other signed text can pass for one."""
        return canonical(
            {
                "type": STATEMENT_TYPE,
                "org_id": self.org_id,
                "seq": self.seq,
                "hash": self.hash,
                "time": self.signed_at,
                "key_id": self.key_id,
            }
        ).encode()

    def to_dict(self) -> dict[str, Any]:
        return {"type": STATEMENT_TYPE, **asdict(self)}

    def to_json(self) -> str:
        """One line of the plain checkpoint file, and of an export."""
        return canonical(self.to_dict())

    @classmethod
    def from_dict(cls, raw: Any) -> Checkpoint:
        """A checkpoint read from a file or an API answer; ValueError when it is not one."""
        if not isinstance(raw, dict) or raw.get("type", STATEMENT_TYPE) != STATEMENT_TYPE:
            raise ValueError("not an AgentAudit checkpoint")
        try:
            values = {name: raw[name] for name in _FIELDS}
        except KeyError as exc:
            raise ValueError(f"checkpoint without {exc.args[0]!r}") from None
        if not isinstance(values["seq"], int) or isinstance(values["seq"], bool):
            raise ValueError("checkpoint seq is not an integer")
        if not all(isinstance(values[n], str) for n in _FIELDS if n != "seq"):
            raise ValueError("checkpoint field is not a string")
        return cls(**values)

    @classmethod
    def from_json(cls, line: str) -> Checkpoint:
        return cls.from_dict(json.loads(line))

    def describe(self) -> str:
        """How a message names this checkpoint, so an operator can find it in any copy."""
        return f"checkpoint of seq {self.seq} signed at {self.signed_at} by key {self.key_id}"
