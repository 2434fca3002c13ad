"""Ed25519 signing of checkpoints (store/checkpoint.py), with `cryptography`.

The private key lives in a file outside the database ($AGENTAUDIT_SIGNING_KEY, made by
`agentaudit keys signing-init`, mode 0600): whoever can rewrite the database cannot sign. The
public key is what an auditor keeps; it is printed at creation, served at
/.well-known/agentaudit/checkpoint-key, written into exports, and given to `verify` with
`--public-key` (base64 of the 32 raw bytes, a PEM file, or a file holding either).

`Checkpointer` signs each organisation's chain head every N events or T seconds (whichever
comes first) and once more when it is closed, stores the checkpoints and appends them to a
plain file (one JSON object per line) the operator can ship elsewhere.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from agentaudit.store.base import EventStore
from agentaudit.store.checkpoint import Checkpoint

log = logging.getLogger("agentaudit.signing")

SIGNING_KEY_ENV = "AGENTAUDIT_SIGNING_KEY"
CHECKPOINT_FILE_ENV = "AGENTAUDIT_CHECKPOINT_FILE"
EVERY_EVENTS_ENV = "AGENTAUDIT_CHECKPOINT_EVENTS"
EVERY_SECONDS_ENV = "AGENTAUDIT_CHECKPOINT_SECONDS"
DEFAULT_EVERY_EVENTS = 10_000
DEFAULT_EVERY_SECONDS = 60.0
POLL_SECONDS = 1.0  # how often the signer reads the heads (one small query)


class SigningKeyError(ValueError):
    """A key file or key text that is not an Ed25519 key this code can use."""


def key_id(public: Ed25519PublicKey) -> str:
    """16 hex digits naming a public key (SHA-256 of its raw bytes): checkpoints say which."""
    return hashlib.sha256(public_bytes(public)).hexdigest()[:16]


def public_bytes(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_text(public: Ed25519PublicKey) -> str:
    """The public key as an auditor copies it: base64 of its 32 raw bytes."""
    return base64.b64encode(public_bytes(public)).decode()


def create_key_file(path: Path) -> Ed25519PrivateKey:
    """A new private key in `path` (PKCS#8 PEM), created 0600; an existing file is never
    overwritten (FileExistsError): checkpoints signed with it would become unverifiable."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
        out.flush()
        os.fsync(out.fileno())
    return key


def load_private_key(path: str | Path) -> Ed25519PrivateKey:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SigningKeyError(
            f"cannot read the signing key {str(path)!r}: {exc.strerror}"
        ) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(
            f"{str(path)!r} is not an unencrypted PEM private key: {exc}"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{str(path)!r} is not an Ed25519 key")
    return key


def load_public_key(text: str) -> Ed25519PublicKey:
    """A public key from base64 text (32 raw bytes), or from a file holding base64 text, a PEM
    public key or a PEM private key (its public half)."""
    candidate = Path(text)
    if len(text) < 4096 and candidate.is_file():
        data = candidate.read_bytes()
        if b"PRIVATE KEY" in data:
            return load_private_key(candidate).public_key()
        if b"PUBLIC KEY" in data:
            try:
                key = serialization.load_pem_public_key(data)
            except ValueError as exc:
                raise SigningKeyError(f"{text!r}: not a PEM public key: {exc}") from None
            if not isinstance(key, Ed25519PublicKey):
                raise SigningKeyError(f"{text!r} is not an Ed25519 public key")
            return key
        text = data.decode("ascii", "replace").strip()
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SigningKeyError(
            "the public key is neither a file nor base64 text (as `agentaudit keys"
            " signing-init` prints it)"
        ) from None
    if len(raw) != 32:
        raise SigningKeyError(f"an Ed25519 public key is 32 bytes, this one is {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


def signature_ok(cp: Checkpoint, keys: Iterable[Ed25519PublicKey]) -> bool:
    """Whether `cp` was signed by one of `keys` (the one its key id names)."""
    for public in keys:
        if key_id(public) != cp.key_id:
            continue
        try:
            public.verify(base64.b64decode(cp.signature, validate=True), cp.statement())
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True
    return False


def bad_signatures(
    checkpoints: Iterable[Checkpoint], keys: Sequence[Ed25519PublicKey]
) -> list[Checkpoint]:
    """The checkpoints that no given key signed (forged, altered, or another key's)."""
    return [cp for cp in checkpoints if not signature_ok(cp, keys)]


def _now_z() -> str:
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _age(signed_at: str | None, now: datetime) -> float:
    """Seconds since a checkpoint's time (never signed: forever)."""
    if signed_at is None:
        return float("inf")
    return (now - datetime.fromisoformat(signed_at.replace("Z", "+00:00"))).total_seconds()


@dataclass(frozen=True)
class Signer:
    """A loaded private key."""

    key: Ed25519PrivateKey
    path: str

    @classmethod
    def from_file(cls, path: str | Path) -> Signer:
        return cls(load_private_key(path), str(path))

    @classmethod
    def from_env(cls) -> Signer | None:
        """The key $AGENTAUDIT_SIGNING_KEY names; None when it is unset."""
        path = os.environ.get(SIGNING_KEY_ENV)
        return cls.from_file(path) if path else None

    @property
    def public(self) -> Ed25519PublicKey:
        return self.key.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def sign(self, org_id: str, seq: int, chain_hash: str, at: str | None = None) -> Checkpoint:
        unsigned = Checkpoint(org_id, seq, chain_hash, at or _now_z(), self.key_id, "")
        signature = base64.b64encode(self.key.sign(unsigned.statement())).decode()
        return Checkpoint(org_id, seq, chain_hash, unsigned.signed_at, self.key_id, signature)


def _env_number(name: str, default: float) -> float:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name}={text!r} is not a number") from None
    if value <= 0:
        raise ValueError(f"{name}={text!r} must be positive")
    return value


def checkpoint_interval() -> tuple[int, float]:
    """(events, seconds) between checkpoints: $AGENTAUDIT_CHECKPOINT_EVENTS (default 10,000)
    and $AGENTAUDIT_CHECKPOINT_SECONDS (default 60); ValueError on a bad value."""
    events = _env_number(EVERY_EVENTS_ENV, DEFAULT_EVERY_EVENTS)
    return int(events), _env_number(EVERY_SECONDS_ENV, DEFAULT_EVERY_SECONDS)


def checkpoint_file_for(signer: Signer) -> Path:
    """$AGENTAUDIT_CHECKPOINT_FILE, else `<signing key file>.checkpoints.jsonl`."""
    return Path(os.environ.get(CHECKPOINT_FILE_ENV) or f"{signer.path}.checkpoints.jsonl")


class Checkpointer:
    """Signs every organisation's head when it moved `every_events` past its last checkpoint,
    or moved at all and `every_seconds` passed since; `close()` signs what is left.

    It reads the heads from the store (one query a second), not from the write path, so ingest
    pays nothing per event, and several server processes on one database agree: a head signed
    by one is stored once (`add_checkpoints` ignores the second) and not due for the others.
    """

    def __init__(
        self,
        store: EventStore,
        signer: Signer,
        *,
        every_events: int | None = None,
        every_seconds: float | None = None,
        file: Path | None = None,
    ) -> None:
        self.store = store
        self.signer = signer
        default_events, default_seconds = checkpoint_interval()
        self.every_events = every_events or default_events
        self.every_seconds = every_seconds or default_seconds
        self.file = file or checkpoint_file_for(signer)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> Checkpointer:
        self._thread = threading.Thread(
            target=self._run, name="agentaudit-checkpoints", daemon=True
        )
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(min(POLL_SECONDS, self.every_seconds)):
            try:
                self.sign_due()
            except Exception:  # a passing store error: try again at the next poll
                log.warning("signing checkpoints failed; will try again", exc_info=True)

    def sign_due(self, *, all_moved: bool = False) -> list[Checkpoint]:
        """Sign the heads that are due (`all_moved`: every head past its last checkpoint),
        store them and append them to the file; returns them."""
        with self._lock:
            now = datetime.now(UTC)
            due: list[Checkpoint] = []
            for head in self.store.heads_to_sign():
                if head.signed_seq is not None and head.seq <= head.signed_seq:
                    continue
                moved = head.seq - (head.signed_seq or 0)
                age = _age(head.signed_at, now)
                if all_moved or moved >= self.every_events or age >= self.every_seconds:
                    due.append(self.signer.sign(head.org_id, head.seq, head.hash))
            stored = self.store.add_checkpoints(due) if due else []
            if stored:  # a head another process stored first is in the file once, from it
                self._append(stored)
            return stored

    def _append(self, checkpoints: Sequence[Checkpoint]) -> None:
        """One line each, appended and synced: the copy an operator ships elsewhere."""
        text = "".join(cp.to_json() + "\n" for cp in checkpoints).encode()
        fd = os.open(self.file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, text)
            os.fsync(fd)
        finally:
            os.close(fd)

    def close(self) -> None:
        """Stop, then sign every head that moved since its last checkpoint."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        try:
            self.sign_due(all_moved=True)
        except Exception:
            log.warning("signing the final checkpoints failed", exc_info=True)
