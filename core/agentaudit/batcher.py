"""Background logging for the remote clients: queue, batch, send, spool when the server is away.

`log(..., wait=False)` validates the event in the caller and appends it to a bounded in-memory
queue (that is all the caller pays). A worker — a thread (`Batcher`) or an asyncio task
(`AsyncBatcher`) — sends the queue through POST /v1/events/batch every `batch_size` events or
`flush_interval` seconds, always with one idempotency key per event. A batch the server cannot
take (connection error, timeout, 5xx, 429, 401 after retries) goes to the disk spool
(`agentaudit.spool`); while the spool holds anything, the worker probes the server with back-off
by re-sending it, and new batches join the spool, so the server sees events roughly in order.

`BatchCore` holds the shared state and the procedures (sans-I/O generators, see `_http`); the two
workers differ only in how they wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import pydantic_core

from agentaudit._exit import call_at_exit
from agentaudit._http import (
    AsyncIO,
    Call,
    Procedure,
    RetryPolicy,
    SyncIO,
    new_key,
    request,
    unavailable,
)
from agentaudit.errors import AgentAuditError, APIStatusError
from agentaudit.models import EventIn
from agentaudit.spool import Claim, Record, Spool

log = logging.getLogger("agentaudit")

MAX_SERVER_BATCH = 1000  # what POST /v1/events/batch takes
PROBE_MIN = 0.5  # first re-try of a down server, seconds; doubles up to PROBE_MAX
PROBE_MAX = 30.0
REFUSED_FOR_GOOD = (400, 413, 415, 422)  # the same events would be refused again

Item = tuple[EventIn, str | None]


# -- spool operations (run in the caller's thread, or a worker thread for the async client) ------
@dataclass(frozen=True, slots=True)
class SpoolAppend:
    records: Sequence[Record]

    def run(self, io: SyncIO) -> None:
        io.spool.append(self.records)

    async def arun(self, io: AsyncIO) -> None:
        await asyncio.to_thread(io.spool.append, self.records)


@dataclass(frozen=True, slots=True)
class SpoolReject:
    records: Sequence[Record]
    error: str

    def run(self, io: SyncIO) -> None:
        io.spool.reject(self.records, self.error)

    async def arun(self, io: AsyncIO) -> None:
        await asyncio.to_thread(io.spool.reject, self.records, self.error)


@dataclass(frozen=True, slots=True)
class SpoolClaim:
    def run(self, io: SyncIO) -> Claim | None:
        return io.spool.claim()

    async def arun(self, io: AsyncIO) -> Claim | None:
        return await asyncio.to_thread(io.spool.claim)


@dataclass(frozen=True, slots=True)
class SpoolRelease:
    claim: Claim
    sent: int

    def run(self, io: SyncIO) -> None:
        self.claim.release(self.sent)

    async def arun(self, io: AsyncIO) -> None:
        await asyncio.to_thread(self.claim.release, self.sent)


def batch_body(records: Sequence[Record]) -> bytes:
    return pydantic_core.to_json(
        {"events": [r.event for r in records], "idempotency_keys": [r.key for r in records]}
    )


class BatchCore:
    """Queue, spool state and the delivery procedures shared by both workers."""

    def __init__(
        self,
        spool: Spool,
        policy: RetryPolicy,
        *,
        batch_size: int = 1000,
        flush_interval: float = 0.1,
        max_queue: int = 100_000,
    ) -> None:
        if not 1 <= batch_size <= MAX_SERVER_BATCH:
            raise ValueError(f"batch_size must be 1..{MAX_SERVER_BATCH}, not {batch_size}")
        if flush_interval <= 0:
            raise ValueError(f"flush_interval must be > 0 seconds, not {flush_interval}")
        if max_queue < batch_size:
            raise ValueError(f"max_queue ({max_queue}) must be >= batch_size ({batch_size})")
        self.spool = spool
        self.policy = policy
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.max_queue = max_queue
        self.queue: deque[Item] = deque()
        self.spool_pending = spool.has_pending()  # an earlier process may have left some
        self._backoff = PROBE_MIN
        self._next_probe = 0.0  # monotonic time of the next attempt to drain the spool
        self.last_error: str | None = None
        # Guards spool_pending against a drain finishing while another thread spools a call.
        self._lock = threading.Lock()
        self._appends = 0

    # -- server state (a small circuit breaker) ----------------------------------------------------
    @property
    def down(self) -> bool:
        """The server failed recently: new batches join the spool until the next probe."""
        return self.spool_pending and time.monotonic() < self._next_probe

    def probe_due(self) -> bool:
        return self.spool_pending and time.monotonic() >= self._next_probe

    def seconds_to_probe(self) -> float:
        return max(0.0, self._next_probe - time.monotonic())

    def mark_down(self, error: BaseException) -> None:
        self.last_error = str(error)
        self._next_probe = time.monotonic() + self._backoff
        self._backoff = min(PROBE_MAX, self._backoff * 2)

    def mark_up(self) -> None:
        """The server answered: probe at once (a decision that got through means it is back)."""
        self._backoff = PROBE_MIN
        self._next_probe = 0.0

    def spooled(self, records: Sequence[Record], error: BaseException) -> Procedure:
        """Keep records on disk until the server is back."""
        yield SpoolAppend(records)
        with self._lock:
            self._appends += 1
            was_pending, self.spool_pending = self.spool_pending, True
        if not was_pending:
            log.warning(
                "agentaudit: server unavailable (%s); spooling events to %s",
                error,
                self.spool.directory,
            )
            self.mark_down(error)

    # -- procedures --------------------------------------------------------------------------------
    def take(self) -> list[Record]:
        n = min(len(self.queue), self.batch_size)
        popleft = self.queue.popleft
        records = []
        for _ in range(n):
            event, key = popleft()
            records.append(Record(key or new_key(), event))
        return records

    def spool_queue(self) -> None:
        """Move whatever is still queued to the spool, synchronously (exit paths only)."""
        records: list[Record] = []
        while self.queue:
            records.extend(self.take())
        if not records:
            return
        try:
            self.spool.append(records)
        except Exception:
            log.exception("agentaudit: could not spool %d queued events", len(records))
            return
        with self._lock:
            self._appends += 1
            self.spool_pending = True
        log.warning(
            "agentaudit: %d queued event(s) written to the spool %s; the next client sends them",
            len(records),
            self.spool.directory,
        )

    def send(self, records: Sequence[Record], retries: int) -> Procedure:
        """Store records on the server. Those it refuses for good (a batch is split to find them)
        go to the rejects file; an error meaning "not now" is raised for the caller to spool."""
        call = Call("POST", "/v1/events/batch", body=batch_body(records))
        try:
            yield from request(call, self.policy, retries)
        except APIStatusError as exc:
            if exc.status_code not in REFUSED_FOR_GOOD:
                raise
            if len(records) == 1:
                yield SpoolReject(records, str(exc))
                return
            mid = len(records) // 2
            yield from self.send(records[:mid], retries)
            yield from self.send(records[mid:], retries)

    def deliver(self, records: list[Record], *, force: bool = False) -> Procedure:
        """Send one batch, or spool it; never raises for the server's absence."""
        if self.spool_pending and (force or self.probe_due()):
            yield from self.drain()
        if self.down:
            yield from self.spooled(records, RuntimeError(self.last_error or "server down"))
            return
        try:
            yield from self.send(records, self.policy.max_retries)
        except AgentAuditError as exc:
            if not (unavailable(exc) or getattr(exc, "status_code", None) == 401):
                raise
            yield from self.spooled(records, exc)

    def idle_wait(self) -> float:
        """How long the worker may sleep: the flush interval, or until the next probe."""
        if self.spool_pending and not self.queue:
            return min(max(self.seconds_to_probe(), 0.001), 1.0)
        return self.flush_interval

    def round(self, urgent: bool) -> Procedure:
        """One wake-up of the worker: send what is queued in batches (all of it when `urgent`,
        i.e. on flush/close; else full batches plus one partial per interval), and re-send
        the spool when a probe is due (or at once when urgent)."""
        forced = urgent
        while self.queue:
            records = self.take()
            try:
                yield from self.deliver(records, force=forced)
            except BaseException:
                # back in front, with the keys they were given (queued events are EventIn)
                self.queue.extendleft((cast(EventIn, r.event), r.key) for r in reversed(records))
                raise
            forced = False
            if len(self.queue) < self.batch_size and not urgent:
                break
        if self.spool_pending and (forced or self.probe_due()):
            yield from self.drain()

    def drain(self) -> Procedure:
        """Re-send everything spooled (by any process); True when the spool is empty."""
        with self._lock:
            appends = self._appends
        claim: Claim | None = yield SpoolClaim()
        if claim is None:  # another process is draining; look again later
            self.mark_down(RuntimeError("another process is sending the spool"))
            return False
        sent = 0
        error: BaseException | None = None
        try:
            for start in range(0, len(claim.records), self.batch_size):
                chunk = claim.records[start : start + self.batch_size]
                yield from self.send(chunk, 0)
                sent += len(chunk)
        except AgentAuditError as exc:
            error = exc
        except BaseException:
            claim.release(sent)  # cancelled or a bug: keep what was not acknowledged
            raise
        yield SpoolRelease(claim, sent)
        if error is not None:
            self.mark_down(error)
            return False
        if sent:
            log.warning("agentaudit: server back; sent %d spooled event(s)", sent)
        with self._lock:
            if self._appends == appends:  # else a call was spooled meanwhile: stay pending
                self.spool_pending = self.spool.has_pending()
        self.mark_up()
        return not self.spool_pending


class Batcher:
    """The worker thread of `RemoteBackend`. Started on first use; flushed at interpreter exit."""

    def __init__(self, core: BatchCore, io: SyncIO, drive: Callable[[Procedure, SyncIO], Any]):
        self.core = core
        self._io = io
        self._drive = drive
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._flush_requested = 0
        self._flushed = 0
        self._closed = False

    def after_fork(self) -> None:
        """In a forked child: the parent's thread does not exist here and its queue is the
        parent's to send; start afresh."""
        self._cond = threading.Condition()
        self._thread = None
        self._flush_requested = self._flushed = 0
        self.core.queue.clear()
        self.core._lock = threading.Lock()
        self.core.spool._lock = threading.Lock()

    def submit(self, event: EventIn, key: str | None) -> None:
        """The caller's whole cost of `log(wait=False)`: an append (and, rarely, a wake-up)."""
        queue = self.core.queue
        if len(queue) >= self.core.max_queue:
            self._wait_for_room()
        if self._closed:
            raise AgentAuditError("the audit client is closed")
        queue.append((event, key))
        if self._thread is None:
            self.start()
        if len(queue) == self.core.batch_size:
            with self._cond:
                self._cond.notify_all()

    def _wait_for_room(self) -> None:
        """Back-pressure: an accepted event is never dropped, so a full queue makes callers wait
        (the worker empties it to the server or, if it is away, to disk)."""
        with self._cond:
            while len(self.core.queue) >= self.core.max_queue and not self._closed:
                self._cond.notify_all()
                self._cond.wait(0.01)

    def start(self) -> None:
        with self._cond:
            if self._thread is not None or self._closed:
                return
            self._thread = threading.Thread(
                target=self._run, name="agentaudit-batcher", daemon=True
            )
            self._thread.start()
        call_at_exit(self, Batcher.close)

    def _run(self) -> None:
        core = self.core
        while True:
            with self._cond:
                if (
                    len(core.queue) < core.batch_size
                    and not self._closed
                    and self._flushed == self._flush_requested
                ):
                    self._cond.wait(core.idle_wait())
                flush, closing = self._flush_requested, self._closed
            urgent = flush != self._flushed or closing
            try:
                self._drive(core.round(urgent), self._io)
            except Exception:  # disk full or a bug: keep the events, say so, try again later
                log.exception("agentaudit: background delivery failed; will retry")
                time.sleep(min(1.0, core.flush_interval * 10))
            with self._cond:
                self._flushed = flush
                self._cond.notify_all()
                if closing and not core.queue:
                    return

    def flush(self, timeout: float | None = None) -> None:
        """Wait until everything queued before this call is on the server or on disk (and try
        once to send what is spooled)."""
        self.start()
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._flush_requested += 1
            target = self._flush_requested
            self._cond.notify_all()
            while self._flushed < target and self._thread is not None and self._thread.is_alive():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return
                self._cond.wait(0.1 if left is None else min(left, 0.1))

    def close(self) -> None:
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self.core.spool_queue()  # the worker never ran or died: keep the events on disk


class AsyncBatcher:
    """The worker task of `AsyncRemoteBackend`, started on first use in the running loop.

    An async client that is never closed cannot flush at interpreter exit (its loop is gone):
    whatever is still queued then is written to the spool and sent by the next client.
    """

    def __init__(
        self, core: BatchCore, io: AsyncIO, drive: Callable[[Procedure, AsyncIO], Any]
    ) -> None:
        self.core = core
        self._io = io
        self._drive = drive
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._flush_waiters: list[asyncio.Future[None]] = []
        self._closed = False
        call_at_exit(self, AsyncBatcher.spool_leftovers)

    def _ensure_task(self) -> asyncio.Event:
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._loop is not loop:
            self._loop = loop
            self._wake = asyncio.Event()
            self._task = loop.create_task(self._run(), name="agentaudit-batcher")
        assert self._wake is not None
        return self._wake

    async def submit(self, event: EventIn, key: str | None) -> None:
        if self._closed:
            raise AgentAuditError("the audit client is closed")
        wake = self._ensure_task()
        queue = self.core.queue
        while len(queue) >= self.core.max_queue:  # back-pressure, never a drop
            wake.set()
            await asyncio.sleep(0.01)
        queue.append((event, key))
        if len(queue) == self.core.batch_size:
            wake.set()

    def start(self) -> None:
        self._ensure_task()

    async def _run(self) -> None:
        core = self.core
        assert self._wake is not None
        wake = self._wake
        while True:
            if len(core.queue) < core.batch_size and not self._flush_waiters and not self._closed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), core.idle_wait())
            wake.clear()
            waiters, self._flush_waiters = self._flush_waiters, []
            try:
                await self._drive(core.round(bool(waiters) or self._closed), self._io)
            except Exception:
                log.exception("agentaudit: background delivery failed; will retry")
                await asyncio.sleep(min(1.0, core.flush_interval * 10))
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)
            if self._closed and not core.queue:
                return

    async def flush(self) -> None:
        wake = self._ensure_task()
        waiter = asyncio.get_running_loop().create_future()
        self._flush_waiters.append(waiter)
        wake.set()
        await waiter

    async def close(self) -> None:
        if self._closed:
            return
        if (
            self._task is not None
            and not self._task.done()
            and self._loop is asyncio.get_running_loop()
        ):
            await self.flush()
            self._closed = True
            assert self._wake is not None
            self._wake.set()
            await self._task
        self._closed = True
        self.spool_leftovers()

    def spool_leftovers(self) -> None:
        """Write what is still queued to the spool (at exit, when no loop can send it)."""
        self.core.spool_queue()
