"""The options a client is made with, in one object shared by every constructor.

`AgentAudit(...)` and `AsyncAgentAudit(...)` take the same keywords; they are checked once, here,
into a `ClientOptions` that the backends receive whole (as httpx and the OpenAI SDK share their
clients' options in one base). `None` means "the default": the remote backend fills those in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from agentaudit.errors import ConfigurationError
from agentaudit.protocols import FailMode, Mode

if TYPE_CHECKING:
    import httpx

FAIL_MODES: tuple[FailMode, ...] = ("closed", "open")
# Used by the remote backend only; giving one to an embedded client is a mistake worth saying.
REMOTE_ONLY = ("timeout", "max_retries", "batch_size", "flush_interval", "max_queue", "spool_dir")


def check_fail_mode(value: str) -> FailMode:
    for mode in FAIL_MODES:
        if value == mode:
            return mode
    raise ConfigurationError(f"fail_mode must be 'closed' or 'open', not {value!r}")


@dataclass(frozen=True, slots=True)
class ClientOptions:
    """How a client was asked to work. `base_url` set (argument or $AGENTAUDIT_URL) = remote.

    Both modes: `fail_mode` ("closed" blocks, "open" allows when no decision can be had) and
    `background` (`log()` defaults to `wait=False`). Embedded only: `db_path`. Remote only:
    `api_key`, `timeout` (seconds per attempt, default 5), `max_retries` (default 2),
    `batch_size` (default 1000), `flush_interval` (seconds, default 0.1), `max_queue` (default
    100,000), `spool_dir` (default $AGENTAUDIT_SPOOL_DIR or ~/.cache/agentaudit/spool).
    """

    api_key: str | None = None
    base_url: str | None = None
    db_path: str | Path | None = None
    fail_mode: FailMode = "closed"
    background: bool = False
    timeout: float | httpx.Timeout | None = None
    max_retries: int | None = None
    batch_size: int | None = None
    flush_interval: float | None = None
    max_queue: int | None = None
    spool_dir: str | Path | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fail_mode", check_fail_mode(self.fail_mode))
        object.__setattr__(self, "background", bool(self.background))
        if not self.base_url:  # "" as unset, like an empty variable
            object.__setattr__(self, "base_url", os.environ.get("AGENTAUDIT_URL") or None)
        if self.base_url is not None and self.db_path is not None:
            raise ConfigurationError(
                "give either base_url (remote) or db_path (embedded), not both"
            )
        if self.base_url is None:
            given = sorted(name for name in REMOTE_ONLY if getattr(self, name) is not None)
            if given:
                raise ConfigurationError(
                    f"options only used in remote mode (no base_url or AGENTAUDIT_URL): {given}"
                )

    @property
    def mode(self) -> Mode:
        return "remote" if self.base_url is not None else "embedded"

    def __repr__(self) -> str:  # never the key
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}"
            for f in fields(self)
            if f.name != "api_key" and getattr(self, f.name) is not None
        )
        return f"ClientOptions({shown})"
