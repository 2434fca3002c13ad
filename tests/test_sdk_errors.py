"""Retries, timeouts and error mapping of the remote SDK, against a scripted HTTP server on
loopback that misbehaves on purpose (and, when told to, forwards to a real AgentAudit server)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentaudit import (
    AgentAudit,
    AgentAuditError,
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AsyncAgentAudit,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    ValidationError,
)
from agentaudit._http import RetryPolicy, parse_retry_after
from tests.support.live_server import LiveServer, run_server

SEARCH = {"query": "weather in Paris tomorrow"}


@dataclass
class Seen:
    at: float
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Action = Callable[["Handler", Seen], None]


@dataclass
class Script:
    actions: list[Action] = field(default_factory=list)
    upstream: str | None = None
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    script: Script

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        seen = Seen(
            time.monotonic(),
            self.command,
            self.path,
            {k.lower(): v for k, v in self.headers.items()},
            self.rfile.read(length),
        )
        with self.script.lock:
            self.script.seen.append(seen)
            action = self.script.actions.pop(0) if self.script.actions else forward()
        try:
            action(self, seen)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


def reply(status: int, detail: Any = "scripted", headers: dict[str, str] | None = None) -> Action:
    def act(h: Handler, _: Seen) -> None:
        h.answer(status, json.dumps({"detail": detail}).encode(), headers)

    return act


def slow(seconds: float) -> Action:
    def act(h: Handler, _: Seen) -> None:
        time.sleep(seconds)
        h.answer(500, b'{"detail": "too late"}')

    return act


def _upstream(h: Handler, seen: Seen) -> httpx.Response:
    keep = ("authorization", "content-type", "idempotency-key")
    return httpx.request(
        seen.method,
        f"{h.script.upstream}{seen.path}",
        content=seen.body or None,
        headers={k: v for k, v in seen.headers.items() if k in keep},
    )


def forward() -> Action:
    def act(h: Handler, seen: Seen) -> None:
        if h.script.upstream is None:
            h.answer(500, b'{"detail": "script exhausted"}')
            return
        r = _upstream(h, seen)
        h.answer(r.status_code, r.content)

    return act


def forward_then_drop() -> Action:
    """The server stores the request, then the answer is lost on the way back."""

    def act(h: Handler, seen: Seen) -> None:
        assert _upstream(h, seen).status_code == 201
        h.close_connection = True  # no answer at all: the client sees a dropped connection

    return act


@pytest.fixture
def scripted() -> Iterator[tuple[str, Script]]:
    script = Script()
    handler = type("H", (Handler,), {"script": script})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", script
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(db_path=tmp_path_factory.mktemp("srv") / "srv.db") as srv:
        yield srv


def fast(url: str, tmp_path: Path, key: str = "aa_live_test", **options: Any) -> AgentAudit:
    options.setdefault("max_retries", 2)
    return AgentAudit(api_key=key, base_url=url, spool_dir=tmp_path / "spool", **options)


# -- retry schedule (pure) ------------------------------------------------------------------------
def test_backoff_has_full_jitter_and_caps() -> None:
    policy = RetryPolicy(base_delay=0.25, max_delay=2.0, max_retry_after=10.0)
    for attempt, ceiling in [(0, 0.25), (1, 0.5), (2, 1.0), (3, 2.0), (8, 2.0)]:
        delays = [policy.delay(attempt, None) for _ in range(200)]
        assert all(0.0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling / 2  # jittered over the whole range, not fixed
    assert policy.delay(0, 3.0) == 3.0  # Retry-After wins
    assert policy.delay(0, 3600.0) == 10.0  # but is capped


def test_retry_after_seconds_and_http_date() -> None:
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after("0.5") == 0.5
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (parse_retry_after(when) or 0) <= 30
    past = format_datetime(datetime.now(UTC) - timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(past) == 0.0


# -- status codes ---------------------------------------------------------------------------------
def test_5xx_is_retried_then_raises_internal_server_error(
    scripted: tuple[str, Script], tmp_path: Path
) -> None:
    url, script = scripted
    script.actions = [reply(503), reply(502), reply(500, "boom")]
    with fast(url, tmp_path) as audit, pytest.raises(InternalServerError) as info:
        audit.get_stats()
    assert info.value.status_code == 500 and "boom" in str(info.value)
    assert info.value.body == "boom" and isinstance(info.value, APIError)
    assert len(script.seen) == 3  # 1 + max_retries


def test_5xx_then_success(scripted: tuple[str, Script], live: LiveServer, tmp_path: Path) -> None:
    url, script = scripted
    script.upstream = live.url
    script.actions = [reply(503)]
    with fast(url, tmp_path, key=live.new_key(org="retry-ok")) as audit:
        assert audit.get_stats().total_events == 0
    assert len(script.seen) == 2


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (413, APIStatusError),
        (415, APIStatusError),
    ],
)
def test_4xx_is_never_retried(
    scripted: tuple[str, Script], tmp_path: Path, status: int, error: type[Exception]
) -> None:
    url, script = scripted
    script.actions = [reply(status, "no")]
    with fast(url, tmp_path) as audit, pytest.raises(error) as info:
        audit.get_event("01ABC")
    assert type(info.value) is error  # exactly the status's class, as the OpenAI SDK's
    assert info.value.status_code == status and info.value.body == "no"
    assert len(script.seen) == 1


def test_422_carries_the_field_paths(scripted: tuple[str, Script], tmp_path: Path) -> None:
    url, script = scripted
    detail = [{"loc": ["body", "block_on"], "msg": "Input should be 'low'", "type": "enum"}]
    script.actions = [reply(422, detail)]
    with fast(url, tmp_path) as audit, pytest.raises(UnprocessableEntityError) as info:
        audit.set_policy({"block_on": "x"})
    assert info.value.errors == detail and info.value.status_code == 422
    assert "body.block_on" in str(info.value)
    assert len(script.seen) == 1


def test_error_hierarchy_is_shaped_like_the_openai_sdks() -> None:
    """APIError is the base of every server failure; bad input has its own class, which the
    server's 422 also is, and `ValidationError` (the old name) still catches both."""
    for status_error in (BadRequestError, AuthenticationError, NotFoundError, RateLimitError):
        assert issubclass(status_error, APIStatusError)
    assert issubclass(APIStatusError, APIError) and issubclass(APIConnectionError, APIError)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(InternalServerError, APIStatusError)
    assert issubclass(UnprocessableEntityError, APIStatusError)
    assert issubclass(UnprocessableEntityError, InvalidInputError)
    assert ValidationError is InvalidInputError
    assert not issubclass(InvalidInputError, APIError)  # local input is not a server failure
    assert all(issubclass(e, AgentAuditError) for e in (APIError, InvalidInputError))


def test_local_input_errors_have_no_status(tmp_path: Path) -> None:
    with fast("http://127.0.0.1:9", tmp_path) as audit, pytest.raises(InvalidInputError) as info:
        audit.log("", "web_search", SEARCH)
    assert type(info.value) is InvalidInputError and not hasattr(info.value, "status_code")
    assert info.value.errors[0]["loc"] == ["agent_id"]


def test_429_honours_retry_after(
    scripted: tuple[str, Script], live: LiveServer, tmp_path: Path
) -> None:
    url, script = scripted
    script.upstream = live.url
    script.actions = [reply(429, "slow down", {"Retry-After": "1"})]
    with fast(url, tmp_path, key=live.new_key(org="ratelimit")) as audit:
        assert audit.list_events().total == 0
    first, second = script.seen
    assert second.at - first.at >= 1.0  # waited as told, not the (shorter) back-off


def test_429_exhausted_raises_rate_limit_error(
    scripted: tuple[str, Script], tmp_path: Path
) -> None:
    url, script = scripted
    script.actions = [reply(429, "slow down", {"Retry-After": "0"})] * 3
    with fast(url, tmp_path) as audit, pytest.raises(RateLimitError) as info:
        audit.get_policy()
    assert info.value.status_code == 429
    assert len(script.seen) == 3


def test_timeouts_are_retried_then_raise(scripted: tuple[str, Script], tmp_path: Path) -> None:
    url, script = scripted
    script.actions = [slow(2.0), slow(2.0)]
    with fast(url, tmp_path, timeout=0.3, max_retries=1) as audit:
        with pytest.raises(APITimeoutError) as info:
            audit.get_stats()
        assert isinstance(info.value, APIConnectionError)
    assert len(script.seen) == 2


def test_unreachable_server_raises_connection_error(tmp_path: Path) -> None:
    with fast("http://127.0.0.1:9", tmp_path, max_retries=1) as audit:
        with pytest.raises(APIConnectionError) as info:
            audit.list_events()
        assert not isinstance(info.value, APITimeoutError)


# -- idempotency across retries -------------------------------------------------------------------
def test_a_lost_answer_is_retried_and_stored_once(
    scripted: tuple[str, Script], live: LiveServer, tmp_path: Path
) -> None:
    url, script = scripted
    script.upstream = live.url
    script.actions = [forward_then_drop()]
    key = live.new_key(org="lost-answer")
    with fast(url, tmp_path, key=key) as audit:
        event = audit.log("a", "web_search", SEARCH)
        assert event is not None and event.stored and "audit_fallback" not in event.context
        first, second = script.seen
        assert first.headers["idempotency-key"] == second.headers["idempotency-key"]
        assert audit.get_stats().total_events == 1


def test_a_spooled_copy_of_a_stored_event_is_a_replay_not_a_conflict(
    scripted: tuple[str, Script], live: LiveServer, tmp_path: Path
) -> None:
    """The answer is lost and no retry is left: the SDK falls back and spools the call, its
    context marked `audit_fallback`, under the same idempotency key. The server had stored
    it, so the spooled copy is the same request (the markers are not part of its digest):
    it is answered as a replay, not refused as a key reused with another body."""
    url, script = scripted
    script.upstream = live.url
    script.actions = [forward_then_drop()]
    key = live.new_key(org="lost-then-spooled")
    with fast(url, tmp_path, key=key, max_retries=0, fail_mode="open") as audit:
        event = audit.log("a", "web_search", SEARCH)
        assert event is not None and not event.stored and event.context["audit_fallback"]
        audit.flush()  # the spool is sent: the server answers the stored event
        assert audit._backend.spool.rejected() == []
        assert not audit._backend.spool.has_pending()
        stored = list(audit.iter_events())
        assert len(stored) == 1 and "audit_fallback" not in stored[0].context
        batch = [s for s in script.seen if s.path == "/v1/events/batch"]
        assert batch and batch[-1].json()["idempotency_keys"] == [
            script.seen[0].headers["idempotency-key"]
        ]


def test_a_lost_batch_answer_is_retried_and_stored_once(
    scripted: tuple[str, Script], live: LiveServer, tmp_path: Path
) -> None:
    url, script = scripted
    script.upstream = live.url
    script.actions = [forward_then_drop()]
    with fast(url, tmp_path, key=live.new_key(org="lost-batch"), background=True) as audit:
        for i in range(50):
            audit.log("a", "web_search", {"n": i})
        audit.flush()
        batches = [s for s in script.seen if s.path == "/v1/events/batch"]
        assert len(batches) == 2
        keys = [b.json()["idempotency_keys"] for b in batches]
        assert keys[0] == keys[1] and len(set(keys[0])) == 50
        assert audit.get_stats().total_events == 50


async def test_async_lost_answer_and_5xx(
    scripted: tuple[str, Script], live: LiveServer, tmp_path: Path
) -> None:
    url, script = scripted
    script.upstream = live.url
    script.actions = [forward_then_drop(), reply(503)]
    async with AsyncAgentAudit(
        api_key=live.new_key(org="async-lost"),
        base_url=url,
        spool_dir=tmp_path,
        max_retries=2,
    ) as audit:
        event = await audit.log("a", "web_search", SEARCH)
        assert event is not None and event.stored
        assert len({s.headers["idempotency-key"] for s in script.seen}) == 1
        assert len(script.seen) == 3
        assert (await audit.get_stats()).total_events == 1
    script.actions = [slow(2.0), slow(2.0)]
    async with AsyncAgentAudit(
        api_key="aa_live_x", base_url=url, spool_dir=tmp_path, max_retries=1, timeout=0.3
    ) as audit:
        with pytest.raises(APITimeoutError):
            await audit.get_stats()
    assert [s.path for s in script.seen[4:]] == ["/v1/events/stats"] * 2  # 1 + max_retries


# -- the background path under errors -------------------------------------------------------------
def test_a_decision_under_5xx_falls_back_and_is_sent_later(
    scripted: tuple[str, Script], live: LiveServer, tmp_path: Path
) -> None:
    url, script = scripted
    script.upstream = live.url
    script.actions = [reply(500)] * 3
    with fast(url, tmp_path, key=live.new_key(org="fallback-5xx")) as audit:
        event = audit.log("a", "web_search", SEARCH)
        assert event is not None and event.decision == "block" and not event.stored
        assert event.reason is not None and event.reason.startswith("audit unavailable: 500")
        audit.flush()  # the script is exhausted: the server "answers again"
        stored = list(audit.iter_events())
    assert len(stored) == 1 and stored[0].context["audit_fallback"] is True
    keys = {s.headers.get("idempotency-key") for s in script.seen if s.path == "/v1/events"}
    sent = [s.json()["idempotency_keys"] for s in script.seen if s.path == "/v1/events/batch"]
    assert sent == [list(keys)]  # the spooled call kept its idempotency key


def test_401_in_the_background_keeps_the_events(
    scripted: tuple[str, Script], live: LiveServer, tmp_path: Path
) -> None:
    url, script = scripted
    script.upstream = live.url
    script.actions = [reply(401, "missing or invalid API key")]
    with fast(url, tmp_path, key=live.new_key(org="bg-401"), background=True) as audit:
        for i in range(5):
            audit.log("a", "web_search", {"n": i})
        audit.flush()  # the batch got a 401: kept on disk, not dropped
        assert len(audit._backend.spool.path.read_bytes().splitlines()) == 5
        audit.flush()  # a flush re-sends the spool; this time the server takes it
        assert audit.get_stats().total_events == 5


def test_refused_events_are_set_aside_not_retried_forever(
    scripted: tuple[str, Script], live: LiveServer, tmp_path: Path
) -> None:
    url, script = scripted
    script.upstream = live.url
    detail = [{"loc": ["body", "events", 0], "msg": "refused", "type": "value_error"}]
    script.actions = [reply(413, "too large"), forward(), reply(422, detail)]
    with fast(url, tmp_path, key=live.new_key(org="bg-422"), background=True) as audit:
        for i in range(2):
            audit.log("a", "web_search", {"n": i})
        audit.flush()
        assert [e.data["n"] for e in audit.iter_events()] == [0]
        rejected = audit._backend.spool.rejected()
    assert [r["event"]["data"]["n"] for r in rejected] == [1]
    assert "422" in rejected[0]["error"]
    assert [len(s.json()["events"]) for s in script.seen[:3]] == [2, 1, 1]
