"""One event to an AgentAudit server with the standard library only (httpx alone costs the hook
more start-up time than a whole round trip), and where the SDK keeps its disk spool.

The SDK's remote client (`agentaudit.remote`) is the full-featured path; this is the hook's
minimal one: one POST, one retry for answers that mean "not now", typed outcomes.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

TYPE_CHECKING = False  # `typing` costs the hook start-up time
if TYPE_CHECKING:
    from typing import Any

USER_AGENT = "agentaudit-hook/0.1.0"
RETRY_DELAY = 0.2  # seconds before the single retry
MAX_RETRY_AFTER = 1.0  # a hook cannot wait longer for a busy server

# Mirrors agentaudit.spool (tests/test_hook.py checks that both name the same files): importing
# that module costs the pydantic models, which the common path of the hook never needs.
SPOOL_FILE = "spool.jsonl"
SENDING_PREFIX = "sending-"


class Unavailable(Exception):
    """No answer now (connection refused, timeout, 429, 5xx): spool the event and fall back."""

    def __init__(self, message: str, retry_after: str | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Refused(Exception):
    """A final answer other than success (400, 401, 413, 422, …): sending again will not help."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"{status} from the AgentAudit server: {detail}")
        self.status = status


def normalise_url(url: str) -> str:
    """The base URL as the SDK keeps it (its spool directory is named after this text)."""
    base = url.strip().rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the server URL must be http:// or https:// with a host, not {url!r}")
    return base


def post_event(
    base_url: str, api_key: str, body: bytes, idempotency_key: str, timeout: float
) -> dict[str, Any]:
    """POST /v1/events; the stored event as a dict. Raises `Unavailable` or `Refused`."""
    last: Unavailable | None = None
    for attempt in range(2):
        if attempt:
            time.sleep(_retry_delay(last))
        try:
            status, headers, data = _post(base_url, api_key, body, idempotency_key, timeout)
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, DNS, timeout
            last = Unavailable(f"{type(exc).__name__}: {exc}")
            continue
        if status == 429 or status >= 500:
            message = f"{status} from the AgentAudit server: {_detail(data)}"
            last = Unavailable(message, headers.get("retry-after"))
            continue
        if status >= 300:
            raise Refused(status, _detail(data))
        try:
            event = json.loads(data)
        except ValueError:
            raise Refused(status, "the answer is not JSON") from None
        if not isinstance(event, dict) or event.get("decision") not in ("allow", "block", "review"):
            raise Refused(status, "the answer carries no decision")
        return event
    assert last is not None
    raise last


def _post(
    base_url: str, api_key: str, body: bytes, idempotency_key: str, timeout: float
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(base_url)
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=timeout
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        conn.request(
            "POST",
            f"{parts.path}/v1/events",
            body=body,
            headers={
                "Authorization": f"Bearer {api_key}",
                "Content-Type": "application/json",
                "Idempotency-Key": idempotency_key,
                "User-Agent": USER_AGENT,
            },
        )
        response = conn.getresponse()
        data = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, headers, data
    finally:
        conn.close()


def _retry_delay(error: Unavailable | None) -> float:
    value = error.retry_after if error is not None else None
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER) if value else RETRY_DELAY
    except ValueError:  # an HTTP date: not worth parsing for a one-second cap
        return RETRY_DELAY


def _detail(data: bytes) -> str:
    try:
        body = json.loads(data)
    except ValueError:
        return data[:300].decode("utf-8", "replace") or "(empty body)"
    detail = body.get("detail", body) if isinstance(body, dict) else body
    return (detail if isinstance(detail, str) else json.dumps(detail))[:500]


# -- the SDK's spool, located without importing it ------------------------------------------------
def spool_root() -> Path:
    """As agentaudit.spool.default_spool_root."""
    if os.environ.get("AGENTAUDIT_SPOOL_DIR"):
        return Path(os.environ["AGENTAUDIT_SPOOL_DIR"])
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "agentaudit" / "spool"


def spool_directory(base_url: str, api_key: str) -> Path:
    """As agentaudit.spool.spool_dir: one directory per server and key, named by a hash."""
    digest = hashlib.sha256(f"{base_url}\0{api_key}".encode()).hexdigest()[:24]
    return spool_root() / digest


def spool_pending(directory: Path) -> bool:
    """Whether events wait in the spool (cheap: a stat and a directory listing)."""
    try:
        if (directory / SPOOL_FILE).stat().st_size > 0:
            return True
        return any(directory.glob(f"{SENDING_PREFIX}*.jsonl"))
    except FileNotFoundError:
        return any(directory.glob(f"{SENDING_PREFIX}*.jsonl"))
    except OSError:
        return False
