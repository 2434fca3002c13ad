"""Write-behind for the embedded store: decisions are made in the caller's thread, storage is
group-committed by one writer thread.

Used by `log(..., wait=False)` and by the framework adapters in embedded mode, where the decision
is needed at once but a commit per call would cost more than the call's whole audit budget.
Queued events are committed within `interval` seconds, on `flush()`, on `close()` and at
interpreter exit.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence

from agentaudit._exit import call_at_exit
from agentaudit.store import NewEvent

log = logging.getLogger("agentaudit")


class BackgroundWriter:
    def __init__(
        self,
        write: Callable[[Sequence[NewEvent]], object],
        *,
        interval: float = 0.02,
        max_batch: int = 1000,
        max_queue: int = 100_000,
    ) -> None:
        self._write = write
        self._interval = interval
        self._max_batch = max_batch
        self._max_queue = max_queue
        self._queue: deque[NewEvent] = deque()
        self._cond = threading.Condition()
        self._in_flight = 0
        self._closed = False
        self.failed = 0
        self._thread = threading.Thread(target=self._run, name="agentaudit-writer", daemon=True)
        self._thread.start()
        call_at_exit(self, BackgroundWriter.close)

    def submit(self, item: NewEvent) -> None:
        with self._cond:
            if self._closed:
                raise RuntimeError("the audit client is closed")
            while len(self._queue) >= self._max_queue:
                self._cond.wait()  # back-pressure: never drop an accepted event
            self._queue.append(item)
            if len(self._queue) >= self._max_batch:
                self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._queue and not self._closed:
                    self._cond.wait(self._interval)
                if not self._queue:
                    if self._closed:
                        return
                    continue
                n = min(len(self._queue), self._max_batch)
                batch = [self._queue.popleft() for _ in range(n)]
                self._in_flight = n
            try:
                self._write(batch)
            except Exception:  # the store failed: keep the events and retry, never drop them
                log.exception("agentaudit: writing %d queued events failed; will retry", n)
                self.failed += 1
                with self._cond:
                    self._queue.extendleft(reversed(batch))
                    self._in_flight = 0
                    self._cond.wait(min(1.0, self._interval * 10))
                    continue
            with self._cond:
                self._in_flight = 0
                self._cond.notify_all()

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Wait until every event submitted so far is committed."""
        with self._cond:
            self._cond.notify_all()
            return self._cond.wait_for(lambda: not self._queue and not self._in_flight, timeout)

    def close(self) -> None:
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
        self._thread.join()
