"""The dashboard's AI Act pages: the register (list, view, create, edit, deactivate), the
compliance status, and the report downloads (AI Act report, FRIA) for the signed-in
organisation. Forms carry the session's CSRF token, like every other dashboard form."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import ValidationError as PydanticValidationError

from agentaudit.aiact.models import (
    ANNEX_III_POINTS,
    ANNEX_III_TITLES,
    EDITABLE,
    AISystem,
    AnnexIII,
    FriaStatus,
    RiskClass,
    Role,
)
from agentaudit.aiact.service import AiActService, SystemNotFound
from agentaudit.server.dashboard import auth
from agentaudit.server.dashboard.auth import CSRF_FIELD, PREFIX
from agentaudit.server.dashboard.pages import (
    SECURITY_HEADERS,
    audit_service,
    csrf_refused,
    page_not_found,
    read_form,
    render,
)

router = APIRouter(include_in_schema=False)  # included by routes.py, under its /dashboard

TEXT_FIELDS = (
    "name",
    "vendor",
    "description",
    "use_case",
    "owner",
    "classification_rationale",
    "contract_notes",
)
DATE_FIELDS = (
    "contract_last_reviewed",
    "fria_completed_at",
    "fria_next_review",
    "last_reviewed_at",
    "next_review_date",
)
BOOL_FIELDS = ("contract_has_ai_annex", "provider_obligations_documented")
EVENTS_PAGE = 25


def _ai(request: Request) -> AiActService:
    state = request.app.state
    found = getattr(state, "ai_act", None)
    if found is None:
        found = AiActService(state.service.store)
        state.ai_act = found
    return found


def _choices() -> dict[str, Any]:
    return {
        "risk_classes": [c.value for c in RiskClass],
        "annex_areas": [
            (a.value, f"{ANNEX_III_POINTS[a]} {ANNEX_III_TITLES[a]}") for a in AnnexIII
        ],
        "roles": [r.value for r in Role],
        "fria_states": [f.value for f in FriaStatus],
    }


def system_values(system: AISystem | None) -> dict[str, Any]:
    """A system as the form shows it (a new one: the defaults)."""
    if system is None:
        return {
            **{f: "" for f in (*TEXT_FIELDS, *DATE_FIELDS)},
            "agent_id_patterns": "",
            "risk_classification": "unclassified",
            "annex_iii_category": "",
            "role": "deployer",
            "fria_status": "not_started",
            **{f: False for f in BOOL_FIELDS},
        }
    values: dict[str, Any] = {f: getattr(system, f) for f in TEXT_FIELDS}
    values["agent_id_patterns"] = "\n".join(system.agent_id_patterns)
    for f in DATE_FIELDS:
        value = getattr(system, f)
        values[f] = value.date().isoformat() if value is not None else ""
    for f in ("risk_classification", "role", "fria_status"):
        values[f] = getattr(system, f).value
    values["annex_iii_category"] = (
        system.annex_iii_category.value if system.annex_iii_category else ""
    )
    for f in BOOL_FIELDS:
        values[f] = getattr(system, f)
    return values


def parse_system_form(form: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what was typed, to show again; the fields to validate and save)."""
    typed = {f: str(form.get(f) or "") for f in (*TEXT_FIELDS, *DATE_FIELDS)}
    for f in (
        "agent_id_patterns",
        "risk_classification",
        "annex_iii_category",
        "role",
        "fria_status",
    ):
        typed[f] = str(form.get(f) or "")
    ticked = {f: form.get(f) == "on" for f in BOOL_FIELDS}
    fields: dict[str, Any] = {f: typed[f].strip() for f in TEXT_FIELDS}
    fields["agent_id_patterns"] = [
        line.strip() for line in typed["agent_id_patterns"].splitlines() if line.strip()
    ]
    for f in DATE_FIELDS:
        fields[f] = typed[f].strip() or None
    for f in ("risk_classification", "role", "fria_status"):
        fields[f] = typed[f]
    fields["annex_iii_category"] = typed["annex_iii_category"] or None
    fields.update(ticked)
    return {**typed, **ticked}, fields


def field_errors(exc: PydanticValidationError) -> dict[str, str]:
    out: dict[str, str] = {}
    for err in exc.errors(include_url=False, include_context=False, include_input=False):
        loc = [str(p) for p in err["loc"]]
        name = loc[0] if loc and loc[0] in EDITABLE else "general"
        where = f" (line {int(loc[1]) + 1})" if name == "agent_id_patterns" and len(loc) > 1 else ""
        out.setdefault(name, err["msg"].removeprefix("Value error, ") + where)
    return out


def systems_of_agent(request: Request, org_id: str, agent_id: str) -> list[AISystem]:
    """The AI systems an event's agent belongs to (shown on the event page)."""
    return _ai(request).systems_for_agent(org_id, agent_id)


# -- register ---------------------------------------------------------------------------------
@router.get("/systems")
def systems_page(request: Request) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    ai = _ai(request)
    show_all = request.query_params.get("all") == "1"
    systems = ai.list_systems(session.org_id, include_inactive=show_all)
    status = ai.status(session.org_id)
    by_id = {s.id: s for s in status.systems}
    return render(
        request,
        "systems.html",
        session,
        title="AI systems",
        systems=systems,
        compliance=status,
        by_id=by_id,
        show_all=show_all,
        saved=request.query_params.get("saved"),
    )


def _form_page(
    request: Request,
    session: Any,
    system: AISystem | None,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "system_form.html",
        session,
        status=status,
        title=f"Edit {system.name}" if system else "Register an AI system",
        system=system,
        v=values,
        errors=errors or {},
        **_choices(),
    )


@router.get("/systems/new")
def new_system_page(request: Request) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    return _form_page(request, session, None, system_values(None))


async def _save(request: Request, system_id: str | None) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    form, refused = await read_form(request)
    if refused is not None:
        return refused
    if not auth.csrf_ok(session.csrf, form.get(CSRF_FIELD)):
        return csrf_refused(request)
    ai = _ai(request)
    values, fields = parse_system_form(form)
    current = None
    try:
        if system_id is None:
            saved = await run_in_threadpool(ai.create, session.org_id, fields)
        else:
            current = await run_in_threadpool(ai.get, session.org_id, system_id)
            saved = await run_in_threadpool(ai.update, session.org_id, system_id, fields)
    except SystemNotFound:
        return page_not_found(request, session, f"No AI system {system_id!r}.")
    except PydanticValidationError as exc:
        return _form_page(request, session, current, values, field_errors(exc), 422)
    return RedirectResponse(f"{PREFIX}/systems/{saved.id}?saved=1", status_code=303)


@router.post("/systems/new")
async def create_system(request: Request) -> Response:
    return await _save(request, None)


@router.get("/systems/{system_id}/edit")
def edit_system_page(request: Request, system_id: str) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    try:
        system = _ai(request).get(session.org_id, system_id)
    except SystemNotFound:
        return page_not_found(request, session, f"No AI system {system_id!r}.")
    return _form_page(request, session, system, system_values(system))


@router.post("/systems/{system_id}/edit")
async def update_system(request: Request, system_id: str) -> Response:
    return await _save(request, system_id)


@router.post("/systems/{system_id}/active")
async def set_active(request: Request, system_id: str) -> Response:
    """Deactivate (soft delete) or reactivate."""
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    form, refused = await read_form(request)
    if refused is not None:
        return refused
    if not auth.csrf_ok(session.csrf, form.get(CSRF_FIELD)):
        return csrf_refused(request)
    active = form.get("active") == "1"
    try:
        await run_in_threadpool(
            _ai(request).update, session.org_id, system_id, {"is_active": active}
        )
    except SystemNotFound:
        return page_not_found(request, session, f"No AI system {system_id!r}.")
    return RedirectResponse(f"{PREFIX}/systems/{system_id}", status_code=303)


@router.get("/systems/{system_id}")
def system_page(request: Request, system_id: str) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    ai = _ai(request)
    try:
        system = ai.get(session.org_id, system_id)
    except SystemNotFound:
        return page_not_found(request, session, f"No AI system {system_id!r}.")
    try:
        page = max(1, min(int(request.query_params.get("page") or 1), 1_000_000))
    except ValueError:
        page = 1
    decision = request.query_params.get("decision") or None
    if decision not in (None, "allow", "block"):
        decision = None
    events = ai.system_events(
        session.org_id,
        system.id,
        limit=EVENTS_PAGE,
        offset=(page - 1) * EVENTS_PAGE,
        decision=decision,
    )
    pages = max(1, -(-events.total // EVENTS_PAGE))
    return render(
        request,
        "system.html",
        session,
        title=system.name,
        system=system,
        agents=ai.agents(session.org_id, system),
        stats=ai.stats(session.org_id, system),
        suggestion=ai.suggestion(session.org_id, system.id),
        events=events,
        page=page,
        pages=pages,
        decision=decision or "",
        saved=request.query_params.get("saved") == "1",
        annex=(
            f"{ANNEX_III_POINTS[system.annex_iii_category]} "
            f"{ANNEX_III_TITLES[system.annex_iii_category]}"
            if system.annex_iii_category
            else "—"
        ),
    )


# -- compliance and reports ----------------------------------------------------------------------
@router.get("/compliance")
def compliance_page(request: Request) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    verify = request.query_params.get("verify") == "1"
    status = _ai(request).status(session.org_id, verify=verify)
    today = datetime.now(UTC).date()
    return render(
        request,
        "compliance.html",
        session,
        title="AI Act compliance",
        s=status,
        default_from=(today - timedelta(days=89)).isoformat(),
        default_to=today.isoformat(),
        verified=verify,
    )


def _day(text: str | None) -> date | None:
    if not text:
        return None
    return date.fromisoformat(text.strip())


def _download(body: bytes, kind: str, name: str) -> Response:
    media = "application/pdf" if kind == "pdf" else "text/html; charset=utf-8"
    headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}.{kind}"'}
    return Response(body, media_type=media, headers=headers)


@router.get("/reports/ai-act")
def ai_act_report(request: Request) -> Response:
    """The AI Act report of whole UTC days [from, to] (default: the last 90 days)."""
    from agentaudit.aiact.report import render_report

    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    q = request.query_params
    kind = q.get("format") or "pdf"
    try:
        if kind not in ("pdf", "html"):
            raise ValueError("format must be pdf or html")
        today = datetime.now(UTC).date()
        first = _day(q.get("from")) or today - timedelta(days=89)
        last = _day(q.get("to")) or today
        if last < first:
            raise ValueError("to is before from")
    except ValueError as exc:
        return render(
            request,
            "message.html",
            session,
            status=422,
            title="Bad report period",
            message=f"from/to must be dates (YYYY-MM-DD), from ≤ to: {exc}",
        )
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)
    body = render_report(audit_service(request), session.org_id, start, end, kind)
    return _download(body, kind, f"ai-act-report-{first:%Y%m%d}-{last:%Y%m%d}")


@router.get("/reports/fria/{system_id}")
def fria_report(request: Request, system_id: str) -> Response:
    from agentaudit.aiact.report import render_fria

    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    kind = request.query_params.get("format") or "pdf"
    if kind not in ("pdf", "html"):
        kind = "pdf"
    try:
        system = _ai(request).get(session.org_id, system_id)
    except SystemNotFound:
        return page_not_found(request, session, f"No AI system {system_id!r}.")
    body = render_fria(audit_service(request), session.org_id, system.id, kind)
    return _download(body, kind, f"fria-{system.id}")
