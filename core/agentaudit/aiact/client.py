"""The AI Act methods of `AgentAudit` and `AsyncAgentAudit`, embedded or remote alike.

Each operation is written once as a pair: an HTTP procedure (run by the remote backends, with
their retries and typed errors) and an in-process function on the embedded store. The two client
classes mix these methods in; they answer with typed models, not dicts (upstream's SDK returns
dicts of the same shapes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import pydantic
import pydantic_core

from agentaudit._http import Call, Procedure, request
from agentaudit.aiact.models import AISystem, AISystemIn, SystemList, SystemStats
from agentaudit.aiact.service import AiActService, SystemNotFound
from agentaudit.aiact.status import DEFAULT_LOGGING_DAYS, ComplianceStatus
from agentaudit.aiact.suggest import Suggestion
from agentaudit.errors import ConfigurationError, NotFoundError
from agentaudit.models import EventPage


@dataclass(frozen=True)
class Op:
    remote: Callable[[Any], Procedure]  # given the remote backend's core
    local: Callable[[Any], Any]  # given the embedded backend


def _id(system_id: str) -> str:
    if not system_id:
        raise ConfigurationError("system_id must not be empty")
    return quote(system_id, safe="")


def _get(core: Any, path: str, params: dict[str, str] | None = None) -> Procedure:
    response = yield from core.get(path, params)
    return response


def _send(core: Any, method: str, path: str, body: Mapping[str, Any] | None = None) -> Procedure:
    data = None if body is None else pydantic_core.to_json(dict(body))
    response = yield from request(Call(method, path, body=data), core.policy, core._retries())
    return response


def _json_model(model: type[pydantic.BaseModel], proc: Procedure) -> Procedure:
    response = yield from proc
    return model.model_validate_json(response.content)


def _bytes(proc: Procedure) -> Procedure:
    response = yield from proc
    return response.content


def _service(backend: Any) -> AiActService:
    found = getattr(backend, "_ai_act", None)
    if found is None:
        found = AiActService(backend.store)
        backend._ai_act = found
    return found


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    from agentaudit.models import EventFilter

    flt = EventFilter(after=value)  # naive means UTC, as for events
    assert flt.after is not None
    return flt.after.isoformat()


def _fields(fields: Mapping[str, Any] | None, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    return {**(fields or {}), **kwargs}


# -- the operations -----------------------------------------------------------------------------------
def create_op(body: dict[str, Any]) -> Op:
    return Op(
        lambda c: _json_model(AISystem, _send(c, "POST", "/v1/systems", body)),
        lambda b: _service(b).create(b.org_id, body),
    )


def list_op(include_inactive: bool) -> Op:
    params = {"include_inactive": "true" if include_inactive else "false"}
    return Op(
        lambda c: _json_model(SystemList, _get(c, "/v1/systems", params)),
        lambda b: _as_list(_service(b).list_systems(b.org_id, include_inactive)),
    )


def _as_list(systems: list[AISystem]) -> SystemList:
    return SystemList(systems=systems, total=len(systems))


def get_op(system_id: str) -> Op:
    return Op(
        lambda c: _json_model(AISystem, _get(c, f"/v1/systems/{_id(system_id)}")),
        lambda b: _service(b).get(b.org_id, system_id),
    )


def update_op(system_id: str, patch: dict[str, Any]) -> Op:
    return Op(
        lambda c: _json_model(AISystem, _send(c, "PUT", f"/v1/systems/{_id(system_id)}", patch)),
        lambda b: _service(b).update(b.org_id, system_id, patch),
    )


def delete_op(system_id: str) -> Op:
    def remote(c: Any) -> Procedure:
        yield from _send(c, "DELETE", f"/v1/systems/{_id(system_id)}")

    def local(b: Any) -> None:
        _service(b).deactivate(b.org_id, system_id)

    return Op(remote, local)


def events_op(system_id: str, limit: int, offset: int) -> Op:
    params = {"limit": str(limit), "offset": str(offset)}
    return Op(
        lambda c: _json_model(EventPage, _get(c, f"/v1/systems/{_id(system_id)}/events", params)),
        lambda b: _service(b).system_events(b.org_id, system_id, limit=limit, offset=offset),
    )


def stats_op(system_id: str) -> Op:
    def local(b: Any) -> SystemStats:
        service = _service(b)
        return service.stats(b.org_id, service.get(b.org_id, system_id))

    return Op(
        lambda c: _json_model(SystemStats, _get(c, f"/v1/systems/{_id(system_id)}/stats")),
        local,
    )


def suggestion_op(system_id: str) -> Op:
    path = f"/v1/systems/{_id(system_id)}/classification-suggestion"
    return Op(
        lambda c: _json_model(Suggestion, _get(c, path)),
        lambda b: _service(b).suggestion(b.org_id, system_id),
    )


def status_op(logging_days: int, verify: bool) -> Op:
    params = {"logging_days": str(logging_days), "verify": "true" if verify else "false"}
    return Op(
        lambda c: _json_model(ComplianceStatus, _get(c, "/v1/compliance/ai-act/status", params)),
        lambda b: _service(b).status(b.org_id, logging_days=logging_days, verify=verify),
    )


def report_op(fmt: str, after: datetime | None, before: datetime | None) -> Op:
    params = {"format": fmt}
    for name, value in (("after", _iso(after)), ("before", _iso(before))):
        if value is not None:
            params[name] = value

    def local(b: Any) -> bytes:
        from datetime import UTC

        from agentaudit.aiact.report import render_report
        from agentaudit.aiact.report.data import default_period

        start, end = default_period(datetime.now(UTC))
        start = _aware(after) or start
        end = _aware(before) or end
        if start >= end:
            raise ConfigurationError("before must be later than after")
        return render_report(b.service, b.org_id, start, end, fmt)

    return Op(lambda c: _bytes(_get(c, "/v1/compliance/ai-act/report", params)), local)


def _aware(value: datetime | None) -> datetime | None:
    from datetime import UTC

    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def fria_op(system_id: str, fmt: str) -> Op:
    def local(b: Any) -> bytes:
        from agentaudit.aiact.report import render_fria

        _service(b).get(b.org_id, system_id)
        return render_fria(b.service, b.org_id, system_id, fmt)

    path = f"/v1/compliance/ai-act/fria/{_id(system_id)}"
    return Op(lambda c: _bytes(_get(c, path, {"format": fmt})), local)


def _check_format(fmt: str) -> str:
    if fmt not in ("pdf", "html"):
        raise ConfigurationError(f"format must be pdf or html, not {fmt!r}")
    return fmt


def _validated_new(body: dict[str, Any]) -> dict[str, Any]:
    """Checked here, so a bad field fails before anything is sent or stored."""
    AISystemIn.model_validate(body)
    return body


def _mapped(fn: Callable[[], Any]) -> Any:
    """Embedded answers raise the same typed errors as remote ones."""
    from agentaudit.client import validation_error

    try:
        return fn()
    except SystemNotFound as exc:
        raise NotFoundError(str(exc), status_code=404) from None
    except pydantic.ValidationError as exc:
        raise validation_error(exc) from None


# -- the methods ------------------------------------------------------------------------------------
class AiActMethods:
    """The AI Act register on the synchronous client (see docs/ai-act.md)."""

    _backend: Any

    def _ai_act(self, make: Callable[[], Op]) -> Any:
        backend = self._backend
        op = _mapped(make)
        if hasattr(backend, "_core"):  # remote
            return backend._run(op.remote(backend._core))
        return _mapped(lambda: op.local(backend))

    def create_system(self, fields: Mapping[str, Any] | None = None, /, **kwargs: Any) -> AISystem:
        """Register an AI system; `name` is required (fields as keywords or one mapping)."""
        body = _fields(fields, kwargs)
        return self._ai_act(lambda: create_op(_validated_new(body)))

    def list_systems(self, *, include_inactive: bool = False) -> SystemList:
        return self._ai_act(lambda: list_op(include_inactive))

    def get_system(self, system_id: str) -> AISystem:
        return self._ai_act(lambda: get_op(system_id))

    def update_system(
        self, system_id: str, fields: Mapping[str, Any] | None = None, /, **kwargs: Any
    ) -> AISystem:
        """Change only the fields given (None clears a date or the Annex III area)."""
        return self._ai_act(lambda: update_op(system_id, _fields(fields, kwargs)))

    def delete_system(self, system_id: str) -> None:
        """Deactivate (soft delete): kept for the trail and past reports."""
        self._ai_act(lambda: delete_op(system_id))

    def list_system_events(self, system_id: str, *, limit: int = 50, offset: int = 0) -> EventPage:
        return self._ai_act(lambda: events_op(system_id, limit, offset))

    def get_system_stats(self, system_id: str) -> SystemStats:
        return self._ai_act(lambda: stats_op(system_id))

    def get_classification_suggestion(self, system_id: str) -> Suggestion:
        return self._ai_act(lambda: suggestion_op(system_id))

    def get_compliance_status(
        self, *, logging_days: int = DEFAULT_LOGGING_DAYS, verify: bool = False
    ) -> ComplianceStatus:
        return self._ai_act(lambda: status_op(logging_days, verify))

    def ai_act_report(
        self,
        *,
        format: str = "pdf",
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> bytes:
        """The AI Act compliance report of a period (default: the last 90 days), PDF or HTML."""
        return self._ai_act(lambda: report_op(_check_format(format), after, before))

    def fria_report(self, system_id: str, *, format: str = "pdf") -> bytes:
        """The pre-filled fundamental-rights impact assessment of one system."""
        return self._ai_act(lambda: fria_op(system_id, _check_format(format)))


class AsyncAiActMethods:
    """The same methods on the async client; embedded work runs in its worker threads."""

    _backend: Any

    async def _ai_act(self, make: Callable[[], Op]) -> Any:
        backend = self._backend
        op = _mapped(make)
        if hasattr(backend, "_core"):  # remote
            return await backend._run(op.remote(backend._core))
        return await backend._in_thread(_mapped, lambda: op.local(backend.sync))

    async def create_system(
        self, fields: Mapping[str, Any] | None = None, /, **kwargs: Any
    ) -> AISystem:
        body = _fields(fields, kwargs)
        return await self._ai_act(lambda: create_op(_validated_new(body)))

    async def list_systems(self, *, include_inactive: bool = False) -> SystemList:
        return await self._ai_act(lambda: list_op(include_inactive))

    async def get_system(self, system_id: str) -> AISystem:
        return await self._ai_act(lambda: get_op(system_id))

    async def update_system(
        self, system_id: str, fields: Mapping[str, Any] | None = None, /, **kwargs: Any
    ) -> AISystem:
        return await self._ai_act(lambda: update_op(system_id, _fields(fields, kwargs)))

    async def delete_system(self, system_id: str) -> None:
        await self._ai_act(lambda: delete_op(system_id))

    async def list_system_events(
        self, system_id: str, *, limit: int = 50, offset: int = 0
    ) -> EventPage:
        return await self._ai_act(lambda: events_op(system_id, limit, offset))

    async def get_system_stats(self, system_id: str) -> SystemStats:
        return await self._ai_act(lambda: stats_op(system_id))

    async def get_classification_suggestion(self, system_id: str) -> Suggestion:
        return await self._ai_act(lambda: suggestion_op(system_id))

    async def get_compliance_status(
        self, *, logging_days: int = DEFAULT_LOGGING_DAYS, verify: bool = False
    ) -> ComplianceStatus:
        return await self._ai_act(lambda: status_op(logging_days, verify))

    async def ai_act_report(
        self,
        *,
        format: str = "pdf",
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> bytes:
        return await self._ai_act(lambda: report_op(_check_format(format), after, before))

    async def fria_report(self, system_id: str, *, format: str = "pdf") -> bytes:
        return await self._ai_act(lambda: fria_op(system_id, _check_format(format)))
