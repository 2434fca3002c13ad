"""CrewAI adapter: audit every tool call of every crew and veto the blocked ones.

    handle = instrument(audit)          # process-wide, until handle.uninstall()
    with audited(audit):                # or: only what runs inside this block (contextvar scope)
        crew.kickoff()

The veto point is CrewAI's tool-call hook pair (`crewai.hooks`), which both of CrewAI's tool paths
run — the ReAct text loop and native function calling, under `kickoff`, `akickoff` and
`Agent.kickoff`:

- the *before* hook logs the call (agent role, tool, arguments, the agent's "Thought:") and returns
  `False` when AgentAudit blocks it: CrewAI then skips the tool. CrewAI swallows any other
  exception a hook raises and runs the tool anyway, so every error of ours is caught here and
  turned into the client's `fail_mode` decision ("closed" blocks, "open" allows);
- the *after* hook, which CrewAI runs for blocked calls too, replaces CrewAI's fixed text with
  "Blocked by AgentAudit policy: <reason>" (`on_block="reject"`: the agent reads it and carries
  on) or raises `ActionBlocked` (`on_block="raise"`). The raised error is also a CrewAI
  `HookAborted`, the one exception CrewAI lets through its hooks, retries and task loop, so the
  run ends with it. For allowed calls the after hook logs what the tool returned as
  `<tool>.result` (or `<tool>.error`), linked to the call by `call_event_id`.

The trail also gets the crew's own progress: each model turn CrewAI shows its model hooks (ReAct
turns, and native turns that answer in text) as `crewai.step` (its "Thought:" in `reasoning`),
and each finished task as `crewai.task` with its output.

The before and after hooks of one call see different context objects but the same `tool_input`
dict; calls in flight are matched on that object (held, so its id cannot be reused) under a lock,
since CrewAI runs parallel native tool calls on up to 8 threads.

Importing this module imports no CrewAI; using it without CrewAI raises an ImportError naming
the extra to install.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import uuid
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agentaudit.errors import ActionBlocked
from agentaudit.models import MAX_REASONING_LENGTH
from agentaudit.protocols import AuditClient
from agentaudit_integrations._common import (
    RecentCalls,
    ToolError,
    context_dict,
    require_framework,
    require_sync_client,
)
from agentaudit_integrations._guard import OnBlock, ToolCall, ToolCallGuard, Verdict

if TYPE_CHECKING:  # for readers and type checkers only; never imported at run time
    from crewai.hooks import LLMCallHookContext, ToolCallHookContext
    from crewai.hooks.contexts import StepContext

__all__ = ["CrewAIInstrumentation", "ToolError", "audited", "instrument"]

log = logging.getLogger("agentaudit.integrations.crewai")

FRAMEWORK = "crewai"
ADAPTER = "CrewAI"  # for the error naming the extra to install
EXTRA = "crewai"
HOOK_MODULES = ("crewai.hooks.dispatch", "crewai.hooks")  # scoped hooks, then the hooks API
STEP_ACTION = "crewai.step"
TASK_ACTION = "crewai.task"
MAX_PENDING = 4096  # calls between their before and after hook; oldest dropped beyond this
MAX_NAME_CHARS = 200
# Texts CrewAI puts in place of a tool's result (crewai 1.15: agent_utils.py, tool_usage.py).
CREWAI_BLOCKED_PREFIX = "Tool execution blocked by hook. Tool: "
NATIVE_ERROR_PREFIX = "Error executing tool: "
REACT_ERROR_PREFIX = "I encountered an error while trying to use the tool."


# -- ActionBlocked as CrewAI lets it through -----------------------------------------------------
_abort_class: type[ActionBlocked] | None = None
_abort_lock = threading.Lock()


def _blocked_error_class() -> type[ActionBlocked]:
    """`ActionBlocked` that is also CrewAI's `HookAborted` (built on first use: it subclasses
    CrewAI's). CrewAI re-raises `HookAborted` as a deliberate stop — past its retry loop, the
    parallel tool pool and the task runner — and swallows every other hook exception."""
    global _abort_class
    with _abort_lock:
        if _abort_class is None:
            from crewai.hooks import HookAborted

            class CrewAIActionBlocked(ActionBlocked, HookAborted):
                """A tool call refused under on_block="raise"; ends the CrewAI run."""

                def __init__(self, event: Any, message: str | None = None) -> None:
                    ActionBlocked.__init__(self, event, message)  # also runs HookAborted's
                    self.source = "agentaudit"

                @property  # type: ignore[override]
                def reason(self) -> str | None:
                    return self.event.reason

                @reason.setter
                def reason(self, value: str) -> None:
                    """HookAborted assigns its reason; ours is the event's."""

            CrewAIActionBlocked.__module__ = __name__
            _abort_class = CrewAIActionBlocked
        return _abort_class


# -- reading CrewAI objects ----------------------------------------------------------------------
def _str(value: Any) -> str | None:
    return str(value) if value is not None else None


def _ids(agent: Any, task: Any, crew: Any) -> dict[str, Any]:
    """The crew, task and agent CrewAI ran the call under (whatever of them exists)."""
    if crew is None and agent is not None:
        crew = getattr(agent, "crew", None)
    ctx: dict[str, Any] = {}
    if crew is not None:
        ctx["crew_id"] = _str(getattr(crew, "id", None))
        ctx["crew_name"] = getattr(crew, "name", None)
    if task is not None:
        ctx["task_id"] = _str(getattr(task, "id", None))
        name = getattr(task, "name", None) or getattr(task, "description", None)
        ctx["task_name"] = str(name)[:MAX_NAME_CHARS] if name else None
    if agent is not None:
        ctx["crewai_agent_id"] = _str(getattr(agent, "id", None))
        ctx["agent_role"] = getattr(agent, "role", None)
    return {k: v for k, v in ctx.items() if v is not None}


def _with_session(ctx: dict[str, Any]) -> dict[str, Any]:
    """`ctx` with a `session_id` (provenance follows a session: docs/provenance.md): the
    caller's, else the `audited()` run's, else the crew's (all its agents' calls: one agent's
    tool result can steer another's call), else the agent's (`Agent.kickoff`)."""
    if not ctx.get("session_id"):
        session = ctx.get("run_id") or ctx.get("crew_id") or ctx.get("crewai_agent_id")
        if session:
            ctx["session_id"] = str(session)
    return ctx


def _role(agent: Any) -> str | None:
    role = getattr(agent, "role", None)
    return str(role) if role else None


class _Executors:
    """The executor of each agent's latest model turn, noted by our model hook (weak references,
    bounded). `Agent.kickoff` builds an executor it does not keep, and CrewAI runs its model and
    tool steps as separate flow tasks, so the agent is the only handle a tool hook has on it."""

    def __init__(self, limit: int = 1024) -> None:
        self._items: RecentCalls[int, tuple[weakref.ref[Any], weakref.ref[Any]]] = RecentCalls(
            limit
        )

    def note(self, agent: Any, executor: Any) -> None:
        try:
            entry = (weakref.ref(agent), weakref.ref(executor))
        except TypeError:  # not weak-referenceable: not worth holding on to
            return
        self._items.put(id(agent), entry)

    def get(self, agent: Any) -> Any:
        entry = self._items.get(id(agent))
        if entry is None or entry[0]() is not agent:
            return None
        return entry[1]()


def _executor(agent: Any, task: Any, executors: _Executors) -> Any:
    """The executor running this call: the agent's own when it runs `task` (crews), else the
    one of the agent's latest model turn."""
    executor = getattr(agent, "agent_executor", None)
    if task is not None and executor is not None and getattr(executor, "task", None) is task:
        return executor
    return executors.get(agent)


def _clean_thought(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    text = text.strip()
    if text[:8].lower() == "thought:":
        text = text[8:].lstrip()
    return text[:MAX_REASONING_LENGTH] or None


def _thought(answer: Any, tool_name: str) -> str | None:
    """ReAct path: the "Thought:" of the AgentAction that asked for this tool."""
    if type(answer).__name__ != "AgentAction":
        return None
    tool = str(getattr(answer, "tool", ""))
    if tool != tool_name:
        from crewai.utilities.string_utils import sanitize_tool_name

        if sanitize_tool_name(tool) != tool_name:
            return None
    return _clean_thought(getattr(answer, "thought", None))


def _native_call_id(messages: Any, tool_name: str, tool_input: Any) -> str | None:
    """Native path: the model's call id, from the assistant message CrewAI recorded for the turn
    (matched on name and arguments; None when two calls of the turn look alike)."""
    if not isinstance(messages, list):
        return None
    for message in reversed(messages[-64:]):
        if not isinstance(message, dict) or message.get("role") != "assistant":
            continue
        calls = message.get("tool_calls")
        if not calls:
            continue
        found = []
        for call in calls:
            function = call.get("function") or {}
            if function.get("name") != tool_name:
                continue
            try:
                args = json.loads(function.get("arguments") or "{}")
            except (TypeError, ValueError):
                continue
            if args == tool_input:
                found.append(call.get("id"))
        return found[0] if len(found) == 1 and found[0] else None
    return None


def _parsed(text: str) -> Any:
    """JSON text as JSON: its field names are evidence for the classifier."""
    if text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


def _outcome(ctx: ToolCallHookContext) -> tuple[Any, BaseException | None]:
    """What the tool returned, or the error CrewAI turned into text, for the trail."""
    raw = ctx.raw_tool_result if ctx.raw_tool_result is not None else ctx.tool_result
    if type(raw).__name__ == "ToolFailure":  # a failure the tool declared itself
        return None, ToolError(str(getattr(raw, "message", raw)))
    if isinstance(raw, str):
        text = raw.lstrip()
        if text.startswith(CREWAI_BLOCKED_PREFIX):
            return None, ToolError("blocked by another before_tool_call hook")
        if text.startswith((NATIVE_ERROR_PREFIX, REACT_ERROR_PREFIX)):
            return None, ToolError(text)
        return _parsed(raw), None
    return raw, None


def _step(text: str, native: bool) -> tuple[str, str | None, str | None]:
    """(kind, tool, thought) of one model turn, read as CrewAI reads it."""
    if native:  # native tool calls never reach the model hooks: text is the answer
        return "final_answer", None, None
    from crewai.agents.parser import AgentFinish, parse

    try:
        parsed = parse(text)
    except Exception:  # CrewAI will ask the model to redo the turn
        return "unparsed", None, None
    thought = _clean_thought(parsed.thought)
    if isinstance(parsed, AgentFinish):
        return "final_answer", None, thought
    return "tool_call", str(parsed.tool), thought


# -- the hooks -----------------------------------------------------------------------------------
@dataclass
class _Pending:
    tool_input: Any  # the call's own dict: holding it keeps its id from being reused
    call: ToolCall
    verdict: Verdict


class CrewAIInstrumentation:
    """The hooks of one `instrument()` or `audited()`; `uninstall()` removes them.

    Thread-safe: the only state shared between hook calls is the table of calls in flight,
    guarded by a lock.
    """

    def __init__(
        self,
        audit: AuditClient,
        *,
        agent_id: str | None = None,
        on_block: OnBlock = "reject",
        log_results: bool = True,
        log_steps: bool = True,
        context: dict[str, Any] | None = None,
        approval_timeout: float = 0.0,
        approval_poll: float = 1.0,
    ) -> None:
        require_sync_client(
            audit,
            "CrewAI's hooks are synchronous (AgentAudit serves kickoff() and akickoff() alike)",
        )
        self.context: dict[str, Any] = context_dict(context)
        self.guard = ToolCallGuard(
            audit,
            framework=FRAMEWORK,
            agent_id=agent_id,
            on_block=on_block,
            log_results=log_results,
            approval_timeout=approval_timeout,
            approval_poll=approval_poll,
        )
        self.log_steps = log_steps
        self._pending: RecentCalls[int, _Pending] = RecentCalls(MAX_PENDING)
        self._executors = _Executors()
        # Plain flags: set on install/uninstall only, read by the hooks (atomic under the GIL).
        self._active = False
        self._global = False

    def __repr__(self) -> str:
        state = "installed" if self._active else "uninstalled"
        return f"<CrewAIInstrumentation {state} on_block={self.guard.on_block!r}>"

    @property
    def installed(self) -> bool:
        return self._active

    def _hook_table(self) -> list[tuple[Any, Callable[[Any], Any]]]:
        from crewai.hooks import InterceptionPoint as P

        return [
            (P.PRE_TOOL_CALL, self.before_tool_call),
            (P.POST_TOOL_CALL, self.after_tool_call),
            (P.PRE_MODEL_CALL, self.before_model_call),
            (P.POST_MODEL_CALL, self.after_model_call),
            (P.POST_STEP, self.after_task),
        ]

    # -- installing --------------------------------------------------------------------------
    def _install(self) -> None:
        hooks = require_framework(ADAPTER, EXTRA, *HOOK_MODULES)
        _warn_if_doubled(self)
        self._active = self._global = True  # before registering: no call may slip through
        _register(self)
        for point, hook in self._hook_table():
            hooks.register_hook(point, hook)

    def uninstall(self) -> None:
        """Remove the hooks. Idempotent. Executors CrewAI built while they were installed keep a
        copy of the model hook; it does nothing once uninstalled."""
        if not self._active:
            return
        self._active = False
        if self._global:
            hooks = require_framework(ADAPTER, EXTRA, *HOOK_MODULES)
            for point, hook in self._hook_table():
                hooks.unregister_hook(point, hook)
            self._global = False
        _unregister(self)

    def __enter__(self) -> CrewAIInstrumentation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.uninstall()

    @contextlib.contextmanager
    def _scoped(self) -> Iterator[CrewAIInstrumentation]:
        require_framework(ADAPTER, EXTRA, *HOOK_MODULES)
        from crewai.hooks.dispatch import InterceptionPoint, get_scoped_hooks, scoped_hooks

        # Keep the hooks of an enclosing scope: scoped_hooks() replaces the scope, not extends it.
        scope = {point: get_scoped_hooks(point) for point in InterceptionPoint}
        for point, hook in self._hook_table():
            scope[point].append(hook)
        _warn_if_doubled(self)
        self._active = True
        _register(self)
        try:
            with scoped_hooks(scope):
                yield self
        finally:
            self._active = False
            _unregister(self)

    # -- calls in flight ---------------------------------------------------------------------
    def _remember(self, tool_input: Any, call: ToolCall, verdict: Verdict) -> None:
        self._pending.put(id(tool_input), _Pending(tool_input, call, verdict))

    def _take(self, tool_input: Any) -> _Pending | None:
        """The call in flight with exactly this argument dict. (Its entry holds the dict, so no
        other object can have its id while the entry exists.)"""
        pending = self._pending.pop(id(tool_input))
        return pending if pending is not None and pending.tool_input is tool_input else None

    # -- the tool hooks ----------------------------------------------------------------------
    def _tool_call(self, ctx: ToolCallHookContext) -> ToolCall:
        agent, task = ctx.agent, ctx.task
        context = _with_session({**self.context, **_ids(agent, task, ctx.crew)})
        executor = _executor(agent, task, self._executors)
        state = getattr(executor, "state", None) if executor is not None else None
        reasoning = None
        if state is None:
            pass
        elif getattr(state, "use_native_tools", False):
            # CrewAI 1.15 drops the text a provider sends alongside native tool calls: no thought
            call_id = _native_call_id(state.messages, ctx.tool_name, ctx.tool_input)
            if call_id:
                context["tool_call_id"] = call_id
        else:
            reasoning = _thought(state.current_answer, ctx.tool_name)
        if ctx.tool is None:  # native path: the model named a tool the agent does not have
            context["tool_registered"] = False
        return ToolCall(
            tool=str(ctx.tool_name or "unknown_tool"),
            args=ctx.tool_input,
            context=context,
            reasoning=reasoning,
            agent_name=_role(agent),
        )

    def before_tool_call(self, ctx: ToolCallHookContext) -> bool | None:
        """Log the call; `False` (CrewAI's veto) when it is blocked. Never raises."""
        if not self._active:
            return None
        try:
            call = self._tool_call(ctx)
            verdict = self.guard.check(call)  # never raises: no decision -> fail_mode
        except Exception as exc:  # CrewAI would swallow it and run the tool
            log.exception("agentaudit: could not audit a CrewAI tool call")
            call = ToolCall(
                tool=str(getattr(ctx, "tool_name", None) or "unknown_tool"),
                args=getattr(ctx, "tool_input", None),
                context=dict(self.context),
            )
            verdict = self.guard.fallback(exc)
        if not verdict.allowed or self.guard.log_results:
            self._remember(getattr(ctx, "tool_input", None), call, verdict)
        return None if verdict.allowed else False

    def after_tool_call(self, ctx: ToolCallHookContext) -> str | None:
        """Blocked call: our message in place of CrewAI's, or the run ends (on_block="raise").
        Allowed call: log its result. Runs for in-flight calls even after `uninstall()`."""
        pending = self._take(ctx.tool_input)
        if pending is None:
            return None
        if not pending.verdict.allowed:
            if self.guard.on_block == "raise":
                raise self._blocked_error(pending.verdict)
            return pending.verdict.message
        try:
            result, error = _outcome(ctx)
            self.guard.record_result(pending.call, pending.verdict, result=result, error=error)
        except Exception:
            log.exception("agentaudit: could not record a CrewAI tool result")
        return None

    def _blocked_error(self, verdict: Verdict) -> ActionBlocked:
        try:
            self.guard.enforce(verdict)
        except ActionBlocked as blocked:
            return _blocked_error_class()(blocked.event, str(blocked))
        raise AssertionError("enforce() raises for a refused call under on_block='raise'")

    # -- the crew's progress -----------------------------------------------------------------
    def _log(self, action: str, call: ToolCall, data: dict[str, Any]) -> None:
        guard = self.guard
        guard.record(
            guard.agent_id_for(call), action, data, guard.context_for(call), call.reasoning
        )

    def before_model_call(self, ctx: LLMCallHookContext) -> None:
        """Note which executor the agent's next tool calls come from (never blocks)."""
        if self._active and ctx.agent is not None and ctx.executor is not None:
            self._executors.note(ctx.agent, ctx.executor)
        return None

    def after_model_call(self, ctx: LLMCallHookContext) -> None:
        """One model turn as `crewai.step`: its kind, the tool it asks for, its thought."""
        if not (self._active and self.log_steps) or not isinstance(ctx.response, str):
            return None
        try:
            state = getattr(ctx.executor, "state", None)
            native = bool(getattr(state, "use_native_tools", False))
            kind, tool, thought = _step(ctx.response, native)
            data: dict[str, Any] = {"step": kind, "iteration": ctx.iterations}
            if tool:
                data["tool"] = tool
            agent, task = ctx.agent, ctx.task
            context = _with_session({**self.context, **_ids(agent, task, ctx.crew)})
            self._log(
                STEP_ACTION, ToolCall(STEP_ACTION, None, context, thought, _role(agent)), data
            )
        except Exception:
            log.exception("agentaudit: could not record a CrewAI step")
        return None

    def after_task(self, ctx: StepContext) -> None:
        """A finished task as `crewai.task`, with its output."""
        if not (self._active and self.log_steps) or ctx.kind != "task":
            return None
        try:
            task, agent = ctx.task, ctx.agent
            output = ctx.output if ctx.output is not None else ctx.payload
            data = {
                "task": str(getattr(task, "description", "") or ""),
                "expected_output": getattr(task, "expected_output", None),
                "output": getattr(output, "raw", output),
            }
            context = _with_session({**self.context, **_ids(agent, task, ctx.crew)})
            role = ctx.agent_role or _role(agent)
            self._log(TASK_ACTION, ToolCall(TASK_ACTION, None, context, None, role), data)
        except Exception:
            log.exception("agentaudit: could not record a CrewAI task")
        return None


# -- what is installed (only to warn about double auditing) --------------------------------------
_installed: set[int] = set()
_installed_lock = threading.Lock()


def _warn_if_doubled(handle: CrewAIInstrumentation) -> None:
    with _installed_lock:
        others = len(_installed - {id(handle)})
    if others:
        log.warning(
            "agentaudit: another AgentAudit CrewAI instrumentation is active; each tool call "
            "will be audited once per instrumentation"
        )


def _register(handle: CrewAIInstrumentation) -> None:
    with _installed_lock:
        _installed.add(id(handle))


def _unregister(handle: CrewAIInstrumentation) -> None:
    with _installed_lock:
        _installed.discard(id(handle))


# -- the public entry points ---------------------------------------------------------------------
def instrument(
    audit: AuditClient,
    agent_id: str | None = None,
    on_block: OnBlock = "reject",
    *,
    log_results: bool = True,
    log_steps: bool = True,
    context: dict[str, Any] | None = None,
    approval_timeout: float = 0.0,
    approval_poll: float = 1.0,
) -> CrewAIInstrumentation:
    """Audit every CrewAI tool call in this process until `handle.uninstall()`.

    Without `agent_id`, each agent's role names it in the trail. `context` is added to every
    event (e.g. `{"session_id": ...}`). `log_steps=False` leaves out `crewai.step`/`crewai.task`.
    Model turns are recorded for agents whose executor CrewAI builds after this call (CrewAI
    copies its global model hooks into each executor when it first builds it).
    `approval_timeout` > 0: a call held for review waits in the hook that long for a human's
    decision (docs/approvals.md); 0 refuses it at once. Denied, expired or undecided, it never runs.
    """
    handle = CrewAIInstrumentation(
        audit,
        agent_id=agent_id,
        on_block=on_block,
        log_results=log_results,
        log_steps=log_steps,
        context=context,
        approval_timeout=approval_timeout,
        approval_poll=approval_poll,
    )
    handle._install()
    return handle


@contextlib.contextmanager
def audited(
    audit: AuditClient,
    agent_id: str | None = None,
    on_block: OnBlock = "reject",
    *,
    log_results: bool = True,
    log_steps: bool = True,
    context: dict[str, Any] | None = None,
    run_id: str | None = None,
    approval_timeout: float = 0.0,
    approval_poll: float = 1.0,
) -> Iterator[CrewAIInstrumentation]:
    """Audit the CrewAI runs inside the block only: `with audited(audit): crew.kickoff()`.

    The hooks live in a contextvar scope, so other threads' crews are not affected, and
    `asyncio.run(crew.akickoff())` inside the block is covered. Every event carries `run_id`
    (a fresh one unless given).
    """
    ctx = dict(context) if isinstance(context, dict) else context
    if ctx is None or isinstance(ctx, dict):
        ctx = ctx or {}
        if run_id is not None:
            ctx["run_id"] = run_id
        else:
            ctx.setdefault("run_id", uuid.uuid4().hex)
    handle = CrewAIInstrumentation(
        audit,
        agent_id=agent_id,
        on_block=on_block,
        log_results=log_results,
        log_steps=log_steps,
        context=ctx,
        approval_timeout=approval_timeout,
        approval_poll=approval_poll,
    )
    with handle._scoped():
        yield handle
