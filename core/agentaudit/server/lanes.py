"""Where the server classifies: in two threads of its own, never on the event loop.

Classifying is pure CPU and holds the GIL. On the loop, one big or adversarial event would stall
every other request of the process, `/health` included. Each lane is one thread, so events are
classified one at a time in arrival order (threads side by side would only take turns on the
GIL, paying for every switch). Small single events have their own lane, so they never queue
behind a big event or a batch; while a lane classifies, the loop still serves: it gets the GIL
back within one switch interval (5 ms), and the classifier bounds how long any one of its
calls holds it.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

SMALL_BODY = 16 * 1024  # single-event bodies up to this size take the small lane


BIG_EVENT_SWITCH_INTERVAL = 0.001


def _sharing_the_gil(fn: Callable[..., T], *args: Any) -> T:
    """Run `fn` with a shorter GIL switch interval: a single big event may take seconds to
    classify, and every thread that needs the GIL meanwhile (the event loop answering
    /health, the other lane, the committer) would wait up to 5 ms for each turn. Batches keep
    the default (a shorter interval costs throughput)."""
    default = sys.getswitchinterval()
    sys.setswitchinterval(min(default, BIG_EVENT_SWITCH_INTERVAL))
    try:
        return fn(*args)
    finally:
        sys.setswitchinterval(default)


class ClassifyLanes:
    def __init__(self) -> None:
        self._small = ThreadPoolExecutor(1, thread_name_prefix="agentaudit-classify")
        self._large = ThreadPoolExecutor(1, thread_name_prefix="agentaudit-classify-large")

    async def small(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` in the small events' lane."""
        return await asyncio.get_running_loop().run_in_executor(self._small, fn, *args)

    async def large(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` in the lane of big events and batches."""
        return await asyncio.get_running_loop().run_in_executor(self._large, fn, *args)

    async def for_body(self, size: int, fn: Callable[..., T], *args: Any) -> T:
        if size <= SMALL_BODY:
            return await self.small(fn, *args)
        return await self.large(_sharing_the_gil, fn, *args)

    def close(self) -> None:
        """Finish what is running, then stop both threads."""
        self._small.shutdown(wait=True, cancel_futures=True)
        self._large.shutdown(wait=True, cancel_futures=True)
