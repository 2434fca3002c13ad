"""The dashboard's pages under /dashboard: sign-in, timeline, event, statistics, policy.

Server-rendered HTML (Jinja2) with one small script and one stylesheet, both served from here;
the Content-Security-Policy allows nothing else, so the dashboard works offline and no page can
load a script or style from anywhere but this server.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, StreamingResponse
from pydantic import ValidationError as PydanticValidationError

from agentaudit.classifier import evidence_form, find_secrets
from agentaudit.export import Selection
from agentaudit.models import (
    MAX_INSTANT,
    MIN_INSTANT,
    PII_TYPES,
    SECRET_TYPES,
    Event,
    EventKind,
    Policy,
    RuleMatch,
)
from agentaudit.policy import override_of_reason
from agentaudit.secret_mask import SecretMasker
from agentaudit.server.dashboard import ai_act as ai_act_pages
from agentaudit.server.dashboard import approvals as approval_pages
from agentaudit.server.dashboard import articles, auth, charts, forms, queries
from agentaudit.server.dashboard import policy_history as policy_history_pages
from agentaudit.server.dashboard import replay as replay_pages
from agentaudit.server.dashboard import subjects as subject_pages
from agentaudit.server.dashboard import webhooks as webhook_pages
from agentaudit.server.dashboard.auth import CSRF_FIELD, LOGIN_CSRF_COOKIE, PREFIX, SESSION_COOKIE
from agentaudit.server.dashboard.pages import (
    STATIC,
    audit_service,
    csrf_refused,
    page_not_found,
    read_form,
    render,
)
from agentaudit.server.dashboard.sessions import Session
from agentaudit.server.keys import hash_key, org_for_key
from agentaudit.service import AuditService

router = APIRouter(prefix=PREFIX, include_in_schema=False)

STATS_RANGES = (7, 30, 90, 365)
TOP_N = 10


@router.get("/static/{name}")
def static(name: str, request: Request) -> Response:
    found = STATIC.get(name)
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain")
    body, media, etag = found
    headers = {
        "ETag": etag,
        "Cache-Control": "public, max-age=86400",
        "X-Content-Type-Options": "nosniff",
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


# -- sign-in and sign-out -----------------------------------------------------------------------
@router.get("")
@router.get("/")
def home(request: Request) -> Response:
    return RedirectResponse(f"{PREFIX}/events", status_code=303)


def _login_page(
    request: Request, next_url: str, error: str | None = None, status: int = 200
) -> HTMLResponse:
    token = auth.new_token()
    page = render(
        request,
        "login.html",
        None,
        status=status,
        title="Sign in",
        token=token,
        next=next_url,
        error=error,
    )
    auth.set_cookie(request, page, LOGIN_CSRF_COOKIE, token)
    return page


@router.get("/login")
def login_form(request: Request) -> Response:
    if auth.current_session(request) is not None:
        return RedirectResponse(auth.safe_next(request.query_params.get("next")), status_code=303)
    return _login_page(request, auth.safe_next(request.query_params.get("next")))


@router.post("/login")
async def login(request: Request) -> Response:
    form, refused = await read_form(request)
    if refused is not None:
        return refused
    next_url = auth.safe_next(str(form.get("next") or ""))
    if not auth.csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE), form.get(CSRF_FIELD)):
        return _login_page(request, next_url, "The sign-in form expired; please try again.", 403)
    key = str(form.get("api_key") or "").strip()
    store = audit_service(request).store
    org_id = await run_in_threadpool(org_for_key, store, key)
    if org_id is None:
        return _login_page(request, next_url, "That API key is not valid.", 401)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        auth.sessions(request).delete(old)  # a fresh id on every sign-in (no session fixation)
    session_id, _ = auth.sessions(request).create(org_id, hash_key(key))
    response = RedirectResponse(next_url, status_code=303)
    auth.set_cookie(request, response, SESSION_COOKIE, session_id)
    auth.clear_cookie(request, response, LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    session = auth.current_session(request)
    if session is None:
        return RedirectResponse(f"{PREFIX}/login", status_code=303)
    form, refused = await read_form(request)
    if refused is not None:
        return refused
    if not auth.csrf_ok(session.csrf, form.get(CSRF_FIELD)):
        return csrf_refused(request)
    auth.sessions(request).delete(request.cookies[SESSION_COOKIE])
    response = RedirectResponse(f"{PREFIX}/login", status_code=303)
    auth.clear_cookie(request, response, SESSION_COOKIE)
    return response


# -- timeline -------------------------------------------------------------------------------------
@router.get("/events")
def timeline(request: Request) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    service = audit_service(request)
    t = forms.parse_timeline(request.query_params)
    if t.errors:
        events: list[Event] = []
        total = 0
    elif t.pii_type is not None or t.secret_type is not None:
        page = queries.list_events_with_types(
            service.store, session.org_id, t.flt, pii_type=t.pii_type, secret_type=t.secret_type
        )
        events, total = page.events, page.total
    else:
        page = service.list_events(session.org_id, t.flt)
        events, total = page.events, page.total
    pages = max(1, -(-total // forms.PAGE_SIZE))
    kept = {k: v for k, v in t.values.items() if v}

    def link(**change: Any) -> str:
        merged = {**kept, **{k: str(v) for k, v in change.items() if v not in (None, "")}}
        return f"{PREFIX}/events?{urlencode(merged)}" if merged else f"{PREFIX}/events"

    return render(
        request,
        "events.html",
        session,
        title="Timeline",
        t=t,
        events=events,
        total=total,
        page=t.page,
        pages=pages,
        prev_url=link(page=t.page - 1) if t.page > 1 else None,
        next_url=link(page=t.page + 1) if t.page < pages else None,
        link=link,
        risk_levels=forms.RISK_LEVELS,
        decisions=forms.DECISIONS,
        pii_types=PII_TYPES,
        secret_types=SECRET_TYPES,
        first=t.flt.offset + 1 if events else 0,
        last=t.flt.offset + len(events),
    )


# -- one event ------------------------------------------------------------------------------------
def _fired_rule(reason: str | None) -> dict[str, str | None]:
    """Which policy rule blocked, and which risk rule gave the level (from the stored reason,
    whose forms policy.decide defines)."""
    out: dict[str, str | None] = {"policy_rule": None, "risk_rule": None, "evidence": None}
    if not reason:
        return out
    if override_of_reason(reason) is not None:  # "decided by override `name`: <reason>"
        reason = reason.partition("`: ")[2]
    if reason.startswith("action ") and "blocked_actions pattern" in reason:
        out["policy_rule"] = "policy.blocked_actions"
    elif reason.endswith("(block_pii_types)"):
        out["policy_rule"] = "policy.block_pii_types"
    elif reason.startswith("risk ") and " >= block_on " in reason:
        out["policy_rule"] = "policy.block_on"
        _, _, why = reason.partition(": ")
        rule, _, evidence = why.partition(": ")
        out["risk_rule"] = rule or None
        out["evidence"] = evidence or None
    return out


@router.get("/events/{event_id}")
def event_page(request: Request, event_id: str) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    service = audit_service(request)
    event = service.get_event(session.org_id, event_id) if "\x00" not in event_id else None
    if event is None:
        return page_not_found(request, session, f"No event {event_id!r} in this organisation.")
    place = queries.chain_place(service.store, session.org_id, event_id)
    view = _payload_view(service, session.org_id, event)
    approval = (
        service.get_approval(session.org_id, event.approval_id) if event.approval_id else None
    )
    return render(
        request,
        "event.html",
        session,
        title=f"Event {event.id}",
        event=event,
        place=place,
        articles=articles.articles_of(event.frameworks),
        fired=_fired_rule(view.reason),
        matches=view.matches,  # as stored when the event was decided: never re-classified
        rules_stored=place is not None and place.chain_version >= 2,
        view=view,
        systems=ai_act_pages.systems_of_agent(request, session.org_id, event.agent_id),
        data_json=_pretty(view.data),
        context_json=_pretty(view.context),
        approval=approval,
    )


@dataclass(frozen=True)
class PayloadView:
    """What the event page shows of a payload. `clear_fields`: where the stored row holds a
    secret in clear (stored under store_secrets: clear, or before masking), masked here."""

    data: dict[str, Any]
    context: dict[str, Any]
    reasoning: str | None
    reason: str | None
    matches: list[RuleMatch]
    clear_fields: list[str]


def _payload_view(service: AuditService, org_id: str, event: Event) -> PayloadView:
    """The payload with every secret masked, whatever the stored row holds: the page never
    shows a secret value in clear. The secret detectors alone run again (not the whole
    classifier, whose command analysis can take seconds on a large payload), and what they
    find is masked as ingest masks it, with the organisation's fingerprints."""
    plain = PayloadView(
        event.data, event.context, event.reasoning, event.reason, list(event.matches), []
    )
    if event.kind != EventKind.CALL or not (event.data or event.context or event.reasoning):
        return plain
    found = [
        secret
        for part in (event.data, event.context, event.reasoning)
        if part
        for secret in find_secrets(part, rules=service.rules)
    ]
    masker = SecretMasker.of(service.secret_key(org_id), found, evidence_form)
    if masker is None:
        return plain
    masked = masker.payload(event.data, event.context, event.reasoning)
    return PayloadView(
        masked.data,
        masked.context,
        masked.reasoning,
        masker.derived(event.reason) if event.reason is not None else None,
        [m.model_copy(update={"evidence": masker.derived(m.evidence)}) for m in event.matches],
        masked.fields,
    )


def _pretty(value: Any) -> str:
    import json

    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


@router.post("/verify")
def verify(request: Request) -> Response:
    """Recompute the organisation's whole chain now (the event page's "Verify" button)."""
    session = auth.current_session(request)
    if session is None:
        return JSONResponse({"detail": "signed out"}, status_code=401)
    if not auth.csrf_ok(session.csrf, request.headers.get(auth.CSRF_HEADER)):
        return JSONResponse({"detail": "missing or wrong CSRF token"}, status_code=403)
    result = audit_service(request).verify(session.org_id)
    return JSONResponse(
        {
            "ok": result.ok,
            "checked": result.checked,
            "head_seq": result.head_seq,
            "error": result.error,
            "broken_seq": result.broken_seq,
            "broken_id": result.broken_id,
            "message": result.describe(),
        },
        headers={"Cache-Control": "no-store"},
    )


@router.post("/export")
async def export(request: Request) -> Response:
    """Download the organisation's verifiable export (export.py: what `agentaudit export
    --db` writes), the timeline's "Export" button, with the timeline's filters as the
    export's selection. With the server's signing key, the head is signed first and the file
    as a whole, as the command does; `agentaudit verify --file` checks it offline."""
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    form, refused = await read_form(request)
    if refused is not None:
        return refused
    if not auth.csrf_ok(session.csrf, form.get(CSRF_FIELD)):
        return csrf_refused(request)
    t = forms.parse_timeline({k: str(v) for k, v in form.items()})
    if t.errors:
        why = "Cannot export: " + "; ".join(t.errors.values())
        return page_not_found(request, session, why, status=422, title="Cannot export")
    selection = forms.export_selection(t)
    service = audit_service(request)
    signer = getattr(request.app.state, "signer", None)
    spool = await run_in_threadpool(_write_export, service, session.org_id, signer, selection)
    if spool is None:
        what = "no event matches the filters" if selection else "the chain is empty"
        return page_not_found(request, session, f"Nothing to export: {what}.")

    def chunks() -> Any:
        with spool:
            while block := spool.read(1 << 16):
                yield block

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return StreamingResponse(
        chunks(),
        media_type="application/x-ndjson",
        headers={
            "Content-Disposition": f'attachment; filename="agentaudit-export-{stamp}.jsonl"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _write_export(
    service: AuditService, org_id: str, signer: Any, selection: Selection | None
) -> Any:
    """The export in a temporary file (spilled to disk when large), rewound; None when the
    chain is empty (or nothing matches the selection)."""
    import io
    import tempfile

    from agentaudit.export import ExportError, write_export
    from agentaudit.server.dashboard.pages import _org_name
    from agentaudit.signing import Checkpointer

    if signer is not None:  # the head as it is now, signed: the export ends proven
        Checkpointer(service.store, signer).sign_due(all_moved=True)
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+b")  # noqa: SIM115 (the response closes it)
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="", write_through=True)
    try:
        write_export(
            service.store,
            org_id,
            _org_name(service, org_id),
            text,
            signer=signer,
            selection=selection,
        )
    except ExportError:
        text.close()
        return None
    text.flush()
    text.detach()
    spool.seek(0)
    return spool


# -- statistics -----------------------------------------------------------------------------------
def _stats_range(query: Any) -> tuple[date, date, int, str | None]:
    """[first, end) in whole UTC days: the last `days` days including today, or from/to dates."""
    today = datetime.now(UTC).date()
    error = None
    start_text, end_text = (query.get("from") or "").strip(), (query.get("to") or "").strip()
    if start_text or end_text:
        try:
            first = date.fromisoformat(start_text) if start_text else today - timedelta(days=29)
            last = date.fromisoformat(end_text) if end_text else today
            for name, day in (("from", first), ("to", last)):
                if not MIN_INSTANT.date() <= day <= MAX_INSTANT.date():
                    raise ValueError(
                        f"{name} must be between {MIN_INSTANT.date()} and {MAX_INSTANT.date()}"
                    )
            if last < first:
                raise ValueError("to is before from")
            if (last - first).days > 3660:
                raise ValueError("at most ten years")
            return first, last + timedelta(days=1), 0, None
        except ValueError as exc:
            error = f"from/to must be dates (YYYY-MM-DD), from ≤ to: {exc}"
    try:
        days = int(query.get("days") or 30)
    except ValueError:
        days = 30
    if days not in STATS_RANGES:
        days = 30
    return today - timedelta(days=days - 1), today + timedelta(days=1), days, error


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@router.get("/stats")
def stats_page(request: Request) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    service = audit_service(request)
    store, org_id = service.store, session.org_id
    first, end, days, error = _stats_range(request.query_params)
    after, before = _midnight(first), _midnight(end)
    day_list = [(first + timedelta(days=i)).isoformat() for i in range((end - first).days)]
    stats = service.stats(org_id, after, before)
    by_risk = queries.daily_counts(store, org_id, "risk_level", day_list[0], end.isoformat())
    by_decision = queries.daily_counts(store, org_id, "decision", day_list[0], end.isoformat())
    risk_series = [
        charts.Series(level, colour, [by_risk.get(d, {}).get(level, 0) for d in day_list])
        for level, colour in charts.RISK_COLOURS.items()
    ]
    blocks = [by_decision.get(d, {}).get("block", 0) for d in day_list]
    pii = queries.pii_type_counts(store, org_id, after, before)
    secret_types = queries.secret_type_counts(store, org_id, after, before)
    return render(
        request,
        "stats.html",
        session,
        title="Statistics",
        stats=stats,
        days=days,
        ranges=STATS_RANGES,
        first=first.isoformat(),
        last=(end - timedelta(days=1)).isoformat(),
        error=error,
        blocked=stats.by_decision.get("block", 0),
        risk_chart=charts.stacked_bars(day_list, risk_series, "Events per day by risk level"),
        block_chart=charts.stacked_bars(
            day_list, [charts.Series("blocked", charts.BLOCK_COLOUR, blocks)], "Blocked per day"
        ),
        agents_chart=charts.hbars(
            list(stats.by_agent.items())[:TOP_N], "Top agents", width=460, label_w=170
        ),
        actions_chart=charts.hbars(
            list(stats.by_action.items())[:TOP_N], "Top actions", width=460, label_w=170
        ),
        pii_chart=charts.hbars(list(pii.items()), "PII types seen", "#7b4fa3"),
        secret_counts=secret_types,
        secret_chart=charts.hbars(list(secret_types.items()), "Secret types seen", "#a34f4f"),
    )


# -- policy ---------------------------------------------------------------------------------------
def _policy_page(
    request: Request,
    session: Session,
    policy: Policy,
    values: dict[str, Any],
    *,
    status: int = 200,
    saved: bool = False,
    errors: dict[str, str] | None = None,
    general: list[str] | None = None,
    version: int | None = None,
) -> HTMLResponse:
    if version is None:
        version = audit_service(request).policy_in_force(session.org_id)[1]
    return render(
        request,
        "policy.html",
        session,
        status=status,
        title="Policy",
        policy_json=policy.model_dump_json(indent=2),
        version=version,
        v=values,
        saved=saved,
        errors=errors or {},
        general=general or [],
        risk_levels=forms.RISK_LEVELS,
        pii_types=PII_TYPES,
        secret_types=SECRET_TYPES,
        frameworks=[("gdpr", "GDPR"), ("ai_act", "EU AI Act"), ("soc2", "SOC 2")],
    )


@router.get("/policy")
def policy_page(request: Request) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    policy, version = audit_service(request).policy_in_force(session.org_id)
    saved = request.query_params.get("saved") == "1"
    return _policy_page(
        request, session, policy, forms.policy_values(policy), saved=saved, version=version
    )


@router.post("/policy")
async def policy_save(request: Request) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    form, refused = await read_form(request)
    if refused is not None:
        return refused
    if not auth.csrf_ok(session.csrf, form.get(CSRF_FIELD)):
        return csrf_refused(request)
    parsed = forms.parse_policy_form(form, form.getlist)
    service = audit_service(request)
    actor = await run_in_threadpool(policy_history_pages.dashboard_actor, request, session)
    try:
        await run_in_threadpool(
            functools.partial(service.update_policy, source="dashboard", actor=actor),
            session.org_id,
            parsed.patch,
        )
    except PydanticValidationError as exc:
        by_field, general = forms.policy_errors(exc)
        current = await run_in_threadpool(service.get_policy, session.org_id)
        # what was submitted, and the stored value of a field an older page did not send
        shown = {**forms.policy_values(current), **parsed.values}
        return _policy_page(
            request, session, current, shown, status=422, errors=by_field, general=general
        )
    return RedirectResponse(f"{PREFIX}/policy?saved=1", status_code=303)


# The AI Act pages (register, compliance, reports) live in their own module.
router.include_router(ai_act_pages.router)
router.include_router(webhook_pages.router)
router.include_router(approval_pages.router)
router.include_router(policy_history_pages.router)
router.include_router(replay_pages.router)
router.include_router(subject_pages.router)
