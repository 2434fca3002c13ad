"""LangChain 1.x / LangGraph adapter: audit every tool call and veto the blocked ones.

Three ways in, one guard underneath (`agentaudit_integrations._guard`):

- `AgentAuditMiddleware(audit)` for `create_agent(middleware=[...])` — the recommended veto point.
  It wraps each tool call (sync and async), so a blocked call never reaches the tool: the model
  gets `ToolMessage(status="error", content="Blocked by AgentAudit policy: <reason>")` and carries
  on (`on_block="reject"`), or the run stops with `ActionBlocked` (`on_block="raise"`).
- `AgentAuditCallbackHandler(audit)` for any runnable, LangGraph graph or legacy agent: a *sync*
  handler with `raise_error=True`, because LangChain silently ignores errors of an async handler in
  a sync run. A callback can only abort, so a blocked call raises `ActionBlocked`.
- `wrap_tool_call(audit)` / `awrap_tool_call(audit)` build the interceptors for a plain LangGraph
  `ToolNode(tools, wrap_tool_call=..., awrap_tool_call=...)`.

A call the policy holds for human review (decision `review`, docs/approvals.md) is refused at once
by default. With `approval_timeout=<seconds>` the middleware and the ToolNode helpers wait in the
hook for the human's decision: approved for exactly these arguments, the tool runs once; denied,
expired, undecided at the timeout, or approved for arguments that have since changed, it never
runs and the model reads "Held for human approval by AgentAudit policy (not run): <why>". With
`approval="interrupt"` they pause the graph with LangGraph's `interrupt()` instead (a checkpointer
and a thread are needed); on `Command(resume=...)` the call, logged once before the pause, is run
only if AgentAudit's approval says so for the arguments it now has. The callback handler never
waits (it may run on the event loop); it refuses held calls.

Importing this module imports no LangChain: the two classes subclass LangChain's base classes, so
they are built on first access (module `__getattr__`), and a missing LangChain raises an
ImportError naming the extra to install.
"""

from __future__ import annotations

import inspect
import json
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal

from agentaudit.errors import ConfigurationError
from agentaudit.protocols import AsyncAuditClient, AuditClient
from agentaudit_integrations._common import (
    RecentCalls,
    ToolError,
    context_dict,
    require_framework,
    require_sync_client,
)
from agentaudit_integrations._guard import OnBlock, ToolCall, ToolCallGuard, Verdict

if TYPE_CHECKING:  # for readers and type checkers only; never imported at run time
    from langchain_core.messages import ToolMessage
    from langgraph.prebuilt.tool_node import ToolCallRequest
    from langgraph.types import Command

    from agentaudit.models import Event

    # Built on first access by the module `__getattr__` below (they subclass LangChain's).
    AgentAuditMiddleware: type
    AgentAuditCallbackHandler: type

__all__ = [
    "AgentAuditCallbackHandler",
    "AgentAuditMiddleware",
    "ToolError",
    "awrap_tool_call",
    "wrap_tool_call",
]

log = logging.getLogger("agentaudit.integrations.langchain")

FRAMEWORK = "langchain"
ADAPTER = "LangChain"  # for the error naming the extra to install
EXTRA = "langchain"
# Run metadata worth carrying into the event context when the caller sets it.
METADATA_KEYS = ("session_id", "user_id", "environment", "tenant_id", "request_id")
MAX_REMEMBERED_REASONS = 1024
MAX_PAUSED_CALLS = 4096
INTERRUPT_KEY = "agentaudit"  # the interrupt value: {"agentaudit": {"approval_id": ..., ...}}
ApprovalMode = Literal["wait", "interrupt"]

Handler = Callable[["ToolCallRequest"], "ToolMessage | Command[Any]"]
AsyncHandler = Callable[["ToolCallRequest"], Awaitable["ToolMessage | Command[Any]"]]


# -- reading LangChain objects -------------------------------------------------------------------
def _text(content: Any) -> str | None:
    """The prose of a message's content: a string, or the text/reasoning blocks of a list."""
    if isinstance(content, str):
        text = content
    elif isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict):
                for key in ("text", "reasoning", "thinking"):
                    value = block.get(key)
                    if isinstance(value, str):
                        parts.append(value)
                        break
        text = "\n".join(parts)
    else:
        return None
    text = text.strip()
    return text or None


def _reasoning_from_state(state: Any, tool_call_id: str | None) -> str | None:
    """What the model wrote alongside this tool call: the content of the AIMessage that made it."""
    if not tool_call_id:
        return None
    messages = (
        state.get("messages") if isinstance(state, dict) else getattr(state, "messages", None)
    )
    if not isinstance(messages, list):
        return None
    for message in reversed(messages):
        calls = getattr(message, "tool_calls", None)
        if calls and any(c.get("id") == tool_call_id for c in calls):
            return _text(getattr(message, "content", None))
    return None


def _thread_id(config: dict[str, Any], metadata: dict[str, Any]) -> Any:
    configurable = config.get("configurable") or {}
    return metadata.get("thread_id") or configurable.get("thread_id")


def _run_context(config: dict[str, Any]) -> dict[str, Any]:
    """Thread, session and caller metadata from a RunnableConfig."""
    metadata = config.get("metadata") or {}
    ctx: dict[str, Any] = {key: metadata[key] for key in METADATA_KEYS if key in metadata}
    thread_id = _thread_id(config, metadata)
    if thread_id is not None:
        ctx["thread_id"] = str(thread_id)
        ctx.setdefault("session_id", str(thread_id))
    if ctx.get("session_id") is not None and not isinstance(ctx["session_id"], str):
        ctx["session_id"] = str(ctx["session_id"])  # filterable: events take it only as text
    if "langgraph_step" in metadata:
        ctx["langgraph_step"] = metadata["langgraph_step"]
    return ctx


def _parsed(content: Any) -> Any:
    """A tool's dict/list return value comes back as JSON text; its field names are evidence
    for the classifier (`{"email": ...}`), so read it back as JSON where it is JSON."""
    if isinstance(content, str) and content[:1] in ("{", "["):
        try:
            return json.loads(content)
        except ValueError:
            pass
    return content


def _outcome(out: Any) -> tuple[Any, BaseException | None]:
    """A handler's return value as (result, error) for the audit trail."""
    from langchain_core.messages import ToolMessage

    if isinstance(out, ToolMessage):
        if out.status == "error":
            return None, ToolError(_text(out.content) or str(out.content))
        return _parsed(out.content), None
    update = getattr(out, "update", None)  # a langgraph Command
    if isinstance(update, dict):
        messages = [m for m in update.get("messages") or [] if isinstance(m, ToolMessage)]
        if messages:
            return [_parsed(m.content) for m in messages], None
        return {"command_update": update}, None
    return out, None


def _is_control_flow(exc: BaseException) -> bool:
    """LangGraph interrupts travel as exceptions; they are not tool failures."""
    try:
        from langgraph.errors import GraphBubbleUp
    except ImportError:  # pragma: no cover - langgraph is part of the extra
        return False
    return isinstance(exc, GraphBubbleUp)


def _decision(verdict: Verdict) -> str:
    """What refused the call: "review" for a held call not approved, else "block"."""
    event = verdict.event
    return "review" if event is not None and event.decision == "review" else "block"


# -- the shared core of the middleware and the ToolNode helpers ----------------------------------
class _ToolCallAuditor:
    """Turns a `ToolCallRequest` into an audited, enforced tool call. Thread-safe: its only
    state, the calls paused by approval="interrupt", is a locked bounded map."""

    def __init__(
        self,
        audit: AuditClient | AsyncAuditClient,
        *,
        agent_id: str | None = None,
        on_block: OnBlock = "reject",
        log_results: bool = True,
        context: dict[str, Any] | None = None,
        approval_timeout: float = 0.0,
        approval_poll: float = 1.0,
        approval: ApprovalMode = "wait",
    ) -> None:
        require_framework(ADAPTER, EXTRA, "langchain_core.messages", "langgraph.prebuilt")
        if approval not in ("wait", "interrupt"):
            raise ValueError(f"approval must be 'wait' or 'interrupt', not {approval!r}")
        self.approval = approval
        # interrupt: the first check never waits (the run pauses instead); a resumed call whose
        # approval is still pending waits up to approval_timeout
        self.resume_timeout = approval_timeout
        # approval="interrupt": held calls by (thread, tool call id) between the interrupt and
        # the resume, which runs the tool step again (so the call is not logged twice)
        self._paused: RecentCalls[tuple[str, str], tuple[ToolCall, Verdict]] = RecentCalls(
            MAX_PAUSED_CALLS
        )
        self.context = context_dict(context)
        self.guard = ToolCallGuard(
            audit,
            framework=FRAMEWORK,
            agent_id=agent_id,
            on_block=on_block,
            log_results=log_results,
            approval_timeout=0.0 if approval == "interrupt" else approval_timeout,
            approval_poll=approval_poll,
        )

    def tool_call(self, request: ToolCallRequest) -> ToolCall:
        tc = request.tool_call
        tool_call_id = tc.get("id")
        runtime = getattr(request, "runtime", None)
        config: dict[str, Any] = getattr(runtime, "config", None) or {}
        metadata = config.get("metadata") or {}
        ctx = {**self.context, **_run_context(config)}
        ctx["tool_call_id"] = tool_call_id
        run_id = config.get("run_id") or getattr(
            getattr(runtime, "execution_info", None), "run_id", None
        )
        if run_id is not None:
            ctx["run_id"] = str(run_id)
        parent = getattr(config.get("callbacks"), "parent_run_id", None)
        if parent is not None:
            ctx["parent_run_id"] = str(parent)
        if request.tool is None:  # the model named a tool the agent does not have
            ctx["tool_registered"] = False
        return ToolCall(
            tool=str(tc.get("name") or "unknown_tool"),
            args=tc.get("args"),
            # after a wait for approval: the arguments the handler will pass to the tool
            current_args=lambda: request.tool_call.get("args"),
            context=ctx,
            reasoning=_reasoning_from_state(request.state, tool_call_id),
            agent_name=metadata.get("lc_agent_name"),
        )

    def _fallback_call(self, request: Any) -> ToolCall:
        tc = getattr(request, "tool_call", None) or {}
        return ToolCall(tool=str(tc.get("name") or "unknown_tool"), args=tc.get("args"))

    def check(self, request: ToolCallRequest) -> tuple[ToolCall, Verdict]:
        """Log the call and decide. An error of ours goes to fail_mode, never silently through."""
        try:
            call = self.tool_call(request)
            return call, self.guard.check(call)
        except Exception as exc:
            log.exception("agentaudit: could not audit a LangChain tool call")
            return self._fallback_call(request), self.guard.fallback(exc)

    async def acheck(self, request: ToolCallRequest) -> tuple[ToolCall, Verdict]:
        try:
            call = self.tool_call(request)
            return call, await self.guard.acheck(call)
        except Exception as exc:
            log.exception("agentaudit: could not audit a LangChain tool call")
            return self._fallback_call(request), self.guard.fallback(exc)

    def _flush(self) -> Any:
        """Store what was logged without waiting (an embedded client's approval request)."""
        flush = getattr(self.guard.audit, "flush", None)
        return flush() if flush is not None else None

    def _pause_key(self, request: ToolCallRequest) -> tuple[str, str] | None:
        """The held call's key across an interrupt: its thread and tool call id (None when the
        run has no thread, so it cannot be resumed: the call then waits or is refused)."""
        if self.approval != "interrupt":
            return None
        config: dict[str, Any] = getattr(getattr(request, "runtime", None), "config", None) or {}
        thread_id = _thread_id(config, config.get("metadata") or {})
        call_id = request.tool_call.get("id")
        return (str(thread_id), str(call_id)) if thread_id is not None and call_id else None

    def _decide(self, request: ToolCallRequest) -> tuple[ToolCall, Verdict, tuple[str, str] | None]:
        """The call and its verdict: logged now, or when paused, as logged before the pause."""
        key = self._pause_key(request)
        paused = self._paused.get(key) if key is not None else None
        if paused is not None:
            return paused[0], paused[1], key
        call, verdict = self.check(request)
        return call, verdict, key

    def _interrupt(
        self, key: tuple[str, str], call: ToolCall, verdict: Verdict, event: Event
    ) -> None:
        """Pause the run with LangGraph's interrupt (raises the first time); returns when the
        run is resumed with `Command(resume=...)`. The resume value is not trusted: the approval
        is read from AgentAudit afterwards."""
        from langgraph.types import interrupt

        self._paused.put(key, (call, verdict))
        interrupt(
            {
                INTERRUPT_KEY: {
                    "approval_id": event.approval_id,
                    "event_id": event.id,
                    "tool": call.tool,
                    "tool_call_id": key[1],
                    "reason": verdict.message,
                }
            }
        )
        self._paused.pop(key)

    def refuse(self, request: ToolCallRequest, verdict: Verdict) -> ToolMessage:
        """The veto: raise (`on_block="raise"`) or answer the call with an error ToolMessage."""
        from langchain_core.messages import ToolMessage

        self.guard.enforce(verdict)
        tc = request.tool_call
        return ToolMessage(
            content=verdict.message or "Blocked by AgentAudit policy",
            tool_call_id=tc.get("id") or "",
            name=tc.get("name"),
            status="error",
            artifact={
                "agentaudit": {
                    "decision": _decision(verdict),
                    "event_id": verdict.event_id,
                    "fallback": verdict.fallback,
                }
            },
        )

    def wrap(self, request: ToolCallRequest, handler: Handler) -> ToolMessage | Command[Any]:
        if self.guard.is_async:
            raise ConfigurationError(
                "AsyncAgentAudit cannot audit a synchronous LangChain run; use AgentAudit, "
                "which serves both invoke() and ainvoke()"
            )
        call, verdict, key = self._decide(request)
        if key is not None and verdict.event is not None and self.guard.is_held(verdict):
            self._flush()  # the run pauses: the approval request must be stored first
            self._interrupt(key, call, verdict, verdict.event)  # raises until resumed
            call.current_args = lambda: request.tool_call.get("args")
            verdict = self.guard.review(call, verdict.event, self.resume_timeout)
        if not verdict.allowed:
            return self.refuse(request, verdict)
        try:
            out = handler(request)
        except Exception as exc:
            if not _is_control_flow(exc):
                self.guard.record_result(call, verdict, error=exc)
            raise
        if self.guard.log_results:
            result, error = _outcome(out)
            self.guard.record_result(call, verdict, result=result, error=error)
        return out

    async def awrap(
        self, request: ToolCallRequest, handler: AsyncHandler
    ) -> ToolMessage | Command[Any]:
        key = self._pause_key(request)
        paused = self._paused.get(key) if key is not None else None
        call, verdict = paused if paused is not None else await self.acheck(request)
        if key is not None and verdict.event is not None and self.guard.is_held(verdict):
            flushed = self._flush()
            if inspect.isawaitable(flushed):
                await flushed
            self._interrupt(key, call, verdict, verdict.event)  # raises until resumed
            call.current_args = lambda: request.tool_call.get("args")
            verdict = await self.guard.areview(call, verdict.event, self.resume_timeout)
        if not verdict.allowed:
            return self.refuse(request, verdict)
        try:
            out = await handler(request)
        except Exception as exc:
            if not _is_control_flow(exc):
                await self.guard.arecord_result(call, verdict, error=exc)
            raise
        if self.guard.log_results:
            result, error = _outcome(out)
            await self.guard.arecord_result(call, verdict, result=result, error=error)
        return out


# -- LangGraph ToolNode helpers ------------------------------------------------------------------
def wrap_tool_call(
    audit: AuditClient,
    *,
    agent_id: str | None = None,
    on_block: OnBlock = "reject",
    log_results: bool = True,
    context: dict[str, Any] | None = None,
    approval_timeout: float = 0.0,
    approval_poll: float = 1.0,
    approval: ApprovalMode = "wait",
) -> Callable[[ToolCallRequest, Handler], ToolMessage | Command[Any]]:
    """The sync interceptor for `ToolNode(tools, wrap_tool_call=...)` (graphs without
    create_agent). Pass `awrap_tool_call(audit)` as well for `ainvoke`/`astream`."""
    return _ToolCallAuditor(
        audit,
        agent_id=agent_id,
        on_block=on_block,
        log_results=log_results,
        context=context,
        approval_timeout=approval_timeout,
        approval_poll=approval_poll,
        approval=approval,
    ).wrap


def awrap_tool_call(
    audit: AuditClient | AsyncAuditClient,
    *,
    agent_id: str | None = None,
    on_block: OnBlock = "reject",
    log_results: bool = True,
    context: dict[str, Any] | None = None,
    approval_timeout: float = 0.0,
    approval_poll: float = 1.0,
    approval: ApprovalMode = "wait",
) -> Callable[[ToolCallRequest, AsyncHandler], Awaitable[ToolMessage | Command[Any]]]:
    """The async interceptor for `ToolNode(tools, awrap_tool_call=...)`."""
    return _ToolCallAuditor(
        audit,
        agent_id=agent_id,
        on_block=on_block,
        log_results=log_results,
        context=context,
        approval_timeout=approval_timeout,
        approval_poll=approval_poll,
        approval=approval,
    ).awrap


# -- classes built on first access (they subclass LangChain's) -----------------------------------
def _build_middleware() -> type:
    require_framework(ADAPTER, EXTRA, "langchain.agents.middleware", "langchain_core.messages")
    from langchain.agents.middleware import AgentMiddleware

    class AgentAuditMiddleware(AgentMiddleware):
        """Audit every tool call of a `create_agent` agent and veto the blocked ones.

        `create_agent(model, tools, middleware=[AgentAuditMiddleware(audit)], name="support")`.
        Without `agent_id`, the agent's name (or "langchain-agent") names the agent. Put it last
        in the list (innermost): it then decides on exactly the call that reaches the tool, after
        any middleware that rewrites arguments, and logs what the tool itself returned.
        """

        def __init__(
            self,
            audit: AuditClient | AsyncAuditClient,
            agent_id: str | None = None,
            on_block: OnBlock = "reject",
            log_results: bool = True,
            *,
            context: dict[str, Any] | None = None,
            approval_timeout: float = 0.0,
            approval_poll: float = 1.0,
            approval: ApprovalMode = "wait",
        ) -> None:
            super().__init__()
            self._auditor = _ToolCallAuditor(
                audit,
                agent_id=agent_id,
                on_block=on_block,
                log_results=log_results,
                context=context,
                approval_timeout=approval_timeout,
                approval_poll=approval_poll,
                approval=approval,
            )

        @property
        def guard(self) -> ToolCallGuard:
            return self._auditor.guard

        def wrap_tool_call(
            self, request: ToolCallRequest, handler: Handler
        ) -> ToolMessage | Command[Any]:
            return self._auditor.wrap(request, handler)

        async def awrap_tool_call(
            self, request: ToolCallRequest, handler: AsyncHandler
        ) -> ToolMessage | Command[Any]:
            return await self._auditor.awrap(request, handler)

    AgentAuditMiddleware.__module__ = __name__
    AgentAuditMiddleware.__qualname__ = "AgentAuditMiddleware"
    return AgentAuditMiddleware


def _build_callback_handler() -> type:
    require_framework(ADAPTER, EXTRA, "langchain_core.callbacks", "langchain_core.messages")
    from langchain_core.callbacks import BaseCallbackHandler

    class AgentAuditCallbackHandler(BaseCallbackHandler):
        """Audit tool calls of any runnable, LangGraph graph or legacy agent; a blocked call
        raises `ActionBlocked` before the tool runs (callbacks cannot answer the model).

        `graph.invoke(inputs, config={"callbacks": [AgentAuditCallbackHandler(audit)]})`.
        It is a synchronous handler on purpose: the veto holds for sync and async tools alike,
        whereas LangChain swallows the errors of an async handler in a sync run.
        """

        raise_error = True  # without it LangChain logs our veto and runs the tool anyway

        def __init__(
            self,
            audit: AuditClient,
            agent_id: str | None = None,
            log_results: bool = True,
            *,
            context: dict[str, Any] | None = None,
        ) -> None:
            super().__init__()
            require_sync_client(
                audit,
                "AgentAuditCallbackHandler is synchronous (an AgentAudit client serves async "
                "runs too)",
            )
            self.context = context_dict(context)
            self.guard = ToolCallGuard(
                audit,
                framework=FRAMEWORK,
                agent_id=agent_id,
                on_block="raise",
                log_results=log_results,
            )
            self._lock = threading.Lock()
            self._pending: dict[Any, tuple[ToolCall, Verdict]] = {}
            self._reasons: RecentCalls[str, str] = RecentCalls(MAX_REMEMBERED_REASONS)

        # The model's words alongside its tool calls, kept until the tool starts.
        def on_llm_end(self, response: Any, **kwargs: Any) -> None:
            try:
                for generations in getattr(response, "generations", None) or []:
                    for generation in generations:
                        message = getattr(generation, "message", None)
                        calls = getattr(message, "tool_calls", None)
                        text = _text(getattr(message, "content", None)) if calls else None
                        if not calls or not text:
                            continue
                        for c in calls:
                            if c.get("id"):
                                self._reasons.put(c["id"], text)
            except Exception:  # raise_error=True would abort the run over a logging detail
                log.exception("agentaudit: could not read the model's reasoning")

        def _tool_call(
            self,
            serialized: dict[str, Any] | None,
            input_str: str,
            inputs: dict[str, Any] | None,
            run_id: Any,
            parent_run_id: Any,
            metadata: dict[str, Any] | None,
            kwargs: dict[str, Any],
        ) -> ToolCall:
            metadata = metadata or {}
            name = (serialized or {}).get("name") or kwargs.get("name") or "unknown_tool"
            tool_call_id = kwargs.get("tool_call_id")
            ctx = {**self.context, **_run_context({"metadata": metadata})}
            ctx["run_id"] = str(run_id)
            if parent_run_id is not None:
                ctx["parent_run_id"] = str(parent_run_id)
            if tool_call_id:
                ctx["tool_call_id"] = tool_call_id
            reasoning = self._reasons.pop(tool_call_id) if tool_call_id else None
            return ToolCall(
                tool=str(name),
                args=inputs if inputs is not None else input_str,
                context=ctx,
                reasoning=reasoning,
                agent_name=metadata.get("lc_agent_name"),
            )

        def on_tool_start(
            self,
            serialized: dict[str, Any],
            input_str: str,
            *,
            run_id: Any,
            parent_run_id: Any = None,
            tags: list[str] | None = None,
            metadata: dict[str, Any] | None = None,
            inputs: dict[str, Any] | None = None,
            **kwargs: Any,
        ) -> None:
            try:
                call = self._tool_call(
                    serialized, input_str, inputs, run_id, parent_run_id, metadata, kwargs
                )
                verdict = self.guard.check(call)
            except Exception as exc:
                log.exception("agentaudit: could not audit a LangChain tool call")
                call = ToolCall(tool=str((serialized or {}).get("name") or "unknown_tool"), args={})
                verdict = self.guard.fallback(exc)
            self.guard.enforce(verdict)  # raises ActionBlocked: the tool body never runs
            if self.guard.log_results:
                with self._lock:
                    self._pending[run_id] = (call, verdict)

        def _finish(self, run_id: Any, result: Any, error: BaseException | None) -> None:
            with self._lock:
                pending = self._pending.pop(run_id, None)
            if pending is None:
                return
            try:
                if error is None:
                    result, error = _outcome(result)
                self.guard.record_result(*pending, result=result, error=error)
            except Exception:
                log.exception("agentaudit: could not record a LangChain tool result")

        def on_tool_end(self, output: Any, *, run_id: Any, **kwargs: Any) -> None:
            self._finish(run_id, output, None)

        def on_tool_error(self, error: BaseException, *, run_id: Any, **kwargs: Any) -> None:
            self._finish(run_id, None, error)

    AgentAuditCallbackHandler.__module__ = __name__
    AgentAuditCallbackHandler.__qualname__ = "AgentAuditCallbackHandler"
    return AgentAuditCallbackHandler


_BUILDERS: dict[str, Callable[[], type]] = {
    "AgentAuditMiddleware": _build_middleware,
    "AgentAuditCallbackHandler": _build_callback_handler,
}
_build_lock = threading.Lock()


def __getattr__(name: str) -> Any:
    """Build `AgentAuditMiddleware` / `AgentAuditCallbackHandler` on first access (PEP 562)."""
    builder = _BUILDERS.get(name)
    if builder is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _build_lock:
        cls = globals().get(name)
        if cls is None:
            cls = builder()
            globals()[name] = cls
    return cls


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
