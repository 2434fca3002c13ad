"""The disk spool: events the server could not take yet, kept until it acknowledges them.

Layout of one spool directory (one per base URL + API key, so a spooled event can only ever go
to the organisation it was meant for):

    spool.jsonl          append-only; one {"key", "event"} object per line; fsync'd per append
    sending-<ulid>.jsonl claimed by a drainer; deleted once the server acknowledged every line
    rejected.jsonl       events the server refused for good (422, …), with the reason
    append.lock, drain.lock

A drainer takes `drain.lock` (non-blocking: one process drains at a time), renames spool.jsonl to
a `sending-` segment under `append.lock` (so appends never race the rename), sends the records,
then deletes the segments, first writing any unsent remainder to a new segment. A crash at any
point leaves every record on disk at least once; records carry their idempotency key, so sending
one twice stores it once.

At rest every line is encrypted (AES-256-GCM, a fresh nonce per line, `aa1:` + base64): spooled
events carry the same personal data and secrets as the calls they record. The key is derived
(HKDF-SHA256) from the client's server URL and API key, which AgentAudit never writes to disk:
the spool is unreadable to whoever can read the disk but does not hold the API key, and whoever
holds the key can read the organisation's events from the server anyway. Masking the events
instead (the policy's redaction) was not chosen: the server classifies a spooled event when it
arrives, and a masked one would be judged on what is left, not on what the agent did. Lines of
an earlier, unencrypted spool are still read.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic_core
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from ulid import ULID

from agentaudit.models import EventIn

log = logging.getLogger("agentaudit")

SPOOL_FILE = "spool.jsonl"
SENDING_PREFIX = "sending-"
REJECTED_FILE = "rejected.jsonl"
SEALED_PREFIX = b"aa1:"
_NONCE_BYTES = 12


class Sealer:
    """Encrypts spool lines with a key derived from a secret that stays in memory."""

    def __init__(self, secret: str) -> None:
        kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"agentaudit spool", info=b"v1")
        self._aead = AESGCM(kdf.derive(secret.encode("utf-8")))

    def seal(self, line: bytes) -> bytes:
        """One plain JSON line (with its newline) as one encrypted line."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, line.rstrip(b"\n"), None)
        return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed) + b"\n"

    def open(self, line: bytes) -> bytes:
        """The plain JSON of a line; a line of an earlier, unencrypted spool as it is.
        ValueError when it cannot be read (torn by a crash, or another key's)."""
        if not line.startswith(SEALED_PREFIX):
            return line
        try:
            raw = base64.urlsafe_b64decode(line[len(SEALED_PREFIX) :].strip())
            return self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None)
        except Exception as exc:  # binascii.Error, InvalidTag
            raise ValueError(f"cannot decrypt the line ({type(exc).__name__})") from None


@dataclass(frozen=True, slots=True)
class Record:
    """One event and its idempotency key, as queued, sent and spooled."""

    key: str
    event: EventIn | dict[str, Any]

    def line(self) -> bytes:
        return pydantic_core.to_json({"key": self.key, "event": self.event}) + b"\n"


def default_spool_root() -> Path:
    """$AGENTAUDIT_SPOOL_DIR, else $XDG_CACHE_HOME/agentaudit/spool, else ~/.cache/…"""
    if os.environ.get("AGENTAUDIT_SPOOL_DIR"):
        return Path(os.environ["AGENTAUDIT_SPOOL_DIR"])
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "agentaudit" / "spool"


def spool_secret(base_url: str, api_key: str) -> str:
    """What keys a server's spool encryption: its URL and API key (neither is written to disk)."""
    return f"{base_url}\0{api_key}"


def spool_dir(base_url: str, api_key: str, root: str | Path | None = None) -> Path:
    """The directory for one server + key (named by a hash: the key never appears on disk)."""
    digest = hashlib.sha256(f"{base_url}\0{api_key}".encode()).hexdigest()[:24]
    return Path(root if root is not None else default_spool_root()) / digest


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


class Spool:
    """Thread- and process-safe. Methods block on disk I/O (the async client calls them in a
    worker thread)."""

    def __init__(self, directory: Path, *, secret: str) -> None:
        """`secret` keys the encryption (the remote client passes its URL and API key)."""
        self.directory = directory
        self.path = directory / SPOOL_FILE
        self._lock = threading.Lock()
        self._sealer = Sealer(secret)

    def _line(self, record: Record) -> bytes:
        return self._sealer.seal(record.line())

    def _ensure_dir(self) -> None:
        if not self.directory.is_dir():
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)  # events carry PII
            _fsync_dir(self.directory.parent)

    @contextlib.contextmanager
    def _flock(self, name: str, *, blocking: bool = True) -> Iterator[int | None]:
        fd = os.open(self.directory / name, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield None
                return
            yield fd
        finally:
            os.close(fd)  # closing releases the lock

    def has_pending(self) -> bool:
        """Whether anything waits to be sent (from this process or an earlier one)."""
        try:
            if self.path.stat().st_size > 0:
                return True
        except FileNotFoundError:
            pass
        return any(self.directory.glob(f"{SENDING_PREFIX}*.jsonl"))

    def append(self, records: Sequence[Record]) -> None:
        """Add records durably: when this returns they survive a crash of this process."""
        if not records:
            return
        data = b"".join(self._line(r) for r in records)
        with self._lock:
            self._ensure_dir()
            with self._flock("append.lock"):
                created = not self.path.exists()
                fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    size = os.fstat(fd).st_size
                    if size and os.pread(fd, 1, size - 1) != b"\n":
                        data = b"\n" + data  # a crash tore the last line: never glue onto it
                    _write_durably(fd, data)
                finally:
                    os.close(fd)
                if created:
                    _fsync_dir(self.directory)

    def reject(self, records: Sequence[Record], error: str) -> None:
        """Keep records the server refused for good, with why (they are never retried)."""
        log.error(
            "agentaudit: the server refused %d event(s) for good (%s); kept in %s",
            len(records),
            error,
            self.directory / REJECTED_FILE,
        )
        self._append_rejected(
            b"".join(
                self._sealer.seal(
                    pydantic_core.to_json({"key": r.key, "event": r.event, "error": error})
                )
                for r in records
            )
        )

    def _append_rejected(self, lines: bytes) -> None:
        with self._lock:
            self._ensure_dir()
            path = self.directory / REJECTED_FILE
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                _write_durably(fd, lines)
            finally:
                os.close(fd)

    def rejected(self) -> list[dict[str, Any]]:
        path = self.directory / REJECTED_FILE
        if not path.exists():
            return []
        return [
            json.loads(self._sealer.open(line))
            for line in path.read_bytes().splitlines()
            if line.strip()
        ]

    def claim(self) -> Claim | None:
        """Take every spooled record for sending; None when another process is draining."""
        if not self.directory.is_dir():
            return None
        stack = contextlib.ExitStack()
        lock = stack.enter_context(self._flock("drain.lock", blocking=False))
        if lock is None:
            stack.close()
            return None
        try:
            with self._lock, self._flock("append.lock"):
                if self.path.exists() and self.path.stat().st_size > 0:
                    os.rename(self.path, self.directory / f"{SENDING_PREFIX}{ULID()}.jsonl")
                    _fsync_dir(self.directory)
            segments = sorted(self.directory.glob(f"{SENDING_PREFIX}*.jsonl"))
            records = [r for seg in segments for r in self._read(seg)]
        except BaseException:
            stack.close()
            raise
        return Claim(self, segments, records, stack)

    def _read(self, segment: Path) -> list[Record]:
        records = []
        for n, line in enumerate(segment.read_bytes().splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(self._sealer.open(line))
                records.append(Record(str(obj["key"]), dict(obj["event"])))
            except (ValueError, KeyError, TypeError) as exc:  # a torn line from a crash
                log.warning("agentaudit: unreadable spool line %s:%d (%s)", segment, n, exc)
                text = line.decode("utf-8", "replace")  # still sealed, if it was
                self._append_rejected(
                    self._sealer.seal(pydantic_core.to_json({"unreadable": text}))
                )
        return records


class Claim:
    """Spooled records being sent by this process (which holds drain.lock until `release`)."""

    def __init__(
        self, spool: Spool, segments: list[Path], records: list[Record], lock: contextlib.ExitStack
    ) -> None:
        self.spool = spool
        self.segments = segments
        self.records = records
        self._lock = lock

    def release(self, sent: int) -> None:
        """Forget the first `sent` records (acknowledged); keep the rest for the next drain."""
        try:
            remaining = self.records[sent:]
            directory = self.spool.directory
            if remaining:
                final = directory / f"{SENDING_PREFIX}{ULID()}.jsonl"
                tmp = final.with_suffix(".tmp")
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                try:
                    _write_durably(fd, b"".join(self.spool._line(r) for r in remaining))
                finally:
                    os.close(fd)
                os.rename(tmp, final)
            for segment in self.segments:
                segment.unlink(missing_ok=True)
            _fsync_dir(directory)
        finally:
            self._lock.close()
