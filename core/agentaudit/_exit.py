"""Work left for interpreter exit, without keeping anything alive for it."""

from __future__ import annotations

import atexit
import weakref
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def call_at_exit(obj: T, method: Callable[[T], object]) -> None:
    """At exit, `method(obj)` if `obj` still exists (it is held weakly: a client that was
    closed and dropped costs nothing at exit)."""
    ref = weakref.ref(obj)

    def at_exit() -> None:
        alive = ref()
        if alive is not None:
            method(alive)

    atexit.register(at_exit)
