"""Group commit for the server: concurrent requests share one store transaction.

Each request hands its decided events to one writer thread and awaits a future; the writer takes
everything queued, appends it per organisation in one transaction, and only then resolves the
futures. So an event is acknowledged only once it is committed, and 16 concurrent clients cost
about one commit per round instead of sixteen. If a shared transaction fails, each request's
events are retried on their own, so one bad request cannot fail its neighbours (nor one whose
API key was revoked meanwhile: each job's key is re-checked inside the transaction). When the
store itself is unavailable (`StoreUnavailable`: disk full, a lock held too long) every request
of the group gets that answer at once: retrying them one by one would only wait again, once per
request.

After a commit, `on_commit(org_id, events)` (the webhook dispatcher's `notify`, which only
queues) is told of the events newly stored, replays of an idempotency key left out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from agentaudit.models import Event
from agentaudit.store import EventStore, KeyRevoked, NewEvent, StoreUnavailable

log = logging.getLogger("agentaudit.server")

MAX_GROUP_EVENTS = 5000


@dataclass
class _Job:
    org_id: str
    events: Sequence[NewEvent]
    key_hash: str | None
    future: asyncio.Future[list[Event]]
    loop: asyncio.AbstractEventLoop


class GroupCommitter:
    def __init__(
        self,
        store: EventStore,
        *,
        max_group_events: int = MAX_GROUP_EVENTS,
        on_commit: Callable[[str, list[Event]], None] | None = None,
    ) -> None:
        self._store = store
        self._on_commit = on_commit
        self._max = max_group_events
        self._queue: deque[_Job] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._thread: threading.Thread | None = None

    async def append(
        self, org_id: str, events: Sequence[NewEvent], key_hash: str | None = None
    ) -> list[Event]:
        """Store `events` (all-or-nothing) and return them as stored, after the commit.
        With `key_hash`, the API key must still be active when the commit happens, else
        `KeyRevoked` and nothing is stored."""
        if not events:
            return []
        loop = asyncio.get_running_loop()
        job = _Job(org_id, events, key_hash, loop.create_future(), loop)
        with self._cond:
            if self._closed:
                raise RuntimeError("the server is shutting down")
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="agentaudit-commit", daemon=True
                )
                self._thread.start()
            self._queue.append(job)
            self._cond.notify()
        # shield: a client that hangs up must not cancel what the writer will resolve anyway
        return await asyncio.shield(job.future)

    def close(self) -> None:
        """Commit what is queued, then stop the writer thread."""
        with self._cond:
            self._closed = True
            self._cond.notify()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:
                    return
                group = [self._queue.popleft()]
                size = len(group[0].events)
                while self._queue and size + len(self._queue[0].events) <= self._max:
                    job = self._queue.popleft()
                    size += len(job.events)
                    group.append(job)
            self._commit(group)

    def _commit(self, group: list[_Job]) -> None:
        by_org: dict[str, list[_Job]] = {}
        for job in group:
            by_org.setdefault(job.org_id, []).append(job)
        for org_id, jobs in by_org.items():
            if len(jobs) == 1:
                self._commit_one(jobs[0])
                continue
            keys = {job.key_hash for job in jobs if job.key_hash is not None}
            try:
                stored = self._store.append(
                    org_id, [e for job in jobs for e in job.events], key_hashes=keys
                )
            except StoreUnavailable as exc:
                for job in jobs:
                    _resolve(job, None, exc)
                continue
            except Exception as exc:
                if not isinstance(exc, KeyRevoked):
                    log.warning(
                        "group commit of %d requests failed; retrying one by one", len(jobs)
                    )
                for job in jobs:
                    self._commit_one(job)
                continue
            parts = _split(jobs, stored)
            for job, part in zip(jobs, parts, strict=True):
                _resolve(job, part, None)
            for job, part in zip(jobs, parts, strict=True):  # after every answer is on its way
                self._committed(job, part)

    def _commit_one(self, job: _Job) -> None:
        try:
            keys = () if job.key_hash is None else (job.key_hash,)
            stored = self._store.append(job.org_id, job.events, key_hashes=keys)
        except Exception as exc:
            _resolve(job, None, exc)
        else:
            _resolve(job, stored, None)
            self._committed(job, stored)

    def _committed(self, job: _Job, stored: list[Event]) -> None:
        """Tell `on_commit` of the job's new events (a replay returns an earlier event)."""
        if self._on_commit is None:
            return
        new = [s for s, n in zip(stored, job.events, strict=True) if s.id == n.event.id]
        if not new:
            return
        try:
            self._on_commit(job.org_id, new)
        except Exception:
            log.exception("the after-commit hook failed (the events are committed)")


def _split(jobs: list[_Job], stored: list[Event]) -> list[list[Event]]:
    out, start = [], 0
    for job in jobs:
        out.append(stored[start : start + len(job.events)])
        start += len(job.events)
    return out


def _resolve(job: _Job, result: list[Event] | None, error: BaseException | None) -> None:
    def settle() -> None:
        if job.future.done():
            return
        if error is not None:
            job.future.set_exception(error)
        else:
            job.future.set_result(result or [])

    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting any more
        job.loop.call_soon_threadsafe(settle)
