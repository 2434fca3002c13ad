"""OpenAI Agents SDK adapter: audit every function-tool call and veto the blocked ones.

The veto point is the SDK's *tool guardrail* pair, which runs around each `FunctionTool` call:

- the input guardrail logs the call (agent, tool, arguments, the model's accompanying text) and,
  when AgentAudit blocks it, answers `ToolGuardrailFunctionOutput.reject_content(...)` — the tool
  never runs, the model reads "Blocked by AgentAudit policy: <reason>" and the run goes on
  (`on_block="reject"`) — or `raise_exception()`, which stops the run with the SDK's
  `ToolInputGuardrailTripwireTriggered`; its `output.output_info["event"]` is the audit event
  (`blocked_event(exc)` reads it);
- the output guardrail logs what an allowed tool returned as `<tool>.result`, linked to the call by
  `call_event_id` and `tool_call_id`.

`instrument(agent, audit)` attaches the pair to every `FunctionTool` of the agent, of its handoff
agents and of agents used as tools (`Agent.as_tool`), and to its MCP servers' tools. It mutates the
tool objects, never `agent.tools` itself. `audit_guardrails(audit)` returns the pair for manual use:
`@function_tool(tool_input_guardrails=[g.input], tool_output_guardrails=[g.output])`, or
`MCPServerStdio(..., tool_input_guardrails=[g.input], ...)` on SDK versions whose MCP servers take
guardrails.

Versions: tool guardrails exist, with the same API, in both supported lines (0.20.x, the newest that
installs beside crewai's openai<3, and 0.24.x), so both use the guardrail pair for function tools.
MCP servers take `tool_input_guardrails=` only in the newer line; where a server lacks them (0.20),
`instrument` wraps the agent's `get_mcp_tools` so each MCP tool it lists gets the pair instead.

The model's text is not visible to a guardrail, so `instrument` also sets an agent hook
(`agent.hooks`, wrapping any hooks already there) whose `on_llm_end` remembers the text that came
with each tool call; the input guardrail sends it as the event's `reasoning`.

Review: a call the policy holds for human approval (decision `review`, docs/approvals.md) is
refused at once by default. With `approval_timeout=<seconds>` the input guardrail waits for the
human's decision (off the event loop for a sync client): approved for exactly the arguments the
SDK will invoke the tool with (read again after the wait), the tool runs once; denied, expired,
undecided at the timeout or approved for changed arguments, it never runs and the model reads
"Held for human approval by AgentAudit policy (not run): <why>". With `approval="interrupt"`
`instrument` uses the SDK's own tool approval instead: each function tool's `needs_approval` logs
and decides the call, returns True for a held one, and the run ends with it in
`result.interruptions`; `resolve_interruptions(result, timeout=...)` waits for the human and
approves or rejects it in the run state; on `Runner.run(agent, state)` the input guardrail reads
the approval again (state and arguments) before the tool runs. The decision made in
`needs_approval` is kept in this process (by call id): resume in the process that paused.

Not covered: tools that are not `FunctionTool`s — hosted tools (web search, file search, code
interpreter, hosted MCP, image generation) run on the provider's side, and computer/shell/patch
tools have their own approval hooks. `instrument` logs a warning naming them.

Importing this module imports no SDK; using it without the SDK raises an ImportError naming the
extra to install.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import logging
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from agentaudit.errors import ActionBlocked
from agentaudit.models import MAX_REASONING_LENGTH
from agentaudit.protocols import AsyncAuditClient, AuditClient
from agentaudit_integrations._common import RecentCalls, ToolError, require_framework
from agentaudit_integrations._guard import OnBlock, ToolCall, ToolCallGuard, Verdict

if TYPE_CHECKING:  # for readers and type checkers only; never imported at run time
    from agents import ToolInputGuardrail, ToolOutputGuardrail

    from agentaudit.models import Event

__all__ = [
    "AuditGuardrails",
    "ToolError",
    "audit_guardrails",
    "blocked_event",
    "instrument",
    "resolve_interruptions",
]

log = logging.getLogger("agentaudit.integrations.openai_agents")

FRAMEWORK = "openai-agents"
ADAPTER = "OpenAI Agents"  # for the error naming the extra to install
EXTRA = "openai-agents"
INPUT_GUARDRAIL_NAME = "agentaudit_input"
OUTPUT_GUARDRAIL_NAME = "agentaudit_output"
MARK = "_agentaudit_guard"  # set on our guardrails, hooks and wrappers: what makes instrument idempotent
CALL_STASH = "_agentaudit_call"  # on the ToolContext: the input guardrail's (call, verdict)
MAX_REMEMBERED_REASONS = 4096
# How the SDK's default `failure_error_function` words a tool's exception (0.20 adds the error
# text; 0.24 hides it). The exception itself never reaches a guardrail.
SDK_ERROR_PREFIX = "An error occurred while "


# -- the model's text, per tool call --------------------------------------------------------------
class _Reasons(RecentCalls[str, str]):
    """Text the model sent with each tool call, by call id (bounded; read by the input guardrail).

    Process-wide because a tool may be shared by agents instrumented separately; call ids are
    unique per model response, and a later response with the same id overwrites the entry.
    """

    def remember(self, response: Any) -> None:
        texts: list[str] = []
        call_ids: list[str] = []
        for item in getattr(response, "output", None) or ():
            kind = getattr(item, "type", None)
            if kind == "function_call":
                call_ids.append(item.call_id)
            elif kind == "message":
                texts += [getattr(c, "text", None) or "" for c in item.content or ()]
            elif kind == "reasoning":
                texts += [getattr(s, "text", None) or "" for s in item.summary or ()]
        if not call_ids:
            return
        text = "\n".join(t for t in texts if t).strip()[:MAX_REASONING_LENGTH]
        for call_id in call_ids:
            if text:
                self.put(call_id, text)
            else:  # a stale entry from an earlier response with the same id
                self.pop(call_id)


REASONS = _Reasons(MAX_REMEMBERED_REASONS)
# A session id per run, kept on the run's `Usage` object (it goes with the run).
RUN_ID_ATTR = "_agentaudit_run_id"
_RUN_IDS_LOCK = threading.Lock()
ApprovalMode = Literal["wait", "interrupt"]
# approval="interrupt": what `needs_approval` decided for a call, by call id, for the input
# guardrail (which then does not log it again) and `resolve_interruptions`. Process-wide, like
# REASONS; the guard is kept with it so that another instrumentation never takes it.
DECIDED: RecentCalls[str, tuple[ToolCallGuard, ToolCall, Verdict]] = RecentCalls(
    MAX_REMEMBERED_REASONS
)
_hooks_class: type | None = None


def _audit_hooks_class() -> type:
    """`AgentHooks` that remember the model's text, then pass every event to the agent's own hooks.

    Built on first use (it subclasses the SDK's class); every `on_*` method of the installed SDK is
    delegated, so hooks the SDK adds later still reach the user's hooks.
    """
    global _hooks_class
    if _hooks_class is not None:
        return _hooks_class
    from agents.lifecycle import AgentHooksBase

    def delegate(name: str) -> Any:
        async def method(self: Any, *args: Any, **kwargs: Any) -> None:
            if name == "on_llm_end" and len(args) >= 3:
                REASONS.remember(args[2])
            if self.inner is not None:
                await getattr(self.inner, name)(*args, **kwargs)

        method.__name__ = name
        return method

    def __init__(self: Any, inner: Any) -> None:
        self.inner = inner

    namespace: dict[str, Any] = {
        "__doc__": "The agent's hooks, plus AgentAudit remembering the model's text per tool call.",
        "__init__": __init__,
        MARK: True,
    }
    for name in dir(AgentHooksBase):
        if name.startswith("on_") and callable(getattr(AgentHooksBase, name)):
            namespace[name] = delegate(name)
    _hooks_class = type("AgentAuditHooks", (AgentHooksBase,), namespace)
    return _hooks_class


# -- reading SDK objects -------------------------------------------------------------------------
def _arguments(raw: Any) -> Any:
    """The call's arguments: the JSON object the model sent, or the raw text when it is not JSON."""
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw) if raw else {}
    except ValueError:
        return raw


def _run_id(run_context: Any) -> str | None:
    """An id of the run `run_context` belongs to: the SDK gives every tool context of one run
    (and of its handoffs) the run's own `Usage` object, so the id is kept on that object."""
    usage = getattr(run_context, "usage", None)
    if usage is None:
        return None
    with _RUN_IDS_LOCK:
        run_id = getattr(usage, RUN_ID_ATTR, None)
        if not isinstance(run_id, str):
            run_id = uuid.uuid4().hex
            try:
                setattr(usage, RUN_ID_ATTR, run_id)
            except (AttributeError, TypeError):  # a Usage that takes no attribute: no run id
                return None
        return run_id


def _trace_context(tool_context: Any) -> dict[str, Any]:
    """Trace and conversation ids of the run, when tracing or the run config carries them,
    and its `session_id` (provenance follows a session: docs/provenance.md): the run config's
    or trace's `group_id` (the conversation, when the app names it), else the trace, else the
    run."""
    from agents.tracing import get_current_trace

    ctx: dict[str, Any] = {}
    trace = get_current_trace()
    trace_id = getattr(trace, "trace_id", None)
    if trace_id and trace_id != "no-op":
        ctx["trace_id"] = trace_id
    run_config = getattr(tool_context, "run_config", None)
    group_id = getattr(run_config, "group_id", None) or getattr(trace, "group_id", None)
    if group_id:
        ctx["group_id"] = group_id
    session = group_id or ctx.get("trace_id") or _run_id(tool_context)
    if session:
        ctx["session_id"] = str(session)
    return ctx


def _raw_arguments(tool_context: Any) -> Any:
    """The arguments the SDK will invoke the tool with: those of the model's call item (read at
    invoke time), else the ToolContext's copy."""
    tool_call = getattr(tool_context, "tool_call", None)
    if tool_call is not None and hasattr(tool_call, "arguments"):
        return tool_call.arguments
    return getattr(tool_context, "tool_arguments", None)


def _tool_call(data: Any, *, with_reasoning: bool = True) -> ToolCall:
    tool_context = data.context
    call_id = getattr(tool_context, "tool_call_id", None)
    agent_name = getattr(data.agent, "name", None)
    context: dict[str, Any] = {
        "tool_call_id": call_id,
        "tool_namespace": getattr(tool_context, "tool_namespace", None),
        **_trace_context(tool_context),
    }
    return ToolCall(
        tool=getattr(tool_context, "tool_name", None) or "unknown_tool",
        args=_arguments(getattr(tool_context, "tool_arguments", None)),
        current_args=lambda: _arguments(_raw_arguments(tool_context)),
        context=context,
        reasoning=REASONS.get(call_id) if (with_reasoning and call_id) else None,
        agent_name=agent_name,
    )


def _result(output: Any) -> tuple[Any, BaseException | None]:
    """The tool's output as logged: JSON text as JSON; the SDK's error message as an error."""
    if isinstance(output, str):
        if output.startswith(SDK_ERROR_PREFIX):
            return None, ToolError(output)
        if output[:1] in ("{", "["):
            try:
                return json.loads(output), None
            except ValueError:
                pass
    return output, None


def _output_info(guard: ToolCallGuard, verdict: Verdict) -> dict[str, Any]:
    """What the SDK keeps of our decision (`RunResult.tool_input_guardrail_results`, tripwires)."""
    event = verdict.event
    if not verdict.allowed and event is None and guard.on_block == "raise":
        try:  # fail-closed with no decision: the guard's stand-in event says why
            guard.enforce(verdict)
        except ActionBlocked as blocked:
            event = blocked.event
    held = event is not None and event.decision == "review"
    return {
        "decision": "allow" if verdict.allowed else ("review" if held else "block"),
        "event_id": verdict.event_id,
        "reason": verdict.message,
        # no decision could be had: said by the guard, or by a remote client's stand-in event
        "fallback": verdict.fallback
        or bool(event is not None and event.context.get("audit_fallback")),
        "event": event,
    }


def blocked_event(error: BaseException) -> Event | None:
    """The audit event carried by a tool-guardrail tripwire error raised under on_block="raise"."""
    info = getattr(getattr(error, "output", None), "output_info", None)
    return info.get("event") if isinstance(info, dict) else None


# -- the guardrail pair --------------------------------------------------------------------------
@dataclass(frozen=True)
class AuditGuardrails:
    """The input/output tool-guardrail pair of one guard. Unpacks as `inp, out = ...`."""

    input: ToolInputGuardrail[Any]
    output: ToolOutputGuardrail[Any]
    guard: ToolCallGuard

    def __iter__(self) -> Iterator[Any]:
        return iter((self.input, self.output))


def audit_guardrails(
    audit: AuditClient | AsyncAuditClient,
    agent_id: str | None = None,
    on_block: OnBlock = "reject",
    log_results: bool = True,
    *,
    approval_timeout: float = 0.0,
    approval_poll: float = 1.0,
) -> AuditGuardrails:
    """Build the guardrail pair for `@function_tool(...)`, `FunctionTool(...)` or an MCP server.

    `approval_timeout` (seconds): how long a call held for review waits in the input guardrail
    for a human's decision (0, the default: it is refused at once)."""
    agents = require_framework(ADAPTER, EXTRA, "agents")
    guard = ToolCallGuard(
        audit,
        framework=FRAMEWORK,
        agent_id=agent_id,
        on_block=on_block,
        log_results=log_results,
        approval_timeout=approval_timeout,
        approval_poll=approval_poll,
    )
    allow = agents.ToolGuardrailFunctionOutput.allow
    reject = agents.ToolGuardrailFunctionOutput.reject_content
    stop = agents.ToolGuardrailFunctionOutput.raise_exception

    async def agentaudit_input(data: Any) -> Any:
        """Log the call; refuse it (or stop the run) when AgentAudit blocks it."""
        call_id = getattr(data.context, "tool_call_id", None)
        decided = DECIDED.pop(call_id) if call_id else None
        if decided is not None and decided[0] is guard:  # logged by needs_approval already
            _, call, verdict = decided
            if guard.is_held(verdict) and verdict.event is not None:  # resumed after the pause
                call.current_args = lambda: _arguments(_raw_arguments(data.context))
                verdict = await guard.areview(call, verdict.event)
        else:
            call = _tool_call(data)
            verdict = await guard.acheck(call)
        # The output guardrail gets the same ToolContext: link the result to this call (a context
        # that takes no attributes leaves results unlinked).
        with contextlib.suppress(AttributeError):
            setattr(data.context, CALL_STASH, (call, verdict))
        if verdict.allowed:
            return allow(output_info=_output_info(guard, verdict))
        if guard.on_block == "raise":
            return stop(output_info=_output_info(guard, verdict))
        return reject(verdict.message or "", output_info=_output_info(guard, verdict))

    async def agentaudit_output(data: Any) -> Any:
        """Log what an allowed tool returned, linked to its call. Never changes the result."""
        if guard.log_results:
            stashed = getattr(data.context, CALL_STASH, None)
            call, verdict = stashed if stashed else (_tool_call(data, with_reasoning=False), None)
            result, error = _result(data.output)
            await guard.arecord_result(call, verdict, result=result, error=error)
        return allow()

    pair = AuditGuardrails(
        input=agents.ToolInputGuardrail(
            guardrail_function=agentaudit_input, name=INPUT_GUARDRAIL_NAME
        ),
        output=agents.ToolOutputGuardrail(
            guardrail_function=agentaudit_output, name=OUTPUT_GUARDRAIL_NAME
        ),
        guard=guard,
    )
    setattr(pair.input, MARK, guard)
    setattr(pair.output, MARK, guard)
    return pair


# -- instrument ----------------------------------------------------------------------------------
def _guarded(guardrails: Any) -> bool:
    return any(getattr(g, MARK, None) is not None for g in guardrails or ())


def _attach(holder: Any, pair: AuditGuardrails) -> bool:
    """Put the pair first on a FunctionTool or MCP server (first, so the audit sees every call)."""
    if _guarded(holder.tool_input_guardrails) or _guarded(holder.tool_output_guardrails):
        return False
    holder.tool_input_guardrails = [pair.input, *(holder.tool_input_guardrails or ())]
    holder.tool_output_guardrails = [pair.output, *(holder.tool_output_guardrails or ())]
    return True


def _pause_held_calls(tool: Any, guard: ToolCallGuard, agent_name: str | None) -> None:
    """approval="interrupt": decide each call in the tool's `needs_approval`, so the SDK pauses
    the run on a call held for review; the tool's own `needs_approval` still applies to the
    others."""
    inner = tool.needs_approval
    if getattr(inner, MARK, None) is not None:
        return

    async def needs_approval(run_context: Any, params: Any, call_id: str) -> bool:
        call = ToolCall(
            tool=tool.name,
            args=params,
            context={"tool_call_id": call_id, **_trace_context(run_context)},
            reasoning=REASONS.get(call_id),
            agent_name=agent_name,
        )
        verdict = await guard.acheck(call)
        DECIDED.put(call_id, (guard, call, verdict))  # the input guardrail enforces it
        if guard.is_held(verdict):
            # the run ends here: the approval request must be stored before a human looks
            flush = getattr(guard.audit, "flush", None)
            flushed = flush() if flush is not None else None
            if inspect.isawaitable(flushed):
                await flushed
            return True
        if not callable(inner):
            return bool(inner)
        answer = inner(run_context, params, call_id)
        return bool(await answer if inspect.isawaitable(answer) else answer)

    setattr(needs_approval, MARK, guard)
    tool.needs_approval = needs_approval


async def resolve_interruptions(result: Any, *, timeout: float = 0.0) -> Any:
    """For `instrument(..., approval="interrupt")`: wait (at most `timeout` seconds, reading
    every `approval_poll` of `instrument`) for the human's decision on each call AgentAudit
    paused the run for, approve or reject it in the run's state, and return that state for
    `Runner.run(agent, state)`.

    Rejected calls carry AgentAudit's reason to the model. An approved call is checked once
    more by the input guardrail when the run resumes (approval state and arguments), so an
    approval given for other arguments, or withdrawn meanwhile, still never runs. Interruptions
    that are not AgentAudit's (a tool's own `needs_approval`) are left for the caller."""
    state = result.to_state()
    for item in getattr(result, "interruptions", None) or ():
        call_id = getattr(getattr(item, "raw_item", None), "call_id", None)
        if not isinstance(call_id, str):
            continue
        decided = DECIDED.get(call_id)
        if decided is None or not decided[0].is_held(decided[2]):
            continue
        guard, call, verdict = decided
        if verdict.event is None:
            continue
        raw_item = item.raw_item
        call.current_args = lambda raw_item=raw_item: _arguments(raw_item.arguments)
        outcome = await guard.areview(call, verdict.event, timeout)
        if outcome.allowed:
            state.approve(item)
        else:
            DECIDED.pop(call_id)
            state.reject(item, rejection_message=outcome.message)
    return state


def _wrap_get_mcp_tools(agent: Any, pair: AuditGuardrails) -> None:
    """For MCP servers without tool guardrails (SDK 0.20): guard each MCP tool as it is listed."""
    original = agent.get_mcp_tools
    if getattr(original, MARK, None) is not None:
        return

    async def get_mcp_tools(run_context: Any) -> list[Any]:
        from agents import FunctionTool

        tools = await original(run_context)
        for tool in tools:
            if isinstance(tool, FunctionTool):
                _attach(tool, pair)
        return tools

    setattr(get_mcp_tools, MARK, pair.guard)
    object.__setattr__(agent, "get_mcp_tools", get_mcp_tools)


def _install_hooks(agent: Any) -> None:
    hooks = getattr(agent, "hooks", None)
    if getattr(hooks, MARK, None) is None:
        agent.hooks = _audit_hooks_class()(hooks)


def _linked_agents(agent: Any, function_tool: type, unreachable: list[str]) -> Iterator[Any]:
    """Handoff targets and agents used as tools (read from the SDK's private back references).

    A hand-built `Handoff` without a reference to its agent is named in `unreachable`.
    """
    for handoff in getattr(agent, "handoffs", None) or ():
        ref = getattr(handoff, "_agent_ref", None)
        target = ref() if callable(ref) else handoff
        if target is not None and hasattr(target, "tools"):
            yield target
        else:
            name = getattr(handoff, "agent_name", None) or getattr(handoff, "tool_name", "?")
            unreachable.append(f"handoff to {name} (instrument its agent yourself)")
    for tool in getattr(agent, "tools", None) or ():
        inner = getattr(tool, "_agent_instance", None) if isinstance(tool, function_tool) else None
        if inner is not None and hasattr(inner, "tools"):
            yield inner


def instrument(
    agent: Any,
    audit: AuditClient | AsyncAuditClient,
    agent_id: str | None = None,
    on_block: OnBlock = "reject",
    log_results: bool = True,
    *,
    approval_timeout: float = 0.0,
    approval_poll: float = 1.0,
    approval: ApprovalMode = "wait",
) -> Any:
    """Guard every function tool of `agent` and of the agents it hands off to or uses as tools.

    Returns the same agent. Idempotent: tools, servers and hooks already guarded are left as they
    are, so instrumenting twice never logs a call twice. Without `agent_id` each agent's name
    names it in the trail. With `approval_timeout` (seconds), a call held for review waits that
    long for a human's decision before it runs or is refused. With `approval="interrupt"`, a
    held call pauses the run instead (the SDK's `needs_approval`): the result's `interruptions`
    list it, `resolve_interruptions(result)` waits for the human and returns the state to resume.
    """
    if approval not in ("wait", "interrupt"):
        raise ValueError(f"approval must be 'wait' or 'interrupt', not {approval!r}")
    if approval == "interrupt" and approval_timeout:
        raise ValueError(
            "approval='interrupt' pauses the run: give the wait to resolve_interruptions(timeout=)"
        )
    agents = require_framework(ADAPTER, EXTRA, "agents")
    pair = audit_guardrails(
        audit,
        agent_id=agent_id,
        on_block=on_block,
        log_results=log_results,
        approval_timeout=approval_timeout,
        approval_poll=approval_poll,
    )
    unguarded: list[str] = []
    seen: set[int] = set()
    pending = [agent]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for tool in getattr(current, "tools", None) or ():
            if isinstance(tool, agents.FunctionTool):
                _attach(tool, pair)
                if approval == "interrupt":
                    _pause_held_calls(tool, pair.guard, getattr(current, "name", None))
            else:
                unguarded.append(f"{getattr(tool, 'name', '?')} ({type(tool).__name__})")
        for server in getattr(current, "mcp_servers", None) or ():
            if hasattr(server, "tool_input_guardrails"):
                _attach(server, pair)
            else:
                _wrap_get_mcp_tools(current, pair)
        _install_hooks(current)
        pending.extend(_linked_agents(current, agents.FunctionTool, unguarded))
    if unguarded:
        log.warning(
            "agentaudit: these tools run outside the SDK's function-tool path and cannot be "
            "audited or blocked: %s",
            ", ".join(sorted(set(unguarded))),
        )
    return agent
