"""Dashboard sign-in sessions, kept server-side: the browser holds only a random session id.

The cookie carries neither the API key nor its hash; the server maps the SHA-256 of the session
id to the organisation, the hash of the key used to sign in (so revoking that key ends the
session) and the session's CSRF token. `StoreSessions` keeps them in the audit store's `dashboard_sessions` table,
so every server process (`--workers N`, several hosts on one PostgreSQL) shares them and they
survive restarts; `MemorySessionStore` serves a single process (and tests).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from agentaudit.store import SessionRecord, SessionStore

IDLE_TIMEOUT = 60 * 60  # seconds without a request before a session ends
MAX_AGE = 12 * 60 * 60  # seconds after sign-in when a session ends regardless
MAX_SESSIONS = 10_000  # per process; the oldest are dropped beyond this


@dataclass
class Session:
    org_id: str
    key_hash: str  # server-side only
    csrf: str
    created: float
    last_seen: float


class Sessions(Protocol):
    """Where the dashboard keeps its sign-ins: `StoreSessions` or `MemorySessionStore`."""

    def create(self, org_id: str, key_hash: str) -> tuple[str, Session]:
        """A new session; returns the id for the cookie (shown once, stored only hashed)."""
        ...

    def get(self, session_id: str) -> Session | None:
        """The live session for this id (its idle timer restarted), else None."""
        ...

    def delete(self, session_id: str) -> None: ...


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


class MemorySessionStore:
    """In-process sessions with idle and absolute timeouts; thread-safe."""

    def __init__(
        self,
        *,
        idle_timeout: float = IDLE_TIMEOUT,
        max_age: float = MAX_AGE,
        max_sessions: int = MAX_SESSIONS,
    ) -> None:
        self.idle_timeout = idle_timeout
        self.max_age = max_age
        self.max_sessions = max_sessions
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, org_id: str, key_hash: str) -> tuple[str, Session]:
        session_id = secrets.token_urlsafe(32)
        now = time.monotonic()
        session = Session(org_id, key_hash, secrets.token_urlsafe(32), now, now)
        with self._lock:
            self._expire(now)
            while len(self._sessions) >= self.max_sessions:  # dicts keep insertion order
                del self._sessions[next(iter(self._sessions))]
            self._sessions[_digest(session_id)] = session
        return session_id, session

    def get(self, session_id: str) -> Session | None:
        now = time.monotonic()
        key = _digest(session_id)
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return None
            if self._expired(session, now):
                del self._sessions[key]
                return None
            session.last_seen = now
            return session

    def delete(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(_digest(session_id), None)

    def __len__(self) -> int:
        return len(self._sessions)

    def _expired(self, session: Session, now: float) -> bool:
        return now - session.last_seen > self.idle_timeout or now - session.created > self.max_age

    def _expire(self, now: float) -> None:
        for key in [k for k, s in self._sessions.items() if self._expired(s, now)]:
            del self._sessions[key]


class StoreSessions:
    """Sessions in the audit store, shared by every process on it; wall-clock timeouts.

    A request refreshes `last_seen` at most once a minute, so browsing costs no write per page.
    """

    TOUCH_EVERY = 60.0

    def __init__(
        self,
        store: SessionStore,
        *,
        idle_timeout: float = IDLE_TIMEOUT,
        max_age: float = MAX_AGE,
    ) -> None:
        self.store = store
        self.idle_timeout = idle_timeout
        self.max_age = max_age

    def create(self, org_id: str, key_hash: str) -> tuple[str, Session]:
        session_id = secrets.token_urlsafe(32)
        now = time.time()
        self.store.expire_sessions(now - self.idle_timeout, now - self.max_age)
        record = SessionRecord(
            _digest(session_id), org_id, key_hash, secrets.token_urlsafe(32), now, now
        )
        self.store.save_session(record)
        return session_id, Session(org_id, key_hash, record.csrf, now, now)

    def get(self, session_id: str) -> Session | None:
        record = self.store.load_session(_digest(session_id))
        if record is None:
            return None
        now = time.time()
        if now - record.last_seen > self.idle_timeout or now - record.created_at > self.max_age:
            self.store.delete_session(record.id_hash)
            return None
        if now - record.last_seen > self.TOUCH_EVERY:
            self.store.save_session(
                SessionRecord(
                    record.id_hash,
                    record.org_id,
                    record.key_hash,
                    record.csrf,
                    record.created_at,
                    now,
                )
            )
        return Session(record.org_id, record.key_hash, record.csrf, record.created_at, now)

    def delete(self, session_id: str) -> None:
        self.store.delete_session(_digest(session_id))
