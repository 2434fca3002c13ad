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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from agentaudit.approvals import Approval, ApprovalState, approval_matches
from agentaudit.errors import ActionBlocked, ConfigurationError
from agentaudit.models import Decision, Event, RiskLevel
from agentaudit.protocols import AsyncAuditClient, AuditClient, FailMode
from agentaudit_integrations._common import is_async_client

log = logging.getLogger("agentaudit.integrations")

OnBlock = Literal["reject", "raise"]
BLOCK_PREFIX = "Blocked by AgentAudit policy: "
REVIEW_PREFIX = "Held for human approval by AgentAudit policy (not run): "
MAX_RESULT_CHARS = 16_384


@dataclass
class ToolCall:
    """One tool invocation as the framework reports it."""

    tool: str
    args: Any
    context: dict[str, Any] = field(default_factory=dict)
    reasoning: str | None = None
    agent_name: str | None = None
    # The arguments the tool will really run with, read again after a wait for approval (when
    # the framework keeps them elsewhere than `args`); an approval must match them.
    current_args: Callable[[], Any] | None = None


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
        audit: AuditClient | AsyncAuditClient,
        *,
        framework: str,
        agent_id: str | None = None,
        on_block: OnBlock = "reject",
        log_results: bool = True,
        approval_timeout: float = 0.0,
        approval_poll: float = 1.0,
    ) -> None:
        if on_block not in ("reject", "raise"):
            raise ValueError(f"on_block must be 'reject' or 'raise', not {on_block!r}")
        if approval_timeout < 0 or approval_poll <= 0:
            raise ValueError("approval_timeout must be >= 0 and approval_poll > 0 (seconds)")
        # A call held for review waits this long for a human (0: refused at once)
        self.approval_timeout = approval_timeout
        self.approval_poll = approval_poll
        self.audit = audit
        self.framework = framework
        self.agent_id = agent_id
        self.on_block: OnBlock = on_block
        self.log_results = log_results
        # One of the two is set: the client as its own kind, so each path calls it as typed.
        self._client: AuditClient | None = None
        self._aclient: AsyncAuditClient | None = None
        if is_async_client(audit):
            self._aclient = audit
        else:
            self._client = cast(AuditClient, audit)
        self.is_async = self._aclient is not None
        # Embedded clients decide in-process; storage can then be group-committed.
        self._wait = audit.mode != "embedded"

    # -- helpers -----------------------------------------------------------------------------
    @property
    def fail_mode(self) -> FailMode:
        """The client's; anything but "open" blocks (a guard never fails open by accident, nor
        raises here: this is read while handling a failure)."""
        return "open" if getattr(self.audit, "fail_mode", "closed") == "open" else "closed"

    def agent_id_for(self, call: ToolCall) -> str:
        """The event's agent: the adapter's `agent_id`, else the framework's agent name."""
        return (self.agent_id or call.agent_name or f"{self.framework}-agent")[:256]

    def context_for(self, call: ToolCall) -> dict[str, Any]:
        """The event's context: the call's, JSON-safe, plus the framework and agent name."""
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
        if event.decision != Decision.ALLOW:  # review: held for a human; refused unless approved
            why = f"{event.reason or 'held for review'} (approval {event.approval_id})"
            return Verdict(False, event, REVIEW_PREFIX + why, fallback)
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
        client = self._client
        try:
            if client is None:
                raise ConfigurationError("an async client cannot decide a synchronous tool call")
            event = client.log(
                self.agent_id_for(call),
                call.tool[:256] or "unknown_tool",
                as_data(call.args),
                self.context_for(call),
                call.reasoning,
                wait=self._wait,
            )
        except Exception as exc:  # any failure of ours must not run the tool silently
            return self.fallback(exc)
        if event is not None and self._held(event):
            return self._wait_for_approval(call, event)
        return self._verdict(event)

    # -- calls held for review ---------------------------------------------------------------
    def _held(self, event: Event | None) -> bool:
        return (
            self.approval_timeout > 0
            and event is not None
            and event.decision == Decision.REVIEW
            and event.approval_id is not None
        )

    def _approved(
        self, call: ToolCall, event: Event, approval: Approval, timeout: float | None = None
    ) -> Verdict:
        """Run the call only when approved, and approved for exactly these arguments."""
        if approval.approved:
            try:
                data = as_data(call.current_args() if call.current_args else call.args)
            except Exception as exc:  # cannot tell what would run: it does not run
                why = f"the call's arguments could not be read again ({type(exc).__name__})"
                return Verdict(False, event, REVIEW_PREFIX + why)
            if approval_matches(approval, self.agent_id_for(call), event.action, data):
                return Verdict(True, event)
            why = "the approval was given for other arguments (the digest does not match)"
            return Verdict(False, event, REVIEW_PREFIX + why)
        waited = self.approval_timeout if timeout is None else timeout
        if approval.state == ApprovalState.PENDING and waited == 0:
            why = f"not decided yet (approval {approval.id})"
        elif approval.state == ApprovalState.PENDING:
            why = f"no decision within {waited:g} s (approval {approval.id})"
        else:
            who = f" by {approval.approver}" if approval.approver else ""
            note = f": {approval.comment}" if approval.comment else ""
            why = f"{approval.state.value}{who}{note} (approval {approval.id})"
        return Verdict(False, event, REVIEW_PREFIX + why)

    def _wait_for_approval(
        self, call: ToolCall, event: Event, timeout: float | None = None
    ) -> Verdict:
        """Wait for a human's decision on a held call (at most `approval_timeout`): approved
        and unchanged, it runs; denied, expired or undecided, it never does. When the approval
        cannot be read, the client's `fail_mode` decides."""
        client = self._client
        try:
            if client is None or not hasattr(client, "wait_for_approval"):
                raise ConfigurationError("this client cannot wait for approvals")
            if not self._wait:  # embedded: the request is committed with the event
                client.flush()  # type: ignore[attr-defined]
            approval = client.wait_for_approval(  # type: ignore[attr-defined]
                event,
                timeout=self.approval_timeout if timeout is None else timeout,
                poll=self.approval_poll,
            )
        except Exception as exc:
            return self.fallback(exc)
        return self._approved(call, event, approval, timeout)

    async def _await_approval(
        self, call: ToolCall, event: Event, timeout: float | None = None
    ) -> Verdict:
        aclient = self._aclient
        try:
            if aclient is None or not hasattr(aclient, "wait_for_approval"):
                raise ConfigurationError("this client cannot wait for approvals")
            if not self._wait:
                await aclient.flush()  # type: ignore[attr-defined]
            approval = await aclient.wait_for_approval(  # type: ignore[attr-defined]
                event,
                timeout=self.approval_timeout if timeout is None else timeout,
                poll=self.approval_poll,
            )
        except Exception as exc:
            return self.fallback(exc)
        return self._approved(call, event, approval, timeout)

    def is_held(self, verdict: Verdict) -> bool:
        """The verdict refuses a call held for review that has an approval request."""
        event = verdict.event
        return event is not None and event.decision == Decision.REVIEW and bool(event.approval_id)

    def review(self, call: ToolCall, event: Event, timeout: float | None = None) -> Verdict:
        """`areview` for a synchronous hook."""
        return self._wait_for_approval(call, event, timeout)

    async def areview(self, call: ToolCall, event: Event, timeout: float | None = None) -> Verdict:
        """A held call's verdict from its approval, waiting at most `timeout` seconds
        (`approval_timeout` when None): for adapters whose framework paused the run while a
        human decided. The call's arguments are checked against the approval, as after a wait."""
        if self._aclient is not None:
            return await self._await_approval(call, event, timeout)
        wait = self.approval_timeout if timeout is None else timeout
        if self._wait or wait > 0:
            return await asyncio.to_thread(self._wait_for_approval, call, event, timeout)
        return self._wait_for_approval(call, event, timeout)

    async def acheck(self, call: ToolCall) -> Verdict:
        aclient = self._aclient
        if aclient is None:
            # A remote round trip, or a wait for a human: keep it off the event loop
            if self._wait or self.approval_timeout > 0:
                return await asyncio.to_thread(self.check, call)
            return self.check(call)
        try:
            event = await aclient.log(
                self.agent_id_for(call),
                call.tool[:256] or "unknown_tool",
                as_data(call.args),
                self.context_for(call),
                call.reasoning,
                wait=self._wait,
            )
        except Exception as exc:
            return self.fallback(exc)
        if event is not None and self._held(event):
            return await self._await_approval(call, event)
        return self._verdict(event)

    # -- after the tool ----------------------------------------------------------------------
    def _result_args(
        self, call: ToolCall, verdict: Verdict | None, result: Any, error: BaseException | None
    ) -> tuple[str, str, dict[str, Any], dict[str, Any]]:
        ctx = self.context_for(call)
        ctx["phase"] = "error" if error is not None else "result"
        if verdict is not None and verdict.event_id:
            ctx["call_event_id"] = verdict.event_id
        if error is not None:
            data = {"error": f"{type(error).__name__}: {error}"[:MAX_RESULT_CHARS]}
        else:
            data = {"result": json_safe(result)}
        return self.agent_id_for(call), f"{call.tool}.{ctx['phase']}"[:256], data, ctx

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
            if self._client is None:
                raise ConfigurationError("an async client cannot record from a synchronous hook")
            agent, action, data, ctx = self._result_args(call, verdict, result, error)
            return self._client.log(agent, action, data, ctx, None, wait=False)
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
        if self._aclient is None:
            return self.record_result(call, verdict, result, error)
        try:
            agent, action, data, ctx = self._result_args(call, verdict, result, error)
            return await self._aclient.log(agent, action, data, ctx, None, wait=False)
        except Exception as exc:
            log.warning("agentaudit: could not record the result of %s: %s", call.tool, exc)
            return None

    # -- anything else the framework did -------------------------------------------------------
    def record(
        self,
        agent_id: str,
        action: str,
        data: dict[str, Any],
        context: dict[str, Any],
        reasoning: str | None = None,
    ) -> Event | None:
        """Log without waiting for storage (a tool's result, a model turn, a finished task).
        Raises what the client raises; a sync client only."""
        if self._client is None:
            raise ConfigurationError("an async client cannot record from a synchronous hook")
        return self._client.log(agent_id, action, data, context, reasoning, wait=False)


def _fallback_event(message: str) -> Event:
    from datetime import UTC, datetime

    return Event(
        id="",
        agent_id="",
        action="",
        risk_level=RiskLevel.CRITICAL,
        pii_detected=False,
        created_at=datetime.now(UTC),
        stored=False,
        decision=Decision.BLOCK,
        reason=message.removeprefix(BLOCK_PREFIX),
    )
