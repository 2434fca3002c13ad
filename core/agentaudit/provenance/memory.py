"""Per-session memory of what untrusted and trusted content held: bounded and expiring.

Values are kept as the hashes of their normalised keys (`indicators.py`), never as text: the
memory holds no personal data, only enough to recognise a value when a later call sends to it.
Each remembered value names where it came from (the result event and its tool). A session not
seen for its time to live is dropped whole; a value older than it no longer counts.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

MAX_SESSIONS = 10_000  # per organisation; the least recently used go first
MAX_INSTRUCTIONS = 16  # instruction-bearing results remembered per session
MAX_PENDING = 64  # calls awaiting their result, per session


@dataclass(frozen=True, slots=True)
class Source:
    """Where an untrusted value was read."""

    event_id: str
    tool: str
    at: float
    correspondent: bool = False  # only seen as the sender of a message (a reply goes there)
    instructed: bool = False  # the same result carried an instruction to the model


@dataclass(slots=True)
class Session:
    untrusted: OrderedDict[int, Source] = field(default_factory=OrderedDict)
    trusted: OrderedDict[int, float] = field(default_factory=OrderedDict)
    instructions: list[Source] = field(default_factory=list)
    pending: OrderedDict[str, bool] = field(default_factory=OrderedDict)  # call id → outside path
    seen: float = 0.0

    def plant(self, keys: Iterable[str], source: Source, limit: int) -> None:
        for key in keys:
            h = hash(key)
            old = self.untrusted.get(h)
            if old is not None:
                if source.correspondent and not old.correspondent:
                    continue  # seen in the body before: it stays a planted value
                self.untrusted.move_to_end(h)
            self.untrusted[h] = source
        while len(self.untrusted) > limit:
            self.untrusted.popitem(last=False)

    def vouch(self, keys: Iterable[str], at: float, limit: int) -> None:
        for key in keys:
            h = hash(key)
            self.trusted[h] = at
            self.trusted.move_to_end(h)
        while len(self.trusted) > limit:
            self.trusted.popitem(last=False)

    def untrusted_source(self, key: str, since: float) -> Source | None:
        source = self.untrusted.get(hash(key))
        return source if source is not None and source.at >= since else None

    def is_trusted(self, key: str, since: float) -> bool:
        at = self.trusted.get(hash(key))
        return at is not None and at >= since

    def instructed_since(self, since: float) -> Source | None:
        for source in reversed(self.instructions):
            if source.at >= since:
                return source
        return None

    def note_instruction(self, source: Source) -> None:
        self.instructions.append(source)
        del self.instructions[:-MAX_INSTRUCTIONS]

    def note_call(self, call_id: str, outside: bool) -> None:
        self.pending[call_id] = outside
        while len(self.pending) > MAX_PENDING:
            self.pending.popitem(last=False)

    @property
    def empty(self) -> bool:
        return not self.untrusted and not self.instructions


@dataclass
class Sessions:
    """One organisation's sessions. Thread-safe: each operation holds the lock briefly."""

    clock: Callable[[], float] = time.monotonic
    max_sessions: int = MAX_SESSIONS
    _sessions: OrderedDict[str, Session] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __len__(self) -> int:
        return len(self._sessions)

    def get(self, key: str, ttl: float) -> Session | None:
        """The live session `key`, or None (an expired one is dropped). Caller holds `lock`."""
        session = self._sessions.get(key)
        if session is not None and session.seen + ttl < self.clock():
            del self._sessions[key]
            return None
        return session

    def open(self, key: str, ttl: float) -> Session:
        """The session `key`, made if new; marks it used. Caller holds `lock`."""
        session = self.get(key, ttl)
        if session is None:
            session = self._sessions[key] = Session()
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)
        else:
            self._sessions.move_to_end(key)
        session.seen = self.clock()
        return session


# -- what steer.py asks of a memory: this process's (LocalMemory) or the store's (shared.py) --
# A destination of a call as the memory sees it: its indicator keys (steer.Destination.keys).
Keyed = TypeVar("Keyed", bound="HasKeys")


class HasKeys(Protocol):
    @property
    def keys(self) -> tuple[str, ...]: ...


# What a session's memory says of a call's destinations: each steered one with the source of
# its value, and the latest instruction-bearing result (if any, within the TTL). A plain tuple:
# it is made on every judged call.
Judged = tuple[list[tuple[Keyed, Source]], Source | None]


class Memory(Protocol):
    """One organisation's session memory, as the judgement (steer.py) uses it."""

    @property
    def clock(self) -> Callable[[], float]:
        """The memory's time in seconds (a source's `at`)."""
        ...

    def take_call(self, key: str, call_id: str, ttl: float) -> bool:
        """Whether call `call_id` read a file from an outside path (and forget it)."""
        ...

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
        """Remember what a result or a call showed: values vouched for (`trusted`), calls that
        read an outside path, values planted by the untrusted result `source` (`sent_by`: only
        as a message's sender), and `source` itself when it addressed the model."""
        ...

    def judge(
        self, key: str, ttl: float, destinations: Callable[[], list[Keyed]]
    ) -> Judged[Keyed] | None:
        """The call's destinations (computed only when the session holds untrusted content)
        against the session; None when there is nothing to judge."""
        ...


@dataclass
class LocalMemory:
    """`Memory` in this process (the embedded client, one server process): `Sessions`."""

    sessions: Sessions

    @property
    def clock(self) -> Callable[[], float]:
        return self.sessions.clock

    def take_call(self, key: str, call_id: str, ttl: float) -> bool:
        with self.sessions.lock:
            session = self.sessions.get(key, ttl)
            return bool(session and session.pending.pop(call_id, False))

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
        sessions = self.sessions
        with sessions.lock:
            session = sessions.open(key, ttl)
            now = sessions.clock()
            if trusted:
                session.vouch(trusted, now, limit)
            for call_id in calls:
                session.note_call(call_id, True)
            if source is None:
                return
            if planted:
                session.plant(planted, source, limit)
            if sent_by:
                session.plant(
                    sent_by,
                    Source(source.event_id, source.tool, source.at, True, source.instructed),
                    limit,
                )
            if source.instructed:
                session.note_instruction(source)

    def judge(
        self, key: str, ttl: float, destinations: Callable[[], list[Keyed]]
    ) -> Judged[Keyed] | None:
        sessions = self.sessions
        with sessions.lock:
            session = sessions.get(key, ttl)
            if session is None or session.empty:
                return None
        found = destinations()
        if not found:
            return None
        since = sessions.clock() - ttl
        steered: list[tuple[Keyed, Source]] = []
        with sessions.lock:
            for dest in found:
                if any(session.is_trusted(k, since) for k in dest.keys):
                    continue
                for k in dest.keys:
                    source = session.untrusted_source(k, since)
                    if source is not None:
                        steered.append((dest, source))
                        break
            instructed = session.instructed_since(since)
        return steered, instructed


def session_key(agent_id: str, context: dict[str, Any]) -> str:
    """A session: the caller's `session_id`, else the framework's thread, else the agent (an
    embedded app's one run at a time)."""
    for name in ("session_id", "thread_id", "conversation_id"):
        value = context.get(name)
        if isinstance(value, str) and value:
            return f"s:{value}"
    return f"a:{agent_id}"
