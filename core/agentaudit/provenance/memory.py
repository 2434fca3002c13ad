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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

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


def session_key(agent_id: str, context: dict[str, Any]) -> str:
    """A session: the caller's `session_id`, else the framework's thread, else the agent (an
    embedded app's one run at a time)."""
    for name in ("session_id", "thread_id", "conversation_id"):
        value = context.get(name)
        if isinstance(value, str) and value:
            return f"s:{value}"
    return f"a:{agent_id}"
