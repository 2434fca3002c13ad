"""OpenTelemetry: one span per audited tool call, following the GenAI conventions for tool
execution, with the guard's verdict on it.

    from agentaudit_integrations.otel import traced, configure_tracing
    configure_tracing()                      # OTLP/HTTP to $OTEL_EXPORTER_OTLP_ENDPOINT (optional)
    audit = traced(AgentAudit())             # or traced(AsyncAgentAudit()); pass it to any adapter

Each call logged through the wrapper becomes a span `execute_tool {tool}` (kind INTERNAL,
`gen_ai.operation.name = execute_tool`, `gen_ai.tool.name`, `gen_ai.tool.call.id`, …), a child of
the current span — the framework's tool or agent span when the framework is instrumented — or of
the W3C `traceparent` found in the call's context. The guard's attributes sit beside them:

    agentaudit.decision      allow | block | unavailable   the verdict of the policy
    agentaudit.enforced      allow | block                 what the guard did (fail_mode when
                                                           no verdict could be had)
    agentaudit.fallback      true when fail_mode decided
    agentaudit.risk_level, agentaudit.rule, agentaudit.reason, agentaudit.event_id,
    agentaudit.articles (["gdpr.art_30", "ai_act.art_14", …]), agentaudit.frameworks.<name>,
    agentaudit.pii_fields, agentaudit.secret_fields (types only, never values)

A refused call ends with status ERROR and `error.type = agentaudit.blocked`. Arguments are not
recorded unless asked (`record_arguments=True`: `gen_ai.tool.call.arguments`, opt-in in the
conventions because they may carry personal data). Needs the `otel` extra.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

SCOPE = "agentaudit"
CALL_ID_KEYS = ("tool_call_id", "tool_use_id", "call_id")
MAX_ATTRIBUTE_CHARS = 4096
BLOCKED = "agentaudit.blocked"


def _require_otel() -> Any:
    try:
        from opentelemetry import trace
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "AgentAudit's OpenTelemetry spans need the `otel` extra: pip install 'agentaudit[otel]'"
        ) from exc
    return trace


def configure_tracing(
    *,
    endpoint: str | None = None,
    headers: Mapping[str, str] | None = None,
    service_name: str = "agentaudit",
    set_global: bool = True,
) -> Any:
    """A TracerProvider exporting over OTLP/HTTP (protobuf) in batches; the endpoint and
    headers default to the standard OTEL_EXPORTER_OTLP_* variables. Skip this if your
    application already configures OpenTelemetry: the spans then go wherever its go."""
    trace = _require_otel()
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as exc:  # the API alone is installed (a library pulled it in)
        raise ImportError(
            "configure_tracing needs the OpenTelemetry SDK and OTLP exporter of the `otel` "
            "extra: pip install 'agentaudit[otel]'"
        ) from exc

    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    exporter = OTLPSpanExporter(endpoint=endpoint, headers=dict(headers) if headers else None)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    if set_global:
        trace.set_tracer_provider(provider)
    return provider


def rule_of(event: Any) -> str | None:
    """The rule that refused a call, from the event's reason (policy.decide names it there:
    "risk critical >= block_on critical: <rule>: <evidence>", "… blocked_actions pattern …",
    "carries … (block_pii_types)"); None for an allowed call."""
    explicit = getattr(event, "rule", None)
    if isinstance(explicit, str) and explicit:
        return explicit
    reason = getattr(event, "reason", None) or ""
    if getattr(event, "decision", None) != "block" or not reason:
        return None
    if reason.startswith("audit unavailable"):
        return "fail_mode"
    if "blocked_actions pattern" in reason:
        return "policy.blocked_actions"
    if reason.endswith("(block_pii_types)"):
        return "policy.block_pii_types"
    if reason.startswith("risk ") and " >= block_on " in reason:
        parts = reason.split(": ", 2)
        return parts[1] if len(parts) > 1 and parts[1] else "policy.block_on"
    return None


class ToolSpans:
    """Starts and finishes the `execute_tool` spans (the wrappers below and the MCP gateway)."""

    def __init__(self, tracer_provider: Any = None, *, record_arguments: bool = False) -> None:
        trace = _require_otel()
        from agentaudit import __version__

        self._trace = trace
        self._tracer = trace.get_tracer(SCOPE, __version__, tracer_provider=tracer_provider)
        self.record_arguments = record_arguments

    def start(
        self,
        tool: str,
        *,
        agent: str | None = None,
        context: Mapping[str, Any] | None = None,
        arguments: Any = None,
        tool_type: str = "function",
    ) -> Any:
        """A started (not current) span, child of the current span or of the context's
        `traceparent`."""
        ctx = context or {}
        attributes: dict[str, Any] = {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": tool,
            "gen_ai.tool.type": tool_type,
        }
        call_id = next((ctx[k] for k in CALL_ID_KEYS if ctx.get(k)), None)
        if call_id is not None:
            attributes["gen_ai.tool.call.id"] = str(call_id)
        name = ctx.get("agent_name") or agent
        if name:
            attributes["gen_ai.agent.name"] = str(name)
        if ctx.get("session_id"):
            attributes["gen_ai.conversation.id"] = str(ctx["session_id"])
        if ctx.get("framework"):
            attributes["agentaudit.framework"] = str(ctx["framework"])
        if self.record_arguments and arguments is not None:
            attributes["gen_ai.tool.call.arguments"] = _text(arguments)
        return self._tracer.start_span(
            f"execute_tool {tool}",
            context=_parent(ctx),
            kind=self._trace.SpanKind.INTERNAL,
            attributes=attributes,
        )

    def decided(
        self, span: Any, event: Any, *, fail_mode: str, error: BaseException | None = None
    ) -> bool:
        """Put the verdict and what the guard enforces on the span; True when the call may run."""
        fallback = event is None or bool(getattr(event, "context", {}).get("audit_fallback"))
        if event is None:
            decision = "unavailable"
            allowed = fail_mode == "open"
        else:
            decision = "unavailable" if fallback else str(event.decision)
            allowed = str(event.decision) == "allow"
        span.set_attribute("agentaudit.decision", decision)
        span.set_attribute("agentaudit.enforced", "allow" if allowed else "block")
        span.set_attribute("agentaudit.fallback", fallback)
        span.set_attribute("agentaudit.fail_mode", fail_mode)
        if error is not None:
            span.record_exception(error)
        if event is not None:
            _event_attributes(span, event)
        if not allowed:
            reason = getattr(event, "reason", None) or (
                f"audit unavailable: {type(error).__name__}: {error}" if error else "blocked"
            )
            span.set_attribute("error.type", BLOCKED)
            span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, reason[:500]))
        return allowed

    def finish(
        self, span: Any, *, error_type: str | None = None, message: str | None = None
    ) -> None:
        """End the span; `error_type` when the tool itself failed (`error.type`)."""
        if error_type is not None:
            span.set_attribute("error.type", error_type)
            span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, (message or "")[:500]))
        span.end()

    def result(self, span: Any, result: Any) -> None:
        """`gen_ai.tool.call.result` (opt-in, like the arguments)."""
        if self.record_arguments and result is not None:
            span.set_attribute("gen_ai.tool.call.result", _text(result))


def _event_attributes(span: Any, event: Any) -> None:
    span.set_attribute("agentaudit.event_id", str(event.id))
    span.set_attribute("agentaudit.risk_level", str(event.risk_level))
    span.set_attribute("agentaudit.stored", bool(event.stored))
    if event.reason:
        span.set_attribute("agentaudit.reason", event.reason[:MAX_ATTRIBUTE_CHARS])
    rule = rule_of(event)
    if rule:
        span.set_attribute("agentaudit.rule", rule)
    articles: list[str] = []
    for framework, items in sorted((event.frameworks or {}).items()):
        span.set_attribute(f"agentaudit.frameworks.{framework}", list(items))
        articles.extend(f"{framework}.{a}" for a in items)
    span.set_attribute("agentaudit.articles", articles)
    span.set_attribute("agentaudit.pii_fields", list(event.pii_fields))
    span.set_attribute("agentaudit.secret_fields", list(event.secret_fields))


def _parent(ctx: Mapping[str, Any]) -> Any:
    """The context of a W3C `traceparent` carried by the call (MCP `_meta`, a remote caller);
    None means the current span."""
    traceparent = ctx.get("traceparent")
    if not isinstance(traceparent, str):
        return None
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    carrier = {"traceparent": traceparent}
    if isinstance(ctx.get("tracestate"), str):
        carrier["tracestate"] = ctx["tracestate"]
    return TraceContextTextMapPropagator().extract(carrier)


def _text(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text[:MAX_ATTRIBUTE_CHARS]


def _is_result(context: Mapping[str, Any] | None) -> bool:
    """The adapters log a tool's result or error as a separate event (context.phase)."""
    return context is not None and context.get("phase") in ("result", "error")


# -- the client wrappers ---------------------------------------------------------------------------
class _Traced:
    def __init__(
        self, audit: Any, tracer_provider: Any = None, *, record_arguments: bool = False
    ) -> None:
        self._audit = audit
        self._spans = ToolSpans(tracer_provider, record_arguments=record_arguments)

    def __getattr__(self, name: str) -> Any:  # list_events, get_policy, mode, fail_mode, …
        return getattr(self._audit, name)

    @property
    def fail_mode(self) -> str:
        mode = getattr(self._audit, "fail_mode", "closed")
        return mode if mode in ("open", "closed") else "closed"

    def __repr__(self) -> str:
        return f"traced({self._audit!r})"


class TracedAudit(_Traced):
    """`AgentAudit` with a span per logged tool call (see the module docstring)."""

    def log(
        self,
        agent_id: str,
        action: str,
        data: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
        reasoning: str | None = None,
        **options: Any,
    ) -> Any:
        if _is_result(context):
            return self._audit.log(agent_id, action, data, context, reasoning, **options)
        span = self._spans.start(action, agent=agent_id, context=context, arguments=data)
        try:
            event = self._audit.log(agent_id, action, data, context, reasoning, **options)
        except BaseException as exc:
            self._spans.decided(span, None, fail_mode=self.fail_mode, error=exc)
            self._spans.finish(span)
            raise
        self._spans.decided(span, event, fail_mode=self.fail_mode)
        self._spans.finish(span)
        return event

    def __enter__(self) -> TracedAudit:
        return self

    def __exit__(self, *exc: object) -> None:
        self._audit.close()


class AsyncTracedAudit(_Traced):
    """`AsyncAgentAudit` with a span per logged tool call."""

    async def log(
        self,
        agent_id: str,
        action: str,
        data: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
        reasoning: str | None = None,
        **options: Any,
    ) -> Any:
        if _is_result(context):
            return await self._audit.log(agent_id, action, data, context, reasoning, **options)
        span = self._spans.start(action, agent=agent_id, context=context, arguments=data)
        try:
            event = await self._audit.log(agent_id, action, data, context, reasoning, **options)
        except BaseException as exc:
            self._spans.decided(span, None, fail_mode=self.fail_mode, error=exc)
            self._spans.finish(span)
            raise
        self._spans.decided(span, event, fail_mode=self.fail_mode)
        self._spans.finish(span)
        return event

    async def __aenter__(self) -> AsyncTracedAudit:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._audit.close()


def traced(
    audit: Any, tracer_provider: Any = None, *, record_arguments: bool = False
) -> TracedAudit | AsyncTracedAudit:
    """`audit` (AgentAudit or AsyncAgentAudit) exporting a span per audited tool call."""
    kind = AsyncTracedAudit if hasattr(audit, "__aenter__") else TracedAudit
    return kind(audit, tracer_provider, record_arguments=record_arguments)
