"""The dashboard's webhooks page: the organisation's webhooks, a form to add one (its secret
shown once), a "send test" button per webhook, pausing, removal, and the delivery log.

The same checks as the API (alerts/): the URL is refused unless its host resolves to public
addresses (or the operator allowed private ones). Every form carries the session's CSRF token.
"""

from __future__ import annotations

import functools
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import ValidationError as PydanticValidationError

from agentaudit.alerts.dispatcher import WebhookDispatcher
from agentaudit.alerts.format import new_secret
from agentaudit.alerts.models import MAX_WEBHOOKS_PER_ORG, Trigger, WebhookFormat, WebhookIn
from agentaudit.alerts.ssrf import UnsafeTarget, check_configured
from agentaudit.alerts.store import WebhookStore
from agentaudit.server.dashboard import auth
from agentaudit.server.dashboard.auth import CSRF_FIELD, PREFIX
from agentaudit.server.dashboard.pages import csrf_refused, read_form, render
from agentaudit.server.dashboard.sessions import Session

router = APIRouter(include_in_schema=False)  # included by routes.py, under its /dashboard
LOG_ROWS = 100


def _store(request: Request) -> WebhookStore:
    return request.app.state.service.store


def _dispatcher(request: Request) -> WebhookDispatcher:
    return request.app.state.webhooks


def _page(
    request: Request,
    session: Session,
    *,
    status: int = 200,
    errors: list[str] | None = None,
    values: dict[str, Any] | None = None,
    created: tuple[str, str] | None = None,
    notice: str | None = None,
) -> Response:
    store = _store(request)
    hooks = store.list_webhooks(session.org_id)
    urls = {h.id: h.url for h in hooks}
    return render(
        request,
        "webhooks.html",
        session,
        status=status,
        title="Webhooks",
        hooks=[h.public() for h in hooks],
        urls=urls,
        deliveries=store.list_deliveries(session.org_id, None, LOG_ROWS),
        triggers=[t.value for t in Trigger],
        formats=[f.value for f in WebhookFormat],
        errors=errors or [],
        v=values or {"url": "", "events": ["block", "critical"], "format": "json"},
        created=created,
        notice=notice,
    )


async def _page_off_loop(request: Request, session: Session, **kwargs: Any) -> Response:
    """`_page` from an async route: its store reads run in the thread pool."""
    return await run_in_threadpool(functools.partial(_page, request, session, **kwargs))


@router.get("/webhooks")
def webhooks_page(request: Request) -> Response:
    session = auth.current_session(request)
    if session is None:
        return auth.sign_in_redirect(request)
    notice = request.query_params.get("notice")
    messages = {
        "tested": "Test alert sent: its outcome is the newest line of the delivery log.",
        "deleted": "Webhook removed.",
    }
    return _page(request, session, notice=messages.get(notice or ""))


async def _checked_form(request: Request) -> tuple[Session | None, Any, Response | None]:
    session = auth.current_session(request)
    if session is None:
        return None, None, auth.sign_in_redirect(request)
    form, refused = await read_form(request)
    if refused is not None:
        return session, None, refused
    if not auth.csrf_ok(session.csrf, form.get(CSRF_FIELD)):
        return session, None, csrf_refused(request)
    return session, form, None


@router.post("/webhooks")
async def webhook_create(request: Request) -> Response:
    session, form, refused = await _checked_form(request)
    if refused is not None or session is None:
        return refused or auth.sign_in_redirect(request)
    values: dict[str, Any] = {
        "url": str(form.get("url") or "").strip(),
        "events": [str(e) for e in form.getlist("events")],
        "format": str(form.get("format") or "json"),
    }
    try:
        fields = WebhookIn.model_validate(values)
        await run_in_threadpool(
            check_configured, fields.url, allow_private=_dispatcher(request).allow_private
        )
    except PydanticValidationError as exc:
        errors = [
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in exc.errors(include_url=False, include_input=False)
        ]
        return await _page_off_loop(request, session, status=422, errors=errors, values=values)
    except UnsafeTarget as exc:
        return await _page_off_loop(
            request, session, status=422, errors=[f"url: {exc}"], values=values
        )
    store = _store(request)
    if len(await run_in_threadpool(store.list_webhooks, session.org_id)) >= MAX_WEBHOOKS_PER_ORG:
        msg = f"An organisation may have at most {MAX_WEBHOOKS_PER_ORG} webhooks."
        return await _page_off_loop(request, session, status=409, errors=[msg], values=values)
    hook = await run_in_threadpool(store.create_webhook, session.org_id, fields, new_secret())
    _dispatcher(request).forget(session.org_id)
    return await _page_off_loop(request, session, status=201, created=(hook.url, hook.secret))


@router.post("/webhooks/{webhook_id}/test")
async def webhook_test(request: Request, webhook_id: str) -> Response:
    session, _, refused = await _checked_form(request)
    if refused is not None or session is None:
        return refused or auth.sign_in_redirect(request)
    hook = _store(request).get_webhook(session.org_id, webhook_id)
    if hook is None:
        return await _page_off_loop(request, session, status=404, errors=["No such webhook."])
    await run_in_threadpool(_dispatcher(request).send_test, session.org_id, hook)
    return RedirectResponse(f"{PREFIX}/webhooks?notice=tested", status_code=303)


@router.post("/webhooks/{webhook_id}/toggle")
async def webhook_toggle(request: Request, webhook_id: str) -> Response:
    """Pause a webhook (it gets no alerts) or resume it."""
    session, _, refused = await _checked_form(request)
    if refused is not None or session is None:
        return refused or auth.sign_in_redirect(request)
    store = _store(request)
    hook = await run_in_threadpool(store.get_webhook, session.org_id, webhook_id)
    if hook is None:
        return await _page_off_loop(request, session, status=404, errors=["No such webhook."])
    changed = hook.model_copy(update={"enabled": not hook.enabled})
    await run_in_threadpool(store.save_webhook, session.org_id, changed)
    _dispatcher(request).forget(session.org_id)
    return RedirectResponse(f"{PREFIX}/webhooks", status_code=303)


@router.post("/webhooks/{webhook_id}/delete")
async def webhook_delete(request: Request, webhook_id: str) -> Response:
    session, _, refused = await _checked_form(request)
    if refused is not None or session is None:
        return refused or auth.sign_in_redirect(request)
    if not await run_in_threadpool(_store(request).delete_webhook, session.org_id, webhook_id):
        return await _page_off_loop(request, session, status=404, errors=["No such webhook."])
    _dispatcher(request).forget(session.org_id)
    return RedirectResponse(f"{PREFIX}/webhooks?notice=deleted", status_code=303)
