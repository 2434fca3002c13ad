"""Session memory kept in the store, shared by every server process on one database.

With several server processes (workers, or servers behind a load balancer on one PostgreSQL),
the result a session read may reach one process and its next call another. `SharedMemory` keeps
what `LocalMemory` keeps in-process in the store's `provenance_values` table instead (migration
0029), so every process judges a call against everything its session read:

- a value is a keyed hash: 64 bits of BLAKE2b under a key derived from the organisation's
  `fingerprint_key` (which never leaves the store), so the table holds no value, and without the
  key a hash cannot be tested against guesses; the session id is hashed the same way;
- each row has the source result's event id and tool (what a block reason names), its time, and
  expires the policy's `session_ttl_seconds` after it was read (rows past it never count, and the
  writers sweep them); a session keeps at most `max_values_per_session` values of each kind;
- a call is judged with one indexed query: its destinations' hashes (and the session's
  instruction marker) looked up on the primary key. A call without a destination asks nothing.

Time is the wall clock (every process must agree on it), not this process's monotonic clock.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from agentaudit.provenance.memory import (
    MAX_PENDING,
    Judged,
    Keyed,
    Source,
)

UNTRUSTED, TRUSTED, INSTRUCTION, CALL = 0, 1, 2, 3  # the `kind` column
INSTRUCTION_HASH = 0  # the value hash of a session's one instruction row (the latest)
_KEY_LABEL = b"agentaudit provenance v1"

# (value_hash, kind, at, expires_at, event_id, tool, correspondent, instructed)
Row = tuple[int, int, float, float, str | None, str | None, bool, bool]
# what a lookup returns: (value_hash, kind, at, event_id, tool, correspondent, instructed)
Found = tuple[int, int, float, str | None, str | None, bool, bool]


@runtime_checkable
class ProvenanceTable(Protocol):
    """What a store offers to keep sessions for every process (PostgresStore, SQLiteStore)."""

    # whether sessions are kept in the store unless asked otherwise (service.sessions_table)
    SHARES_SESSIONS_BY_DEFAULT: bool

    def fingerprint_key(self, org_id: str) -> bytes: ...

    def provenance_rows(
        self, org_id: str, session: int, hashes: Sequence[int], since: float
    ) -> list[Found]:
        """The session's rows whose value hash is one of `hashes`, read at or after `since`."""
        ...

    def provenance_take(self, org_id: str, session: int, value_hash: int, since: float) -> bool:
        """Delete the session's call row `value_hash`; whether it was there (and live)."""
        ...

    def provenance_put(
        self,
        org_id: str,
        session: int,
        rows: Sequence[Row],
        limits: Mapping[int, int],
        now: float,
    ) -> None:
        """Add or refresh rows (a value planted again counts from now; a value planted by a
        message's body stays so when it is seen again only as a sender); then keep the newest
        `limits[kind]` rows of each kind written, and sweep expired rows now and then."""
        ...


@functools.lru_cache(maxsize=256)
def provenance_key(fingerprint_key: bytes) -> bytes:
    """The organisation's key for session hashes, derived from its fingerprint key (one key to
    keep; this use cannot be linked to the secrets' fingerprints or the subject index)."""
    return hmac.new(fingerprint_key, _KEY_LABEL, hashlib.sha256).digest()


class SharedMemory:
    """`Memory` (memory.py) in the store's table: one organisation's sessions, for every
    process. Holds no state of its own."""

    def __init__(
        self,
        table: ProvenanceTable,
        org_id: str,
        key: bytes,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.table = table
        self.org_id = org_id
        self._key = key
        self._clock = clock

    @property
    def clock(self) -> Callable[[], float]:
        return self._clock

    def hash(self, text: str) -> int:
        """A keyed 64-bit hash, as stored (a signed bigint)."""
        digest = hashlib.blake2b(text.encode("utf-8"), key=self._key, digest_size=8).digest()
        return int.from_bytes(digest, "big", signed=True)

    def _session(self, key: str) -> int:
        return self.hash("session\x00" + key)

    def _call(self, call_id: str) -> int:
        return self.hash("call\x00" + call_id)

    def take_call(self, key: str, call_id: str, ttl: float) -> bool:
        since = self._clock() - ttl
        return self.table.provenance_take(
            self.org_id, self._session(key), self._call(call_id), since
        )

    def note(
        self,
        key: str,
        ttl: float,
        limit: int,
        *,
        trusted: Sequence[str] = (),
        calls: Sequence[str] = (),
        planted: Sequence[str] = (),
        sent_by: Sequence[str] = (),
        source: Source | None = None,
    ) -> None:
        now = self._clock()
        expires = now + ttl
        rows: dict[tuple[int, int], Row] = {}  # one row per (hash, kind): a statement's rule
        for value in trusted:
            h = self.hash(value)
            rows[(h, TRUSTED)] = (h, TRUSTED, now, expires, None, None, False, False)
        for call_id in calls:
            h = self._call(call_id)
            rows[(h, CALL)] = (h, CALL, now, expires, None, None, False, False)
        if source is not None:
            event_id, tool, instructed = source.event_id, source.tool[:256], source.instructed
            for value in sent_by:  # first: the body's plant of the same value wins below
                h = self.hash(value)
                rows[(h, UNTRUSTED)] = (
                    h,
                    UNTRUSTED,
                    now,
                    expires,
                    event_id,
                    tool,
                    True,
                    instructed,
                )
            for value in planted:
                h = self.hash(value)
                rows[(h, UNTRUSTED)] = (
                    h,
                    UNTRUSTED,
                    now,
                    expires,
                    event_id,
                    tool,
                    False,
                    instructed,
                )
            if instructed:
                h = INSTRUCTION_HASH
                rows[(h, INSTRUCTION)] = (h, INSTRUCTION, now, expires, event_id, tool, False, True)
        if not rows:
            return
        written = {kind for _, kind in rows}
        limits = {
            kind: n
            for kind, n in ((UNTRUSTED, limit), (TRUSTED, limit), (CALL, MAX_PENDING))
            if kind in written
        }
        self.table.provenance_put(self.org_id, self._session(key), list(rows.values()), limits, now)

    def judge(
        self, key: str, ttl: float, destinations: Callable[[], list[Keyed]]
    ) -> Judged[Keyed] | None:
        found = destinations()  # nothing to send to: nothing to ask the store
        if not found:
            return None
        hashes: dict[str, int] = {}
        for dest in found:
            for k in dest.keys:
                if k not in hashes:
                    hashes[k] = self.hash(k)
        since = self._clock() - ttl
        wanted = [*set(hashes.values()), INSTRUCTION_HASH]
        rows = self.table.provenance_rows(self.org_id, self._session(key), wanted, since)
        if not rows:
            return None
        trusted: set[int] = set()
        untrusted: dict[int, Source] = {}
        instructed: Source | None = None
        for h, kind, at, event_id, tool, correspondent, was_instructed in rows:
            if kind == TRUSTED:
                trusted.add(h)
            elif kind == UNTRUSTED:
                untrusted[h] = Source(
                    event_id or "", tool or "", at, bool(correspondent), bool(was_instructed)
                )
            elif kind == INSTRUCTION and h == INSTRUCTION_HASH:
                instructed = Source(event_id or "", tool or "", at, False, True)
        if not untrusted and instructed is None:
            return None
        steered: list[tuple[Keyed, Source]] = []
        for dest in found:
            if any(hashes[k] in trusted for k in dest.keys):
                continue
            for k in dest.keys:
                source = untrusted.get(hashes[k])
                if source is not None:
                    steered.append((dest, source))
                    break
        return steered, instructed
