"""Plumbing every framework adapter needs besides the guard (`_guard.py`).

- `require_framework`: import the framework on first use, or fail with one line naming the extra;
- `ToolError`: a tool failure the framework turned into text or a message, logged as
  `<tool>.error`;
- `RecentCalls`: what one hook of a tool call leaves for a later hook of the same call (the
  model's text until the tool starts, the verdict until the tool returns), bounded;
- the checks the adapters' constructors share.
"""

from __future__ import annotations

import inspect
import threading
from collections import OrderedDict
from collections.abc import Hashable
from types import ModuleType
from typing import Any, Generic, TypeGuard, TypeVar

from agentaudit.errors import ConfigurationError
from agentaudit.extras import require
from agentaudit.protocols import AsyncAuditClient, AuditClient

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ToolError(Exception):
    """A tool's failure that the framework turned into text for the model (logged as
    `<tool>.error`); the original exception never reaches the adapter."""


def require_framework(adapter: str, extra: str, *modules: str) -> ModuleType:
    """Import the framework's `modules` (returning the last) or raise an ImportError naming
    the extra to install, e.g. "pip install 'agentaudit[crewai]'"."""
    return require(f"the AgentAudit {adapter} adapter", extra, *modules)[-1]


def is_async_client(audit: AuditClient | AsyncAuditClient) -> TypeGuard[AsyncAuditClient]:
    """Whether `audit.log` must be awaited (`AsyncAgentAudit`, or an async test double)."""
    return inspect.iscoroutinefunction(getattr(audit, "log", None))


def require_sync_client(audit: AuditClient | AsyncAuditClient, why: str) -> None:
    """Refuse an async client where the framework calls the adapter synchronously."""
    if not callable(getattr(audit, "log", None)):
        raise TypeError(f"audit must be an AgentAudit client, not {type(audit).__name__}")
    if is_async_client(audit):
        raise ConfigurationError(f"{why}: give it AgentAudit, not AsyncAgentAudit")


def context_dict(context: dict[str, Any] | None) -> dict[str, Any]:
    """A copy of the caller's extra event context (checked: a dict or nothing)."""
    if context is not None and not isinstance(context, dict):
        raise TypeError(f"context must be a dict, not {type(context).__name__}")
    return dict(context or {})


class RecentCalls(Generic[K, V]):
    """A thread-safe mapping that keeps only the `limit` most recently set entries.

    Hooks of one tool call often run apart (the model's turn, then the tool; before and after
    the tool, on different threads); what the first leaves for the second waits here. A call
    whose second hook never comes (an aborted run) is forgotten once `limit` newer ones came.
    """

    def __init__(self, limit: int) -> None:
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self.limit = limit

    def __len__(self) -> int:
        return len(self._items)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def get(self, key: K) -> V | None:
        with self._lock:
            return self._items.get(key)

    def pop(self, key: K) -> V | None:
        with self._lock:
            return self._items.pop(key, None)
