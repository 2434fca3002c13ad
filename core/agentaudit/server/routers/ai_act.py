"""/v1/systems and /v1/compliance/ai-act: the AI Act register, each system's trail, the
classification suggestion, the compliance status and the reports (see docs/ai-act.md).

Paths, fields and answers match the upstream product's (AgenticAudit SDK 0.3.0 works
unchanged); everything we add is additive. Reads are sync routes (FastAPI runs them in its
thread pool); writes read their bounded body on the loop, then work in the pool.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError as PydanticValidationError

from agentaudit.aiact.models import AISystem, SystemList, SystemStats
from agentaudit.aiact.service import AiActService, SystemNotFound
from agentaudit.aiact.status import DEFAULT_LOGGING_DAYS, ComplianceStatus
from agentaudit.aiact.suggest import Suggestion
from agentaudit.models import Decision, EventPage
from agentaudit.server import openapi_docs as docs
from agentaudit.server.deps import OrgId, authenticate, parse_object, read_body
from agentaudit.server.errors import ApiError, field_errors
from agentaudit.server.routers.events import Instant

router = APIRouter(tags=["ai-act"])

SYSTEM_BODY_LIMIT = 64 * 1024
MAX_REPORT_DAYS = 3660
NOT_FOUND: docs.Responses = {
    404: {"model": docs._ERRORS[404][0], "description": "no such AI system"}
}
PDF: docs.Responses = {200: {"content": {"application/pdf": {}}, "description": "a PDF file"}}
HTML_OR_PDF: docs.Responses = {
    200: {
        "content": {"application/pdf": {}, "text/html": {}},
        "description": "the report as a PDF or a self-contained HTML file",
    }
}


def ai_act(request: Request) -> AiActService:
    """The app's AI Act service, made on first use (it wraps the app's store)."""
    state = request.app.state
    found = getattr(state, "ai_act", None)
    if found is None:
        found = AiActService(state.service.store)
        state.ai_act = found
    return found


def _not_found(exc: SystemNotFound) -> ApiError:
    return ApiError(404, str(exc))


def _invalid(exc: PydanticValidationError) -> ApiError:
    return ApiError(422, field_errors(exc, ("body",)))


def _get(request: Request, org_id: str, system_id: str) -> AISystem:
    try:
        return ai_act(request).get(org_id, system_id)
    except SystemNotFound as exc:
        raise _not_found(exc) from None


# -- the register ----------------------------------------------------------------------------------
@router.post(
    "/v1/systems",
    status_code=201,
    response_model=AISystem,
    responses=docs.errors(400, 401, 413, 415, 422),
    openapi_extra=docs.json_body("AISystemIn", "A new AI system; only `name` is required."),
)
async def create_system(request: Request) -> AISystem:
    """Register an AI system the organisation runs (AI Act Art. 26, 49)."""
    org_id = authenticate(request)
    body = parse_object(await read_body(request, SYSTEM_BODY_LIMIT))
    try:
        return await run_in_threadpool(ai_act(request).create, org_id, body)
    except PydanticValidationError as exc:
        raise _invalid(exc) from None


@router.get("/v1/systems", response_model=SystemList, responses=docs.errors(401, 422))
def list_systems(
    request: Request,
    org_id: OrgId,
    include_inactive: Annotated[bool, Query(description="also the deactivated ones")] = False,
) -> SystemList:
    """The register: every active AI system (with `include_inactive`, every one)."""
    systems = ai_act(request).list_systems(org_id, include_inactive)
    return SystemList(systems=systems, total=len(systems))


@router.get("/v1/systems/for-agent", response_model=SystemList, responses=docs.errors(401, 422))
def systems_for_agent(
    request: Request,
    org_id: OrgId,
    agent_id: Annotated[str, Query(min_length=1, max_length=256, pattern=r"^[^\x00]*$")],
) -> SystemList:
    """The systems an agent's events belong to, most specific pattern first (usually one)."""
    systems = ai_act(request).systems_for_agent(org_id, agent_id)
    return SystemList(systems=systems, total=len(systems))


@router.get(
    "/v1/systems/{system_id}", response_model=AISystem, responses={**docs.errors(401), **NOT_FOUND}
)
def get_system(request: Request, org_id: OrgId, system_id: str) -> AISystem:
    return _get(request, org_id, system_id)


async def _update(request: Request, system_id: str) -> AISystem:
    org_id = authenticate(request)
    patch = parse_object(await read_body(request, SYSTEM_BODY_LIMIT))
    try:
        return await run_in_threadpool(ai_act(request).update, org_id, system_id, patch)
    except SystemNotFound as exc:
        raise _not_found(exc) from None
    except PydanticValidationError as exc:
        raise _invalid(exc) from None


_PATCH_DOC = docs.json_body(
    "AISystemPatch",
    "Any subset of the system's fields; only those sent change (null clears a date or the "
    "Annex III area). The result is validated as a whole: on any error nothing is saved.",
)


@router.put(
    "/v1/systems/{system_id}",
    response_model=AISystem,
    responses={**docs.errors(400, 401, 413, 415, 422), **NOT_FOUND},
    openapi_extra=_PATCH_DOC,
)
async def update_system(request: Request, system_id: str) -> AISystem:
    """Partial update (upstream's PUT semantics)."""
    return await _update(request, system_id)


@router.patch(
    "/v1/systems/{system_id}",
    response_model=AISystem,
    responses={**docs.errors(400, 401, 413, 415, 422), **NOT_FOUND},
    openapi_extra=_PATCH_DOC,
)
async def patch_system(request: Request, system_id: str) -> AISystem:
    """The same partial update as PUT."""
    return await _update(request, system_id)


@router.delete(
    "/v1/systems/{system_id}",
    status_code=204,
    response_class=Response,
    responses={**docs.errors(401), **NOT_FOUND},
)
def delete_system(request: Request, org_id: OrgId, system_id: str) -> Response:
    """Soft delete: the system is deactivated, kept for the trail and past reports."""
    try:
        ai_act(request).deactivate(org_id, system_id)
    except SystemNotFound as exc:
        raise _not_found(exc) from None
    return Response(status_code=204)


# -- a system's trail ----------------------------------------------------------------------------------
@router.get(
    "/v1/systems/{system_id}/events",
    response_model=EventPage,
    responses={**docs.errors(401, 422), **NOT_FOUND},
)
def system_events(
    request: Request,
    org_id: OrgId,
    system_id: str,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**53)] = 0,
    decision: Decision | None = None,
    after: Annotated[Instant | None, Query(description="created at or after (ISO 8601)")] = None,
    before: Annotated[Instant | None, Query(description="created before (ISO 8601)")] = None,
) -> EventPage:
    """Events whose agent_id the system's patterns match, newest first."""
    try:
        return ai_act(request).system_events(
            org_id,
            system_id,
            limit=limit,
            offset=offset,
            after=after,
            before=before,
            decision=decision.value if decision else None,
        )
    except SystemNotFound as exc:
        raise _not_found(exc) from None


@router.get(
    "/v1/systems/{system_id}/stats",
    response_model=SystemStats,
    responses={**docs.errors(401, 422), **NOT_FOUND},
)
def system_stats(
    request: Request,
    org_id: OrgId,
    system_id: str,
    after: Annotated[Instant | None, Query(description="from this UTC day on")] = None,
    before: Annotated[Instant | None, Query(description="up to this instant's UTC day")] = None,
) -> SystemStats:
    """Counts of the system's events by risk level, action, decision and agent."""
    system = _get(request, org_id, system_id)
    return ai_act(request).stats(org_id, system, after, before)


@router.get(
    "/v1/systems/{system_id}/classification-suggestion",
    response_model=Suggestion,
    responses={**docs.errors(401), **NOT_FOUND},
)
def classification_suggestion(request: Request, org_id: OrgId, system_id: str) -> Suggestion:
    """A classification suggested from the system's metadata and its recent events, with the
    evidence of every step. Nothing is changed: a person decides."""
    try:
        return ai_act(request).suggestion(org_id, system_id)
    except SystemNotFound as exc:
        raise _not_found(exc) from None


# -- compliance ----------------------------------------------------------------------------------------
@router.get(
    "/v1/compliance/ai-act/status",
    response_model=ComplianceStatus,
    responses=docs.errors(401, 422),
)
def compliance_status(
    request: Request,
    org_id: OrgId,
    logging_days: Annotated[
        int, Query(ge=1, le=3660, description="Art. 12 check: events within this many days")
    ] = DEFAULT_LOGGING_DAYS,
    verify: Annotated[
        bool, Query(description="also recompute the hash chain (reads every event)")
    ] = False,
) -> ComplianceStatus:
    """Checks per system and overall, a score (share of checks passed), deadlines and next
    steps. Upstream's five check keys are kept; further checks are added beside them."""
    return ai_act(request).status(org_id, logging_days=logging_days, verify=verify)


def _period(after: datetime | None, before: datetime | None) -> tuple[datetime, datetime]:
    from agentaudit.aiact.report.data import default_period

    start, end = default_period(datetime.now(UTC))
    start, end = after or start, before or end
    if (end - start).days > MAX_REPORT_DAYS:
        raise ApiError(
            422,
            [
                {
                    "loc": ["query", "after"],
                    "msg": f"a report covers at most {MAX_REPORT_DAYS} days",
                    "type": "value_error",
                }
            ],
        )
    if start >= end:
        raise ApiError(
            422,
            [{"loc": ["query", "before"], "msg": "must be after `after`", "type": "value_error"}],
        )
    return start, end


def _file(body: bytes, kind: str, name: str) -> Response:
    media = "application/pdf" if kind == "pdf" else "text/html; charset=utf-8"
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{kind}"',
            "Cache-Control": "no-store",
        },
    )


ReportFormat = Annotated[Literal["pdf", "html"], Query(description="pdf or html")]


@router.get(
    "/v1/compliance/ai-act/report",
    response_class=Response,
    responses={**HTML_OR_PDF, **docs.errors(401, 422)},
)
def ai_act_report(
    request: Request,
    org_id: OrgId,
    format: ReportFormat = "pdf",
    after: Annotated[
        Instant | None, Query(description="period start (default: 90 days ago)")
    ] = None,
    before: Annotated[Instant | None, Query(description="period end (default: now)")] = None,
) -> Response:
    """The AI Act compliance report of a period, from the register and the trail."""
    from agentaudit.aiact.report import render_report

    start, end = _period(after, before)
    body = render_report(request.app.state.service, org_id, start, end, format)
    return _file(body, format, f"ai-act-report-{start:%Y%m%d}-{end:%Y%m%d}")


@router.get(
    "/v1/compliance/ai-act/fria/{system_id}/pdf",
    response_class=Response,
    responses={**PDF, **docs.errors(401), **NOT_FOUND},
)
def fria_pdf(request: Request, org_id: OrgId, system_id: str) -> Response:
    """A fundamental-rights impact assessment (Art. 27) of one system, pre-filled from the
    register and the trail, as a PDF."""
    return _fria(request, org_id, system_id, "pdf")


@router.get(
    "/v1/compliance/ai-act/fria/{system_id}",
    response_class=Response,
    responses={**HTML_OR_PDF, **docs.errors(401, 422), **NOT_FOUND},
)
def fria(
    request: Request, org_id: OrgId, system_id: str, format: ReportFormat = "html"
) -> Response:
    """The FRIA of one system as HTML (or PDF)."""
    return _fria(request, org_id, system_id, format)


def _fria(request: Request, org_id: str, system_id: str, kind: str) -> Response:
    from agentaudit.aiact.report import render_fria

    system = _get(request, org_id, system_id)
    body = render_fria(request.app.state.service, org_id, system.id, kind)
    return _file(body, kind, f"fria-{system.id}")
