"""What every framework adapter shares: one tool call in, one enforced verdict out.

An adapter turns its framework's hook into a `ToolCall`, asks `ToolCallGuard.check` (or
`acheck`), runs the tool only when the verdict allows it, and reports the outcome with
`record_result`. The guard never lets an error of its own run a tool silently: when no decision can
be had, the client's `fail_mode` decides ("closed", the default, blocks; "open" allows) and the
verdict says it fell back.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Literal

from agentaudit.errors import ActionBlocked
from agentaudit.models import Decision, Event

log = logging.getLogger("agentaudit.integrations")

OnBlock = Literal["reject", "raise"]
BLOCK_PREFIX = "Blocked by AgentAudit policy: "
MAX_RESULT_CHARS = 16_384


@dataclass
class ToolCall:
    """One tool invocation as the framework reports it."""

    tool: str
    args: Any
    context: dict[str, Any] = field(default_factory=dict)
    reasoning: str | None = None
    agent_name: str | None = None


@dataclass
class Verdict:
    allowed: bool
    event: Event | None
    message: str | None = None  # what the model sees when the call is refused
    fallback: bool = False  # no decision could be had; fail_mode decided

    @property
    def event_id(self) -> str | None:
        return self.event.id if self.event is not None else None


def json_safe(value: Any, limit: int = MAX_RESULT_CHARS) -> Any:
    """Tool arguments and results as JSON values (strings cut to `limit`)."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return (
            value if value == value and value not in (float("inf"), float("-inf")) else str(value)
        )
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + "…[truncated]"
    if isinstance(value, dict):
        return {str(k): json_safe(v, limit) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v, limit) for v in value]
    if hasattr(value, "model_dump"):
        try:
            return json_safe(value.model_dump(mode="json"), limit)
        except Exception:  # a model that cannot dump itself is shown as text
            pass
    return json_safe(str(value), limit)


def as_data(args: Any) -> dict[str, Any]:
    """The event's `data` object: a dict of arguments, or the raw input under `input`."""
    safe = json_safe(args)
    return safe if isinstance(safe, dict) else {"input": safe}


class ToolCallGuard:
    """Audit and enforce tool calls for one adapter instance. Thread-safe (holds no call state)."""

    def __init__(
        self,
        audit: Any,
        *,
        framework: str,
        agent_id: str | None = None,
        on_block: OnBlock = "reject",
        log_results: bool = True,
    ) -> None:
        if on_block not in ("reject", "raise"):
            raise ValueError(f"on_block must be 'reject' or 'raise', not {on_block!r}")
        self.audit = audit
        self.framework = framework
        self.agent_id = agent_id
        self.on_block: OnBlock = on_block
        self.log_results = log_results
        self.is_async = hasattr(audit, "__aenter__")
        # Embedded clients decide in-process; storage can then be group-committed.
        self._wait = getattr(audit, "mode", "remote") != "embedded"

    # -- helpers -----------------------------------------------------------------------------
    @property
    def fail_mode(self) -> str:
        mode = getattr(self.audit, "fail_mode", None) or getattr(
            getattr(self.audit, "_backend", None), "fail_mode", "closed"
        )
        return mode if mode in ("open", "closed") else "closed"

    def _agent(self, call: ToolCall) -> str:
        return (self.agent_id or call.agent_name or f"{self.framework}-agent")[:256]

    def _context(self, call: ToolCall) -> dict[str, Any]:
        ctx = {k: json_safe(v) for k, v in call.context.items() if v is not None}
        ctx["framework"] = self.framework
        if call.agent_name:
            ctx.setdefault("agent_name", call.agent_name)
        return ctx

    def _verdict(self, event: Event | None) -> Verdict:
        if event is None:  # fire-and-forget client: no decision came back
            return self.fallback(RuntimeError("the client returned no decision"))
        fallback = bool(event.context.get("audit_fallback"))  # decided by the client's fail_mode
        if event.decision == Decision.BLOCK:
            return Verdict(False, event, BLOCK_PREFIX + (event.reason or "blocked"), fallback)
        return Verdict(True, event, None, fallback)

    def fallback(self, exc: BaseException) -> Verdict:
        """The verdict when no decision could be had: the client's `fail_mode` decides."""
        reason = f"audit unavailable: {type(exc).__name__}: {exc}"[:500]
        if self.fail_mode == "open":
            log.warning("agentaudit: %s; fail_mode=open lets the tool run", reason)
            return Verdict(True, None, None, fallback=True)
        log.warning("agentaudit: %s; fail_mode=closed blocks the tool", reason)
        return Verdict(False, None, BLOCK_PREFIX + reason, fallback=True)

    def enforce(self, verdict: Verdict) -> None:
        """With on_block="raise", a refused call raises `ActionBlocked` (carrying the event)."""
        if not verdict.allowed and self.on_block == "raise":
            if verdict.event is not None:
                raise ActionBlocked(verdict.event, verdict.message)
            raise ActionBlocked(_fallback_event(verdict.message or BLOCK_PREFIX), verdict.message)

    # -- before the tool ---------------------------------------------------------------------
    def check(self, call: ToolCall) -> Verdict:
        """Log the call and return the verdict. Never raises (see `enforce`)."""
        try:
            event = self.audit.log(
                self._agent(call),
                call.tool[:256] or "unknown_tool",
                as_data(call.args),
                self._context(call),
                call.reasoning,
                wait=self._wait,
            )
        except Exception as exc:  # any failure of ours must not run the tool silently
            return self.fallback(exc)
        return self._verdict(event)

    async def acheck(self, call: ToolCall) -> Verdict:
        if not self.is_async:
            if self._wait:  # a remote round trip: keep it off the event loop
                return await asyncio.to_thread(self.check, call)
            return self.check(call)
        try:
            event = await self.audit.log(
                self._agent(call),
                call.tool[:256] or "unknown_tool",
                as_data(call.args),
                self._context(call),
                call.reasoning,
                wait=self._wait,
            )
        except Exception as exc:
            return self.fallback(exc)
        return self._verdict(event)

    # -- after the tool ----------------------------------------------------------------------
    def _result_args(
        self, call: ToolCall, verdict: Verdict | None, result: Any, error: BaseException | None
    ) -> tuple[str, str, dict[str, Any], dict[str, Any]]:
        ctx = self._context(call)
        ctx["phase"] = "error" if error is not None else "result"
        if verdict is not None and verdict.event_id:
            ctx["call_event_id"] = verdict.event_id
        if error is not None:
            data = {"error": f"{type(error).__name__}: {error}"[:MAX_RESULT_CHARS]}
        else:
            data = {"result": json_safe(result)}
        return self._agent(call), f"{call.tool}.{ctx['phase']}"[:256], data, ctx

    def record_result(
        self,
        call: ToolCall,
        verdict: Verdict | None,
        result: Any = None,
        error: BaseException | None = None,
    ) -> Event | None:
        """Log what the tool returned (or raised), linked to its call. Never raises."""
        if not self.log_results:
            return None
        try:
            agent, action, data, ctx = self._result_args(call, verdict, result, error)
            return self.audit.log(agent, action, data, ctx, None, wait=False)
        except Exception as exc:
            log.warning("agentaudit: could not record the result of %s: %s", call.tool, exc)
            return None

    async def arecord_result(
        self,
        call: ToolCall,
        verdict: Verdict | None,
        result: Any = None,
        error: BaseException | None = None,
    ) -> Event | None:
        if not self.log_results:
            return None
        if not self.is_async:
            return self.record_result(call, verdict, result, error)
        try:
            agent, action, data, ctx = self._result_args(call, verdict, result, error)
            return await self.audit.log(agent, action, data, ctx, None, wait=False)
        except Exception as exc:
            log.warning("agentaudit: could not record the result of %s: %s", call.tool, exc)
            return None


def _fallback_event(message: str) -> Event:
    from datetime import UTC, datetime

    return Event(
        id="",
        agent_id="",
        action="",
        risk_level="critical",
        pii_detected=False,
        created_at=datetime.now(UTC),
        stored=False,
        decision=Decision.BLOCK,
        reason=message.removeprefix(BLOCK_PREFIX),
    )
