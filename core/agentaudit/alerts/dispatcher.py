"""Delivering alerts without ever slowing ingest.

The committer calls `notify` after a commit has been acknowledged: it only picks the events
that fire something (a block, a review, a critical risk, an approval) and puts them on a
bounded in-memory queue, never waiting (a full queue drops the alert and the drop is logged).
One background thread per server process takes alerts off the queue, finds the organisation's
webhooks that want them, and delivers: the target is checked against SSRF (ssrf.py) before every
attempt and called at the very address checked, without following redirects; network errors,
429 and 5xx are retried with exponential back-off and jitter up to MAX_ATTEMPTS; each attempt is
written to the delivery log.

Alerts live in memory only: those still queued or waiting for a retry when the server stops are
logged as dropped, and a crash loses them (the events themselves are committed and in the trail).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import queue
import random
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from ulid import ULID

from agentaudit.alerts.format import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    TRIGGER_HEADER,
    alert_document,
    body_of,
    event_summary,
    sign,
    triggers_of,
)
from agentaudit.alerts.models import Delivery, Outcome, StoredWebhook
from agentaudit.alerts.ssrf import (
    Target,
    Unresolvable,
    UnsafeTarget,
    allow_private_from_env,
    check_url,
)
from agentaudit.alerts.store import WebhookStore
from agentaudit.models import Event

log = logging.getLogger("agentaudit.alerts")

QUEUE_SIZE = 1000
MAX_ATTEMPTS = 5
TIMEOUT_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 3.0
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0
HOOKS_TTL_SECONDS = 2.0  # another server process may change the webhooks: re-read this often
USER_AGENT = "AgentAudit-Webhook/1"


@dataclass(frozen=True)
class _Alert:
    org_id: str
    event_id: str | None
    triggers: tuple[str, ...]
    summary: dict[str, Any]


@dataclass(order=True)
class _Attempt:
    due: float
    order: int
    org_id: str = field(compare=False)
    hook: StoredWebhook = field(compare=False)
    alert: _Alert = field(compare=False)
    delivery_id: str = field(compare=False)
    body: bytes = field(compare=False)
    number: int = field(compare=False, default=1)
    fired: tuple[str, ...] = field(compare=False, default=())  # what this webhook asked for

    def again(self, due: float, order: int) -> _Attempt:
        return _Attempt(
            due,
            order,
            self.org_id,
            self.hook,
            self.alert,
            self.delivery_id,
            self.body,
            self.number + 1,
            self.fired,
        )


@dataclass(frozen=True)
class AttemptResult:
    outcome: Outcome
    http_status: int | None
    error: str | None
    duration_ms: int | None
    retry_after: float | None = None


def backoff(attempt: int, base: float = BACKOFF_BASE_SECONDS) -> float:
    """Seconds before attempt `attempt + 1`: base·2^(attempt-1), capped, with jitter (half to
    all of it), so receivers that failed together are not retried together."""
    delay = min(BACKOFF_MAX_SECONDS, base * 2 ** (attempt - 1))
    return delay * random.uniform(0.5, 1.0)


class WebhookDispatcher:
    def __init__(
        self,
        store: WebhookStore,
        *,
        allow_private: bool | None = None,
        queue_size: int = QUEUE_SIZE,
        max_attempts: int = MAX_ATTEMPTS,
        timeout: float = TIMEOUT_SECONDS,
        backoff_base: float = BACKOFF_BASE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        """`verify`: how receivers' TLS certificates are checked (httpx's `verify`; the
        default trusts the usual public CAs)."""
        self._store = store
        self.allow_private = allow_private_from_env() if allow_private is None else allow_private
        self._queue: queue.Queue[_Alert] = queue.Queue(maxsize=queue_size)
        self._dropped: deque[_Alert] = deque(maxlen=queue_size)
        self._max_attempts = max_attempts
        self._timeout = httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT_SECONDS))
        self._backoff_base = backoff_base
        self._clock = clock
        self._verify = verify
        self._hooks: dict[str, tuple[float, list[StoredWebhook]]] = {}
        self._pending: list[_Attempt] = []  # a heap by due time
        self._order = itertools.count()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # -- called by the committer (any thread): never blocks ----------------------------------
    def notify(self, org_id: str, events: Sequence[Event]) -> None:
        """Queue an alert for each committed event that fires something."""
        for event in events:
            triggers = triggers_of(event)
            if not triggers:
                continue
            alert = _Alert(org_id, event.id, tuple(t.value for t in triggers), event_summary(event))
            self._ensure_started()
            try:
                self._queue.put_nowait(alert)
            except queue.Full:
                self._dropped.append(alert)

    def forget(self, org_id: str) -> None:
        """The organisation's webhooks changed through this process: re-read them."""
        self._hooks.pop(org_id, None)

    def start(self) -> WebhookDispatcher:
        self._ensure_started()
        return self

    def _ensure_started(self) -> None:
        if self._thread is not None or self._stop.is_set():
            return
        with self._lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(
                    target=self._run, name="agentaudit-webhooks", daemon=True
                )
                self._thread.start()

    def close(self, timeout: float = TIMEOUT_SECONDS + 2) -> None:
        """Stop the thread (after the attempt in flight); what is left is logged as dropped."""
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    # -- the test button -------------------------------------------------------------------
    def send_test(self, org_id: str, hook: StoredWebhook) -> Delivery:
        """One attempt with a sample alert, now, in the caller's thread; logged like any other
        (trigger "test"), never retried: the person who pressed the button sees the result."""
        now = datetime.now(UTC)
        summary: dict[str, Any] = {
            "id": None,
            "time": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "agent_id": "agentaudit-test",
            "action": "webhook_test",
            "decision": "block",
            "risk_level": "critical",
            "reason": "a test alert sent from AgentAudit (nothing happened)",
            "rule": None,
            "rules": [],
            "articles": {},
        }
        alert = _Alert(org_id, None, ("test",), summary)
        delivery_id = str(ULID())
        body = body_of(alert_document(summary, ["test"], delivery_id, test=True), hook.format)
        attempt = _Attempt(0.0, 0, org_id, hook, alert, delivery_id, body, 1, ("test",))
        result = self.deliver(attempt)
        outcome = Outcome.FAILED if result.outcome == Outcome.RETRYING else result.outcome
        return self._log(attempt, AttemptResult(outcome, *_rest(result)))

    # -- the worker --------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            wait = 0.5
            if self._pending:
                wait = max(0.0, min(wait, self._pending[0].due - self._clock()))
            try:
                alert = self._queue.get(timeout=wait) if wait > 0 else self._queue.get_nowait()
            except queue.Empty:
                alert = None
            try:
                if alert is not None:
                    self._expand(alert)
                while self._dropped:
                    self._log_drop(self._dropped.popleft(), "the delivery queue was full")
                while self._pending and self._pending[0].due <= self._clock():
                    if self._stop.is_set():
                        break
                    self._attempt(heapq.heappop(self._pending))
            except Exception:  # the store went away for a moment: keep serving
                log.exception("webhook delivery failed unexpectedly")
        self._drain()

    def _drain(self) -> None:
        with contextlib.suppress(Exception):
            while True:
                try:
                    alert = self._queue.get_nowait()
                except queue.Empty:
                    break
                self._log_drop(alert, "the server stopped before delivery")
            while self._dropped:
                self._log_drop(self._dropped.popleft(), "the delivery queue was full")
            for attempt in self._pending:
                self._log(
                    attempt,
                    AttemptResult(
                        Outcome.DROPPED, None, "the server stopped before this attempt", None
                    ),
                )
            self._pending.clear()

    def _hooks_of(self, org_id: str) -> list[StoredWebhook]:
        now = self._clock()
        cached = self._hooks.get(org_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        hooks = [h for h in self._store.list_webhooks(org_id) if h.enabled]
        self._hooks[org_id] = (now + HOOKS_TTL_SECONDS, hooks)
        return hooks

    def _wanted(self, alert: _Alert) -> list[StoredWebhook]:
        return [
            h
            for h in self._hooks_of(alert.org_id)
            if any(t.value in alert.triggers for t in h.events)
        ]

    def _expand(self, alert: _Alert) -> None:
        for hook in self._wanted(alert):
            fired = tuple(t for t in alert.triggers if t in {e.value for e in hook.events})
            delivery_id = str(ULID())
            body = body_of(alert_document(alert.summary, fired, delivery_id), hook.format)
            attempt = _Attempt(
                self._clock(),
                next(self._order),
                alert.org_id,
                hook,
                alert,
                delivery_id,
                body,
                1,
                fired,
            )
            heapq.heappush(self._pending, attempt)

    def _log_drop(self, alert: _Alert, why: str) -> None:
        for hook in self._wanted(alert):
            attempt = _Attempt(0.0, 0, alert.org_id, hook, alert, str(ULID()), b"", 0)
            self._log(attempt, AttemptResult(Outcome.DROPPED, None, why, None))

    def _attempt(self, attempt: _Attempt) -> None:
        result = self.deliver(attempt)
        if result.outcome == Outcome.RETRYING:
            if attempt.number >= self._max_attempts:
                result = AttemptResult(Outcome.FAILED, *_rest(result))
            else:
                delay = backoff(attempt.number, self._backoff_base)
                if result.retry_after is not None:
                    delay = max(delay, min(result.retry_after, BACKOFF_MAX_SECONDS))
                heapq.heappush(
                    self._pending, attempt.again(self._clock() + delay, next(self._order))
                )
        self._log(attempt, result)

    def _log(self, attempt: _Attempt, result: AttemptResult) -> Delivery:
        delivery = Delivery(
            id=str(ULID()),
            webhook_id=attempt.hook.id,
            delivery_id=attempt.delivery_id,
            event_id=attempt.alert.event_id,
            trigger=",".join(attempt.fired or attempt.alert.triggers),
            attempt=attempt.number,
            outcome=result.outcome,
            http_status=result.http_status,
            error=result.error,
            duration_ms=result.duration_ms,
            created_at=datetime.now(UTC),
        )
        try:
            self._store.add_delivery(attempt.org_id, delivery)
        except Exception:
            log.exception("could not log a webhook delivery")
        return delivery

    # -- one HTTP attempt ------------------------------------------------------------------
    def deliver(self, attempt: _Attempt) -> AttemptResult:
        """POST the body once. RETRYING: worth another try (network error, 429, 5xx)."""
        hook = attempt.hook
        started = time.monotonic()

        def took() -> int:
            return int((time.monotonic() - started) * 1000)

        try:
            target = check_url(hook.url, allow_private=self.allow_private)
        except Unresolvable as exc:
            return AttemptResult(Outcome.RETRYING, None, str(exc), took())
        except UnsafeTarget as exc:
            return AttemptResult(Outcome.REFUSED, None, str(exc), took())
        timestamp = int(time.time())
        default_port = 443 if target.scheme == "https" else 80
        host = target.host if ":" not in target.host else f"[{target.host}]"
        headers = {
            "Host": host if target.port == default_port else f"{host}:{target.port}",
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(hook.secret, timestamp, attempt.body),
            DELIVERY_HEADER: attempt.delivery_id,
            TRIGGER_HEADER: ",".join(attempt.fired or attempt.alert.triggers),
        }
        try:
            with httpx.Client(
                timeout=self._timeout,
                follow_redirects=False,
                trust_env=False,
                verify=self._verify,
            ) as client:
                status, retry_after = _post(client, target, hook.url, attempt.body, headers)
        except httpx.HTTPError as exc:
            detail = str(exc) or type(exc).__name__
            return AttemptResult(Outcome.RETRYING, None, f"{type(exc).__name__}: {detail}", took())
        if 200 <= status < 300:
            return AttemptResult(Outcome.DELIVERED, status, None, took())
        if status == 429 or status >= 500:
            return AttemptResult(Outcome.RETRYING, status, f"HTTP {status}", took(), retry_after)
        if 300 <= status < 400:
            return AttemptResult(
                Outcome.FAILED, status, f"HTTP {status}: redirects are not followed", took()
            )
        return AttemptResult(Outcome.FAILED, status, f"HTTP {status}", took())


def _post(
    client: httpx.Client, target: Target, url: str, body: bytes, headers: dict[str, str]
) -> tuple[int, float | None]:
    """POST to the target's checked addresses in turn until one connects (IPv6 first may be
    unreachable); the TLS server name and Host header stay the URL's. The answer is streamed
    and never read: only its status counts, and a huge one costs nothing."""
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    for i, address in enumerate(target.addresses):
        try:
            with client.stream(
                "POST",
                target.url_at(url, address),
                content=body,
                headers=headers,
                extensions=extensions,
            ) as response:
                return response.status_code, _retry_after(response)
        except (httpx.ConnectError, httpx.ConnectTimeout):
            if i == len(target.addresses) - 1:
                raise
    raise AssertionError("a target has at least one address")


def _rest(result: AttemptResult) -> tuple[int | None, str | None, int | None]:
    return result.http_status, result.error, result.duration_ms


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.strip().isdigit() else None
